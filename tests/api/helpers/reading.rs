//! Reading what the desk sent from the recipients' mailboxes over IMAP, and waiting on it with a bound.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mail_parser::MessageParser;
use smartacct::configuration::{ImapSettings, Security};
use smartacct::imap::Imap;

use super::*;

/// A message as a recipient sees it.
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: Vec<u8>,
    pub subject: String,
    pub from: String,
    pub reply_to: Option<String>,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

impl Received {
    pub fn parse(raw: Vec<u8>) -> Received {
        let m = MessageParser::default().parse(&raw).expect("parsable mail");
        let addr =
            |a: Option<&mail_parser::Address>| a.and_then(|a| a.first()).and_then(|a| a.address()).map(str::to_string);
        let text = m
            .text_bodies()
            .filter(|p| !p.is_text_html())
            .filter_map(|p| p.text_contents())
            .collect::<Vec<_>>()
            .join("\n");
        let html = m
            .html_bodies()
            .filter(|p| p.is_text_html())
            .filter_map(|p| p.text_contents())
            .collect::<Vec<_>>()
            .join("\n");
        Received {
            subject: m.subject().unwrap_or("").to_string(),
            from: addr(m.from()).unwrap_or_default(),
            reply_to: addr(m.reply_to()),
            message_id: m.message_id().unwrap_or("").to_string(),
            text,
            html,
            raw: raw.clone(),
        }
    }

    /// The value of a header as sent (unfolded, trimmed).
    pub fn header(&self, name: &str) -> Option<String> {
        let m = MessageParser::default().parse(&self.raw)?;
        m.header_raw(name).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The plus tag of the Reply-To address.
    pub fn tag(&self) -> Option<String> {
        let a = self.reply_to.as_deref()?;
        a.split('@').next()?.split_once('+').map(|(_, t)| t.to_string())
    }

    /// A reply as a mail client writes it: to the Reply-To, `Re:` subject,
    /// threading headers, and the original quoted below.
    pub fn reply(&self, _from: &str, answer: &str) -> (Vec<(String, String)>, String) {
        let quoted: String = self.text.lines().map(|l| format!("> {l}\n")).collect();
        let body =
            format!("{answer}\n\nOn Mon, 23 Nov 2026 at 10:00, Smart Account Desk <{}> wrote:\n{quoted}", self.from);
        let headers = vec![
            ("In-Reply-To".to_string(), format!("<{}>", self.message_id)),
            ("References".to_string(), format!("<{}>", self.message_id)),
        ];
        (headers, body)
    }

    pub async fn send_reply(&self, from: &str, answer: &str) -> String {
        self.send_reply_via(MAIN.smtp, from, answer).await
    }

    /// As `send_reply`, through the SMTP server on 127.0.0.1:`port` (e.g. `AUTH.signing`).
    pub async fn send_reply_via(&self, port: u16, from: &str, answer: &str) -> String {
        let (headers, body) = self.reply(from, answer);
        let to = self.reply_to.clone().unwrap_or_else(|| self.from.clone());
        let subject = format!("Re: {}", self.subject);
        let mut out = Outgoing::text(from, &to, &subject, &body);
        out.headers = headers;
        out.send_via(port).await
    }
}

fn imap_settings(stack: Stack, user: &str) -> ImapSettings {
    ImapSettings {
        host: "127.0.0.1".into(),
        port: stack.imap,
        security: Security::None,
        username: user.into(),
        password: PASSWORD.into(),
        auth: Default::default(),
        ca_file: None,
        folder: "INBOX".into(),
        processed_folder: "Processed".into(),
        rejected_folder: "Rejected".into(),
        max_message_bytes: u64::MAX,
        batch_size: 500,
        timeout: Duration::from_secs(20),
        poll_interval: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(60),
    }
}

/// A session as `user`: with the password, or for the token-only
/// `oauth-*` mailboxes of the XOAUTH2 stack, with a reader's token.
pub async fn login(stack: Stack, user: &str) -> Imap {
    if !user.starts_with("oauth-") {
        return Imap::connect(&imap_settings(stack, user), None).await.expect("test IMAP login");
    }
    let token = reader_token(stack, user).await;
    let settings = ImapSettings { auth: smartacct::configuration::Auth::Xoauth2, ..imap_settings(stack, user) };
    let tokens = smartacct::oauth2::Tokens::new(
        smartacct::configuration::OAuth2Settings::Command { token_command: format!("printf %s {token}") },
        None,
    );
    Imap::connect(&settings, Some(&tokens)).await.expect("test IMAP login with XOAUTH2")
}

/// A long-lived token for the test's own reads of an `oauth-*` mailbox (its own client).
async fn reader_token(stack: Stack, user: &str) -> String {
    static TOKENS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    if let Some((_, t)) = TOKENS.lock().unwrap().iter().find(|(u, _)| u == user) {
        return t.clone();
    }
    let client = format!("reader-{user}");
    oauth_admin(
        stack,
        "client",
        &serde_json::json!({"client_id": client, "secret": "r", "user": user, "lifetime": 86400}),
    )
    .await;
    let answer = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{}/token", stack.oauth2))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=client_credentials&client_id={client}&client_secret=r"))
        .send()
        .await
        .expect("the token server answers")
        .text()
        .await
        .unwrap();
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let token = answer["access_token"].as_str().unwrap().to_string();
    TOKENS.lock().unwrap().push((user.to_string(), token.clone()));
    token
}

