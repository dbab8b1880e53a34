//! `sweep_once(now)`: the nightly pass of SPEC §1 step 6 (expiries, reminders, review expiries) through the core, batch by batch; idempotent, time passed in.
use chrono::{DateTime, Utc};

use crate::app::App;
use crate::decide::{self, Env, Outcome, SweepStep};
use crate::domain::Reference;
use crate::store::{DueKey, Planned, StoreError};
use tokio::task::JoinHandle;

/// Requests handled per transaction: a large one writes each index page once
/// for many rows (5,000 made the sweep a fifth faster than 500).
pub const BATCH: i64 = 5000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub expired: usize,
    pub reminded: usize,
    pub review_expired: usize,
    pub erased: usize,
    /// Rows of mail that belonged to no request, erased by retention.
    pub erased_unowned: usize,
}

/// `sweep [--now]`: one sweep, then every pending email sent.
pub async fn sweep_and_deliver(
    app: &App,
    now: DateTime<Utc>,
) -> anyhow::Result<(SweepReport, crate::delivery::Delivered)> {
    let report = sweep_once(app, now).await?;
    let delivered = crate::delivery::deliver(app, now.max(Utc::now()), true).await?;
    crate::hooks::deliver_until(app, now.max(Utc::now()), true, None).await?;
    Ok((report, delivered))
}

/// One sweep as if at `now`. Every batch commits its state changes and
/// emails together, so running it twice, concurrently with a poll, or again
/// after a crash half-way sends each notice once.
pub async fn sweep_once(app: &App, now: DateTime<Utc>) -> anyhow::Result<SweepReport> {
    sweep_recorded(app, now, false).await
}

/// The sweep `run`'s schedule fires, as the wall clock: the one its record of
/// the last scheduled sweep is kept from.
pub async fn scheduled_sweep(app: &App) -> anyhow::Result<SweepReport> {
    sweep_recorded(app, Utc::now(), true).await
}

async fn sweep_recorded(app: &App, now: DateTime<Utc>, by_schedule: bool) -> anyhow::Result<SweepReport> {
    let mut report = SweepReport::default();
    for step in SweepStep::all(&app.settings) {
        let changed = run_step(app, step, now).await?;
        match step {
            SweepStep::Expire => report.expired += changed,
            SweepStep::Remind { .. } => report.reminded += changed,
            SweepStep::ExpireReview => report.review_expired += changed,
            SweepStep::Erase => report.erased += changed,
        }
    }
    if let Some(days) = app.settings.retention.closed_days {
        // What no request owns goes after the same time (refusals, help answers, refused forms).
        report.erased_unowned = app.store.erase_unowned(now - chrono::Duration::days(days as i64)).await? as usize;
    }
    app.store
        .record_sweep(now, Utc::now(), [report.expired, report.reminded, report.review_expired], by_schedule)
        .await?;
    tracing::info!(now = %crate::request::rfc3339(now), expired = report.expired, reminded = report.reminded, review_expired = report.review_expired, erased = report.erased, erased_unowned = report.erased_unowned, "sweep done");
    Ok(report)
}

/// A batch's commit: how many of its decisions applied, and the batch, to be freed by the caller.
type Committed = (Result<usize, StoreError>, Vec<Planned>);

/// One step, batch by batch: the store selects what the core's rule says is
/// due, the core decides each request, the store applies the batch set-wise.
/// Pages go by key: a row a reply changed meanwhile (left out by the commit's
/// guard) or that cannot be read is passed, never selected again. Each batch
/// commits on a task of its own while the next page is read and decided, so
/// the two share the cores instead of taking turns (pages are disjoint, and
/// the commit's guard catches a request changed meanwhile); a batch waits for
/// the one before it. The database's checkpoint runs on a third task, behind
/// the commits (see `Store::commit_batch`), and the step ends with one.
async fn run_step(app: &App, step: SweepStep, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let due = step.due(now, &app.settings);
    let composer = app.composer();
    let env = Env { settings: &app.settings, now, new_reference: Reference::generate() };
    let mut total = 0;
    let mut after: Option<DueKey> = None;
    let mut committing: Option<JoinHandle<Committed>> = None;
    let mut checkpointing: Option<JoinHandle<Result<(), StoreError>>> = None;
    let outcome: anyhow::Result<usize> = loop {
        let (rows, last) = match app.store.due(&due, after.as_ref(), BATCH).await {
            Ok(page) => page,
            Err(e) => {
                // The batch in flight ends (committed or not) before the error is told.
                if let Some(previous) = committing.take() {
                    let _ = previous.await;
                }
                break Err(e.into());
            }
        };
        let mut batch: Vec<Planned> = Vec::with_capacity(rows.len());
        for r in &rows {
            let decision = decide::sweep(step, r, &env);
            if decision.outcome == Outcome::NothingDue {
                continue;
            }
            // Queued as decided, rendered when sent: the sweep writes rows, not emails.
            let outgoing = decision.emails.iter().map(|p| composer.defer(p)).collect();
            batch.push((decision, outgoing));
        }
        // The batch committed last is freed once the next one is on its way:
        // freeing 5,000 decisions is no part of a commit.
        let mut committed = None;
        if let Some(previous) = committing.take() {
            let (applied, batch) = previous.await?;
            committed = Some(batch);
            match applied {
                Ok(n) => total += n,
                Err(e) => break Err(e.into()),
            }
            // One checkpoint at a time: a batch committed while one runs goes in the next.
            if checkpointing.as_ref().is_none_or(|c| c.is_finished()) {
                if let Some(finished) = checkpointing.take()
                    && let Err(e) = finished.await?
                {
                    break Err(e.into());
                }
                let store = app.store.clone();
                checkpointing = Some(tokio::spawn(async move { store.checkpoint().await }));
            }
        }
        let Some(last) = last else { break Ok(total) };
        let store = app.store.clone();
        committing = Some(tokio::spawn(async move { (store.commit_batch(&batch, now).await, batch) }));
        drop(committed);
        after = Some(last);
    };
    // The step leaves the log in the database, as SQLite's own checkpoints would have.
    let checkpointed = match checkpointing {
        Some(running) => running.await.map_err(anyhow::Error::from).and_then(|r| Ok(r?)),
        None => Ok(()),
    };
    let total = outcome?;
    checkpointed?;
    if total > 0 {
        app.store.checkpoint().await?;
    }
    Ok(total)
}
