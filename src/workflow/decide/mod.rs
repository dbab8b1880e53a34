//! The workflow of SPEC §1–§4 as pure functions: a fact (a mail, a due date, a failed email), what the store knew and the time, to a `Decision`.
//!
//! Every state change takes this path, whatever starts it: `intake` (mail),
//! `sweep` (the clock), `delivery` (an email that will never arrive). The
//! shell loads the facts, calls a function here, composes the emails and
//! commits the decision in one transaction.
mod bounce;
mod expiry;
mod new_request;
mod operator;
mod reply;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

pub use bounce::{Bounced, delivery_failed};
pub use expiry::{Due, DueColumn, SweepStep, deadline_passed, sweep};
pub use operator::{Actor, NotApplicable, Via, cancel, resend};

use crate::configuration::Settings;
use crate::domain::{EmailAddress, Reference, State, Step};
use crate::email::{Content, EmailPlan, Kind, Origin};
pub use crate::read::Inbound;
pub use crate::read::auth_results::{Authentication, Dmarc, DmarcPolicy, DmarcVerdict, OwnCheck, TrustedServer};
use crate::read::automatic;
use crate::request::Request;

/// What the store knew when the mail was read, loaded by the shell for `decide`.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The request and step that one of the mail's keys names (token matched).
    pub keyed: Option<(Request, Step)>,
    /// The request named by the subject's reference.
    pub by_subject: Option<Request>,
    /// The request of a desk email (without a reply key) the mail answers, by In-Reply-To/References.
    pub by_thread: Option<Request>,
    /// The sender's pending request as its customer, if any.
    pub pending_for_customer: Option<Request>,
    /// The live request holding the form's domain, if any.
    pub live_for_domain: Option<Request>,
    /// Refusals and error answers already sent to this sender in the last 24 hours.
    pub answers_today: u32,
    /// The refusals (kind, request) already sent to this sender in the last 24
    /// hours: one sender gets the same refusal about one request once a day.
    pub answered_today: Vec<(Kind, i64)>,
    /// Refusals and error answers already sent in the last 24 hours to the
    /// mail's envelope sender (Return-Path), where a refusal of a mail that
    /// failed authentication may go: at most one a day.
    pub envelope_answers_today: u32,
    /// Emails sent in answer to mail in the last 24 hours, per recipient
    /// mailbox (`EmailAddress::mailbox`), for the addresses this mail could
    /// make the desk write to; a mailbox not listed had none.
    pub emails_today: Vec<(String, u32)>,
    /// The desk's own DKIM and DMARC check over DNS (`security.verify_dkim`), made by the shell.
    pub own_check: Option<OwnCheck>,
    /// Live requests of the sender as a partner.
    pub partner_open: u32,
    /// Requests the sender made as a partner in the last 24 hours.
    pub partner_created_today: u32,
    /// The mail's Message-ID is one the desk issued.
    pub own_message_id: bool,
    /// For a bounce: the desk's email it reports on.
    pub bounced: Option<Bounced>,
}

/// A state change of one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Create(Box<Request>),
    /// Applied only if the stored request still holds what `before` read
    /// (its state and reminder mark): a concurrent writer loses nothing.
    Update {
        before: Box<Request>,
        after: Box<Request>,
    },
}

/// What a decision was, for the inbound record, the log and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    RequestCreated,
    Submitted,
    Cancelled,
    Activated,
    Declined,
    Expired,
    Reminded,
    ReviewExpired,
    /// An email of ours will never arrive.
    Bounce,
    BounceDelayed,
    BounceUnmatched,
    BounceUntrusted,
    Refused,
    RefusedSender,
    Invalid,
    Help,
    Unmatched,
    IgnoredAutomatic,
    /// The sweep found the request no longer due.
    NothingDue,
    /// Retention erased a closed request's personal data.
    Erased,
    /// An operator sent the awaited email again.
    Resent,
}

