//! The operator's commands: `requests cancel`, `requests resend`. Committed like mail, then the outbox is delivered.
use super::Failure;
use crate::app::App;
use crate::domain::Reference;
use crate::operator::{self, Done};

pub(super) async fn cancel(app: &App, reference: &Reference, reason: Option<&str>) -> Result<(), Failure> {
    let done = operator::cancel(app, reference, reason, chrono::Utc::now()).await?;
    println!("{reference} cancelled; the partner is told");
    report(app, &done).await
}

pub(super) async fn resend(app: &App, reference: &Reference) -> Result<(), Failure> {
    let done = operator::resend(app, reference, chrono::Utc::now()).await?;
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
