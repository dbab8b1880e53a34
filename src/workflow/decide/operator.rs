//! An operator's commands on one request (SPEC §6): cancel a live request with a reason, send the awaited email again.
//!
//! They take the same path as mail: the shell loads the request, these
//! functions decide, the shell composes and commits. A command that cannot
//! apply is refused here, with the state that stops it.
use super::{Decision, Env, EventKind, Outcome, deadline_passed};
use crate::domain::State;
use crate::email::{CancelledBy, Content, EmailPlan, Origin};
use crate::request::Request;

/// Who gave an operator's command: the name the history records with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The console's signed-in operator, or the Unix user of the command line.
    pub name: String,
    pub via: Via,
}

/// Where an operator's command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    CommandLine,
    Console,
}

impl Via {
    pub fn name(self) -> &'static str {
        match self {
            Via::CommandLine => "command line",
            Via::Console => "console",
        }
    }
}

impl std::fmt::Display for Actor {
    /// "the operator alice on the console": what a history line says of who acted.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the operator {} on the {}", self.name, self.via.name())
    }
}

/// Why an operator's command does not apply to the request as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotApplicable {
    #[error("{reference} is {state}, closed already: only awaiting_review or pending_customer_acceptance can change")]
    Closed { reference: String, state: &'static str },
    #[error(
        "{reference} is past its deadline and waits on nobody: the next sweep closes it (or run `smartacct sweep`)"
    )]
    PastDeadline { reference: String },
}

/// `requests cancel REF [--reason TEXT]`: a live request becomes `cancelled`; the partner is told, with the reason.
pub fn cancel(request: &Request, reason: Option<&str>, by: &Actor, env: &Env<'_>) -> Result<Decision, NotApplicable> {
    if !request.state.is_live() {
        return Err(closed(request));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let mut after = request.clone();
    after.state = State::Cancelled;
    after.closed_at = Some(env.now);
    let mut d =
        Decision::about(request, Outcome::Cancelled, format!("{} cancelled by the operator", request.reference));
    let why = reason.as_deref().map_or_else(String::new, |r| format!(": {r}"));
    d.event(EventKind::Cancelled, format!("cancelled by {by} (was {}){why}", request.state.as_str()));
    let content = Content::Cancelled { request: after.clone(), by: CancelledBy::Operator { reason } };
    // Not an answer to a mail: a notice of its own, like the sweep's.
    d.emails.push(EmailPlan::new(content, after.partner_email.clone(), after.locale, Origin::Sweep));
    d.update(request, after);
    Ok(d)
}

/// `requests resend REF`: the email the request waits on, again, with the same
/// reply address (keys are derived from the reference): the review to the
/// partner, or the activation to the customer.
pub fn resend(request: &Request, by: &Actor, env: &Env<'_>) -> Result<Decision, NotApplicable> {
    let (content, to, event) = match request.state {
        State::AwaitingReview => {
            (Content::Review { request: request.clone() }, &request.partner_email, EventKind::ReviewSent)
        }
        State::PendingCustomerAcceptance => {
            (Content::Activation { request: request.clone() }, &request.customer_email, EventKind::ActivationSent)
        }
        _ => return Err(closed(request)),
    };
    // A late answer never beats a deadline; neither does an email sent again.
    if deadline_passed(request, env.now, env.settings).is_some() {
        return Err(NotApplicable::PastDeadline { reference: request.reference.to_string() });
    }
    let kind = content.kind();
    let mut d = Decision::about(request, Outcome::Resent, format!("{} {kind} email sent again", request.reference));
    d.event(event, format!("{kind} email to {to} sent again by {by}"));
    d.emails.push(EmailPlan::new(content, to.clone(), request.locale, Origin::Sweep));
    // No column changes, but the commit is still guarded by the state read:
    // a reply or the sweep that moved the request meanwhile makes this fail
    // instead of sending an email the request no longer waits on.
    d.update(request, request.clone());
    Ok(d)
}

fn closed(request: &Request) -> NotApplicable {
    NotApplicable::Closed { reference: request.reference.to_string(), state: request.state.as_str() }
}
