//! The command line as an operator uses it on an installed server: secrets, help, checks, JSON logs.
use crate::helpers::*;

fn run(desk: &TestDesk, args: &[&str]) -> (i32, String, String) {
    let out = desk.bin().args(args).env_remove("SMARTACCT_IMAP_PASSWORD").output().unwrap();
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
}

fn edit(desk: &TestDesk, f: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(&desk.config).unwrap();
    std::fs::write(&desk.config, f(&text)).unwrap();
}

#[tokio::test]
async fn read_only_commands_need_no_mail_server_secret() {
    let desk = TestDesk::spawn().await;
    edit(&desk, |t| t.replace(&format!("password = \"{PASSWORD}\""), "password_file = \"/nonexistent/imap-password\""));
    for args in [
        &["requests", "list"][..],
        &["requests", "list", "--json"],
        &["outbox", "list"],
        &["mail", "list", "--set-aside"],
    ] {
        let (code, _, stderr) = run(&desk, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
    let (code, _, stderr) = run(&desk, &["requests", "show", "SA-AAAAAAAA"]);
    assert_eq!(code, 1, "no such request, but no configuration error: {stderr}");
    let (code, _, stderr) = run(&desk, &["poll", "--once"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("imap.password_file"), "{stderr}");
}

#[tokio::test]
async fn password_and_password_file_together_are_refused_naming_both_keys() {
    let desk = TestDesk::spawn().await;
    edit(&desk, |t| t.replacen("[smtp]", "password_file = \"/etc/hostname\"\n\n[smtp]", 1));
    let (code, _, stderr) = run(&desk, &["check-config"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("imap.password:") && stderr.contains("imap.password_file"), "{stderr}");
    let example = std::fs::read_to_string(repo().join("config/smartacct.example.toml")).unwrap();
    assert!(
        !example.lines().any(|l| l.trim_start().starts_with("password =")),
        "the example config has no live password line"
    );
}

#[tokio::test]
async fn check_config_connect_logs_in_and_says_what_works() {
    let desk = TestDesk::spawn().await;
    let (code, stdout, stderr) = run(&desk, &["check-config", "--connect"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for line in ["imap: ok, logged in", "folder INBOX holds", "smtp: ok, connected"] {
        assert!(stdout.contains(line), "{line}:\n{stdout}");
    }
    edit(&desk, |t| t.replace(&format!("password = \"{PASSWORD}\""), "password = \"wrong\""));
    let (code, stdout, stderr) = run(&desk, &["check-config", "--connect"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("imap: FAILED"), "{stdout}");
    assert!(stdout.contains("smtp: ok"), "SMTP is still checked: {stdout}");
    assert!(stderr.contains("imap"), "{stderr}");

    edit(&desk, |t| t.replace("allow = [\"*@partner.test\"]", "allow = []"));
    let (_, _, stderr) = run(&desk, &["check-config"]);
    assert!(stderr.contains("partners.allow is empty"), "{stderr}");
}

#[tokio::test]
async fn the_lists_have_header_rows_and_the_help_names_every_command_and_state() {
    let desk = TestDesk::spawn().await;
    let (code, stdout, _) = run(&desk, &["requests", "list"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("REFERENCE"), "{stdout}");
    let (_, help, _) = run(&desk, &["requests", "list", "--help"]);
    for state in smartacct::domain::State::ALL {
        assert!(help.contains(state.as_str()), "--state lists {}: {help}", state.as_str());
    }
    let (_, help, _) = run(&desk, &["--help"]);
    for command in ["run", "poll", "sweep", "requests", "outbox", "mail", "check-config", "migrate"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "{command}: {help}");
    }
    // Every argument of every command says what it is.
    for args in [
        &["requests", "list"][..],
        &["requests", "show"],
        &["requests", "cancel"],
        &["requests", "resend"],
        &["outbox", "list"],
        &["outbox", "retry"],
        &["mail", "list"],
        &["mail", "reprocess"],
        &["poll"],
        &["sweep"],
        &["check-config"],
    ] {
        let (_, help, _) = run(&desk, &[args, &["--help"]].concat());
        let bare: Vec<&str> = help
            .lines()
            .filter(|l| l.starts_with("  ") && !l.contains("--help") && !l.contains("--config"))
            .filter(|l| l.split("  ").filter(|p| !p.trim().is_empty()).count() < 2)
            .filter(|l| !l.starts_with("          "))
            .collect();
        assert!(bare.is_empty(), "{args:?} has arguments without help: {bare:?}\n{help}");
    }
    let (code, _, stderr) = run(&desk, &["outbox", "retry", "99999"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such email"), "{stderr}");
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_with_time_level_message_and_fields() {
    let desk = TestDesk::spawn().await;
    edit(&desk, |t| format!("{t}\n[log]\nformat = \"json\"\n"));
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    wait_total(&desk.address, 1).await;
    let (code, stdout, stderr) = run(&desk, &["poll", "--once"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let lines: Vec<serde_json::Value> =
        stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let processed = lines.iter().find(|l| l["message"] == "message processed").expect("a processed line");
    assert_eq!(processed["level"], "info");
    assert_eq!(processed["fields"]["outcome"], "request_created");
    assert!(processed["time"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn a_lock_file_left_by_a_root_command_does_not_stop_the_service_user() {
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&out.stdout).trim() != "0" {
        eprintln!("skipped: needs root to act as two users");
        return;
    }
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    wait_total(&desk.address, 1).await;
    // The state directory belongs to the service user (here `nobody`), as under systemd ...
    let dir = desk.dir.path();
    let chown = std::process::Command::new("chown").args(["-R", "nobody:"]).arg(dir).status().unwrap();
    assert!(chown.success());
    // ... and an operator's command run as root left the outbox lock file behind, root's and 0644.
    let lock = dir.join("smartacct.db.send-lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::write(&lock, "").unwrap();
    let out = std::process::Command::new("runuser")
        .args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_smartacct"), "--config"])
        .arg(&desk.config)
        .args(["poll", "--once"])
        .current_dir("/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    inbox_exactly(&p.partner, 1).await;
}
