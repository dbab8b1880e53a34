//! Reading requests, their keys and their history.
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::dialect::query;
use super::{Result, Store, StoreError, parse_opt_ts, parse_ts, ts};
use crate::domain::{AccountDomain, EmailAddress, Key, Locale, Reference, State, Step};
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
fn live_states() -> String {
    State::ALL.iter().filter(|s| s.is_live()).map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}

/// The refusal kinds as an SQL list, word for word as the partial index
/// `outbox_refusals` names them (migration 0011), so the index serves the query.
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
    let name = match Reference::parse(&reference) {
        Some(r) => r.to_string(),
        None => format!("with id {}", row.try_get::<i64, _>(0)?),
    };
    let corrupt = |what: &str, value: &str| StoreError::Unreadable {
        request: name.clone(),
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
        reference: Reference::parse(&reference).ok_or_else(|| corrupt("reference", &reference))?,
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

impl Store {
    pub async fn request_by_reference(&self, reference: &Reference) -> Result<Option<Request>> {
        let sql = format!("SELECT {COLUMNS} FROM requests WHERE reference = ?");
        let row = query(&sql).bind(reference.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(request_from_row).transpose()
    }

    pub async fn request_by_id(&self, id: i64) -> Result<Option<Request>> {
        let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = ?");
        let row = query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(request_from_row).transpose()
    }

    /// The request and step a reply key names. The token is looked up by its
    /// hash, and a key of one step never finds a token issued for another.
    pub async fn request_by_key(&self, key: &Key) -> Result<Option<(Request, Step)>> {
        let cols = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {cols} FROM tokens t JOIN requests r ON r.id = t.request_id WHERE t.token_hash = ? AND t.step = ?"
        );
        let row = query(&sql).bind(key.token.hash()).bind(step_name(key.step)).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(request_from_row).transpose()?.map(|r| (r, key.step)))
    }

    /// The live (awaiting review or pending acceptance) request holding a domain.
    pub async fn live_request_for_domain(&self, domain: &AccountDomain) -> Result<Option<Request>> {
        let sql = format!("SELECT {COLUMNS} FROM requests WHERE account_domain = ? AND state IN ({})", live_states());
        let row = query(&sql).bind(domain.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(request_from_row).transpose()
    }

    /// The request of the first of `message_ids` that is an email the desk sent.
    pub async fn request_by_sent_message(&self, message_ids: &[String]) -> Result<Option<Request>> {
        for id in message_ids {
            let cols = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
            let sql =
                format!("SELECT {cols} FROM outbox o JOIN requests r ON r.id = o.request_id WHERE o.message_id = ?");
            if let Some(row) = query(&sql).bind(id).fetch_optional(&self.pool).await? {
                return request_from_row(&row).map(Some);
            }
        }
        Ok(None)
    }

    /// The most recent request pending acceptance by this customer.
    pub async fn pending_for_customer(&self, customer: &EmailAddress) -> Result<Option<Request>> {
        let sql =
            format!("SELECT {COLUMNS} FROM requests WHERE customer_email = ? AND state = ? ORDER BY id DESC LIMIT 1");
        let row = query(&sql)
            .bind(customer.as_str())
            .bind(State::PendingCustomerAcceptance.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(request_from_row).transpose()
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

    /// A partner's live requests, and the requests they made since `since`.
    pub async fn partner_counts(&self, partner: &EmailAddress, since: DateTime<Utc>) -> Result<(u32, u32)> {
        let sql = format!(
            "SELECT COUNT(CASE WHEN state IN ({}) THEN 1 END), COUNT(CASE WHEN created_at >= ? THEN 1 END) FROM requests WHERE partner_email = ?",
            live_states()
        );
        let row = query(&sql).bind(ts(since)).bind(partner.as_str()).fetch_one(&self.pool).await?;
        Ok((row.get::<i64, _>(0) as u32, row.get::<i64, _>(1) as u32))
    }

    /// Refusals and error answers queued to `recipient` since `since`: how many
    /// (the daily cap), and which (kind, request) they were (one a day each).
    pub async fn answers_since(
        &self,
        recipient: &EmailAddress,
        since: DateTime<Utc>,
    ) -> Result<(u32, Vec<(crate::email::Kind, i64)>)> {
        let sql = format!(
            "SELECT kind, request_id FROM outbox WHERE recipient = ? AND created_at >= ? AND kind IN ({})",
            refusal_kinds()
        );
        let rows = query(&sql).bind(recipient.as_str()).bind(ts(since)).fetch_all(&self.pool).await?;
        let mut refusals: Vec<(crate::email::Kind, i64)> = rows
            .iter()
            .filter_map(|r| Some((crate::email::Kind::parse(r.get(0))?, r.get::<Option<i64>, _>(1)?)))
            .collect();
        refusals.sort_by_key(|(k, id)| (k.name(), *id));
        refusals.dedup();
        Ok((rows.len() as u32, refusals))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_refusals_index_names_the_refusal_kinds_as_the_query_does() {
        let term = format!("WHERE kind IN ({})", super::refusal_kinds());
        let files: Vec<_> = crate::shell::embedded::MIGRATIONS
            .iter()
            .filter(|(name, _)| name.ends_with("0011_outbox_refusals_index.sql"))
            .collect();
        assert_eq!(files.len(), 2, "one per backend");
        for (name, sql) in files {
            assert!(sql.contains(&term), "{name} must say {term}");
        }
    }
}
