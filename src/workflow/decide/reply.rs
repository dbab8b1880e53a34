//! Replies: a command on a step (one guard for both steps), and replies that change nothing but are answered.
use super::new_request::{submit, submitted_emails};
use super::{
    Authentication, Decision, EventKind, Inbound, Known, Outcome, Verdict, answer, deadline_passed, expiry,
    queue_capped, senders_language, waiting_on,
};
use crate::domain::{EmailAddress, State, Step};
use crate::email::{CancelledBy, Content, EmailPlan, Origin, Refusal, Unmatched};
use crate::read::reply::Command;
use crate::request::Request;

/// A mail being decided as a reply: the mail, its one sender, what the store knew, the time and settings.
#[derive(Clone, Copy)]
pub(super) struct Reply<'a> {
    pub inbound: &'a Inbound,
    pub sender: &'a EmailAddress,
    pub known: &'a Known,
    pub env: &'a super::Env<'a>,
    /// The mail's one authentication verdict.
    pub auth: &'a Authentication,
}

/// Who may answer a step, and in which state the request waits on it.
fn party(request: &Request, step: Step) -> (&EmailAddress, State, Refusal, &'static str) {
    match step {
        Step::Review => (&request.partner_email, State::AwaitingReview, Refusal::NotPartner, "partner"),
        Step::Activation => {
            (&request.customer_email, State::PendingCustomerAcceptance, Refusal::NotCustomer, "customer")
        }
    }
}

/// A reply carrying a step's key: the guard (the step's party, the state it
/// waits in, its deadline), then the command read from the sender's own text.
pub(super) fn on_step(c: &Reply<'_>, request: &Request, step: Step) -> Decision {
    let Reply { inbound, sender, known, env, auth } = *c;
    debug_assert!(!auth.refused(env.settings.security.dmarc), "refused mail takes refused_on_step");
    let (allowed, waiting, refusal, role) = party(request, step);
    if sender != allowed {
        let mut d =
            Decision::about(request, Outcome::Refused, format!("{sender} is not the {role} of {}", request.reference));
        d.event(EventKind::Refused, format!("{sender} tried to answer the {}; only {allowed} may", step.name()));
        let content = Content::NotAuthorized { refusal, sender: sender.to_string(), request: Some(request.clone()) };
        queue_capped(&mut d, answer(inbound, content, request.locale), known, env);
        return d;
    }
    if request.state != waiting {
        return wrong_state(c, request, step);
    }
    if let Some(late) = deadline_passed(request, env.now, env.settings) {
        // A late answer never beats a deadline: closed now, as the sweep would.
        let mut d = expiry::sweep(late, request, env);
        d.detail = format!("{} was past its deadline; closed on this late reply", request.reference);
        for e in &mut d.events {
            e.detail = "past its deadline when a late reply came; closed then".into();
        }
        return d;
    }
    let command = match step {
        Step::Review => inbound.words.for_review(),
        Step::Activation => inbound.words.for_activation(),
    };
    let (outcome, event, word) = match command {
        Command::Submit => (Outcome::Submitted, EventKind::Submitted, "SUBMIT"),
        Command::Cancel => (Outcome::Cancelled, EventKind::Cancelled, "CANCEL"),
        Command::Accept => (Outcome::Activated, EventKind::Activated, "ACCEPT"),
        Command::Decline => (Outcome::Declined, EventKind::Declined, "DECLINE"),
        Command::None | Command::Ambiguous => return no_command(c, request, step, command),
    };
    let mut verdict = command_verdict(c, request, step, word);
    verdict.applied = true;
    let mut d = Decision::about(request, outcome, format!("{} {}", request.reference, outcome.name()));
    d.event(event, format!("{word} from {sender} ({})", auth.describe()));
    d.verdict = Some(verdict);
    let (now, mut after) = (env.now, request.clone());
    let notice =
        |content: Content, to: &EmailAddress, locale| EmailPlan::new(content, to.clone(), locale, Origin::Reply);
    match command {
        Command::Submit => {
            submit(&mut after, env);
            submitted_emails(&mut d, inbound, &after);
        }
        Command::Cancel => {
            after.state = State::Cancelled;
            after.closed_at = Some(now);
            d.emails.push(answer(
                inbound,
                Content::Cancelled { request: after.clone(), by: CancelledBy::Partner },
                after.locale,
            ));
        }
        Command::Accept => {
            after.state = State::Active;
            after.activated_at = Some(now);
            d.emails.push(notice(
                Content::ActivatedPartner { request: after.clone() },
                &after.partner_email,
                after.locale,
            ));
            for user in &after.user_emails {
                d.emails.push(notice(Content::UserAccess { request: after.clone() }, user, after.locale));
            }
            d.emails.push(answer(inbound, Content::ActivatedCustomer { request: after.clone() }, after.locale));
        }
        Command::Decline => {
            after.state = State::Declined;
            after.closed_at = Some(now);
            d.emails.push(notice(Content::Declined { request: after.clone() }, &after.partner_email, after.locale));
            d.emails.push(answer(inbound, Content::DeclinedCustomer { request: after.clone() }, after.locale));
        }
        Command::None | Command::Ambiguous => unreachable!("answered above"),
    }
    d.update(request, after);
    d
}

