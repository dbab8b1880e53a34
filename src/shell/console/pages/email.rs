//! `GET /emails/ID`: one email the desk queued, its delivery status, and its text as the recipient reads it.
use std::fmt::Write as _;

use hyper::StatusCode;

use super::super::Console;
use super::super::html::{self, block, esc, when};
use super::super::http::Answer;
use super::super::routes::Req;
use super::request::{SHOWN_BYTES, shown_message};

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>, id: &str) -> anyhow::Result<Answer> {
    let Ok(id) = id.parse::<i64>() else { return Ok(r.not_found()) };
    let store = &c.app.store;
    let Some(o) = store.outbox_email(id).await? else { return Ok(r.not_found()) };
    let w = r.w;
    let request = match o.request_id {
        Some(rid) => store.request_by_id(rid).await?,
        None => None,
    };
    let mut b = String::new();
    if let Some(q) = &request {
        let _ = writeln!(b, "<p><a class=\"mono\" href=\"/requests/{0}\">{0}</a></p>", q.reference);
    }
    let _ = writeln!(
        b,
        "<dl class=\"details\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd><span class=\"status-{status}\">{status}</span></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd>{}</dd></dl>",
        w.col_kind,
        o.kind.name(),
        w.to,
        html::text(&o.recipient),
        w.subject,
        html::text(&o.subject),
        w.col_status,
        w.col_attempts,
        o.attempts,
        w.col_created,
        when(o.created_at),
        w.col_error,
        o.last_error.as_deref().map(html::text).unwrap_or_else(|| "—".into()),
        status = o.status.as_str(),
    );
    let raw = store.outbox_raw(id).await?;
    if raw.is_empty() {
        let _ = write!(b, "<p class=\"note\">{}</p>", w.no_text);
    } else {
        match mail_parser::MessageParser::default().parse(&raw).and_then(|m| m.body_text(0).map(|t| t.into_owned())) {
            Some(text) => {
                let shown: String = text.chars().take(SHOWN_BYTES).collect();
                let more = if shown.len() < text.len() { format!("\n{}", esc(w.truncated)) } else { String::new() };
                let _ = writeln!(b, "<pre>{}{more}</pre>", block(&shown));
            }
            None => b.push_str(&shown_message(&raw, w.truncated)),
        }
    }
    let title = format!("{} #{id}", w.email_title);
    Ok(r.page(StatusCode::OK, &title, &b))
}
