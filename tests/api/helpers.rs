//! `TestDesk`: a desk with its own addresses and database on the real mail
//! stack, plus mail helpers that send as a partner would and read what the
//! desk sent from the recipients' mailboxes over IMAP.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use mail_parser::MessageParser;
use smartacct::app::{App, Loaded};
use smartacct::configuration::{ImapSettings, Security};
use smartacct::imap::Imap;
use smartacct::request::Request;

/// One local mail stack (Postfix + Dovecot) of scripts/mailstack.sh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stack {
    pub dir: &'static str,
    pub smtp: u16,
    pub submission: u16,
    pub imap: u16,
    pub imaps: u16,
}

/// The shared stack every ordinary test uses.
pub const MAIN: Stack =
    Stack { dir: "/var/lib/smartacct-mailstack", smtp: 2525, submission: 2587, imap: 1143, imaps: 1993 };
/// A second stack for the tests that stop and start servers, so they never disturb the others.
pub const FAULTS: Stack =
    Stack { dir: "/var/lib/smartacct-mailstack-faults", smtp: 2526, submission: 2588, imap: 1144, imaps: 1994 };

pub const SMTP_PORT: u16 = MAIN.smtp;
pub const IMAP_PORT: u16 = MAIN.imap;
pub const IMAPS_PORT: u16 = MAIN.imaps;

impl Stack {
    /// Runs `scripts/mailstack.sh CMD` for this stack.
    pub fn script(&self, cmd: &str) {
        let status = std::process::Command::new("bash")
            .arg(repo().join("scripts/mailstack.sh"))
            .arg(cmd)
            .env("MAILSTACK_DIR", self.dir)
            .env("MAILSTACK_SMTP_PORT", self.smtp.to_string())
            .env("MAILSTACK_SUBMISSION_PORT", self.submission.to_string())
            .env("MAILSTACK_IMAP_PORT", self.imap.to_string())
            .env("MAILSTACK_IMAPS_PORT", self.imaps.to_string())
            .status()
            .expect("cannot run scripts/mailstack.sh");
        assert!(status.success(), "scripts/mailstack.sh {cmd} failed for {}", self.dir);
    }

    fn up(&self) {
        let up = |p: u16| std::net::TcpStream::connect(("127.0.0.1", p)).is_ok();
        if !(up(self.smtp) && up(self.imap) && up(self.imaps)) {
            self.script("up");
        }
    }
}

/// The fault stack, started once; its tests take this lock so they run one at a time.
pub fn fault_stack() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    static UP: OnceLock<()> = OnceLock::new();
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    UP.get_or_init(|| FAULTS.up());
    // A test that failed half-way may have left a server stopped.
    FAULTS.up();
    guard
}
pub const PASSWORD: &str = "secret";
/// How long a test waits for mail to arrive before it fails.
pub const MAIL_WAIT: Duration = Duration::from_secs(20);

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn mailstack_dir() -> PathBuf {
    std::env::var_os("MAILSTACK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/smartacct-mailstack"))
}

pub fn ca_file() -> PathBuf {
    mailstack_dir().join("tls/ca.crt")
}

fn stack_ca(stack: Stack) -> PathBuf {
    if stack == MAIN { ca_file() } else { PathBuf::from(stack.dir).join("tls/ca.crt") }
}

/// Starts the project's mail stack once per test run (it is idempotent).
pub fn mailstack() {
    static UP: OnceLock<()> = OnceLock::new();
    UP.get_or_init(|| MAIN.up());
}

