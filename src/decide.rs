//! The workflow of SPEC §1–§4 as a pure function: an inbound mail, what the store knows, and the time, to a `Decision`.
use chrono::{DateTime, Duration, Utc};

use crate::configuration::{Settings, UnknownSender};
use crate::domain::{EmailAddress, Key, Locale, Reference, State, Step, printable};
use crate::email::{EmailPlan, Kind, Origin};
use crate::i18n;
use crate::read::form::{self, Field, Problem, RawForm};
use crate::read::reply::{Command, Words};
use crate::read::{Mail, automatic};
use crate::request::Request;

/// The facts read from one inbound message (pure, see `read`).
#[derive(Debug, Clone)]
pub struct Inbound {
    pub mail: Mail,
    /// Step keys from plus tags (first) and from the desk's Message-IDs in In-Reply-To/References.
    pub keys: Vec<Key>,
    pub subject_reference: Option<Reference>,
    pub words: Words,
    /// The form read from the whole body (forwarded forms included).
    pub form: RawForm,
    /// The form read from the sender's own text only (quotes cut).
    pub own_form: RawForm,
    pub own_text_empty: bool,
    /// The delivery status notification, when the mail is one.
    pub dsn: Option<crate::read::dsn::Dsn>,
}

impl Inbound {
    pub fn read(raw: &[u8], desk: &crate::domain::EmailAddress) -> Inbound {
        let mail = Mail::parse(raw);
        let mut keys: Vec<Key> = Vec::new();
        for r in &mail.recipients {
            if let (true, (_, Some(tag))) = (r.same_mailbox(desk), r.split_plus()) {
                keys.extend(Key::parse_prefix(tag).filter(|k| !keys.contains(k)));
            }
        }
        for id in &mail.thread_ids {
            if let Some((local, domain)) = id.rsplit_once('@')
                && domain.eq_ignore_ascii_case(desk.domain())
            {
                keys.extend(Key::parse_prefix(local).filter(|k| !keys.contains(k)));
            }
        }
        let own = crate::read::reply::own_text(&mail.body);
        let dsn = automatic::is_bounce(&mail).then(|| crate::read::dsn::parse(raw, &mail.recipients, desk));
        Inbound {
            dsn,
            keys,
            subject_reference: Reference::find_in(&mail.subject),
            words: Words::read(&mail.body),
            form: form::scan(&mail.body),
            own_form: form::scan(&own),
            own_text_empty: own.trim().is_empty(),
            mail,
        }
    }
}

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
    /// Live requests of the sender as a partner.
    pub partner_open: u32,
    /// Requests the sender made as a partner in the last 24 hours.
    pub partner_created_today: u32,
    /// The mail's Message-ID is one the desk issued.
    pub own_message_id: bool,
    /// For a bounce: the desk's email it reports on.
    pub bounced: Option<Bounced>,
}

/// An email of the desk's that a DSN reports on.
#[derive(Debug, Clone)]
pub struct Bounced {
    pub outbox_id: i64,
    pub kind: String,
    pub recipient: String,
    pub request: Option<Request>,
}

/// A state change of one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Create(Request),
    /// Applied only if the request is still in `from` (a concurrent sweep loses nothing).
    Update {
        from: State,
        request: Request,
    },
}

/// A line of a request's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct Decision {
    /// A short word for the inbound record and the log: `request_created`, `submitted`, `refused`, …
    pub outcome: &'static str,
    pub detail: String,
    pub change: Option<Change>,
    /// The request the mail concerns (for the inbound record and events), when one exists already.
    pub request_id: Option<i64>,
    pub events: Vec<Event>,
    pub emails: Vec<EmailPlan>,
    /// An email of ours that a bounce says will never arrive: (outbox id, why).
    pub fail_outbox: Option<(i64, String)>,
}

impl Decision {
    fn new(outcome: &'static str, detail: impl Into<String>) -> Self {
        Decision {
            outcome,
            detail: detail.into(),
            change: None,
            request_id: None,
            events: Vec::new(),
            emails: Vec::new(),
            fail_outbox: None,
        }
    }
}

