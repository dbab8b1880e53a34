//! The state-change event of SPEC §11, as the provisioning system receives it (pure).
use chrono::{DateTime, Utc};

use crate::request::{Request, RequestJson, rfc3339};

/// One event: `{"id", "type": "request.<state>", "time", "request": {…}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct HookEvent {
    /// `<reference>.<state>`: a request enters each state at most once, so the
    /// id is stable across retries and restarts, and receivers deduplicate on it.
    pub id: String,
    pub kind: String,
    /// The JSON body, exactly as sent (and signed).
    pub body: String,
}

/// The event for a request that has just entered its current state.
pub fn entered(request: &Request, now: DateTime<Utc>) -> HookEvent {
    let id = format!("{}.{}", request.reference, request.state.as_str());
    let kind = format!("request.{}", request.state.as_str());
    let body = serde_json::json!({
        "id": id,
        "type": kind,
        "time": rfc3339(now),
        "request": RequestJson::from(request),
    })
    .to_string();
    HookEvent { id, kind, body }
}
