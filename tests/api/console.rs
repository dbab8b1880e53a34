//! The operator console (SPEC §12) over plain HTTP, served by a running `run` beside the real mail stack:
//! signing in, the pages, the actions and who may take them, a proxy's header, the browser's language.
use std::io::Write as _;
use std::net::IpAddr;

use smartacct::domain::State;

use crate::helpers::*;

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A desk whose `run` serves the console on `port`, its users file in the desk's own directory.
async fn desk_with_console(port: u16, more: &str) -> TestDesk {
    desk_with_console_and(DeskOptions::default(), port, more).await
}

async fn desk_with_console_and(options: DeskOptions, port: u16, more: &str) -> TestDesk {
    let desk = TestDesk::with(options).await;
    let users = desk.dir.path().join("console-users");
    let section =
        format!("\n[console]\nlisten = \"127.0.0.1:{port}\"\nusers_file = {:?}\n{more}\n", users.display().to_string());
    std::fs::OpenOptions::new().append(true).open(&desk.config).unwrap().write_all(section.as_bytes()).unwrap();
    desk
}

/// `smartacct console add-user NAME --role ROLE`, the password on stdin: the exit status and stderr.
fn add_user_with(config: &std::path::Path, name: &str, role: &str, password: &str) -> (i32, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_smartacct"))
        .arg("--config")
        .arg(config)
        .args(["console", "add-user", name, "--role", role])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `console add-user` that must succeed.
pub(crate) fn add_user(desk: &TestDesk, name: &str, role: &str, password: &str) {
    let (code, stderr) = add_user_with(&desk.config, name, role, password);
    assert_eq!(code, 0, "{stderr}");
}

/// One answer of the console.
#[derive(Debug)]
struct Page {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers.get("location").map(|v| v.to_str().unwrap()).unwrap_or("")
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
    }

    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
        self.body[at..].split('"').next().unwrap().to_string()
    }
}

/// A browser without script: keeps its session cookie, follows no redirect, sends its language.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: Option<String>,
    language: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
}

impl Browser {
    fn new(port: u16) -> Browser {
        Browser::from(port, None)
    }

    /// A browser whose connections come from `local` (another loopback address: a proxy, say).
    fn from(port: u16, local: Option<IpAddr>) -> Browser {
        smartacct::tls::install_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(local)
            .build()
            .unwrap();
        Browser { client, base: format!("http://127.0.0.1:{port}"), cookie: None, language: None, headers: Vec::new() }
    }

