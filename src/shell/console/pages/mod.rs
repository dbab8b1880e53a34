//! The console's pages (GET): each reads the store through bounded queries and renders HTML on the server.
mod actions;
mod email;
mod list;
mod mail;
mod outbox;
mod overview;
mod request;

use super::Console;
use super::html::esc;
use super::http::Answer;
use super::routes::Req;
use crate::domain::State;

pub(super) async fn get(c: &Console<'_>, r: &Req<'_>) -> anyhow::Result<Answer> {
    let parts: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => overview::page(c, r).await,
        ["requests"] => list::page(c, r).await,
        ["requests", reference] => request::page(c, r, reference).await,
        ["requests", reference, "evidence"] => request::mbox(c, r, reference).await,
        ["requests", reference, "decisions", n] => request::decision(c, r, reference, n).await,
        ["emails", id] => email::page(c, r, id).await,
        ["outbox"] => outbox::page(c, r).await,
        ["mail"] => mail::page(c, r).await,
        ["actions"] => actions::page(c, r).await,
        _ => Ok(r.not_found()),
    }
}

/// A state as SPEC §1 names it, in a badge coloured by whether it is live, active or closed.
pub(super) fn state_badge(state: State) -> String {
    let class = match state {
        s if s.is_live() => "live",
        State::Active => "active",
        _ => "closed",
    };
    format!("<span class=\"state {class}\">{}</span>", state.as_str())
}

/// Previous and next links that keep the rest of the query.
pub(super) fn pager(r: &Req<'_>, page: u32, more: bool) -> String {
    let link = |to: u32, label: &str| {
        let mut query: Vec<(String, String)> =
            r.query.iter().filter(|(k, _)| k != "page" && k != "done").cloned().collect();
        query.push(("page".into(), (to + 1).to_string()));
        let q: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish();
        format!("<a href=\"{}?{}\">{}</a>", esc(r.path), esc(&q), esc(label))
    };
    let mut out = String::from("<p class=\"pager\">");
    if page > 0 {
        out.push_str(&link(page - 1, r.w.previous));
    }
    out.push_str(&format!("<span>{}</span>", esc(&r.w.page.replace("{n}", &(page + 1).to_string()))));
    if more {
        out.push_str(&link(page + 1, r.w.next));
    }
    out.push_str("</p>\n");
    out
}

/// `page=N` of the query (from 1), as an index from 0; a nonsense value is the first page.
pub(super) fn page_index(r: &Req<'_>) -> u32 {
    r.param("page").and_then(|p| p.parse::<u32>().ok()).map_or(0, |p| p.saturating_sub(1)).min(100_000)
}
