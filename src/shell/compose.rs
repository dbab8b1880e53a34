//! Turns an `EmailPlan` into a finished RFC 5322 message: template context, headers, reply key, VERP sender.
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use serde::Serialize;

use crate::configuration::Settings;
use crate::domain::{EmailAddress, Key, Locale};
use crate::email::{CancelledBy, Content, EmailPlan, Kind, Origin};
use crate::i18n;
use crate::read::automatic::LOOP_HEADER;
use crate::read::form::{Own, Problem as FormProblem};
use crate::request::Request;
use crate::shell::catalogs::{Arg, Catalogs};
use crate::templates::{TemplateError, Templates};

/// Why an email could not be composed.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("cannot address an email to {address}: {message}")]
    Address { address: String, message: String },
    #[error("cannot build the {kind} email: {message}")]
    Build { kind: Kind, message: String },
    #[error("cannot render a queued email: {0}")]
    Deferred(String),
}

/// A rendered email ready for the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: Kind,
    pub to: EmailAddress,
    /// Without angle brackets; always under the desk's domain.
    pub message_id: String,
    /// The VERP envelope sender, `desk+bounce-<id>@domain`.
    pub envelope_from: EmailAddress,
    pub bounce_id: String,
    pub subject: String,
    pub raw: Vec<u8>,
    /// The reply key this email hands out (its hash is stored with the request).
    pub key: Option<Key>,
    /// Whether the email is about the decision's request (and so belongs to its history and outbox links).
    pub about_request: bool,
    /// That request's id when it already existed.
    pub request_id: Option<i64>,
    /// A deferred email (the sweep's): what to render at send time; `raw` is then empty.
    pub deferred: Option<Deferred>,
}

/// What a deferred email will say: its kind, reader, language and the values
/// beside its request (loaded at send time by the outbox row's request id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Deferred {
    pub kind: String,
    pub to: String,
    pub locale: String,
    /// `Reminder`'s whole days left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
}

#[derive(Serialize)]
struct Context<'a> {
    /// The email's language: the code the helpers write in, and the tag of `<html lang>`.
    lang: &'static str,
    lang_tag: &'static str,
    /// The command words in the email's language, and in the other one it names beside them
    /// (French for English, English for the others).
    words: Words,
    alt_words: Words,
    /// The codes a form's `Language` may take, as a list to read ("en, fr, de, …").
    language_codes: String,
    /// `form_help`: its languages, the email's own first.
    sections: Option<Vec<Section>>,
    desk: Desk<'a>,
    support_url: &'a str,
    reference: Option<String>,
    reply_address: Option<String>,
    request: Option<RequestContext>,
    problems: Vec<Problem>,
    reason: Option<&'a str>,
    step: Option<&'a str>,
    sender: Option<&'a str>,
    recipient: &'a str,
    days_left: Option<i64>,
    bounce_detail: Option<&'a str>,
    limit: Option<u32>,
    sign_in_url: Option<&'a str>,
    mailto: Option<Mailto>,
    /// `cancelled` by an operator (not the partner's CANCEL), and their reason if given.
    by_operator: Option<bool>,
    operator_reason: Option<&'a str>,
}

#[derive(Serialize)]
struct Desk<'a> {
    name: &'a str,
    address: &'a str,
    /// Who the desk speaks for (`mailbox.organization`), if set.
    organization: Option<&'a str>,
    /// A human to ask (`workflow.contact`), if set.
    contact: Option<&'a str>,
    /// The organization, else the desk's name: "a person at …".
    speaks_for: &'a str,
}

/// `mailto:` links that open a reply with the reply address, the subject and the command word filled in.
#[derive(Serialize)]
struct Mailto {
    accept: String,
    decline: String,
    submit: String,
    cancel: String,
}

#[derive(Serialize)]
struct Words {
    submit: &'static str,
    cancel: &'static str,
    accept: &'static str,
    decline: &'static str,
}

impl From<i18n::CommandWords> for Words {
    fn from(w: i18n::CommandWords) -> Words {
        Words { submit: w.submit, cancel: w.cancel, accept: w.accept, decline: w.decline }
    }
}

#[derive(Serialize)]
struct Section {
    lang: &'static str,
    lang_tag: &'static str,
}

/// One problem of a refused form, in the reader's language.
#[derive(Serialize)]
struct Problem {
    label: String,
    message: String,
}

