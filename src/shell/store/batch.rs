//! An intake batch: one write transaction in which each message's lookups and effects run in turn, committed once for the whole batch.
//!
//! Reading inside the transaction is what makes a batch safe: a message sees
//! the requests, keys and emails of the messages before it in the same batch
//! (two forms for one domain, a form and its own review), exactly as if each
//! had committed alone. Nothing of a batch is visible to others, and nothing
//! of it is moved out of the mailbox, before `commit`.
use chrono::{DateTime, Utc};
use sqlx::any::Any;
use sqlx::any::AnyRow;
use sqlx::{Row, Transaction};

use super::commit::{Committed, InboundRecord, apply_one, insert_inbound};
use super::deferred::{Deferred, Proof};
use super::dialect::{Backend, Builder, query};
use super::outbox::{OutboxRow, row_to_outbox};
use super::requests::{COLUMNS, live_states, refusal_kinds, request_from_row, step_name};
use super::{Result, Seen, Store, ts};
use crate::compose::Outgoing;
use crate::decide::Decision;
use crate::domain::{AccountDomain, EmailAddress, Key, Reference, State, Step};
use crate::request::Request;

/// An open intake batch. Dropped without `commit`, it is rolled back whole.
pub struct Batch {
    tx: Transaction<'static, Any>,
    /// SQLite: this process's writers queue behind the batch (see
    /// `Store::writer`). PostgreSQL takes other writers beside it: the
    /// delivery's results never wait for a batch there (their claims' leases run).
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
    backend: Backend,
    record_events: bool,
    /// Rows no later message of the batch reads, written before the commit.
    held: Deferred,
}

impl Store {
    /// Opens an intake batch (a write transaction).
    pub async fn begin_batch(&self) -> Result<Batch> {
        let writer = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = self.write().await?;
        Ok(Batch {
            tx,
            _writer: writer,
            backend: self.backend,
            record_events: self.record_events,
            held: Deferred::default(),
        })
    }
}

