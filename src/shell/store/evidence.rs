//! The proof of each command's decision: the raw message and its verdict, written with the decision (held back to its commit, `deferred`), read for the operator.
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::dialect::query;
use super::{Result, Store, parse_ts};

/// One command's proof, as `requests show` and `requests evidence` give it.
#[derive(Debug, Clone)]
pub struct EvidenceRow {
    pub at: DateTime<Utc>,
    pub command: String,
    pub applied: bool,
    pub verdict: String,
    /// The From address as read (the envelope line of the mbox).
    pub sender: String,
    pub raw: Vec<u8>,
}

impl Store {
    /// A request's proofs, oldest first.
    pub async fn evidence(&self, request_id: i64) -> Result<Vec<EvidenceRow>> {
        self.evidence_where("request_id", request_id).await
    }

    /// The proof kept for one inbound mail (`mail list`'s id), a refused form's included.
    pub async fn evidence_of_mail(&self, inbound_id: i64) -> Result<Vec<EvidenceRow>> {
        self.evidence_where("inbound_id", inbound_id).await
    }

    async fn evidence_where(&self, column: &'static str, id: i64) -> Result<Vec<EvidenceRow>> {
        let sql = format!(
            "SELECT created_at, command, applied, verdict, sender, raw FROM evidence WHERE {column} = ? ORDER BY id"
        );
        let rows = query(&sql).bind(id).fetch_all(&self.pool).await?;
        rows.iter().map(evidence_from_row).collect()
    }
}

/// A row of `SELECT created_at, command, applied, verdict, sender, raw FROM evidence`.
pub(super) fn evidence_from_row(r: &sqlx::any::AnyRow) -> Result<EvidenceRow> {
    Ok(EvidenceRow {
        at: parse_ts(&r.try_get::<String, _>(0)?)?,
        command: r.try_get(1)?,
        applied: r.try_get::<i64, _>(2)? != 0,
        verdict: r.try_get(3)?,
        sender: r.try_get(4)?,
        raw: r.try_get(5)?,
    })
}