#[derive(Serialize)]
struct RequestContext {
    /// The partner as a person reads them: "Name <address>", or the address.
    partner: String,
    /// The partner's organization: the form's `Partner company`, else their address's domain.
    partner_organization: String,
    partner_company: Option<String>,
    account_name: String,
    account_domain: String,
    customer_email: String,
    partner_email: String,
    user_emails: Vec<String>,
    note_to_customer: Option<String>,
    note_to_users: Option<String>,
    locale: &'static str,
    state: &'static str,
    state_label: &'static str,
    /// The deadline: its day, time of day and zone, as the email's language writes them.
    expires_on: Option<String>,
    acceptance_days: u32,
    review_days: u32,
}

pub struct Composer<'a> {
    pub settings: &'a Settings,
    pub templates: &'a Templates,
    /// The service's secret that reply keys are derived from.
    pub secret: &'a [u8],
}

impl Composer<'_> {
    pub fn compose(&self, plan: &EmailPlan, now: DateTime<Utc>) -> Result<Outgoing, ComposeError> {
        self.compose_as(plan, now, None)
    }

    /// `compose` with the Message-ID and bounce id given (a deferred email keeps
    /// those it was queued with: threads and bounces point at them).
    pub fn compose_as(
        &self,
        plan: &EmailPlan,
        now: DateTime<Utc>,
        ids: Option<(&str, &str)>,
    ) -> Result<Outgoing, ComposeError> {
        let s = self.settings;
        let desk = &s.mailbox.address;
        let kind = plan.kind();
        let request = plan.request();
        let key = match (plan.content.reply_step(), request) {
            (Some(step), Some(r)) => Some(Key::derive(self.secret, step, &r.reference)),
            (Some(step), None) => Some(Key::new(step)),
            (None, _) => None,
        };
        let reply_address = key.as_ref().map(|k| desk.with_tag(&k.tag()));
        let (message_id, bounce_id) = match ids {
            Some((m, b)) => (m.to_string(), b.to_string()),
            None => new_ids(key.as_ref(), desk),
        };
        let envelope_from = desk.with_tag(&format!("bounce-{bounce_id}"));

        let ctx = self.context(plan, reply_address.as_ref())?;
        let mut rendered = self.templates.render(kind, plan.locale, &ctx)?;
        // Wrapped once the values are in, so a long address never leaves a ragged paragraph.
        rendered.text = crate::shell::wrap::reflow(&rendered.text);

        let from = Mailbox::new(Some(s.mailbox.display_name.clone()), address(desk)?);
        let mut b = lettre::Message::builder()
            .from(from)
            .to(Mailbox::new(None, address(&plan.to)?))
            .subject(rendered.subject.clone())
            .message_id(Some(format!("<{message_id}>")))
            .date(SystemTime::from(now));
        if let Some(r) = &reply_address {
            b = b.reply_to(Mailbox::new(Some(s.mailbox.display_name.clone()), address(r)?));
        }
        if let Some(parent) = plan.in_reply_to.as_deref().filter(|id| safe_id(id)) {
            b = b.in_reply_to(format!("<{parent}>"));
            let refs: Vec<String> = plan.references.iter().filter(|r| safe_id(r)).map(|r| format!("<{r}>")).collect();
            if !refs.is_empty() {
                b = b.references(refs.join(" "));
            }
        }
        let auto = match plan.origin {
            Origin::Reply => "auto-replied",
            Origin::Sweep => "auto-generated",
        };
        for (name, value) in [
            ("Auto-Submitted", auto.to_string()),
            (LOOP_HEADER, desk.to_string()),
            ("X-Auto-Response-Suppress", "All".to_string()),
            ("Content-Language", plan.locale.tag().to_string()),
        ] {
            b = b.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii(name.to_string()).expect("static header name"),
                value,
            ));
        }
        let body = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(body(rendered.text)),
            )
            .singlepart(
                SinglePart::builder().header(lettre::message::header::ContentType::TEXT_HTML).body(body(rendered.html)),
            );
        let message = b.multipart(body).map_err(|e| ComposeError::Build { kind, message: e.to_string() })?;
        // Signed last, over the bytes the outbox keeps and SMTP sends unchanged.
        let raw = match &s.dkim {
            Some(signer) => signer.sign(&message.formatted(), now.timestamp()),
            None => message.formatted(),
        };

        Ok(Outgoing {
            kind,
            to: plan.to.clone(),
            message_id,
            envelope_from,
            bounce_id,
            subject: rendered.subject,
            raw,
            key,
            about_request: request.is_some(),
            request_id: request.and_then(|r| r.id),
            deferred: None,
        })
    }

    /// The sweep's notice queued as what was decided, to be rendered when sent:
    /// its ids and reply key are fixed now, its bytes at send time.
    pub fn defer(&self, plan: &EmailPlan) -> Outgoing {
        let desk = &self.settings.mailbox.address;
        let request = plan.request();
        let key = match (plan.content.reply_step(), request) {
            (Some(step), Some(r)) => Some(Key::derive(self.secret, step, &r.reference)),
            _ => None,
        };
        let (message_id, bounce_id) = new_ids(key.as_ref(), desk);
        let days_left = match &plan.content {
            Content::Reminder { days_left, .. } => Some(*days_left),
            _ => None,
        };
        Outgoing {
            kind: plan.kind(),
            to: plan.to.clone(),
            envelope_from: desk.with_tag(&format!("bounce-{bounce_id}")),
            message_id,
            bounce_id,
            subject: String::new(),
            raw: Vec::new(),
            key,
            about_request: request.is_some(),
            request_id: request.and_then(|r| r.id),
            deferred: Some(Deferred {
                kind: plan.kind().name().to_string(),
                to: plan.to.to_string(),
                locale: plan.locale.as_str().to_string(),
                days_left,
            }),
        }
    }

    /// The values a template receives for `plan` (docs/templates.md lists them per kind).
    fn context<'b>(
        &'b self,
        plan: &'b EmailPlan,
        reply_address: Option<&EmailAddress>,
    ) -> Result<Context<'b>, ComposeError> {
        let s = self.settings;
        let request = plan.request();
        let alt = if plan.locale == Locale::En { Locale::Fr } else { Locale::En };
        let mut ctx = Context {
            lang: plan.locale.as_str(),
            lang_tag: plan.locale.tag(),
            words: i18n::command_words(plan.locale).into(),
            alt_words: i18n::command_words(alt).into(),
            language_codes: Locale::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "),
            sections: None,
            desk: Desk {
                name: &s.mailbox.display_name,
                address: s.mailbox.address.as_str(),
                organization: s.mailbox.organization.as_deref(),
                contact: s.workflow.contact.as_deref(),
                speaks_for: s.mailbox.organization.as_deref().unwrap_or(&s.mailbox.display_name),
            },
            support_url: &s.workflow.support_url,
            reference: request.map(|r| r.reference.to_string()),
            reply_address: reply_address.map(ToString::to_string),
            request: request.map(|r| self.request_context(r, plan)),
            problems: Vec::new(),
            reason: None,
            step: None,
            sender: None,
            recipient: plan.to.as_str(),
            days_left: None,
            bounce_detail: None,
            limit: None,
            sign_in_url: s.workflow.sign_in_url.as_deref(),
            by_operator: None,
            operator_reason: None,
            mailto: reply_address.map(|a| {
                let subject = request.map_or_else(String::new, |r| format!("Re: [{}]", r.reference));
                let link = |word: &str| format!("mailto:{a}?subject={}&body={}", percent(&subject), percent(word));
                let w = i18n::command_words(plan.locale);
                Mailto {
                    accept: link(w.accept),
                    decline: link(w.decline),
                    submit: link(w.submit),
                    cancel: link(w.cancel),
                }
            }),
        };
        match &plan.content {
            Content::RequestInvalid { problems } => {
                let catalogs = self.templates.catalogs();
                ctx.problems = problems
                    .iter()
                    .map(|p| {
                        Ok(Problem {
                            label: catalogs.label(plan.locale, p.field())?,
                            message: problem_message(catalogs, plan.locale, p)?,
                        })
                    })
                    .collect::<Result<_, TemplateError>>()?;
            }
            Content::FormHelp { languages } => {
                ctx.sections =
                    Some(languages.iter().map(|l| Section { lang: l.as_str(), lang_tag: l.tag() }).collect());
            }
            Content::Reminder { days_left, .. } => ctx.days_left = Some(*days_left),
            Content::Undeliverable { bounce_detail, .. } => ctx.bounce_detail = Some(bounce_detail),
            Content::NotAuthorized { refusal, sender, .. } => {
                ctx.reason = Some(refusal.name());
                ctx.sender = Some(sender);
                ctx.limit = refusal.limit();
            }
            Content::UnmatchedReply { why, sender, step, unknown_reference, .. } => {
                if ctx.reference.is_none() {
                    ctx.reference = unknown_reference.as_ref().map(ToString::to_string);
                }
                ctx.reason = Some(why.name());
                ctx.sender = Some(sender);
                ctx.step = step.map(|st| st.name());
            }
            Content::Cancelled { by, .. } => {
                ctx.by_operator = Some(matches!(by, CancelledBy::Operator { .. }));
                if let CancelledBy::Operator { reason } = by {
                    ctx.operator_reason = reason.as_deref();
                }
            }
            _ => {}
        }
        Ok(ctx)
    }

    fn request_context(&self, r: &Request, plan: &EmailPlan) -> RequestContext {
        let w = &self.settings.workflow;
        RequestContext {
            account_name: r.account_name.clone(),
            account_domain: r.account_domain.for_people(),
            customer_email: r.customer_email.to_string(),
            partner_email: r.partner_email.to_string(),
            partner: match &r.partner_name {
                Some(name) => format!("{name} <{}>", r.partner_email),
                None => r.partner_email.to_string(),
            },
            partner_organization: r.partner_company.clone().unwrap_or_else(|| r.partner_email.domain().to_string()),
            partner_company: r.partner_company.clone(),
            user_emails: r.user_emails.iter().map(ToString::to_string).collect(),
            note_to_customer: r.note_to_customer.clone(),
            note_to_users: r.note_to_users.clone(),
            locale: r.locale.as_str(),
            state: r.state.as_str(),
            state_label: i18n::state_label(r.state, plan.locale),
            expires_on: r.expires_at.map(|t| i18n::date_time(t, plan.locale)),
            acceptance_days: w.acceptance_days,
            review_days: w.review_days,
        }
    }
}

