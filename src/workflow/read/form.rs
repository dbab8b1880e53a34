//! The request form of SPEC §3: `Label: value` lines in either language, read then validated.
use std::collections::HashMap;

use super::text::{fold, squash};
use crate::domain::{AccountDomain, EmailAddress, Locale};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    AccountName,
    CustomerEmail,
    AccountDomain,
    NoteToCustomer,
    UserEmails,
    NoteToUsers,
    Language,
    PartnerCompany,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::AccountName,
        Field::CustomerEmail,
        Field::AccountDomain,
        Field::NoteToCustomer,
        Field::UserEmails,
        Field::NoteToUsers,
        Field::Language,
        Field::PartnerCompany,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Field::AccountName => "account_name",
            Field::CustomerEmail => "customer_email",
            Field::AccountDomain => "account_domain",
            Field::NoteToCustomer => "note_to_customer",
            Field::UserEmails => "user_emails",
            Field::NoteToUsers => "note_to_users",
            Field::Language => "language",
            Field::PartnerCompany => "partner_company",
        }
    }

    /// The label printed in the blank form and in answers.
    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Field::AccountName, Locale::En) => "Account name",
            (Field::CustomerEmail, Locale::En) => "Customer email",
            (Field::AccountDomain, Locale::En) => "Account domain",
            (Field::NoteToCustomer, Locale::En) => "Note to customer",
            (Field::UserEmails, Locale::En) => "User emails",
            (Field::NoteToUsers, Locale::En) => "Note to users",
            (Field::Language, Locale::En) => "Language",
            (Field::AccountName, Locale::Fr) => "Nom du compte",
            (Field::CustomerEmail, Locale::Fr) => "E-mail du client",
            (Field::AccountDomain, Locale::Fr) => "Domaine du compte",
            (Field::NoteToCustomer, Locale::Fr) => "Note au client",
            (Field::UserEmails, Locale::Fr) => "E-mails des utilisateurs",
            (Field::NoteToUsers, Locale::Fr) => "Remarque à l'intention des utilisateurs ajoutés",
            (Field::Language, Locale::Fr) => "Langue",
            (Field::PartnerCompany, Locale::En) => "Partner company",
            (Field::PartnerCompany, Locale::Fr) => "Société du partenaire",
        }
    }

    /// Values that may run over several lines.
    fn multiline(self) -> bool {
        matches!(self, Field::NoteToCustomer | Field::UserEmails | Field::NoteToUsers)
    }
}

/// Labels as `squash` leaves them (letters and digits only, folded).
const LABELS: &[(&str, Field, Locale)] = &[
    ("accountname", Field::AccountName, Locale::En),
    ("smartaccountname", Field::AccountName, Locale::En),
    ("customeremail", Field::CustomerEmail, Locale::En),
    ("customeremailaddress", Field::CustomerEmail, Locale::En),
    ("accountdomain", Field::AccountDomain, Locale::En),
    ("notetocustomer", Field::NoteToCustomer, Locale::En),
    ("notetothecustomer", Field::NoteToCustomer, Locale::En),
    ("useremails", Field::UserEmails, Locale::En),
    ("useremail", Field::UserEmails, Locale::En),
    ("useremailaddresses", Field::UserEmails, Locale::En),
    ("notetousers", Field::NoteToUsers, Locale::En),
    ("notetotheusers", Field::NoteToUsers, Locale::En),
    ("language", Field::Language, Locale::En),
    ("nomducompte", Field::AccountName, Locale::Fr),
    ("nomdecompte", Field::AccountName, Locale::Fr),
    ("emailduclient", Field::CustomerEmail, Locale::Fr),
    ("courrielduclient", Field::CustomerEmail, Locale::Fr),
    ("adresseemailduclient", Field::CustomerEmail, Locale::Fr),
    ("domaineducompte", Field::AccountDomain, Locale::Fr),
    ("noteauclient", Field::NoteToCustomer, Locale::Fr),
    ("emailsdelutilisateur", Field::UserEmails, Locale::Fr),
    ("emailsdesutilisateurs", Field::UserEmails, Locale::Fr),
    ("emaildelutilisateur", Field::UserEmails, Locale::Fr),
    ("emaildesutilisateurs", Field::UserEmails, Locale::Fr),
    ("courrielsdesutilisateurs", Field::UserEmails, Locale::Fr),
    ("remarquealintentiondesutilisateursajoutes", Field::NoteToUsers, Locale::Fr),
    ("remarquealintentiondesutilisateurs", Field::NoteToUsers, Locale::Fr),
    ("noteauxutilisateurs", Field::NoteToUsers, Locale::Fr),
    ("langue", Field::Language, Locale::Fr),
    ("partnercompany", Field::PartnerCompany, Locale::En),
    ("partnerorganization", Field::PartnerCompany, Locale::En),
    ("societedupartenaire", Field::PartnerCompany, Locale::Fr),
    ("entreprisedupartenaire", Field::PartnerCompany, Locale::Fr),
];

