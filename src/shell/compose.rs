//! Turns an `EmailPlan` into a finished RFC 5322 message: template context, headers, reply key, VERP sender.
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use serde::Serialize;

use crate::configuration::Settings;
use crate::domain::{EmailAddress, Key};
use crate::email::{Content, EmailPlan, Kind, Origin};
use crate::i18n;
use crate::read::automatic::LOOP_HEADER;
use crate::request::Request;
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
    pub fn compose(&self, plan: &EmailPlan, now: DateTime<Utc>) -> Result<Outgoing, ComposeError> {
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
        let nonce = nonce();
        let message_id = match &key {
            Some(k) => format!("{}.{nonce}@{}", k.tag(), desk.domain()),
            None => format!("sa.{nonce}@{}", desk.domain()),
        };
        let bounce_id = nonce.clone();
        let envelope_from = desk.with_tag(&format!("bounce-{bounce_id}"));

        let mut ctx = Context {
            desk: Desk { name: &s.mailbox.display_name, address: desk.as_str() },
            support_url: &s.workflow.support_url,
            reference: request.map(|r| r.reference.to_string()),
            reply_address: reply_address.as_ref().map(ToString::to_string),
            request: request.map(|r| self.request_context(r, plan)),
            problems: Vec::new(),
            reason: None,
            step: None,
            sender: None,
            recipient: plan.to.as_str(),
            days_left: None,
            bounce_detail: None,
            limit: None,
        };
        match &plan.content {
            Content::RequestInvalid { problems } => {
                ctx.problems = problems.iter().map(|p| Problem { label: &p.label, message: &p.message }).collect();
            }
            Content::Reminder { days_left, .. } => ctx.days_left = Some(*days_left),
            Content::Undeliverable { bounce_detail, .. } => ctx.bounce_detail = Some(bounce_detail),
            Content::NotAuthorized { refusal, sender, .. } => {
                ctx.reason = Some(refusal.name());
                ctx.sender = Some(sender);
                ctx.limit = refusal.limit();
            }
            Content::UnmatchedReply { why, sender, step, .. } => {
                ctx.reason = Some(why.name());
                ctx.sender = Some(sender);
                ctx.step = step.map(|st| st.name());
            }
            _ => {}
        }
        let rendered = self.templates.render(kind, plan.locale, &ctx)?;

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
        })
    }

    fn request_context(&self, r: &Request, plan: &EmailPlan) -> RequestContext {
        let w = &self.settings.workflow;
        RequestContext {
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
            acceptance_days: w.acceptance_days,
            review_days: w.review_days,
        }
    }
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
        compose(Content::UnmatchedReply { why, sender, request: None, step: None, offer_reply: false }, locale)?;
    }
    Ok(())
}
