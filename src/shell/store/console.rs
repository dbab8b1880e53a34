//! What the operator console reads and writes: its signing key, the paged and searched request list, the
//! overview's counts, the lists of what failed or was set aside, and the operators' actions log.
//!
//! Every query here is bounded (LIMIT, or a count) and goes through an index,
//! so a page answers as fast with 100,000 requests as with ten.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::dialect::{Backend, Builder, query};
use super::hooks::{COLUMNS as HOOK_COLUMNS, row_to_hook};
use super::inbound::{COLUMNS as INBOUND_COLUMNS, row_of as inbound_row};
use super::outbox::{COLUMNS as OUTBOX_COLUMNS, row_to_outbox};
use super::requests::{COLUMNS, readable_requests};
use super::{
    EvidenceRow, HookRow, InboundRow, OutboxRow, Result, Store, StoreError, Watcher, parse_opt_ts, parse_ts, ts,
};
use crate::domain::{AccountDomain, EmailAddress, Reference, State};
use crate::request::Request;

/// How the request list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Created,
    Reference,
    Domain,
    State,
    Expires,
    /// The order rows were stored in (of creation, by id): a scan of every row reads them in place.
    Stored,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Created, Sort::Reference, Sort::Domain, Sort::State, Sort::Expires];

    pub fn name(self) -> &'static str {
        match self {
            Sort::Created => "created",
            Sort::Reference => "reference",
            Sort::Domain => "domain",
            Sort::State => "state",
            Sort::Expires => "expires",
            Sort::Stored => "stored",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.name() == s)
    }

    /// The ORDER BY terms; `id` last, so a page never shuffles rows that tie.
    /// `state`: the list's state, if it has one.
    fn order(self, descending: bool, state: Option<State>) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        // Every request awaiting its customer has an expiry: no NULLs to put last, and the
        // order is the index requests_state_expiry's own (no sort of every pending request).
        if self == Sort::Expires && state == Some(State::PendingCustomerAcceptance) {
            return format!("expires_at {dir}, id {dir}");
        }
        match self {
            Sort::Created => format!("created_at {dir}, id {dir}"),
            Sort::Reference => format!("reference {dir}"),
            Sort::Domain => format!("account_domain {dir}, id {dir}"),
            Sort::State => format!("state {dir}, created_at {dir}, id {dir}"),
            // Requests without an expiry (in review, closed before submission) come last either way.
            Sort::Expires => format!("(expires_at IS NULL) ASC, expires_at {dir}, id {dir}"),
            Sort::Stored => format!("id {dir}"),
        }
    }
}

/// One page of the request list: a state, a search text, an order.
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    pub state: Option<State>,
    /// A reference, a domain, a customer's or partner's address, or part of any of these or of the account name.
    pub text: Option<String>,
    pub sort: Sort,
    pub descending: bool,
    /// From 0.
    pub page: u32,
    pub per_page: u32,
}

/// A page of requests, and whether another follows.
#[derive(Debug, Clone)]
pub struct RequestPage {
    pub requests: Vec<Request>,
    pub more: bool,
    /// Whether the text matched a field exactly (through an index) rather than as a part of one.
    pub exact: bool,
}

/// The overview's numbers, read in one pass of bounded queries.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Every state, at 0 too.
    pub by_state: Vec<(State, i64)>,
    /// Requests created each day of the last seven (UTC), oldest first, today last.
    pub intake: Vec<(NaiveDate, i64)>,
    /// Pending requests whose acceptance expires within 7 and within 30 days.
    pub expiring_7: i64,
    pub expiring_30: i64,
    pub emails_failed: i64,
    pub events_failed: i64,
    pub emails_pending: i64,
    pub funnel: Funnel,
    /// Submission to activation, in seconds, of the latest activations (at most `ACCEPT_SAMPLE`).
    pub accept_seconds: Vec<i64>,
    pub last_sweep: Option<SweepRecord>,
    /// Who watches the mailbox, as the leader last said.
    pub watcher: Option<Watcher>,
}