/// Everything `decide` needs besides the mail: settings, the time and a fresh reference, passed in.
pub struct Env<'a> {
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
    pub new_reference: Reference,
}

pub fn decide(inbound: &Inbound, known: &Known, env: &Env<'_>) -> Decision {
    let s = env.settings;
    let mail = &inbound.mail;

    if let Some(dsn) = &inbound.dsn {
        return bounce(dsn, mail, known, env);
    }
    if let Some(why) = automatic::reason(mail, &s.mailbox.address, known.own_message_id) {
        return Decision::new("ignored_automatic", format!("automatic mail, not answered: {why}"));
    }
    if let Some(why) = &mail.sender_problem {
        // No decision and no answer: with two senders, neither is known to
        // have written, and an answer could go to someone who did not.
        let mut d = Decision::new("refused_sender", format!("not one clear sender ({why}); nothing done"));
        if let Some((request, _)) = &known.keyed {
            d.request_id = request.id;
            d.events.push(Event {
                kind: "refused",
                detail: format!("a reply whose From is not one clear address was refused: {why}"),
            });
        }
        return d;
    }
    let Some(sender) = mail.from.clone() else {
        return Decision::new("ignored_automatic", "no usable From address");
    };

    let partner = s.is_partner(&sender);
    let fresh_form = partner && !inbound.own_form.is_empty();
    if let Some((request, step)) = &known.keyed {
        // A partner answering an old thread (the CANCEL acknowledgement, say)
        // with a new form in their own words is sending a new request.
        if !(fresh_form && request.state.is_terminal()) {
            return match step {
                Step::Review => review_reply(inbound, request, known, env),
                Step::Activation => activation_reply(inbound, request, known, env),
            };
        }
    }

    // A reply to one of the desk's emails that expects no answer, or a
    // mail naming a reference: nothing changes; say where the request stands.
    let about = known.by_thread.as_ref().or(known.by_subject.as_ref());
    if !fresh_form && (known.by_thread.is_some() || inbound.subject_reference.is_some()) {
        let locale = about.map_or(s.workflow.default_locale, |r| r.locale);
        let mut d = Decision::new("unmatched", "reply that changes nothing");
        let mut plan = answer(inbound, Kind::UnmatchedReply, locale);
        plan.reason = Some(match (&known.by_thread, &known.by_subject) {
            (Some(_), _) => "wrong_state",
            (None, Some(_)) => "not_linked",
            (None, None) => "unknown_reference",
        });
        plan.request = about.cloned();
        plan.sender = Some(sender.to_string());
        if let Some(step) = about.and_then(|r| waiting_on(r, &sender)) {
            plan.step = Some(step);
            plan.offer_reply = true;
        }
        if let Some(r) = about {
            d.request_id = r.id;
            d.detail = format!("reply about {} that changes nothing ({})", r.reference, plan.reason.unwrap_or(""));
            d.events
                .push(Event { kind: "reply_not_applied", detail: format!("{sender}: {}", plan.reason.unwrap_or("")) });
        }
        queue_capped(&mut d, plan, known, s.hygiene.max_auto_replies_per_day);
        return d;
    }

    // A customer writing afresh to the desk about their pending request.
    if let (false, Some(r)) = (partner, &known.pending_for_customer) {
        let mut d = Decision::new("unmatched", format!("{sender} wrote afresh about {}", r.reference));
        d.request_id = r.id;
        let mut plan = answer(inbound, Kind::UnmatchedReply, r.locale);
        plan.reason = Some("not_linked");
        plan.request = Some(r.clone());
        plan.sender = Some(sender.to_string());
        plan.step = Some(Step::Activation);
        plan.offer_reply = true;
        queue_capped(&mut d, plan, known, s.hygiene.max_auto_replies_per_day);
        return d;
    }

    if !partner {
        let mut d = Decision::new("refused", format!("{sender} is not in partners.allow"));
        if s.partners.unknown_sender == UnknownSender::Reply {
            let mut plan = answer(inbound, Kind::NotAuthorized, s.workflow.default_locale);
            plan.reason = Some("unknown_sender");
            plan.sender = Some(sender.to_string());
            queue_capped(&mut d, plan, known, s.hygiene.max_auto_replies_per_day);
        }
        return d;
    }

    // The sender's own words first: a corrected form above a quoted answer
    // must not be mixed with the quote. A forwarded form has no own labels.
    let raw = if inbound.own_form.is_empty() { &inbound.form } else { &inbound.own_form };
    if form::is_help_subject(&mail.subject) || (raw.is_empty() && inbound.own_text_empty) {
        let mut d = Decision::new("help", "sent the blank form");
        let plan = answer(inbound, Kind::FormHelp, form::locale_of(raw, s.workflow.default_locale));
        queue_capped(&mut d, plan, known, s.hygiene.max_auto_replies_per_day);
        return d;
    }

    let locale = form::locale_of(raw, s.workflow.default_locale);
    let valid = match form::validate(raw, s.workflow.default_locale) {
        Ok(valid) => valid,
        Err(problems) => return invalid(inbound, locale, &problems, known, env),
    };
    let own = own_addresses(&valid, &sender, &s.mailbox.address);
    if !own.is_empty() {
        return invalid(inbound, locale, &own, known, env);
    }
    if let Some(live) = &known.live_for_domain {
        let problem =
            Problem::DomainBusy { domain: valid.account_domain.to_string(), reference: live.reference.to_string() };
        return invalid(inbound, locale, &[problem], known, env);
    }
    let p = &s.partners;
    let limit = if known.partner_open >= p.max_open_requests {
        Some(("too_many_open", p.max_open_requests, "partners.max_open_requests"))
    } else if known.partner_created_today >= p.max_new_requests_per_day {
        Some(("daily_limit", p.max_new_requests_per_day, "partners.max_new_requests_per_day"))
    } else {
        None
    };
    if let Some((reason, max, key)) = limit {
        let mut d = Decision::new(
            "refused",
            format!("{sender} is at {key} ({max}); form for {} refused", valid.account_domain),
        );
        let mut plan = answer(inbound, Kind::NotAuthorized, locale);
        plan.reason = Some(reason);
        plan.sender = Some(sender.to_string());
        plan.limit = Some(max);
        queue_capped(&mut d, plan, known, s.hygiene.max_auto_replies_per_day);
        return d;
    }

    let mut request = Request {
        id: None,
        reference: env.new_reference.clone(),
        state: State::AwaitingReview,
        account_name: valid.account_name,
        account_domain: valid.account_domain,
        customer_email: valid.customer_email,
        partner_email: sender.clone(),
        user_emails: valid.user_emails,
        note_to_customer: valid.note_to_customer,
        note_to_users: valid.note_to_users,
        locale: valid.locale,
        created_at: env.now,
        submitted_at: None,
        expires_at: None,
        activated_at: None,
        closed_at: None,
        last_reminder_days: None,
    };
    let mut d = Decision::new("request_created", format!("{} for {}", request.reference, request.account_domain));
    d.events.push(Event {
        kind: "received",
        detail: format!("request form from {sender} (Message-ID {})", mail.message_id),
    });
    if s.workflow.review {
        let mut plan = answer(inbound, Kind::Review, request.locale);
        plan.request = Some(request.clone());
        d.emails.push(plan);
        d.events.push(Event { kind: "review_sent", detail: format!("review email to {sender}") });
    } else {
        submit(&mut request, env);
        d.events.push(Event { kind: "submitted", detail: "workflow.review = false: submitted on receipt".into() });
        submitted_emails(&mut d, inbound, &request);
    }
    d.change = Some(Change::Create(request));
    d
}

