//! The operator console in a real browser: Debian's Chromium, driven over WebDriver (chromedriver, spoken
//! to in plain JSON over HTTP on loopback), beside a running `run` and the real mail stack. Signing in,
//! finding a request by its domain, cancelling it (the partner is told), a form posted without its token,
//! a viewer's pages; axe-core (scripts/browser.sh installs it from npm) checks every page.
//!
//! Skipped, with a note, where chromedriver or Chromium cannot be started (scripts/test.sh installs
//! both). With SMARTACCT_SCREENSHOTS=1 it writes docs/console-overview.png and docs/console-request.png.
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use smartacct::domain::State;

use crate::console::add_user;
use crate::helpers::*;

/// The key of an element's reference in WebDriver's answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The chromedriver this test started; stopped when dropped.
struct Driver(std::process::Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One WebDriver session of Chromium.
struct Chrome {
    http: reqwest::Client,
    session: String,
    base: String,
    _profile: tempfile::TempDir,
    _driver: Driver,
}

impl Chrome {
    /// Starts chromedriver and a headless Chromium; None (with the reason) where either cannot start.
    async fn start() -> Result<Chrome, String> {
        smartacct::tls::install_provider();
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .ok_or("no Chromium (/usr/bin/chromium)")?;
        let port = free_port();
        let child = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver: {e}"))?;
        let driver = Driver(child);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let mut ready = false;
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/status")).send().await
                && let Ok(v) = r.json_value().await
                && v["value"]["ready"] == json!(true)
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if !ready {
            return Err("chromedriver did not answer".into());
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1440,1000",
            "--lang=en-GB",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let answer = http
            .post(format!("{base}/session"))
            .body(capabilities.to_string())
            .send()
            .await
            .map_err(|e| format!("a new session: {e}"))?
            .json_value()
            .await
            .map_err(|e| format!("a new session: {e}"))?;
        let Some(session) = answer["value"]["sessionId"].as_str() else {
            return Err(format!("Chromium did not start: {answer}"));
        };
        let chrome = Chrome { http, session: session.to_string(), base, _profile: profile, _driver: driver };
        chrome.call("POST", "/timeouts", json!({"script": 60_000, "pageLoad": 60_000})).await;
        Ok(chrome)
    }

    /// One WebDriver command of this session; its `value`. Panics on an error.
    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let r = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).header("content-type", "application/json").body(body.to_string()),
        };
        let answer = r.send().await.expect("chromedriver answers");
        let status = answer.status();
        let v = answer.json_value().await.expect("a JSON answer");
        assert!(status.is_success(), "{method} {path}: {status} {v}");
        v["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    /// The page's path and query.
    async fn at(&self) -> String {
        let url = self.call("GET", "/url", Value::Null).await.as_str().unwrap().to_string();
        let url = url::Url::parse(&url).unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    async fn source(&self) -> String {
        self.call("GET", "/source", Value::Null).await.as_str().unwrap().to_string()
    }

    async fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.call("POST", "/elements", json!({"using": "css selector", "value": css})).await;
        let all = v.as_array().unwrap_or_else(|| panic!("elements {css}: {v}"));
        all.iter().map(|e| e[ELEMENT].as_str().unwrap_or_else(|| panic!("an element: {e}")).to_string()).collect()
    }

    async fn find(&self, css: &str) -> String {
        let all = self.find_all(css).await;
        assert!(!all.is_empty(), "no {css} on {}: {}", self.at().await, self.source().await);
        all[0].clone()
    }

    async fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.call("POST", &format!("/element/{e}/clear"), json!({})).await;
        self.call("POST", &format!("/element/{e}/value"), json!({ "text": text })).await;
    }

    /// Clicks what leads to another page, and waits until that page is loaded.
    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.script("window.smartacctOldPage = true; return 1;").await;
        self.call("POST", &format!("/element/{e}/click"), json!({})).await;
        for _ in 0..300 {
            let loaded = self.script("return !window.smartacctOldPage && document.readyState === 'complete';").await;
            if loaded == json!(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no new page after a click on {css}: {}", self.at().await);
    }

    async fn script(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": script, "args": []})).await
    }

    async fn screenshot(&self) -> Vec<u8> {
        let b64 = self.call("GET", "/screenshot", Value::Null).await;
        base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap()
    }

    /// Loads axe-core into the page and runs it: the violations of impact serious or critical, printed.
    async fn axe(&self, axe_js: &str) -> Vec<String> {
        self.script(&format!("{axe_js}\n;window.axe = axe; return true;")).await;
        let found = self
            .call(
                "POST",
                "/execute/async",
                json!({"args": [], "script": "const done = arguments[arguments.length - 1];
                    axe.run(document, {resultTypes: ['violations']}).then(
                        r => done({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id,
                            impact: v.impact, help: v.help,
                            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))}),
                        e => done({passes: 0, error: String(e), violations: []}));"}),
            )
            .await;
        let page = self.at().await;
        assert!(found["passes"].as_u64().unwrap_or(0) > 0, "axe-core did not run on {page}: {found}");
        eprintln!(
            "axe-core on {page}: {} rules passed, {} violated",
            found["passes"],
            found["violations"].as_array().unwrap().len()
        );
        let mut serious = Vec::new();
        for v in found["violations"].as_array().unwrap() {
            let line = format!("{page}: {} ({}) {}: {}", v["id"], v["impact"], v["help"], v["nodes"]);
            eprintln!("axe: {line}");
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                serious.push(line);
            }
        }
        serious
    }
}

