//! Access tokens for SASL XOAUTH2 (SPEC §9): from the token endpoint (RFC 6749) or `oauth2.token_command`.
//!
//! A token is kept in memory only, until shortly before its `expires_in`, and
//! dropped as soon as a server refuses it (revoked, or expired under a long
//! IDLE); it never reaches a log line or the disk. A refresh token that the
//! provider rotates is kept in the store at once: a mailbox must not stop
//! after 90 days because a rotated refresh token was thrown away.
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use crate::configuration::OAuth2Settings;
use crate::store::Store;

/// How long before its stated expiry a token is no longer handed out (at most).
const EARLY: Duration = Duration::from_secs(60);
/// What a `token_command`'s token is trusted for: it states no lifetime.
const COMMAND_TOKEN_LIFE: Duration = Duration::from_secs(300);
/// The longest a token from the endpoint is believed, whatever its `expires_in`
/// says: providers issue tokens for an hour or so, and a server that states
/// years (or 2^64-1 seconds) must neither overflow the clock nor pin a token
/// the provider has long forgotten.
const MAX_TOKEN_LIFE: Duration = Duration::from_secs(24 * 3600);
/// A token whose answer states no `expires_in` (RFC 6749 makes it optional).
const DEFAULT_TOKEN_LIFE: u64 = 3600;
const TIMEOUT: Duration = Duration::from_secs(30);

/// Errors the RFC 6749 endpoint names that only a configuration change mends.
const GRANT_ERRORS: &[&str] =
    &["invalid_client", "invalid_grant", "unauthorized_client", "invalid_scope", "unsupported_grant_type"];

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The endpoint refused the grant: the named key needs fixing (retried with backoff meanwhile).
    #[error("cannot get an access token: {url} refused the grant ({error}{description}); check {key}")]
    Refused { url: String, error: String, description: String, key: &'static str },
    /// Down, slow, or answering nonsense: a runtime outage, retried with backoff.
    #[error("cannot get an access token from {url}: {message}")]
    Outage { url: String, message: String },
    #[error("cannot get an access token from oauth2.token_command: {message}")]
    Command { message: String },
}

/// An access token: its value is shown to no `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

/// The SASL XOAUTH2 initial response: `user=…^Aauth=Bearer …^A^A`.
pub fn xoauth2(user: &str, token: &AccessToken) -> String {
    format!("user={user}\x01auth=Bearer {}\x01\x01", token.0)
}

/// Where a desk's access tokens come from; cheap to clone, shared by IMAP and SMTP.
#[derive(Clone)]
pub struct Tokens {
    inner: Arc<Inner>,
}

struct Inner {
    settings: OAuth2Settings,
    /// Where a rotated refresh token is kept (without one, in memory only).
    store: Option<Store>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    cached: Option<(AccessToken, Instant)>,
    /// The refresh token in use (the file's, or the rotated one kept in the store).
    refresh: Option<String>,
    /// The last failure, so that the recovery is said.
    last_failure: Option<String>,
}

impl Tokens {
    pub fn new(settings: OAuth2Settings, store: Option<Store>) -> Tokens {
        Tokens { inner: Arc::new(Inner { settings, store, state: Mutex::new(State::default()) }) }
    }

    /// A token valid for a while yet: the cached one, or a fresh one.
    pub async fn access_token(&self) -> Result<AccessToken, TokenError> {
        let mut state = self.inner.state.lock().await;
        if let Some((token, until)) = &state.cached
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        state.cached = None;
        let result = match &self.inner.settings {
            OAuth2Settings::Command { token_command } => {
                run_command(token_command).await.map(|t| (t, COMMAND_TOKEN_LIFE))
            }
            OAuth2Settings::Endpoint { .. } => self.fetch_from_endpoint(&mut state).await,
        };
        match result {
            Ok((token, life)) => {
                if state.last_failure.take().is_some() {
                    tracing::info!("access tokens are issued again");
                }
                // Handed out until shortly before it expires: a tenth of its life, at most a minute.
                // `life` is at most MAX_TOKEN_LIFE, and the clock's arithmetic is checked all the
                // same: a token that cannot be given an end is used once, not cached.
                let now = Instant::now();
                let until = now.checked_add(life.saturating_sub((life / 10).min(EARLY))).unwrap_or(now);
                state.cached = Some((token.clone(), until));
                tracing::debug!(expires_in = life.as_secs(), "new access token");
                Ok(token)
            }
            Err(e) => {
                // Said by the caller (the mailbox watcher logs an outage once); remembered for the recovery line.
                state.last_failure = Some(e.to_string());
                Err(e)
            }
        }
    }