/// A refused form's problem as the catalog of `locale` says it; values a sender wrote are shortened.
fn problem_message(catalogs: &Catalogs, locale: Locale, p: &FormProblem) -> Result<String, TemplateError> {
    let text = |s: &str| Arg::Text(i18n::clip(s));
    let number = |n: usize| Arg::Number(n as f64);
    let codes = || Arg::Text(Locale::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "));
    let (id, args): (&str, Vec<(&str, Arg)>) = match p {
        FormProblem::Missing(_) => ("problem-missing", vec![]),
        FormProblem::TooLong { max, len, .. } => {
            ("problem-too-long", vec![("len", number(*len)), ("max", number(*max))])
        }
        FormProblem::BadEmail { value, .. } => ("problem-bad-email", vec![("value", text(value))]),
        FormProblem::OneEmailOnly { value } => ("problem-one-email-only", vec![("value", text(value))]),
        FormProblem::BadDomain { value } => ("problem-bad-domain", vec![("value", text(value))]),
        FormProblem::TooManyUsers { count } => {
            ("problem-too-many-users", vec![("count", number(*count)), ("max", number(crate::read::form::MAX_USERS))])
        }
        FormProblem::MoreBadEmails { count } => ("problem-more-bad-emails", vec![("count", number(*count))]),
        FormProblem::BadLanguage { value } => {
            ("problem-bad-language", vec![("value", text(value)), ("codes", codes())])
        }
        FormProblem::DomainBusy { domain, reference } => (
            "problem-domain-busy",
            vec![("domain", Arg::Text(domain.clone())), ("reference", Arg::Text(reference.clone()))],
        ),
        FormProblem::OwnAddress { value, own: Own::Partner, .. } => {
            ("problem-own-address", vec![("value", text(value))])
        }
        FormProblem::OwnAddress { value, own: Own::Desk, .. } => ("problem-desk-address", vec![("value", text(value))]),
    };
    catalogs.text(locale, id, &args)
}

/// 7bit when every line is short ASCII; otherwise base64, never quoted-printable,
/// whose soft line breaks could split a reply token for a naive reader.
fn body(text: String) -> Body {
    Body::new_with_encoding(text, ContentTransferEncoding::SevenBit).unwrap_or_else(|buf| {
        Body::new_with_encoding(buf, ContentTransferEncoding::Base64).expect("base64 takes anything")
    })
}

fn address(a: &EmailAddress) -> Result<lettre::Address, ComposeError> {
    a.as_str().parse().map_err(|e: lettre::address::AddressError| ComposeError::Address {
        address: a.to_string(),
        message: e.to_string(),
    })
}

/// Message-IDs from other people's mail are echoed only when they are plain.
fn safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 250 && id.bytes().all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (for `mailto:` query values).
fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Deferred {
    /// The email it stands for, about `request` as the store holds it now.
    pub fn plan(&self, request: Request) -> Result<EmailPlan, ComposeError> {
        let bad = |what: &str| ComposeError::Deferred(format!("{what} in {self:?}"));
        let to = EmailAddress::parse(&self.to).map_err(|_| bad("a bad recipient"))?;
        let locale = Locale::parse(&self.locale).ok_or_else(|| bad("a bad language"))?;
        let content = match Kind::parse(&self.kind).ok_or_else(|| bad("an unknown kind"))? {
            Kind::ExpiredCustomer => Content::ExpiredCustomer { request },
            Kind::ExpiredPartner => Content::ExpiredPartner { request },
            Kind::ReviewExpired => Content::ReviewExpired { request },
            Kind::Reminder => Content::Reminder { request, days_left: self.days_left.unwrap_or(0) },
            _ => return Err(bad("a kind that is never deferred")),
        };
        Ok(EmailPlan::new(content, to, locale, Origin::Sweep))
    }
}

/// A new Message-ID (carrying the reply key's tag, if any) and bounce id.
fn new_ids(key: Option<&Key>, desk: &EmailAddress) -> (String, String) {
    let nonce = nonce();
    let message_id = match key {
        Some(k) => format!("{}.{nonce}@{}", k.tag(), desk.domain()),
        None => format!("sa.{nonce}@{}", desk.domain()),
    };
    (message_id, nonce)
}

/// A new email's id: 9 characters of the time in milliseconds, then 10 random
/// ones (50 bits), in base32. Ids made later sort later, so the outbox's
/// unique indexes on Message-ID and bounce id grow at their end instead of
/// at random places (the sweep queues 200,000 at once); the random part keeps
/// them unguessable.
fn nonce() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let millis = Utc::now().timestamp_millis().max(0) as u64;
    let mut out: String = (0..9).rev().map(|i| ALPHABET[((millis >> (5 * i)) & 31) as usize] as char).collect();
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    out.extend(bytes.iter().map(|b| ALPHABET[(*b & 31) as usize] as char));
    out
}