/// A DSN is never answered. A permanent failure of an activation email
/// closes the request as `undeliverable` and tells the partner; of any other
/// email it goes into the history; a delay is only logged.
fn bounce(dsn: &crate::read::dsn::Dsn, mail: &Mail, known: &Known, env: &Env<'_>) -> Decision {
    let summary = dsn.summary();
    let Some(b) = &known.bounced else {
        return Decision::new("bounce_unmatched", format!("delivery report for no email of ours: {summary}"));
    };
    // Anyone can write a report quoting a Message-ID they were sent (every
    // customer reply carries the activation's in References): a report counts
    // only when it proves itself.
    let sent_to = EmailAddress::parse(&b.recipient).ok();
    let names_recipient =
        dsn.statuses.iter().any(|st| sent_to.is_some() && EmailAddress::parse(&st.recipient).ok() == sent_to);
    let unproven = if !mail.return_path_empty {
        Some("its envelope sender is not empty (a real delivery report has Return-Path: <>)")
    } else if !names_recipient {
        Some("it names no recipient that email was sent to")
    } else {
        None
    };
    if let Some(why) = unproven {
        let mut d = Decision::new(
            "bounce_untrusted",
            format!("delivery report about {} to {} not trusted: {why}; nothing changed", b.kind, b.recipient),
        );
        d.request_id = b.request.as_ref().and_then(|r| r.id);
        if d.request_id.is_some() {
            d.events.push(Event {
                kind: "bounce_ignored",
                detail: format!(
                    "a delivery report from {} about the {} email was not trusted: {why}",
                    mail.from.as_ref().map_or_else(|| printable(&mail.from_raw).into_owned(), ToString::to_string),
                    b.kind
                ),
            });
        }
        return d;
    }
    if !dsn.is_permanent() {
        let mut d = Decision::new("bounce_delayed", format!("{} to {} delayed: {summary}", b.kind, b.recipient));
        d.request_id = b.request.as_ref().and_then(|r| r.id);
        return d;
    }
    delivery_failed(b, &summary, env)
}

