//! `[metrics] listen`: the Prometheus series of SPEC §9 and the health checks, served over HTTP inside `run`.
//!
//! Counters and the histogram live in the process (the `metrics` facade, the
//! Prometheus exporter renders them); the request and outbox gauges are read
//! from the database on each scrape, so they are true after a restart and
//! beside other processes (an operator's command).
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::Utc;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Method, Request, Response, StatusCode};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};

use crate::decide::Outcome;
use crate::email::Kind;
use crate::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("cannot listen on metrics.listen {addr}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot set up the Prometheus recorder: {0}")]
    Recorder(String),
}

/// Whether the mailbox watcher holds a working session (`smartacct_imap_connected`, `/readyz`).
static IMAP_CONNECTED: AtomicBool = AtomicBool::new(false);
/// Whether this process leads (watches the mailbox); a follower's `/readyz` asks the leader's record.
static LEADING: AtomicBool = AtomicBool::new(false);
static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Seconds: from a quick message to one that waits on a slow server.
const PROCESSING_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Installs the process's recorder (once) and names every series, at 0,
/// so rules and dashboards find them before the first event.
fn install() -> Result<PrometheusHandle, MetricsError> {
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full("smartacct_message_processing_seconds".into()), PROCESSING_BUCKETS)
        .and_then(|b| b.install_recorder())
        .map_err(|e| MetricsError::Recorder(e.to_string()))?;
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_gauge!("smartacct_requests", "Requests by state (from the database)");
    describe_counter!("smartacct_messages_total", "Inbound messages processed, by decision outcome");
    describe_counter!("smartacct_emails_sent_total", "Emails delivered to the SMTP server, by kind");
    describe_counter!("smartacct_emails_failed_total", "Emails that failed permanently, by kind");
    describe_gauge!("smartacct_outbox_pending", "Emails waiting in the outbox");
    describe_gauge!("smartacct_outbox_oldest_pending_seconds", "Age of the oldest email waiting in the outbox");
    describe_gauge!("smartacct_last_sweep_timestamp_seconds", "When the last completed sweep finished (Unix time)");
    describe_gauge!("smartacct_imap_connected", "1 while the mailbox watcher holds an IMAP session");
    describe_histogram!("smartacct_message_processing_seconds", "Time to read, decide and commit one message");
    for o in Outcome::ALL {
        metrics::counter!("smartacct_messages_total", "outcome" => o.name()).absolute(0);
    }
    for k in Kind::ALL {
        metrics::counter!("smartacct_emails_sent_total", "kind" => k.name()).absolute(0);
        metrics::counter!("smartacct_emails_failed_total", "kind" => k.name()).absolute(0);
    }
    metrics::gauge!("smartacct_imap_connected").set(0.0);
    metrics::gauge!("smartacct_mailbox_leader").set(0.0);
    // Registered so it is rendered (empty) before the first message.
    let _ = metrics::histogram!("smartacct_message_processing_seconds");
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// One message read, decided and committed.
pub fn message(outcome: Outcome, took: Duration) {
    metrics::counter!("smartacct_messages_total", "outcome" => outcome.name()).increment(1);
    metrics::histogram!("smartacct_message_processing_seconds").record(took.as_secs_f64());
}

pub fn email_sent(kind: Kind) {
    metrics::counter!("smartacct_emails_sent_total", "kind" => kind.name()).increment(1);
}

pub fn email_failed(kind: Kind) {
    metrics::counter!("smartacct_emails_failed_total", "kind" => kind.name()).increment(1);
}

/// Whether this process's mailbox watcher holds a session (what it tells the followers).
pub fn imap_is_connected() -> bool {
    IMAP_CONNECTED.load(Ordering::Relaxed)
}

/// Whether the desk has a mailbox to watch at all (without `[imap]` its mail comes over LMTP).
static MAILBOX: AtomicBool = AtomicBool::new(true);

