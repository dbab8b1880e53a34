//! `sweep_once(now)`: the nightly pass of SPEC §1 step 6: expiries, reminders, review expiries; idempotent, time passed in.
use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::app::App;
use crate::domain::State;
use crate::email::{EmailPlan, Kind, Origin};
use crate::request::Request;
use crate::store::{SweepAction, SweepChange};

/// Requests handled per transaction.
pub const BATCH: i64 = 500;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub expired: usize,
    pub reminded: usize,
    pub review_expired: usize,
}

/// The emails one sweep step sends for one request (pure).
pub fn plans(action: SweepAction, r: &Request, now: DateTime<Utc>) -> Vec<EmailPlan> {
    let plan = |kind: Kind, to: &crate::domain::EmailAddress, request: &Request| {
        let mut p = EmailPlan::new(kind, to.clone(), request.locale, Origin::Sweep);
        p.request = Some(request.clone());
        p
    };
    match action {
        SweepAction::Expire => {
            let after = Request { state: State::Expired, closed_at: Some(now), ..r.clone() };
            vec![
                plan(Kind::ExpiredCustomer, &r.customer_email, &after),
                plan(Kind::ExpiredPartner, &r.partner_email, &after),
            ]
        }
        SweepAction::Remind { .. } => {
            let mut p = plan(Kind::Reminder, &r.customer_email, r);
            // Whole days left, rounded up: "7 days" on the day the 7-day reminder is due.
            let secs = r.expires_at.map_or(0, |e| (e - now).num_seconds().max(0));
            p.days_left = Some((secs + 86_399) / 86_400);
            vec![p]
        }
        SweepAction::ExpireReview => {
            let after = Request { state: State::ReviewExpired, closed_at: Some(now), ..r.clone() };
            vec![plan(Kind::ReviewExpired, &r.partner_email, &after)]
        }
    }
}

/// `sweep [--now]`: one sweep, then every pending email sent.
pub async fn sweep_and_deliver(
    app: &App,
    now: DateTime<Utc>,
) -> anyhow::Result<(SweepReport, crate::delivery::Delivered)> {
    let report = sweep_once(app, now).await?;
    let delivered = crate::delivery::deliver(app, now.max(Utc::now()), true).await?;
    Ok((report, delivered))
}

/// One sweep as if at `now`. Every batch commits its state changes and
/// emails together, so running it twice, concurrently with a poll, or again
/// after a crash half-way sends each notice once.
pub async fn sweep_once(app: &App, now: DateTime<Utc>) -> anyhow::Result<SweepReport> {
    let mut report = SweepReport::default();
    let w = &app.settings.workflow;

    // Expiry first: a request that expires in this pass gets no reminder.
    report.expired = run_step(app, SweepAction::Expire, now).await?;
    // Nearest moment first: a request past both the 30- and 7-day moments gets only the 7-day one.
    let mut days = w.reminder_days_before.clone();
    days.sort_unstable();
    for d in days {
        report.reminded += run_step(app, SweepAction::Remind { days: d }, now).await?;
    }
    report.review_expired = run_step(app, SweepAction::ExpireReview, now).await?;

    app.store.record_sweep(now, Utc::now(), [report.expired, report.reminded, report.review_expired]).await?;
    tracing::info!(now = %crate::request::rfc3339(now), expired = report.expired, reminded = report.reminded, review_expired = report.review_expired, "sweep done");
    Ok(report)
}

async fn run_step(app: &App, action: SweepAction, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let store = &app.store;
    let composer = app.composer();
    let mut total = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let due = match action {
            SweepAction::Expire => store.due_for_expiry(now, BATCH).await?,
            SweepAction::Remind { days } => store.due_for_reminder(now, days, BATCH).await?,
            SweepAction::ExpireReview => {
                store.due_for_review_expiry(now, app.settings.workflow.review_days, BATCH).await?
            }
        };
        // A row a reply changed meanwhile is not changed by the batch and may be
        // selected again; never loop on it.
        let due: Vec<Request> = due.into_iter().filter(|r| seen.insert(r.id)).collect();
        if due.is_empty() {
            return Ok(total);
        }
        let mut changes = Vec::with_capacity(due.len());
        for r in &due {
            let outgoing = plans(action, r, now)
                .iter()
                .map(|p| composer.compose(p, now))
                .collect::<Result<Vec<_>, _>>()
                .with_context(|| format!("cannot render the sweep's emails for {}", r.reference))?;
            let (event, detail) = match action {
                SweepAction::Expire => (
                    "expired",
                    format!(
                        "not accepted by {}; customer and partner told",
                        crate::request::rfc3339(r.expires_at.unwrap_or(now))
                    ),
                ),
                SweepAction::Remind { days } => {
                    ("reminder_sent", format!("{days}-day reminder to {}", r.customer_email))
                }
                SweepAction::ExpireReview => (
                    "review_expired",
                    format!("no SUBMIT within {} days; partner told", app.settings.workflow.review_days),
                ),
            };
            changes.push(SweepChange { request_id: r.id.expect("stored"), event, detail, outgoing });
        }
        total += store.apply_sweep(action, &changes, now).await?;
    }
}
