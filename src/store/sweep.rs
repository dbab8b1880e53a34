//! The sweep's SQL: due requests in batches, and each batch's changes as set-based statements in one transaction.
use chrono::{DateTime, Duration, Utc};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::requests::{COLUMNS, readable_requests, step_name};
use super::{Result, Store, parse_opt_ts, ts};
use crate::compose::Outgoing;
use crate::request::Request;

/// What one sweep step does to a batch of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepAction {
    /// `pending_customer_acceptance` past `expires_at` -> `expired`.
    Expire,
    /// Record that the reminder `days` before expiry was sent.
    Remind { days: u32 },
    /// `awaiting_review` older than `workflow.review_days` -> `review_expired`.
    ExpireReview,
}

/// One request's part of a sweep batch.
#[derive(Debug, Clone)]
pub struct SweepChange {
    pub request_id: i64,
    pub event: &'static str,
    pub detail: String,
    pub outgoing: Vec<Outgoing>,
}

/// SQLite's limit on bound variables is 32766; stay well under it.
const ROWS_PER_INSERT: usize = 500;

impl Store {
    pub async fn due_for_expiry(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<Request>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM requests WHERE state = 'pending_customer_acceptance' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ts(now)).bind(limit).fetch_all(&self.pool).await?;
        Ok(readable_requests(&rows))
    }

    /// Pending requests within `days` of expiry (but not yet expired) that have
    /// not had this reminder or a later one.
    pub async fn due_for_reminder(&self, now: DateTime<Utc>, days: u32, limit: i64) -> Result<Vec<Request>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM requests WHERE state = 'pending_customer_acceptance' AND expires_at > ? AND expires_at <= ? \
             AND (last_reminder_days IS NULL OR last_reminder_days > ?) ORDER BY expires_at, id LIMIT ?"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ts(now))
            .bind(ts(now + Duration::days(days as i64)))
            .bind(days as i64)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(readable_requests(&rows))
    }

    pub async fn due_for_review_expiry(
        &self,
        now: DateTime<Utc>,
        review_days: u32,
        limit: i64,
    ) -> Result<Vec<Request>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM requests WHERE state = 'awaiting_review' AND created_at <= ? ORDER BY created_at, id LIMIT ?"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ts(now - Duration::days(review_days as i64)))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(readable_requests(&rows))
    }

    /// Applies one batch in one transaction: a single conditional UPDATE over
    /// the batch (rows changed meanwhile by a reply are left out), then the
    /// history, reply keys and emails of exactly the rows it changed.
    /// Returns how many requests changed.
    pub async fn apply_sweep(&self, action: SweepAction, changes: &[SweepChange], now: DateTime<Utc>) -> Result<usize> {
        if changes.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write().await?;
        let mut changed = std::collections::HashSet::new();
        for chunk in changes.chunks(ROWS_PER_INSERT) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE requests SET ");
            match action {
                SweepAction::Expire => {
                    q.push("state = 'expired', closed_at = ").push_bind(ts(now));
                }
                SweepAction::ExpireReview => {
                    q.push("state = 'review_expired', closed_at = ").push_bind(ts(now));
                }
                SweepAction::Remind { days } => {
                    q.push("last_reminder_days = ").push_bind(days as i64);
                }
            }
            q.push(", updated_at = ").push_bind(ts(now)).push(" WHERE id IN (");
            let mut ids = q.separated(", ");
            for c in chunk {
                ids.push_bind(c.request_id);
            }
            q.push(") AND ");
            match action {
                SweepAction::Expire => {
                    q.push("state = 'pending_customer_acceptance' AND expires_at <= ").push_bind(ts(now));
                }
                SweepAction::ExpireReview => {
                    q.push("state = 'awaiting_review'");
                }
                SweepAction::Remind { days } => {
                    q.push("state = 'pending_customer_acceptance' AND expires_at > ")
                        .push_bind(ts(now))
                        .push(" AND (last_reminder_days IS NULL OR last_reminder_days > ")
                        .push_bind(days as i64)
                        .push(")");
                }
            }
            q.push(" RETURNING id");
            for row in q.build().fetch_all(&mut *tx).await? {
                changed.insert(row.get::<i64, _>(0));
            }
        }
        let kept: Vec<&SweepChange> = changes.iter().filter(|c| changed.contains(&c.request_id)).collect();

        for chunk in kept.chunks(ROWS_PER_INSERT) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO events (request_id, at, kind, detail) ");
            q.push_values(chunk, |mut b, c| {
                b.push_bind(c.request_id).push_bind(ts(now)).push_bind(c.event).push_bind(&c.detail);
            });
            q.build().execute(&mut *tx).await?;
        }
        let emails: Vec<(i64, &Outgoing)> =
            kept.iter().flat_map(|c| c.outgoing.iter().map(move |o| (c.request_id, o))).collect();
        let keyed: Vec<&(i64, &Outgoing)> = emails.iter().filter(|(_, o)| o.key.is_some()).collect();
        for chunk in keyed.chunks(ROWS_PER_INSERT) {
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT OR IGNORE INTO tokens (token_hash, request_id, step, created_at) ");
            q.push_values(chunk, |mut b, (rid, o)| {
                let key = o.key.as_ref().expect("filtered on key");
                b.push_bind(key.token.hash()).push_bind(*rid).push_bind(step_name(key.step)).push_bind(ts(now));
            });
            q.build().execute(&mut *tx).await?;
        }
        for chunk in emails.chunks(ROWS_PER_INSERT / 2) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO outbox (request_id, kind, recipient, message_id, bounce_id, envelope_from, subject, raw, next_attempt_at, created_at) ",
            );
            q.push_values(chunk, |mut b, (rid, o)| {
                b.push_bind(*rid)
                    .push_bind(o.kind.name())
                    .push_bind(o.to.as_str())
                    .push_bind(&o.message_id)
                    .push_bind(&o.bounce_id)
                    .push_bind(o.envelope_from.as_str())
                    .push_bind(&o.subject)
                    .push_bind(&o.raw)
                    .push_bind(ts(now))
                    .push_bind(ts(now));
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(kept.len())
    }

    /// Records a completed sweep (what `run` catches up from).
    pub async fn record_sweep(
        &self,
        swept_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        counts: [usize; 3],
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sweeps (swept_at, finished_at, expired, reminded, review_expired) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(ts(swept_at))
        .bind(ts(finished_at))
        .bind(counts[0] as i64)
        .bind(counts[1] as i64)
        .bind(counts[2] as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The time the last completed sweep ran as, if any.
    pub async fn last_sweep(&self) -> Result<Option<DateTime<Utc>>> {
        let row = sqlx::query("SELECT MAX(swept_at) FROM sweeps").fetch_one(&self.pool).await?;
        parse_opt_ts(row.try_get(0)?)
    }
}
