//! The outbox table: what is waiting to be sent, and what became of each email.
use chrono::{DateTime, Utc};
use std::sync::atomic::Ordering;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::dialect::{Builder, query};
use super::{Result, Store, StoreError, parse_opt_ts, parse_ts, ts};

/// The two queues the outbox machinery delivers: emails, and events to the provisioning system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Email,
    Hook,
}

impl Queue {
    fn table(self) -> &'static str {
        match self {
            Queue::Email => "outbox",
            Queue::Hook => "hook_events",
        }
    }

    /// What a recorded result also writes: an email's claim ends with it.
    fn unclaim(self) -> &'static str {
        match self {
            Queue::Email => ", claimed_by = NULL, claimed_until = NULL",
            Queue::Hook => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Self> {
        [OutboxStatus::Pending, OutboxStatus::Sent, OutboxStatus::Failed].into_iter().find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub request_id: Option<i64>,
    pub kind: crate::email::Kind,
    pub recipient: String,
    pub message_id: String,
    pub envelope_from: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Where the `smtp.max_retry_hours` window starts: creation, or the last `outbox retry`.
    pub retry_since: DateTime<Utc>,
    /// A deferred email (the sweep's): what to render at send time (JSON),
    /// until it is rendered; its bytes (`outbox_bodies`) are written then.
    pub plan: Option<String>,
}

pub(super) const COLUMNS: &str = "id, request_id, kind, recipient, message_id, envelope_from, subject, status, attempts, \
     next_attempt_at, last_error, created_at, sent_at, COALESCE(retry_since, created_at), plan";

pub(super) fn row_to_outbox(r: &AnyRow) -> Result<OutboxRow> {
    let d = delivery_state(r, 7, "outbox")?;
    Ok(OutboxRow {
        id: r.try_get(0)?,
        request_id: r.try_get(1)?,
        kind: {
            let kind: String = r.try_get(2)?;
            crate::email::Kind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("outbox kind {kind:?}")))?
        },
        recipient: r.try_get(3)?,
        message_id: r.try_get(4)?,
        envelope_from: r.try_get(5)?,
        subject: r.try_get(6)?,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at,
        last_error: d.last_error,
        created_at: d.created_at,
        sent_at: d.sent_at,
        retry_since: d.retry_since,
        plan: r.try_get(14)?,
    })
}

/// Where an email or an event stands in its delivery: the columns both queues share.
pub(super) struct DeliveryState {
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub retry_since: DateTime<Utc>,
}

/// The shared delivery columns, from `status` at index `at` on (status, attempts,
/// next_attempt_at, last_error, created_at, sent_at, retry_since).
pub(super) fn delivery_state(r: &AnyRow, at: usize, queue: &str) -> Result<DeliveryState> {
    let status: String = r.try_get(at)?;
    Ok(DeliveryState {
        status: OutboxStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("{queue} status {status:?}")))?,
        attempts: r.try_get(at + 1)?,
        next_attempt_at: parse_ts(&r.try_get::<String, _>(at + 2)?)?,
        last_error: r.try_get(at + 3)?,
        created_at: parse_ts(&r.try_get::<String, _>(at + 4)?)?,
        sent_at: parse_opt_ts(r.try_get(at + 5)?)?,
        retry_since: parse_ts(&r.try_get::<String, _>(at + 6)?)?,
    })
}

impl Store {
    /// Pending emails after `after_id`, oldest first: all of them, or only those whose backoff has passed.
    pub async fn due_outbox(
        &self,
        now: DateTime<Utc>,
        ignore_backoff: bool,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let backoff = if ignore_backoff { "" } else { "AND next_attempt_at <= ?" };
        let sql =
            format!("SELECT {COLUMNS} FROM outbox WHERE status = 'pending' AND id > ? {backoff} ORDER BY id LIMIT ?");
        let mut q = query(&sql).bind(after_id);
        if !ignore_backoff {
            q = q.bind(ts(now));
        }
        q.bind(limit).fetch_all(&self.pool).await?.iter().map(row_to_outbox).collect()
    }

