//! The readers against real clients' mail: every `.eml` under tests/fixtures with its expected result. No server.
use std::path::PathBuf;

use smartacct::decide::Inbound;
use smartacct::domain::{EmailAddress, Locale};
use smartacct::read::form::validate;
use smartacct::read::reply::{Command, Words};

/// Every `NAME.eml` of a fixture folder with its `NAME.expected.json`, sorted by name.
pub(crate) fn fixtures(dir: &str) -> Vec<(String, Vec<u8>, serde_json::Value)> {
    let base = crate::helpers::repo().join("tests/fixtures").join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&base).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            let expected = std::fs::read_to_string(path.with_extension("expected.json")).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read(&path).unwrap(), serde_json::from_str(&expected).unwrap()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() > 10, "fixtures missing in {}", base.display());
    out
}

fn desk() -> EmailAddress {
    EmailAddress::parse("desk@example.test").unwrap()
}

#[test]
fn every_form_fixture_reads_as_expected() {
    let mut failures = Vec::new();
    for (name, raw, want) in fixtures("forms") {
        let inbound = Inbound::read(&raw, &desk());
        let got = validate(&inbound.form, Locale::En);
        let ok = match (&got, want["valid"].as_bool().unwrap()) {
            (Ok(f), true) => {
                let users: Vec<&str> = f.user_emails.iter().map(|u| u.as_str()).collect();
                let checks = [
                    ("account_name", serde_json::json!(f.account_name)),
                    ("customer_email", serde_json::json!(f.customer_email.as_str())),
                    ("account_domain", serde_json::json!(f.account_domain.as_str())),
                    ("note_to_customer", serde_json::json!(f.note_to_customer)),
                    ("user_emails", serde_json::json!(users)),
                    ("note_to_users", serde_json::json!(f.note_to_users)),
                    ("locale", serde_json::json!(f.locale.as_str())),
                ];
                let bad: Vec<String> = checks
                    .iter()
                    .filter(|(k, v)| &want[*k] != v)
                    .map(|(k, v)| format!("{k}: got {v}, want {}", want[*k]))
                    .collect();
                if bad.is_empty() { Ok(()) } else { Err(bad.join("; ")) }
            }
            (Err(problems), false) => {
                let mut got: Vec<&str> = problems.iter().map(|p| p.field().key()).collect();
                got.sort();
                got.dedup();
                let mut want: Vec<&str> =
                    want["problem_fields"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
                want.sort();
                if got == want { Ok(()) } else { Err(format!("problems {got:?}, want {want:?}")) }
            }
            (Ok(_), false) => Err("accepted a form that must be refused".into()),
            (Err(p), true) => Err(format!("refused a valid form: {p:?}")),
        };
        if let Err(e) = ok {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_reply_fixture_yields_its_command() {
    let mut failures = Vec::new();
    for (name, raw, want) in fixtures("replies") {
        let inbound = Inbound::read(&raw, &desk());
        let got = command_name(inbound.words);
        if got != want["command"].as_str().unwrap() {
            failures.push(format!(
                "{name}: got {got}, want {} (own text: {:?})",
                want["command"],
                smartacct::read::reply::own_text(&inbound.mail.body)
            ));
        }
        assert!(!inbound.keys.is_empty() || name.contains("no-key"), "{name}: no reply key found in its headers");
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The fixtures' name for what a reply's words ask, whichever step it answers.
pub(crate) fn command_name(words: Words) -> &'static str {
    match (words.for_review(), words.for_activation()) {
        (Command::Ambiguous, _) | (_, Command::Ambiguous) => "ambiguous",
        (Command::Submit, Command::None) => "submit",
        (Command::Cancel, Command::None) => "cancel",
        (Command::None, Command::Accept) => "accept",
        (Command::None, Command::Decline) => "decline",
        (Command::None, Command::None) => "none",
        _ => "mixed",
    }
}

/// A fixture with a `quoted` expectation is a trap: a reader that took its
/// quote for the answer would get that (the opposite) command.
#[test]
fn every_trap_fixture_quotes_the_opposite_command() {
    let mut failures = Vec::new();
    let mut traps = 0;
    for (name, raw, want) in fixtures("replies") {
        let Some(quoted) = want["quoted"].as_str() else { continue };
        traps += 1;
        let inbound = Inbound::read(&raw, &desk());
        let split = smartacct::read::quote::split(&inbound.mail.body);
        let text: Vec<&str> = split.quoted.iter().map(|l| l.trim_start_matches(['>', ' '])).collect();
        let got = command_name(Words::in_text(&text.join("\n")));
        if got != quoted {
            failures.push(format!("{name}: its quote reads as {got}, want {quoted}"));
        }
    }
    assert!(traps >= 40, "only {traps} trap fixtures");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