    /// A server refused `token`: it is not handed out again.
    pub async fn refused(&self, token: &AccessToken) {
        let mut state = self.inner.state.lock().await;
        if state.cached.as_ref().is_some_and(|(t, _)| t == token) {
            state.cached = None;
            tracing::info!("the server refused the access token; a new one will be fetched");
        }
    }

    async fn fetch_from_endpoint(&self, state: &mut State) -> Result<(AccessToken, Duration), TokenError> {
        let OAuth2Settings::Endpoint { token_url, client_id, client_secret, scope, refresh_token_file, ca_file } =
            &self.inner.settings
        else {
            unreachable!("called for an endpoint only")
        };
        // The URL as errors may show it (its query may hold a key; SPEC §9).
        let shown = crate::telemetry::redacted(token_url);
        let outage = |message: String| TokenError::Outage { url: shown.clone(), message };
        let file = match refresh_token_file {
            None => None,
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| outage(format!("cannot read oauth2.refresh_token_file {}: {e}", path.display())))?
                    .trim()
                    .to_string(),
            ),
        };
        let slot = format!("{token_url} {client_id}");
        let file_hash = file.as_deref().map(|t| hex(&Sha256::digest(t.as_bytes())));
        if let (Some(from_file), Some(hash), None) = (&file, &file_hash, &state.refresh) {
            // The rotated token wins while the file still holds the one it replaced;
            // a new token written to the file by the operator wins over both.
            let kept = match &self.inner.store {
                Some(store) => store.rotated_refresh_token(&slot, hash).await.map_err(|e| outage(e.to_string()))?,
                None => None,
            };
            state.refresh = Some(kept.unwrap_or_else(|| from_file.clone()));
        }
        let mut form: Vec<(&str, String)> = vec![("client_id", client_id.clone())];
        if let Some(secret) = client_secret {
            form.push(("client_secret", secret.clone()));
        }
        if let Some(scope) = scope {
            form.push(("scope", scope.clone()));
        }
        match &state.refresh {
            Some(refresh) => {
                form.push(("grant_type", "refresh_token".into()));
                form.push(("refresh_token", refresh.clone()));
            }
            None => form.push(("grant_type", "client_credentials".into())),
        }
        let grant_key = if state.refresh.is_some() { "oauth2.refresh_token_file" } else { "oauth2.client_secret_file" };
        let url = token_url.clone();
        let Answer { status, location, body } = post_form(&url, &form, ca_file.as_deref()).await.map_err(outage)?;
        if (300..400).contains(&status) {
            // SPEC §11: never followed. A 307 or 308 would post the client secret and the
            // refresh token again, to wherever the Location says.
            let to = location.as_deref().map_or("nowhere (no Location)".to_string(), crate::telemetry::redacted);
            return Err(outage(format!(
                "HTTP {status}, a redirect to {to}: redirects are not followed (set oauth2.token_url to the endpoint itself)"
            )));
        }
        let answer: serde_json::Value = serde_json::from_str(&body)
            .map_err(|_| outage(format!("HTTP {status} with a body that is not JSON ({} bytes)", body.len())))?;
        let text = |k: &str| answer.get(k).and_then(|v| v.as_str()).map(str::to_string);
        if let Some(error) = text("error") {
            let description = text("error_description").map(|d| format!(": {}", first_line(&d))).unwrap_or_default();
            if GRANT_ERRORS.contains(&error.as_str()) {
                let key = match error.as_str() {
                    "invalid_client" | "unauthorized_client" => "oauth2.client_id and oauth2.client_secret_file",
                    "invalid_scope" => "oauth2.scope",
                    _ => grant_key,
                };
                return Err(TokenError::Refused { url: shown.clone(), error, description, key });
            }
            return Err(outage(format!("HTTP {status}: {error}{description}")));
        }
        if !(200..300).contains(&status) {
            return Err(outage(format!("HTTP {status}")));
        }
        let token = text("access_token")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| outage("no access_token in the answer".into()))?;
        let life = token_life(answer.get("expires_in"));
        if let (Some(rotated), Some(hash)) = (text("refresh_token"), &file_hash)
            && state.refresh.as_deref() != Some(rotated.as_str())
        {
            // Kept before it is used: the old one may already be void.
            if let Some(store) = &self.inner.store {
                store.keep_refresh_token(&slot, hash, &rotated).await.map_err(|e| outage(e.to_string()))?;
            }
            tracing::info!("the provider rotated the refresh token; the new one is kept in the database");
            state.refresh = Some(rotated);
        }
        Ok((AccessToken(token), life))
    }
}