/// An email of the desk's will never arrive (a permanent bounce, or the SMTP
/// server refused it for good): an activation email closes its request as
/// `undeliverable` and tells the partner; any other goes into the history.
pub fn delivery_failed(b: &Bounced, summary: &str, env: &Env<'_>) -> Decision {
    let mut d = Decision::new("bounce", format!("{} to {} failed: {summary}", b.kind, b.recipient));
    d.fail_outbox = Some((b.outbox_id, format!("undeliverable: {summary}")));
    let Some(request) = &b.request else { return d };
    d.request_id = request.id;
    if b.kind == Kind::Activation.name() && request.state == State::PendingCustomerAcceptance {
        let mut updated = request.clone();
        updated.state = State::Undeliverable;
        updated.closed_at = Some(env.now);
        d.events.push(Event { kind: "undeliverable", detail: format!("activation email undeliverable: {summary}") });
        let mut plan =
            EmailPlan::new(Kind::Undeliverable, updated.partner_email.clone(), updated.locale, Origin::Reply);
        plan.request = Some(updated.clone());
        plan.bounce_detail = Some(summary.to_string());
        d.emails.push(plan);
        d.change = Some(Change::Update { from: request.state, request: updated });
    } else {
        d.events.push(Event {
            kind: "bounced",
            detail: format!("{} email to {} undeliverable: {summary}", b.kind, b.recipient),
        });
    }
    d
}

/// The step `sender` may answer on this request now, if any: the partner
/// while it awaits review, the customer while it awaits acceptance.
fn waiting_on(r: &Request, sender: &crate::domain::EmailAddress) -> Option<Step> {
    match r.state {
        State::AwaitingReview if *sender == r.partner_email => Some(Step::Review),
        State::PendingCustomerAcceptance if *sender == r.customer_email => Some(Step::Activation),
        _ => None,
    }
}

