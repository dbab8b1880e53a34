//! Sent emails recorded in batches by one writer: the senders hand over their results and wait for the commit that holds them.
//!
//! Why: one `UPDATE` and one write lock per email made every sender queue on
//! the database (three round trips to SQLite's worker thread each, under the
//! store's writer lock): delivery ran at 0.6x of the SMTP server's own speed.
//! One writer gathers the results that end close together (group commit): as
//! many as there are connections, or what came within a few milliseconds of
//! the first, so a busy pass writes a few rows per commit and a lone send
//! waits a moment only. A sender counts its email as sent only once the batch
//! holding it is committed: a crash still repeats at most the emails in flight.
use chrono::Utc;
use tokio::sync::{mpsc, oneshot};

use crate::store::{Queue, Store, StoreError};

/// At most this many results in one statement (a claimed page on SQLite).
const BATCH: usize = 200;

/// How long the writer waits for more results after the first of a batch.
/// Sends take several milliseconds each; the senders whose results wait are
/// not holding a connection (delivery keeps twice as many emails in hand).
const GATHER: std::time::Duration = std::time::Duration::from_millis(10);

/// What the senders hold: hands one sent email to the writer.
pub(super) struct Recorder {
    results: mpsc::UnboundedSender<Sent>,
}

impl Recorder {
    /// The senders' side, and the writer, which ends once every `Recorder`
    /// is dropped and the results handed over are committed, or at the first
    /// error (the database's own, to report once).
    /// `together`: how many results a batch waits for (the connections).
    pub(super) fn new(store: &Store, together: usize) -> (Recorder, impl Future<Output = Result<(), StoreError>> + '_) {
        let (results, received) = mpsc::unbounded_channel();
        (Recorder { results }, write(store, received, together.clamp(1, BATCH)))
    }

    /// Records `id` as sent; false if the writer stopped on an error before
    /// committing it (the email stays claimed, and pending: sent again later).
    pub(super) async fn sent(&self, id: i64) -> bool {
        let (done, committed) = oneshot::channel();
        self.results.send((id, done)).is_ok() && committed.await.is_ok()
    }

    /// The writer stopped on an error: no send should start.
    pub(super) fn broken(&self) -> bool {
        self.results.is_closed()
    }
}

/// A sent email, and where its sender waits for the commit.
type Sent = (i64, oneshot::Sender<()>);

async fn write(store: &Store, mut received: mpsc::UnboundedReceiver<Sent>, together: usize) -> Result<(), StoreError> {
    let mut batch = Vec::with_capacity(BATCH);
    let mut ids = Vec::with_capacity(BATCH);
    while received.recv_many(&mut batch, BATCH).await > 0 {
        let until = tokio::time::Instant::now() + GATHER;
        while batch.len() < together {
            let room = BATCH - batch.len();
            let more = tokio::time::timeout_at(until, received.recv_many(&mut batch, room));
            if !matches!(more.await, Ok(n) if n > 0) {
                break;
            }
        }
        ids.clear();
        ids.extend(batch.iter().map(|(id, _)| *id));
        // On an error the batch's senders see their answer dropped: not recorded.
        store.mark_sent(Queue::Email, &ids, Utc::now()).await?;
        for (_, done) in batch.drain(..) {
            let _ = done.send(());
        }
    }
    Ok(())
}
