//! Deadlines, once: when a request is due for expiry, a reminder or review expiry, and what the sweep decides then.
use chrono::{DateTime, Duration, Utc};

use super::{Decision, EventKind, Outcome};
use crate::configuration::Settings;
use crate::domain::State;
use crate::email::{Content, EmailPlan, Origin};
use crate::request::{Request, rfc3339};

/// One step of the nightly sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepStep {
    /// `pending_customer_acceptance` past `expires_at` -> `expired`.
    Expire,
    /// The reminder `days` before expiry.
    Remind { days: u32 },
    /// `awaiting_review` older than `workflow.review_days` -> `review_expired`.
    ExpireReview,
    /// A request closed longer ago than `retention.closed_days`: its personal data is erased.
    Erase,
}

/// The date column a deadline is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueColumn {
    ExpiresAt,
    CreatedAt,
    ClosedAt,
}

/// Which requests a sweep step is due for, as data: the store turns it into
/// a query, and `matches` applies the very same rule to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The request is in one of these states…
    pub states: &'static [State],
    pub column: DueColumn,
    /// The column's value is at or before this…
    pub at_or_before: DateTime<Utc>,
    /// …and, when set, after this.
    pub after: Option<DateTime<Utc>>,
    /// When set, only requests whose last reminder (if any) was further out than this many days.
    pub reminder_above: Option<u32>,
    /// Only requests whose personal data is still there.
    pub not_erased: bool,
}

const PENDING: &[State] = &[State::PendingCustomerAcceptance];
const IN_REVIEW: &[State] = &[State::AwaitingReview];
const CLOSED: &[State] =
    &[State::Active, State::Declined, State::Expired, State::Cancelled, State::ReviewExpired, State::Undeliverable];

impl Due {
    pub fn matches(&self, r: &Request) -> bool {
        let value = match self.column {
            DueColumn::ExpiresAt => r.expires_at,
            DueColumn::CreatedAt => Some(r.created_at),
            DueColumn::ClosedAt => r.closed_at,
        };
        self.states.contains(&r.state)
            && (!self.not_erased || r.erased_at.is_none())
            && value.is_some_and(|v| v <= self.at_or_before && self.after.is_none_or(|a| v > a))
            && self.reminder_above.is_none_or(|d| r.last_reminder_days.is_none_or(|last| last > d))
    }
}

impl SweepStep {
    /// The steps of one sweep, in order: expiry first (a request that expires
    /// in this pass gets no reminder), then the reminders nearest first (a
    /// request past both the 30- and 7-day moments gets only the 7-day one),
    /// then review expiry.
    pub fn all(settings: &Settings) -> Vec<SweepStep> {
        let mut days = settings.workflow.reminder_days_before.clone();
        days.sort_unstable();
        days.dedup();
        let mut steps = vec![SweepStep::Expire];
        steps.extend(days.into_iter().map(|days| SweepStep::Remind { days }));
        steps.push(SweepStep::ExpireReview);
        if settings.retention.closed_days.is_some() {
            steps.push(SweepStep::Erase);
        }
        steps
    }

    pub fn due(self, now: DateTime<Utc>, settings: &Settings) -> Due {
        let pending = |at_or_before, after, reminder_above| Due {
            states: PENDING,
            column: DueColumn::ExpiresAt,
            at_or_before,
            after,
            reminder_above,
            not_erased: false,
        };
        match self {
            SweepStep::Expire => pending(now, None, None),
            SweepStep::Remind { days } => pending(now + Duration::days(days as i64), Some(now), Some(days)),
            SweepStep::ExpireReview => Due {
                states: IN_REVIEW,
                column: DueColumn::CreatedAt,
                at_or_before: now - Duration::days(settings.workflow.review_days as i64),
                after: None,
                reminder_above: None,
                not_erased: false,
            },
            // Without `retention.closed_days` nothing is ever due (the step is not run either).
            SweepStep::Erase => Due {
                states: CLOSED,
                column: DueColumn::ClosedAt,
                at_or_before: settings
                    .retention
                    .closed_days
                    .map_or(DateTime::<Utc>::MIN_UTC, |days| now - Duration::days(days as i64)),
                after: None,
                reminder_above: None,
                not_erased: true,
            },
        }
    }
}

