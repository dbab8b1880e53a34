//! Delivering the outbox: several sends at once through the SMTP pool, each result written back.
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;

use crate::smtp::{SendError, Smtp};
use crate::store::{OutboxRow, Store, StoreError};

/// Temporary failures wait 30 s, doubling per attempt, up to an hour.
const RETRY_BASE: std::time::Duration = std::time::Duration::from_secs(30);
const RETRY_CAP: std::time::Duration = std::time::Duration::from_secs(3600);

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends the pending outbox. With `ignore_backoff` (the one-shot commands)
/// every pending email is tried now; `run` honours each email's next attempt time.
pub async fn deliver(
    store: &Store,
    smtp: &Smtp,
    now: DateTime<Utc>,
    ignore_backoff: bool,
    max_retry_hours: u32,
) -> Result<Delivered, StoreError> {
    deliver_until(store, smtp, now, ignore_backoff, max_retry_hours, None).await
}

/// `deliver`, stopping early (after the sends in flight) once `stop` is set.
pub async fn deliver_until(
    store: &Store,
    smtp: &Smtp,
    now: DateTime<Utc>,
    ignore_backoff: bool,
    max_retry_hours: u32,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> Result<Delivered, StoreError> {
    let stopped = || stop.is_some_and(|s| *s.borrow());
    // One sender per database: wait for another process's pass to finish, then send what is left.
    let Some(_lock) = store.send_lock(smtp.timeout() * 3).await? else {
        tracing::info!("another smartacct process is delivering the outbox; leaving it to it");
        return Ok(Delivered::default());
    };
    let mut total = Delivered::default();
    let mut seen = std::collections::HashSet::new();
    loop {
        let due: Vec<OutboxRow> =
            store.due_outbox(now, ignore_backoff, 200).await?.into_iter().filter(|r| seen.insert(r.id)).collect();
        if due.is_empty() || stopped() {
            return Ok(total);
        }
        // Each result is written as soon as its send ends, so a crash re-sends at most the emails in flight.
        let outcomes: Vec<Result<Outcome, StoreError>> = futures::stream::iter(due)
            .take_while(|_| std::future::ready(!stopped()))
            .map(|row| async move {
                let raw = store.outbox_raw(row.id).await?;
                let result = smtp.send(&row.envelope_from, &row.recipient, &raw).await;
                if result.is_ok() {
                    crate::faults::checkpoint("sent").await;
                }
                record(store, &row, result, now, max_retry_hours).await
            })
            .buffer_unordered(smtp.pool_size.max(1))
            .collect()
            .await;
        for outcome in outcomes {
            match outcome? {
                Outcome::Sent => total.sent += 1,
                Outcome::Retrying => total.retrying += 1,
                Outcome::Failed => total.failed += 1,
            }
        }
    }
}

enum Outcome {
    Sent,
    Retrying,
    Failed,
}

async fn record(
    store: &Store,
    row: &OutboxRow,
    result: Result<(), SendError>,
    now: DateTime<Utc>,
    max_retry_hours: u32,
) -> Result<Outcome, StoreError> {
    match result {
        Ok(()) => {
            store.mark_sent(row.id, Utc::now()).await?;
            tracing::info!(outbox = row.id, kind = %row.kind, to = %row.recipient, "email sent");
            Ok(Outcome::Sent)
        }
        Err(SendError::Permanent(e)) => {
            store.mark_failed(row.id, &e).await?;
            tracing::error!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, "email refused permanently; marked failed");
            Ok(Outcome::Failed)
        }
        Err(SendError::Temporary(e)) if now - row.created_at > Duration::hours(max_retry_hours as i64) => {
            store.mark_failed(row.id, &format!("gave up after {max_retry_hours} h: {e}")).await?;
            tracing::error!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, "email still undeliverable after smtp.max_retry_hours; marked failed");
            Ok(Outcome::Failed)
        }
        Err(SendError::Temporary(e)) => {
            let wait = crate::retry::delay(row.attempts as u32, RETRY_BASE, RETRY_CAP);
            let next = now + Duration::from_std(wait).unwrap_or(Duration::hours(1));
            store.mark_retry(row.id, &e, next).await?;
            tracing::debug!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, next_attempt = %next, "email not sent; will retry");
            Ok(Outcome::Retrying)
        }
    }
}
