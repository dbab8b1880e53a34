//! `Request`: one Smart Account request as the workflow sees it, and its JSON shape (SPEC §6).
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::domain::{AccountDomain, EmailAddress, Locale, Reference, State};

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// `None` until the store has inserted it.
    pub id: Option<i64>,
    pub reference: Reference,
    pub state: State,
    pub account_name: String,
    pub account_domain: AccountDomain,
    pub customer_email: EmailAddress,
    pub partner_email: EmailAddress,
    pub user_emails: Vec<EmailAddress>,
    pub note_to_customer: Option<String>,
    pub note_to_users: Option<String>,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub activated_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The smallest `reminder_days_before` already sent (the sweep's memory).
    pub last_reminder_days: Option<u32>,
    /// The partner's display name, from the From header of their form.
    pub partner_name: Option<String>,
    /// The partner's organization, from the form's `Partner company` field.
    pub partner_company: Option<String>,
    /// When retention erased the personal data (`retention.closed_days`).
    pub erased_at: Option<DateTime<Utc>>,
}

/// RFC 3339 UTC with seconds, the one timestamp format of the JSON output and the database.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The JSON object of `requests list --json` / `requests show --json`.
#[derive(Debug, Serialize)]
pub struct RequestJson {
    pub reference: String,
    pub state: &'static str,
    pub account_name: String,
    pub account_domain: String,
    pub customer_email: String,
    pub partner_email: String,
    pub user_emails: Vec<String>,
    pub note_to_customer: Option<String>,
    pub note_to_users: Option<String>,
    pub locale: &'static str,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub expires_at: Option<String>,
    pub activated_at: Option<String>,
    pub closed_at: Option<String>,
    pub partner_name: Option<String>,
    pub partner_company: Option<String>,
    /// Set when retention erased the personal data; the reference, state and dates stay.
    pub erased_at: Option<String>,
}

impl From<&Request> for RequestJson {
    fn from(r: &Request) -> Self {
        RequestJson {
            reference: r.reference.to_string(),
            state: r.state.as_str(),
            account_name: r.account_name.clone(),
            account_domain: r.account_domain.to_string(),
            customer_email: r.customer_email.to_string(),
            partner_email: r.partner_email.to_string(),
            user_emails: r.user_emails.iter().map(ToString::to_string).collect(),
            note_to_customer: r.note_to_customer.clone(),
            note_to_users: r.note_to_users.clone(),
            locale: r.locale.as_str(),
            created_at: rfc3339(r.created_at),
            submitted_at: r.submitted_at.map(rfc3339),
            expires_at: r.expires_at.map(rfc3339),
            activated_at: r.activated_at.map(rfc3339),
            closed_at: r.closed_at.map(rfc3339),
            partner_name: r.partner_name.clone(),
            partner_company: r.partner_company.clone(),
            erased_at: r.erased_at.map(rfc3339),
        }
    }
}
