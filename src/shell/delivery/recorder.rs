//! Sent emails recorded in batches by one writer: the senders hand over their results and wait for the commit that holds them.
//!
//! Why: one `UPDATE` and one write lock per email made every sender queue on
//! the database (three round trips to SQLite's worker thread each, under the
//! store's writer lock): delivery ran at 0.6x of the SMTP server's own speed.
//! One writer takes every result that ended while it committed the previous
//! batch (group commit), so the batches grow with the load and a lone send
//! waits for one small statement. A sender counts its email as sent, and its
//! connection takes the next email, only once the batch holding it is
//! committed: a crash still repeats at most one email per connection. (The
//! writer never waits to gather more: the senders of a batch being gathered
//! would hold their connections idle.)
use chrono::Utc;
use tokio::sync::{mpsc, oneshot};

use crate::store::{Queue, Store, StoreError};

/// At most this many results in one statement (a claimed page on SQLite).
const BATCH: usize = 200;

/// What the senders hold: hands one sent email to the writer.
pub(super) struct Recorder {
    results: mpsc::UnboundedSender<Sent>,
}

impl Recorder {
    /// The senders' side, and the writer, which ends once every `Recorder`
    /// is dropped and the results handed over are committed, or at the first
    /// error (the database's own, to report once).
    pub(super) fn new(store: &Store) -> (Recorder, impl Future<Output = Result<(), StoreError>> + '_) {
        let (results, received) = mpsc::unbounded_channel();
        (Recorder { results }, write(store, received))
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
