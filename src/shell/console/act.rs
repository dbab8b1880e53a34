//! The console's actions (POST, by an operator, with a valid CSRF token): each the command line's own, through
//! `shell/operator.rs`, under the operator's name. Done: 303 back with a flash; refused or stale: 409 saying why.
use chrono::Utc;
use hyper::StatusCode;

use super::Console;
use super::http::{self, Answer};
use super::routes::Req;
use crate::decide::{Actor, Via};
use crate::domain::Reference;
use crate::operator::{self, OperatorError, ReprocessError, RetryError};
use crate::store::Queue;

/// The longest reason a cancel takes (it is sent to the partner).
const MAX_REASON: usize = 2000;

pub(super) async fn post(c: &Console<'_>, r: &Req<'_>, form: &[(String, String)]) -> anyhow::Result<Answer> {
    let by = Actor { name: r.who.name.clone(), via: Via::Console };
    let now = Utc::now();
    let parts: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["requests", reference, action @ ("cancel" | "resend")] => {
            let Some(reference) = Reference::parse(reference) else { return Ok(r.not_found()) };
            let back = format!("/requests/{reference}");
            let done = if *action == "cancel" {
                let reason = http::value(form, "reason");
                if reason.is_some_and(|t| t.chars().count() > MAX_REASON) {
                    let message = format!("the reason is longer than {MAX_REASON} characters");
                    return Ok(r.problem(StatusCode::BAD_REQUEST, r.w.bad_request_title, &message, &back));
                }
                operator::cancel(c.app, &reference, reason, &by, now).await.map(|_| "cancelled")
            } else {
                operator::resend(c.app, &reference, &by, now).await.map(|_| "resent")
            };
            match done {
                Ok(flash) => {
                    (c.committed)();
                    Ok(http::see_other(&format!("{back}?done={flash}")))
                }
                Err(e) => Ok(refused_request(r, &e, &back)),
            }
        }
        ["outbox", which @ ("emails" | "events"), id, "retry"] => {
            let Ok(id) = id.parse::<i64>() else { return Ok(r.not_found()) };
            let queue = if *which == "emails" { Queue::Email } else { Queue::Hook };
            match operator::retry(c.app, queue, id, &by, now).await {
                Ok(()) => {
                    (c.committed)();
                    Ok(http::see_other("/outbox?done=retried"))
                }
                Err(RetryError::NoSuchEmail(_)) => Ok(r.not_found()),
                Err(e @ RetryError::NotFailed { .. }) => Ok(nothing_done(r, &e.to_string(), "/outbox")),
                Err(RetryError::Store(e)) => Err(e.into()),
            }
        }
        ["mail", id, "reprocess"] => {
            let Ok(id) = id.parse::<i64>() else { return Ok(r.not_found()) };
            match operator::release(c.app, id, &by).await {
                Ok(()) => {
                    // Mail from the LMTP door was read again here, its answers committed.
                    (c.committed)();
                    Ok(http::see_other("/mail?done=reprocessed"))
                }
                Err(e) => match e.downcast_ref::<ReprocessError>() {
                    Some(ReprocessError::NotSetAside(_)) => Ok(r.not_found()),
                    Some(refusal) => Ok(nothing_done(r, &refusal.to_string(), "/mail")),
                    // The mailbox could not be reached: said as it is, nothing was released.
                    None => {
                        tracing::error!(error = crate::telemetry::chain(e.as_ref()), id, "console: cannot reprocess");
                        let message = crate::domain::printable(&crate::telemetry::chain(e.as_ref())).into_owned();
                        Ok(r.problem(StatusCode::SERVICE_UNAVAILABLE, r.w.unavailable_title, &message, "/mail"))
                    }
                },
            }
        }
        _ => Ok(r.not_found()),
    }
}

/// 409: the action does not apply now (a closed request, one changed meanwhile); nothing was changed.
fn nothing_done(r: &Req<'_>, why: &str, back: &str) -> Answer {
    r.problem(StatusCode::CONFLICT, r.w.refused_title, why, back)
}

fn refused_request(r: &Req<'_>, e: &OperatorError, back: &str) -> Answer {
    match e {
        OperatorError::NoSuchRequest(_) => r.not_found(),
        OperatorError::NotApplicable(_) | OperatorError::ChangedMeanwhile(_) => nothing_done(r, &e.to_string(), back),
        OperatorError::Store(s) => {
            tracing::error!(error = crate::telemetry::chain(s), "console: an action found no database");
            r.problem(StatusCode::SERVICE_UNAVAILABLE, r.w.unavailable_title, r.w.unavailable, back)
        }
        OperatorError::Compose(_) => {
            tracing::error!(error = crate::telemetry::chain(e), "console: an action failed");
            let message = crate::domain::printable(&crate::telemetry::chain(e)).into_owned();
            r.problem(StatusCode::INTERNAL_SERVER_ERROR, r.w.refused_title, &message, back)
        }
    }
}