impl Outcome {
    pub const ALL: [Outcome; 21] = [
        Outcome::RequestCreated,
        Outcome::Submitted,
        Outcome::Cancelled,
        Outcome::Activated,
        Outcome::Declined,
        Outcome::Expired,
        Outcome::Reminded,
        Outcome::ReviewExpired,
        Outcome::Bounce,
        Outcome::BounceDelayed,
        Outcome::BounceUnmatched,
        Outcome::BounceUntrusted,
        Outcome::Refused,
        Outcome::RefusedSender,
        Outcome::Invalid,
        Outcome::Help,
        Outcome::Unmatched,
        Outcome::IgnoredAutomatic,
        Outcome::NothingDue,
        Outcome::Erased,
        Outcome::Resent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Outcome::RequestCreated => "request_created",
            Outcome::Submitted => "submitted",
            Outcome::Cancelled => "cancelled",
            Outcome::Activated => "activated",
            Outcome::Declined => "declined",
            Outcome::Expired => "expired",
            Outcome::Reminded => "reminded",
            Outcome::ReviewExpired => "review_expired",
            Outcome::Bounce => "bounce",
            Outcome::BounceDelayed => "bounce_delayed",
            Outcome::BounceUnmatched => "bounce_unmatched",
            Outcome::BounceUntrusted => "bounce_untrusted",
            Outcome::Refused => "refused",
            Outcome::RefusedSender => "refused_sender",
            Outcome::Invalid => "invalid",
            Outcome::Help => "help",
            Outcome::Unmatched => "unmatched",
            Outcome::IgnoredAutomatic => "ignored_automatic",
            Outcome::NothingDue => "nothing_due",
            Outcome::Erased => "erased",
            Outcome::Resent => "resent",
        }
    }
}

/// The kinds of line in a request's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Received,
    ReviewSent,
    Submitted,
    ActivationSent,
    Cancelled,
    Activated,
    Declined,
    Expired,
    ReviewExpired,
    ReminderSent,
    Undeliverable,
    Bounced,
    BounceIgnored,
    Refused,
    ReplyNotApplied,
    LateReply,
    Erased,
    /// An email left out by the cap per recipient mailbox.
    EmailWithheld,
}

impl EventKind {
    pub const ALL: [EventKind; 18] = [
        EventKind::Received,
        EventKind::ReviewSent,
        EventKind::Submitted,
        EventKind::ActivationSent,
        EventKind::Cancelled,
        EventKind::Activated,
        EventKind::Declined,
        EventKind::Expired,
        EventKind::ReviewExpired,
        EventKind::ReminderSent,
        EventKind::Undeliverable,
        EventKind::Bounced,
        EventKind::BounceIgnored,
        EventKind::Refused,
        EventKind::ReplyNotApplied,
        EventKind::LateReply,
        EventKind::Erased,
        EventKind::EmailWithheld,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Received => "received",
            EventKind::ReviewSent => "review_sent",
            EventKind::Submitted => "submitted",
            EventKind::ActivationSent => "activation_sent",
            EventKind::Cancelled => "cancelled",
            EventKind::Activated => "activated",
            EventKind::Declined => "declined",
            EventKind::Expired => "expired",
            EventKind::ReviewExpired => "review_expired",
            EventKind::ReminderSent => "reminder_sent",
            EventKind::Undeliverable => "undeliverable",
            EventKind::Bounced => "bounced",
            EventKind::BounceIgnored => "bounce_ignored",
            EventKind::Refused => "refused",
            EventKind::ReplyNotApplied => "reply_not_applied",
            EventKind::LateReply => "late_reply",
            EventKind::Erased => "erased",
            EventKind::EmailWithheld => "email_withheld",
        }
    }

    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// A line of a request's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub detail: String,
}

impl Event {
    pub fn new(kind: EventKind, detail: impl Into<String>) -> Self {
        Event { kind, detail: detail.into() }
    }
}

#[derive(Debug, Clone)]
pub struct Decision {
    pub outcome: Outcome,
    pub detail: String,
    pub change: Option<Change>,
    /// The request the fact concerns (for the inbound record and events), when one exists already.
    pub request_id: Option<i64>,
    pub events: Vec<Event>,
    pub emails: Vec<EmailPlan>,
    /// An email of ours that will never arrive: (outbox id, why), marked failed.
    pub fail_outbox: Option<(i64, String)>,
    /// Retention: the store also drops the request's copies of personal data
    /// (sent emails' bytes, history details, event bodies, inbound senders).
    pub erase_records: bool,
    /// For a SUBMIT, CANCEL, ACCEPT or DECLINE (applied or refused): why, kept
    /// with the raw message as the decision's proof.
    pub verdict: Option<Verdict>,
}