    /// The next page of due emails with their bytes, for the sender, claimed
    /// for this process until the lease runs out: on PostgreSQL, processes
    /// sending side by side skip each other's claims, and a claim left by a
    /// process that died is taken again once its lease has passed. On SQLite
    /// the caller holds the send lock, so every earlier claim is stale.
    pub async fn due_to_send(
        &self,
        now: DateTime<Utc>,
        ignore_backoff: bool,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<(OutboxRow, Option<Vec<u8>>)>> {
        let backoff = if ignore_backoff { "" } else { "AND next_attempt_at <= ?5" };
        let sql = format!(
            "UPDATE outbox SET claimed_by = ?1, claimed_until = ?2 WHERE id IN (\
             SELECT id FROM outbox WHERE status = 'pending' AND id > ?3 {backoff} \
             AND (claimed_until IS NULL OR claimed_until < ?7 OR ?6 = 1) ORDER BY id LIMIT ?4{}) \
             RETURNING {COLUMNS}",
            self.backend.skip_locked()
        );
        // Leases run on the clock, never on the `now` a command was given (`sweep --now` in the future).
        let clock = Utc::now();
        let until = clock + chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::hours(1));
        let rows = {
            let _writer = self.writer.lock().await;
            query(&sql)
                .bind(&*self.claimer)
                .bind(ts(until))
                .bind(after_id)
                .bind(limit)
                .bind(ts(now))
                .bind(i64::from(self.backend == super::Backend::Sqlite))
                .bind(ts(clock))
                .fetch_all(&self.pool)
                .await?
        };
        self.claimed.fetch_add(rows.len() as i64, Ordering::SeqCst);
        let mut due: Vec<OutboxRow> = rows.iter().map(row_to_outbox).collect::<Result<_>>()?;
        due.sort_by_key(|r| r.id);
        // The bytes, read once claimed: a body never changes once written.
        let mut bodies = self.bodies(due.iter().filter(|r| r.plan.is_none()).map(|r| r.id)).await?;
        Ok(due
            .into_iter()
            .map(|r| {
                let body = bodies.remove(&r.id);
                (r, body)
            })
            .collect())
    }

