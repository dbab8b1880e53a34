//! Delivering the outbox: several sends at once through the SMTP pool, each result written back.
use chrono::{DateTime, Duration, Utc};
use std::time::Instant;

use futures::{StreamExt, TryStreamExt};

use crate::app::App;
use crate::smtp::SendError;
use crate::store::{OutboxRow, Queue, StoreError};

mod recorder;
use recorder::Recorder;

/// Temporary failures wait 30 s, doubling per attempt, up to an hour.
pub(crate) const RETRY_BASE: std::time::Duration = std::time::Duration::from_secs(30);
pub(crate) const RETRY_CAP: std::time::Duration = std::time::Duration::from_secs(3600);
/// An email held up by the database (a restart, a failover) waits 5 s,
/// doubling, up to 5 minutes: such trouble passes in seconds, and the email
/// is not the cause.
const STORE_RETRY_BASE: std::time::Duration = std::time::Duration::from_secs(5);
const STORE_RETRY_CAP: std::time::Duration = std::time::Duration::from_secs(300);

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl std::ops::AddAssign for Delivered {
    fn add_assign(&mut self, other: Delivered) {
        self.sent += other.sent;
        self.retrying += other.retrying;
        self.failed += other.failed;
    }
}

/// Sends the pending outbox. With `ignore_backoff` (the one-shot commands)
/// every pending email is tried now; `run` honours each email's next attempt time.
pub async fn deliver(app: &App, now: DateTime<Utc>, ignore_backoff: bool) -> Result<Delivered, StoreError> {
    deliver_until(app, now, ignore_backoff, None).await
}