/// The proof of a form's or a command's decision: what let it through, or what stopped it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `FORM`, `SUBMIT`, `CANCEL`, `ACCEPT` or `DECLINE`.
    pub command: &'static str,
    /// The step a command answered; none for a form.
    pub step: Option<Step>,
    /// The reply key that named the request and step: its step prefix and the
    /// start of its SHA-256 (never the token itself).
    pub key: String,
    /// Who sent it and whom the step binds it to.
    pub sender: String,
    pub auth: Authentication,
    pub applied: bool,
}

impl Verdict {
    /// One line for `requests show`.
    pub fn describe(&self) -> String {
        let step = self.step.map(|s| format!(" on the {} step", s.name())).unwrap_or_default();
        format!(
            "{} {}{step}: key {}; {}; {}",
            self.command,
            if self.applied { "applied" } else { "refused" },
            self.key,
            self.sender,
            self.auth.describe()
        )
    }
}

impl Decision {
    pub fn new(outcome: Outcome, detail: impl Into<String>) -> Self {
        Decision {
            outcome,
            detail: detail.into(),
            change: None,
            request_id: None,
            events: Vec::new(),
            emails: Vec::new(),
            fail_outbox: None,
            erase_records: false,
            verdict: None,
        }
    }

    /// A decision about an existing request.
    fn about(request: &Request, outcome: Outcome, detail: impl Into<String>) -> Self {
        Decision { request_id: request.id, ..Decision::new(outcome, detail) }
    }

    fn event(&mut self, kind: EventKind, detail: impl Into<String>) {
        self.events.push(Event::new(kind, detail));
    }

    /// The request moves from `before` to `after`.
    fn update(&mut self, before: &Request, after: Request) {
        self.change = Some(Change::Update { before: Box::new(before.clone()), after: Box::new(after) });
    }
}

/// Everything `decide` needs besides the fact: settings, the time and a fresh reference, passed in.
pub struct Env<'a> {
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
    pub new_reference: Reference,
}

/// A mail: a bounce, automatic mail, a reply on a step, or a new form.
pub fn decide(inbound: &Inbound, known: &Known, env: &Env<'_>) -> Decision {
    let mut d = decide_mail(inbound, known, env);
    cap_per_mailbox(&mut d, known, env.settings.hygiene.max_emails_per_recipient_per_day);
    d
}

/// The addresses a decision on this mail could write to: its sender, the
/// parties of the request it names, and the customer and users its form names.
pub fn recipients_of(inbound: &Inbound, known: &Known) -> Vec<EmailAddress> {
    let mut out: Vec<EmailAddress> = inbound.mail.from.iter().cloned().collect();
    out.extend(inbound.mail.return_path.iter().cloned());
    for r in [known.keyed.as_ref().map(|(r, _)| r), known.by_thread.as_ref(), known.pending_for_customer.as_ref()]
        .into_iter()
        .flatten()
    {
        out.push(r.partner_email.clone());
        out.push(r.customer_email.clone());
        out.extend(r.user_emails.iter().cloned());
    }
    if let Some(b) = known.bounced.as_ref().and_then(|b| b.request.as_ref()) {
        out.push(b.partner_email.clone());
    }
    for form in [&inbound.form, &inbound.own_form] {
        if let Some(c) = form.get(crate::read::form::Field::CustomerEmail) {
            out.extend(EmailAddress::parse(c).ok());
        }
        if let Some(users) = form.get(crate::read::form::Field::UserEmails) {
            out.extend(crate::read::form::split_addresses(users).iter().filter_map(|u| EmailAddress::parse(u).ok()));
        }
    }
    out.sort_by_key(|a| a.mailbox());
    out.dedup_by_key(|a| a.mailbox());
    out
}