/// A request whose deadline has passed but that the sweep has not closed yet
/// (it runs nightly): closed now, as the sweep would, instead of accepting a late answer.
fn overdue(request: &Request, env: &Env<'_>) -> Option<Decision> {
    let (action, outcome, event) = match request.state {
        State::PendingCustomerAcceptance if request.expires_at.is_some_and(|e| e <= env.now) => {
            (crate::store::SweepAction::Expire, "expired", "expired")
        }
        State::AwaitingReview
            if request.created_at + Duration::days(env.settings.workflow.review_days as i64) <= env.now =>
        {
            (crate::store::SweepAction::ExpireReview, "review_expired", "review_expired")
        }
        _ => return None,
    };
    let mut updated = request.clone();
    updated.state = if action == crate::store::SweepAction::Expire { State::Expired } else { State::ReviewExpired };
    updated.closed_at = Some(env.now);
    let mut d =
        Decision::new(outcome, format!("{} was past its deadline; closed on this late reply", request.reference));
    d.request_id = request.id;
    d.events.push(Event { kind: event, detail: "past its deadline when a late reply came; closed then".into() });
    d.emails = crate::sweep::plans(action, request, env.now);
    d.change = Some(Change::Update { from: request.state, request: updated });
    Some(d)
}

fn submit(request: &mut Request, env: &Env<'_>) {
    request.state = State::PendingCustomerAcceptance;
    request.submitted_at = Some(env.now);
    request.expires_at = Some(env.now + Duration::days(env.settings.workflow.acceptance_days as i64));
}

fn submitted_emails(d: &mut Decision, inbound: &Inbound, request: &Request) {
    let mut complete = answer(inbound, Kind::RequestComplete, request.locale);
    complete.request = Some(request.clone());
    d.emails.push(complete);
    let mut activation =
        EmailPlan::new(Kind::Activation, request.customer_email.clone(), request.locale, Origin::Reply);
    activation.request = Some(request.clone());
    d.emails.push(activation);
    d.events.push(Event { kind: "activation_sent", detail: format!("activation email to {}", request.customer_email) });
}

fn review_reply(inbound: &Inbound, request: &Request, known: &Known, env: &Env<'_>) -> Decision {
    let sender = inbound.mail.from.clone().expect("checked by decide");
    let cap = env.settings.hygiene.max_auto_replies_per_day;
    if sender != request.partner_email {
        let mut d = Decision::new("refused", format!("{sender} is not the partner of {}", request.reference));
        d.request_id = request.id;
        d.events.push(Event {
            kind: "refused",
            detail: format!("{sender} tried to answer the review; only {} may", request.partner_email),
        });
        let mut plan = answer(inbound, Kind::NotAuthorized, request.locale);
        plan.reason = Some("not_partner");
        plan.sender = Some(sender.to_string());
        plan.request = Some(request.clone());
        queue_capped(&mut d, plan, known, cap);
        return d;
    }
    if request.state != State::AwaitingReview {
        return wrong_state(inbound, request, Step::Review, known, cap);
    }
    if let Some(d) = overdue(request, env) {
        return d;
    }
    match inbound.words.for_review() {
        Command::Submit => {
            let mut updated = request.clone();
            submit(&mut updated, env);
            let mut d = Decision::new("submitted", format!("{} submitted", request.reference));
            d.request_id = request.id;
            d.events.push(Event { kind: "submitted", detail: format!("SUBMIT from {sender}") });
            submitted_emails(&mut d, inbound, &updated);
            d.change = Some(Change::Update { from: request.state, request: updated });
            d
        }
        Command::Cancel => {
            let mut updated = request.clone();
            updated.state = State::Cancelled;
            updated.closed_at = Some(env.now);
            let mut d = Decision::new("cancelled", format!("{} cancelled", request.reference));
            d.request_id = request.id;
            d.events.push(Event { kind: "cancelled", detail: format!("CANCEL from {sender}") });
            let mut plan = answer(inbound, Kind::Cancelled, request.locale);
            plan.request = Some(updated.clone());
            d.emails.push(plan);
            d.change = Some(Change::Update { from: request.state, request: updated });
            d
        }
        other => no_command(inbound, request, Step::Review, other, known, cap),
    }
}