pub const MAX_NAME: usize = 100;
pub const MAX_NOTE: usize = 2000;
pub const MAX_USERS: usize = 100;
/// Bad addresses named one by one in an answer; the rest are counted.
pub const MAX_NAMED_PROBLEMS: usize = 10;

/// What the form said, before any rule is applied.
#[derive(Debug, Clone, Default)]
pub struct RawForm {
    pub values: HashMap<Field, String>,
    pub english_labels: usize,
    pub french_labels: usize,
}

impl RawForm {
    /// Whether the message held any form label at all.
    pub fn is_empty(&self) -> bool {
        self.english_labels + self.french_labels == 0
    }

    pub fn get(&self, f: Field) -> Option<&str> {
        self.values.get(&f).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// The language of the labels used (majority), if any were.
    pub fn label_locale(&self) -> Option<Locale> {
        match (self.english_labels, self.french_labels) {
            (0, 0) => None,
            (e, f) if f > e => Some(Locale::Fr),
            _ => Some(Locale::En),
        }
    }
}

fn label_of(line: &str) -> Option<(Field, Locale, &str)> {
    let sep = line.find([':', '='])?;
    let (label, value) = (&line[..sep], &line[sep + 1..]);
    if label.chars().count() > 60 {
        return None;
    }
    let key = squash(label);
    LABELS.iter().find(|(l, _, _)| *l == key).map(|(_, f, loc)| (*f, *loc, value.trim()))
}

/// Strips quote marks (`>`), bullets and spaces from the start of a line.
fn unbullet(line: &str) -> &str {
    let mut s = line.trim_start();
    loop {
        let t = s.trim_start_matches(['>', '-', '*', '•', '·', '–', '\u{a0}', ' ', '\t']);
        if t.len() == s.len() {
            return s.trim_end();
        }
        s = t;
    }
}

/// Reads every `Label: value` line of a body. The first non-empty value of a
/// field wins (a corrected form above a quoted old one is what counts).
pub fn scan(body: &str) -> RawForm {
    let mut form = RawForm::default();
    let mut seen_en = std::collections::HashSet::new();
    let mut seen_fr = std::collections::HashSet::new();
    let mut current: Option<(Field, Vec<String>)> = None;

    let finish = |form: &mut RawForm, cur: Option<(Field, Vec<String>)>| {
        if let Some((field, lines)) = cur {
            // Invisible characters never reach a field: a U+202E in an account
            // name reorders what the customer reads, a zero-width space makes
            // two spellings of one name or domain.
            let value = crate::domain::strip_invisible(&lines.join("\n")).trim().to_string();
            if !value.is_empty() && form.values.get(&field).is_none_or(|v| v.is_empty()) {
                form.values.insert(field, value);
            }
        }
    };

    for raw_line in body.lines() {
        let line = unbullet(raw_line);
        if let Some((field, locale, value)) = label_of(line) {
            finish(&mut form, current.take());
            match locale {
                Locale::En => seen_en.insert(field),
                Locale::Fr => seen_fr.insert(field),
            };
            let lines = if value.is_empty() { vec![] } else { vec![value.to_string()] };
            current = Some((field, lines));
            continue;
        }
        let Some((field, lines)) = current.as_mut() else {
            continue;
        };
        if line.is_empty() {
            finish(&mut form, current.take());
        } else if lines.is_empty() || field.multiline() {
            lines.push(line.to_string());
            if !field.multiline() {
                finish(&mut form, current.take());
            }
        } else {
            finish(&mut form, current.take());
        }
    }
    finish(&mut form, current.take());
    form.english_labels = seen_en.len();
    form.french_labels = seen_fr.len();
    form
}

/// A form that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestForm {
    pub partner_company: Option<String>,
    pub account_name: String,
    pub customer_email: EmailAddress,
    pub account_domain: AccountDomain,
    pub note_to_customer: Option<String>,
    pub user_emails: Vec<EmailAddress>,
    pub note_to_users: Option<String>,
    pub locale: Locale,
}

