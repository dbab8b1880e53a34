//! `run`: the long-running service. Polls the mailbox and delivers the outbox until SIGTERM/SIGINT.
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use crate::app::App;
use crate::request::rfc3339;
use crate::store::OutboxRow;

pub async fn run(app: &App) -> anyhow::Result<()> {
    let (stop_tx, mut stop) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    tracing::info!(mailbox = %app.settings.mailbox.address, "smartacct running");
    let mut failures = 0u32;
    loop {
        match crate::intake::poll_once(app).await {
            Ok(_) => {
                if failures > 0 {
                    tracing::info!("mailbox reachable again");
                }
                failures = 0;
            }
            Err(e) => {
                if failures == 0 {
                    tracing::error!(
                        error = format!("{e:#}"),
                        "cannot read the mailbox; retrying"
                    );
                }
                failures += 1;
            }
        }
        if let Err(e) = crate::delivery::deliver(
            &app.store,
            &app.smtp,
            Utc::now(),
            false,
            app.settings.smtp.max_retry_hours,
        )
        .await
        {
            tracing::error!(error = %e, "cannot deliver the outbox");
        }
        let wait = if failures == 0 {
            app.settings.imap.poll_interval
        } else {
            Duration::from_secs((5u64 << failures.min(6)).min(300))
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => break,
        }
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
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