fn activation_reply(inbound: &Inbound, request: &Request, known: &Known, env: &Env<'_>) -> Decision {
    let sender = inbound.mail.from.clone().expect("checked by decide");
    let cap = env.settings.hygiene.max_auto_replies_per_day;
    if sender != request.customer_email {
        let mut d = Decision::new("refused", format!("{sender} is not the customer of {}", request.reference));
        d.request_id = request.id;
        d.events.push(Event {
            kind: "refused",
            detail: format!("{sender} tried to answer the activation; only {} may", request.customer_email),
        });
        let mut plan = answer(inbound, Kind::NotAuthorized, request.locale);
        plan.reason = Some("not_customer");
        plan.sender = Some(sender.to_string());
        plan.request = Some(request.clone());
        queue_capped(&mut d, plan, known, cap);
        return d;
    }
    if request.state != State::PendingCustomerAcceptance {
        return wrong_state(inbound, request, Step::Activation, known, cap);
    }
    if let Some(d) = overdue(request, env) {
        return d;
    }
    match inbound.words.for_activation() {
        Command::Accept => {
            let mut updated = request.clone();
            updated.state = State::Active;
            updated.activated_at = Some(env.now);
            let mut d = Decision::new("activated", format!("{} activated", request.reference));
            d.request_id = request.id;
            d.events.push(Event { kind: "activated", detail: format!("ACCEPT from {sender}") });
            let mut partner =
                EmailPlan::new(Kind::ActivatedPartner, updated.partner_email.clone(), updated.locale, Origin::Reply);
            partner.request = Some(updated.clone());
            d.emails.push(partner);
            for user in &updated.user_emails {
                let mut plan = EmailPlan::new(Kind::UserAccess, user.clone(), updated.locale, Origin::Reply);
                plan.request = Some(updated.clone());
                d.emails.push(plan);
            }
            let mut ack = answer(inbound, Kind::ActivatedCustomer, updated.locale);
            ack.request = Some(updated.clone());
            d.emails.push(ack);
            d.change = Some(Change::Update { from: request.state, request: updated });
            d
        }
        Command::Decline => {
            let mut updated = request.clone();
            updated.state = State::Declined;
            updated.closed_at = Some(env.now);
            let mut d = Decision::new("declined", format!("{} declined", request.reference));
            d.request_id = request.id;
            d.events.push(Event { kind: "declined", detail: format!("DECLINE from {sender}") });
            let mut plan = EmailPlan::new(Kind::Declined, updated.partner_email.clone(), updated.locale, Origin::Reply);
            plan.request = Some(updated.clone());
            d.emails.push(plan);
            let mut ack = answer(inbound, Kind::DeclinedCustomer, updated.locale);
            ack.request = Some(updated.clone());
            d.emails.push(ack);
            d.change = Some(Change::Update { from: request.state, request: updated });
            d
        }
        other => no_command(inbound, request, Step::Activation, other, known, cap),
    }
}

fn wrong_state(inbound: &Inbound, request: &Request, step: Step, known: &Known, cap: u32) -> Decision {
    let mut d =
        Decision::new("unmatched", format!("{} is {}; reply not applied", request.reference, request.state.as_str()));
    d.request_id = request.id;
    d.events.push(Event {
        kind: "late_reply",
        detail: format!("{} reply while {}; nothing changed", step.name(), request.state.as_str()),
    });
    let mut plan = answer(inbound, Kind::UnmatchedReply, request.locale);
    plan.reason = Some("wrong_state");
    plan.step = Some(step);
    plan.request = Some(request.clone());
    plan.sender = inbound.mail.from.as_ref().map(ToString::to_string);
    queue_capped(&mut d, plan, known, cap);
    d
}