pub fn uid() -> String {
    let mut b = [0u8; 5];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The people of one test, with addresses nobody else uses.
#[derive(Debug, Clone)]
pub struct People {
    pub partner: String,
    pub other_partner: String,
    pub customer: String,
    pub user1: String,
    pub user2: String,
    pub stranger: String,
    pub domain: String,
}

impl People {
    pub fn new() -> People {
        let i = uid();
        People {
            partner: format!("p-{i}@partner.test"),
            other_partner: format!("q-{i}@partner.test"),
            customer: format!("c-{i}@customer.test"),
            user1: format!("u1-{i}@customer.test"),
            user2: format!("u2-{i}@customer.test"),
            stranger: format!("s-{i}@customer.test"),
            domain: format!("acme-{i}.example"),
        }
    }

    pub fn form_en(&self) -> String {
        format!(
            "Hello desk,\n\nAccount name: Acme Corp\nCustomer email: {}\nAccount domain: {}\nNote to customer: Please accept, thanks.\nUser emails: {}, {}\nNote to users: Welcome aboard.\n\nRegards,\nPartner\n",
            self.customer, self.domain, self.user1, self.user2
        )
    }

    pub fn form_fr(&self) -> String {
        format!(
            "Bonjour,\n\nNom du compte : Société Générale\nE-mail du client : {}\nDomaine du compte : {}\nNote au client : Merci d’accepter.\nE-mails des utilisateurs : {}\nRemarque à l’intention des utilisateurs ajoutés : Bienvenue !\n\nCordialement\n",
            self.customer, self.domain, self.user1
        )
    }
}

/// Options of a desk's configuration.
#[derive(Clone)]
pub struct DeskOptions {
    pub review: bool,
    /// Lines added to [imap] (e.g. `max_message_bytes = 2048`).
    pub imap_extra: String,
    /// Lines added to [smtp] (e.g. `pool_size = 1`).
    pub smtp_extra: String,
    /// Whole sections appended to the file (e.g. `[hygiene]` …).
    pub extra: String,
    /// Lines added to [partners] (e.g. `max_open_requests = 2`).
    pub partners_extra: String,
    pub imap_security: &'static str,
    pub smtp_port: u16,
    pub stack: Stack,
}

impl Default for DeskOptions {
    fn default() -> Self {
        DeskOptions {
            review: true,
            imap_extra: String::new(),
            smtp_extra: String::new(),
            extra: String::new(),
            partners_extra: String::new(),
            imap_security: "none",
            smtp_port: SMTP_PORT,
            stack: MAIN,
        }
    }
}

impl DeskOptions {
    pub fn on(stack: Stack) -> Self {
        DeskOptions { stack, smtp_port: stack.smtp, ..Default::default() }
    }
}

pub struct TestDesk {
    pub address: String,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub app: App,
    pub options: DeskOptions,
}

impl TestDesk {
    pub async fn spawn() -> TestDesk {
        Self::with(DeskOptions::default()).await
    }

    pub async fn with(options: DeskOptions) -> TestDesk {
        mailstack();
        let address = format!("desk-{}@example.test", uid());
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("smartacct.toml");
        write_config(&config, &address, dir.path(), &options);
        let app = App::open(Loaded::from_path(&config).expect("test config loads")).await.expect("app opens");
        // The desk's mailbox exists once it has been logged into.
        count_on(options.stack, &address, "INBOX").await;
        TestDesk { address, dir, config, app, options }
    }

    /// The same desk (same addresses, same database) with other options, as after an operator's change and a restart.
    pub async fn reconfigure(self, options: DeskOptions) -> TestDesk {
        self.app.store.close().await;
        write_config(&self.config, &self.address, self.dir.path(), &options);
        let app = App::open(Loaded::from_path(&self.config).expect("test config loads")).await.expect("app opens");
        TestDesk { app, options, ..self }
    }

    /// Reloads the config file as it is now (after a test edited it).
    pub async fn reconfigure_keep_file(self) -> TestDesk {
        self.app.store.close().await;
        let app = App::open(Loaded::from_path(&self.config).expect("test config loads")).await.expect("app opens");
        TestDesk { app, ..self }
    }

    /// `poll --once`, after `delivered` messages in all reached the desk's mailbox.
    pub async fn poll(&self, delivered: usize) {
        wait_total_on(self.options.stack, &self.address, delivered).await;
        smartacct::intake::poll_and_deliver(&self.app).await.expect("poll --once");
    }

    /// `sweep --now NOW`.
    pub async fn sweep(&self, now: chrono::DateTime<chrono::Utc>) -> smartacct::sweep::SweepReport {
        smartacct::sweep::sweep_and_deliver(&self.app, now).await.expect("sweep").0
    }

    pub async fn requests(&self) -> Vec<Request> {
        self.app.store.list_requests(None).await.unwrap()
    }

    pub async fn one(&self) -> Request {
        let mut all = self.requests().await;
        assert_eq!(all.len(), 1, "expected exactly one request: {:?}", all.iter().map(|r| r.state).collect::<Vec<_>>());
        all.remove(0)
    }

    pub fn bin(&self) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_smartacct"));
        c.arg("--config").arg(&self.config);
        c
    }
}

