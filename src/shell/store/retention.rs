//! Retention of what belongs to no request: mail answered or refused before any request existed.
//!
//! A request's own copies are erased with it (`commit::erase_records`, through
//! the core's `Erase` step). What no request owns — refusals to unknown
//! senders, help answers, refused forms and their evidence, the inbound
//! records of such mail — is erased here once it is older than
//! `retention.closed_days`: the same bytes, addresses and texts go, the
//! counts and dates stay. An email still waiting to be sent is left alone.
use chrono::{DateTime, Utc};

use super::dialect::query;
use super::{Result, Store, ts};

impl Store {
    /// Erases what belongs to no request and was made before `before`; returns how many rows changed.
    pub async fn erase_unowned(&self, before: DateTime<Utc>) -> Result<u64> {
        let _writer = self.writer.lock().await;
        let mut tx = self.write().await?;
        let before = ts(before);
        let mut changed = 0;
        for statement in [
            "DELETE FROM inbound_raw WHERE inbound_id IN (SELECT id FROM inbound \
             WHERE request_id IS NULL AND received_at < ?)",
            "DELETE FROM outbox_bodies WHERE outbox_id IN (SELECT id FROM outbox \
             WHERE request_id IS NULL AND created_at < ? AND status <> 'pending')",
            "UPDATE outbox SET plan = NULL, subject = '', recipient = 'erased', mailbox = NULL, last_error = NULL \
             WHERE request_id IS NULL AND created_at < ? AND status <> 'pending' AND recipient <> 'erased'",
            "UPDATE inbound SET sender = NULL, subject = NULL, detail = NULL \
             WHERE request_id IS NULL AND received_at < ? AND (sender IS NOT NULL OR subject IS NOT NULL OR detail IS NOT NULL)",
        ] {
            changed += query(statement).bind(before.clone()).execute(&mut *tx).await?.rows_affected();
        }
        changed += query(
            "UPDATE evidence SET raw = ?, sender = 'erased', verdict = '' \
             WHERE request_id IS NULL AND created_at < ? AND sender <> 'erased'",
        )
        .bind(Vec::<u8>::new())
        .bind(before.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(changed)
    }
}
