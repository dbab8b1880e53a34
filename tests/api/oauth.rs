//! XOAUTH2 on the third mail stack: the desk's mailbox takes tokens only (no password), issued by the stack's token server.
use std::time::{Duration, Instant};

use smartacct::configuration::Auth;
use smartacct::domain::State;
use smartacct::imap::Imap;

use crate::helpers::*;

const SECRET: &str = "s3cret-client";

/// A desk on the XOAUTH2 stack whose IMAP and SMTP log in with XOAUTH2 only,
/// and its client at the token server (client_id = the desk's address).
struct OAuthDesk {
    desk: TestDesk,
    _secrets: tempfile::TempDir,
}

async fn oauth_desk(lifetime: u64, client: serde_json::Value, oauth_extra: &str) -> OAuthDesk {
    let stack = oauth_stack();
    let secrets = tempfile::tempdir().unwrap();
    let secret_file = secrets.path().join("client_secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    std::fs::write(secrets.path().join("refresh"), "r0\n").unwrap();
    let extra = oauth_extra.replace("{dir}", &secrets.path().display().to_string());
    let desk = TestDesk::with(DeskOptions {
        address_prefix: "oauth",
        imap_extra: "auth = \"xoauth2\"".into(),
        smtp_extra: "auth = \"xoauth2\"\nusername = \"{desk}\"".into(),
        smtp_port: stack.submission,
        extra: format!(
            "[oauth2]\ntoken_url = \"http://127.0.0.1:{}/token\"\nclient_id = \"{{desk}}\"\nclient_secret_file = {:?}\n{extra}\n",
            stack.oauth2,
            secret_file.display().to_string()
        ),
        ..DeskOptions::on(stack)
    })
    .await;
    let mut c =
        serde_json::json!({"client_id": desk.address, "secret": SECRET, "user": desk.address, "lifetime": lifetime});
    c.as_object_mut().unwrap().extend(client.as_object().unwrap().clone());
    oauth_admin(stack, "client", &c).await;
    OAuthDesk { desk, _secrets: secrets }
}

async fn request(desk: &TestDesk, p: &People) {
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_on(OAUTH).await;
}

async fn reply_on(review: &Received, from: &str, answer: &str) {
    let (headers, body) = review.reply(from, answer);
    let subject = format!("Re: {}", review.subject);
    let to = review.reply_to.clone().unwrap();
    let mut out = Outgoing::text(from, &to, &subject, &body);
    out.headers = headers;
    out.send_on(OAUTH).await;
}

async fn issued(desk: &TestDesk) -> u64 {
    oauth_stats(OAUTH, &desk.address).await["issued"].as_u64().unwrap()
}

#[tokio::test]
async fn a_desk_with_xoauth2_only_takes_a_request_over_imap_and_answers_over_submission() {
    let OAuthDesk { desk, _secrets } =
        oauth_desk(3600, serde_json::json!({}), "scope = \"https://outlook.office365.com/.default\"").await;
    // Password logins are off for this mailbox: only a token opens it.
    let password = smartacct::configuration::ImapSettings {
        auth: Auth::Password,
        password: PASSWORD.into(),
        ..desk.app.settings.imap.clone().expect("the test desk watches a mailbox")
    };
    assert!(Imap::connect(&password, None).await.is_err(), "the password is refused");

    let p = People::new();
    request(&desk, &p).await;
    desk.poll(1).await;
    let review = inbox_on(OAUTH, &p.partner, 1).await.remove(0);
    assert!(review.text.contains("SUBMIT"));
    reply_on(&review, &p.partner, "SUBMIT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    inbox_exactly_on(OAUTH, &p.customer, 1).await;
    assert_eq!(issued(&desk).await, 1, "one token, cached, served both polls and every send");
}

#[tokio::test]
async fn a_token_the_server_refuses_is_replaced_at_once_and_no_mail_is_lost() {
    let OAuthDesk { desk, _secrets } = oauth_desk(3600, serde_json::json!({}), "").await;
    let p = People::new();
    request(&desk, &p).await;
    desk.poll(1).await;
    let review = inbox_on(OAUTH, &p.partner, 1).await.remove(0);
    // Revoked at the server while the desk still thinks it valid.
    oauth_admin(OAUTH, "expire", &serde_json::json!({"client_id": desk.address})).await;
    reply_on(&review, &p.partner, "SUBMIT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    inbox_exactly_on(OAUTH, &p.customer, 1).await;
    assert_eq!(issued(&desk).await, 2);
}

#[tokio::test]
async fn a_refresh_token_the_provider_rotates_is_kept_and_used_after_a_restart() {
    let client = serde_json::json!({"refresh_token": "r0", "rotate": true});
    let OAuthDesk { desk, _secrets } =
        oauth_desk(3600, client, "refresh_token_file = \"{dir}/refresh\"\nscope = \"https://mail.google.com/\"").await;
    let file = _secrets.path().join("refresh");
    let p = People::new();
    request(&desk, &p).await;
    desk.poll(1).await;
    inbox_on(OAUTH, &p.partner, 1).await;
    let r1 = oauth_stats(OAUTH, &desk.address).await["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, "r0", "the provider rotated it; r0 is void now");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "r0\n", "the operator's file is left as it is");

    // A restart: a new process, nothing in memory; r0 no longer works.
    let desk = desk.reconfigure_keep_file().await;
    let p2 = People::new();
    request(&desk, &p2).await;
    desk.poll(2).await;
    inbox_on(OAUTH, &p2.partner, 1).await;
    assert_eq!(issued(&desk).await, 2);
    let r2 = oauth_stats(OAUTH, &desk.address).await["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r2, r1, "rotated again, from the kept r1");

    // After a new consent the operator writes a new token into the file: it wins over the kept one.
    let client = serde_json::json!({"client_id": desk.address, "secret": SECRET, "user": desk.address,
        "refresh_token": "r-new", "rotate": true});
    oauth_admin(OAUTH, "client", &client).await;
    std::fs::write(&file, "r-new\n").unwrap();
    let desk = desk.reconfigure_keep_file().await;
    let p3 = People::new();
    request(&desk, &p3).await;
    desk.poll(3).await;
    inbox_on(OAUTH, &p3.partner, 1).await;
    assert_eq!(issued(&desk).await, 1, "one token, from r-new");
}

#[tokio::test]
async fn check_config_names_the_oauth2_keys() {
    let desk = TestDesk::spawn().await;
    let base = std::fs::read_to_string(&desk.config).unwrap();
    let xoauth2 = base.replacen("[imap]\n", "[imap]\nauth = \"xoauth2\"\n", 1);
    let cases = [
        (xoauth2.clone(), "oauth2"),
        (
            format!("{xoauth2}\n[oauth2]\ntoken_url = \"http://login.example/token\"\nclient_id = \"c\"\n"),
            "oauth2.token_url",
        ),
        (
            format!(
                "{xoauth2}\n[oauth2]\ntoken_url = \"https://login.example/t\"\nclient_id = \"c\"\nclient_secret_file = \"/nonexistent\"\n"
            ),
            "oauth2.client_secret_file",
        ),
        (base.replacen("[smtp]\n", "[smtp]\nauth = \"xoauth2\"\n", 1), "smtp.username"),
    ];
    for (text, key) in cases {
        std::fs::write(&desk.config, text).unwrap();
        let out = desk.bin().arg("check-config").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("config: {key}:")), "{key}: {stderr}");
    }
}

#[tokio::test]
async fn a_token_that_expires_during_run_is_replaced_without_losing_mail() {
    // Tokens of 5 s: handed out for 4.5 s, then a new one.
    let OAuthDesk { desk, _secrets } = oauth_desk(5, serde_json::json!({}), "").await;
    let mut run = desk.start(&["run"], &[]);
    let p = People::new();
    request(&desk, &p).await;
    let review = inbox_on(OAUTH, &p.partner, 1).await.remove(0);
    let first = Instant::now();
    wait_until("the first token to expire", || async move { first.elapsed() > Duration::from_secs(6) }).await;
    reply_on(&review, &p.partner, "SUBMIT").await;
    inbox_exactly_on(OAUTH, &p.customer, 1).await;
    inbox_exactly_on(OAUTH, &p.partner, 2).await;
    assert!(issued(&desk).await >= 2, "a new token after the first expired");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert_eq!(count_on(OAUTH, &desk.address, "INBOX").await, 0, "nothing left behind");
}

#[tokio::test]
async fn a_revoked_secret_is_named_in_the_log_and_the_service_keeps_running() {
    let OAuthDesk { desk, _secrets } = oauth_desk(3600, serde_json::json!({}), "").await;
    oauth_admin(OAUTH, "revoke", &serde_json::json!({"client_id": desk.address})).await;
    let mut run = desk.start(&["run"], &[]);
    assert!(run.wait_log("invalid_client").await, "{}", run.log());
    let log = run.log();
    assert!(log.contains("check oauth2.client_id and oauth2.client_secret_file"), "{log}");
    assert_eq!(log.matches("invalid_client").count(), 1, "said once, not per retry:\n{log}");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "still running, then stopped cleanly:\n{}", run.log());
}

#[tokio::test]
async fn the_token_never_appears_in_the_logs_even_at_trace() {
    let OAuthDesk { desk, _secrets } = oauth_desk(3600, serde_json::json!({}), "").await;
    let mut run = desk.start(&["run"], &[("RUST_LOG", "trace")]);
    let p = People::new();
    request(&desk, &p).await;
    let review = inbox_on(OAUTH, &p.partner, 1).await.remove(0);
    reply_on(&review, &p.partner, "SUBMIT").await;
    inbox_exactly_on(OAUTH, &p.customer, 1).await;
    run.signal("-TERM");
    run.exit().await;
    let log = run.log();
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "the log is verbose");
    let tokens = oauth_stats(OAUTH, &desk.address).await["tokens"].clone();
    let tokens: Vec<String> = tokens.as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
    assert!(!tokens.is_empty());
    for t in &tokens {
        assert!(!log.contains(t.as_str()), "a token in the log");
        let sasl = base64(format!("user={}\x01auth=Bearer {t}\x01\x01", desk.address).as_bytes());
        assert!(!log.contains(&sasl[..40]), "the SASL string in the log");
    }
    assert!(!log.contains(SECRET), "the client secret in the log");
}

#[tokio::test]
async fn a_token_endpoint_that_is_down_is_an_outage_logged_once_and_mail_flows_when_it_is_back() {
    let OAuthDesk { desk, _secrets } = oauth_desk(3600, serde_json::json!({}), "").await;
    oauth_admin(OAUTH, "down", &serde_json::json!({"client_id": desk.address, "down": true})).await;
    let p = People::new();
    request(&desk, &p).await;
    let mut run = desk.start(&["run"], &[]);
    assert!(run.wait_log("HTTP 503").await, "{}", run.log());
    assert!(run.wait_log("mailbox still unreachable").await, "tried again: {}", run.log());
    assert_eq!(issued(&desk).await, 0);
    oauth_admin(OAUTH, "down", &serde_json::json!({"client_id": desk.address, "down": false})).await;
    inbox_on(OAUTH, &p.partner, 1).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    let log = run.log();
    let errors = log.lines().filter(|l| l.contains("ERROR") && l.contains("HTTP 503")).count();
    assert_eq!(errors, 1, "the outage is said once (later tries at debug):\n{log}");
    assert!(!log.contains("panicked"), "{log}");
}

/// A desk on the main stack whose IMAP logs in with XOAUTH2, its tokens from `token_url`
/// (a test's own endpoint: the main stack's Dovecot refuses them, which is beside the point).
async fn desk_with_token_url(token_url: &str) -> TestDesk {
    let desk = TestDesk::spawn().await;
    let secret_file = desk.dir.path().join("client_secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let base = std::fs::read_to_string(&desk.config).unwrap();
    let config = format!(
        "{}\n[oauth2]\ntoken_url = {token_url:?}\nclient_id = \"desk\"\nclient_secret_file = {:?}\n",
        base.replacen("[imap]\n", "[imap]\nauth = \"xoauth2\"\n", 1),
        secret_file.display().to_string()
    );
    std::fs::write(&desk.config, config).unwrap();
    desk
}

const ENDLESS: &str = r#"{"access_token":"tok-endless","token_type":"Bearer","expires_in":18446744073709551615}"#;

#[tokio::test]
async fn a_token_endpoint_stating_a_lifetime_of_2_to_the_64_seconds_stops_neither_check_config_nor_run() {
    let endpoint = Receiver::start().await;
    endpoint.answer_json(200, ENDLESS);
    let desk = desk_with_token_url(&endpoint.url).await;
    let out = desk.bin().args(["check-config", "--connect"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!endpoint.posted().is_empty(), "the token was asked for");
    // The main stack takes no XOAUTH2: the login fails, and says so, as for any refused token.
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("imap: FAILED"), "{stdout}");

    let asked = endpoint.posted().len();
    let mut run = desk.start(&["run"], &[]);
    assert!(run.wait_log("cannot reach the mailbox").await, "{}", run.log());
    assert!(endpoint.posted().len() > asked, "run asked for a token too");
    assert!(!run.log().contains("panicked"), "{}", run.log());
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_token_endpoint_that_redirects_is_a_failed_attempt_and_nothing_is_posted_to_the_target() {
    let target = Receiver::start().await;
    target.answer_json(200, r#"{"access_token":"tok-elsewhere","token_type":"Bearer","expires_in":3600}"#);
    let endpoint = Receiver::start().await;
    endpoint.redirect(307, &format!("{}/collect", target.origin()));
    let desk = desk_with_token_url(&endpoint.url).await;
    let out = desk.bin().args(["check-config", "--connect"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("HTTP 307") && stdout.contains("redirect"), "{stdout}");
    assert_eq!(endpoint.posted().len(), 1);
    assert!(target.posted().is_empty(), "the client secret was posted to the redirect's target");
}
