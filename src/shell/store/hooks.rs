//! The events outbox: what the provisioning system has yet to hear, and what became of each event.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::dialect::query;
use super::outbox::{OutboxStatus, delivery_state};
use super::{Result, Store, parse_opt_ts};

/// One event row.
#[derive(Debug, Clone)]
pub struct HookRow {
    pub id: i64,
    pub event_id: String,
    pub request_id: i64,
    pub kind: String,
    pub body: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Where the `hooks.max_retry_hours` window starts: creation, or the last `outbox retry --event`.
    pub retry_since: DateTime<Utc>,
}

pub(super) const COLUMNS: &str = "id, event_id, request_id, type, body, status, attempts, next_attempt_at, last_error, \
     created_at, sent_at, COALESCE(retry_since, created_at)";

pub(super) fn row_to_hook(r: &AnyRow) -> Result<HookRow> {
    let d = delivery_state(r, 5, "event")?;
    Ok(HookRow {
        id: r.try_get(0)?,
        event_id: r.try_get(1)?,
        request_id: r.try_get(2)?,
        kind: r.try_get(3)?,
        body: r.try_get(4)?,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at,
        last_error: d.last_error,
        created_at: d.created_at,
        sent_at: d.sent_at,
        retry_since: d.retry_since,
    })
}

impl Store {
    /// Pending events after `after_id`, oldest first (backoff not applied: the
    /// caller keeps each request's events in order, so it must see them all).
    pub async fn pending_hooks(&self, after_id: i64, limit: i64) -> Result<Vec<HookRow>> {
        let sql = format!("SELECT {COLUMNS} FROM hook_events WHERE status = 'pending' AND id > ? ORDER BY id LIMIT ?");
        let rows = query(&sql).bind(after_id).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(row_to_hook).collect()
    }

    /// Requests with an event that failed for good: their later events wait for `outbox retry --event`.
    pub async fn requests_with_failed_hooks(&self) -> Result<HashSet<i64>> {
        let rows =
            query("SELECT DISTINCT request_id FROM hook_events WHERE status = 'failed'").fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// When the earliest pending event is due.
    pub async fn next_hook_attempt(&self) -> Result<Option<DateTime<Utc>>> {
        let row = query("SELECT MIN(next_attempt_at) FROM hook_events WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await?;
        parse_opt_ts(row.try_get(0)?)
    }

    /// Every event (or only the failed ones), newest last.
    pub async fn list_hooks(&self, failed_only: bool) -> Result<Vec<HookRow>> {
        let filter = if failed_only { "WHERE status = 'failed'" } else { "" };
        let sql = format!("SELECT {COLUMNS} FROM hook_events {filter} ORDER BY id");
        let rows = query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(row_to_hook).collect()
    }

    /// A request's events, in order.
    pub async fn hooks_for_request(&self, request_id: i64) -> Result<Vec<HookRow>> {
        let sql = format!("SELECT {COLUMNS} FROM hook_events WHERE request_id = ? ORDER BY id");
        let rows = query(&sql).bind(request_id).fetch_all(&self.pool).await?;
        rows.iter().map(row_to_hook).collect()
    }
}
