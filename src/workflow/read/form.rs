//! The request form of SPEC §3: `Label: value` lines in either language, read then validated.
use std::collections::{BTreeMap, HashMap, HashSet};

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

    /// The label printed in the blank form and in answers: SPEC §3's, in each language.
    pub fn label(self, locale: Locale) -> &'static str {
        use Locale::*;
        match (self, locale) {
            (Field::AccountName, En) => "Account name",
            (Field::CustomerEmail, En) => "Customer email",
            (Field::AccountDomain, En) => "Account domain",
            (Field::NoteToCustomer, En) => "Note to customer",
            (Field::UserEmails, En) => "User emails",
            (Field::NoteToUsers, En) => "Note to users",
            (Field::Language, En) => "Language",
            (Field::PartnerCompany, En) => "Partner company",
            (Field::AccountName, Fr) => "Nom du compte",
            (Field::CustomerEmail, Fr) => "E-mail du client",
            (Field::AccountDomain, Fr) => "Domaine du compte",
            (Field::NoteToCustomer, Fr) => "Note au client",
            (Field::UserEmails, Fr) => "E-mails des utilisateurs",
            (Field::NoteToUsers, Fr) => "Remarque à l'intention des utilisateurs ajoutés",
            (Field::Language, Fr) => "Langue",
            (Field::PartnerCompany, Fr) => "Société du partenaire",
            (Field::AccountName, De) => "Kontoname",
            (Field::CustomerEmail, De) => "E-Mail des Kunden",
            (Field::AccountDomain, De) => "Kontodomäne",
            (Field::NoteToCustomer, De) => "Hinweis für den Kunden",
            (Field::UserEmails, De) => "E-Mails der Benutzer",
            (Field::NoteToUsers, De) => "Hinweis für die Benutzer",
            (Field::Language, De) => "Sprache",
            (Field::PartnerCompany, De) => "Partnerunternehmen",
            (Field::AccountName, Es) => "Nombre de la cuenta",
            (Field::CustomerEmail, Es) => "Correo electrónico del cliente",
            (Field::AccountDomain, Es) => "Dominio de la cuenta",
            (Field::NoteToCustomer, Es) => "Nota para el cliente",
            (Field::UserEmails, Es) => "Correos electrónicos de los usuarios",
            (Field::NoteToUsers, Es) => "Nota para los usuarios",
            (Field::Language, Es) => "Idioma",
            (Field::PartnerCompany, Es) => "Empresa del socio",
            (Field::AccountName, It) => "Nome dell'account",
            (Field::CustomerEmail, It) => "E-mail del cliente",
            (Field::AccountDomain, It) => "Dominio dell'account",
            (Field::NoteToCustomer, It) => "Nota per il cliente",
            (Field::UserEmails, It) => "E-mail degli utenti",
            (Field::NoteToUsers, It) => "Nota per gli utenti",
            (Field::Language, It) => "Lingua",
            (Field::PartnerCompany, It) => "Azienda del partner",
            (Field::AccountName, Pt) => "Nome da conta",
            (Field::CustomerEmail, Pt) => "E-mail do cliente",
            (Field::AccountDomain, Pt) => "Domínio da conta",
            (Field::NoteToCustomer, Pt) => "Nota para o cliente",
            (Field::UserEmails, Pt) => "E-mails dos usuários",
            (Field::NoteToUsers, Pt) => "Nota para os usuários",
            (Field::Language, Pt) => "Idioma",
            (Field::PartnerCompany, Pt) => "Empresa do parceiro",
            (Field::AccountName, Ja) => "アカウント名",
            (Field::CustomerEmail, Ja) => "顧客のメールアドレス",
            (Field::AccountDomain, Ja) => "アカウントドメイン",
            (Field::NoteToCustomer, Ja) => "顧客へのメモ",
            (Field::UserEmails, Ja) => "ユーザーのメールアドレス",
            (Field::NoteToUsers, Ja) => "ユーザーへのメモ",
            (Field::Language, Ja) => "言語",
            (Field::PartnerCompany, Ja) => "パートナー企業",
            (Field::AccountName, Zh) => "帐户名称",
            (Field::CustomerEmail, Zh) => "客户电子邮件",
            (Field::AccountDomain, Zh) => "帐户域",
            (Field::NoteToCustomer, Zh) => "给客户的备注",
            (Field::UserEmails, Zh) => "用户电子邮件",
            (Field::NoteToUsers, Zh) => "给用户的备注",
            (Field::Language, Zh) => "语言",
            (Field::PartnerCompany, Zh) => "合作伙伴公司",
        }
    }

    /// Values that may run over several lines.
    fn multiline(self) -> bool {
        matches!(self, Field::NoteToCustomer | Field::UserEmails | Field::NoteToUsers)
    }
}