fn no_command(inbound: &Inbound, request: &Request, step: Step, cmd: Command, known: &Known, cap: u32) -> Decision {
    let reason = if cmd == Command::Ambiguous { "ambiguous" } else { "no_command" };
    let mut d = Decision::new("unmatched", format!("{} reply to {}: {reason}", step.name(), request.reference));
    d.request_id = request.id;
    let mut plan = answer(inbound, Kind::UnmatchedReply, request.locale);
    plan.reason = Some(reason);
    plan.step = Some(step);
    plan.offer_reply = true;
    plan.request = Some(request.clone());
    plan.sender = inbound.mail.from.as_ref().map(ToString::to_string);
    queue_capped(&mut d, plan, known, cap);
    d
}

/// The customer and the users may be neither the partner (who would then
/// approve their own request) nor the desk, plus forms included.
fn own_addresses(valid: &form::RequestForm, partner: &EmailAddress, desk: &EmailAddress) -> Vec<Problem> {
    let whose = |a: &EmailAddress| {
        if a.same_mailbox(partner) {
            Some(form::Own::Partner)
        } else if a.same_mailbox(desk) {
            Some(form::Own::Desk)
        } else {
            None
        }
    };
    let mut problems = Vec::new();
    if let Some(own) = whose(&valid.customer_email) {
        problems.push(Problem::OwnAddress {
            field: Field::CustomerEmail,
            value: valid.customer_email.to_string(),
            own,
        });
    }
    for user in &valid.user_emails {
        if let Some(own) = whose(user) {
            problems.push(Problem::OwnAddress { field: Field::UserEmails, value: user.to_string(), own });
            break;
        }
    }
    problems
}

fn invalid(inbound: &Inbound, locale: Locale, problems: &[Problem], known: &Known, env: &Env<'_>) -> Decision {
    let fields: Vec<&str> = problems.iter().map(|p| p.field().key()).collect();
    let mut d = Decision::new("invalid", format!("form refused: {}", fields.join(", ")));
    let mut plan = answer(inbound, Kind::RequestInvalid, locale);
    plan.problems =
        problems.iter().map(|p| (p.field().label(locale).to_string(), i18n::problem_message(p, locale))).collect();
    queue_capped(&mut d, plan, known, env.settings.hygiene.max_auto_replies_per_day);
    d
}

/// Message-IDs at most in an answer's References.
pub const MAX_REFERENCES: usize = 20;

