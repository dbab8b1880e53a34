//! The operator's commands on requests (`requests cancel`, `requests resend`): load, decide, compose, commit — the path mail takes.
use chrono::{DateTime, Utc};

use crate::app::App;
use crate::compose::{ComposeError, Outgoing};
use crate::decide::{self, Decision, Env, NotApplicable};
use crate::domain::Reference;
use crate::request::Request;
use crate::store::StoreError;

/// Why an operator's command changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("no request {0}")]
    NoSuchRequest(Reference),
    #[error(transparent)]
    NotApplicable(#[from] NotApplicable),
    #[error("cannot compose the email")]
    Compose(#[from] ComposeError),
    #[error("{0} changed meanwhile (a reply or the sweep); nothing was done: look at it again")]
    ChangedMeanwhile(Reference),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for OperatorError {
    fn from(e: StoreError) -> Self {
        OperatorError::Store(e)
    }
}

/// What a command committed: the decision and the emails queued for it.
pub struct Done {
    pub request: Request,
    pub decision: Decision,
    pub outgoing: Vec<Outgoing>,
}

/// `requests cancel REF [--reason TEXT]`.
pub async fn cancel(
    app: &App,
    reference: &Reference,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Done, OperatorError> {
    apply(app, reference, now, |r, env| decide::cancel(r, reason, env)).await
}

/// `requests resend REF`.
pub async fn resend(app: &App, reference: &Reference, now: DateTime<Utc>) -> Result<Done, OperatorError> {
    apply(app, reference, now, decide::resend).await
}

async fn apply(
    app: &App,
    reference: &Reference,
    now: DateTime<Utc>,
    decide: impl FnOnce(&Request, &Env<'_>) -> Result<Decision, NotApplicable>,
) -> Result<Done, OperatorError> {
    let request = app
        .store
        .request_by_reference(reference)
        .await?
        .ok_or_else(|| OperatorError::NoSuchRequest(reference.clone()))?;
    let env = Env { settings: &app.settings, now, new_reference: Reference::generate() };
    let decision = decide(&request, &env)?;
    let composer = app.composer();
    let outgoing = decision.emails.iter().map(|p| composer.compose(p, now)).collect::<Result<Vec<_>, _>>()?;
    // Guarded like every change: a reply or the sweep committing meanwhile
    // (a running service) makes this fail, never overwrite.
    match app.store.commit_decision(&decision, &outgoing, now).await {
        Ok(()) => Ok(Done { request, decision, outgoing }),
        Err(StoreError::Conflict(_)) => Err(OperatorError::ChangedMeanwhile(reference.clone())),
        Err(e) => Err(e.into()),
    }
}
