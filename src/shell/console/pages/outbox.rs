//! `GET /outbox`: the emails and events that failed for good, newest first, each with its retry form.
use std::fmt::Write as _;

use hyper::StatusCode;

use super::super::Console;
use super::super::html::{self, csrf_field, cut, fill, when};
use super::super::http::Answer;
use super::super::routes::Req;

/// The newest failures shown; the command line lists them all (`outbox list --failed`).
const SHOWN: i64 = 100;

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>) -> anyhow::Result<Answer> {
    let w = r.w;
    let store = &c.app.store;
    let emails = store.failed_emails(SHOWN).await?;
    let events = store.failed_events(SHOWN).await?;
    let retry = |what: &str, id: i64| {
        if r.is_operator() {
            format!(
                "<form method=\"post\" action=\"/outbox/{what}/{id}/retry\">{}<button type=\"submit\">{}</button></form>",
                csrf_field(&r.csrf),
                w.retry_button
            )
        } else {
            String::new()
        }
    };
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"note\">{}</p>\n<h2>{}</h2>\n",
        fill(w.latest, &[("n", &SHOWN.to_string())]),
        w.failed_emails
    );
    if emails.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", w.none_failed);
    } else {
        let rows = emails.iter().map(|o| {
            vec![
                format!("<a href=\"/emails/{0}\">#{0}</a>", o.id),
                when(o.created_at),
                o.kind.name().to_string(),
                html::text(&o.recipient),
                o.attempts.to_string(),
                html::text(&cut(o.last_error.as_deref().unwrap_or(""), 300)),
                retry("emails", o.id),
            ]
        });
        b.push_str(&html::table(
            &["#", w.col_created, w.col_kind, w.col_recipient, w.col_attempts, w.col_error, ""],
            rows,
        ));
    }
    let _ = writeln!(b, "<h2>{}</h2>", w.failed_events);
    if events.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", w.none_failed);
    } else {
        let rows = events.iter().map(|h| {
            vec![
                format!("#{}", h.id),
                when(h.created_at),
                html::text(&h.kind),
                html::text(&h.event_id),
                h.attempts.to_string(),
                html::text(&cut(h.last_error.as_deref().unwrap_or(""), 300)),
                retry("events", h.id),
            ]
        });
        b.push_str(&html::table(&["#", w.col_created, w.col_kind, w.col_event, w.col_attempts, w.col_error, ""], rows));
    }
    Ok(r.page(StatusCode::OK, w.outbox_title, &b))
}