/// Labels as `squash` leaves them (letters and digits only, folded), with
/// the languages they are written in: SPEC §3's, then the spellings people
/// also use (German without umlauts, Simplified Chinese's 账户 beside 帐户…).
/// `Idioma` is Spanish and Portuguese, `E-mail del cliente` Italian and
/// Spanish: such a label counts for each, and the other labels decide.
const LABELS: &[(&str, Field, &[Locale])] = {
    use Field::*;
    use Locale::*;
    &[
        ("accountname", AccountName, &[En]),
        ("smartaccountname", AccountName, &[En]),
        ("customeremail", CustomerEmail, &[En]),
        ("customeremailaddress", CustomerEmail, &[En]),
        ("accountdomain", AccountDomain, &[En]),
        ("notetocustomer", NoteToCustomer, &[En]),
        ("notetothecustomer", NoteToCustomer, &[En]),
        ("useremails", UserEmails, &[En]),
        ("useremail", UserEmails, &[En]),
        ("useremailaddresses", UserEmails, &[En]),
        ("notetousers", NoteToUsers, &[En]),
        ("notetotheusers", NoteToUsers, &[En]),
        ("language", Language, &[En]),
        ("partnercompany", PartnerCompany, &[En]),
        ("partnerorganization", PartnerCompany, &[En]),
        ("nomducompte", AccountName, &[Fr]),
        ("nomdecompte", AccountName, &[Fr]),
        ("emailduclient", CustomerEmail, &[Fr]),
        ("courrielduclient", CustomerEmail, &[Fr]),
        ("adresseemailduclient", CustomerEmail, &[Fr]),
        ("domaineducompte", AccountDomain, &[Fr]),
        ("noteauclient", NoteToCustomer, &[Fr]),
        ("emailsdelutilisateur", UserEmails, &[Fr]),
        ("emailsdesutilisateurs", UserEmails, &[Fr]),
        ("emaildelutilisateur", UserEmails, &[Fr]),
        ("emaildesutilisateurs", UserEmails, &[Fr]),
        ("courrielsdesutilisateurs", UserEmails, &[Fr]),
        ("remarquealintentiondesutilisateursajoutes", NoteToUsers, &[Fr]),
        ("remarquealintentiondesutilisateurs", NoteToUsers, &[Fr]),
        ("noteauxutilisateurs", NoteToUsers, &[Fr]),
        ("langue", Language, &[Fr]),
        ("societedupartenaire", PartnerCompany, &[Fr]),
        ("entreprisedupartenaire", PartnerCompany, &[Fr]),
        // German
        ("kontoname", AccountName, &[De]),
        ("namedeskontos", AccountName, &[De]),
        ("emaildeskunden", CustomerEmail, &[De]),
        ("emailadressedeskunden", CustomerEmail, &[De]),
        ("kundenemail", CustomerEmail, &[De]),
        ("kundenemailadresse", CustomerEmail, &[De]),
        ("kontodomane", AccountDomain, &[De]),
        ("kontodomaene", AccountDomain, &[De]),
        ("kontodomain", AccountDomain, &[De]),
        ("domanedeskontos", AccountDomain, &[De]),
        ("domaenedeskontos", AccountDomain, &[De]),
        ("domaindeskontos", AccountDomain, &[De]),
        ("hinweisfurdenkunden", NoteToCustomer, &[De]),
        ("hinweisfuerdenkunden", NoteToCustomer, &[De]),
        ("hinweisandenkunden", NoteToCustomer, &[De]),
        ("notizfurdenkunden", NoteToCustomer, &[De]),
        ("notizfuerdenkunden", NoteToCustomer, &[De]),
        ("emailsderbenutzer", UserEmails, &[De]),
        ("emailadressenderbenutzer", UserEmails, &[De]),
        ("benutzeremails", UserEmails, &[De]),
        ("benutzeremailadressen", UserEmails, &[De]),
        ("hinweisfurdiebenutzer", NoteToUsers, &[De]),
        ("hinweisfuerdiebenutzer", NoteToUsers, &[De]),
        ("hinweisandiebenutzer", NoteToUsers, &[De]),
        ("notizfurdiebenutzer", NoteToUsers, &[De]),
        ("notizfuerdiebenutzer", NoteToUsers, &[De]),
        ("sprache", Language, &[De]),
        ("partnerunternehmen", PartnerCompany, &[De]),
        ("firmadespartners", PartnerCompany, &[De]),
        ("unternehmendespartners", PartnerCompany, &[De]),
        // Spanish
        ("nombredelacuenta", AccountName, &[Es]),
        ("nombredecuenta", AccountName, &[Es]),
        ("correoelectronicodelcliente", CustomerEmail, &[Es]),
        ("correodelcliente", CustomerEmail, &[Es]),
        ("emaildelcliente", CustomerEmail, &[It, Es]),
        ("dominiodelacuenta", AccountDomain, &[Es]),
        ("notaparaelcliente", NoteToCustomer, &[Es]),
        ("notaalcliente", NoteToCustomer, &[Es, It]),
        ("correoselectronicosdelosusuarios", UserEmails, &[Es]),
        ("correoelectronicodelosusuarios", UserEmails, &[Es]),
        ("correosdelosusuarios", UserEmails, &[Es]),
        ("notaparalosusuarios", NoteToUsers, &[Es]),
        ("idioma", Language, &[Es, Pt]),
        ("empresadelsocio", PartnerCompany, &[Es]),
        ("empresadelpartner", PartnerCompany, &[Es]),
        // Italian
        ("nomedellaccount", AccountName, &[It]),
        ("nomeaccount", AccountName, &[It]),
        ("indirizzoemaildelcliente", CustomerEmail, &[It]),
        ("dominiodellaccount", AccountDomain, &[It]),
        ("notaperilcliente", NoteToCustomer, &[It]),
        ("emaildegliutenti", UserEmails, &[It]),
        ("indirizziemaildegliutenti", UserEmails, &[It]),
        ("notapergliutenti", NoteToUsers, &[It]),
        ("lingua", Language, &[It]),
        ("aziendadelpartner", PartnerCompany, &[It]),
        ("societadelpartner", PartnerCompany, &[It]),
        // Portuguese
        ("nomedaconta", AccountName, &[Pt]),
        ("emaildocliente", CustomerEmail, &[Pt]),
        ("enderecodeemaildocliente", CustomerEmail, &[Pt]),
        ("dominiodaconta", AccountDomain, &[Pt]),
        ("notaparaocliente", NoteToCustomer, &[Pt]),
        ("notaaocliente", NoteToCustomer, &[Pt]),
        ("emailsdosusuarios", UserEmails, &[Pt]),
        ("emaildosusuarios", UserEmails, &[Pt]),
        ("emailsdosutilizadores", UserEmails, &[Pt]),
        ("notaparaosusuarios", NoteToUsers, &[Pt]),
        ("notaparaosutilizadores", NoteToUsers, &[Pt]),
        ("empresadoparceiro", PartnerCompany, &[Pt]),
        ("empresaparceira", PartnerCompany, &[Pt]),
        // Japanese
        ("アカウント名", AccountName, &[Ja]),
        ("顧客のメールアドレス", CustomerEmail, &[Ja]),
        ("顧客メールアドレス", CustomerEmail, &[Ja]),
        ("お客様のメールアドレス", CustomerEmail, &[Ja]),
        ("顧客のメール", CustomerEmail, &[Ja]),
        ("アカウントドメイン", AccountDomain, &[Ja]),
        ("アカウントのドメイン", AccountDomain, &[Ja]),
        ("顧客へのメモ", NoteToCustomer, &[Ja]),
        ("お客様へのメモ", NoteToCustomer, &[Ja]),
        ("ユーザーのメールアドレス", UserEmails, &[Ja]),
        ("ユーザのメールアドレス", UserEmails, &[Ja]),
        ("ユーザーメールアドレス", UserEmails, &[Ja]),
        ("ユーザーへのメモ", NoteToUsers, &[Ja]),
        ("ユーザへのメモ", NoteToUsers, &[Ja]),
        ("言語", Language, &[Ja]),
        ("パートナー企業", PartnerCompany, &[Ja]),
        ("パートナー企業名", PartnerCompany, &[Ja]),
        ("パートナー会社", PartnerCompany, &[Ja]),
        // Chinese (帐户 as SPEC §3 writes it, 账户 and 账号 as most people do)
        ("帐户名称", AccountName, &[Zh]),
        ("账户名称", AccountName, &[Zh]),
        ("帐号名称", AccountName, &[Zh]),
        ("账号名称", AccountName, &[Zh]),
        ("客户电子邮件", CustomerEmail, &[Zh]),
        ("客户电子邮件地址", CustomerEmail, &[Zh]),
        ("客户电子邮箱", CustomerEmail, &[Zh]),
        ("客户邮箱", CustomerEmail, &[Zh]),
        ("帐户域", AccountDomain, &[Zh]),
        ("账户域", AccountDomain, &[Zh]),
        ("帐户域名", AccountDomain, &[Zh]),
        ("账户域名", AccountDomain, &[Zh]),
        ("给客户的备注", NoteToCustomer, &[Zh]),
        ("客户备注", NoteToCustomer, &[Zh]),
        ("用户电子邮件", UserEmails, &[Zh]),
        ("用户电子邮件地址", UserEmails, &[Zh]),
        ("用户邮箱", UserEmails, &[Zh]),
        ("给用户的备注", NoteToUsers, &[Zh]),
        ("用户备注", NoteToUsers, &[Zh]),
        ("语言", Language, &[Zh]),
        ("合作伙伴公司", PartnerCompany, &[Zh]),
    ]
};

