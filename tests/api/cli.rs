//! The command line as operators and the acceptance suite use it: exit statuses, JSON on stdout.
use crate::helpers::*;

#[tokio::test]
async fn check_config_exits_2_and_names_the_bad_key() {
    let desk = TestDesk::spawn().await;
    let good = std::fs::read_to_string(&desk.config).unwrap();
    for (from, to, key) in [
        ("security = \"none\"", "security = \"sometimes\"", "imap.security"),
        ("acceptance_days = 90", "acceptance_days = \"ninety\"", "workflow.acceptance_days"),
        ("[workflow]", "[workflow]\nreveiw = true", "workflow.reveiw"),
        ("username = ", "#username = ", "imap.username"),
    ] {
        std::fs::write(&desk.config, good.replacen(from, to, 1)).unwrap();
        let out = desk.bin().arg("check-config").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}: {stderr}");
        assert!(stderr.contains(key), "the error names {key}: {stderr}");
    }
    std::fs::write(&desk.config, good).unwrap();
    let out = desk.bin().arg("check-config").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn a_missing_config_file_or_bad_usage_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smartacct"))
        .args(["--config", "/nonexistent/smartacct.toml", "check-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smartacct")).arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn poll_once_and_requests_list_json_speak_the_contract() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    wait_total(&desk.address, 1).await;
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "logs go to stderr, not stdout");

    let out = desk.bin().args(["requests", "list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let r = &list.as_array().unwrap()[0];
    for field in [
        "reference",
        "state",
        "account_name",
        "account_domain",
        "customer_email",
        "partner_email",
        "user_emails",
        "locale",
        "created_at",
        "submitted_at",
        "expires_at",
        "activated_at",
        "closed_at",
    ] {
        assert!(r.get(field).is_some(), "requests list --json lacks {field}");
    }
    assert_eq!(r["state"], "awaiting_review");
    assert_eq!(r["user_emails"].as_array().unwrap().len(), 2);
    assert!(r["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(r["submitted_at"].is_null());

    let reference = r["reference"].as_str().unwrap();
    let out = desk.bin().args(["requests", "show", reference, "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["reference"], reference);
    assert!(shown["history"].as_array().unwrap().iter().any(|e| e["event"] == "received"));
    assert_eq!(shown["emails"][0]["kind"], "review");

    let out = desk.bin().args(["requests", "list", "--state", "active", "--json"]).output().unwrap();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), serde_json::json!([]));
    let out = desk.bin().args(["requests", "list", "--state", "bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