/// The proof a command's decision keeps: the key that named the request and
/// step (never the token), the sender's binding, and the mail's authentication.
fn command_verdict(c: &Reply<'_>, request: &Request, step: Step, word: &'static str) -> Verdict {
    let Reply { inbound, sender, auth, .. } = *c;
    let (allowed, _, _, role) = party(request, step);
    let key = inbound
        .keys
        .iter()
        .find(|k| k.step == step)
        .map_or_else(|| "none".to_string(), |k| format!("{}-… (sha256 {}…)", step.prefix(), &k.token.hash()[..12]));
    let binding = match sender == allowed {
        true => format!("{sender} is the {role} of {}", request.reference),
        false => format!("{sender} is not the {role} of {}", request.reference),
    };
    Verdict { command: word, step: Some(step), key, sender: binding, auth: auth.clone(), applied: false }
}

/// A reply on a step from a mail that failed authentication: nothing changes
/// (not even a deadline closes on it), the attempt is in the history with its
/// verdict when it holds a command, and only an address the sender proved is answered.
pub(super) fn refused_on_step(c: &Reply<'_>, request: &Request, step: Step) -> Decision {
    let Reply { inbound, sender, known, env, auth } = *c;
    let command = match step {
        Step::Review => inbound.words.for_review(),
        Step::Activation => inbound.words.for_activation(),
    };
    let word = match command {
        Command::Submit => Some("SUBMIT"),
        Command::Cancel => Some("CANCEL"),
        Command::Accept => Some("ACCEPT"),
        Command::Decline => Some("DECLINE"),
        Command::None | Command::Ambiguous => None,
    };
    let why = auth.describe();
    let what = word.unwrap_or("a reply");
    let mut d = Decision::about(
        request,
        Outcome::Refused,
        format!("{what} for {} refused: {sender} not authenticated ({why})", request.reference),
    );
    d.event(EventKind::Refused, format!("{what} from {sender} refused: {why}; nothing changed"));
    d.verdict = word.map(|w| command_verdict(c, request, step, w));
    super::refuse_unauthenticated(d, inbound, auth, Some(request), known, env)
}

/// A reply to a step the request no longer waits on: nothing changes; say where it stands.
fn wrong_state(c: &Reply<'_>, request: &Request, step: Step) -> Decision {
    let Reply { inbound, sender, known, env, .. } = *c;
    let detail = format!("{} is {}; reply not applied", request.reference, request.state.as_str());
    let mut d = Decision::about(request, Outcome::Unmatched, detail);
    d.event(EventKind::LateReply, format!("{} reply while {}; nothing changed", step.name(), request.state.as_str()));
    let content = Content::UnmatchedReply {
        why: Unmatched::WrongState,
        sender: sender.to_string(),
        request: Some(request.clone()),
        step: Some(step),
        offer_reply: false,
        unknown_reference: None,
    };
    queue_capped(&mut d, answer(inbound, content, request.locale), known, env);
    d
}

/// No command word (or both) in the sender's own text: the choices again, with the reply address.
fn no_command(c: &Reply<'_>, request: &Request, step: Step, command: Command) -> Decision {
    let Reply { inbound, sender, known, env, .. } = *c;
    let why = if command == Command::Ambiguous { Unmatched::Ambiguous } else { Unmatched::NoCommand };
    let detail = format!("{} reply to {}: {}", step.name(), request.reference, why.name());
    let mut d = Decision::about(request, Outcome::Unmatched, detail);
    let content = Content::UnmatchedReply {
        why,
        sender: sender.to_string(),
        request: Some(request.clone()),
        step: Some(step),
        offer_reply: true,
        unknown_reference: None,
    };
    queue_capped(&mut d, answer(inbound, content, request.locale), known, env);
    d
}

/// A reply to a desk email that expects no answer, or a mail naming a
/// reference without a key: nothing changes; say where the request stands.
pub(super) fn about_a_request(c: &Reply<'_>) -> Decision {
    let Reply { inbound, sender, known, env, .. } = *c;
    let about = known.by_thread.as_ref().or(known.by_subject.as_ref());
    let locale = about.map_or_else(|| senders_language(inbound, env), |r| r.locale);
    let why = match (&known.by_thread, &known.by_subject) {
        (Some(_), _) => Unmatched::WrongState,
        (None, Some(_)) => Unmatched::NotLinked,
        (None, None) => Unmatched::UnknownReference,
    };
    let mut d = Decision::new(Outcome::Unmatched, "reply that changes nothing");
    let step = about.and_then(|r| waiting_on(r, sender));
    let content = Content::UnmatchedReply {
        why,
        sender: sender.to_string(),
        request: about.cloned(),
        step,
        offer_reply: step.is_some(),
        unknown_reference: match why {
            Unmatched::UnknownReference => inbound.subject_reference.clone(),
            _ => None,
        },
    };
    if let Some(r) = about {
        d.request_id = r.id;
        d.detail = format!("reply about {} that changes nothing ({})", r.reference, why.name());
        d.event(EventKind::ReplyNotApplied, format!("{sender}: {}", why.name()));
    }
    queue_capped(&mut d, answer(inbound, content, locale), known, env);
    d
}

/// A customer writing afresh to the desk about their pending request: pointed to it, with its reply address again.
pub(super) fn customer_afresh(c: &Reply<'_>, request: &Request) -> Decision {
    let Reply { inbound, sender, known, env, .. } = *c;
    let mut d =
        Decision::about(request, Outcome::Unmatched, format!("{sender} wrote afresh about {}", request.reference));
    let content = Content::UnmatchedReply {
        why: Unmatched::NotLinked,
        sender: sender.to_string(),
        request: Some(request.clone()),
        step: Some(Step::Activation),
        offer_reply: true,
        unknown_reference: None,
    };
    queue_capped(&mut d, answer(inbound, content, request.locale), known, env);
    d
}