pub const MAX_NAME: usize = 100;
pub const MAX_NOTE: usize = 2000;
pub const MAX_USERS: usize = 100;
/// Bad addresses named one by one in an answer; the rest are counted.
pub const MAX_NAMED_PROBLEMS: usize = 10;

/// What the form said, before any rule is applied.
#[derive(Debug, Clone, Default)]
pub struct RawForm {
    pub values: HashMap<Field, String>,
    /// How many different fields were labelled in each language.
    pub labels: BTreeMap<Locale, usize>,
}

impl RawForm {
    /// Whether the message held any form label at all.
    pub fn is_empty(&self) -> bool {
        self.labels.values().all(|n| *n == 0)
    }

    pub fn get(&self, f: Field) -> Option<&str> {
        self.values.get(&f).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// The language of the labels used (the one with most fields; on a tie
    /// English, then French, then the order of `Locale::ALL`), if any were.
    pub fn label_locale(&self) -> Option<Locale> {
        let best = self.labels.values().copied().max().filter(|n| *n > 0)?;
        Locale::ALL.into_iter().find(|l| self.labels.get(l) == Some(&best))
    }
}

/// `Label: value`, `Label = value`, and the full-width `ラベル：値` of Japanese and Chinese input.
fn label_of(line: &str) -> Option<(Field, &'static [Locale], &str)> {
    let (sep, c) = line.char_indices().find(|(_, c)| matches!(c, ':' | '=' | '：' | '＝'))?;
    let (label, value) = (&line[..sep], &line[sep + c.len_utf8()..]);
    if label.chars().count() > 60 {
        return None;
    }
    let key = squash(label);
    LABELS.iter().find(|(l, _, _)| *l == key).map(|(_, f, locales)| (*f, *locales, value.trim()))
}

/// The field a label names (as it stands before its colon), and its languages.
pub fn read_label(label: &str) -> Option<(Field, &'static [Locale])> {
    label_of(&format!("{label}:")).map(|(f, locales, _)| (f, locales))
}

/// Strips quote marks (`>`), bullets and spaces from the start of a line.
fn unbullet(line: &str) -> &str {
    let mut s = line.trim_start();
    loop {
        let t = s.trim_start_matches([
            '>', '-', '*', '•', '·', '–', '・', '●', '■', '◆', '○', '\u{a0}', '\u{3000}', ' ', '\t',
        ]);
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
    let mut seen: HashSet<(Locale, Field)> = HashSet::new();
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
        if let Some((field, locales, value)) = label_of(line) {
            finish(&mut form, current.take());
            seen.extend(locales.iter().map(|l| (*l, field)));
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
    for (locale, _) in seen {
        *form.labels.entry(locale).or_default() += 1;
    }
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

/// Splits a list of addresses on commas, semicolons, spaces and lines (the
/// full-width and ideographic ones of Japanese and Chinese input too: `、`,
/// `，`, `；`), keeping `Name <addr>` items whole (only the address is kept).
pub fn split_addresses(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in v.split([',', ';', '\n', '、', '，', '；']) {
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

/// The word a subject that asks for the blank form holds, without the
/// reply and forward prefixes clients add in each language.
fn help_word(subject: &str) -> String {
    let mut s = fold(subject);
    loop {
        let t = s.trim_start();
        // Re:, Fwd:, AW:/WG: (German Outlook), RV: (Spanish), R:/I: (Italian),
        // RES:/ENC: (Portuguese), 回复：/转发： (Chinese, `：` folded to `:`).
        let stripped =
            ["re:", "fwd:", "fw:", "tr:", "aw:", "wg:", "rv:", "r:", "i:", "res:", "enc:", "回复:", "答复:", "转发:"]
                .iter()
                .find_map(|p| t.strip_prefix(p));
        match stripped {
            Some(rest) => s = rest.to_string(),
            None => break,
        }
    }
    s.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// True when the folded subject asks for help (`help` / `aide`, and the word in each language).
pub fn is_help_subject(subject: &str) -> bool {
    help_word(subject) == "help" || help_language(subject).is_some()
}

/// The language a help subject is written in, when its word tells
/// (`help` and `?` tell nothing: everyone writes them).
pub fn help_language(subject: &str) -> Option<Locale> {
    Some(match help_word(subject).as_str() {
        "aide" => Locale::Fr,
        "hilfe" => Locale::De,
        "ayuda" => Locale::Es,
        "aiuto" => Locale::It,
        "ajuda" => Locale::Pt,
        "ヘルプ" | "へるぷ" => Locale::Ja,
        "帮助" | "求助" => Locale::Zh,
        _ => return None,
    })
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
            scan("Customer email: jane@\nAccount domain: not a domain\nUser emails: ok@c.test, bad@\nLanguage: ko\n");
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
    fn addresses_are_parted_by_the_separators_of_every_language() {
        assert_eq!(
            split_addresses("a@c.test、b@c.test，c@c.test；d@c.test\u{3000}e@c.test"),
            ["a@c.test", "b@c.test", "c@c.test", "d@c.test", "e@c.test"]
        );
    }

    #[test]
    fn help_subjects() {
        assert!(is_help_subject("HELP"));
        assert!(is_help_subject("Re: aide"));
        assert!(!is_help_subject("Need help with account"));
        for (subject, locale) in [
            ("Hilfe", Locale::De),
            ("AW: hilfe", Locale::De),
            ("Ayuda", Locale::Es),
            ("aiuto", Locale::It),
            ("Ajuda", Locale::Pt),
            ("ヘルプ", Locale::Ja),
            ("帮助", Locale::Zh),
            ("回复：帮助", Locale::Zh),
            ("Aide", Locale::Fr),
        ] {
            assert!(is_help_subject(subject), "{subject}");
            assert_eq!(help_language(subject), Some(locale), "{subject}");
        }
        assert_eq!(help_language("help"), None);
    }

    /// SPEC §3's third-release table, word for word: the contract.
    const SPEC_LABELS: [(Locale, [&str; 7]); 6] = [
        (
            Locale::De,
            [
                "Kontoname",
                "E-Mail des Kunden",
                "Kontodomäne",
                "Hinweis für den Kunden",
                "E-Mails der Benutzer",
                "Hinweis für die Benutzer",
                "Sprache",
            ],
        ),
        (
            Locale::Es,
            [
                "Nombre de la cuenta",
                "Correo electrónico del cliente",
                "Dominio de la cuenta",
                "Nota para el cliente",
                "Correos electrónicos de los usuarios",
                "Nota para los usuarios",
                "Idioma",
            ],
        ),
        (
            Locale::It,
            [
                "Nome dell'account",
                "E-mail del cliente",
                "Dominio dell'account",
                "Nota per il cliente",
                "E-mail degli utenti",
                "Nota per gli utenti",
                "Lingua",
            ],
        ),
        (
            Locale::Pt,
            [
                "Nome da conta",
                "E-mail do cliente",
                "Domínio da conta",
                "Nota para o cliente",
                "E-mails dos usuários",
                "Nota para os usuários",
                "Idioma",
            ],
        ),
        (
            Locale::Ja,
            [
                "アカウント名",
                "顧客のメールアドレス",
                "アカウントドメイン",
                "顧客へのメモ",
                "ユーザーのメールアドレス",
                "ユーザーへのメモ",
                "言語",
            ],
        ),
        (Locale::Zh, ["帐户名称", "客户电子邮件", "帐户域", "给客户的备注", "用户电子邮件", "给用户的备注", "语言"]),
    ];

    fn spec_form(labels: &[&str; 7], colon: &str, language: &str) -> String {
        let values = [
            "Acme GmbH",
            "jane@customer.test",
            "acme.example",
            "Bitte annehmen",
            "u1@customer.test, u2@customer.test",
            "Willkommen",
            language,
        ];
        labels.iter().zip(values).map(|(l, v)| format!("{l}{colon} {v}\n")).collect()
    }

    #[test]
    fn the_third_release_labels_of_spec_section_3_are_read_in_each_language() {
        for (locale, labels) in SPEC_LABELS {
            let v = validate(&scan(&spec_form(&labels, ":", locale.as_str())), Locale::En)
                .unwrap_or_else(|p| panic!("{locale}: {p:?}"));
            assert_eq!(v.account_name, "Acme GmbH", "{locale}");
            assert_eq!(v.customer_email.as_str(), "jane@customer.test", "{locale}");
            assert_eq!(v.account_domain.as_str(), "acme.example", "{locale}");
            assert_eq!(v.note_to_customer.as_deref(), Some("Bitte annehmen"), "{locale}");
            assert_eq!(v.user_emails.len(), 2, "{locale}");
            assert_eq!(v.note_to_users.as_deref(), Some("Willkommen"), "{locale}");
            assert_eq!(v.locale, locale);
        }
    }

    #[test]
    fn a_form_without_a_language_is_in_the_language_of_its_labels() {
        for (locale, labels) in SPEC_LABELS {
            let six: [&str; 7] = std::array::from_fn(|i| if i == 6 { "Partner company" } else { labels[i] });
            let f = scan(&spec_form(&six, ":", "Reseller"));
            assert_eq!(f.label_locale(), Some(locale), "{locale}");
            assert_eq!(validate(&f, Locale::En).unwrap().locale, locale);
        }
    }

    #[test]
    fn the_language_field_names_the_language_whatever_the_labels() {
        for (value, want) in [("de", Locale::De), ("pt-BR", Locale::Pt), ("日本語", Locale::Ja), ("zh", Locale::Zh)]
        {
            let f = scan(&format!(
                "Account name: A\nCustomer email: c@c.test\nAccount domain: a.example\nLanguage: {value}\n"
            ));
            assert_eq!(validate(&f, Locale::En).unwrap().locale, want, "{value}");
        }
        let f = scan("Kontoname: A\nE-Mail des Kunden: c@c.test\nKontodomäne: a.example\nSprache: ko\n");
        assert_eq!(validate(&f, Locale::En).unwrap_err(), vec![Problem::BadLanguage { value: "ko".into() }]);
    }

    #[test]
    fn labels_are_read_without_accents_with_full_width_colons_and_japanese_bullets() {
        let de = scan(
            "* KONTONAME = A\n- e-mail des kunden: c@c.test\nKontodomaene: a.example\nHinweis fuer den Kunden: x\n",
        );
        let v = validate(&de, Locale::En).unwrap();
        assert_eq!((v.locale, v.note_to_customer.as_deref()), (Locale::De, Some("x")));
        let pt = scan(
            "Dominio da conta: a.example\nE-mail do cliente: c@c.test\nNome da conta: A\nNota para os usuarios: y\n",
        );
        assert_eq!(validate(&pt, Locale::En).unwrap().locale, Locale::Pt);
        let ja = scan(
            "・アカウント名：株式会社サンプル\n・顧客のメールアドレス：c@c.test\n・アカウントドメイン：sample.example\n",
        );
        let v = validate(&ja, Locale::En).unwrap();
        assert_eq!((v.locale, v.account_name.as_str()), (Locale::Ja, "株式会社サンプル"));
        let zh = scan("账户名称：示例公司\n客户电子邮件： c@c.test\n帐户域＝sample.example\n");
        let v = validate(&zh, Locale::En).unwrap();
        assert_eq!((v.locale, v.account_domain.as_str()), (Locale::Zh, "sample.example"));
    }

    #[test]
    fn a_label_two_languages_share_counts_for_both_and_the_others_decide() {
        // `Idioma` is Spanish and Portuguese; `E-mail del cliente` Italian and Spanish.
        let f = scan("Idioma: \nNome da conta: A\n");
        assert_eq!(f.label_locale(), Some(Locale::Pt));
        let f = scan("E-mail del cliente: c@c.test\nNombre de la cuenta: A\n");
        assert_eq!(f.label_locale(), Some(Locale::Es));
        let f = scan("E-mail del cliente: c@c.test\nNome dell'account: A\n");
        assert_eq!(f.label_locale(), Some(Locale::It));
    }

    #[test]
    fn every_label_the_desk_prints_is_read_back_as_its_field_and_language() {
        for locale in Locale::ALL {
            for field in Field::ALL {
                let (f, locales, _) = label_of(&format!("{}: x", field.label(locale))).expect("a known label");
                assert_eq!(f, field, "{locale} {field:?}");
                assert!(locales.contains(&locale), "{locale} {field:?}");
            }
        }
    }
}
