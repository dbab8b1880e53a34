//! Delivering events to the provisioning system (SPEC §11): a signed JSON POST and/or a command, in order per request, at least once.
use std::collections::HashSet;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::app::App;
use crate::configuration::HookSettings;
use crate::delivery::{Delivered, RETRY_BASE, RETRY_CAP};
use crate::store::{HookRow, Queue, StoreError};

/// The header that carries `sha256=<hex HMAC-SHA256 of the body>` when `hooks.webhook_secret_file` is set.
pub const SIGNATURE_HEADER: &str = "X-Smartacct-Signature";

/// Why an event was not delivered this time.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("cannot POST the event to {url}")]
    Post { url: String, source: reqwest::Error },
    #[error("the webhook answered HTTP {status}")]
    Status { status: u16 },
    /// SPEC §11: a redirect is a failed attempt. Following it would send the
    /// event, its signature and any credentials of the URL to another place (or
    /// turn the POST into a GET whose 200 would count as delivered).
    #[error(
        "the webhook answered HTTP {status}, a redirect to {location}: redirects are not followed (set hooks.webhook_url to where the receiver is)"
    )]
    Redirect { status: u16, location: String },
    #[error("cannot run hooks.command")]
    Spawn(#[source] std::io::Error),
    #[error("hooks.command {0}")]
    Command(String),
    #[error("no answer within {0} s")]
    Timeout(u64),
}

/// `sha256=<hex>`: what a receiver recomputes with the shared secret to trust a body.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Delivers the pending events, honouring each one's backoff (`ignore_backoff`
/// for the one-shot commands). A request's events go in order: one that is
/// not delivered holds back the later ones of the same request this pass.
pub async fn deliver_until(
    app: &App,
    now: DateTime<Utc>,
    ignore_backoff: bool,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> Result<Delivered, StoreError> {
    let Some(hooks) = &app.settings.hooks else { return Ok(Delivered::default()) };
    let store = &app.store;
    let stopped = || stop.is_some_and(|s| *s.borrow());
    let Some(_lock) = store.lock(crate::store::Lock::Hooks, hooks.timeout * 3).await? else {
        tracing::info!("another smartacct process is delivering the events; leaving it to it");
        return Ok(Delivered::default());
    };
    let builder = reqwest::Client::builder().timeout(hooks.timeout).redirect(reqwest::redirect::Policy::none());
    let client = match crate::tls::http_client(builder, hooks.ca_file.as_deref(), "hooks.ca_file") {
        Ok(client) => client,
        Err(e) => {
            // A broken TLS set-up, or hooks.ca_file gone since the start; nothing is lost, the events wait.
            tracing::error!(error = crate::telemetry::chain(&e), "cannot set up the HTTP client for hooks.webhook_url");
            return Ok(Delivered::default());
        }
    };
    let mut held: HashSet<i64> = store.requests_with_failed_hooks().await?;
    let mut total = Delivered::default();
    let mut after = 0;
    loop {
        let rows = store.pending_hooks(after, 200).await?;
        if rows.is_empty() || stopped() {
            return Ok(total);
        }
        after = rows.iter().map(|r| r.id).max().unwrap_or(after);
        for row in rows {
            if stopped() {
                return Ok(total);
            }
            if held.contains(&row.request_id) || (!ignore_backoff && row.next_attempt_at > now) {
                held.insert(row.request_id);
                continue;
            }
            match send(&client, hooks, &row).await {
                Ok(()) => {
                    crate::faults::checkpoint("hook_sent").await;
                    store.mark_sent(Queue::Hook, &[row.id], Utc::now()).await?;
                    tracing::info!(event = %row.event_id, "event delivered");
                    total.sent += 1;
                }
                Err(e) => {
                    held.insert(row.request_id);
                    let why = crate::telemetry::chain(&e);
                    if now - row.retry_since > Duration::hours(hooks.max_retry_hours as i64) {
                        let why = format!("gave up after {} h: {why}", hooks.max_retry_hours);
                        store.mark_failed(Queue::Hook, row.id, &why).await?;
                        tracing::error!(event = %row.event_id, error = %why, "event still undelivered after hooks.max_retry_hours; marked failed (`smartacct outbox retry --event {}`)", row.id);
                        total.failed += 1;
                    } else {
                        let wait = crate::retry::delay(row.attempts as u32, RETRY_BASE, RETRY_CAP);
                        let next = now + Duration::from_std(wait).unwrap_or(Duration::hours(1));
                        store.mark_retry(Queue::Hook, row.id, &why, next).await?;
                        if matches!(e, HookError::Redirect { .. }) {
                            // Not an outage that passes: the configuration needs a change.
                            tracing::warn!(event = %row.event_id, error = %why, next_attempt = %next, "event not delivered; will retry");
                        } else {
                            tracing::debug!(event = %row.event_id, error = %why, next_attempt = %next, "event not delivered; will retry");
                        }
                        total.retrying += 1;
                    }
                }
            }
        }
    }
}

/// One event to every configured receiver: delivered when each took it.
async fn send(client: &reqwest::Client, hooks: &HookSettings, row: &HookRow) -> Result<(), HookError> {
    if let Some(url) = &hooks.webhook_url {
        let mut req = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Smartacct-Event", &row.kind)
            .header("X-Smartacct-Event-Id", &row.event_id)
            .body(row.body.clone());
        if let Some(secret) = &hooks.webhook_secret {
            req = req.header(SIGNATURE_HEADER, signature(secret, row.body.as_bytes()));
        }
        // Neither the URL's userinfo nor its query reaches the error (stored, shown by `outbox list`):
        // reqwest's own error carries the URL, so it goes without.
        let answer = req
            .send()
            .await
            .map_err(|e| HookError::Post { url: crate::telemetry::redacted(url), source: e.without_url() })?;
        if answer.status().is_redirection() {
            return Err(HookError::Redirect { status: answer.status().as_u16(), location: location(&answer) });
        }
        if !answer.status().is_success() {
            return Err(HookError::Status { status: answer.status().as_u16() });
        }
    }
    if let Some(command) = &hooks.command {
        run_command(command, row, hooks.timeout).await?;
    }
    Ok(())
}

/// Where a redirect pointed (relative to the request's URL), as a log may show it.
fn location(answer: &reqwest::Response) -> String {
    match answer.headers().get(reqwest::header::LOCATION).map(|v| v.to_str()) {
        None => "nowhere (no Location)".to_string(),
        Some(Err(_)) => "a Location that is not text".to_string(),
        Some(Ok(to)) => match answer.url().join(to) {
            Ok(absolute) => crate::telemetry::redacted(absolute.as_str()),
            Err(_) => crate::telemetry::redacted(to),
        },
    }
}

/// How long a command's stderr is still read once it exited: a child it left
/// behind may hold the pipe open for as long as it lives.
const STDERR_AFTER_EXIT: StdDuration = StdDuration::from_millis(200);
/// How much of a command's stderr is kept (only its first line is said).
const STDERR_KEPT: usize = 64 * 1024;

/// `sh -c COMMAND` with the event on stdin; exit 0 means delivered.
///
/// Judged by the command's exit status alone: once it has exited, its stderr
/// is read for a moment more, never until every process holding the pipe
/// (a `sleep 60 &` it started) has closed it.
async fn run_command(command: &str, row: &HookRow, timeout: StdDuration) -> Result<(), HookError> {
    let mut child = tokio::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .env("SMARTACCT_EVENT_ID", &row.event_id)
        .env("SMARTACCT_EVENT_TYPE", &row.kind)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(HookError::Spawn)?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let body = row.body.clone();
    // A command that does not read its input (or leaves it to a child that never
    // does) must not hold us: the input is written beside the wait, and given up with it.
    let writer = tokio::spawn(async move {
        let _ = stdin.write_all(body.as_bytes()).await;
    });
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut reader = tokio::spawn(read_into(child.stderr.take().expect("stderr is piped"), stderr.clone()));
    let status = tokio::time::timeout(timeout, child.wait()).await;
    writer.abort();
    // What it said by its exit (and a moment after): enough for the first line.
    if tokio::time::timeout(STDERR_AFTER_EXIT, &mut reader).await.is_err() {
        reader.abort();
    }
    let status = status.map_err(|_| HookError::Timeout(timeout.as_secs()))?.map_err(HookError::Spawn)?;
    if status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&stderr.lock().expect("no reader panics holding it")).into_owned();
    let first = crate::domain::printable(stderr.lines().next().unwrap_or("").trim()).into_owned();
    Err(HookError::Command(match status.code() {
        Some(code) => format!("exited with status {code}: {first}"),
        None => format!("was killed by a signal: {first}"),
    }))
}