/// One broken rule, field by field; `i18n` turns it into a sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Missing(Field),
    TooLong {
        field: Field,
        max: usize,
        len: usize,
    },
    BadEmail {
        field: Field,
        value: String,
    },
    OneEmailOnly {
        value: String,
    },
    BadDomain {
        value: String,
    },
    TooManyUsers {
        count: usize,
    },
    MoreBadEmails {
        count: usize,
    },
    BadLanguage {
        value: String,
    },
    /// The domain already has a live request (found by the caller).
    DomainBusy {
        domain: String,
        reference: String,
    },
    /// The customer or a user is the partner or the desk (found by the caller).
    OwnAddress {
        field: Field,
        value: String,
        own: Own,
    },
}

/// Whose address a form named where another person's belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Own {
    Partner,
    Desk,
}

impl Problem {
    pub fn field(&self) -> Field {
        match self {
            Problem::Missing(f)
            | Problem::TooLong { field: f, .. }
            | Problem::BadEmail { field: f, .. }
            | Problem::OwnAddress { field: f, .. } => *f,
            Problem::OneEmailOnly { .. } => Field::CustomerEmail,
            Problem::BadDomain { .. } | Problem::DomainBusy { .. } => Field::AccountDomain,
            Problem::TooManyUsers { .. } | Problem::MoreBadEmails { .. } => Field::UserEmails,
            Problem::BadLanguage { .. } => Field::Language,
        }
    }
}

/// The language answers about this form are written in: the `Language` field,
/// else the labels' language, else the desk's default.
pub fn locale_of(raw: &RawForm, default: Locale) -> Locale {
    raw.get(Field::Language).and_then(Locale::parse).or(raw.label_locale()).unwrap_or(default)
}

