//! The operator's commands, from the command line and the console alike: `requests cancel` and `resend` (load,
//! decide, compose, commit: the path mail takes), `outbox retry`, `mail reprocess`; each written to the actions log.
use chrono::{DateTime, Utc};

use crate::app::App;
use crate::compose::{ComposeError, Outgoing};
use crate::decide::{self, Actor, Decision, Env, NotApplicable};
use crate::domain::Reference;
use crate::request::Request;
use crate::store::{ActionRecord, Queue, StoreError};

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
    by: &Actor,
    now: DateTime<Utc>,
) -> Result<Done, OperatorError> {
    let done = apply(app, reference, now, |r, env| decide::cancel(r, reason, by, env)).await;
    let reason = reason.map(str::trim).unwrap_or_default();
    logged(app, by, "cancel", reference.as_str(), now, done, |_| reason.to_string()).await
}

/// `requests resend REF`.
pub async fn resend(app: &App, reference: &Reference, by: &Actor, now: DateTime<Utc>) -> Result<Done, OperatorError> {
    let done = apply(app, reference, now, |r, env| decide::resend(r, by, env)).await;
    logged(app, by, "resend", reference.as_str(), now, done, |d| {
        d.outgoing.iter().map(|o| format!("{} email to {}", o.kind, o.to)).collect::<Vec<_>>().join(", ")
    })
    .await
}

/// Writes the action, done or refused, to the actions log, and hands back what came of it. The log is
/// the operators' record, not the change's: should it fail, the change stands and the failure is logged.
async fn logged<T, E: std::fmt::Display>(
    app: &App,
    by: &Actor,
    action: &str,
    target: &str,
    now: DateTime<Utc>,
    result: Result<T, E>,
    detail: impl FnOnce(&T) -> String,
) -> Result<T, E> {
    let (done, detail) = match &result {
        Ok(t) => (true, detail(t)),
        Err(e) => (false, e.to_string()),
    };
    let record =
        ActionRecord { at: now, operator: &by.name, via: by.via.name(), action, target, done, detail: &detail };
    if let Err(e) = app.store.record_action(&record).await {
        tracing::warn!(error = crate::telemetry::chain(&e), action, target, "cannot write the operators' actions log");
    }
    result
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

/// Why `outbox retry ID` did nothing.
#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    #[error("no such email #{0} (see `smartacct outbox list`)")]
    NoSuchEmail(i64),
    #[error("{what} #{id} is not a failed {what} (see `smartacct outbox list --failed`)")]
    NotFailed { what: &'static str, id: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `outbox retry ID [--event]`: a failed email (or event) goes back in the queue, with a fresh retry window.
pub async fn retry(app: &App, queue: Queue, id: i64, by: &Actor, now: DateTime<Utc>) -> Result<(), RetryError> {
    let (what, action) = match queue {
        Queue::Email => ("email", "retry_email"),
        Queue::Hook => ("event", "retry_event"),
    };
    let done = async {
        if queue == Queue::Email && app.store.outbox_email(id).await?.is_none() {
            return Err(RetryError::NoSuchEmail(id));
        }
        match app.store.retry_outbox(queue, id, now).await? {
            true => Ok(()),
            false => Err(RetryError::NotFailed { what, id }),
        }
    }
    .await;
    logged(app, by, action, &format!("#{id}"), now, done, |_| format!("{what} queued again")).await
}

/// Why `mail reprocess ID` did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReprocessError {
    #[error("no set-aside mail #{0} (see `smartacct mail list --set-aside`)")]
    NotSetAside(i64),
    #[error("mail #{0} was read again already (see `smartacct mail list`)")]
    AlreadyReprocessed(i64),
    #[error("mail #{id} is not in {folder} any more (moved or deleted by hand?); nothing was changed")]
    NotInRejected { id: i64, folder: String },
}

/// `mail reprocess ID`: the set-aside mail goes back from the rejected folder
/// to the inbox, its record no longer marks it as read, and a pass reads it
/// (a running service may read it first: the message's identity makes that harmless).
pub async fn reprocess(app: &App, id: i64, by: &Actor) -> anyhow::Result<crate::intake::PollReport> {
    release(app, id, by).await?;
    let (report, _) = crate::intake::poll_and_deliver(app).await?;
    Ok(report)
}

/// The first half of `mail reprocess ID`, and all of the console's: the set-aside mail goes back to the
/// inbox and its record no longer marks it as read; the mailbox watcher (or a pass) reads it next.
pub async fn release(app: &App, id: i64, by: &Actor) -> anyhow::Result<()> {
    let done = move_back(app, id).await;
    let shown = done.as_ref().map_err(|e| crate::telemetry::chain(e.as_ref()));
    let folder = app.settings.imap.as_ref().map_or("the LMTP door", |i| i.folder.as_str());
    logged(app, by, "reprocess", &format!("#{id}"), Utc::now(), shown, |_| format!("moved back to {folder}"))
        .await
        .ok();
    done
}

async fn move_back(app: &App, id: i64) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let row = app.store.inbound_by_id(id).await?;
    let row = row
        .filter(|r| crate::store::SET_ASIDE.contains(&r.outcome.as_str()) || r.outcome == crate::store::REPROCESSED)
        .ok_or(ReprocessError::NotSetAside(id))?;
    if row.folder == crate::intake::LMTP_FOLDER {
        // Mail from the LMTP door waits in the database, not in a folder: it is read again here.
        if row.outcome == crate::store::REPROCESSED {
            return Err(ReprocessError::AlreadyReprocessed(id).into());
        }
        let raw = app.store.inbound_raw(id).await?.context("its bytes were not kept (erased by retention?)")?;
        app.store.release_set_aside(id, Utc::now()).await?;
        crate::intake::take(app, &raw).await?;
        tracing::info!(id, "set-aside mail from the LMTP door read again");
        return Ok(());
    }
    let s = app.settings.imap()?;
    let keyword = crate::intake::aside_keyword(row.uidvalidity, row.uid);
    let mut imap = crate::imap::Imap::connect(s, app.tokens.as_ref()).await?;
    let moved = async {
        imap.select(&s.rejected_folder).await?;
        let uids = imap.with_keyword(&keyword).await?;
        if uids.is_empty() && row.outcome == crate::store::REPROCESSED {
            return Err(ReprocessError::AlreadyReprocessed(id).into());
        }
        if uids.is_empty() {
            return Err(ReprocessError::NotInRejected { id, folder: s.rejected_folder.clone() }.into());
        }
        // Released first: should the move fail, running this again finds it in the same place.
        app.store.release_set_aside(id, Utc::now()).await?;
        imap.move_to(&uids, &s.folder).await.with_context(|| format!("cannot move mail #{id} back to {}", s.folder))?;
        anyhow::Ok(())
    }
    .await;
    imap.logout().await;
    moved?;
    tracing::info!(id, folder = %s.folder, "set-aside mail moved back to be read again");
    Ok(())
}
