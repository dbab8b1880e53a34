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
    for field in REQUEST_JSON_FIELDS {
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

#[tokio::test]
async fn a_permanently_refused_email_is_listed_as_failed_and_can_be_queued_again() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    // Postfix refuses mail for domains it does not serve (554, permanent).
    let form = p.form_en().replace(&p.customer, "jane@unserved.example");
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    wait_total(&desk.address, 1).await;
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let out = desk.bin().args(["outbox", "list", "--failed", "--json"]).output().unwrap();
    let failed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["kind"], "activation");
    assert_eq!(failed[0]["status"], "failed");
    assert!(
        failed[0]["last_error"].as_str().unwrap().contains("554")
            || failed[0]["last_error"].as_str().unwrap().contains("5.7"),
        "{}",
        failed[0]
    );
    // An activation email that can never be sent closes the request, and the partner is told.
    let r = desk.one().await;
    assert_eq!(r.state, smartacct::domain::State::Undeliverable);
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].text.contains("jane@unserved.example"), "{}", partner[1].text);
    let reference = r.reference.to_string();
    let show = desk.bin().args(["requests", "show", &reference]).output().unwrap();
    assert!(String::from_utf8_lossy(&show.stdout).contains("failed"), "requests show lists the failed email");

    let id = failed[0]["id"].to_string();
    let out = desk.bin().args(["outbox", "retry", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = desk.bin().args(["outbox", "list", "--json"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(all.as_array().unwrap().iter().any(|o| o["id"] == failed[0]["id"] && o["status"] == "pending"));
    let out = desk.bin().args(["outbox", "retry", "99999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn an_error_is_said_once_with_each_cause_once_and_without_colour() {
    let desk = TestDesk::spawn().await;
    let good = std::fs::read_to_string(&desk.config).unwrap();
    std::fs::write(&desk.config, format!("{good}\n[lgo]\nformat = \"json\"\n")).unwrap();
    let out = desk.bin().arg("check-config").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("unknown section").count(), 1, "{stderr}");
    // An IMAP server that is not there: the OS's words appear once.
    std::fs::write(&desk.config, good.replace(&format!("port = {}", IMAP_PORT), "port = 1")).unwrap();
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("Connection refused").count(), 1, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no colour codes when stderr is not a terminal: {stderr}");
}

#[tokio::test]
async fn check_config_renders_an_overridden_template_and_names_the_variable_it_lacks() {
    let desk = TestDesk::spawn().await;
    let dir = desk.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("en")).unwrap();
    std::fs::write(dir.join("en/activation.txt.hbs"), "Hello {{request.account_nmae}}\n").unwrap();
    let good = std::fs::read_to_string(&desk.config).unwrap();
    std::fs::write(&desk.config, format!("{good}\n[templates]\ndir = {:?}\n", dir.display().to_string())).unwrap();
    let out = desk.bin().arg("check-config").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("en/activation.txt.hbs") && stderr.contains("request.account_nmae"), "{stderr}");
    std::fs::write(dir.join("en/activation.txt.hbs"), "Hello {{request.account_name}}, from {{request.partner}}\n")
        .unwrap();
    let out = desk.bin().arg("check-config").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn check_config_holds_an_operators_catalog_to_the_english_one() {
    let desk = TestDesk::spawn().await;
    let dir = desk.dir.path().join("templates");
    std::fs::create_dir_all(dir.join("catalogs")).unwrap();
    let good = std::fs::read_to_string(&desk.config).unwrap();
    std::fs::write(&desk.config, format!("{good}\n[templates]\ndir = {:?}\n", dir.display().to_string())).unwrap();
    // The subject without the reference it must carry.
    std::fs::write(dir.join("catalogs/de.ftl"), "review-subject = Prüfen Sie Ihre Anfrage\n").unwrap();
    let out = desk.bin().arg("check-config").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("de.ftl") && stderr.contains("review-subject") && stderr.contains("$reference"),
        "{stderr}"
    );
    std::fs::write(dir.join("catalogs/de.ftl"), "review-subject = Bitte prüfen: Anfrage { $reference }\n").unwrap();
    let out = desk.bin().arg("check-config").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn backup_refuses_a_symlink_a_sqlite_uri_and_an_existing_file_and_writes_only_a_new_private_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let desk = TestDesk::spawn().await;
    if on_postgres() {
        return; // `backup` copies SQLite only (retention.rs checks what it says on PostgreSQL).
    }
    let dir = desk.dir.path();
    let backup = |path: &str| {
        let out = desk.bin().arg("backup").arg(path).current_dir(dir).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };

    // A dangling symbolic link: following it would write the copy where the link points.
    std::os::unix::fs::symlink(dir.join("pointed-at.db"), dir.join("dangling.db")).unwrap();
    let (code, stderr) = backup("dangling.db");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("dangling.db") && stderr.contains("symbolic link"), "{stderr}");
    assert!(!dir.join("pointed-at.db").exists(), "nothing written through the link");

    // A link to a file that exists is refused the same way, and the file is left as it was.
    std::fs::write(dir.join("precious"), "keep me").unwrap();
    std::os::unix::fs::symlink(dir.join("precious"), dir.join("link.db")).unwrap();
    let (code, stderr) = backup("link.db");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("link.db") && stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.join("precious")).unwrap(), "keep me");

    // SQLite would read `file:x.db?...` as a URI (and write x.db with its own mode).
    let (code, stderr) = backup("file:x.db?mode=rwc");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("file:x.db") && stderr.contains("URI"), "{stderr}");
    assert!(!dir.join("x.db").exists() && !dir.join("file:x.db?mode=rwc").exists());

    // An existing file is named, and left alone.
    let (code, stderr) = backup("precious");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("precious") && stderr.contains("exists already"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.join("precious")).unwrap(), "keep me");

    // `?` and `#` outside a file: URI are plain characters of a file name.
    let (code, stderr) = backup("copy?v=1#2.db");
    assert_eq!(code, Some(0), "{stderr}");
    let copy = dir.join("copy?v=1#2.db");
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    // Opened under a plain name: a database URL would read `?` as the start of its options.
    std::fs::copy(&copy, dir.join("plain-copy.db")).unwrap();
    let restored = smartacct::store::Store::open(&format!("sqlite://{}", dir.join("plain-copy.db").display())).await;
    assert_eq!(restored.unwrap().token_secret().await.unwrap(), desk.app.store.token_secret().await.unwrap());
    let left: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!left.iter().any(|n| n.to_string_lossy().contains("partial")), "no work file left behind: {left:?}");
}
