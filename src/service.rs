//! `run`: the long-running service. Polls the mailbox, delivers the outbox, fires the sweep on schedule; stops on SIGTERM/SIGINT.
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use crate::app::App;
use crate::request::rfc3339;
use crate::schedule;
use crate::store::OutboxRow;

pub async fn run(app: &App) -> anyhow::Result<()> {
    let (stop_tx, mut stop) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let sweep = &app.settings.sweep;
    tracing::info!(mailbox = %app.settings.mailbox.address, schedule = %sweep.schedule_text, timezone = %sweep.timezone, "smartacct running");

    // Catch up: a sweep owed since the last completed one runs at once.
    let last = app.store.last_sweep().await?;
    let mut next_sweep = if schedule::missed(&sweep.schedule, sweep.timezone, last, Utc::now()) {
        tracing::info!(last = ?last.map(rfc3339), "a scheduled sweep was missed; sweeping now");
        Utc::now()
    } else {
        schedule::next_after(&sweep.schedule, sweep.timezone, Utc::now()).unwrap_or(chrono::DateTime::<Utc>::MAX_UTC)
    };

    let mut failures = 0u32;
    loop {
        if Utc::now() >= next_sweep {
            match crate::sweep::sweep_once(app, Utc::now()).await {
                Ok(_) => {
                    next_sweep = schedule::next_after(&sweep.schedule, sweep.timezone, Utc::now())
                        .unwrap_or(chrono::DateTime::<Utc>::MAX_UTC);
                    tracing::info!(next = %rfc3339(next_sweep), "next sweep");
                }
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "sweep failed; trying again in a minute");
                    next_sweep = Utc::now() + chrono::Duration::minutes(1);
                }
            }
        }
        match crate::intake::poll_once(app).await {
            Ok(_) => {
                if failures > 0 {
                    tracing::info!("mailbox reachable again");
                }
                failures = 0;
            }
            Err(e) => {
                if failures == 0 {
                    tracing::error!(error = format!("{e:#}"), "cannot read the mailbox; retrying with backoff");
                }
                failures += 1;
            }
        }
        if let Err(e) =
            crate::delivery::deliver(&app.store, &app.smtp, Utc::now(), false, app.settings.smtp.max_retry_hours).await
        {
            tracing::error!(error = %e, "cannot deliver the outbox");
        }
        let mut wait = if failures == 0 {
            app.settings.imap.poll_interval
        } else {
            Duration::from_secs((5u64 << failures.min(6)).min(300))
        };
        if let Ok(until_sweep) = (next_sweep - Utc::now()).to_std() {
            wait = wait.min(until_sweep);
        } else {
            wait = Duration::ZERO;
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => break,
        }
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// One outbox row as JSON (`outbox list --json`, `requests show --json`).
pub fn outbox_json(o: &OutboxRow) -> serde_json::Value {
    serde_json::json!({
        "id": o.id,
        "kind": o.kind,
        "recipient": o.recipient,
        "subject": o.subject,
        "message_id": o.message_id,
        "status": o.status.as_str(),
        "attempts": o.attempts,
        "last_error": o.last_error,
        "created_at": rfc3339(o.created_at),
        "next_attempt_at": rfc3339(o.next_attempt_at),
        "sent_at": o.sent_at.map(rfc3339),
    })
}