/// When a request submitted at `now` expires.
pub fn acceptance_deadline(now: DateTime<Utc>, settings: &Settings) -> DateTime<Utc> {
    now + Duration::days(settings.workflow.acceptance_days as i64)
}

/// The closing step a request is past the deadline of, if any (the sweep
/// runs nightly, so a reply can come in between).
pub fn deadline_passed(request: &Request, now: DateTime<Utc>, settings: &Settings) -> Option<SweepStep> {
    [SweepStep::Expire, SweepStep::ExpireReview].into_iter().find(|step| step.due(now, settings).matches(request))
}

/// What the sweep does to one request at `now`.
pub fn sweep(step: SweepStep, request: &Request, env: &super::Env<'_>) -> Decision {
    let (s, now) = (env.settings, env.now);
    if !step.due(now, s).matches(request) {
        return Decision::about(request, Outcome::NothingDue, format!("{} is not due", request.reference));
    }
    let notice = |content: Content, to: &crate::domain::EmailAddress| {
        EmailPlan::new(content, to.clone(), request.locale, Origin::Sweep)
    };
    let mut after = request.clone();
    let mut d = match step {
        SweepStep::Expire => {
            after.state = State::Expired;
            after.closed_at = Some(now);
            let mut d = Decision::about(request, Outcome::Expired, format!("{} expired", request.reference));
            let deadline = rfc3339(request.expires_at.unwrap_or(now));
            d.event(EventKind::Expired, format!("not accepted by {deadline}; customer and partner told"));
            d.emails.push(notice(Content::ExpiredCustomer { request: after.clone() }, &request.customer_email));
            d.emails.push(notice(Content::ExpiredPartner { request: after.clone() }, &request.partner_email));
            d
        }
        SweepStep::Remind { days } => {
            after.last_reminder_days = Some(days);
            let mut d =
                Decision::about(request, Outcome::Reminded, format!("{days}-day reminder for {}", request.reference));
            d.event(EventKind::ReminderSent, format!("{days}-day reminder to {}", request.customer_email));
            // Whole days left, rounded up: "7 days" on the day the 7-day reminder is due.
            let secs = request.expires_at.map_or(0, |e| (e - now).num_seconds().max(0));
            let content = Content::Reminder { request: request.clone(), days_left: (secs + 86_399) / 86_400 };
            d.emails.push(notice(content, &request.customer_email));
            d
        }
        SweepStep::Erase => {
            after.customer_email = crate::domain::EmailAddress::erased();
            after.user_emails.clear();
            after.note_to_customer = None;
            after.note_to_users = None;
            after.partner_name = None;
            after.partner_company = None;
            after.erased_at = Some(now);
            let mut d =
                Decision::about(request, Outcome::Erased, format!("{} personal data erased", request.reference));
            let days = s.retention.closed_days.unwrap_or(0);
            d.event(
                EventKind::Erased,
                format!(
                    "closed more than {days} days ago (retention.closed_days): addresses, notes and messages erased"
                ),
            );
            d.erase_records = true;
            d
        }
        SweepStep::ExpireReview => {
            after.state = State::ReviewExpired;
            after.closed_at = Some(now);
            let mut d =
                Decision::about(request, Outcome::ReviewExpired, format!("{} review expired", request.reference));
            d.event(
                EventKind::ReviewExpired,
                format!("no SUBMIT within {} days; partner told", s.workflow.review_days),
            );
            d.emails.push(notice(Content::ReviewExpired { request: after.clone() }, &request.partner_email));
            d
        }
    };
    d.update(request, after);
    d
}
