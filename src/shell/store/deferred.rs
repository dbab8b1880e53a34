//! Rows a write transaction holds back until just before its commit (those nothing in it reads again), written a few statements for many.
//!
//! An intake batch reads, for each message, what the messages before it in
//! the batch wrote: requests, emails, inbound records. It never reads their
//! history, events for the provisioning system, emails' bytes or proofs, nor
//! which request an inbound record names; and no message can carry a reply
//! key the batch issued, since its emails go out only after the commit. Those
//! rows wait here and go in as multi-row statements before the commit: five
//! statements fewer per form (each a round trip to PostgreSQL, and a step of
//! SQLite's thread). They are part of the same transaction, so nothing
//! changes for a reader.
use sqlx::Transaction;
use sqlx::any::Any;

use super::Result;
use super::commit::ROWS_PER_STATEMENT;
use super::dialect::{Backend, Builder};
use crate::decide::Verdict;
use crate::hook_event::HookEvent;

/// Held back past this many bytes of mail (emails and proofs), the rows are
/// written at once: a batch of large messages is not held twice in memory.
const HELD_BYTES: usize = 1 << 20;

/// The bytes of mail one statement carries at most (a single larger message
/// goes alone): every byte of a statement is copied into its arguments and
/// the connection's buffer, which keeps its size.
const STATEMENT_BYTES: usize = 256 << 10;

