//! Emails that will never arrive: a delivery report proves it, or the SMTP server refused it for good.
use super::{Decision, EventKind, Known, Outcome};
use crate::domain::{EmailAddress, State, printable};
use crate::email::{Content, EmailPlan, Kind, Origin};
use crate::read::Mail;
use crate::read::dsn::Dsn;
use crate::request::Request;

/// An email of the desk's that a report (or the SMTP server) says failed.
#[derive(Debug, Clone)]
pub struct Bounced {
    pub outbox_id: i64,
    pub kind: Kind,
    pub recipient: String,
    pub request: Option<Request>,
}

/// A DSN is never answered. Anyone can write a report quoting a Message-ID
/// they were sent (every customer reply carries the activation's in
/// References), so a report counts only when it proves itself: an empty
/// envelope sender, and a failed recipient the matched email was sent to.
pub(super) fn report(dsn: &Dsn, mail: &Mail, known: &Known, env: &super::Env<'_>) -> Decision {
    let summary = dsn.summary();
    let Some(b) = &known.bounced else {
        return Decision::new(Outcome::BounceUnmatched, format!("delivery report for no email of ours: {summary}"));
    };
    let sent_to = EmailAddress::parse(&b.recipient).ok();
    let names_recipient =
        sent_to.is_some() && dsn.statuses.iter().any(|st| EmailAddress::parse(&st.recipient).ok() == sent_to);
    let unproven = if !mail.return_path_empty {
        Some("its envelope sender is not empty (a real delivery report has Return-Path: <>)")
    } else if !names_recipient {
        Some("it names no recipient that email was sent to")
    } else {
        None
    };
    let kind = b.kind.name();
    if let Some(why) = unproven {
        let detail = format!("delivery report about {kind} to {} not trusted: {why}; nothing changed", b.recipient);
        let mut d = Decision::new(Outcome::BounceUntrusted, detail);
        if let Some(r) = &b.request {
            d.request_id = r.id;
            let from = mail.from.as_ref().map_or_else(|| printable(&mail.from_raw).into_owned(), ToString::to_string);
            d.event(
                EventKind::BounceIgnored,
                format!("a delivery report from {from} about the {kind} email was not trusted: {why}"),
            );
        }
        return d;
    }
    if !dsn.is_permanent() {
        let mut d = Decision::new(Outcome::BounceDelayed, format!("{kind} to {} delayed: {summary}", b.recipient));
        d.request_id = b.request.as_ref().and_then(|r| r.id);
        return d;
    }
    delivery_failed(b, &summary, env)
}

/// An email of the desk's will never arrive (a proven permanent bounce, or
/// the SMTP server refused it for good): an activation email closes its
/// request as `undeliverable` and tells the partner; any other goes into the history.
pub fn delivery_failed(b: &Bounced, summary: &str, env: &super::Env<'_>) -> Decision {
    let mut d = Decision::new(Outcome::Bounce, format!("{} to {} failed: {summary}", b.kind.name(), b.recipient));
    d.fail_outbox = Some((b.outbox_id, format!("undeliverable: {summary}")));
    let Some(request) = &b.request else { return d };
    d.request_id = request.id;
    if b.kind == Kind::Activation && request.state == State::PendingCustomerAcceptance {
        let mut after = request.clone();
        after.state = State::Undeliverable;
        after.closed_at = Some(env.now);
        d.event(EventKind::Undeliverable, format!("activation email undeliverable: {summary}"));
        d.emails.push(EmailPlan::new(
            Content::Undeliverable { request: after.clone(), bounce_detail: summary.to_string() },
            after.partner_email.clone(),
            after.locale,
            Origin::Reply,
        ));
        d.update(request, after);
    } else {
        d.event(EventKind::Bounced, format!("{} email to {} undeliverable: {summary}", b.kind.name(), b.recipient));
    }
    d
}