/// How many of the latest activations the time-to-accept chart is drawn from.
pub const ACCEPT_SAMPLE: i64 = 2000;

/// Requests by how far they went: created, submitted, and how the submitted ones ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funnel {
    pub created: i64,
    pub submitted: i64,
    pub active: i64,
    pub declined: i64,
    pub expired: i64,
    pub cancelled: i64,
}

/// The last completed sweep.
#[derive(Debug, Clone)]
pub struct SweepRecord {
    pub swept_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub expired: i64,
    pub reminded: i64,
    pub review_expired: i64,
}

/// One line of the operators' actions log, to be written.
#[derive(Debug, Clone)]
pub struct ActionRecord<'a> {
    pub at: DateTime<Utc>,
    pub operator: &'a str,
    pub via: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub done: bool,
    pub detail: &'a str,
}

/// One line of the operators' actions log, as read.
#[derive(Debug, Clone)]
pub struct ActionRow {
    pub at: DateTime<Utc>,
    pub operator: String,
    pub via: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub detail: String,
}

/// The request's searchable fields as one text, as indexed by migration 0020 (word for word, so that
/// PostgreSQL's planner takes the index): joined by the control character 31, which no search holds,
/// so that no match spans two fields.
fn search_text(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "reference || char(31) || account_domain || char(31) || customer_email || char(31) || partner_email || char(31) || account_name"
        }
        Backend::Postgres => {
            "reference || chr(31) || account_domain || chr(31) || customer_email || chr(31) || partner_email || chr(31) || account_name"
        }
    }
}

/// The term for `text` as a part of any searchable field, case aside. Through
/// the trigram index where one serves: SQLite's FTS5 table for three
/// characters or more without a wildcard (FTS5 takes no ESCAPE), PostgreSQL's
/// pg_trgm index on the same expression; otherwise by reading the rows in the
/// order they are stored.
fn part_of_a_field(b: &mut Builder, backend: Backend, text: &str) -> bool {
    // A control character (the fields' separator among them) is in no field.
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let text = text.as_str();
    let plain = text.chars().count() >= 3 && !text.contains(['%', '_', '\\']);
    if backend == Backend::Sqlite && plain {
        b.push("id IN (SELECT rowid FROM requests_search WHERE text LIKE ").push_bind(format!("%{text}%")).push(")");
    } else {
        b.push("lower(").push(search_text(backend)).push(") LIKE ").push_bind(like_pattern(&text.to_lowercase()));
        b.push(" ESCAPE '\\'");
    }
    true
}