fn write_config(path: &Path, address: &str, dir: &Path, o: &DeskOptions) {
    let ca_line = format!("ca_file = {:?}", stack_ca(o.stack).display().to_string());
    let (port, ca) = match o.imap_security {
        "tls" => (o.stack.imaps, ca_line),
        "starttls" => (o.stack.imap, ca_line),
        _ => (o.stack.imap, String::new()),
    };
    let text = format!(
        r#"
[mailbox]
address = "{address}"
display_name = "Smart Account Desk"

[imap]
host = "127.0.0.1"
port = {port}
security = "{sec}"
username = "{address}"
password = "{PASSWORD}"
{ca}
timeout_secs = 20
{imap_extra}

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
timeout_secs = 10
{smtp_extra}

[database]
url = "sqlite://{db}"

[partners]
allow = ["*@partner.test"]
{partners_extra}

[workflow]
review = {review}
acceptance_days = 90
reminder_days_before = [30, 7]
default_locale = "en"
support_url = "https://www.cisco.com/go/scm"
{extra}
"#,
        sec = o.imap_security,
        smtp_port = o.smtp_port,
        db = dir.join("smartacct.db").display(),
        review = o.review,
        extra = o.extra,
        imap_extra = o.imap_extra,
        smtp_extra = o.smtp_extra,
        partners_extra = o.partners_extra,
    );
    std::fs::write(path, text).unwrap();
}

// ------------------------------------------------------------------ sending

/// Sends raw bytes as `from` to `to` through Postfix.
pub async fn send_raw(from: &str, to: &str, raw: &[u8]) {
    send_raw_on(MAIN, Some(from), to, raw).await
}

/// Sends raw bytes through a stack's Postfix; `from = None` is the null sender (`<>`) of bounces.
pub async fn send_raw_on(stack: Stack, from: Option<&str>, to: &str, raw: &[u8]) {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(stack.smtp).build();
    let env = Envelope::new(from.map(|f| f.parse().unwrap()), vec![to.parse().unwrap()]).unwrap();
    transport.send_raw(&env, raw).await.expect("Postfix takes the message");
}

/// A plain-text message as a mail client writes it; returns its Message-ID.
pub struct Outgoing<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: Option<&'a str>,
    pub html: Option<&'a str>,
    pub headers: Vec<(String, String)>,
}