/// `deliver`, stopping early (after the sends in flight) once `stop` is set.
pub async fn deliver_until(
    app: &App,
    now: DateTime<Utc>,
    ignore_backoff: bool,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> Result<Delivered, StoreError> {
    let (store, smtp) = (&app.store, &app.smtp);
    let stopped = || stop.is_some_and(|s| *s.borrow());
    // One sender per database: wait for another process's pass to finish, then send what is left.
    let Some(_lock) = store.lock(crate::store::Lock::Outbox, smtp.timeout() * 3).await? else {
        tracing::info!("another smartacct process is delivering the outbox; leaving it to it");
        return Ok(Delivered::default());
    };
    // Claims an earlier pass could not give back (it ended on a database
    // error, with the database gone) would hold their emails for a whole
    // lease: this process sends one pass at a time, so none is in flight.
    store.release_claims().await?;
    let passes = async {
        let mut total = Delivered::default();
        let mut after = 0;
        loop {
            let (pass, last) = send_pages(app, now, ignore_backoff, &stopped, after).await?;
            total += pass;
            // A permanent failure may have queued an email (the partner told of an
            // undeliverable activation) after the last page was claimed: one more pass sends it.
            if pass.failed == 0 || stopped() || last == after {
                return Ok(total);
            }
            after = last;
        }
    };
    let total: Result<Delivered, StoreError> = passes.await;
    // Claims not sent on (a stop, a lease half gone, an error) go back at once, not at the lease's end.
    let released = store.release_claims().await;
    let total = total?;
    released?;
    Ok(total)
}

/// One pass over the due emails after id `after`, page by page; what it did
/// and the last id it claimed.
async fn send_pages(
    app: &App,
    now: DateTime<Utc>,
    ignore_backoff: bool,
    stopped: &(dyn Fn() -> bool + Sync),
    after: i64,
) -> Result<(Delivered, i64), StoreError> {
    let (store, smtp) = (&app.store, &app.smtp);
    let (recorder, writer) = Recorder::new(store, smtp.pool_size);
    let sending = async move {
        let recorder = &recorder;
        let max_retry_hours = app.settings.smtp.max_retry_hours;
        let last = std::sync::atomic::AtomicI64::new(after);
        let last = &last;
        // Pages by id, so emails that fail again never hide the ones after them.
        // The next page is claimed as soon as the last email of this one is handed
        // to a connection: the connections never wait for a page's slowest send.
        let page = store.backend().claim_page(smtp.pool_size);
        let pages = futures::stream::try_unfold(after, |after| async move {
            if stopped() || recorder.broken() {
                return Ok::<_, StoreError>(None);
            }
            let due = store.due_to_send(now, ignore_backoff, after, page).await?;
            let Some(max) = due.iter().map(|(r, _)| r.id).max() else { return Ok(None) };
            last.store(max, std::sync::atomic::Ordering::Relaxed);
            // A send starts only while its page's claim has half its lease left:
            // a slow server never lets a claim run out under a send in flight.
            let until = store.claim_deadline().map(|d| Instant::now() + d);
            Ok(Some((futures::stream::iter(due.into_iter().map(move |d| Ok::<_, StoreError>((d, until)))), max)))
        })
        .try_flatten()
        .try_take_while(|(_, until)| {
            let go = !stopped() && !recorder.broken() && until.is_none_or(|u| Instant::now() < u);
            std::future::ready(Ok(go))
        });
        // Each result is written as soon as its send ends, and a send ends only with a
        // turn, one per connection, given back once its result is committed: a crash
        // re-sends at most one email per connection. Twice as many emails as
        // connections are in hand, so a connection says the next envelope meanwhile.
        let outcomes = pages
            .map(|item| async move {
                let ((row, raw), _) = item?;
                let raw = match (&row.plan, raw) {
                    (None, Some(raw)) => raw,
                    (None, None) => {
                        // Only retention erases an email's bytes, long after its request closed.
                        let why = "its content was erased (retention.closed_days) before it could be sent";
                        store.mark_failed(Queue::Email, row.id, why).await?;
                        tracing::error!(outbox = row.id, kind = %row.kind, "cannot send a queued email: {why}; marked failed");
                        return Ok(Outcome::Failed);
                    }
                    (Some(plan), _) => match render_deferred(app, &row, plan, now).await {
                        Ok(raw) => raw,
                        // The database's trouble, not the email's: it stays pending, like a 4xx.
                        Err(e) if e.is_temporary() => {
                            let why = crate::telemetry::chain(&e);
                            let wait = crate::retry::delay(row.attempts as u32, STORE_RETRY_BASE, STORE_RETRY_CAP);
                            let next = now + Duration::from_std(wait).unwrap_or(Duration::minutes(5));
                            // Said before the retry is recorded: while the database is
                            // still away, recording it fails too, the pass ends on that
                            // error, and the next pass gives the claim back and sends it.
                            tracing::warn!(outbox = row.id, kind = %row.kind, error = %why, next_attempt = %next, "cannot render a queued email: the database did not answer; will retry");
                            store.mark_retry(Queue::Email, row.id, &why, next).await?;
                            return Ok(Outcome::Retrying);
                        }
                        Err(e) => {
                            let why = crate::telemetry::chain(&e);
                            store.mark_failed(Queue::Email, row.id, &why).await?;
                            tracing::error!(outbox = row.id, kind = %row.kind, error = %why, "cannot render a queued email; marked failed (`smartacct outbox retry` once the cause is fixed)");
                            return Ok(Outcome::Failed);
                        }
                    },
                };
                let result = smtp.send(&row.envelope_from, &row.recipient, &raw, || recorder.turn()).await;
                if result.is_ok() {
                    crate::faults::checkpoint("sent").await;
                }
                record(app, recorder, &row, result, now, max_retry_hours).await
            })
            .buffer_unordered(2 * smtp.pool_size.max(1));
        let mut outcomes = std::pin::pin!(outcomes);
        // Every send in flight ends and is recorded, even after an error.
        let mut total = Delivered::default();
        let mut first_error = None;
        while let Some(outcome) = outcomes.next().await {
            match outcome {
                Ok(Outcome::Sent) => total.sent += 1,
                Ok(Outcome::Retrying) => total.retrying += 1,
                Ok(Outcome::Failed) => total.failed += 1,
                Ok(Outcome::Unrecorded) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok((total, last.load(std::sync::atomic::Ordering::Relaxed))),
        }
        // The senders' side of the recorder is dropped here: the writer commits what is left and ends.
    };
    let (sent, written) = futures::future::join(sending, writer).await;
    // The writer's error is the cause of any email it left unrecorded.
    written?;
    sent
}

/// Why a sweep's notice could not be rendered at its send.
#[derive(Debug, thiserror::Error)]
enum RenderError {
    /// Reading its request or keeping its bytes: the database's trouble.
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the queued plan does not parse")]
    Plan(#[source] serde_json::Error),
    /// The row lacks what the notice is made from.
    #[error("{0}")]
    Missing(&'static str),
    #[error(transparent)]
    Compose(#[from] crate::compose::ComposeError),
}

impl RenderError {
    /// Whether the same rendering can succeed later: only when the database
    /// was in the way. What was queued, or its request as stored, that cannot
    /// become an email stays so until an operator steps in.
    fn is_temporary(&self) -> bool {
        match self {
            RenderError::Store(e) => e.is_temporary(),
            RenderError::Plan(_) | RenderError::Missing(_) | RenderError::Compose(_) => false,
        }
    }
}

/// A sweep's notice, rendered now from what was decided about its request;
/// its bytes are kept before the send, so a retry sends the same email.
async fn render_deferred(app: &App, row: &OutboxRow, plan: &str, now: DateTime<Utc>) -> Result<Vec<u8>, RenderError> {
    let deferred: crate::compose::Deferred = serde_json::from_str(plan).map_err(RenderError::Plan)?;
    let id = row.request_id.ok_or(RenderError::Missing("a queued email without its request"))?;
    let request = app.store.request_by_id(id).await?.ok_or(RenderError::Missing("its request is gone"))?;
    let bounce_id = row.envelope_from.split_once("+bounce-").and_then(|(_, r)| r.split_once('@')).map(|(b, _)| b);
    let bounce_id = bounce_id.ok_or(RenderError::Missing("a queued email without its bounce address"))?;
    let email = app.composer().compose_as(&deferred.plan(request)?, now, Some((row.message_id.as_str(), bounce_id)))?;
    app.store.store_rendered(row.id, &email.subject, &email.raw).await?;
    Ok(email.raw)
}

enum Outcome {
    Sent,
    Retrying,
    Failed,
    /// Sent, but the writer stopped on a database error first (its error is the pass's):
    /// the email stays pending and is sent again.
    Unrecorded,
}

async fn record(
    app: &App,
    recorder: &Recorder,
    row: &OutboxRow,
    result: Result<recorder::Turn<'_>, SendError>,
    now: DateTime<Utc>,
    max_retry_hours: u32,
) -> Result<Outcome, StoreError> {
    let store = &app.store;
    match result {
        Ok(turn) => {
            if !recorder.sent(turn, row.id).await {
                return Ok(Outcome::Unrecorded);
            }
            crate::metrics::email_sent(row.kind);
            tracing::info!(outbox = row.id, kind = %row.kind, to = %row.recipient, "email sent");
            Ok(Outcome::Sent)
        }
        // What the email's failure means is committed before the email is marked
        // failed: a database error in between leaves it pending (tried again, refused
        // again), never failed with its request left open and the partner not told.
        Err(SendError::Permanent(e)) => {
            let told = undeliverable(app, row, &e, now).await?;
            store.mark_failed(Queue::Email, row.id, told.as_deref().unwrap_or(&e)).await?;
            crate::metrics::email_failed(row.kind);
            tracing::error!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, "email refused permanently; marked failed");
            Ok(Outcome::Failed)
        }
        Err(SendError::Temporary(e)) if now - row.retry_since > Duration::hours(max_retry_hours as i64) => {
            let why = format!("gave up after {max_retry_hours} h: {e}");
            let told = undeliverable(app, row, &why, now).await?;
            store.mark_failed(Queue::Email, row.id, told.as_deref().unwrap_or(&why)).await?;
            crate::metrics::email_failed(row.kind);
            tracing::error!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, "email still undeliverable after smtp.max_retry_hours; marked failed");
            Ok(Outcome::Failed)
        }
        Err(SendError::Temporary(e)) => {
            let wait = crate::retry::delay(row.attempts as u32, RETRY_BASE, RETRY_CAP);
            let next = now + Duration::from_std(wait).unwrap_or(Duration::hours(1));
            store.mark_retry(Queue::Email, row.id, &e, next).await?;
            tracing::debug!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, next_attempt = %next, "email not sent; will retry");
            Ok(Outcome::Retrying)
        }
    }
}

/// An email that will never be sent: delivery reports it, and the core
/// decides what it means (an activation email makes its request
/// `undeliverable` and the partner is told), committed like any decision.
/// The error its commit recorded on the email, when there was one.
async fn undeliverable(
    app: &App,
    row: &OutboxRow,
    why: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let request = match row.request_id {
        Some(id) => app.store.request_by_id(id).await?,
        None => None,
    };
    let bounced =
        crate::decide::Bounced { outbox_id: row.id, kind: row.kind, recipient: row.recipient.clone(), request };
    let env = crate::decide::Env { settings: &app.settings, now, new_reference: crate::domain::Reference::generate() };
    let decision = crate::decide::delivery_failed(&bounced, &format!("{}: {why}", row.recipient), &env);
    if decision.change.is_none() {
        return Ok(None);
    }
    let composer = app.composer();
    // The state change commits with its emails or not at all: never a closed
    // request whose partner is silently not told.
    let outgoing = match decision.emails.iter().map(|p| composer.compose(p, now)).collect::<Result<Vec<_>, _>>() {
        Ok(outgoing) => outgoing,
        Err(e) => {
            tracing::error!(
                outbox = row.id,
                error = crate::telemetry::chain(&e),
                "cannot compose the email that tells the partner; the request is left as it is"
            );
            return Ok(None);
        }
    };
    match app.store.commit_decision(&decision, &outgoing, now).await {
        Ok(()) => {
            tracing::warn!(outbox = row.id, detail = %decision.detail, "activation email undeliverable; request closed, partner told");
            Ok(decision.fail_outbox.map(|(_, why)| why))
        }
        // The request moved on meanwhile (an answer, the sweep): nothing to close.
        Err(StoreError::Conflict(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::RenderError;
    use crate::store::StoreError;

    #[test]
    fn a_notice_the_database_kept_from_rendering_waits_and_one_that_cannot_become_an_email_fails() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(RenderError::Store(StoreError::Query(sqlx::Error::Io(refused))).is_temporary());
        assert!(RenderError::Store(StoreError::Query(sqlx::Error::PoolTimedOut)).is_temporary());
        let unparsable = serde_json::from_str::<crate::compose::Deferred>("{").unwrap_err();
        for permanent in [
            RenderError::Store(StoreError::Unreadable { request: "SA-7K3QX9PD".into(), problem: "a bad state".into() }),
            RenderError::Plan(unparsable),
            RenderError::Missing("its request is gone"),
            RenderError::Compose(crate::compose::ComposeError::Deferred("an unknown kind".into())),
        ] {
            assert!(!permanent.is_temporary(), "{permanent:?}");
        }
    }
}
