//! Applying decisions in one transaction, one or a batch at once: the request changes, their history, reply keys, emails, and the inbound record.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::any::Any;
use sqlx::{AnyConnection, Connection, Row, Transaction};

use super::deferred::Deferred;
use super::dialect::{Backend, Builder, query};
use super::requests::step_name;
use super::{Result, Store, StoreError, ts};
use crate::compose::Outgoing;
use crate::decide::{Change, Decision};
use crate::domain::State;
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

/// A decision with the emails composed for it: what one commit applies.
pub type Planned = (Decision, Vec<Outgoing>);

impl Store {
    /// The UIDVALIDITY of `folder` when a message was last taken from it.
    pub async fn last_uidvalidity(&self, folder: &str) -> Result<Option<u32>> {
        let row = query("SELECT uidvalidity FROM inbound WHERE folder = ? ORDER BY id DESC LIMIT 1")
            .bind(folder)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<i64, _>(0) as u32))
    }

    /// Commits a decision that no inbound message caused (a refused send, an operator's command).
    pub async fn commit_decision(&self, decision: &Decision, outgoing: &[Outgoing], now: DateTime<Utc>) -> Result<()> {
        let _writer = self.writer.lock().await;
        let mut tx = self.write().await?;
        let mut held = Deferred::default();
        apply_one(&mut tx, self.backend, decision, outgoing, now, self.record_events, &mut held).await?;
        held.write(&mut tx, self.backend).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Commits a batch of decisions (the sweep's) in one transaction, set-wise:
    /// one UPDATE per kind of change, multi-row inserts for the rest. A
    /// request changed meanwhile (a reply) is left out with its emails.
    /// Returns how many decisions were applied.
    ///
    /// On SQLite the commit leaves the write-ahead log as it is: the caller
    /// copies it into the database with `checkpoint`, beside its next batch.
    /// SQLite's own checkpoint would run inside this commit, after every
    /// thousand pages, waiting for the disk twice each time (a seventh of a
    /// 100,000-request sweep's time, measured).
    pub async fn commit_batch(&self, batch: &[Planned], now: DateTime<Utc>) -> Result<usize> {
        if batch.is_empty() {
            return Ok(0);
        }
        let _writer = self.writer.lock().await;
        let mut conn = self.pool.acquire().await?;
        let sqlite = self.backend == Backend::Sqlite;
        if sqlite {
            query("PRAGMA wal_autocheckpoint = 0").execute(&mut *conn).await?;
        }
        let result = self.commit_batch_on(&mut conn, batch, now).await;
        if sqlite {
            // Back to SQLite's default before the connection goes back to the pool.
            if let Err(e) = query(&format!("PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT}")).execute(&mut *conn).await {
                tracing::debug!(error = %e, "restoring a connection's checkpoints failed; the connection is discarded");
                conn.close_on_drop();
            }
        }
        result
    }

    async fn commit_batch_on(&self, conn: &mut AnyConnection, batch: &[Planned], now: DateTime<Utc>) -> Result<usize> {
        let items = || batch.iter().map(|(d, o)| (d, o.as_slice())).collect::<Vec<_>>();
        let mut tx = conn.begin_with(self.backend.begin_write()).await?;
        let mut held = Deferred::default();
        let record = self.record_events;
        let applied = match apply(&mut tx, self.backend, items(), now, record, Count::Affected, &mut held).await? {
            Some(applied) => applied,
            None => {
                // Replies changed some of the batch's requests meanwhile: redone, learning which.
                tx.rollback().await?;
                tx = conn.begin_with(self.backend.begin_write()).await?;
                held = Deferred::default();
                let applied = apply(&mut tx, self.backend, items(), now, record, Count::Returning, &mut held).await?;
                applied.ok_or_else(|| StoreError::Corrupt("an UPDATE … RETURNING without its rows".into()))?
            }
        };
        held.write(&mut tx, self.backend).await?;
        tx.commit().await?;
        Ok(applied.iter().filter(|a| a.is_some()).count())
    }

    /// Copies what the write-ahead log holds into the database, as far as
    /// readers allow (SQLite's passive checkpoint: it never waits for them
    /// and never holds up a writer); nothing on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            query("PRAGMA wal_checkpoint(PASSIVE)").fetch_all(&self.pool).await?;
        }
        Ok(())
    }
}