impl<'a> Outgoing<'a> {
    pub fn text(from: &'a str, to: &'a str, subject: &'a str, text: &'a str) -> Self {
        Outgoing { from, to, subject, text: Some(text), html: None, headers: Vec::new() }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn build(&self) -> (String, Vec<u8>) {
        let id = format!("{}.{}@{}", uid(), uid(), self.from.split('@').nth(1).unwrap_or("x.test"));
        let mut m = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: <{id}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n",
            self.from,
            self.to,
            encode_subject(self.subject)
        );
        for (n, v) in &self.headers {
            m.push_str(&format!("{n}: {v}\r\n"));
        }
        let b64 = |s: &str| {
            use std::fmt::Write;
            let enc = base64(s.as_bytes());
            let mut out = String::new();
            for chunk in enc.as_bytes().chunks(76) {
                writeln!(out, "{}\r", std::str::from_utf8(chunk).unwrap()).unwrap();
            }
            out
        };
        match (self.text, self.html) {
            (Some(t), None) => {
                m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                m.push_str(&b64(t));
            }
            (None, Some(h)) => {
                m.push_str("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                m.push_str(&b64(h));
            }
            (Some(t), Some(h)) => {
                m.push_str("Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                m.push_str(&b64(t));
                m.push_str(
                    "--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                );
                m.push_str(&b64(h));
                m.push_str("--b1--\r\n");
            }
            (None, None) => m.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n"),
        }
        (id, m.into_bytes())
    }

    pub async fn send(&self) -> String {
        self.send_on(MAIN).await
    }

    pub async fn send_on(&self, stack: Stack) -> String {
        let (id, raw) = self.build();
        send_raw_on(stack, Some(self.from), &bare(self.to), &raw).await;
        id
    }
}

fn encode_subject(s: &str) -> String {
    if s.is_ascii() { s.to_string() } else { format!("=?utf-8?b?{}?=", base64(s.as_bytes())) }
}

pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The address inside `Name <addr>`.
pub fn bare(a: &str) -> String {
    match (a.rfind('<'), a.rfind('>')) {
        (Some(l), Some(r)) if l < r => a[l + 1..r].to_string(),
        _ => a.trim().to_string(),
    }
}

// ------------------------------------------------------------------ reading

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
        let (headers, body) = self.reply(from, answer);
        let to = self.reply_to.clone().unwrap_or_else(|| self.from.clone());
        let subject = format!("Re: {}", self.subject);
        let mut out = Outgoing::text(from, &to, &subject, &body);
        out.headers = headers;
        out.send().await
    }
}

fn imap_settings(stack: Stack, user: &str) -> ImapSettings {
    ImapSettings {
        host: "127.0.0.1".into(),
        port: stack.imap,
        security: Security::None,
        username: user.into(),
        password: PASSWORD.into(),
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

/// Messages in a folder of `user`'s mailbox (0 when the folder does not exist).
pub async fn count(user: &str, folder: &str) -> usize {
    count_on(MAIN, user, folder).await
}

pub async fn count_on(stack: Stack, user: &str, folder: &str) -> usize {
    let mut imap = Imap::connect(&imap_settings(stack, user)).await.expect("test IMAP login");
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
    let mut imap = Imap::connect(&imap_settings(stack, user)).await.expect("test IMAP login");
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

// ------------------------------------------------------------------ the binary

/// `smartacct` running as a child process, its stderr collected line by line.
pub struct Running {
    pub child: std::process::Child,
    pub lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl TestDesk {
    /// Starts the binary with `args` and extra environment.
    pub fn start(&self, args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut cmd = self.bin();
        cmd.args(args).stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null());
        cmd.env("RUST_LOG", "info,smartacct=debug");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("smartacct starts");
        let stderr = child.stderr.take().unwrap();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Running { child, lines }
    }
}

impl Running {
    pub fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Waits until a stderr line contains `text` (or the process exits).
    pub async fn wait_log(&mut self, text: &str) -> bool {
        let start = Instant::now();
        loop {
            if self.lines.lock().unwrap().iter().any(|l| l.contains(text)) {
                return true;
            }
            if self.child.try_wait().unwrap().is_some() || start.elapsed() > MAIL_WAIT {
                return self.lines.lock().unwrap().iter().any(|l| l.contains(text));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn signal(&self, sig: &str) {
        let ok = std::process::Command::new("kill").args([sig, &self.child.id().to_string()]).status().unwrap();
        assert!(ok.success());
    }

    /// Waits for the process to exit, within a bound.
    pub async fn exit(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(start.elapsed() < MAIL_WAIT, "smartacct did not exit; log:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn kill9(&mut self) {
        self.signal("-KILL");
        self.exit().await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- smartacct's log ---\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bare IMAP session as `user`, for tests that rearrange folders as an administrator would.
pub async fn raw_imap(stack: Stack, user: &str) -> async_imap::Session<tokio::net::TcpStream> {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", stack.imap)).await.unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    client.login(user, PASSWORD).await.map_err(|(e, _)| e).unwrap()
}