/// The request every sample email is about (check-config, the template reference).
fn sample_request(now: DateTime<Utc>) -> Request {
    use crate::domain::{AccountDomain, Reference, State};
    let addr = |s: &str| EmailAddress::parse(s).expect("sample address");
    Request {
        id: Some(1),
        reference: Reference::parse("SA-7K3QX9PD").expect("sample reference"),
        state: State::PendingCustomerAcceptance,
        account_name: "Acme <Corp>".into(),
        account_domain: AccountDomain::parse("acme.example").expect("sample domain"),
        customer_email: addr("jane@customer.example"),
        partner_email: addr("bob@partner.example"),
        user_emails: vec![addr("u1@customer.example")],
        note_to_customer: Some("Note".into()),
        note_to_users: None,
        locale: Locale::En,
        created_at: now,
        submitted_at: Some(now),
        expires_at: Some(now),
        activated_at: None,
        closed_at: None,
        last_reminder_days: None,
        partner_name: Some("Bob Smith".into()),
        partner_company: Some("Reseller & Co".into()),
        erased_at: None,
    }
}

/// Checks the catalogs against the English one, then renders every kind in
/// every language with sample values, so a broken template or catalog is a
/// configuration error at start, not a failed email later.
pub fn check_templates(settings: &Settings, templates: &Templates) -> Result<(), TemplateError> {
    templates.catalogs().check()?;
    let addr = |s: &str| EmailAddress::parse(s).expect("sample address");
    let now = Utc::now();
    let request = sample_request(now);
    let composer = Composer { settings, templates, secret: b"check-config" };
    let compose = |content: Content, locale| {
        let plan = EmailPlan::new(content, addr("reader@example.example"), locale, Origin::Reply);
        composer.compose(&plan, now).map(drop).map_err(|e| match e {
            ComposeError::Template(t) => t,
            other => TemplateError::Render { name: plan.kind().name().into(), message: other.to_string() },
        })
    };
    for locale in Locale::ALL {
        for kind in Kind::ALL {
            compose(Content::sample(kind, request.clone(), "someone@example.example"), locale)?;
        }
        // The answers that may concern no request at all.
        let sender = "someone@example.example".to_string();
        compose(
            Content::NotAuthorized {
                refusal: crate::email::Refusal::UnknownSender,
                sender: sender.clone(),
                request: None,
            },
            locale,
        )?;
        for refusal in [
            crate::email::Refusal::TooManyOpen { max: 20 },
            crate::email::Refusal::DailyLimit { max: 50 },
            crate::email::Refusal::DmarcFailed,
        ] {
            compose(Content::NotAuthorized { refusal, sender: sender.clone(), request: None }, locale)?;
        }
        let why = crate::email::Unmatched::UnknownReference;
        for unknown_reference in [None, crate::domain::Reference::parse("SA-7K3QX9PD")] {
            let (sender, request) = (sender.clone(), None);
            let content =
                Content::UnmatchedReply { why, sender, request, step: None, offer_reply: false, unknown_reference };
            compose(content, locale)?;
        }
        // The partner's own CANCEL, and an operator's without a reason (the sample has one).
        for by in [CancelledBy::Partner, CancelledBy::Operator { reason: None }] {
            compose(Content::Cancelled { request: request.clone(), by }, locale)?;
        }
        // The blank form in this language, then English, as a partner who writes it gets it.
        compose(Content::FormHelp { languages: vec![locale, Locale::En] }, locale)?;
        // Every problem a form can have, in this language.
        let problems = vec![
            FormProblem::Missing(crate::read::form::Field::AccountName),
            FormProblem::TooLong { field: crate::read::form::Field::NoteToCustomer, max: 2000, len: 2500 },
            FormProblem::BadEmail { field: crate::read::form::Field::UserEmails, value: "x@".into() },
            FormProblem::OneEmailOnly { value: "a@b.example c@d.example".into() },
            FormProblem::BadDomain { value: "not a domain".into() },
            FormProblem::TooManyUsers { count: 150 },
            FormProblem::MoreBadEmails { count: 3 },
            FormProblem::BadLanguage { value: "ko".into() },
            FormProblem::DomainBusy { domain: "acme.example".into(), reference: "SA-7K3QX9PD".into() },
            FormProblem::OwnAddress {
                field: crate::read::form::Field::CustomerEmail,
                value: "bob@partner.example".into(),
                own: Own::Partner,
            },
            FormProblem::OwnAddress {
                field: crate::read::form::Field::UserEmails,
                value: "desk@example.com".into(),
                own: Own::Desk,
            },
        ];
        compose(Content::RequestInvalid { problems }, locale)?;
    }
    Ok(())
}