/// reqwest without its `json` feature: the body read as JSON.
trait JsonValue {
    async fn json_value(self) -> Result<Value, String>;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Result<Value, String> {
        let text = self.text().await.map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
    }
}

fn axe_js() -> Option<String> {
    let dir = std::env::var_os("BROWSER_AXE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("var/axe"));
    std::fs::read_to_string(dir.join("node_modules/axe-core/axe.min.js")).ok()
}

#[tokio::test]
async fn in_chromium_an_operator_signs_in_finds_and_cancels_a_request_a_viewer_cannot_and_every_page_passes_axe() {
    let Some(axe_js) = axe_js() else {
        eprintln!("NOTE: skipped: no axe-core (scripts/browser.sh up installs it)");
        return;
    };
    let chrome = match Chrome::start().await {
        Ok(c) => c,
        Err(why) => {
            eprintln!("NOTE: skipped: {why} (scripts/browser.sh up installs Chromium and chromedriver)");
            return;
        }
    };
    let port = free_port();
    let desk = TestDesk::spawn().await;
    let users = desk.dir.path().join("console-users");
    let section =
        format!("\n[console]\nlisten = \"127.0.0.1:{port}\"\nusers_file = {:?}\n", users.display().to_string());
    std::fs::OpenOptions::new().append(true).open(&desk.config).unwrap().write_all(section.as_bytes()).unwrap();
    add_user(&desk, "alice", "operator", "correct horse battery");
    add_user(&desk, "victor", "viewer", "just looking here");
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let mut run = desk.start(&["run"], &[]);
    inbox(&p.partner, 1).await;
    let reference = desk.one().await.reference.to_string();
    let console = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    wait_until("the console to answer", || async {
        probe.get(format!("{console}/login")).send().await.is_ok_and(|r| r.status().as_u16() == 200)
    })
    .await;
    let mut serious = Vec::new();

    // Any page leads to the sign-in form; a wrong password keeps it shut.
    chrome.go(&format!("{console}/")).await;
    assert!(chrome.at().await.starts_with("/login"), "{}", chrome.at().await);
    serious.extend(chrome.axe(&axe_js).await);
    chrome.type_in("#user", "alice").await;
    chrome.type_in("#password", "correct horse battery!").await;
    chrome.click("form[action='/login'] button[type=submit]").await;
    assert_eq!(chrome.at().await, "/login");
    assert!(!chrome.find_all("#password").await.is_empty(), "still the sign-in form");
    let cookies = chrome.call("GET", "/cookie", Value::Null).await;
    assert_eq!(cookies.as_array().unwrap().len(), 0, "no session: {cookies}");
    serious.extend(chrome.axe(&axe_js).await);

    // A viewer reads the live request and has no action on it, nor on the outbox.
    chrome.type_in("#user", "victor").await;
    chrome.type_in("#password", "just looking here").await;
    chrome.click("form[action='/login'] button[type=submit]").await;
    assert_eq!(chrome.at().await, "/");
    chrome.go(&format!("{console}/requests/{reference}")).await;
    assert!(chrome.source().await.contains("awaiting_review"), "{}", chrome.source().await);
    assert!(chrome.find_all("form[action$='/cancel'], form[action$='/resend'], textarea").await.is_empty());
    serious.extend(chrome.axe(&axe_js).await);
    chrome.go(&format!("{console}/outbox")).await;
    assert!(chrome.find_all("form[action$='/retry']").await.is_empty());
    chrome.click("form.signout button[type=submit]").await;
    assert!(chrome.at().await.starts_with("/login"), "{}", chrome.at().await);

    // The operator's right password opens the overview.
    chrome.go(&format!("{console}/")).await;
    chrome.type_in("#user", "alice").await;
    chrome.type_in("#password", "correct horse battery").await;
    chrome.click("form[action='/login'] button[type=submit]").await;
    assert_eq!(chrome.at().await, "/");
    assert!(chrome.source().await.contains("<svg"), "the overview's charts");

    // The list finds the request by its domain; its row opens it.
    chrome.go(&format!("{console}/requests")).await;
    serious.extend(chrome.axe(&axe_js).await);
    chrome.type_in("form.filters input[name=q]", &p.domain).await;
    chrome.click("form.filters button[type=submit]").await;
    assert!(chrome.at().await.contains(&format!("q={}", p.domain)), "{}", chrome.at().await);
    chrome.click(&format!("a[href='/requests/{reference}']")).await;
    assert_eq!(chrome.at().await, format!("/requests/{reference}"));
    assert!(chrome.source().await.contains("awaiting_review"));
    serious.extend(chrome.axe(&axe_js).await);
    let screenshots = std::env::var("SMARTACCT_SCREENSHOTS").is_ok_and(|v| v == "1");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    if screenshots {
        std::fs::write(docs.join("console-request.png"), chrome.screenshot().await).unwrap();
    }

    // The form posted without its token (removed from the page) changes nothing.
    chrome.script("document.querySelector(\"form[action$='/cancel'] input[name=csrf]\").remove(); return 1;").await;
    chrome.type_in("#reason", "no token").await;
    chrome.click("form[action$='/cancel'] button[type=submit]").await;
    assert!(chrome.source().await.contains("Nothing was changed"), "{}", chrome.source().await);
    assert_eq!(desk.one().await.state, State::AwaitingReview);

    // With it, the request is cancelled with the reason, and the partner is told.
    chrome.go(&format!("{console}/requests/{reference}")).await;
    let reason = "Duplicate of an earlier request";
    chrome.type_in("#reason", reason).await;
    chrome.click("form[action$='/cancel'] button[type=submit]").await;
    assert_eq!(chrome.at().await, format!("/requests/{reference}?done=cancelled"));
    assert!(chrome.source().await.contains("The request is cancelled"), "{}", chrome.source().await);
    assert_eq!(desk.one().await.state, State::Cancelled);
    let partner = inbox(&p.partner, 2).await;
    assert!(partner[1].subject.contains(&reference), "{}", partner[1].subject);
    assert!(partner[1].text.contains(reason), "{}", partner[1].text);
    serious.extend(chrome.axe(&axe_js).await);

    // Every other page.
    for path in ["/", "/outbox", "/mail", "/actions", "/requests?state=cancelled"] {
        chrome.go(&format!("{console}{path}")).await;
        assert_eq!(chrome.at().await, path);
        serious.extend(chrome.axe(&axe_js).await);
        if path == "/" && screenshots {
            std::fs::write(docs.join("console-overview.png"), chrome.screenshot().await).unwrap();
        }
    }
    chrome.go(&format!("{console}/requests/{reference}")).await;
    chrome.click("a[href^='/emails/']").await;
    assert!(chrome.at().await.starts_with("/emails/"), "{}", chrome.at().await);
    serious.extend(chrome.axe(&axe_js).await);

    chrome.call("DELETE", "", Value::Null).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    assert!(serious.is_empty(), "axe-core: serious or critical violations:\n{}", serious.join("\n"));
}