/// `%TEXT%`, its `%` and `_` literal.
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Store {
    /// The key console sessions and forms are signed with: 32 bytes from the
    /// OS CSPRNG, made on first use and kept in the database beside the reply
    /// tokens' (every process of a desk signs alike; a restart signs no one out).
    pub async fn console_key(&self) -> Result<Vec<u8>> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| StoreError::Corrupt(format!("no OS randomness: {e}")))?;
        query("INSERT INTO secrets (name, value) VALUES ('console_key', ?) ON CONFLICT DO NOTHING")
            .bind(&fresh[..])
            .execute(&self.pool)
            .await?;
        let row = query("SELECT value FROM secrets WHERE name = 'console_key'").fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }

    /// One page of requests. A text that is a reference, a domain or an
    /// address is looked up exactly, through the indexes; otherwise (or when
    /// nothing matches exactly) it is searched as a part of any field.
    pub async fn find_requests(&self, q: &RequestQuery) -> Result<RequestPage> {
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(text) = text {
            let page = self.requests_where(q, |b| exact_terms(b, text)).await?;
            if let Some(page) = page
                && (!page.requests.is_empty() || q.page > 0)
            {
                return Ok(RequestPage { exact: true, ..page });
            }
            // Reading every row: in the order rows are stored (the order of creation), not through an
            // index, which would fetch each row from elsewhere (ten times slower at 100,000 requests).
            let q = &RequestQuery { sort: if q.sort == Sort::Created { Sort::Stored } else { q.sort }, ..q.clone() };
            let backend = self.backend;
            let page = self.requests_where(q, |b| part_of_a_field(b, backend, text)).await?;
            return Ok(page.expect("a pattern always makes a term"));
        }
        Ok(self
            .requests_where(q, |b| {
                b.push("1 = 1");
                true
            })
            .await?
            .expect("no term asked"))
    }

    /// The page of `q` with the term `term` writes (false: there is none to write, and so no page).
    async fn requests_where(
        &self,
        q: &RequestQuery,
        term: impl FnOnce(&mut Builder) -> bool,
    ) -> Result<Option<RequestPage>> {
        let per_page = q.per_page.clamp(1, 500);
        let order = q.sort.order(q.descending, q.state);
        // The page's ids first, from an index alone where one serves (each holds the id:
        // migration 0020), then their rows: a page far down the list never reads the rows it skips.
        let mut b = Builder::new(
            self.backend,
            format!("SELECT {COLUMNS} FROM requests WHERE id IN (SELECT id FROM requests WHERE 1 = 1"),
        );
        if let Some(state) = q.state {
            b.push(" AND state = ").push_bind(state.as_str());
        }
        b.push(" AND ");
        if !term(&mut b) {
            return Ok(None);
        }
        b.push(" ORDER BY ").push(&order);
        // One more than a page: whether a next page exists, without counting every match.
        b.push(" LIMIT ").push_bind(i64::from(per_page) + 1);
        b.push(" OFFSET ").push_bind(i64::from(q.page) * i64::from(per_page));
        b.push(") ORDER BY ").push(&order);
        let rows = b.build().fetch_all(&self.pool).await?;
        let mut requests = readable_requests(&rows);
        let more = rows.len() > per_page as usize;
        requests.truncate(per_page as usize);
        Ok(Some(RequestPage { requests, more, exact: false }))
    }

    pub async fn overview(&self, now: DateTime<Utc>) -> Result<Overview> {
        // One pass over the index requests_state_submitted: each state's requests, and how many were submitted.
        let rows = query("SELECT state, COUNT(*), COUNT(submitted_at) FROM requests GROUP BY state")
            .fetch_all(&self.pool)
            .await?;
        let counted: Vec<(String, i64, i64)> =
            rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect::<Result<_>>()?;
        let by_state: Vec<(State, i64)> = State::ALL
            .iter()
            .map(|s| (*s, counted.iter().find(|(name, ..)| name == s.as_str()).map_or(0, |(_, n, _)| *n)))
            .collect();
        let count = |s: State| by_state.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);

        let today = now.date_naive();
        let first = today - chrono::Days::new(6);
        let since = first.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let rows = query("SELECT SUBSTR(created_at, 1, 10), COUNT(*) FROM requests WHERE created_at >= ? GROUP BY 1")
            .bind(ts(since))
            .fetch_all(&self.pool)
            .await?;
        let per_day: Vec<(String, i64)> =
            rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_>>()?;
        let intake = first
            .iter_days()
            .take(7)
            .map(|d| {
                let day = d.format("%Y-%m-%d").to_string();
                (d, per_day.iter().find(|(x, _)| *x == day).map_or(0, |(_, n)| *n))
            })
            .collect();

        let expiring = |days: i64| async move {
            let row = query(
                "SELECT COUNT(*) FROM requests WHERE state = 'pending_customer_acceptance' \
                 AND expires_at > ? AND expires_at <= ?",
            )
            .bind(ts(now))
            .bind(ts(now + chrono::Duration::days(days)))
            .fetch_one(&self.pool)
            .await?;
            Ok::<i64, StoreError>(row.try_get(0)?)
        };
        let expiring_7 = expiring(7).await?;
        let expiring_30 = expiring(30).await?;
        let scalar = |sql: &'static str| async move {
            let row = query(sql).fetch_one(&self.pool).await?;
            Ok::<i64, StoreError>(row.try_get(0)?)
        };
        // Word for word the partial indexes' conditions (outbox_failed, outbox_pending).
        let emails_failed = scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed'").await?;
        let emails_pending = scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await?;
        let events_failed = scalar("SELECT COUNT(*) FROM hook_events WHERE status = 'failed'").await?;
        // Every request past review was submitted, but for those cancelled in review.
        let cancelled_submitted = counted
            .iter()
            .find(|(name, ..)| name == State::Cancelled.as_str())
            .map_or(0, |(_, _, submitted)| *submitted);
        let funnel = Funnel {
            created: by_state.iter().map(|(_, n)| n).sum(),
            submitted: count(State::PendingCustomerAcceptance)
                + count(State::Active)
                + count(State::Declined)
                + count(State::Expired)
                + count(State::Undeliverable)
                + cancelled_submitted,
            active: count(State::Active),
            declined: count(State::Declined),
            expired: count(State::Expired),
            cancelled: count(State::Cancelled),
        };

        let rows = query(
            "SELECT submitted_at, activated_at FROM requests WHERE state = 'active' \
             ORDER BY created_at DESC LIMIT ?",
        )
        .bind(ACCEPT_SAMPLE)
        .fetch_all(&self.pool)
        .await?;
        let mut accept_seconds = Vec::with_capacity(rows.len());
        for r in &rows {
            if let (Some(s), Some(a)) = (parse_opt_ts(r.try_get(0)?)?, parse_opt_ts(r.try_get(1)?)?) {
                accept_seconds.push((a - s).num_seconds().max(0));
            }
        }

        let sweep = query(
            "SELECT swept_at, finished_at, expired, reminded, review_expired FROM sweeps ORDER BY finished_at DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let last_sweep = sweep
            .map(|r| {
                Ok::<_, StoreError>(SweepRecord {
                    swept_at: parse_ts(&r.try_get::<String, _>(0)?)?,
                    finished_at: parse_ts(&r.try_get::<String, _>(1)?)?,
                    expired: r.try_get(2)?,
                    reminded: r.try_get(3)?,
                    review_expired: r.try_get(4)?,
                })
            })
            .transpose()?;
        Ok(Overview {
            by_state,
            intake,
            expiring_7,
            expiring_30,
            emails_failed,
            events_failed,
            emails_pending,
            funnel,
            accept_seconds,
            last_sweep,
            watcher: self.watcher().await?,
        })
    }

    /// The emails that failed for good, newest first, at most `limit`.
    pub async fn failed_emails(&self, limit: i64) -> Result<Vec<OutboxRow>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT ?");
        query(&sql).bind(limit).fetch_all(&self.pool).await?.iter().map(row_to_outbox).collect()
    }

    /// The events that failed for good, newest first, at most `limit`.
    pub async fn failed_events(&self, limit: i64) -> Result<Vec<HookRow>> {
        let sql = format!("SELECT {HOOK_COLUMNS} FROM hook_events WHERE status = 'failed' ORDER BY id DESC LIMIT ?");
        query(&sql).bind(limit).fetch_all(&self.pool).await?.iter().map(row_to_hook).collect()
    }

    /// One email of the outbox.
    pub async fn outbox_email(&self, id: i64) -> Result<Option<OutboxRow>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?");
        query(&sql).bind(id).fetch_optional(&self.pool).await?.as_ref().map(row_to_outbox).transpose()
    }

    /// A request's decisions with their verdicts, oldest first, without the messages (`raw` left empty).
    pub async fn decisions(&self, request_id: i64) -> Result<Vec<EvidenceRow>> {
        let rows = query(
            "SELECT created_at, command, applied, verdict, sender FROM evidence WHERE request_id = ? ORDER BY id",
        )
        .bind(request_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EvidenceRow {
                    at: parse_ts(&r.try_get::<String, _>(0)?)?,
                    command: r.try_get(1)?,
                    applied: r.try_get::<i64, _>(2)? != 0,
                    verdict: r.try_get(3)?,
                    sender: r.try_get(4)?,
                    raw: Vec::new(),
                })
            })
            .collect()
    }

    /// The `n`th decision of a request (from 0, as `decisions` orders them), with its message.
    pub async fn decision(&self, request_id: i64, n: i64) -> Result<Option<EvidenceRow>> {
        let row = query(
            "SELECT created_at, command, applied, verdict, sender, raw FROM evidence WHERE request_id = ? \
             ORDER BY id LIMIT 1 OFFSET ?",
        )
        .bind(request_id)
        .bind(n)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(super::evidence::evidence_from_row).transpose()
    }

    /// Mail moved aside unread, newest first, at most `limit`.
    pub async fn set_aside_mail(&self, limit: i64) -> Result<Vec<InboundRow>> {
        // Literal values, as in the partial index inbound_set_aside, so the planner may take it.
        let sql = format!(
            "SELECT {INBOUND_COLUMNS} FROM inbound \
             WHERE outcome IN ('oversized', 'unreadable', 'unreadable_request') ORDER BY id DESC LIMIT ?"
        );
        query(&sql).bind(limit).fetch_all(&self.pool).await?.iter().map(inbound_row).collect()
    }

    /// Writes one line of the operators' actions log.
    pub async fn record_action(&self, a: &ActionRecord<'_>) -> Result<()> {
        let _writer = self.writer.lock().await;
        query(
            "INSERT INTO operator_actions (at, operator, via, action, target, outcome, detail) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(ts(a.at))
        .bind(a.operator)
        .bind(a.via)
        .bind(a.action)
        .bind(a.target)
        .bind(if a.done { "done" } else { "refused" })
        .bind(a.detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A page of the actions log, newest first, and whether another follows.
    pub async fn actions(&self, page: u32, per_page: u32) -> Result<(Vec<ActionRow>, bool)> {
        let rows = query(
            "SELECT at, operator, via, action, target, outcome, detail FROM operator_actions \
             ORDER BY id DESC LIMIT ? OFFSET ?",
        )
        .bind(i64::from(per_page) + 1)
        .bind(i64::from(page) * i64::from(per_page))
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() > per_page as usize;
        let actions = rows
            .iter()
            .take(per_page as usize)
            .map(|r| {
                Ok(ActionRow {
                    at: parse_ts(&r.try_get::<String, _>(0)?)?,
                    operator: r.try_get(1)?,
                    via: r.try_get(2)?,
                    action: r.try_get(3)?,
                    target: r.try_get(4)?,
                    outcome: r.try_get(5)?,
                    detail: r.try_get(6)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok((actions, more))
    }
}

/// The exact lookups a text can be: a reference (unique), a domain, a
/// customer's address, a partner's mailbox (each indexed). False: none.
fn exact_terms(b: &mut Builder, text: &str) -> bool {
    if let Some(r) = Reference::parse(text) {
        b.push("reference = ").push_bind(r.as_str().to_string());
        return true;
    }
    let mut terms = Vec::new();
    if let Ok(address) = EmailAddress::parse(text) {
        terms.push(("customer_email", address.as_str().to_string()));
        terms.push(("partner_mailbox", address.mailbox()));
    } else if text.contains('.')
        && let Ok(domain) = AccountDomain::parse(text)
    {
        terms.push(("account_domain", domain.as_str().to_string()));
    }
    if terms.is_empty() {
        return false;
    }
    b.push("(");
    for (i, (column, value)) in terms.into_iter().enumerate() {
        if i > 0 {
            b.push(" OR ");
        }
        b.push(column).push(" = ").push_bind(value);
    }
    b.push(")");
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operators_percent_and_underscore_are_searched_as_themselves() {
        assert_eq!(like_pattern("acme_1%"), "%acme\\_1\\%%");
    }

    #[test]
    fn every_sort_names_itself_and_ends_on_a_unique_column() {
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.name()), Some(s));
            for state in [None, Some(State::PendingCustomerAcceptance), Some(State::Active)] {
                let order = s.order(true, state);
                assert!(order.ends_with("id DESC") || order.starts_with("reference"), "{order}");
            }
        }
    }
}