/// No mailbox gets more than `cap` emails a day in answer to mail, whatever
/// their kind or spelling: past it an email is left out, and the decision
/// (and the request's history) says so. An operator can `requests resend`.
fn cap_per_mailbox(d: &mut Decision, known: &Known, cap: u32) {
    let mut counts: std::collections::HashMap<String, u32> = known.emails_today.iter().cloned().collect();
    let mut kept = Vec::with_capacity(d.emails.len());
    let mut dropped = Vec::new();
    for plan in std::mem::take(&mut d.emails) {
        let n = counts.entry(plan.to.mailbox()).or_insert(0);
        if *n >= cap {
            dropped.push(plan);
        } else {
            *n += 1;
            kept.push(plan);
        }
    }
    d.emails = kept;
    for plan in dropped {
        let why = format!(
            "{} email to {} not sent: its mailbox had {cap} emails from the desk in 24 hours (hygiene.max_emails_per_recipient_per_day)",
            plan.kind().name(),
            plan.to
        );
        d.detail.push_str(&format!(" ({why})"));
        if plan.request().is_some() {
            d.event(EventKind::EmailWithheld, why);
        }
    }
}

fn decide_mail(inbound: &Inbound, known: &Known, env: &Env<'_>) -> Decision {
    let s = env.settings;
    let mail = &inbound.mail;

    if let Some(dsn) = &inbound.dsn {
        return bounce::report(dsn, mail, known, env);
    }
    if let Some(why) = automatic::reason(mail, &s.mailbox.address, known.own_message_id) {
        return Decision::new(Outcome::IgnoredAutomatic, format!("automatic mail, not answered: {why}"));
    }
    if let Some(why) = &mail.sender_problem {
        // No decision and no answer: with two senders, neither is known to
        // have written, and an answer could go to someone who did not.
        let mut d = Decision::new(Outcome::RefusedSender, format!("not one clear sender ({why}); nothing done"));
        if let Some((request, _)) = &known.keyed {
            d.request_id = request.id;
            d.event(EventKind::Refused, format!("a reply whose From is not one clear address was refused: {why}"));
        }
        return d;
    }
    let Some(sender) = mail.from.clone() else {
        return Decision::new(Outcome::IgnoredAutomatic, "no usable From address");
    };

    // One verdict per mail, applied alike to forms and to every command.
    let auth = Authentication::read(mail, s.security.trusted.as_ref(), known.own_check.clone());
    let partner = s.is_partner(&sender);
    let fresh_form = partner && !inbound.own_form.is_empty();
    // A mail of unproven origin changes nothing and is answered nowhere it
    // says it comes from, whatever it asks (a form: see `from_form`).
    let refused = auth.refused(s.security.dmarc);
    let as_reply = reply::Reply { inbound, sender: &sender, known, env, auth: &auth };
    if let Some((request, step)) = &known.keyed {
        // A partner answering an old thread (the CANCEL acknowledgement, say)
        // with a new form in their own words is sending a new request.
        if !(fresh_form && request.state.is_terminal()) {
            return match refused {
                true => reply::refused_on_step(&as_reply, request, *step),
                false => reply::on_step(&as_reply, request, *step),
            };
        }
    }
    let about_a_request = !fresh_form && (known.by_thread.is_some() || inbound.subject_reference.is_some());
    if refused && (about_a_request || !partner) {
        let about = known.by_thread.as_ref().or(known.by_subject.as_ref()).or(known.pending_for_customer.as_ref());
        let why = auth.describe();
        let mut d =
            Decision::new(Outcome::Refused, format!("mail from {sender} not authenticated ({why}); nothing done"));
        if let Some(r) = about {
            d.request_id = r.id;
            d.event(EventKind::Refused, format!("a mail from {sender} about it was refused: {why}"));
        }
        return refuse_unauthenticated(d, inbound, &auth, about, known, env);
    }
    if about_a_request {
        return reply::about_a_request(&as_reply);
    }
    if let (false, Some(r)) = (partner, &known.pending_for_customer) {
        return reply::customer_afresh(&as_reply, r);
    }
    if !partner {
        let mut d = Decision::new(Outcome::Refused, format!("{sender} is not in partners.allow"));
        if s.partners.unknown_sender == crate::configuration::UnknownSender::Reply {
            let content = Content::NotAuthorized {
                refusal: crate::email::Refusal::UnknownSender,
                sender: sender.to_string(),
                request: None,
            };
            queue_capped(&mut d, answer(inbound, content, senders_language(inbound, env)), known, env);
        }
        return d;
    }
    new_request::from_form(inbound, &sender, &auth, known, env)
}