/// The reference of every template kind and the variables it receives, with
/// sample values: generated from the code (`smartacct templates`), so it
/// cannot drift; docs/templates.md is this text, checked by a test.
pub fn template_reference(settings: &Settings, templates: &Templates) -> String {
    let now = DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z").expect("fixed time").with_timezone(&Utc);
    let composer = Composer { settings, templates, secret: b"reference" };
    let mut out = String::from(
        "# Email templates: kinds and variables\n\n\
         Generated by `smartacct templates` from the code; do not edit by hand (`cargo test` checks that this\n\
         file is current). Each kind has one `templates/KIND.subject.hbs`, `KIND.txt.hbs` and `KIND.html.hbs`\n\
         for every language; their sentences come from the catalogs `templates/catalogs/LANG.ftl` (Project\n\
         Fluent), through `{{t \"message-id\" name=value}}` (HTML: `strong=\"name\"`, `command=\"name\"`,\n\
         `link=\"name\"` wrap those values), `{{row \"field-…\"}}` (a text table's label and column) and\n\
         `{{blank_form lang}}` (the blank form, the partial `form_LANG`). In `templates.dir`, `LANG/KIND.PART.hbs`\n\
         replaces one language's email (plain text, as before the catalogs: `{{> form_en}}` still works),\n\
         `KIND.PART.hbs` every language's, and `catalogs/LANG.ftl` the messages it holds. `check-config` checks\n\
         every catalog against the English one (every message, every variable) and renders every email in every\n\
         language with these sample values, naming any variable an email does not have. Handlebars: `{{#if x}}`,\n\
         `{{#each list}}`, `{{#if (eq a \"b\")}}`; the text registry does not escape, the HTML one escapes every\n\
         value. Text bodies are rewrapped to 76 columns after rendering.\n",
    );
    for kind in Kind::ALL {
        let plan = EmailPlan::new(
            Content::sample(kind, sample_request(now), "someone@example.example"),
            EmailAddress::parse("reader@example.example").expect("sample address"),
            Locale::En,
            Origin::Reply,
        );
        let reply = plan.content.reply_step().map(|_| settings.mailbox.address.with_tag("act-sampletoken"));
        let context = composer.context(&plan, reply.as_ref()).expect("the sample context renders");
        let value = serde_json::to_value(context).expect("the context serializes");
        out.push_str(&format!("\n## {}\n\n| variable | sample value |\n|---|---|\n", kind.name()));
        let mut rows = Vec::new();
        flatten("", &value, &mut rows);
        for (path, sample) in rows {
            out.push_str(&format!("| `{path}` | {sample} |\n"));
        }
    }
    out
}

