//! The sweep's rows: requests a deadline is due for (the rule comes from `decide` as data), and completed sweeps.
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::dialect::{Builder, query};
use super::requests::{COLUMNS, readable_requests};
use super::{Result, Store, parse_opt_ts, ts};
use crate::decide::{Due, DueColumn};
use crate::request::Request;

/// Where a page of due requests ended: the deadline as stored, and the id.
#[derive(Debug, Clone)]
pub struct DueKey(String, i64);

/// How many columns `COLUMNS` names (the deadline follows them).
const COLUMN_COUNT: usize = 20;

impl Store {
    /// Up to `limit` requests that `due` selects, earliest deadline first,
    /// after the page that ended at `after`; with the key this page ends at
    /// (`None`: nothing more). Pages by key, so rows the sweep left as they
    /// were, or that cannot be read (named in the log), never stop the pages
    /// after them.
    pub async fn due(&self, due: &Due, after: Option<&DueKey>, limit: i64) -> Result<(Vec<Request>, Option<DueKey>)> {
        let column = match due.column {
            DueColumn::ExpiresAt => "expires_at",
            DueColumn::CreatedAt => "created_at",
            DueColumn::ClosedAt => "closed_at",
        };
        let mut q = Builder::new(self.backend, format!("SELECT {COLUMNS}, {column} FROM requests WHERE state IN ("));
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
        if let Some(DueKey(value, id)) = after {
            q.push(format!(" AND ({column} > ")).push_bind(value.as_str());
            q.push(format!(" OR ({column} = ")).push_bind(value.as_str()).push(" AND id > ").push_bind(*id).push("))");
        }
        q.push(format!(" ORDER BY {column}, id LIMIT ")).push_bind(limit);
        let rows = q.build().fetch_all(&self.pool).await?;
        let key = match rows.last() {
            Some(r) => Some(DueKey(r.try_get(COLUMN_COUNT)?, r.try_get(0)?)),
            None => None,
        };
        Ok((readable_requests(&rows), key))
    }

    /// Records a completed sweep. Only the ones `run`'s schedule fired
    /// (`by_schedule`, run as the wall clock) are what `run` catches up from.
    pub async fn record_sweep(
        &self,
        swept_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        counts: [usize; 3],
        by_schedule: bool,
    ) -> Result<()> {
        let _writer = self.writer.lock().await;
        query(
            "INSERT INTO sweeps (swept_at, finished_at, expired, reminded, review_expired, by_schedule) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(ts(swept_at))
        .bind(ts(finished_at))
        .bind(counts[0] as i64)
        .bind(counts[1] as i64)
        .bind(counts[2] as i64)
        .bind(by_schedule as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// When `run`'s schedule last completed a sweep (wall clock), if ever: an
    /// operator's `sweep --now`, past or future, never moves it (SPEC §6).
    pub async fn last_scheduled_sweep(&self) -> Result<Option<DateTime<Utc>>> {
        let row = query("SELECT MAX(swept_at) FROM sweeps WHERE by_schedule = 1").fetch_one(&self.pool).await?;
        parse_opt_ts(row.try_get(0)?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_count_is_the_number_of_columns() {
        assert_eq!(super::COLUMNS.split(',').count(), super::COLUMN_COUNT);
    }
}