pub fn mailbox_watched(yes: bool) {
    MAILBOX.store(yes, Ordering::Relaxed);
}

/// Whether this process watches the mailbox (SPEC §10's leader): `smartacct_mailbox_leader`.
pub fn leading(on: bool) {
    LEADING.store(on, Ordering::Relaxed);
    metrics::gauge!("smartacct_mailbox_leader").set(if on { 1.0 } else { 0.0 });
}

/// The mailbox watcher's state, for the gauge and `/readyz`.
pub fn imap_connected(up: bool) {
    if IMAP_CONNECTED.swap(up, Ordering::Relaxed) != up {
        // The leader says so at once (heartbeat), not at its next proof 5 s later.
        IMAP_CHANGED.notify_one();
    }
    metrics::gauge!("smartacct_imap_connected").set(if up { 1.0 } else { 0.0 });
}

/// Woken when the watcher's IMAP session comes or goes.
pub static IMAP_CHANGED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// On a follower: why the mailbox is not watched, if it is not (the leader
/// says whether it holds an IMAP session every few seconds).
async fn follower_unready(store: &crate::store::Store) -> Option<String> {
    match store.watcher().await {
        Ok(Some(w)) if Utc::now() - w.seen_at > chrono::Duration::seconds(30) => {
            Some(format!("no process has watched the mailbox for 30 s (last: {})", w.holder))
        }
        Ok(Some(w)) if !w.imap_connected => {
            Some(format!("the mailbox watcher ({}) is not connected to IMAP", w.holder))
        }
        Ok(Some(_)) => None,
        Ok(None) => Some("no process watches the mailbox yet".to_string()),
        Err(e) => Some(format!("cannot read who watches the mailbox: {}", crate::telemetry::chain(&e))),
    }
}

/// Binds `metrics.listen` (before the service says it is ready, so a taken port fails the start).
pub async fn bind(addr: SocketAddr) -> Result<(TcpListener, PrometheusHandle), MetricsError> {
    let handle = install()?;
    let listener = TcpListener::bind(addr).await.map_err(|source| MetricsError::Listen { addr, source })?;
    Ok((listener, handle))
}

/// Connections served at once. Each is a descriptor, taken from the same
/// limit as the database, the lock files, IMAP and SMTP: idle connections
/// without a cap would stop the desk's own work.
const MAX_CONNECTIONS: usize = 64;
/// How long a connection may take to send a request's head, and so how long it
/// may sit idle before or between requests (a scrape sends its head at once).
const IDLE: Duration = Duration::from_secs(5);

