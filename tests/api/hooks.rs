//! Events to the provisioning system (SPEC §11): every state change, once, in order, signed; nothing lost while the receiver is down.
use smartacct::domain::State;

use crate::helpers::*;

/// A desk whose `[hooks]` post to `receiver`, signed with `secret` when given.
async fn desk_with_hooks(review: bool, hooks: &str) -> TestDesk {
    TestDesk::with(DeskOptions { review, extra: format!("\n[hooks]\n{hooks}\n"), ..Default::default() }).await
}

fn signed(receiver: &Receiver, secret_file: &std::path::Path) -> String {
    format!("webhook_url = {:?}\nwebhook_secret_file = {:?}", receiver.url, secret_file.display().to_string())
}

fn types(posted: &[Posted]) -> Vec<String> {
    posted.iter().map(|p| p.json()["type"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn every_state_change_reaches_the_webhook_once_in_order_with_the_documented_json_and_a_valid_signature() {
    let receiver = Receiver::start().await;
    let secrets = tempfile::tempdir().unwrap();
    let secret_file = secrets.path().join("webhook.secret");
    std::fs::write(&secret_file, "s3cret-for-the-receiver\n").unwrap();
    let desk = desk_with_hooks(true, &signed(&receiver, &secret_file)).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    inbox(&p.partner, 1).await.remove(0).send_reply(&p.partner, "SUBMIT").await;
    desk.poll(2).await;
    inbox(&p.customer, 1).await.remove(0).send_reply(&p.customer, "ACCEPT").await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::Active);

    let posted = receiver.delivered();
    assert_eq!(
        types(&posted),
        ["request.awaiting_review", "request.pending_customer_acceptance", "request.active"],
        "each state once, in order"
    );
    let reference = desk.one().await.reference.to_string();
    for event in &posted {
        let json = event.json();
        assert_eq!(json["id"], format!("{reference}.{}", json["request"]["state"].as_str().unwrap()));
        assert!(chrono::DateTime::parse_from_rfc3339(json["time"].as_str().unwrap()).is_ok(), "{json}");
        for field in REQUEST_JSON_FIELDS {
            assert!(json["request"].get(field).is_some(), "request.{field} in {json}");
        }
        assert_eq!(json["request"]["reference"], reference.as_str());
        // What a receiver does: HMAC-SHA256 of the raw body with the shared secret.
        let expected = smartacct::hooks::signature("s3cret-for-the-receiver", event.body.as_bytes());
        assert_eq!(event.header("X-Smartacct-Signature"), Some(expected.as_str()));
    }
    assert_eq!(posted.last().unwrap().json()["request"]["state"], "active");
}

#[tokio::test]
async fn a_receiver_down_during_accept_gets_the_event_later_and_no_email_waits_for_it() {
    let receiver = Receiver::start().await;
    let desk = desk_with_hooks(false, &format!("webhook_url = {:?}", receiver.url)).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    assert_eq!(types(&receiver.delivered()), ["request.pending_customer_acceptance"]);

    receiver.answer_with(503);
    inbox(&p.customer, 1).await.remove(0).send_reply(&p.customer, "ACCEPT").await;
    desk.poll(2).await;
    // The workflow went on: the account is active and everyone was told.
    assert_eq!(desk.one().await.state, State::Active);
    inbox(&p.partner, 2).await;
    assert!(receiver.posted().iter().any(|p| p.status == 503), "the event was offered and refused");
    let pending = desk.app.store.list_hooks(false).await.unwrap();
    assert!(pending.iter().any(|h| h.last_error.as_deref().is_some_and(|e| e.contains("503"))), "{pending:?}");

    receiver.answer_with(200);
    desk.poll(2).await;
    assert_eq!(types(&receiver.delivered()), ["request.pending_customer_acceptance", "request.active"]);
}

#[tokio::test]
async fn a_command_hook_that_fails_is_retried_until_it_takes_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let (marker, log) = (dir.path().join("failed-once"), dir.path().join("events.jsonl"));
    let script = dir.path().join("provision.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ ! -e {m:?} ]; then touch {m:?}; echo 'provisioning API down' >&2; exit 1; fi\ncat >> {l:?}\necho >> {l:?}\n",
            m = marker.display().to_string(),
            l = log.display().to_string()
        ),
    )
    .unwrap();
    let desk = desk_with_hooks(false, &format!("command = \"/bin/sh {}\"", script.display())).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let hooks = desk.app.store.list_hooks(false).await.unwrap();
    assert_eq!(hooks.len(), 1);
    assert!(hooks[0].last_error.as_deref().unwrap_or("").contains("provisioning API down"), "{hooks:?}");
    assert!(!log.exists(), "not delivered yet");

    desk.poll(1).await;
    let lines = std::fs::read_to_string(&log).unwrap();
    let events: Vec<serde_json::Value> =
        lines.lines().filter(|l| !l.is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "request.pending_customer_acceptance");
}