/// A form or a command refused on its authentication: nothing changes; one
/// answer a day, only to the envelope sender the trusted server's SPF vouched
/// for (never to the From, which may be forged: it would be backscatter).
fn refuse_unauthenticated(
    mut d: Decision,
    inbound: &Inbound,
    auth: &Authentication,
    request: Option<&Request>,
    known: &Known,
    env: &Env<'_>,
) -> Decision {
    let sender = inbound.mail.from.as_ref().map(|a| a.to_string()).unwrap_or_default();
    let Some(to) = &auth.proven else {
        d.detail.push_str(" (no answer: the sender proved no address)");
        return d;
    };
    if known.envelope_answers_today >= 1 {
        d.detail.push_str(&format!(" (no answer: {to} had an answer today already)"));
        return d;
    }
    let content =
        Content::NotAuthorized { refusal: crate::email::Refusal::DmarcFailed, sender, request: request.cloned() };
    let locale = request.map_or_else(|| senders_language(inbound, env), |r| r.locale);
    let mut plan = answer(inbound, content, locale);
    plan.to = to.clone();
    d.emails.push(plan);
    d
}

/// The step `sender` may answer on this request now, if any: the partner
/// while it awaits review, the customer while it awaits acceptance.
fn waiting_on(r: &Request, sender: &EmailAddress) -> Option<Step> {
    match r.state {
        State::AwaitingReview if *sender == r.partner_email => Some(Step::Review),
        State::PendingCustomerAcceptance if *sender == r.customer_email => Some(Step::Activation),
        _ => None,
    }
}

/// The language of an answer to a mail that names no request: the sender's,
/// when their mail tells it (see [`crate::read::inbound::told_language`]),
/// else the desk's default. An answer about a request is in the request's.
fn senders_language(inbound: &Inbound, env: &Env<'_>) -> crate::domain::Locale {
    inbound.language.unwrap_or(env.settings.workflow.default_locale)
}

/// Message-IDs at most in an answer's References.
pub const MAX_REFERENCES: usize = 20;

/// An email back to the sender of `inbound`, threaded under it.
fn answer(inbound: &Inbound, content: Content, locale: crate::domain::Locale) -> EmailPlan {
    let mail = &inbound.mail;
    let to = mail.from.clone().expect("only mail with a sender is answered");
    let mut plan = EmailPlan::new(content, to, locale, Origin::Reply);
    if mail.has_message_id {
        plan.in_reply_to = Some(mail.message_id.clone());
        // References: the parent's own chain, then the parent.
        let mut refs: Vec<String> = mail.thread_ids.iter().skip(1).cloned().collect();
        if refs.is_empty() {
            refs.extend(mail.thread_ids.first().cloned());
        }
        refs.retain(|r| r != &mail.message_id);
        // A sender may send any chain; echo only the newest ids, as clients do.
        let drop = refs.len().saturating_sub(MAX_REFERENCES - 1);
        refs.drain(..drop);
        refs.push(mail.message_id.clone());
        plan.references = refs;
    }
    plan
}

/// Refusals and error answers stop at `hygiene.max_auto_replies_per_day` per
/// sender, and one sender gets the same refusal about one request once a day.
fn queue_capped(d: &mut Decision, plan: EmailPlan, known: &Known, env: &Env<'_>) {
    let cap = env.settings.hygiene.max_auto_replies_per_day;
    let about = plan.request().and_then(|r| r.id);
    // An auto-responder without markers answering our answer would otherwise
    // get one email per message until the cap: once a day is enough.
    if about.is_some_and(|id| known.answered_today.contains(&(plan.kind(), id))) {
        d.detail.push_str(&format!(" (no answer: {} had this answer today already)", plan.to));
    } else if known.answers_today >= cap {
        d.detail.push_str(&format!(" (no answer: {} already answered {} times today)", plan.to, known.answers_today));
    } else {
        d.emails.push(plan);
    }
}
