//! Reading requests, their keys and their history.
use chrono::{DateTime, Utc};
use sqlx::any::{Any, AnyRow};
use sqlx::{Executor, Row};

use super::dialect::query;
use super::{Result, Store, StoreError, parse_opt_ts, parse_ts};
use crate::domain::{AccountDomain, EmailAddress, Locale, Reference, State, Step};
use crate::request::Request;

pub(super) const COLUMNS: &str = "id, reference, state, account_name, account_domain, customer_email, partner_email, user_emails, \
     note_to_customer, note_to_users, locale, created_at, submitted_at, expires_at, activated_at, closed_at, last_reminder_days, \
     partner_name, partner_company, erased_at";

/// One line of a request's history.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub kind: crate::decide::EventKind,
    pub detail: String,
}

pub(super) fn step_name(step: Step) -> &'static str {
    step.name()
}

/// The states that hold a domain (`State::is_live`), as an SQL list.
pub(super) fn live_states() -> String {
    State::ALL.iter().filter(|s| s.is_live()).map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}

/// The refusal kinds as an SQL list.
pub(super) fn refusal_kinds() -> String {
    let kinds: Vec<String> =
        crate::email::Kind::ALL.iter().filter(|k| k.is_refusal()).map(|k| format!("'{}'", k.name())).collect();
    kinds.join(", ")
}

/// Rows that no longer parse are reported by reference and left out, so one
/// bad row never stops a list or a sweep for every other request.
pub(super) fn readable_requests(rows: &[AnyRow]) -> Vec<Request> {
    rows.iter()
        .filter_map(|row| match request_from_row(row) {
            Ok(r) => Some(r),
            Err(e) => {
                tracing::error!(error = crate::telemetry::chain(&e), "skipping a request that cannot be read");
                None
            }
        })
        .collect()
}

pub(super) fn request_from_row(row: &AnyRow) -> Result<Request> {
    let s = |i: usize| -> Result<String> { Ok(row.try_get::<String, _>(i)?) };
    let reference = s(1)?;
    let parsed = Reference::parse(&reference);
    // Named only when something is wrong: most rows are read to be used.
    let corrupt = |what: &str, value: &str| StoreError::Unreadable {
        request: match &parsed {
            Some(r) => r.to_string(),
            None => format!("with id {}", row.try_get::<i64, _>(0).unwrap_or_default()),
        },
        problem: format!("{what} {:?}", crate::domain::printable(value)),
    };
    let state = s(2)?;
    let domain = s(4)?;
    let customer = s(5)?;
    let partner = s(6)?;
    let users: Vec<String> = serde_json::from_str(&s(7)?).map_err(|e| corrupt("user_emails", &e.to_string()))?;
    let locale = s(10)?;
    Ok(Request {
        id: Some(row.try_get(0)?),
        reference: parsed.clone().ok_or_else(|| corrupt("reference", &reference))?,
        state: State::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        account_name: s(3)?,
        account_domain: AccountDomain::parse(&domain).map_err(|_| corrupt("domain", &domain))?,
        customer_email: EmailAddress::parse(&customer).map_err(|_| corrupt("customer_email", &customer))?,
        partner_email: EmailAddress::parse(&partner).map_err(|_| corrupt("partner_email", &partner))?,
        user_emails: users
            .iter()
            .map(|u| EmailAddress::parse(u).map_err(|_| corrupt("user email", u)))
            .collect::<Result<_>>()?,
        note_to_customer: row.try_get(8)?,
        note_to_users: row.try_get(9)?,
        locale: Locale::parse(&locale).ok_or_else(|| corrupt("locale", &locale))?,
        created_at: parse_ts(&s(11)?)?,
        submitted_at: parse_opt_ts(row.try_get(12)?)?,
        expires_at: parse_opt_ts(row.try_get(13)?)?,
        activated_at: parse_opt_ts(row.try_get(14)?)?,
        closed_at: parse_opt_ts(row.try_get(15)?)?,
        last_reminder_days: row.try_get::<Option<i64>, _>(16)?.map(|d| d as u32),
        partner_name: row.try_get(17)?,
        partner_company: row.try_get(18)?,
        erased_at: parse_opt_ts(row.try_get(19)?)?,
    })
}

/// One request by its reference, on the pool or inside a transaction.
pub(super) async fn by_reference<'e>(
    db: impl Executor<'e, Database = Any>,
    reference: &Reference,
) -> Result<Option<Request>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE reference = ?");
    let row = query(&sql).bind(reference.as_str()).fetch_optional(db).await?;
    row.as_ref().map(request_from_row).transpose()
}

/// One request by its row id, on the pool or inside a transaction.
pub(super) async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> Result<Option<Request>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = ?");
    let row = query(&sql).bind(id).fetch_optional(db).await?;
    row.as_ref().map(request_from_row).transpose()
}

impl Store {
    pub async fn request_by_reference(&self, reference: &Reference) -> Result<Option<Request>> {
        by_reference(&self.pool, reference).await
    }

    pub async fn request_by_id(&self, id: i64) -> Result<Option<Request>> {
        by_id(&self.pool, id).await
    }

    pub async fn list_requests(&self, state: Option<State>) -> Result<Vec<Request>> {
        let sql = match state {
            Some(_) => format!("SELECT {COLUMNS} FROM requests WHERE state = ? ORDER BY id"),
            None => format!("SELECT {COLUMNS} FROM requests ORDER BY id"),
        };
        let mut q = query(&sql);
        if let Some(st) = state {
            q = q.bind(st.as_str());
        }
        Ok(readable_requests(&q.fetch_all(&self.pool).await?))
    }

    pub async fn events(&self, request_id: i64) -> Result<Vec<EventRow>> {
        let rows = query("SELECT at, kind, detail FROM events WHERE request_id = ? ORDER BY id")
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(1)?;
                let kind = crate::decide::EventKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("history kind {kind:?}")))?;
                Ok(EventRow { at: parse_ts(&r.try_get::<String, _>(0)?)?, kind, detail: r.try_get(2)? })
            })
            .collect()
    }
}