/// What one transaction has yet to write.
#[derive(Default)]
pub(super) struct Deferred {
    /// A request's history: (request id, at, kind, detail).
    history: Vec<(i64, String, &'static str, String)>,
    /// Reply keys: (token hash, request id, step, at).
    tokens: Vec<(String, i64, &'static str, String)>,
    /// Events for the provisioning system: (request id, event, at).
    hook_events: Vec<(i64, HookEvent, String)>,
    /// The bytes of emails whose rows are written: (outbox id, message).
    bodies: Vec<(i64, Vec<u8>)>,
    proofs: Vec<Proof>,
    /// Inbound records that created a request: (inbound id, request id).
    links: Vec<(i64, i64)>,
    bytes: usize,
}

/// A command's verdict and the message as received (the `evidence` row).
pub(super) struct Proof {
    pub request_id: Option<i64>,
    pub inbound_id: i64,
    pub command: &'static str,
    pub applied: bool,
    pub verdict: String,
    pub sender: String,
    pub raw: Vec<u8>,
    pub at: String,
}

impl Proof {
    pub fn new(
        request_id: Option<i64>,
        inbound_id: i64,
        verdict: &Verdict,
        sender: &str,
        raw: &[u8],
        at: String,
    ) -> Proof {
        Proof {
            request_id,
            inbound_id,
            command: verdict.command,
            applied: verdict.applied,
            verdict: verdict.describe(),
            sender: sender.to_string(),
            raw: raw.to_vec(),
            at,
        }
    }
}

impl Deferred {
    pub fn history(&mut self, request_id: i64, at: &str, kind: &'static str, detail: &str) {
        self.history.push((request_id, at.to_string(), kind, detail.to_string()));
    }

    pub fn token(&mut self, hash: String, request_id: i64, step: &'static str, at: &str) {
        self.tokens.push((hash, request_id, step, at.to_string()));
    }

    pub fn hook_event(&mut self, request_id: i64, event: HookEvent, at: &str) {
        self.hook_events.push((request_id, event, at.to_string()));
    }

    pub fn body(&mut self, outbox_id: i64, raw: &[u8]) {
        self.bytes += raw.len();
        self.bodies.push((outbox_id, raw.to_vec()));
    }

    pub fn proof(&mut self, proof: Proof) {
        self.bytes += proof.raw.len();
        self.proofs.push(proof);
    }

    pub fn link(&mut self, inbound_id: i64, request_id: i64) {
        self.links.push((inbound_id, request_id));
    }

    /// Whether the bytes held are worth writing now rather than at the commit.
    pub fn is_large(&self) -> bool {
        self.bytes > HELD_BYTES
    }

    /// Writes every row held, in the order each kind was held (a request's
    /// history and events keep their order), and holds nothing after.
    pub async fn write(&mut self, tx: &mut Transaction<'_, Any>, backend: Backend) -> Result<()> {
        for chunk in self.history.chunks(ROWS_PER_STATEMENT) {
            let mut q = Builder::new(backend, "INSERT INTO events (request_id, at, kind, detail) ");
            q.push_values(chunk, |mut b, (rid, at, kind, detail)| {
                b.push_bind(*rid).push_bind(at).push_bind(*kind).push_bind(detail);
            });
            q.build().execute(&mut **tx).await?;
        }
        for chunk in self.tokens.chunks(ROWS_PER_STATEMENT) {
            let mut q = Builder::new(backend, "INSERT INTO tokens (token_hash, request_id, step, created_at) ");
            q.push_values(chunk, |mut b, (hash, rid, step, at)| {
                b.push_bind(hash).push_bind(*rid).push_bind(*step).push_bind(at);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut **tx).await?;
        }
        for chunk in self.hook_events.chunks(ROWS_PER_STATEMENT / 2) {
            let mut q = Builder::new(
                backend,
                "INSERT INTO hook_events (event_id, request_id, type, body, next_attempt_at, created_at) ",
            );
            q.push_values(chunk, |mut b, (rid, e, at)| {
                b.push_bind(&e.id).push_bind(*rid).push_bind(&e.kind).push_bind(&e.body).push_bind(at).push_bind(at);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut **tx).await?;
        }
        for chunk in by_bytes(&self.bodies, |(_, raw)| raw.len()) {
            let mut q = Builder::new(backend, "INSERT INTO outbox_bodies (outbox_id, raw) ");
            q.push_values(chunk, |mut b, (id, raw)| {
                b.push_bind(*id).push_bind(raw);
            });
            q.build().execute(&mut **tx).await?;
        }
        for chunk in by_bytes(&self.proofs, |p| p.raw.len()) {
            let mut q = Builder::new(
                backend,
                "INSERT INTO evidence (request_id, inbound_id, command, applied, verdict, sender, raw, created_at) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(p.request_id)
                    .push_bind(p.inbound_id)
                    .push_bind(p.command)
                    .push_bind(p.applied as i64)
                    .push_bind(&p.verdict)
                    .push_bind(&p.sender)
                    .push_bind(&p.raw)
                    .push_bind(&p.at);
            });
            q.build().execute(&mut **tx).await?;
        }
        for chunk in self.links.chunks(ROWS_PER_STATEMENT) {
            // VALUES names its columns column1, column2 in both dialects.
            let mut q = Builder::new(backend, "UPDATE inbound SET request_id = v.column2 FROM (");
            q.push_values(chunk, |mut b, (inbound_id, request_id)| {
                b.push_bind(*inbound_id).push_bind(*request_id);
            });
            q.push(") AS v WHERE inbound.id = v.column1");
            q.build().execute(&mut **tx).await?;
        }
        *self = Deferred::default();
        Ok(())
    }
}

/// Consecutive runs of `rows` of at most `ROWS_PER_STATEMENT` rows and
/// `STATEMENT_BYTES` (a single larger row goes alone).
fn by_bytes<T>(rows: &[T], size: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let mut chunks = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, row) in rows.iter().enumerate() {
        let n = size(row);
        if i > start && (bytes + n > STATEMENT_BYTES || i - start == ROWS_PER_STATEMENT) {
            chunks.push(&rows[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += n;
    }
    if start < rows.len() {
        chunks.push(&rows[start..]);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::by_bytes;

    #[test]
    fn rows_are_cut_into_statements_by_bytes_and_by_count() {
        let large = super::STATEMENT_BYTES;
        let sizes = [10usize, 20, large, 5, 5];
        let chunks: Vec<Vec<usize>> = by_bytes(&sizes, |n| *n).iter().map(|c| c.to_vec()).collect();
        assert_eq!(chunks, vec![vec![10, 20], vec![large], vec![5, 5]]);
        let many = vec![1usize; 1001];
        let counts: Vec<usize> = by_bytes(&many, |n| *n).iter().map(|c| c.len()).collect();
        assert_eq!(counts, vec![500, 500, 1]);
        assert!(by_bytes(&[] as &[usize], |n| *n).is_empty());
    }
}