    /// The bytes of the emails `ids` that have them.
    async fn bodies(&self, ids: impl Iterator<Item = i64>) -> Result<std::collections::HashMap<i64, Vec<u8>>> {
        let ids: Vec<i64> = ids.collect();
        let mut bodies = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(super::commit::ROWS_PER_STATEMENT) {
            let mut q = Builder::new(self.backend, "SELECT outbox_id, raw FROM outbox_bodies WHERE outbox_id IN (");
            q.push_list(chunk.iter().copied()).push(")");
            for r in q.build().fetch_all(&self.pool).await? {
                bodies.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        Ok(bodies)
    }

    /// How long after claiming a page a send may still start: half the lease
    /// (`database.claim_lease_secs`), so a send in flight never outlives its
    /// claim. None on SQLite, where no other process could take the email.
    pub fn claim_deadline(&self) -> Option<std::time::Duration> {
        match self.backend {
            super::Backend::Sqlite => None,
            super::Backend::Postgres => Some(self.lease / 2),
        }
    }

    /// How long a claim holds (`database.claim_lease_secs`).
    pub fn claim_lease(&self) -> std::time::Duration {
        self.lease
    }

    /// Gives back the emails this process claimed and did not send (a pass
    /// that stopped early), so another process need not wait for the lease.
    /// When every email it claimed has its result recorded (each result ends
    /// its claim), there is nothing to give back and no statement is run: on
    /// PostgreSQL this one, twice a delivery pass, was a scan of the outbox.
    pub async fn release_claims(&self) -> Result<()> {
        // Taken before the statement: claims made while it runs are counted anew.
        let outstanding = self.claimed.swap(0, Ordering::SeqCst);
        if outstanding == 0 {
            return Ok(());
        }
        let _writer = self.writer.lock().await;
        let released = query(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND status = 'pending'",
        )
        .bind(&*self.claimer)
        .execute(&self.pool)
        .await;
        if let Err(e) = released {
            // Not given back: the next pass tries again.
            self.claimed.fetch_add(outstanding.max(1), Ordering::SeqCst);
            return Err(e.into());
        }
        Ok(())
    }

    /// A result recorded for `n` claimed emails ends their claims.
    fn results_recorded(&self, queue: Queue, n: usize) {
        if queue == Queue::Email {
            self.claimed.fetch_sub(n as i64, Ordering::SeqCst);
        }
    }

    /// When the earliest pending email is due.
    pub async fn next_outbox_attempt(&self) -> Result<Option<DateTime<Utc>>> {
        let row =
            query("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'").fetch_one(&self.pool).await?;
        parse_opt_ts(row.try_get(0)?)
    }

    /// The bytes of one outbox email: empty while a deferred email is not yet
    /// rendered, and once retention erased them.
    pub async fn outbox_raw(&self, id: i64) -> Result<Vec<u8>> {
        Ok(self.bodies(std::iter::once(id)).await?.remove(&id).unwrap_or_default())
    }

    pub async fn outbox_for_request(&self, request_id: i64) -> Result<Vec<OutboxRow>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE request_id = ? ORDER BY id");
        query(&sql).bind(request_id).fetch_all(&self.pool).await?.iter().map(row_to_outbox).collect()
    }

    pub async fn list_outbox(&self, only_failed: bool) -> Result<Vec<OutboxRow>> {
        let filter = if only_failed { "WHERE status = 'failed'" } else { "" };
        let sql = format!("SELECT {COLUMNS} FROM outbox {filter} ORDER BY id");
        query(&sql).fetch_all(&self.pool).await?.iter().map(row_to_outbox).collect()
    }

    /// A deferred email as rendered for its send: its bytes and subject are kept
    /// from now on (what was sent is what the outbox shows), and it is an email
    /// like any other. Only the first rendering is kept.
    pub async fn store_rendered(&self, id: i64, subject: &str, raw: &[u8]) -> Result<()> {
        let _writer = self.writer.lock().await;
        let mut tx = self.write().await?;
        let rendered = query("UPDATE outbox SET subject = ?, plan = NULL WHERE id = ? AND plan IS NOT NULL")
            .bind(subject)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if rendered.rows_affected() == 1 {
            query("INSERT INTO outbox_bodies (outbox_id, raw) VALUES (?, ?)")
                .bind(id)
                .bind(raw)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sent: the emails (or events) `ids`, recorded in one statement as soon
    /// as their sends end (delivery gathers the results that end together).
    pub async fn mark_sent(&self, queue: Queue, ids: &[i64], at: DateTime<Utc>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut sql = Builder::new(self.backend, "UPDATE ");
        sql.push(queue.table()).push(" SET status = 'sent', sent_at = ").push_bind(ts(at));
        sql.push(", attempts = attempts + 1, last_error = NULL").push(queue.unclaim());
        sql.push(" WHERE id IN (").push_list(ids.iter().copied()).push(")");
        let _writer = self.writer.lock().await;
        sql.build().execute(&self.pool).await?;
        self.results_recorded(queue, ids.len());
        Ok(())
    }

    /// A temporary failure: try again at `next`.
    pub async fn mark_retry(&self, queue: Queue, id: i64, error: &str, next: DateTime<Utc>) -> Result<()> {
        let _writer = self.writer.lock().await;
        let sql = format!(
            "UPDATE {} SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?{} WHERE id = ? AND status = 'pending'",
            queue.table(),
            queue.unclaim()
        );
        query(&sql).bind(error).bind(ts(next)).bind(id).execute(&self.pool).await?;
        self.results_recorded(queue, 1);
        Ok(())
    }

    /// A permanent failure (or retries exhausted): kept, visible, not retried.
    pub async fn mark_failed(&self, queue: Queue, id: i64, error: &str) -> Result<()> {
        let _writer = self.writer.lock().await;
        let sql = format!(
            "UPDATE {} SET status = 'failed', attempts = attempts + 1, last_error = ?{} WHERE id = ?",
            queue.table(),
            queue.unclaim()
        );
        query(&sql).bind(error).bind(id).execute(&self.pool).await?;
        self.results_recorded(queue, 1);
        Ok(())
    }

    /// Puts a failed email or event back in the queue (`outbox retry`), with a fresh retry window.
    pub async fn retry_outbox(&self, queue: Queue, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let _writer = self.writer.lock().await;
        let sql = format!(
            "UPDATE {} SET status = 'pending', next_attempt_at = ?1, retry_since = ?1 WHERE id = ?2 AND status = 'failed'",
            queue.table()
        );
        let done = query(&sql).bind(ts(now)).bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }
}