/// Reads `from` into `kept` (its first STDERR_KEPT bytes) until end of file.
async fn read_into(mut from: tokio::process::ChildStderr, kept: std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    let mut chunk = [0u8; 4096];
    while let Ok(n) = from.read(&mut chunk).await {
        if n == 0 {
            return;
        }
        let mut kept = kept.lock().expect("no reader panics holding it");
        let room = STDERR_KEPT.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..n.min(room)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> HookRow {
        HookRow {
            id: 1,
            event_id: "SA-7K3QX9PD.active".into(),
            request_id: 1,
            kind: "request.active".into(),
            body: "{}".into(),
            status: crate::store::OutboxStatus::Pending,
            attempts: 0,
            next_attempt_at: Utc::now(),
            last_error: None,
            created_at: Utc::now(),
            sent_at: None,
            retry_since: Utc::now(),
        }
    }

    #[tokio::test]
    async fn a_command_is_judged_by_its_exit_even_when_a_child_it_left_holds_its_stderr() {
        let started = std::time::Instant::now();
        let e = run_command("echo 'provisioning API down' >&2; sleep 30 & exit 3", &row(), StdDuration::from_secs(20))
            .await
            .expect_err("exit 3")
            .to_string();
        assert!(e.contains("exited with status 3: provisioning API down"), "{e}");
        run_command("sleep 30 & exit 0", &row(), StdDuration::from_secs(20)).await.expect("exit 0 is delivered");
        assert!(
            started.elapsed() < StdDuration::from_secs(10),
            "neither waited for the sleep: {:?}",
            started.elapsed()
        );
        let e = run_command("sleep 30", &row(), StdDuration::from_secs(1)).await.expect_err("too slow").to_string();
        assert_eq!(e, "no answer within 1 s");
    }

    #[test]
    fn the_signature_is_the_hex_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