/// `POST /admin/WHAT` on the stack's token server (see scripts/oauth2_endpoint.py).
pub async fn oauth_admin(stack: Stack, what: &str, body: &serde_json::Value) {
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{}/admin/{what}", stack.oauth2))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the token server answers");
}

/// `GET /admin/stats` of one client: tokens issued, the refresh token now valid, the tokens themselves.
pub async fn oauth_stats(stack: Stack, client_id: &str) -> serde_json::Value {
    let text = reqwest::get(format!("http://127.0.0.1:{}/admin/stats?client_id={client_id}", stack.oauth2))
        .await
        .expect("the token server answers")
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Messages in a folder of `user`'s mailbox (0 when the folder does not exist).
pub async fn count(user: &str, folder: &str) -> usize {
    count_on(MAIN, user, folder).await
}

pub async fn count_on(stack: Stack, user: &str, folder: &str) -> usize {
    let mut imap = login(stack, user).await;
    let n = imap.select(folder).await.map(|s| s.exists as usize).unwrap_or(0);
    imap.logout().await;
    n
}

/// Messages in INBOX, Processed and Rejected together: mail the desk moved still counts.
pub async fn total(user: &str) -> usize {
    total_on(MAIN, user).await
}

pub async fn total_on(stack: Stack, user: &str) -> usize {
    let mut n = 0;
    for f in ["INBOX", "Processed", "Rejected"] {
        n += count_on(stack, user, f).await;
    }
    n
}

pub async fn wait_until<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !f().await {
        assert!(start.elapsed() < MAIL_WAIT, "timed out after {MAIL_WAIT:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn wait_total(user: &str, n: usize) {
    wait_total_on(MAIN, user, n).await
}

pub async fn wait_total_on(stack: Stack, user: &str, n: usize) {
    wait_until(&format!("{n} messages in all folders of {user}"), || async { total_on(stack, user).await >= n }).await;
}

/// Waits until `user`'s INBOX holds at least `n` messages, then returns them all, oldest first.
pub async fn inbox(user: &str, n: usize) -> Vec<Received> {
    inbox_on(MAIN, user, n).await
}

pub async fn inbox_on(stack: Stack, user: &str, n: usize) -> Vec<Received> {
    wait_until(&format!("{n} messages in {user}'s INBOX"), || async { count_on(stack, user, "INBOX").await >= n })
        .await;
    fetch_all_on(stack, user, "INBOX").await
}

/// Waits for `n` messages, then gives the mailbox a moment to prove no more arrive:
/// it must still hold exactly `n` after Postfix has drained its queue.
pub async fn inbox_exactly(user: &str, n: usize) -> Vec<Received> {
    inbox_exactly_on(MAIN, user, n).await
}

pub async fn inbox_exactly_on(stack: Stack, user: &str, n: usize) -> Vec<Received> {
    let got = inbox_on(stack, user, n).await;
    settle_on(stack).await;
    let again = fetch_all_on(stack, user, "INBOX").await;
    assert_eq!(
        again.len(),
        n,
        "{user} holds {} messages, expected {n}: {:?}",
        again.len(),
        again.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    let _ = got;
    again
}

/// Waits until Postfix's queue is empty: everything sent so far has been delivered.
pub async fn settle() {
    settle_on(MAIN).await
}

pub async fn settle_on(stack: Stack) {
    let queue = PathBuf::from(stack.dir).join("postfix-queue");
    wait_until("Postfix to empty its queue", || {
        let queue = queue.clone();
        async move {
            ["incoming", "active", "maildrop"]
                .iter()
                .all(|d| std::fs::read_dir(queue.join(d)).map(|mut it| it.next().is_none()).unwrap_or(true))
        }
    })
    .await;
}

pub async fn fetch_all(user: &str, folder: &str) -> Vec<Received> {
    fetch_all_on(MAIN, user, folder).await
}

pub async fn fetch_all_on(stack: Stack, user: &str, folder: &str) -> Vec<Received> {
    let mut imap = login(stack, user).await;
    let out = match imap.select(folder).await {
        Err(_) => Vec::new(),
        Ok(_) => {
            let uids = imap.all_uids().await.unwrap();
            imap.fetch(&uids).await.unwrap().into_iter().filter_map(|f| f.body).map(Received::parse).collect()
        }
    };
    imap.logout().await;
    out
}

/// A bare IMAP session as `user`, for tests that rearrange folders as an administrator would.
pub async fn raw_imap(stack: Stack, user: &str) -> async_imap::Session<tokio::net::TcpStream> {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", stack.imap)).await.unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    client.login(user, PASSWORD).await.map_err(|(e, _)| e).unwrap()
}