/// Applies SPEC §3's rules; on failure returns every problem, in field order.
pub fn validate(raw: &RawForm, default: Locale) -> Result<RequestForm, Vec<Problem>> {
    let mut problems = Vec::new();
    let locale = locale_of(raw, default);
    if let Some(l) = raw.get(Field::Language)
        && Locale::parse(l).is_none()
    {
        problems.push(Problem::BadLanguage { value: l.to_string() });
    }

    let account_name = match raw.get(Field::AccountName) {
        None => {
            problems.push(Problem::Missing(Field::AccountName));
            None
        }
        Some(v) => {
            let name = v.split_whitespace().collect::<Vec<_>>().join(" ");
            let name: String = name.chars().filter(|c| !c.is_control()).collect();
            let len = name.chars().count();
            if len > MAX_NAME {
                problems.push(Problem::TooLong { field: Field::AccountName, max: MAX_NAME, len });
                None
            } else {
                Some(name)
            }
        }
    };

    let customer_email = match raw.get(Field::CustomerEmail) {
        None => {
            problems.push(Problem::Missing(Field::CustomerEmail));
            None
        }
        Some(v) => {
            let items = split_addresses(v);
            if items.len() > 1 {
                problems.push(Problem::OneEmailOnly { value: v.to_string() });
                None
            } else {
                match EmailAddress::parse(items.first().map(String::as_str).unwrap_or(v)) {
                    Ok(a) => Some(a),
                    Err(_) => {
                        problems.push(Problem::BadEmail { field: Field::CustomerEmail, value: v.to_string() });
                        None
                    }
                }
            }
        }
    };

    let account_domain = match raw.get(Field::AccountDomain) {
        None => {
            problems.push(Problem::Missing(Field::AccountDomain));
            None
        }
        Some(v) => match AccountDomain::parse(v) {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(Problem::BadDomain { value: v.to_string() });
                None
            }
        },
    };

    let partner_company = match raw.get(Field::PartnerCompany) {
        None => None,
        Some(v) => {
            let name: String =
                crate::domain::strip_controls(&v.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned();
            let len = name.chars().count();
            if len > MAX_NAME {
                problems.push(Problem::TooLong { field: Field::PartnerCompany, max: MAX_NAME, len });
                None
            } else {
                Some(name).filter(|n| !n.is_empty())
            }
        }
    };
    let mut note = |field: Field| {
        let v = raw.get(field)?;
        let len = v.chars().count();
        if len > MAX_NOTE {
            problems.push(Problem::TooLong { field, max: MAX_NOTE, len });
            return None;
        }
        // ESC, NUL, BEL… would reach the customer's email and the operator's terminal.
        Some(crate::domain::strip_controls(v).into_owned())
    };
    let note_to_customer = note(Field::NoteToCustomer);
    let note_to_users = note(Field::NoteToUsers);

    let mut user_emails: Vec<EmailAddress> = Vec::new();
    if let Some(v) = raw.get(Field::UserEmails) {
        let mut seen = std::collections::HashSet::new();
        let mut bad = 0;
        let items = split_addresses(v);
        for item in &items {
            match EmailAddress::parse(item) {
                Ok(a) => {
                    // `victim+0@…`, `victim+1@…` are one mailbox: one user.
                    if seen.insert(a.mailbox()) {
                        user_emails.push(a);
                    }
                }
                // A few bad addresses are named; a flood of them is summed up.
                Err(_) if bad < MAX_NAMED_PROBLEMS => {
                    bad += 1;
                    problems.push(Problem::BadEmail { field: Field::UserEmails, value: item.clone() });
                }
                Err(_) => bad += 1,
            }
            if user_emails.len() > MAX_USERS && bad >= MAX_NAMED_PROBLEMS {
                break;
            }
        }
        if bad > MAX_NAMED_PROBLEMS {
            problems.push(Problem::MoreBadEmails { count: bad - MAX_NAMED_PROBLEMS });
        }
        if user_emails.len() > MAX_USERS {
            problems.push(Problem::TooManyUsers { count: items.len() });
        }
    }

    match (account_name, customer_email, account_domain) {
        (Some(account_name), Some(customer_email), Some(account_domain)) if problems.is_empty() => Ok(RequestForm {
            partner_company,
            account_name,
            customer_email,
            account_domain,
            note_to_customer,
            user_emails,
            note_to_users,
            locale,
        }),
        _ => {
            problems.sort_by_key(Problem::field);
            Err(problems)
        }
    }
}

/// Splits a list of addresses on commas, semicolons, spaces and lines, keeping
/// `Name <addr>` items whole (only the address is kept).
pub fn split_addresses(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in v.split([',', ';', '\n']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        if let (Some(l), Some(r)) = (item.find('<'), item.rfind('>'))
            && l < r
        {
            // "Jane Doe <jane@x>", and Outlook's "jane@x<mailto:jane@x>"
            let before = item[..l].trim();
            let inner = item[l + 1..r].trim().trim_start_matches("mailto:");
            out.push(if before.contains('@') { before } else { inner }.to_string());
            continue;
        }
        out.extend(
            item.split_whitespace()
                .map(|s| s.trim_matches(['"', '\'', '(', ')']).to_string())
                .filter(|s| !s.is_empty()),
        );
    }
    out
}