/// SQLite's default: a checkpoint after a commit that leaves the log over a thousand pages.
const AUTOCHECKPOINT: u32 = 1000;

/// Records an inbound message unless it is already recorded; its row id, or `None` for a duplicate.
pub(super) async fn insert_inbound<'e>(
    db: impl sqlx::Executor<'e, Database = Any>,
    record: &InboundRecord,
    outcome: &str,
    detail: &str,
    request_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let row = query(
        "INSERT INTO inbound (message_id, content_hash, folder, uidvalidity, uid, sender, subject, outcome, detail, \
         request_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT(message_id, content_hash) DO NOTHING RETURNING id",
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
    .bind(request_id)
    .bind(ts(now))
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

/// One decision: applied whole, or `Conflict` when its request changed meanwhile.
pub(super) async fn apply_one(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    decision: &Decision,
    outgoing: &[Outgoing],
    now: DateTime<Utc>,
    record_events: bool,
    held: &mut Deferred,
) -> Result<Option<i64>> {
    // One request: the count of rows changed (none or one) says whether it applied.
    let applied = apply(tx, backend, vec![(decision, outgoing)], now, record_events, Count::Affected, held).await?;
    match applied.and_then(|mut a| a.pop()).flatten() {
        Some(request_id) => Ok(request_id),
        None => {
            let reference = match &decision.change {
                Some(Change::Update { after, .. }) => after.reference.to_string(),
                _ => String::new(),
            };
            Err(StoreError::Conflict(reference))
        }
    }
}

/// Retention: the copies of a request's personal data outside its row go
/// (the emails' bytes and recipients, the history's details, the events'
/// bodies, the inbound mail's senders and subjects, the decisions' raw messages
/// and verdicts); kinds, states and dates stay.
async fn erase_records(tx: &mut Transaction<'_, Any>, backend: Backend, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        for statement in [
            "DELETE FROM outbox_bodies WHERE outbox_id IN (SELECT id FROM outbox WHERE request_id IN (",
            "UPDATE outbox SET plan = NULL, subject = '', recipient = 'erased', mailbox = NULL, last_error = NULL WHERE request_id IN (",
            "UPDATE events SET detail = '' WHERE request_id IN (",
            "UPDATE hook_events SET body = '' WHERE request_id IN (",
            "UPDATE inbound SET sender = NULL, subject = NULL, detail = NULL WHERE request_id IN (",
            "UPDATE evidence SET raw = ?, sender = 'erased', verdict = '' WHERE request_id IN (",
        ] {
            // The emptied bytes are bound: the two dialects spell an empty blob differently.
            let mut q = match statement.split_once('?') {
                Some((head, tail)) => {
                    let mut q = Builder::new(backend, head);
                    q.push_bind(Vec::<u8>::new()).push(tail);
                    q
                }
                None => Builder::new(backend, statement),
            };
            // Every parenthesis the statement left open closes after the list.
            let open = statement.matches('(').count() - statement.matches(')').count();
            q.push_list(chunk.iter().copied()).push(")".repeat(open));
            q.build().execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// SQLite's limit on bound variables is 32766 (PostgreSQL's 65535); stay well under it.
pub(super) const ROWS_PER_STATEMENT: usize = 500;

/// A column value a change writes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

/// The columns a change writes (those that differ) and what the row must
/// still hold for the change to apply (the state and reminder mark it read).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Patch {
    set: Vec<(&'static str, Value)>,
    state: State,
    last_reminder_days: Option<u32>,
}

fn patch(before: &Request, after: &Request) -> Patch {
    let text = |t: Option<DateTime<Utc>>| Value::Text(t.map(ts));
    let mut set = Vec::new();
    if before.state != after.state {
        set.push(("state", Value::Text(Some(after.state.as_str().to_string()))));
    }
    for (column, b, a) in [
        ("submitted_at", before.submitted_at, after.submitted_at),
        ("expires_at", before.expires_at, after.expires_at),
        ("activated_at", before.activated_at, after.activated_at),
        ("closed_at", before.closed_at, after.closed_at),
    ] {
        if b != a {
            set.push((column, text(a)));
        }
    }
    if before.last_reminder_days != after.last_reminder_days {
        set.push(("last_reminder_days", Value::Int(after.last_reminder_days.map(i64::from))));
    }
    // Retention rewrites the personal columns.
    if before.erased_at != after.erased_at {
        set.push(("erased_at", text(after.erased_at)));
    }
    if before.customer_email != after.customer_email {
        set.push(("customer_email", Value::Text(Some(after.customer_email.to_string()))));
    }
    if before.user_emails != after.user_emails {
        let users: Vec<&str> = after.user_emails.iter().map(|u| u.as_str()).collect();
        set.push(("user_emails", Value::Text(Some(serde_json::to_string(&users).expect("strings serialize")))));
    }
    for (column, b, a) in [
        ("note_to_customer", &before.note_to_customer, &after.note_to_customer),
        ("note_to_users", &before.note_to_users, &after.note_to_users),
        ("partner_name", &before.partner_name, &after.partner_name),
        ("partner_company", &before.partner_company, &after.partner_company),
    ] {
        if b != a {
            set.push((column, Value::Text(a.clone())));
        }
    }
    Patch { set, state: before.state, last_reminder_days: before.last_reminder_days }
}

fn bind_value(q: &mut Builder, v: &Value) {
    match v {
        Value::Text(t) => q.push_bind(t.clone()),
        Value::Int(i) => q.push_bind(*i),
    };
}

/// How `apply` learns which requests of a group its conditional UPDATE changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    /// From the count of rows changed: exact when it is all of them or none
    /// (always, for one request); otherwise `apply` stops and gives `None`,
    /// and the caller redoes the transaction with `Returning`. Sending back a
    /// row per request changed was a tenth of the sweep's time, for the rare
    /// batch a reply raced.
    Affected,
    /// From `UPDATE … RETURNING id`: a row back per request changed.
    Returning,
}

/// Applies decisions inside `tx`. For each: `Some(request id it concerned)`
/// when applied, `None` when its request changed meanwhile (then none of its
/// history or emails is written). `None` in all: some of a group changed
/// meanwhile and `count` was `Affected` (see `Count`); nothing more was written
/// and the transaction is to be rolled back. The rows nothing in the
/// transaction reads again are left in `held`, for the caller to write
/// before its commit.
async fn apply(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    items: Vec<(&Decision, &[Outgoing])>,
    now: DateTime<Utc>,
    record_events: bool,
    count: Count,
    held: &mut Deferred,
) -> Result<Option<Vec<Option<Option<i64>>>>> {
    let mut result: Vec<Option<Option<i64>>> = vec![None; items.len()];
    // Written once: each row binds a copy.
    let at = ts(now);

    // Updates, grouped by patch: one conditional UPDATE per group.
    let mut groups: Vec<(Patch, Vec<(usize, i64)>)> = Vec::new();
    for (i, (d, _)) in items.iter().enumerate() {
        match &d.change {
            None => result[i] = Some(d.request_id),
            Some(Change::Create(r)) => result[i] = Some(Some(insert_request(tx, r, now).await?)),
            Some(Change::Update { before, after }) => {
                let id = after.id.ok_or_else(|| StoreError::Corrupt("update of a request without id".into()))?;
                let p = patch(before, after);
                match groups.iter_mut().find(|(g, _)| *g == p) {
                    Some((_, ids)) => ids.push((i, id)),
                    None => groups.push((p, vec![(i, id)])),
                }
            }
        }
    }
    for (p, members) in &groups {
        for chunk in members.chunks(ROWS_PER_STATEMENT) {
            let mut q = Builder::new(backend, "UPDATE requests SET ");
            for (column, value) in &p.set {
                q.push(*column).push(" = ");
                bind_value(&mut q, value);
                q.push(", ");
            }
            q.push("updated_at = ").push_bind(at.as_str()).push(" WHERE id IN (");
            q.push_list(chunk.iter().map(|(_, id)| *id));
            q.push(") AND ").push(backend.unindexed("state")).push(" = ").push_bind(p.state.as_str());
            q.push(" AND last_reminder_days IS NOT DISTINCT FROM ").push_bind(p.last_reminder_days.map(i64::from));
            let changed: std::collections::HashSet<i64> = match count {
                Count::Returning => {
                    q.push(" RETURNING id");
                    q.build().fetch_all(&mut **tx).await?.iter().map(|r| r.get(0)).collect()
                }
                Count::Affected => match q.build().execute(&mut **tx).await?.rows_affected() as usize {
                    0 => Default::default(),
                    n if n == chunk.len() => chunk.iter().map(|(_, id)| *id).collect(),
                    _ => return Ok(None),
                },
            };
            for (i, id) in chunk {
                if changed.contains(id) {
                    result[*i] = Some(Some(*id));
                }
            }
        }
    }

    let applied: Vec<(Option<i64>, &Decision, &[Outgoing])> =
        items.iter().zip(&result).filter_map(|((d, o), r)| r.map(|rid| (rid, *d, *o))).collect();
    for (_, d, _) in &applied {
        if let Some((outbox_id, why)) = &d.fail_outbox {
            query("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?")
                .bind(why)
                .bind(outbox_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    let erased: Vec<i64> = applied.iter().filter(|(_, d, _)| d.erase_records).filter_map(|(rid, _, _)| *rid).collect();
    if !erased.is_empty() {
        // What is held may be these requests' own copies: written first, then erased.
        held.write(tx, backend).await?;
        erase_records(tx, backend, &erased).await?;
    }
    for (rid, d, _) in &applied {
        let Some(rid) = *rid else { continue };
        if record_events {
            // Every state change makes one event for the provisioning system, in this transaction.
            let entered = match &d.change {
                Some(Change::Create(r)) => Some(r.as_ref()),
                Some(Change::Update { before, after }) if before.state != after.state => Some(after.as_ref()),
                _ => None,
            };
            if let Some(after) = entered {
                held.hook_event(rid, crate::hook_event::entered(after, now), &at);
            }
        }
        for e in &d.events {
            held.history(rid, &at, e.kind.name(), &e.detail);
        }
    }
    let emails: Vec<(Option<i64>, &Outgoing)> = applied
        .iter()
        .flat_map(|(rid, _, outgoing)| {
            outgoing.iter().map(move |o| (if o.about_request { o.request_id.or(*rid) } else { None }, o))
        })
        .collect();
    for (rid, o) in &emails {
        if let (Some(rid), Some(key)) = (rid, &o.key) {
            held.token(key.token.hash(), *rid, step_name(key.step), &at);
        }
    }
    for chunk in emails.chunks(ROWS_PER_STATEMENT / 2) {
        let mut q = Builder::new(
            backend,
            "INSERT INTO outbox (request_id, kind, recipient, mailbox, message_id, bounce_id, envelope_from, subject, plan, next_attempt_at, created_at) ",
        );
        q.push_values(chunk, |mut b, (rid, o)| {
            let plan = o.deferred.as_ref().map(|d| serde_json::to_string(d).expect("a plan serializes"));
            b.push_bind(*rid)
                .push_bind(o.kind.name())
                .push_bind(o.to.as_str())
                // The caps count mail sent in answer to mail; the sweep's notices (deferred) are never capped.
                .push_bind(o.deferred.is_none().then(|| o.to.mailbox()))
                .push_bind(&o.message_id)
                .push_bind(&o.bounce_id)
                .push_bind(o.envelope_from.as_str())
                .push_bind(&o.subject)
                .push_bind(plan)
                .push_bind(at.as_str())
                .push_bind(at.as_str());
        });
        // A deferred email (the sweep's notices) has no bytes yet: its rows are all there is.
        if chunk.iter().all(|(_, o)| o.deferred.is_some()) {
            q.build().execute(&mut **tx).await?;
            continue;
        }
        q.push(" RETURNING id, message_id");
        let ids: HashMap<String, i64> = q
            .build()
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(1)?, r.try_get(0)?)))
            .collect::<Result<_>>()?;
        for (_, o) in chunk.iter().filter(|(_, o)| o.deferred.is_none()) {
            let id = ids
                .get(&o.message_id)
                .ok_or_else(|| StoreError::Corrupt(format!("outbox {} not inserted", o.message_id)))?;
            held.body(*id, &o.raw);
        }
    }
    Ok(Some(result))
}

async fn insert_request(tx: &mut Transaction<'_, Any>, r: &Request, now: DateTime<Utc>) -> Result<i64> {
    let users: Vec<&str> = r.user_emails.iter().map(|u| u.as_str()).collect();
    let row = query(
        "INSERT INTO requests (reference, state, account_name, account_domain, customer_email, partner_email, user_emails, \
         note_to_customer, note_to_users, locale, created_at, submitted_at, expires_at, activated_at, closed_at, updated_at, \
         partner_name, partner_company, partner_mailbox) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
    .bind(&r.partner_name)
    .bind(&r.partner_company)
    .bind(r.partner_email.mailbox())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.get(0))
}