/// Serves /metrics, /healthz and /readyz until `stop` is set.
///
/// At most MAX_CONNECTIONS at once: a new connection beyond them asks the
/// oldest to close (at once when idle, after its answer when busy) and waits
/// for its place, so a scraper still gets its answer beside idle connections
/// that fill the cap. A connection that says nothing for IDLE is closed.
pub async fn serve(
    listener: TcpListener,
    handle: PrometheusHandle,
    store: Store,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    tracing::info!(listen = %listener.local_addr().map(|a| a.to_string()).unwrap_or_default(), "serving /metrics, /healthz, /readyz");
    let places = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    // The open connections by age, each with the sender that asks it to close.
    let open: Arc<Mutex<BTreeMap<u64, oneshot::Sender<()>>>> = Default::default();
    let mut next_id = 0u64;
    let mut accept_failing = false;
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Said once (with what to do if descriptors ran out), not every 100 ms.
                    let why = crate::telemetry::chain(&e);
                    if !std::mem::replace(&mut accept_failing, true) {
                        tracing::warn!(error = %why, "metrics listener: cannot accept a connection");
                    } else {
                        tracing::debug!(error = %why, "metrics listener: still cannot accept a connection");
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stop.changed() => return,
        };
        accept_failing = false;
        let place = match places.clone().try_acquire_owned() {
            Ok(place) => place,
            Err(_) => {
                if let Some((_, close)) = open.lock().expect("no holder panics").pop_first() {
                    let _ = close.send(());
                }
                tokio::select! {
                    place = places.clone().acquire_owned() => place.expect("the semaphore is never closed"),
                    _ = stop.changed() => return,
                }
            }
        };
        let id = next_id;
        next_id += 1;
        let (close, closing) = oneshot::channel();
        open.lock().expect("no holder panics").insert(id, close);
        let (handle, store, open) = (handle.clone(), store.clone(), open.clone());
        tokio::spawn(async move {
            let _place = place;
            let service = hyper::service::service_fn(move |req| {
                let (handle, store) = (handle.clone(), store.clone());
                async move { Ok::<_, Infallible>(route(&req, &handle, &store).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(IDLE)
                .serve_connection(io, service);
            tokio::pin!(connection);
            // A scraper that hangs up early is no error of ours.
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing => {
                    connection.as_mut().graceful_shutdown();
                    // A client that does not read its answer is not waited for long.
                    let _ = tokio::time::timeout(IDLE, connection).await;
                }
            }
            open.lock().expect("no holder panics").remove(&id);
        });
    }
}

async fn route<B>(req: &Request<B>, handle: &PrometheusHandle, store: &Store) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return reply(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "GET only\n".into());
    }
    match req.uri().path() {
        "/metrics" => match refresh(store).await {
            Ok(()) => {
                handle.run_upkeep();
                reply(StatusCode::OK, "text/plain; version=0.0.4; charset=utf-8", handle.render())
            }
            Err(e) => reply(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain",
                format!("cannot read the database: {}\n", crate::telemetry::chain(&e)),
            ),
        },
        "/healthz" => reply(StatusCode::OK, "application/json", "{\"status\":\"ok\"}\n".into()),
        "/readyz" => {
            let mut reasons = Vec::new();
            match tokio::time::timeout(Duration::from_secs(5), store.ping()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => reasons.push(format!("the database does not answer: {}", crate::telemetry::chain(&e))),
                Err(_) => reasons.push("the database does not answer within 5 s".to_string()),
            }
            if !MAILBOX.load(Ordering::Relaxed) {
                // LMTP only: the database answering is all there is to be ready.
            } else if LEADING.load(Ordering::Relaxed) {
                if !IMAP_CONNECTED.load(Ordering::Relaxed) {
                    reasons.push("the mailbox watcher is not connected to IMAP".to_string());
                }
            } else if let Some(reason) = follower_unready(store).await {
                reasons.push(reason);
            }
            let (status, body) = if reasons.is_empty() {
                (StatusCode::OK, serde_json::json!({"status": "ready"}))
            } else {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    serde_json::json!({"status": "unavailable", "reason": reasons.join("; ")}),
                )
            };
            reply(status, "application/json", format!("{body}\n"))
        }
        _ => reply(StatusCode::NOT_FOUND, "text/plain", "not found: try /metrics, /healthz, /readyz\n".into()),
    }
}

/// Sets the gauges kept in the database.
async fn refresh(store: &Store) -> Result<(), crate::store::StoreError> {
    let snap = tokio::time::timeout(Duration::from_secs(10), store.snapshot())
        .await
        .map_err(|_| crate::store::StoreError::Corrupt("the database did not answer within 10 s".into()))??;
    for (state, n) in &snap.requests {
        metrics::gauge!("smartacct_requests", "state" => state.as_str()).set(*n as f64);
    }
    let now = Utc::now();
    metrics::gauge!("smartacct_outbox_pending").set(snap.outbox_pending as f64);
    let oldest = snap.oldest_pending.map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0);
    metrics::gauge!("smartacct_outbox_oldest_pending_seconds").set(oldest);
    metrics::gauge!("smartacct_last_sweep_timestamp_seconds")
        .set(snap.last_sweep.map_or(0.0, |t| t.timestamp() as f64));
    Ok(())
}

fn reply(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(Bytes::from(body)))
        .expect("static response parts")
}