/// True when the folded subject asks for help (`help` / `aide`).
pub fn is_help_subject(subject: &str) -> bool {
    let s = fold(subject);
    let s = s
        .trim()
        .trim_start_matches("re:")
        .trim_start_matches("fwd:")
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric());
    matches!(s, "help" | "aide" | "?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_and_zero_width_characters_are_removed_from_every_field() {
        let f = scan(
            "Account name: Acme\u{202e}gnp.exe\u{202c} Corp\u{200b}\nCustomer email: ja\u{200d}ne@customer.test\nAccount domain: ac\u{200b}me.example\u{feff}\nNote to customer: please\u{2066} accept\u{2069}\nUser emails: u\u{2060}@c.test\nNote to users: hi\u{00ad}\nPartner company: Re\u{200f}seller\n",
        );
        let v = validate(&f, Locale::En).unwrap();
        assert_eq!(v.account_name, "Acmegnp.exe Corp");
        assert_eq!(v.customer_email.as_str(), "jane@customer.test");
        assert_eq!(v.account_domain.as_str(), "acme.example");
        assert_eq!(v.note_to_customer.as_deref(), Some("please accept"));
        assert_eq!(v.user_emails[0].as_str(), "u@c.test");
        assert_eq!(v.note_to_users.as_deref(), Some("hi"));
        assert_eq!(v.partner_company.as_deref(), Some("Reseller"));
    }

    #[test]
    fn reads_an_english_form_with_continuations() {
        let f = scan(
            "Hello,\n\nAccount name: Acme  Corp\nCustomer email: Jane@Customer.test\nAccount domain: Acme.Example\nUser emails: a@c.test,\n  b@c.test; A@c.test\nNote to customer: first line\nsecond line\n\nRegards\n",
        );
        let v = validate(&f, Locale::Fr).unwrap();
        assert_eq!(v.account_name, "Acme Corp");
        assert_eq!(v.customer_email.as_str(), "jane@customer.test");
        assert_eq!(v.account_domain.as_str(), "acme.example");
        assert_eq!(v.user_emails.len(), 2);
        assert_eq!(v.note_to_customer.as_deref(), Some("first line\nsecond line"));
        assert_eq!(v.locale, Locale::En);
    }

    #[test]
    fn reads_french_labels_with_typography_and_bullets() {
        let f = scan(
            "• Nom du compte\u{a0}: Société Générale\n- E-MAIL DU CLIENT = jean@client.test\n* Domaine du compte : sg.example\nRemarque a l’intention des utilisateurs ajoutes : Bienvenue\n",
        );
        let v = validate(&f, Locale::En).unwrap();
        assert_eq!(v.account_name, "Société Générale");
        assert_eq!(v.note_to_users.as_deref(), Some("Bienvenue"));
        assert_eq!(v.locale, Locale::Fr);
    }

    #[test]
    fn lists_every_problem() {
        let f =
            scan("Customer email: jane@\nAccount domain: not a domain\nUser emails: ok@c.test, bad@\nLanguage: de\n");
        let problems = validate(&f, Locale::En).unwrap_err();
        let fields: Vec<Field> = problems.iter().map(Problem::field).collect();
        assert_eq!(
            fields,
            vec![Field::AccountName, Field::CustomerEmail, Field::AccountDomain, Field::UserEmails, Field::Language]
        );
    }

    #[test]
    fn single_line_fields_do_not_swallow_the_next_line() {
        let f =
            scan("Account name: Evil\nBcc: victim@evil.test\nCustomer email: a@b.test\nAccount domain: e.example\n");
        assert_eq!(validate(&f, Locale::En).unwrap().account_name, "Evil");
    }

    #[test]
    fn outlook_mailto_addresses_are_read() {
        let f = scan(
            "Customer email: jane@c.test<mailto:jane@c.test>\nUser emails: Bob <bob@c.test>, x@c.test<mailto:x@c.test>\nAccount name: A\nAccount domain: a.example\n",
        );
        let v = validate(&f, Locale::En).unwrap();
        assert_eq!(v.customer_email.as_str(), "jane@c.test");
        assert_eq!(v.user_emails.iter().map(|a| a.as_str()).collect::<Vec<_>>(), vec!["bob@c.test", "x@c.test"]);
    }

    #[test]
    fn help_subjects() {
        assert!(is_help_subject("HELP"));
        assert!(is_help_subject("Re: aide"));
        assert!(!is_help_subject("Need help with account"));
    }
}