/// An email back to the sender of `inbound`, threaded under it.
fn answer(inbound: &Inbound, kind: Kind, locale: Locale) -> EmailPlan {
    let mail = &inbound.mail;
    let to = mail.from.clone().expect("only mail with a sender is answered");
    let mut plan = EmailPlan::new(kind, to, locale, Origin::Reply);
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

/// Refusals and error answers stop at `hygiene.max_auto_replies_per_day` per sender.
fn queue_capped(d: &mut Decision, plan: EmailPlan, known: &Known, cap: u32) {
    let about = plan.request.as_ref().and_then(|r| r.id);
    // An auto-responder without markers answering our answer would otherwise
    // get one email per message until the cap: once a day is enough.
    if about.is_some_and(|id| known.answered_today.contains(&(plan.kind, id))) {
        d.detail.push_str(&format!(" (no answer: {} had this answer today already)", plan.to));
    } else if known.answers_today >= cap {
        d.detail.push_str(&format!(" (no answer: {} already answered {} times today)", plan.to, known.answers_today));
    } else {
        d.emails.push(plan);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EmailAddress;

    fn settings() -> Settings {
        let t: toml::Table = r#"
[mailbox]
address = "desk@example.test"
[imap]
host = "h"
username = "u"
password = "p"
[smtp]
host = "h"
[partners]
allow = ["*@partner.test"]
"#
        .parse()
        .unwrap();
        Settings::from_table(&t, &|_| None).unwrap()
    }

    fn mail(from: &str, to: &str, body: &str) -> Inbound {
        let raw = format!("From: {from}\r\nTo: {to}\r\nSubject: Re: x\r\nMessage-ID: <m@x.test>\r\n\r\n{body}\r\n");
        Inbound::read(raw.as_bytes(), &EmailAddress::parse("desk@example.test").unwrap())
    }

    fn pending(now: DateTime<Utc>) -> Request {
        let a = |s: &str| EmailAddress::parse(s).unwrap();
        Request {
            id: Some(7),
            reference: Reference::parse("SA-7K3QX9PD").unwrap(),
            state: State::PendingCustomerAcceptance,
            account_name: "Acme".into(),
            account_domain: crate::domain::AccountDomain::parse("acme.example").unwrap(),
            customer_email: a("jane@customer.test"),
            partner_email: a("bob@partner.test"),
            user_emails: vec![a("u@customer.test")],
            note_to_customer: None,
            note_to_users: None,
            locale: Locale::En,
            created_at: now - Duration::days(91),
            submitted_at: Some(now - Duration::days(91)),
            expires_at: Some(now - Duration::days(1)),
            activated_at: None,
            closed_at: None,
            last_reminder_days: None,
        }
    }

    #[test]
    fn an_accept_after_the_deadline_expires_the_request_even_before_the_sweep() {
        let (s, now) = (settings(), Utc::now());
        let known = Known { keyed: Some((pending(now), Step::Activation)), ..Known::default() };
        let env = Env { settings: &s, now, new_reference: Reference::generate() };
        let d = decide(&mail("jane@customer.test", "desk@example.test", "ACCEPT"), &known, &env);
        assert_eq!(d.outcome, "expired");
        let Some(Change::Update { request, .. }) = d.change else { panic!("no change") };
        assert_eq!(request.state, State::Expired);
        let kinds: Vec<Kind> = d.emails.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::ExpiredCustomer, Kind::ExpiredPartner]);
    }

    #[test]
    fn a_question_is_answered_with_the_choices_and_the_reply_address_again() {
        let (s, now) = (settings(), Utc::now());
        let mut r = pending(now);
        r.expires_at = Some(now + Duration::days(10));
        let known = Known { keyed: Some((r, Step::Activation)), ..Known::default() };
        let env = Env { settings: &s, now, new_reference: Reference::generate() };
        let d = decide(&mail("jane@customer.test", "desk@example.test", "Before I accept, who is Bob?"), &known, &env);
        assert!(d.change.is_none());
        assert_eq!(d.emails.len(), 1);
        assert_eq!((d.emails[0].kind, d.emails[0].reason), (Kind::UnmatchedReply, Some("no_command")));
        assert!(d.emails[0].offer_reply);
    }

    #[test]
    fn a_partner_answering_a_closed_thread_with_a_new_form_makes_a_new_request() {
        let (s, now) = (settings(), Utc::now());
        let mut r = pending(now);
        r.state = State::Cancelled;
        let known = Known { keyed: Some((r, Step::Review)), ..Known::default() };
        let env = Env { settings: &s, now, new_reference: Reference::generate() };
        let form = "Account name: Acme 2\r\nCustomer email: jane@customer.test\r\nAccount domain: acme.example";
        let d = decide(&mail("bob@partner.test", "desk+rev-x@example.test", form), &known, &env);
        assert_eq!(d.outcome, "request_created");
    }

    #[test]
    fn a_thanks_to_a_desk_email_is_answered_with_where_the_request_stands() {
        let (s, now) = (settings(), Utc::now());
        let mut r = pending(now);
        r.state = State::Active;
        let known = Known { by_thread: Some(r), ..Known::default() };
        let env = Env { settings: &s, now, new_reference: Reference::generate() };
        let d = decide(&mail("bob@partner.test", "desk@example.test", "Thanks!"), &known, &env);
        assert!(d.change.is_none());
        assert_eq!(d.emails[0].reason, Some("wrong_state"));
        assert!(!d.emails[0].offer_reply);
    }
}