    async fn send(&self, r: reqwest::RequestBuilder) -> Page {
        let mut r = r;
        if let Some(c) = &self.cookie {
            r = r.header("cookie", c);
        }
        if let Some(l) = self.language {
            r = r.header("accept-language", l);
        }
        for (k, v) in &self.headers {
            r = r.header(*k, v);
        }
        let answer = r.send().await.expect("the console answers");
        let (status, headers) = (answer.status().as_u16(), answer.headers().clone());
        let body = answer.text().await.unwrap();
        // What every answer of the console must be, whatever it is.
        for (h, v) in [
            (
                "content-security-policy",
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ] {
            assert_eq!(headers.get(h).map(|v| v.to_str().unwrap()), Some(v), "{h} on {status}: {body}");
        }
        assert!(body.len() < 100 * 1024, "a page under 100 KB: {} bytes", body.len());
        assert!(!body.contains("<script"), "no script");
        Page { status, headers, body }
    }

    async fn get(&self, path: &str) -> Page {
        self.send(self.client.get(format!("{}{path}", self.base))).await
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(r).await
    }

    /// Signs in; keeps the session cookie it gets.
    async fn sign_in(&mut self, user: &str, password: &str, next: &str) -> Page {
        let page = self.post("/login", &[("user", user), ("password", password), ("next", next)]).await;
        if let Some(c) = page.set_cookies().iter().find(|c| c.starts_with("smartacct_console=")) {
            self.cookie = Some(c.split(';').next().unwrap().to_string());
        }
        page
    }

    /// Waits until `run` serves the console.
    async fn wait_ready(&self) {
        let client = &self.client;
        let url = format!("{}/login", self.base);
        wait_until("the console to answer", || async {
            client.get(&url).send().await.is_ok_and(|r| r.status().as_u16() == 200)
        })
        .await;
    }
}

#[tokio::test]
async fn an_operator_finds_a_request_by_domain_cancels_it_with_a_reason_and_the_partner_is_told() {
    let port = free_port();
    let desk = desk_with_console(port, "").await;
    add_user(&desk, "alice", "operator", "correct horse battery");
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let mut run = desk.start(&["run"], &[]);
    inbox(&p.partner, 1).await;
    let reference = desk.one().await.reference.to_string();
    let mut browser = Browser::new(port);
    browser.wait_ready().await;

    // Before signing in, any page leads to the sign-in form, and back to it after.
    let page = browser.get(&format!("/requests/{reference}")).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location(), format!("/login?next=%2Frequests%2F{reference}"));
    let login = browser.get(page.location()).await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("<form action=\"/login\" method=\"post\">"), "{}", login.body);
    assert!(login.body.contains("name=\"user\"") && login.body.contains("name=\"password\""));
    assert!(login.body.contains(&format!("value=\"/requests/{reference}\"")), "{}", login.body);
    assert_eq!(browser.get("/static/console.css").await.headers["content-type"], "text/css; charset=utf-8");

    // A wrong password never signs in; the right one does, with a cookie scripts cannot read.
    let wrong = browser.sign_in("alice", "correct horse battery!", "/").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.set_cookies().is_empty() && browser.cookie.is_none());
    let unknown = browser.sign_in("mallory", "correct horse battery", "/").await;
    assert_eq!(unknown.status, 401);
    let next = format!("/requests?q={}", p.domain);
    let signed = browser.sign_in("alice", "correct horse battery", &next).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    assert_eq!(signed.location(), next);
    let cookie = signed.set_cookies().join("\n");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(attribute), "{attribute}: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP, no proxy: {cookie}");

    // The list finds the request by its domain; its row links to it.
    let list = browser.get(&next).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("href=\"/requests/{reference}\"")), "{}", list.body);
    assert!(list.body.contains("awaiting_review"));
    let none = browser.get("/requests?q=nothing-like-it.example").await;
    assert!(!none.body.contains(&format!("/requests/{reference}")));
    let by_partner = browser.get(&format!("/requests?q={}&state=awaiting_review", p.partner)).await;
    assert!(by_partner.body.contains(&format!("/requests/{reference}")));
    let by_part = browser.get("/requests?q=acme-&state=awaiting_review&sort=domain&order=asc").await;
    assert!(by_part.body.contains(&format!("/requests/{reference}")), "a part of the domain");

    // The request's page: its state, its history, and the operator's forms.
    let shown = browser.get(&format!("/requests/{reference}")).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("awaiting_review"), "{}", shown.body);
    assert!(shown.body.contains("review_sent") && shown.body.contains("/emails/"), "{}", shown.body);
    let cancel_form = format!("<form method=\"post\" action=\"/requests/{reference}/cancel\">");
    assert!(shown.body.contains(&cancel_form), "{}", shown.body);
    assert!(shown.body.contains(&format!("<form method=\"post\" action=\"/requests/{reference}/resend\">")));
    assert!(shown.body.contains("name=\"reason\""));
    let csrf = shown.csrf();
    let email = shown.body.split("href=\"/emails/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let email = browser.get(&format!("/emails/{email}")).await;
    assert!(email.body.contains(&reference) && email.body.contains("SUBMIT"), "the review's text: {}", email.body);

    // Without the token, or with another one, nothing changes.
    let cancel = format!("/requests/{reference}/cancel");
    for token in ["", "bm90IGEgdG9rZW4"] {
        let refused = browser.post(&cancel, &[("csrf", token), ("reason", "no")]).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(refused.body.contains("Nothing was changed"), "{}", refused.body);
    }
    assert_eq!(desk.one().await.state, State::AwaitingReview);

    // With it, the request is cancelled, as by the command line, under the operator's name.
    let reason = "Duplicate of <b>SA-2</b> & co";
    let done = browser.post(&cancel, &[("csrf", &csrf), ("reason", reason)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), format!("/requests/{reference}?done=cancelled"));
    let r = desk.one().await;
    assert_eq!(r.state, State::Cancelled);
    let partner = inbox(&p.partner, 2).await;
    assert!(partner[1].subject.contains(&reference), "{}", partner[1].subject);
    assert!(partner[1].text.contains(reason), "{}", partner[1].text);
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    let line = history.iter().find(|e| e.kind.name() == "cancelled").expect("a cancelled line");
    assert!(line.detail.contains("the operator alice on the console") && line.detail.contains(reason), "{line:?}");
    let after = browser.get(done.location()).await;
    assert!(after.body.contains("The request is cancelled") && after.body.contains(">cancelled<"), "{}", after.body);
    assert!(!after.body.contains(&cancel_form), "a closed request has no forms");
    assert!(after.body.contains("alice"), "the history names the operator: {}", after.body);

    // A stale action (the request is closed now) is refused with its reason, never a 500.
    let stale = browser.post(&cancel, &[("csrf", &csrf), ("reason", "again")]).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("closed already"), "{}", stale.body);
    let missing = browser.post("/requests/SA-AAAAAAAA/resend", &[("csrf", &csrf)]).await;
    assert_eq!(missing.status, 404);

    // The actions log, the overview and the other pages.
    let actions = browser.get("/actions").await;
    assert!(actions.body.contains("alice") && actions.body.contains(&reference), "{}", actions.body);
    assert!(actions.body.contains("refused"), "the stale cancel is logged too: {}", actions.body);
    let overview = browser.get("/").await;
    assert_eq!(overview.status, 200);
    assert!(overview.body.contains("<svg") && overview.body.contains("/requests?state=cancelled"), "{}", overview.body);
    for path in ["/outbox", "/mail", "/requests", "/requests?state=cancelled&page=2", "/nowhere"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, if path == "/nowhere" { 404 } else { 200 }, "{path}: {}", page.body);
    }

    // Signed out, the cookie is gone and the pages lead to the sign-in again.
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert!(out.set_cookies().join("").contains("Max-Age=0"));
    browser.cookie = None;
    assert_eq!(browser.get("/").await.status, 303);
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn an_operator_retries_a_failed_email_and_reprocesses_set_aside_mail_from_their_pages() {
    let port = free_port();
    let options = DeskOptions { review: false, imap_extra: "max_message_bytes = 2048".into(), ..Default::default() };
    let desk = desk_with_console_and(options, port, "").await;
    add_user(&desk, "alice", "operator", "correct horse battery");
    let p = People::new();
    // Postfix refuses mail for domains it does not serve (554): the activation email fails for good.
    let form = p.form_en().replace(&p.customer, "jane@unserved.example");
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    let padding = "This line only makes the message larger than the limit.\n".repeat(60);
    Outgoing::text(&p.other_partner, &desk.address, "Too large", &padding).send().await;
    let mut run = desk.start(&["run"], &[]);
    let store = &desk.app.store;
    wait_until("the activation email to fail", || async { !store.failed_emails(10).await.unwrap().is_empty() }).await;
    wait_until("the large mail to be set aside", || async { !store.set_aside_mail(10).await.unwrap().is_empty() })
        .await;
    let email = store.failed_emails(10).await.unwrap().remove(0);
    let aside = store.set_aside_mail(10).await.unwrap().remove(0);

    let mut browser = Browser::new(port);
    browser.wait_ready().await;
    browser.sign_in("alice", "correct horse battery", "/").await;
    let outbox = browser.get("/outbox").await;
    let retry = format!("/outbox/emails/{}/retry", email.id);
    assert!(outbox.body.contains(&format!("<form method=\"post\" action=\"{retry}\">")), "{}", outbox.body);
    assert!(outbox.body.contains("jane@unserved.example"), "{}", outbox.body);
    let done = browser.post(&retry, &[("csrf", &outbox.csrf())]).await;
    assert_eq!((done.status, done.location()), (303, "/outbox?done=retried"), "{}", done.body);
    // Queued again at once, and the running sender tries it again (and fails again, for good).
    wait_until("the email to be tried again", || async {
        store.outbox_email(email.id).await.unwrap().unwrap().attempts > email.attempts
    })
    .await;
    assert_eq!(browser.post("/outbox/emails/99999/retry", &[("csrf", &outbox.csrf())]).await.status, 404);

    let mail = browser.get("/mail").await;
    let reprocess = format!("/mail/{}/reprocess", aside.id);
    assert!(mail.body.contains(&format!("<form method=\"post\" action=\"{reprocess}\">")), "{}", mail.body);
    let done = browser.post(&reprocess, &[("csrf", &mail.csrf())]).await;
    assert_eq!((done.status, done.location()), (303, "/mail?done=reprocessed"), "{}", done.body);
    // Back in the inbox, the watcher reads it again: still too large, it is set aside once more.
    wait_until("the mail to be read again", || async {
        store.set_aside_mail(10).await.unwrap().iter().any(|m| m.id != aside.id)
    })
    .await;
    assert_eq!(browser.post("/mail/99999/reprocess", &[("csrf", &mail.csrf())]).await.status, 404);

    let actions = browser.get("/actions").await;
    for action in ["retry_email", "reprocess"] {
        assert!(actions.body.contains(action), "{action}: {}", actions.body);
    }
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_viewer_sees_no_action_form_and_a_viewers_post_changes_nothing() {
    let port = free_port();
    let desk = desk_with_console(port, "").await;
    add_user(&desk, "victor", "viewer", "just looking here");
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let mut run = desk.start(&["run"], &[]);
    inbox(&p.partner, 1).await;
    let reference = desk.one().await.reference.to_string();
    let mut browser = Browser::new(port);
    browser.wait_ready().await;
    assert_eq!(browser.sign_in("victor", "just looking here", "/").await.status, 303);

    let shown = browser.get(&format!("/requests/{reference}")).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("awaiting_review"));
    assert!(!shown.body.contains("/cancel\"") && !shown.body.contains("/resend\""), "{}", shown.body);
    // The sign-out form's token is a valid one: the role alone refuses.
    let csrf = shown.csrf();
    for action in ["cancel", "resend"] {
        let refused =
            browser.post(&format!("/requests/{reference}/{action}"), &[("csrf", &csrf), ("reason", "x")]).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(refused.body.contains("viewer"), "{}", refused.body);
    }
    assert_eq!(desk.one().await.state, State::AwaitingReview);
    let id = desk.one().await.id.unwrap();
    assert_eq!(desk.app.store.outbox_for_request(id).await.unwrap().len(), 1, "nothing queued");

    // Without a session at all, a POST is refused too (never redirected into acting after sign-in).
    let stranger = Browser::new(port);
    let refused = stranger.post(&format!("/requests/{reference}/cancel"), &[("csrf", &csrf)]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(desk.one().await.state, State::AwaitingReview);
    // A session cookie changed by its holder is no session.
    let mut forged = Browser::new(port);
    forged.cookie = Some(format!("{}x", browser.cookie.clone().unwrap()));
    assert_eq!(forged.get("/").await.status, 303);
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn repeated_wrong_passwords_from_one_address_are_refused_for_a_while_even_the_right_one() {
    let port = free_port();
    let desk = desk_with_console(port, "").await;
    add_user(&desk, "alice", "operator", "correct horse battery");
    let mut run = desk.start(&["run"], &[]);
    let mut browser = Browser::new(port);
    browser.wait_ready().await;
    for i in 0..5 {
        let wrong = browser.sign_in("alice", &format!("guess {i}"), "/").await;
        assert_eq!(wrong.status, 401, "attempt {i}: {}", wrong.body);
    }
    let refused = browser.sign_in("alice", "correct horse battery", "/").await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body.contains("Too many wrong passwords"), "{}", refused.body);
    let wait: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((60..=15 * 60).contains(&wait), "{wait}");
    assert!(browser.cookie.is_none(), "not signed in");
    // Another address is not held back (the proxy's 127.0.0.2 is only another client here).
    let mut other = Browser::from(port, Some("127.0.0.2".parse().unwrap()));
    assert_eq!(other.sign_in("alice", "correct horse battery", "/").await.status, 303);
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_trusted_proxys_header_names_the_operator_and_from_any_other_address_counts_for_nothing() {
    let port = free_port();
    let desk = desk_with_console(port, "trusted_header = \"X-Remote-User\"\ntrusted_proxies = [\"127.0.0.2\"]").await;
    add_user(&desk, "olga", "operator", "correct horse battery");
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let mut run = desk.start(&["run"], &[]);
    inbox(&p.partner, 1).await;
    let reference = desk.one().await.reference.to_string();

    let mut direct = Browser::new(port);
    direct.wait_ready().await;
    direct.headers.push(("x-remote-user", "olga".into()));
    assert_eq!(direct.get("/").await.status, 303, "the header from an untrusted address is ignored");

    let mut proxy = Browser::from(port, Some("127.0.0.2".parse().unwrap()));
    proxy.headers.push(("x-remote-user", "olga".into()));
    let page = proxy.get(&format!("/requests/{reference}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("olga"), "{}", page.body);
    assert!(page.body.contains("/cancel\""), "olga is an operator in the users file");
    let done = proxy.post(&format!("/requests/{reference}/resend"), &[("csrf", &page.csrf())]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    inbox(&p.partner, 2).await;
    let id = desk.one().await.id.unwrap();
    let history = desk.app.store.events(id).await.unwrap();
    assert!(history.iter().any(|e| e.detail.contains("the operator olga on the console")), "{history:?}");

    // A name the file does not list may read, not act.
    let mut reader = Browser::from(port, Some("127.0.0.2".parse().unwrap()));
    reader.headers.push(("x-remote-user", "paul@example.test".into()));
    let page = reader.get(&format!("/requests/{reference}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/cancel\"") && page.body.contains("paul@example.test"), "{}", page.body);

    // Behind the proxy over TLS, the session cookie is Secure.
    let mut tls = Browser::from(port, Some("127.0.0.2".parse().unwrap()));
    tls.headers.push(("x-forwarded-proto", "https".into()));
    let signed = tls.sign_in("olga", "correct horse battery", "/").await;
    assert_eq!(signed.status, 303);
    assert!(signed.set_cookies().join("").contains("; Secure"), "{:?}", signed.set_cookies());
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn the_pages_speak_french_to_a_browser_that_asks_for_it() {
    let port = free_port();
    let desk = desk_with_console(port, "").await;
    add_user(&desk, "alice", "operator", "correct horse battery");
    let mut run = desk.start(&["run"], &[]);
    let mut browser = Browser::new(port);
    browser.language = Some("fr-FR,fr;q=0.9,en;q=0.8");
    browser.wait_ready().await;
    let login = browser.get("/login").await;
    assert!(login.body.contains("<html lang=\"fr\">") && login.body.contains("Mot de passe"), "{}", login.body);
    let wrong = browser.sign_in("alice", "pas le bon", "/").await;
    assert!(wrong.body.contains("Nom ou mot de passe incorrect"), "{}", wrong.body);
    browser.sign_in("alice", "correct horse battery", "/").await;
    let overview = browser.get("/").await;
    assert!(overview.body.contains("Vue d'ensemble") && overview.body.contains("Entonnoir"), "{}", overview.body);
    browser.language = Some("en-GB,en;q=0.9");
    assert!(browser.get("/").await.body.contains("Funnel"));
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn console_add_user_writes_a_private_file_without_reading_the_mail_servers_secrets() {
    let desk = desk_with_console(free_port(), "").await;
    // The mail servers' password in a file the operator cannot read: never needed to add a user.
    let text = std::fs::read_to_string(&desk.config).unwrap();
    let config = desk.dir.path().join("no-secrets.toml");
    std::fs::write(&config, text.replace("password = \"secret\"", "password_file = \"/nonexistent/imap-password\""))
        .unwrap();
    let (code, stderr) = add_user_with(&config, "alice", "operator", "correct horse battery");
    assert_eq!(code, 0, "{stderr}");
    let users = smartacct::app::Loaded::read_only(&desk.config).unwrap().settings.console.unwrap().users_file;
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(std::fs::metadata(&users).unwrap().permissions().mode() & 0o777, 0o600);
    let first = std::fs::read_to_string(&users).unwrap();
    assert!(first.starts_with("alice:operator:$argon2id$"), "{first}");
    assert!(!first.contains("correct horse"), "only the hash");

    // Again: a new password and role replace the line.
    assert_eq!(add_user_with(&config, "alice", "viewer", "battery staple horse").0, 0);
    let second = std::fs::read_to_string(&users).unwrap();
    assert_eq!(second.lines().count(), 1);
    assert!(second.starts_with("alice:viewer:$argon2id$") && second != first);

    for (name, role, password, says) in [
        ("alice", "admin", "correct horse battery", "admin"),
        ("eve:operator", "viewer", "correct horse battery", "not a name"),
        ("bob", "viewer", "short", "password"),
    ] {
        let (code, stderr) = add_user_with(&config, name, role, password);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }
    let without = desk.dir.path().join("no-console.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&without, &text[..text.find("[console]").unwrap()]).unwrap();
    let (code, stderr) = add_user_with(&without, "bob", "viewer", "correct horse battery");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("[console]"), "{stderr}");
}

#[tokio::test]
async fn a_search_finds_a_part_of_any_field_whatever_its_case_and_takes_wildcards_literally() {
    use smartacct::store::RequestQuery;
    let desk = TestDesk::spawn().await;
    let pool = crate::bench::seed(&desk, 30).await;
    let found = |text: &str| {
        let q = RequestQuery { text: Some(text.to_string()), per_page: 50, ..Default::default() };
        let store = desk.app.store.clone();
        async move { store.find_requests(&q).await.unwrap().requests }
    };
    let domains = |requests: Vec<smartacct::request::Request>| {
        let mut d: Vec<String> = requests.iter().map(|r| r.account_domain.to_string()).collect();
        d.sort();
        d
    };
    // Through the trigram index (three characters or more), and past it (fewer).
    assert_eq!(domains(found("ACCT-17").await), ["acct-17.example"]);
    assert_eq!(found("count 2").await.len(), 11, "Account 2 and Account 20 to 29");
    assert_eq!(found("7.").await.len(), 3, "acct-7., acct-17., acct-27.");
    assert_eq!(found("customer.test").await.len(), 30);
    // `_` and `%` are characters, not wildcards: "t_1" is in no request, though "t-1" is in many.
    assert!(found("t_1").await.is_empty());
    assert!(found("%").await.is_empty());
    // No match spans two fields: "example c1" is the end of a domain and the start of an address.
    assert!(found("example c1").await.is_empty());
    assert!(found("example\u{1f}c1").await.is_empty());
    // An attacker's text is text: no SQL, no FTS5 query syntax, no limit on its length that errs.
    for hostile in ["' OR 1=1 --", "acct\" OR \"x", "acct*", "NEAR(acct count)", "acct-1%' --", &"a".repeat(10_000)] {
        assert!(found(hostile).await.is_empty(), "{hostile:.40}");
    }
    // A field changed (a customer's address corrected, or erased by retention): found by its new text only.
    sqlx::query("UPDATE requests SET customer_email = 'new5@elsewhere.test' WHERE account_domain = 'acct-5.example'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(found("c5@customer").await.is_empty());
    assert_eq!(domains(found("W5@ELSEWHERE").await), ["acct-5.example"]);
}

/// The console at 100,000 requests (ignored by default; run with
/// `cargo test --release --test api -- --ignored --nocapture console_benchmark`): each page's
/// p50 and p95 over HTTP from a running `run`, on SQLite (or on PostgreSQL with
/// `SMARTACCT_TEST_POSTGRES` set, as scripts/test.sh's second pass sets it).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by hand in release mode"]
async fn console_benchmark() {
    use std::time::{Duration, Instant};
    let n = std::env::var("SMARTACCT_BENCH_REQUESTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000i64);
    let port = free_port();
    let desk = desk_with_console(port, "").await;
    let pool = crate::bench::seed(&desk, n).await;
    // Spread over the states and the last 700 days, as a desk's years look.
    for (modulo, state) in [(2, "active"), (5, "expired"), (7, "cancelled"), (11, "declined"), (13, "awaiting_review")]
    {
        let sql = format!(
            "UPDATE requests SET state = '{state}' WHERE id % {modulo} = 0 AND state = 'pending_customer_acceptance'"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
    }
    // Created over the last 700 days; the pending ones expire over the next 90 (none is due: `run`
    // sweeps nothing while it is measured).
    let days_ago = |days: &str| {
        if on_postgres() {
            format!("to_char(now() AT TIME ZONE 'UTC' - ({days}) * interval '1 day', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
        } else {
            format!("strftime('%Y-%m-%dT%H:%M:%SZ', 'now', -({days}) || ' days')")
        }
    };
    let (created, expires) = (days_ago("id % 700"), days_ago("-1 - id % 90"));
    let sql = format!("UPDATE requests SET created_at = {created}, submitted_at = {created}, updated_at = {created}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
    let sql = format!("UPDATE requests SET expires_at = {expires} WHERE state = 'pending_customer_acceptance'");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
    sqlx::query("UPDATE requests SET activated_at = created_at WHERE state = 'active'").execute(&pool).await.unwrap();
    // What autovacuum does after such bulk changes on a desk's PostgreSQL (the dead row versions
    // gone, the visibility map set for index-only scans); SQLite has no dead rows to clear.
    let analyze = if on_postgres() { "VACUUM ANALYZE" } else { "ANALYZE" };
    sqlx::query(analyze).execute(&pool).await.unwrap();
    let some = desk.requests().await.into_iter().nth(n as usize / 2).unwrap();
    add_user(&desk, "alice", "operator", "correct horse battery");
    let mut run = desk.start(&["run"], &[]);
    let mut browser = Browser::new(port);
    browser.wait_ready().await;
    browser.sign_in("alice", "correct horse battery", "/").await;

    // p50 and p95 of 40 requests per page after one to warm the caches,
    // over HTTP on loopback: the server's time plus a loopback round trip.
    let samples = 40;
    let percentile = |times: &[Duration], p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    let backend = if on_postgres() { "PostgreSQL" } else { "SQLite" };
    println!("console at {n} requests on {backend} ({samples} requests a page over HTTP from `run`):");
    println!("  {:>8} {:>8}", "p50 ms", "p95 ms");
    let pages = [
        "/".to_string(),
        "/requests".into(),
        "/requests?state=active".into(),
        "/requests?state=pending_customer_acceptance&sort=expires&order=asc".into(),
        "/requests?sort=domain&order=asc".into(),
        format!("/requests?q={}", some.account_domain),
        format!("/requests?q={}", some.reference),
        format!("/requests?q={}", some.customer_email),
        "/requests?q=p17%40partner.test".into(),
        "/requests?q=Account%2012345".into(),
        "/requests?q=ct-4242".into(),
        "/requests?q=no-such-text".into(),
        "/requests?page=1000".into(),
        format!("/requests/{}", some.reference),
        "/outbox".into(),
        "/mail".into(),
        "/actions".into(),
    ];
    let mut slowest = Duration::ZERO;
    for path in &pages {
        let mut times = Vec::new();
        for _ in 0..=samples {
            let started = Instant::now();
            let page = browser.get(path).await;
            times.push(started.elapsed());
            assert_eq!(page.status, 200, "{path}: {}", page.body);
        }
        times.remove(0);
        times.sort();
        let (p50, p95) = (percentile(&times, 50), percentile(&times, 95));
        slowest = slowest.max(p95);
        println!("  {:>8.1} {:>8.1}  {path}", p50.as_secs_f64() * 1000.0, p95.as_secs_f64() * 1000.0);
    }
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    // No page reads every row: even the search that matches nothing stays well under a second.
    assert!(slowest < Duration::from_secs(1), "slowest page {slowest:?}");
}