/// `a.b.c` paths of a JSON value, with a short sample of each leaf.
fn flatten(prefix: &str, v: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    let join = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                flatten(&join(k), child, rows);
            }
        }
        serde_json::Value::Array(items) if items.is_empty() && !prefix.contains('.') => {}
        serde_json::Value::Array(items) => match items.first() {
            Some(first @ serde_json::Value::Object(_)) => flatten(&format!("{prefix}[]"), first, rows),
            _ => rows.push((prefix.to_string(), format!("list, e.g. {}", sample(items.first())))),
        },
        // A value this kind never has is left out; an optional one inside it is marked.
        serde_json::Value::Null if !prefix.contains('.') => {}
        other => rows.push((prefix.to_string(), sample(Some(other)))),
    }
}

fn sample(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "(optional: absent in this sample)".into(),
        Some(serde_json::Value::String(s)) => {
            let s: String = s.chars().take(60).collect();
            format!("`{}`", s.replace('|', "\\|").replace('`', "'"))
        }
        Some(other) => format!("`{other}`"),
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;

    fn settings() -> Settings {
        let t: toml::Table = "[mailbox]\naddress = \"desk@example.com\"\norganization = \"Cisco Smart Accounts\"\n\
             [imap]\nhost = \"h\"\nusername = \"u\"\npassword = \"p\"\n[smtp]\nhost = \"h\"\n\
             [workflow]\ncontact = \"licensing-support@example.com\"\nsign_in_url = \"https://software.cisco.com\"\n"
            .parse()
            .unwrap();
        Settings::from_table(&t, &|_| None).unwrap()
    }

    /// A reader that missed our quote would take a line of our own email
    /// that reads as a command for the answer: no line of any email, in any
    /// language, may read as one, however the values made it wrap.
    #[test]
    fn no_line_of_any_email_in_any_language_reads_as_a_command() {
        let settings = settings();
        let templates = Templates::load(None).unwrap();
        let composer = Composer { settings: &settings, templates: &templates, secret: b"x" };
        let now = Utc::now();
        let mut failures = Vec::new();
        for locale in Locale::ALL {
            for kind in Kind::ALL {
                let mut content = Content::sample(kind, sample_request(now), "someone@example.example");
                if let Content::FormHelp { languages } = &mut content {
                    *languages = vec![locale, Locale::En];
                }
                let plan =
                    EmailPlan::new(content, EmailAddress::parse("r@example.example").unwrap(), locale, Origin::Reply);
                let reply = plan.content.reply_step().map(|_| settings.mailbox.address.with_tag("act-sampletoken"));
                let ctx = composer.context(&plan, reply.as_ref()).unwrap();
                let text = crate::shell::wrap::reflow(&templates.render(kind, locale, &ctx).unwrap().text);
                for line in text.lines() {
                    if crate::read::reply::Words::in_text(line) != crate::read::reply::Words::default() {
                        failures.push(format!("{locale} {kind}: {line:?}"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn docs_templates_md_is_the_reference_the_code_generates() {
        let settings = settings();
        let templates = Templates::load(None).unwrap();
        let generated = template_reference(&settings, &templates);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md");
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/templates.md is stale: run `UPDATE_DOCS=1 cargo test --lib docs_templates`"
        );
    }
}
