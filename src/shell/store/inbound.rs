//! The record of inbound mail for operators: `mail list [--set-aside]`, and releasing a set-aside mail for `mail reprocess`.
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::dialect::query;
use super::{Result, Store, parse_ts, ts};

/// The outcomes of mail moved aside unread (intake), and of one released again.
pub const SET_ASIDE: [&str; 3] = ["oversized", "unreadable", "unreadable_request"];
pub const REPROCESSED: &str = "reprocessed";

/// One inbound message as recorded.
#[derive(Debug, Clone)]
pub struct InboundRow {
    pub id: i64,
    pub received_at: DateTime<Utc>,
    pub outcome: String,
    pub sender: Option<String>,
    pub subject: String,
    pub detail: String,
    /// Where it was read: the folder, its UIDVALIDITY and the message's UID there.
    pub folder: String,
    pub uidvalidity: u32,
    pub uid: u32,
}

pub(super) const COLUMNS: &str = "id, received_at, outcome, sender, subject, detail, folder, uidvalidity, uid";

pub(super) fn row_of(r: &AnyRow) -> Result<InboundRow> {
    Ok(InboundRow {
        id: r.try_get(0)?,
        received_at: parse_ts(&r.try_get::<String, _>(1)?)?,
        outcome: r.try_get(2)?,
        sender: r.try_get(3)?,
        subject: r.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
        detail: r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
        folder: r.try_get(6)?,
        uidvalidity: r.try_get::<i64, _>(7)? as u32,
        uid: r.try_get::<i64, _>(8)? as u32,
    })
}

impl Store {
    /// Every inbound message recorded, oldest first; with `only_set_aside`, the mail moved aside unread.
    pub async fn list_inbound(&self, only_set_aside: bool) -> Result<Vec<InboundRow>> {
        let filter = if only_set_aside { "WHERE outcome IN (?, ?, ?)" } else { "" };
        let sql = format!("SELECT {COLUMNS} FROM inbound {filter} ORDER BY id");
        let mut q = query(&sql);
        if only_set_aside {
            for o in SET_ASIDE {
                q = q.bind(o);
            }
        }
        q.fetch_all(&self.pool).await?.iter().map(row_of).collect()
    }

    /// One inbound record by id.
    pub async fn inbound_by_id(&self, id: i64) -> Result<Option<InboundRow>> {
        let sql = format!("SELECT {COLUMNS} FROM inbound WHERE id = ?");
        let row = query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(row_of).transpose()
    }

    /// Releases a set-aside record so its message is read as new: its
    /// identity is renamed (kept for the history) and its outcome becomes
    /// `reprocessed`. False when it is not a set-aside record (any more).
    /// The bytes kept of a set-aside mail that came over LMTP (it has no folder to wait in).
    pub async fn inbound_raw(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let row = query("SELECT raw FROM inbound_raw WHERE inbound_id = ?").bind(id).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn release_set_aside(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let done = query(
            "UPDATE inbound SET outcome = ?, message_id = 'reprocessed:' || id || ':' || message_id, \
             detail = COALESCE(detail, '') || ' (released for reading again at ' || ? || ')' \
             WHERE id = ? AND outcome IN (?, ?, ?)",
        )
        .bind(REPROCESSED)
        .bind(ts(now))
        .bind(id)
        .bind(SET_ASIDE[0])
        .bind(SET_ASIDE[1])
        .bind(SET_ASIDE[2])
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
