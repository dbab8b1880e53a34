//! What `/metrics` and `/readyz` read from the database: counts that stay true across restarts.
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::dialect::query;
use super::{Result, Store, parse_opt_ts};
use crate::domain::State;

/// The gauges kept in the database, read on each scrape.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every state, at 0 too.
    pub requests: Vec<(State, i64)>,
    pub outbox_pending: i64,
    pub oldest_pending: Option<DateTime<Utc>>,
    /// When the last completed sweep finished (real time, whatever time it swept as).
    pub last_sweep: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let rows = query("SELECT state, COUNT(*) FROM requests GROUP BY state").fetch_all(&self.pool).await?;
        let counted: Vec<(String, i64)> =
            rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_>>()?;
        let requests = State::ALL
            .iter()
            .map(|s| (*s, counted.iter().find(|(name, _)| name == s.as_str()).map_or(0, |(_, n)| *n)))
            .collect();
        let row = query("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await?;
        let sweep = query("SELECT MAX(finished_at) FROM sweeps").fetch_one(&self.pool).await?;
        Ok(Snapshot {
            requests,
            outbox_pending: row.try_get(0)?,
            oldest_pending: parse_opt_ts(row.try_get(1)?)?,
            last_sweep: parse_opt_ts(sweep.try_get(0)?)?,
        })
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> Result<()> {
        query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }
}
