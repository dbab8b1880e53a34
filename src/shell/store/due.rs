//! The sweep's rows: requests a deadline is due for (the rule comes from `decide` as data), and completed sweeps.
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::dialect::{Builder, query};
use super::requests::{COLUMNS, readable_requests};
use super::{Result, Store, parse_opt_ts, ts};
use crate::decide::{Due, DueColumn};
use crate::request::Request;

impl Store {
    /// Up to `limit` requests that `due` selects, earliest deadline first.
    pub async fn due(&self, due: &Due, limit: i64) -> Result<Vec<Request>> {
        let column = match due.column {
            DueColumn::ExpiresAt => "expires_at",
            DueColumn::CreatedAt => "created_at",
            DueColumn::ClosedAt => "closed_at",
        };
        let mut q = Builder::new(self.backend, format!("SELECT {COLUMNS} FROM requests WHERE state IN ("));
        q.push_list(due.states.iter().map(|s| s.as_str())).push(")");
        if due.not_erased {
            q.push(" AND erased_at IS NULL");
        }
        q.push(format!(" AND {column} <= ")).push_bind(ts(due.at_or_before));
        if let Some(after) = due.after {
            q.push(format!(" AND {column} > ")).push_bind(ts(after));
        }
        if let Some(days) = due.reminder_above {
            q.push(" AND (last_reminder_days IS NULL OR last_reminder_days > ").push_bind(days as i64).push(")");
        }
        q.push(format!(" ORDER BY {column}, id LIMIT ")).push_bind(limit);
        Ok(readable_requests(&q.build().fetch_all(&self.pool).await?))
    }

    /// Records a completed sweep (what `run` catches up from).
    pub async fn record_sweep(
        &self,
        swept_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        counts: [usize; 3],
    ) -> Result<()> {
        let _writer = self.writer.lock().await;
        query("INSERT INTO sweeps (swept_at, finished_at, expired, reminded, review_expired) VALUES (?, ?, ?, ?, ?)")
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
        let row = query("SELECT MAX(swept_at) FROM sweeps").fetch_one(&self.pool).await?;
        parse_opt_ts(row.try_get(0)?)
    }
}
