//! Turns an `EmailPlan` into a finished RFC 5322 message: template context, headers, reply key, VERP sender.
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use serde::Serialize;

use crate::configuration::Settings;
use crate::domain::{EmailAddress, Key};
use crate::email::{EmailPlan, Kind, Origin};
use crate::i18n;
use crate::read::automatic::LOOP_HEADER;
use crate::templates::{TemplateError, Templates};

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
}

#[derive(Serialize)]
struct Context<'a> {
    desk: Desk<'a>,
    support_url: &'a str,
    reference: Option<String>,
    reply_address: Option<String>,
    request: Option<RequestContext>,
    problems: Vec<Problem<'a>>,
    reason: Option<&'a str>,
    step: Option<&'a str>,
    sender: Option<&'a str>,
    recipient: &'a str,
    days_left: Option<i64>,
    bounce_detail: Option<&'a str>,
    limit: Option<u32>,
}

#[derive(Serialize)]
struct Desk<'a> {
    name: &'a str,
    address: &'a str,
}

#[derive(Serialize)]
struct Problem<'a> {
    label: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct RequestContext {
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
    pub fn compose(&self, plan: &EmailPlan, now: DateTime<Utc>) -> Result<Outgoing, TemplateError> {
        let s = self.settings;
        let desk = &s.mailbox.address;
        let step = plan.kind.reply_step().or(plan.step.filter(|_| plan.offer_reply));
        let key = match (step, &plan.request) {
            (Some(step), Some(r)) => Some(Key::derive(self.secret, step, &r.reference)),
            (Some(step), None) => Some(Key::new(step)),
            (None, _) => None,
        };
        let reply_address = key.as_ref().map(|k| desk.with_tag(&k.tag()));
        let nonce = nonce();
        let message_id = match &key {
            Some(k) => format!("{}.{nonce}@{}", k.tag(), desk.domain()),
            None => format!("sa.{nonce}@{}", desk.domain()),
        };
        let bounce_id = nonce.clone();
        let envelope_from = desk.with_tag(&format!("bounce-{bounce_id}"));

        let ctx = Context {
            desk: Desk { name: &s.mailbox.display_name, address: desk.as_str() },
            support_url: &s.workflow.support_url,
            reference: plan.request.as_ref().map(|r| r.reference.to_string()),
            reply_address: reply_address.as_ref().map(ToString::to_string),
            request: plan.request.as_ref().map(|r| RequestContext {
                account_name: r.account_name.clone(),
                account_domain: r.account_domain.for_people(),
                customer_email: r.customer_email.to_string(),
                partner_email: r.partner_email.to_string(),
                user_emails: r.user_emails.iter().map(ToString::to_string).collect(),
                note_to_customer: r.note_to_customer.clone(),
                note_to_users: r.note_to_users.clone(),
                locale: r.locale.as_str(),
                state: r.state.as_str(),
                state_label: i18n::state_label(r.state, plan.locale),
                expires_on: r.expires_at.map(|t| i18n::date(t, plan.locale)),
                acceptance_days: s.workflow.acceptance_days,
                review_days: s.workflow.review_days,
            }),
            problems: plan.problems.iter().map(|(label, message)| Problem { label, message }).collect(),
            reason: plan.reason,
            step: plan.step.map(|st| st.name()),
            sender: plan.sender.as_deref(),
            recipient: plan.to.as_str(),
            days_left: plan.days_left,
            bounce_detail: plan.bounce_detail.as_deref(),
            limit: plan.limit,
        };
        let rendered = self.templates.render(plan.kind, plan.locale, &ctx)?;

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
            ("Content-Language", plan.locale.as_str().to_string()),
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
        let message = b
            .multipart(body)
            .map_err(|e| TemplateError::Render { name: plan.kind.name().into(), message: e.to_string() })?;

        Ok(Outgoing {
            kind: plan.kind,
            to: plan.to.clone(),
            message_id,
            envelope_from,
            bounce_id,
            subject: rendered.subject,
            raw: message.formatted(),
            key,
            about_request: plan.request.is_some(),
            request_id: plan.request.as_ref().and_then(|r| r.id),
        })
    }
}

/// 7bit when every line is short ASCII; otherwise base64, never quoted-printable,
/// whose soft line breaks could split a reply token for a naive reader.
fn body(text: String) -> Body {
    Body::new_with_encoding(text, ContentTransferEncoding::SevenBit).unwrap_or_else(|buf| {
        Body::new_with_encoding(buf, ContentTransferEncoding::Base64).expect("base64 takes anything")
    })
}

fn address(a: &EmailAddress) -> Result<lettre::Address, TemplateError> {
    a.as_str().parse().map_err(|e| TemplateError::Render { name: "address".into(), message: format!("{a}: {e}") })
}

/// Message-IDs from other people's mail are echoed only when they are plain.
fn safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 250 && id.bytes().all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
}

fn nonce() -> String {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    bytes.iter().map(|b| ALPHABET[(*b & 31) as usize] as char).collect()
}

/// Renders every kind in both languages with sample values, so a broken
/// template is a configuration error at start, not a failed email later.
pub fn check_templates(settings: &Settings, templates: &Templates) -> Result<(), TemplateError> {
    use crate::domain::{AccountDomain, Locale, Reference, State};
    let addr = |s: &str| EmailAddress::parse(s).expect("sample address");
    let now = Utc::now();
    let request = crate::request::Request {
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
    };
    let composer = Composer { settings, templates, secret: b"check-config" };
    for locale in Locale::ALL {
        for kind in Kind::ALL {
            let mut plan = EmailPlan::new(kind, addr("reader@example.example"), locale, Origin::Reply);
            plan.request = Some(request.clone());
            plan.problems = vec![("Customer email".into(), "missing".into())];
            plan.reason = Some("no_command");
            plan.step = Some(crate::domain::Step::Activation);
            plan.sender = Some("someone@example.example".into());
            plan.days_left = Some(7);
            composer.compose(&plan, now)?;
            plan.request = None;
            if matches!(kind, Kind::RequestInvalid | Kind::FormHelp | Kind::NotAuthorized | Kind::UnmatchedReply) {
                composer.compose(&plan, now)?;
            }
        }
    }
    Ok(())
}