/// How long a token is believed, from the answer's `expires_in` (a number, or a
/// numeric string as some providers send it): within 1 s ..= MAX_TOKEN_LIFE.
fn token_life(expires_in: Option<&serde_json::Value>) -> Duration {
    let secs = match expires_in {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(DEFAULT_TOKEN_LIFE);
    Duration::from_secs(secs.clamp(1, MAX_TOKEN_LIFE.as_secs()))
}

/// What the token endpoint answered (any status: the caller reads RFC 6749 errors).
struct Answer {
    status: u16,
    /// A redirect's target, made absolute.
    location: Option<String>,
    body: String,
}

/// One POST of a form; redirects are not followed. `ca_file`: a CA trusted beside the system's roots.
async fn post_form(url: &str, form: &[(&str, String)], ca_file: Option<&std::path::Path>) -> Result<Answer, String> {
    let builder = reqwest::Client::builder().timeout(TIMEOUT).redirect(reqwest::redirect::Policy::none());
    let client =
        crate::tls::http_client(builder, ca_file, "oauth2.ca_file").map_err(|e| crate::telemetry::chain(&e))?;
    let body: Vec<String> = form.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect();
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body.join("&"))
        .send()
        .await
        // reqwest's error names the URL, query and all: the caller names it, redacted.
        .map_err(|e| crate::telemetry::chain(&e.without_url()))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|to| response.url().join(to).map_or_else(|_| to.to_string(), |absolute| absolute.to_string()));
    let body = response.text().await.map_err(|e| crate::telemetry::chain(&e.without_url()))?;
    Ok(Answer { status, location, body })
}

/// `application/x-www-form-urlencoded`: unreserved bytes as they are, the rest %XX.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn run_command(command: &str) -> Result<AccessToken, TokenError> {
    let err = |message: String| TokenError::Command { message };
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| err(format!("cannot start sh: {e}")))?;
    let out = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| err(format!("no token within {} s", TIMEOUT.as_secs())))?
        .map_err(|e| err(e.to_string()))?;
    if !out.status.success() {
        // Its stderr, not its stdout: a token printed before a failure stays unsaid.
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(err(format!("{} ({})", out.status, first_line(&stderr))));
    }
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err("it must print one access token and nothing else".into()));
    }
    Ok(AccessToken(token))
}

