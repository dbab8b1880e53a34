//! The console's listener: connections served side by side inside `run`, at most `MAX_CONNECTIONS`, idle ones closed.
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;

use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use tokio::sync::oneshot;

use super::{Bound, Console};
use crate::app::App;

/// As the metrics listener: each connection is a descriptor the desk's own work needs too.
const MAX_CONNECTIONS: usize = 64;
/// How long a connection may take to send a request's head, and so sit idle between requests.
const IDLE: Duration = Duration::from_secs(15);

/// Serves the console until `stop` is set. The connections are futures of
/// this one (they borrow the service's `App`, as every loop of `run` does);
/// at the cap, a new connection asks the oldest to close and waits for it.
pub async fn serve(
    bound: Bound,
    app: &App,
    mut stop: tokio::sync::watch::Receiver<bool>,
    committed: &(dyn Fn() + Sync),
) {
    let Some(settings) = app.settings.console.as_ref() else { return };
    let Bound { listener, key } = bound;
    tracing::info!(listen = %settings.listen, "serving the operator console");
    let console = Console { app, settings, key, limiter: Mutex::default(), users_problem: Mutex::default(), committed };
    let console = &console;
    let mut connections = FuturesUnordered::new();
    // The open connections by age, each with the sender that asks it to close.
    let mut open: BTreeMap<u64, oneshot::Sender<()>> = BTreeMap::new();
    let mut next_id = 0u64;
    let mut accept_failing = false;
    loop {
        if *stop.borrow() {
            break;
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept(), if connections.len() < MAX_CONNECTIONS => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    if !std::mem::replace(&mut accept_failing, true) {
                        tracing::warn!(error = %crate::telemetry::chain(&e), "console: cannot accept a connection");
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                        _ = stop.changed() => break,
                    }
                    continue;
                }
            },
            Some(id) = connections.next(), if !connections.is_empty() => {
                open.remove(&id);
                continue;
            }
            _ = stop.changed() => break,
        };
        accept_failing = false;
        if connections.len() + 1 >= MAX_CONNECTIONS
            && let Some((_, close)) = open.pop_first()
        {
            let _ = close.send(());
        }
        let id = next_id;
        next_id += 1;
        let (close, closing) = oneshot::channel::<()>();
        open.insert(id, close);
        connections.push(async move {
            let service =
                hyper::service::service_fn(
                    move |req| async move { Ok::<_, Infallible>(console.handle(req, peer).await) },
                );
            let io = hyper_util::rt::TokioIo::new(stream);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(IDLE)
                .serve_connection(io, service);
            tokio::pin!(connection);
            // A browser that goes away is no error of ours.
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(IDLE, connection).await;
                }
            }
            id
        });
    }
    // Stopping: an action in hand finishes (its answer sent), idle connections close at once.
    for (_, close) in std::mem::take(&mut open) {
        let _ = close.send(());
    }
    let drained = async { while connections.next().await.is_some() {} };
    let _ = tokio::time::timeout(IDLE, drained).await;
}
