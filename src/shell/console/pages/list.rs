//! `GET /requests?state=STATE&q=TEXT&sort=…&order=…&page=N`: the requests, filtered, searched, sorted, 50 a page.
use std::fmt::Write as _;

use hyper::StatusCode;

use super::super::Console;
use super::super::html::{self, cut, esc, when};
use super::super::http::Answer;
use super::super::routes::Req;
use super::{page_index, pager, state_badge};
use crate::domain::State;
use crate::store::{RequestQuery, Sort};

pub const PER_PAGE: u32 = 50;

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>) -> anyhow::Result<Answer> {
    let w = r.w;
    let state = r.param("state").and_then(State::parse);
    let text = r.param("q").map(|q| cut(q, 200).into_owned());
    let sort = r.param("sort").and_then(Sort::parse).unwrap_or_default();
    let descending = match r.param("order") {
        Some("asc") => false,
        Some("desc") => true,
        _ => sort == Sort::Created,
    };
    let page = page_index(r);
    let q = RequestQuery { state, text: text.clone(), sort, descending, page, per_page: PER_PAGE };
    let found = c.app.store.find_requests(&q).await?;

    let mut b = String::new();
    let _ = write!(
        b,
        "<form class=\"filters\" method=\"get\" action=\"/requests\">\
         <label>{}<select name=\"state\"><option value=\"\">{}</option>",
        w.filter_state, w.any_state
    );
    for s in State::ALL {
        let selected = if state == Some(s) { " selected" } else { "" };
        let _ = write!(b, "<option value=\"{0}\"{selected}>{0}</option>", s.as_str());
    }
    let _ = write!(
        b,
        "</select></label><label>{}<input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"{}\" size=\"36\"></label>\
         <label>{}<select name=\"sort\">",
        w.search,
        esc(text.as_deref().unwrap_or("")),
        esc(w.search_hint),
        w.sort
    );
    let names = [w.col_created, w.col_reference, w.col_domain, w.col_state, w.col_expires];
    for (s, name) in Sort::ALL.iter().zip(names) {
        let selected = if *s == sort { " selected" } else { "" };
        let _ = write!(b, "<option value=\"{}\"{selected}>{}</option>", s.name(), esc(name));
    }
    let _ = writeln!(
        b,
        "</select></label><label>&#8597;<select name=\"order\"><option value=\"desc\"{}>{}</option>\
         <option value=\"asc\"{}>{}</option></select></label><button type=\"submit\">{}</button></form>",
        if descending { " selected" } else { "" },
        w.newest_first,
        if descending { "" } else { " selected" },
        w.oldest_first,
        w.show
    );

    if found.requests.is_empty() {
        let _ = write!(b, "<p>{}</p>", w.no_requests);
    } else {
        let rows = found.requests.iter().map(|x| {
            vec![
                format!("<a class=\"mono\" href=\"/requests/{0}\">{0}</a>", x.reference),
                state_badge(x.state),
                html::text(&cut(&x.account_name, 60)),
                html::text(&x.account_domain.for_people()),
                html::text(x.customer_email.as_str()),
                html::text(x.partner_email.as_str()),
                when(x.created_at),
                x.expires_at.map(when).unwrap_or_default(),
            ]
        });
        b.push_str(&html::table(
            &[
                w.col_reference,
                w.col_state,
                w.col_account,
                w.col_domain,
                w.col_customer,
                w.col_partner,
                w.col_created,
                w.col_expires,
            ],
            rows,
        ));
    }
    b.push_str(&pager(r, page, found.more));
    Ok(r.page(StatusCode::OK, w.requests_title, &b))
}
