//! `GET /requests/REFERENCE`: one request, its details, its timeline (history, emails, events, decisions)
//! and, for an operator while it is live, the cancel and resend forms; its decisions' messages.
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use hyper::StatusCode;

use super::super::Console;
use super::super::html::{self, block, csrf_field, cut, esc, fill, when};
use super::super::http::{self, Answer};
use super::super::routes::Req;
use super::state_badge;
use crate::domain::{Locale, Reference};
use crate::request::Request;

/// The newest entries of a timeline shown: a request flooded with refused replies still fits a page.
const TIMELINE: usize = 150;
/// A history line or an error, cut to this many characters.
const DETAIL: usize = 300;
/// A message shown on a page, cut to this many bytes (the mbox has it whole).
pub(super) const SHOWN_BYTES: usize = 60 * 1024;

async fn load(c: &Console<'_>, reference: &str) -> anyhow::Result<Option<(Request, i64)>> {
    let Some(reference) = Reference::parse(reference) else { return Ok(None) };
    let request = c.app.store.request_by_reference(&reference).await?;
    Ok(request.and_then(|r| r.id.map(|id| (r, id))))
}

struct Entry {
    at: DateTime<Utc>,
    class: &'static str,
    what: String,
    detail: String,
}

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>, reference: &str) -> anyhow::Result<Answer> {
    let Some((q, id)) = load(c, reference).await? else { return Ok(r.not_found()) };
    let w = r.w;
    let store = &c.app.store;
    let (history, emails, events, decisions) = (
        store.events(id).await?,
        store.outbox_for_request(id).await?,
        store.hooks_for_request(id).await?,
        store.decisions(id).await?,
    );
    let reference = q.reference.as_str();
    let locale = if w.lang == "fr" { Locale::Fr } else { Locale::En };

    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p>{} {} — {}</p>",
        w.col_state,
        state_badge(q.state),
        esc(crate::i18n::state_label(q.state, locale))
    );

    // The form's fields and the dates.
    let mut dl = String::from("<dl class=\"details\">");
    let mut field = |label: &str, value: String| {
        let _ = write!(dl, "<dt>{}</dt><dd>{}</dd>", esc(label), if value.is_empty() { "—".into() } else { value });
    };
    field(w.account_name, html::text(&q.account_name));
    field(w.account_domain, html::text(&q.account_domain.for_people()));
    field(w.customer, html::text(q.customer_email.as_str()));
    let partner = match &q.partner_name {
        Some(n) => format!("{} &lt;{}&gt;", html::text(n), html::text(q.partner_email.as_str())),
        None => html::text(q.partner_email.as_str()),
    };
    field(w.partner, partner);
    field(w.partner_company, q.partner_company.as_deref().map(html::text).unwrap_or_default());
    field(w.users, html::text(&q.user_emails.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", ")));
    field(w.language, q.locale.as_str().into());
    field(w.note_customer, q.note_to_customer.as_deref().map(block).unwrap_or_default());
    field(w.note_users, q.note_to_users.as_deref().map(block).unwrap_or_default());
    field(w.created, when(q.created_at));
    for (label, t) in [
        (w.submitted, q.submitted_at),
        (w.expires, q.expires_at),
        (w.activated, q.activated_at),
        (w.closed, q.closed_at),
        (w.erased, q.erased_at),
    ] {
        if let Some(t) = t {
            field(label, when(t));
        }
    }
    dl.push_str("</dl>\n");
    let _ = write!(b, "<h2>{}</h2>{dl}", w.details);

    // What an operator may do now.
    let _ = writeln!(b, "<h2>{}</h2>", w.operator_actions);
    if !r.is_operator() {
        let _ = writeln!(b, "<p class=\"note\">{}</p>", w.viewer_note);
    } else if !q.state.is_live() {
        let _ = writeln!(b, "<p class=\"note\">{}</p>", w.closed_note);
    } else {
        let _ = write!(
            b,
            "<div class=\"act\"><form method=\"post\" action=\"/requests/{reference}/cancel\">{csrf}\
             <label for=\"reason\">{}</label><textarea id=\"reason\" name=\"reason\" maxlength=\"2000\"></textarea>\
             <p class=\"note\">{}</p><button class=\"danger\" type=\"submit\">{}</button></form></div>\n\
             <div class=\"act\"><form method=\"post\" action=\"/requests/{reference}/resend\">{csrf}\
             <p class=\"note\">{}</p><button type=\"submit\">{}</button></form></div>\n",
            w.cancel_reason,
            w.cancel_help,
            w.cancel_button,
            w.resend_help,
            w.resend_button,
            csrf = csrf_field(&r.csrf),
        );
    }

    // One timeline: history lines, emails, events and decisions, by time.
    let mut entries: Vec<Entry> = Vec::new();
    for e in &history {
        entries.push(Entry {
            at: e.at,
            class: "tl-history",
            what: format!("{}: {}", w.tl_history, e.kind.name()),
            detail: html::text(&cut(&e.detail, DETAIL)),
        });
    }
    for o in &emails {
        let error = o.last_error.as_deref().map(|e| format!(" — {}", html::text(&cut(e, DETAIL)))).unwrap_or_default();
        entries.push(Entry {
            at: o.created_at,
            class: "tl-email",
            what: format!("{}: {}", w.tl_email, o.kind.name()),
            detail: format!(
                "{} {} — <span class=\"status-{status}\">{status}</span> ({} {}){error} — <a href=\"/emails/{}\">{}</a>",
                w.to,
                html::text(&o.recipient),
                w.col_attempts,
                o.attempts,
                o.id,
                w.view,
                status = o.status.as_str(),
            ),
        });
    }
    for h in &events {
        let error = h.last_error.as_deref().map(|e| format!(" — {}", html::text(&cut(e, DETAIL)))).unwrap_or_default();
        entries.push(Entry {
            at: h.created_at,
            class: "tl-event",
            what: format!("{}: {}", w.tl_event, html::text(&h.kind)),
            detail: format!(
                "<span class=\"status-{status}\">{status}</span> ({} {}){error}",
                w.col_attempts,
                h.attempts,
                status = h.status.as_str()
            ),
        });
    }
    for (n, d) in decisions.iter().enumerate() {
        entries.push(Entry {
            at: d.at,
            class: "tl-decision",
            what: format!("{}: {}", w.tl_decision, html::text(&d.command)),
            detail: format!(
                "{} — {} {} — {} — <a href=\"/requests/{reference}/decisions/{}\">{}</a>",
                if d.applied { w.applied } else { w.not_applied },
                w.col_from,
                html::text(&d.sender),
                html::text(&cut(&d.verdict, DETAIL)),
                n + 1,
                w.view
            ),
        });
    }
    entries.sort_by_key(|e| e.at);
    let hidden = entries.len().saturating_sub(TIMELINE);
    let _ = writeln!(b, "<h2>{}</h2>", w.timeline);
    if hidden > 0 {
        let _ = writeln!(b, "<p class=\"note\">{}</p>", fill(w.earlier_hidden, &[("n", &hidden.to_string())]));
    }
    b.push_str(&format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>\n",
        w.col_when, w.col_what, w.col_detail
    ));
    for e in &entries[hidden..] {
        let _ = writeln!(
            b,
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            e.class,
            when(e.at),
            e.what,
            e.detail
        );
    }
    b.push_str("</tbody></table>\n");
    if !decisions.is_empty() {
        let _ = writeln!(b, "<p><a href=\"/requests/{reference}/evidence\">{}</a></p>", w.evidence_mbox);
    }
    Ok(r.page(StatusCode::OK, reference, &b))
}

