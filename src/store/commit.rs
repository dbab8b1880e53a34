//! Applying a `Decision` in one transaction: the request change, its history, its reply keys, its emails, and the inbound record.
use chrono::{DateTime, Utc};
use sqlx::{Row, Sqlite, Transaction};

use super::requests::step_name;
use super::{Result, Store, StoreError, ts};
use crate::compose::Outgoing;
use crate::decide::{Change, Decision};
use crate::request::Request;

/// Where an inbound message was found: its identity for SPEC §5.
#[derive(Debug, Clone)]
pub struct InboundRecord {
    pub message_id: String,
    /// With the Message-ID, the message's identity (see `Mail::content_hash`).
    pub content_hash: String,
    pub folder: String,
    pub uidvalidity: u32,
    pub uid: u32,
    pub sender: Option<String>,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// Applied; the id of the request it concerned, if any.
    Applied { request_id: Option<i64> },
    /// The Message-ID was processed before: nothing was changed.
    Duplicate,
    /// Recorded without being read (the reader failed on it): it goes to the rejected folder.
    SetAside,
}

impl Store {
    /// Commits everything a message caused, or nothing. A message whose
    /// Message-ID is already recorded changes nothing (returns `Duplicate`).
    pub async fn commit_inbound(
        &self,
        record: &InboundRecord,
        decision: &Decision,
        outgoing: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<Committed> {
        let mut tx = self.write().await?;
        let Some(inbound_id) = insert_inbound(&mut *tx, record, decision.outcome, &decision.detail, now).await? else {
            tx.rollback().await?;
            return Ok(Committed::Duplicate);
        };

        let request_id = apply(&mut tx, decision, outgoing, now).await?;
        if request_id.is_some() {
            sqlx::query("UPDATE inbound SET request_id = ? WHERE id = ?")
                .bind(request_id)
                .bind(inbound_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Committed::Applied { request_id })
    }

    /// The UIDVALIDITY of `folder` when a message was last taken from it.
    pub async fn last_uidvalidity(&self, folder: &str) -> Result<Option<u32>> {
        let row = sqlx::query("SELECT uidvalidity FROM inbound WHERE folder = ? ORDER BY id DESC LIMIT 1")
            .bind(folder)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<i64, _>(0) as u32))
    }

    /// Commits a decision that no inbound message caused (a refused send).
    pub async fn commit_decision(&self, decision: &Decision, outgoing: &[Outgoing], now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.write().await?;
        apply(&mut tx, decision, outgoing, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a message that was not read as mail (too large, unreadable) so it is never taken again.
    pub async fn record_set_aside(
        &self,
        record: &InboundRecord,
        outcome: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        insert_inbound(&self.pool, record, outcome, detail, now).await?;
        Ok(())
    }
}

/// Records an inbound message unless its Message-ID is already recorded; its row id, or `None` for a duplicate.
async fn insert_inbound<'e>(
    db: impl sqlx::Executor<'e, Database = Sqlite>,
    record: &InboundRecord,
    outcome: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let row = sqlx::query(
        "INSERT INTO inbound (message_id, content_hash, folder, uidvalidity, uid, sender, subject, outcome, detail, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(message_id, content_hash) DO NOTHING RETURNING id",
    )
    .bind(&record.message_id)
    .bind(&record.content_hash)
    .bind(&record.folder)
    .bind(record.uidvalidity as i64)
    .bind(record.uid as i64)
    .bind(&record.sender)
    .bind(&record.subject)
    .bind(outcome)
    .bind(detail)
    .bind(ts(now))
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

/// The request change, events, keys and outbox rows of a decision, inside `tx`.
/// Returns the id of the request concerned.
pub(super) async fn apply(
    tx: &mut Transaction<'static, Sqlite>,
    decision: &Decision,
    outgoing: &[Outgoing],
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let request_id = match &decision.change {
        None => decision.request_id,
        Some(Change::Create(r)) => Some(insert_request(tx, r, now).await?),
        Some(Change::Update { from, request }) => {
            let id = request.id.ok_or_else(|| StoreError::Corrupt("update of a request without id".into()))?;
            let done = sqlx::query(
                "UPDATE requests SET state = ?, submitted_at = ?, expires_at = ?, activated_at = ?, closed_at = ?, \
                 last_reminder_days = ?, updated_at = ? WHERE id = ? AND state = ?",
            )
            .bind(request.state.as_str())
            .bind(request.submitted_at.map(ts))
            .bind(request.expires_at.map(ts))
            .bind(request.activated_at.map(ts))
            .bind(request.closed_at.map(ts))
            .bind(request.last_reminder_days.map(|d| d as i64))
            .bind(ts(now))
            .bind(id)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(request.reference.to_string()));
            }
            Some(id)
        }
    };

    if let Some((outbox_id, why)) = &decision.fail_outbox {
        sqlx::query("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?")
            .bind(why)
            .bind(outbox_id)
            .execute(&mut **tx)
            .await?;
    }

    if let Some(id) = request_id {
        for e in &decision.events {
            sqlx::query("INSERT INTO events (request_id, at, kind, detail) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(ts(now))
                .bind(e.kind)
                .bind(&e.detail)
                .execute(&mut **tx)
                .await?;
        }
    }

    for o in outgoing {
        let rid = if o.about_request { o.request_id.or(request_id) } else { None };
        if let (Some(key), Some(rid)) = (&o.key, rid) {
            sqlx::query("INSERT OR IGNORE INTO tokens (token_hash, request_id, step, created_at) VALUES (?, ?, ?, ?)")
                .bind(key.token.hash())
                .bind(rid)
                .bind(step_name(key.step))
                .bind(ts(now))
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO outbox (request_id, kind, recipient, message_id, bounce_id, envelope_from, subject, raw, \
             next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(rid)
        .bind(o.kind.name())
        .bind(o.to.as_str())
        .bind(&o.message_id)
        .bind(&o.bounce_id)
        .bind(o.envelope_from.as_str())
        .bind(&o.subject)
        .bind(&o.raw)
        .bind(ts(now))
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
    }
    Ok(request_id)
}

async fn insert_request(tx: &mut Transaction<'static, Sqlite>, r: &Request, now: DateTime<Utc>) -> Result<i64> {
    let users: Vec<&str> = r.user_emails.iter().map(|u| u.as_str()).collect();
    let row = sqlx::query(
        "INSERT INTO requests (reference, state, account_name, account_domain, customer_email, partner_email, user_emails, \
         note_to_customer, note_to_users, locale, created_at, submitted_at, expires_at, activated_at, closed_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(r.reference.as_str())
    .bind(r.state.as_str())
    .bind(&r.account_name)
    .bind(r.account_domain.as_str())
    .bind(r.customer_email.as_str())
    .bind(r.partner_email.as_str())
    .bind(serde_json::to_string(&users).expect("strings serialize"))
    .bind(&r.note_to_customer)
    .bind(&r.note_to_users)
    .bind(r.locale.as_str())
    .bind(ts(r.created_at))
    .bind(r.submitted_at.map(ts))
    .bind(r.expires_at.map(ts))
    .bind(r.activated_at.map(ts))
    .bind(r.closed_at.map(ts))
    .bind(ts(now))
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.get(0))
}