fn first_line(s: &str) -> String {
    crate::domain::printable(s.lines().next().unwrap_or("").trim()).chars().take(200).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(
            urlencode("https://outlook.office365.com/.default"),
            "https%3A%2F%2Foutlook.office365.com%2F.default"
        );
        assert_eq!(urlencode("a b+c&d=é"), "a%20b%2Bc%26d%3D%C3%A9");
    }

    #[test]
    fn the_sasl_string_is_as_google_and_microsoft_document_it() {
        let s = xoauth2("desk@example.com", &AccessToken("ya29.abc".into()));
        assert_eq!(s, "user=desk@example.com\x01auth=Bearer ya29.abc\x01\x01");
        assert_eq!(format!("{:?}", AccessToken("ya29.abc".into())), "AccessToken(…)");
    }

    #[tokio::test]
    async fn a_token_command_prints_one_token() {
        assert_eq!(run_command("echo '  tok.123  '").await.unwrap().secret(), "tok.123");
        let e = run_command("echo two words").await.unwrap_err().to_string();
        assert!(e.contains("one access token"), "{e}");
        let e = run_command("echo leaked-token; echo oops >&2; exit 3").await.unwrap_err().to_string();
        assert!(e.contains("oops") && !e.contains("leaked-token"), "{e}");
    }

    /// A token endpoint on loopback that answers every request with `status`,
    /// `headers` and `body`; it counts the requests it took.
    async fn endpoint(
        status: u16,
        headers: String,
        body: &'static str,
    ) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/token", listener.local_addr().unwrap());
        let taken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = taken.clone();
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let headers = headers.clone();
                tokio::spawn(async move {
                    // The whole request (head and form) before the answer, so the client sees no reset.
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        let Ok(n) = conn.read(&mut chunk).await else { return };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buf).to_lowercase();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length = text
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if buf.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = conn.write_all(answer.as_bytes()).await;
                });
            }
        });
        (url, taken)
    }

    fn endpoint_settings(token_url: &str) -> OAuth2Settings {
        OAuth2Settings::Endpoint {
            token_url: token_url.to_string(),
            client_id: "desk".into(),
            client_secret: Some("client-s3cret".into()),
            scope: None,
            refresh_token_file: None,
            ca_file: None,
        }
    }

    #[test]
    fn a_server_s_expires_in_is_clamped_to_a_second_to_a_day() {
        let life = |v: serde_json::Value| token_life(Some(&v)).as_secs();
        assert_eq!(life(serde_json::json!(u64::MAX)), 24 * 3600);
        assert_eq!(life(serde_json::json!("18446744073709551615")), 24 * 3600);
        assert_eq!(life(serde_json::json!(3599)), 3599);
        assert_eq!(life(serde_json::json!(" 300 ")), 300);
        assert_eq!(life(serde_json::json!(0)), 1);
        assert_eq!(life(serde_json::json!(-5)), DEFAULT_TOKEN_LIFE, "not a lifetime: the default");
        assert_eq!(life(serde_json::json!(1e300)), DEFAULT_TOKEN_LIFE);
        assert_eq!(token_life(None).as_secs(), DEFAULT_TOKEN_LIFE);
    }

    #[tokio::test]
    async fn a_lifetime_of_2_to_the_64_seconds_from_the_endpoint_is_believed_for_a_day_at_most() {
        for body in [
            r#"{"access_token":"tok-1","token_type":"Bearer","expires_in":18446744073709551615}"#,
            r#"{"access_token":"tok-1","token_type":"Bearer","expires_in":"18446744073709551615"}"#,
        ] {
            let (url, _) = endpoint(200, String::new(), body).await;
            let tokens = Tokens::new(endpoint_settings(&url), None);
            let asked = Instant::now();
            assert_eq!(tokens.access_token().await.unwrap().secret(), "tok-1", "{body}");
            let until = tokens.inner.state.lock().await.cached.as_ref().expect("the token is cached").1;
            assert!(until > asked + Duration::from_secs(23 * 3600), "{body}: cached for most of a day");
            assert!(until <= Instant::now() + Duration::from_secs(24 * 3600), "{body}: but no more than a day");
        }
    }

    #[tokio::test]
    async fn a_redirect_from_the_token_endpoint_is_an_outage_and_the_secrets_are_posted_nowhere_else() {
        let (elsewhere, taken_elsewhere) =
            endpoint(200, String::new(), r#"{"access_token":"tok-1","expires_in":3600}"#).await;
        for status in [302, 307, 308] {
            let (url, taken) = endpoint(status, format!("Location: {elsewhere}\r\n"), "").await;
            let tokens = Tokens::new(endpoint_settings(&url), None);
            let e = tokens.access_token().await.expect_err("a redirect gives no token").to_string();
            assert!(e.contains(&format!("HTTP {status}")) && e.contains("redirect"), "{e}");
            assert!(e.contains(&elsewhere), "the error says where it pointed: {e}");
            assert_eq!(taken.load(std::sync::atomic::Ordering::SeqCst), 1);
        }
        assert_eq!(
            taken_elsewhere.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "neither the client secret nor a refresh token went to the redirect's target"
        );
    }

    #[tokio::test]
    async fn the_query_of_the_token_url_stays_out_of_its_errors() {
        let (url, _) = endpoint(503, String::new(), r#"{"error":"temporarily_unavailable"}"#).await;
        let tokens = Tokens::new(endpoint_settings(&format!("{url}?api-key=k3y-in-query")), None);
        let e = tokens.access_token().await.expect_err("HTTP 503").to_string();
        assert!(e.contains("HTTP 503") && e.contains("/token"), "{e}");
        assert!(!e.contains("k3y-in-query"), "{e}");
        // Nobody listens there: the HTTP client's own error names the URL too.
        let tokens = Tokens::new(endpoint_settings("http://127.0.0.1:1/token?api-key=k3y-in-query"), None);
        let e = tokens.access_token().await.expect_err("connection refused").to_string();
        assert!(e.contains("127.0.0.1:1/token"), "{e}");
        assert!(!e.contains("k3y-in-query"), "{e}");
    }

    #[tokio::test]
    async fn a_token_is_reused_until_a_server_refuses_it() {
        let dir = tempfile::tempdir().unwrap();
        let count = dir.path().join("count");
        let command = format!("echo x >> {0}; printf 'tok%s' $(wc -l < {0})", count.display());
        let tokens = Tokens::new(OAuth2Settings::Command { token_command: command }, None);
        let first = tokens.access_token().await.unwrap();
        assert_eq!(first.secret(), "tok1");
        assert_eq!(tokens.access_token().await.unwrap(), first, "cached");
        tokens.refused(&AccessToken("another".into())).await;
        assert_eq!(tokens.access_token().await.unwrap(), first, "only the refused token is dropped");
        tokens.refused(&first).await;
        assert_eq!(tokens.access_token().await.unwrap().secret(), "tok2");
    }
}