/// `GET /requests/REFERENCE/evidence`: the messages behind the decisions, as `requests evidence` gives them.
pub(super) async fn mbox(c: &Console<'_>, r: &Req<'_>, reference: &str) -> anyhow::Result<Answer> {
    let Some((q, id)) = load(c, reference).await? else { return Ok(r.not_found()) };
    let proofs = c.app.store.evidence(id).await?;
    let answer = http::answer(StatusCode::OK, "application/mbox", crate::cli::mbox(&proofs));
    let answer =
        http::with_header(answer, "content-disposition", &format!("attachment; filename=\"{}.mbox\"", q.reference));
    Ok(http::with_header(answer, "cache-control", "no-store"))
}

/// `GET /requests/REFERENCE/decisions/N`: one decision's verdict and the message it was made from.
pub(super) async fn decision(c: &Console<'_>, r: &Req<'_>, reference: &str, n: &str) -> anyhow::Result<Answer> {
    let Some((q, id)) = load(c, reference).await? else { return Ok(r.not_found()) };
    let Some(n) = n.parse::<i64>().ok().filter(|n| *n >= 1) else { return Ok(r.not_found()) };
    let Some(d) = c.app.store.decision(id, n - 1).await? else { return Ok(r.not_found()) };
    let w = r.w;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p><a href=\"/requests/{0}\">{0}</a></p><dl class=\"details\"><dt>{1}</dt><dd>{2}</dd><dt>{3}</dt><dd>{4}</dd>\
         <dt>{5}</dt><dd>{6}</dd><dt>{7}</dt><dd>{8}</dd></dl>\n<h2>{9}</h2>\n",
        q.reference,
        w.col_when,
        when(d.at),
        w.col_from,
        html::text(&d.sender),
        w.col_action,
        html::text(&d.command),
        w.col_verdict,
        html::text(&d.verdict),
        w.raw_message
    );
    b.push_str(&shown_message(&d.raw, w.truncated));
    let title = format!("{} — {} {n}", q.reference, w.tl_decision);
    Ok(r.page(StatusCode::OK, &title, &b))
}

/// A raw message in a `<pre>`, cut to `SHOWN_BYTES`.
pub(super) fn shown_message(raw: &[u8], truncated: &str) -> String {
    let text = String::from_utf8_lossy(&raw[..raw.len().min(SHOWN_BYTES)]);
    let more = if raw.len() > SHOWN_BYTES { format!("\n{}", esc(truncated)) } else { String::new() };
    format!("<pre>{}{more}</pre>\n", block(&text.replace("\r\n", "\n")))
}