impl Batch {
    pub async fn commit(mut self) -> Result<()> {
        self.held.write(&mut self.tx, self.backend).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Undoes the batch now (a dropped batch is undone too, but only when its
    /// connection is next used, after the writer lock is already free).
    pub async fn rollback(self) {
        if let Err(e) = self.tx.rollback().await {
            tracing::debug!(error = %e, "rolling back an intake batch failed; the connection is discarded");
        }
    }

    /// Whether this message (Message-ID and content) was processed already, and
    /// whether its Message-ID is one the desk issued (one round trip for both).
    pub async fn seen_inbound(&mut self, message_id: &str, content_hash: &str) -> Result<(Seen, bool)> {
        let rows = query(
            "SELECT 0, outcome, content_hash FROM inbound WHERE message_id = ?1 \
             UNION ALL SELECT 1, '', '' FROM outbox WHERE message_id = ?1",
        )
        .bind(message_id)
        .fetch_all(&mut *self.tx)
        .await?;
        let own = rows.iter().any(|r| r.get::<i64, _>(0) == 1);
        let recorded: Vec<_> = rows.iter().filter(|r| r.get::<i64, _>(0) == 0).collect();
        // Rows recorded before content hashes existed have none: a duplicate, as then.
        let same = recorded.iter().find(|r| {
            let h: String = r.get(2);
            h.is_empty() || h == content_hash
        });
        let seen = match (same, recorded.first()) {
            (Some(r), _) => Seen::Duplicate(r.get(1)),
            (None, Some(_)) => Seen::Clash,
            (None, None) => Seen::New,
        };
        Ok((seen, own))
    }

    pub async fn request_by_reference(&mut self, reference: &Reference) -> Result<Option<Request>> {
        super::requests::by_reference(&mut *self.tx, reference).await
    }

    pub async fn request_by_id(&mut self, id: i64) -> Result<Option<Request>> {
        super::requests::by_id(&mut *self.tx, id).await
    }

    /// The request and step a reply key names. The token is looked up by its
    /// hash, and a key of one step never finds a token issued for another.
    pub async fn request_by_key(&mut self, key: &Key) -> Result<Option<(Request, Step)>> {
        let sql = format!(
            "SELECT {} FROM tokens t JOIN requests r ON r.id = t.request_id WHERE t.token_hash = ? AND t.step = ?",
            JOINED.as_str()
        );
        let row = query(&sql).bind(key.token.hash()).bind(step_name(key.step)).fetch_optional(&mut *self.tx).await?;
        Ok(row.as_ref().map(request_from_row).transpose()?.map(|r| (r, key.step)))
    }

    /// The live (awaiting review or pending acceptance) request holding a domain.
    pub async fn live_request_for_domain(&mut self, domain: &AccountDomain) -> Result<Option<Request>> {
        let sql = format!("SELECT {COLUMNS} FROM requests WHERE account_domain = ? AND state IN ({})", live_states());
        let row = query(&sql).bind(domain.as_str()).fetch_optional(&mut *self.tx).await?;
        row.as_ref().map(request_from_row).transpose()
    }

    /// The request of the first of `message_ids` that is an email the desk sent.
    pub async fn request_by_sent_message(&mut self, message_ids: &[String]) -> Result<Option<Request>> {
        let sql = format!(
            "SELECT {} FROM outbox o JOIN requests r ON r.id = o.request_id WHERE o.message_id = ?",
            JOINED.as_str()
        );
        for id in message_ids {
            if let Some(row) = query(&sql).bind(id).fetch_optional(&mut *self.tx).await? {
                return request_from_row(&row).map(Some);
            }
        }
        Ok(None)
    }

    /// The most recent request pending acceptance by this customer.
    pub async fn pending_for_customer(&mut self, customer: &EmailAddress) -> Result<Option<Request>> {
        let sql =
            format!("SELECT {COLUMNS} FROM requests WHERE customer_email = ? AND state = ? ORDER BY id DESC LIMIT 1");
        let row = query(&sql)
            .bind(customer.as_str())
            .bind(State::PendingCustomerAcceptance.as_str())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(request_from_row).transpose()
    }

    /// The email a bounce reports on: by the VERP id of its envelope sender, else by its Message-ID.
    pub async fn outbox_for_bounce(
        &mut self,
        verp_id: Option<&str>,
        message_id: Option<&str>,
    ) -> Result<Option<OutboxRow>> {
        let sql = format!(
            "SELECT {} FROM outbox WHERE bounce_id = ? OR message_id = ? ORDER BY bounce_id = ? DESC LIMIT 1",
            super::outbox::COLUMNS
        );
        let row = query(&sql).bind(verp_id).bind(message_id).bind(verp_id).fetch_optional(&mut *self.tx).await?;
        row.as_ref().map(row_to_outbox).transpose()
    }

    /// What was queued since `since`: to `recipient`'s mailbox, the refusals
    /// and error answers (see `Answers`), with `partner` their requests too;
    /// and to each of `mailboxes`, how many emails (the cap per recipient
    /// mailbox; mailboxes with none are left out). One round trip for all.
    pub async fn answers_since(
        &mut self,
        recipient: Option<&EmailAddress>,
        since: DateTime<Utc>,
        partner: bool,
        mailboxes: &[String],
    ) -> Result<Answers> {
        let since = ts(since);
        let mut b = Builder::new(self.backend, "");
        if let Some(recipient) = recipient {
            let mailbox = recipient.mailbox();
            b.push("SELECT 0, kind, request_id, 0, 0 FROM outbox WHERE mailbox = ").push_bind(mailbox.clone());
            b.push(" AND created_at >= ").push_bind(since.clone());
            b.push(format!(" AND kind IN ({})", refusal_kinds()));
            if partner {
                b.push(format!(
                    " UNION ALL SELECT 1, '', NULL, COUNT(CASE WHEN state IN ({}) THEN 1 END), ",
                    live_states()
                ));
                b.push("COUNT(CASE WHEN created_at >= ").push_bind(since.clone());
                b.push(" THEN 1 END) FROM requests WHERE partner_mailbox = ").push_bind(mailbox);
            }
        }
        if !mailboxes.is_empty() {
            if recipient.is_some() {
                b.push(" UNION ALL ");
            }
            b.push("SELECT 2, mailbox, NULL, COUNT(*), 0 FROM outbox WHERE mailbox IN (")
                .push_list(mailboxes.iter().cloned());
            b.push(") AND created_at >= ").push_bind(since).push(" GROUP BY mailbox");
        } else if recipient.is_none() {
            return Ok(Answers::default());
        }
        let rows = b.build().fetch_all(&mut *self.tx).await?;
        let tag = |r: &&AnyRow| r.get::<i64, _>(0);
        let mut refusals: Vec<(crate::email::Kind, i64)> = rows
            .iter()
            .filter(|r| tag(r) == 0)
            .filter_map(|r| Some((crate::email::Kind::parse(r.get(1))?, r.get::<Option<i64>, _>(2)?)))
            .collect();
        let count = rows.iter().filter(|r| tag(r) == 0).count() as u32;
        refusals.sort_by_key(|(k, id)| (k.name(), *id));
        refusals.dedup();
        let partner = rows.iter().find(|r| tag(r) == 1).map(|r| (r.get::<i64, _>(3) as u32, r.get::<i64, _>(4) as u32));
        let emails =
            rows.iter().filter(|r| tag(r) == 2).map(|r| (r.get::<String, _>(1), r.get::<i64, _>(3) as u32)).collect();
        Ok(Answers { count, refusals, partner, emails })
    }

    /// Applies everything a message caused. A message already recorded changes
    /// nothing (`Duplicate`); a request that changed meanwhile fails it with
    /// `Conflict`, and the batch must then be dropped (its message is read
    /// again). A form's or command's verdict is kept with `raw`, the message as
    /// received (a refused form's with no request).
    pub async fn apply_inbound(
        &mut self,
        record: &InboundRecord,
        raw: &[u8],
        decision: &Decision,
        outgoing: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<Committed> {
        let tx = &mut self.tx;
        // The record first: a message another process committed meanwhile is a
        // duplicate here, before its decision can clash with what that process did.
        let recorded =
            insert_inbound(&mut **tx, record, decision.outcome.name(), &decision.detail, decision.request_id, now)
                .await?;
        let Some(inbound_id) = recorded else {
            return Ok(Committed::Duplicate);
        };
        let held = &mut self.held;
        let request_id = apply_one(tx, self.backend, decision, outgoing, now, self.record_events, held).await?;
        if let Some(created) = request_id.filter(|_| request_id != decision.request_id) {
            // A request this message created: the record names it too.
            held.link(inbound_id, created);
        }
        if let Some(verdict) = &decision.verdict {
            let sender = record.sender.as_deref().unwrap_or("");
            held.proof(Proof::new(request_id, inbound_id, verdict, sender, raw, ts(now)));
        }
        if held.is_large() {
            held.write(tx, self.backend).await?;
        }
        Ok(Committed::Applied { request_id })
    }

    /// Records a message that was not read as mail (too large, unreadable) so it is never taken again.
    /// `kept`: the message's bytes, for mail that has no folder to wait in (the LMTP door).
    pub async fn record_set_aside(
        &mut self,
        record: &InboundRecord,
        outcome: &str,
        detail: &str,
        kept: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let id = insert_inbound(&mut *self.tx, record, outcome, detail, None, now).await?;
        if let (Some(id), Some(raw)) = (id, kept) {
            query("INSERT INTO inbound_raw (inbound_id, raw) VALUES (?, ?)")
                .bind(id)
                .bind(raw.to_vec())
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}

/// What the desk queued to one sender's mailbox in a day, and their requests;
/// and how many emails went to each mailbox a message may be answered at.
#[derive(Debug, Default)]
pub struct Answers {
    /// Refusals and error answers: how many (the daily cap)…
    pub count: u32,
    /// …and which (kind, request) they were (one a day each).
    pub refusals: Vec<(crate::email::Kind, i64)>,
    /// For a partner: their live requests, and the requests they made that day.
    pub partner: Option<(u32, u32)>,
    /// Emails queued to each of the mailboxes asked about (those with any).
    pub emails: Vec<(String, u32)>,
}

/// The request columns prefixed `r.` for the joins, built once (lookups run for every message).
static JOINED: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", "));
