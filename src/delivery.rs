//! Delivering the outbox: several sends at once through the SMTP pool, each result written back.
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;

use crate::smtp::{SendError, Smtp};
use crate::store::{OutboxRow, Store, StoreError};

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
    let mut total = Delivered::default();
    let mut seen = std::collections::HashSet::new();
    loop {
        let due: Vec<OutboxRow> =
            store.due_outbox(now, ignore_backoff, 200).await?.into_iter().filter(|r| seen.insert(r.id)).collect();
        if due.is_empty() {
            return Ok(total);
        }
        let results = futures::stream::iter(due)
            .map(|row| async move {
                let raw = store.outbox_raw(row.id).await?;
                let result = smtp.send(&row.envelope_from, &row.recipient, &raw).await;
                Ok::<_, StoreError>((row, result))
            })
            .buffer_unordered(smtp.pool_size.max(1))
            .collect::<Vec<_>>()
            .await;
        for r in results {
            let (row, result) = r?;
            match result {
                Ok(()) => {
                    store.mark_sent(row.id, Utc::now()).await?;
                    tracing::info!(outbox = row.id, kind = %row.kind, to = %row.recipient, "email sent");
                    total.sent += 1;
                }
                Err(SendError::Permanent(e)) => {
                    store.mark_failed(row.id, &e).await?;
                    tracing::error!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, "email refused permanently; marked failed");
                    total.failed += 1;
                }
                Err(SendError::Temporary(e)) => {
                    if now - row.created_at > Duration::hours(max_retry_hours as i64) {
                        let why = format!("gave up after {max_retry_hours} h: {e}");
                        store.mark_failed(row.id, &why).await?;
                        tracing::error!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, "email still undeliverable after smtp.max_retry_hours; marked failed");
                        total.failed += 1;
                    } else {
                        let next = now + backoff(row.attempts);
                        store.mark_retry(row.id, &e, next).await?;
                        tracing::warn!(outbox = row.id, kind = %row.kind, to = %row.recipient, error = %e, next_attempt = %next, "email not sent; will retry");
                        total.retrying += 1;
                    }
                }
            }
        }
    }
}

/// 30 s doubling per attempt, capped at an hour, with up to 25 % jitter so a
/// burst of failures does not retry in lockstep.
pub fn backoff(attempts: i64) -> Duration {
    let base = 30i64.saturating_mul(1i64 << attempts.clamp(0, 10)).min(3600);
    let mut b = [0u8; 2];
    getrandom::fill(&mut b).expect("the OS random source works");
    let jitter = (u16::from_le_bytes(b) as i64 * base / 4) / u16::MAX as i64;
    Duration::seconds(base + jitter)
}
