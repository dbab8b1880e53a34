//! The operator's commands: `requests cancel`, `requests resend`. Committed like mail, then the outbox is delivered.
use super::Failure;
use crate::app::App;
use crate::decide::{Actor, Via};
use crate::domain::{Reference, printable};
use crate::operator::{self, Done};
use crate::request::rfc3339;

/// Who runs the command, for the history and the actions log: the Unix user
/// (the one behind `sudo`, when it is used), else "operator".
pub(super) fn unix_user() -> Actor {
    let name = ["SUDO_USER", "USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|n| n.chars().filter(|c| c.is_ascii_alphanumeric() || "._@-".contains(*c)).take(64).collect::<String>())
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| "operator".to_string());
    Actor { name, via: Via::CommandLine }
}

pub(super) async fn cancel(app: &App, reference: &Reference, reason: Option<&str>) -> Result<(), Failure> {
    let done = operator::cancel(app, reference, reason, &unix_user(), chrono::Utc::now()).await?;
    println!("{reference} cancelled; the partner is told");
    report(app, &done).await
}

pub(super) async fn resend(app: &App, reference: &Reference) -> Result<(), Failure> {
    let done = operator::resend(app, reference, &unix_user(), chrono::Utc::now()).await?;
    for o in &done.outgoing {
        println!("{reference}: the {} email to {} is sent again", o.kind, o.to);
    }
    report(app, &done).await
}

/// Says what was committed, then delivers: with a running service beside,
/// whichever holds the send lock sends it (the service within a minute).
async fn report(app: &App, done: &Done) -> Result<(), Failure> {
    tracing::info!(reference = %done.request.reference, detail = %done.decision.detail, "operator command committed");
    let delivered = crate::delivery::deliver(app, chrono::Utc::now(), false).await?;
    if delivered.retrying > 0 || delivered.failed > 0 {
        tracing::warn!(
            retrying = delivered.retrying,
            failed = delivered.failed,
            "not every email went out yet (see `smartacct outbox list`)"
        );
    }
    Ok(())
}

/// `mail list [--set-aside] [--json]`.
pub(super) async fn mail_list(app: &App, set_aside: bool, json: bool) -> Result<(), Failure> {
    let rows = app.store.list_inbound(set_aside).await?;
    if json {
        let out: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "received_at": rfc3339(r.received_at),
                    "outcome": r.outcome,
                    "sender": r.sender,
                    "subject": r.subject,
                    "detail": r.detail,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).expect("JSON"));
        return Ok(());
    }
    println!("{:<6} {:<20} {:<18} {:<32} SUBJECT / DETAIL", "ID", "RECEIVED", "OUTCOME", "SENDER");
    for r in &rows {
        // A sender's words reach the terminal with their control characters escaped.
        println!(
            "{:<6} {:<20} {:<18} {:<32} {}",
            r.id,
            rfc3339(r.received_at),
            r.outcome,
            printable(r.sender.as_deref().unwrap_or("-")),
            printable(if r.subject.is_empty() { &r.detail } else { &r.subject })
        );
    }
    Ok(())
}

/// `mail reprocess ID`.
pub(super) async fn reprocess(app: &App, id: i64) -> Result<(), Failure> {
    let report = operator::reprocess(app, id, &unix_user()).await?;
    println!(
        "mail #{id} read again: {} processed, {} set aside again (see `smartacct mail list --set-aside`)",
        report.processed, report.set_aside
    );
    Ok(())
}

/// `check-config --connect`: logs in to IMAP and SMTP and says, line by line, what works.
pub(super) async fn check_connect(s: &crate::configuration::Settings) -> Result<(), Failure> {
    let mut failed = Vec::new();
    // With the store, so a refresh token the provider rotates during the check is kept, as the service keeps it.
    let store = match &s.oauth2 {
        Some(_) => crate::store::Store::connect(&s.database).await.ok(),
        None => None,
    };
    let tokens = s.oauth2.clone().map(|o| crate::oauth2::Tokens::new(o, store.clone()));
    match &s.imap {
        None => println!("imap: none ([lmtp] takes the mail)"),
        Some(i) => match crate::imap::Imap::connect(i, tokens.as_ref()).await {
            Err(e) => {
                println!("imap: FAILED {}:{} ({}) as {}: {}", i.host, i.port, sec(i.security), i.username, chain(&e));
                failed.push("imap");
            }
            Ok(mut imap) => {
                println!("imap: ok, logged in to {}:{} ({}) as {}", i.host, i.port, sec(i.security), i.username);
                match imap.select(&i.folder).await {
                    Ok(sel) => println!("imap: ok, folder {} holds {} message(s)", i.folder, sel.exists),
                    Err(e) => {
                        println!("imap: FAILED, cannot open imap.folder {}: {}", i.folder, chain(&e));
                        failed.push("imap.folder");
                    }
                }
                for folder in [&i.processed_folder, &i.rejected_folder] {
                    match imap.select(folder).await {
                        Ok(_) => println!("imap: ok, folder {folder} exists"),
                        Err(_) => println!("imap: folder {folder} does not exist yet; the service creates it"),
                    }
                }
                imap.logout().await;
            }
        },
    }
    let m = &s.smtp;
    let login = m.username.as_deref().map_or_else(|| "without AUTH".to_string(), |u| format!("as {u}"));
    match crate::smtp::Smtp::new(m, tokens.as_ref()) {
        Err(e) => {
            println!("smtp: FAILED {}:{}: {}", m.host, m.port, chain(&e));
            failed.push("smtp");
        }
        Ok(smtp) => match smtp.check_connection().await {
            Ok(()) => println!("smtp: ok, connected to {}:{} ({}) {login}", m.host, m.port, sec(m.security)),
            Err(e) => {
                println!("smtp: FAILED {}:{} ({}) {login}: {e}", m.host, m.port, sec(m.security));
                failed.push("smtp");
            }
        },
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!("cannot reach or log in to: {}", failed.join(", ")).into())
    }
}

fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    printable(&crate::telemetry::chain(e)).into_owned()
}

/// The `security` value as the configuration spells it.
fn sec(s: crate::configuration::Security) -> &'static str {
    use crate::configuration::Security;
    match s {
        Security::Tls => "tls",
        Security::StartTls => "starttls",
        Security::None => "no TLS",
    }
}
