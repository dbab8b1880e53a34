//! Sent emails recorded in batches by one writer: the senders hand over their results and wait for the commit that holds them.
//!
//! Why: one `UPDATE` and one write lock per email made every sender queue on
//! the database (three round trips to SQLite's worker thread each, under the
//! store's writer lock): delivery ran at 0.6x of the SMTP server's own speed.
//! One writer takes every result that ended while it committed the previous
//! batch (group commit), so the batches grow with the load and a lone send
//! waits for one small statement; it never waits to gather more. A send ends
//! (its final dot goes to the server) only with a turn, one per connection,
//! held until its result is committed: a crash still repeats at most one
//! email per connection, and meanwhile the connection already says the next
//! email's envelope.
use chrono::Utc;
use tokio::sync::{Semaphore, SemaphorePermit, mpsc, oneshot};

use crate::store::{Queue, Store, StoreError};

/// At most this many results in one statement (a claimed page on SQLite).
const BATCH: usize = 200;

/// What the senders hold: hands one sent email to the writer.
pub(super) struct Recorder {
    results: mpsc::UnboundedSender<Sent>,
    /// One per connection: a send ends (its final dot goes to the server)
    /// only while it holds one, until its result is committed.
    turns: Semaphore,
}

/// A sender's right to end a send, held until its result is committed.
pub(super) struct Turn<'r> {
    _held: SemaphorePermit<'r>,
}

impl Recorder {
    /// The senders' side, and the writer, which ends once every `Recorder`
    /// is dropped and the results handed over are committed, or at the first
    /// error (the database's own, to report once).
    /// `connections`: how many sends may be sent and not yet recorded at once.
    pub(super) fn new(
        store: &Store,
        connections: usize,
    ) -> (Recorder, impl Future<Output = Result<(), StoreError>> + '_) {
        let (results, received) = mpsc::unbounded_channel();
        (Recorder { results, turns: Semaphore::new(connections.max(1)) }, write(store, received))
    }

    /// Waits until one more send may end unrecorded.
    pub(super) async fn turn(&self) -> Turn<'_> {
        Turn { _held: self.turns.acquire().await.expect("the semaphore is never closed") }
    }

    /// Records `id` as sent, then gives its turn back; false if the writer
    /// stopped on an error before committing it (the email stays pending:
    /// sent again later).
    pub(super) async fn sent(&self, turn: Turn<'_>, id: i64) -> bool {
        let (done, committed) = oneshot::channel();
        let recorded = self.results.send((id, done)).is_ok() && committed.await.is_ok();
        drop(turn);
        recorded
    }

    /// The writer stopped on an error: no send should start.
    pub(super) fn broken(&self) -> bool {
        self.results.is_closed()
    }
}

/// A sent email, and where its sender waits for the commit.
type Sent = (i64, oneshot::Sender<()>);

async fn write(store: &Store, mut received: mpsc::UnboundedReceiver<Sent>) -> Result<(), StoreError> {
    let mut batch = Vec::with_capacity(BATCH);
    let mut ids = Vec::with_capacity(BATCH);
    while received.recv_many(&mut batch, BATCH).await > 0 {
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