#[tokio::test]
async fn a_kill_between_delivery_and_its_record_repeats_at_most_the_event_in_flight() {
    let receiver = Receiver::start().await;
    let desk = desk_with_hooks(false, &format!("webhook_url = {:?}", receiver.url)).await;
    let (a, b) = (People::new(), People::new());
    for p in [&a, &b] {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    wait_total(&desk.address, 2).await;
    // Frozen right after the receiver took the first event, before it is recorded as sent.
    let mut run = desk.start(&["poll", "--once"], &[("SMARTACCT_TEST_FREEZE_AT", "hook_sent:1")]);
    assert!(run.wait_log("FROZEN at hook_sent").await, "{}", run.log());
    run.kill9().await;
    assert_eq!(receiver.delivered().len(), 1);

    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let ids: Vec<String> = receiver.delivered().iter().map(|p| p.json()["id"].as_str().unwrap().to_string()).collect();
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 2, "every event arrived: {ids:?}");
    assert!(ids.len() <= 3, "only the event in flight is repeated: {ids:?}");
}

#[tokio::test]
async fn an_event_undelivered_for_max_retry_hours_is_shown_failed_and_can_be_sent_again() {
    let receiver = Receiver::start().await;
    receiver.answer_with(500);
    let desk = desk_with_hooks(false, &format!("webhook_url = {:?}\nmax_retry_hours = 1", receiver.url)).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    // Two hours on, the sweep's delivery pass gives up on it.
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    let out = desk.bin().args(["sweep", "--now", &smartacct::request::rfc3339(later)]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = desk.bin().args(["outbox", "list", "--failed", "--json"]).output().unwrap();
    let failed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let event =
        failed.as_array().unwrap().iter().find(|e| e["channel"] == "event").expect("the event is listed as failed");
    assert!(event["last_error"].as_str().unwrap().contains("gave up after 1 h"), "{event}");

    receiver.answer_with(200);
    let id = event["id"].as_i64().unwrap().to_string();
    let out = desk.bin().args(["outbox", "retry", "--event", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    desk.poll(1).await;
    assert_eq!(types(&receiver.delivered()), ["request.pending_customer_acceptance"]);
}

#[tokio::test]
async fn a_webhook_that_redirects_is_a_failed_attempt_nothing_is_followed_and_the_event_stays_queued() {
    let target = Receiver::start().await;
    let receiver = Receiver::start().await;
    let secrets = tempfile::tempdir().unwrap();
    let secret_file = secrets.path().join("webhook.secret");
    std::fs::write(&secret_file, "s3cret-for-the-receiver\n").unwrap();
    let desk = desk_with_hooks(false, &signed(&receiver, &secret_file)).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let elsewhere = format!("{}/elsewhere", target.origin());
    // 302 would be followed as a GET, 307 and 308 would repeat the POST with its signature.
    for (attempt, status) in [302, 307, 308].into_iter().enumerate() {
        receiver.redirect(status, &elsewhere);
        desk.poll(1).await;
        assert_eq!(receiver.posted().len(), attempt + 1, "the receiver was offered the event");
        let hooks = desk.app.store.list_hooks(false).await.unwrap();
        assert_eq!(hooks.len(), 1);
        assert_eq!(hooks[0].status, smartacct::store::OutboxStatus::Pending, "{status}: still queued: {hooks:?}");
        let error = hooks[0].last_error.clone().unwrap_or_default();
        assert!(error.contains(&format!("HTTP {status}")) && error.contains("redirect"), "{error}");
        assert!(error.contains(&elsewhere), "the error names where it pointed: {error}");
    }
    assert!(target.posted().is_empty(), "nothing followed the redirect: {:?}", target.posted());

    receiver.answer_with(200);
    desk.poll(1).await;
    assert_eq!(types(&receiver.delivered()), ["request.pending_customer_acceptance"]);
    assert!(target.posted().is_empty());
}

#[tokio::test]
async fn a_password_or_token_in_the_webhook_url_shows_in_no_log_no_stored_error_and_no_outbox_list() {
    const PASSWORD_IN_URL: &str = "pa55-in-the-url";
    const TOKEN_IN_URL: &str = "t0ken-in-the-query";
    let receiver = Receiver::start().await;
    receiver.answer_with(500);
    let with_secrets = |origin: &str| {
        format!(
            "{}/smartacct?token={TOKEN_IN_URL}",
            origin.replace("http://", &format!("http://hooks:{PASSWORD_IN_URL}@"))
        )
    };
    let desk = desk_with_hooks(false, &format!("webhook_url = {:?}", with_secrets(receiver.origin()))).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    wait_total(&desk.address, 1).await;
    let mut said = String::new();
    let poll = |said: &mut String| {
        let out = desk.bin().args(["poll", "--once"]).env("RUST_LOG", "trace").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        said.push_str(&String::from_utf8_lossy(&out.stderr));
        said.push_str(&String::from_utf8_lossy(&out.stdout));
    };
    // The receiver answers 500; then nothing listens there at all (the HTTP client's own error names the URL).
    poll(&mut said);
    assert!(
        receiver.posted().iter().any(|p| p.header("Authorization").is_some()),
        "the userinfo is sent as Basic auth"
    );
    let config = std::fs::read_to_string(&desk.config).unwrap();
    std::fs::write(&desk.config, config.replace(receiver.origin().trim_start_matches("http://"), "127.0.0.1:1"))
        .unwrap();
    poll(&mut said);
    assert!(said.contains("DEBUG") || said.contains("TRACE"), "the log is verbose:\n{said}");
    assert!(said.contains("event not delivered"), "{said}");

    let hooks = desk.app.store.list_hooks(false).await.unwrap();
    let stored = hooks[0].last_error.clone().unwrap_or_default();
    assert!(stored.contains("127.0.0.1:1"), "the error still says where: {stored}");
    for args in [vec!["outbox", "list"], vec!["outbox", "list", "--json"], vec!["requests", "list", "--json"]] {
        let out = desk.bin().args(&args).output().unwrap();
        said.push_str(&String::from_utf8_lossy(&out.stdout));
        said.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    let reference = desk.one().await.reference.to_string();
    for json in [false, true] {
        let mut show = desk.bin();
        show.args(["requests", "show", &reference]);
        if json {
            show.arg("--json");
        }
        let out = show.output().unwrap();
        said.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    for secret in [PASSWORD_IN_URL, TOKEN_IN_URL] {
        assert!(!stored.contains(secret), "{secret} in the stored error: {stored}");
        assert!(!said.contains(secret), "{secret} in the output:\n{said}");
    }
}

#[tokio::test]
async fn a_command_hook_that_exits_0_leaving_a_child_with_its_output_open_is_delivered_once_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pid) = (dir.path().join("events.jsonl"), dir.path().join("child.pid"));
    let script = dir.path().join("provision.sh");
    // The background sleep inherits stdout and stderr and holds them open long after the exit.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncat >> {l:?}\necho >> {l:?}\nsleep 120 &\necho $! > {p:?}\necho 'provisioning started'\nexit 0\n",
            l = log.display().to_string(),
            p = pid.display().to_string()
        ),
    )
    .unwrap();
    let desk = desk_with_hooks(false, &format!("command = \"/bin/sh {}\"\ntimeout_secs = 20", script.display())).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let started = std::time::Instant::now();
    desk.poll(1).await;
    let took = started.elapsed();
    // The child the hook left, once: a pid read again later may since name
    // another process (pids wrap at 32,768 here), even a thread of this test binary.
    let kill = || {
        if let Ok(child) = std::fs::read_to_string(&pid) {
            let _ = std::fs::remove_file(&pid);
            let child = child.trim();
            let comm = std::fs::read_to_string(format!("/proc/{child}/comm")).unwrap_or_default();
            if comm.trim() == "sleep" {
                let _ = std::process::Command::new("kill").arg(child).status();
            }
        }
    };
    let hooks = desk.app.store.list_hooks(false).await.unwrap();
    kill();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].status, smartacct::store::OutboxStatus::Sent, "judged by its exit status: {hooks:?}");
    assert!(took < std::time::Duration::from_secs(10), "without waiting for the child it left: {took:?}");

    desk.poll(1).await;
    kill();
    let lines = std::fs::read_to_string(&log).unwrap();
    assert_eq!(lines.lines().filter(|l| !l.is_empty()).count(), 1, "run once, not again: {lines}");
}
