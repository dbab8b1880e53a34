//! `[metrics] listen`: /metrics, /healthz and /readyz of a running service, scraped over HTTP through the real stack.
// The fault test holds the fault stack's lock for its whole run (see faults.rs).
#![allow(clippy::await_holding_lock)]
use smartacct::domain::State;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

/// A port nobody listens on now.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(crate) fn with_metrics(options: DeskOptions, port: u16) -> DeskOptions {
    DeskOptions { extra: format!("{}\n[metrics]\nlisten = \"127.0.0.1:{port}\"\n", options.extra), ..options }
}

/// `GET path`: the status code and body, or `None` while nothing listens.
pub(crate) async fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let code = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((code, body))
}

pub(crate) async fn wait_status(port: u16, path: &str, code: u16) -> String {
    let last = std::sync::Mutex::new(String::new());
    let seen = &last;
    wait_until(&format!("{path} to answer {code}"), move || async move {
        match get(port, path).await {
            Some((c, body)) if c == code => {
                *seen.lock().unwrap() = body;
                true
            }
            _ => false,
        }
    })
    .await;
    last.into_inner().unwrap()
}

/// The value of one series line (`name{labels} value`) in a scrape.
fn value(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test]
async fn the_series_move_with_a_request_and_the_gauges_stay_true_after_a_restart() {
    let port = free_port();
    let desk = TestDesk::with(with_metrics(DeskOptions::default(), port)).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    wait_status(port, "/readyz", 200).await;
    assert_eq!(get(port, "/healthz").await.unwrap().0, 200);
    let scrape = get(port, "/metrics").await.unwrap().1;
    for state in State::ALL {
        let series = format!("smartacct_requests{{state=\"{}\"}}", state.as_str());
        assert_eq!(value(&scrape, &series), Some(0.0), "{series} at 0:\n{scrape}");
    }
    for o in smartacct::decide::Outcome::ALL {
        assert!(scrape.contains(&format!("smartacct_messages_total{{outcome=\"{}\"}} 0", o.name())), "{scrape}");
    }
    for t in [
        "# TYPE smartacct_requests gauge",
        "# HELP smartacct_requests ",
        "# TYPE smartacct_messages_total counter",
        "# TYPE smartacct_message_processing_seconds histogram",
        "smartacct_imap_connected 1",
        "smartacct_outbox_pending 0",
        "smartacct_last_sweep_timestamp_seconds ",
    ] {
        assert!(scrape.contains(t), "{t}:\n{scrape}");
    }

    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    inbox(&p.partner, 1).await;
    let last = std::sync::Mutex::new(String::new());
    let seen = &last;
    wait_until("the review email counted as sent", move || async move {
        let scrape = get(port, "/metrics").await.unwrap().1;
        let sent = value(&scrape, "smartacct_emails_sent_total{kind=\"review\"}") == Some(1.0);
        *seen.lock().unwrap() = scrape;
        sent
    })
    .await;
    let scrape = last.into_inner().unwrap();
    assert_eq!(value(&scrape, "smartacct_requests{state=\"awaiting_review\"}"), Some(1.0), "{scrape}");
    assert_eq!(value(&scrape, "smartacct_messages_total{outcome=\"request_created\"}"), Some(1.0), "{scrape}");
    assert_eq!(value(&scrape, "smartacct_message_processing_seconds_count"), Some(1.0), "{scrape}");
    assert_eq!(value(&scrape, "smartacct_outbox_pending"), Some(0.0), "{scrape}");
    assert_eq!(value(&scrape, "smartacct_outbox_oldest_pending_seconds"), Some(0.0), "{scrape}");

    // An operator's command beside the running service shows in the next scrape.
    let reference = desk.one().await.reference.to_string();
    let out = desk.bin().args(["requests", "cancel", &reference]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let scrape = get(port, "/metrics").await.unwrap().1;
    assert_eq!(value(&scrape, "smartacct_requests{state=\"cancelled\"}"), Some(1.0), "{scrape}");
    assert_eq!(value(&scrape, "smartacct_requests{state=\"awaiting_review\"}"), Some(0.0), "{scrape}");

    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    assert!(get(port, "/healthz").await.is_none(), "the listener stops with the service");

    let mut run = desk.start(&["run"], &[]);
    wait_status(port, "/readyz", 200).await;
    let scrape = get(port, "/metrics").await.unwrap().1;
    assert_eq!(value(&scrape, "smartacct_requests{state=\"cancelled\"}"), Some(1.0), "after a restart:\n{scrape}");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn readyz_turns_503_with_the_reason_while_dovecot_is_stopped_and_200_after() {
    let _stack = fault_stack();
    let port = free_port();
    let desk = TestDesk::with(with_metrics(DeskOptions::on(FAULTS), port)).await;
    let mut run = desk.start(&["run"], &[]);
    wait_status(port, "/readyz", 200).await;

    FAULTS.script("stop-imap");
    let body = wait_status(port, "/readyz", 503).await;
    FAULTS.script("start-imap");
    let reason: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
    assert!(reason["reason"].as_str().unwrap().contains("mailbox watcher"), "{body}");
    assert_eq!(get(port, "/healthz").await.unwrap().0, 200, "the process still runs");

    wait_status(port, "/readyz", 200).await;
    let scrape = get(port, "/metrics").await.unwrap().1;
    assert_eq!(value(&scrape, "smartacct_imap_connected"), Some(1.0), "{scrape}");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn every_series_the_alert_rules_and_the_dashboard_use_is_in_the_scrape() {
    let port = free_port();
    let desk = TestDesk::with(with_metrics(DeskOptions::default(), port)).await;
    let mut run = desk.start(&["run"], &[]);
    wait_status(port, "/readyz", 200).await;
    let scrape = get(port, "/metrics").await.unwrap().1;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());

    let mut used = std::collections::BTreeSet::new();
    for file in ["config/monitoring/smartacct.rules.yml", "config/monitoring/grafana-dashboard.json"] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("smartacct_") {
            let name: String = rest[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            used.insert((file, name.clone()));
            rest = &rest[i + name.len()..];
        }
    }
    assert!(used.len() >= 8, "{used:?}");
    for (file, name) in used {
        let exported = scrape.lines().any(|l| l.split(['{', ' ']).next() == Some(name.as_str()));
        assert!(exported, "{file} uses {name}, which /metrics does not have:\n{scrape}");
    }
}

#[tokio::test]
async fn idle_connections_beyond_the_cap_neither_exhaust_descriptors_nor_keep_scrapes_out_and_are_closed() {
    use std::time::{Duration, Instant};
    let port = free_port();
    let desk = TestDesk::with(with_metrics(DeskOptions::default(), port)).await;
    let mut run = desk.start(&["run"], &[]);
    wait_status(port, "/readyz", 200).await;
    // A descriptor limit that idle connections alone would use up, were they not capped.
    let limited = std::process::Command::new("prlimit")
        .args(["--pid", &run.child.id().to_string(), "--nofile=128:128"])
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(limited.success());

    // Connections that say nothing (the kernel completes them whether or not the server accepts).
    let opened = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    }
    // A scraper still gets its answer, at once rather than when the idle ones are given up.
    for path in ["/healthz", "/metrics"] {
        let answer = tokio::time::timeout(Duration::from_secs(3), get(port, path)).await;
        assert!(
            matches!(answer, Ok(Some((200, _)))),
            "{path} within 3 s beside 200 idle connections: {answer:?}\n{}",
            run.log()
        );
    }
    // Every idle connection is closed by the server within a few seconds.
    for (i, mut conn) in idle.into_iter().enumerate() {
        let left = Duration::from_secs(10).saturating_sub(opened.elapsed());
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(left, conn.read(&mut byte)).await;
        assert!(
            matches!(read, Ok(Ok(0) | Err(_))),
            "idle connection {i} still open {:?} after it was opened: {read:?}",
            opened.elapsed()
        );
    }
    assert_eq!(get(port, "/healthz").await.map(|(c, _)| c), Some(200));
    let log = run.log();
    assert!(!log.contains("cannot accept"), "no descriptor ran out:\n{log}");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}
