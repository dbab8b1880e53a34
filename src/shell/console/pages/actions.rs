//! `GET /actions`: the operators' actions log, newest first, from the console and the command line alike.
use hyper::StatusCode;

use super::super::Console;
use super::super::html::{self, cut, when};
use super::super::http::Answer;
use super::super::routes::Req;
use super::{page_index, pager};

const PER_PAGE: u32 = 50;

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>) -> anyhow::Result<Answer> {
    let w = r.w;
    let page = page_index(r);
    let (actions, more) = c.app.store.actions(page, PER_PAGE).await?;
    let mut b = String::new();
    if actions.is_empty() {
        b.push_str(&format!("<p>{}</p>\n", w.none_actions));
    } else {
        let rows = actions.iter().map(|a| {
            // A reference links to its request.
            let target = match crate::domain::Reference::parse(&a.target) {
                Some(reference) => format!("<a class=\"mono\" href=\"/requests/{reference}\">{reference}</a>"),
                None => html::text(&a.target),
            };
            vec![
                when(a.at),
                html::text(&a.operator),
                html::text(&a.via),
                html::text(&a.action),
                target,
                html::text(&a.outcome),
                html::text(&cut(&a.detail, 300)),
            ]
        });
        b.push_str(&html::table(
            &[w.col_when, w.col_operator, w.col_via, w.col_action, w.col_target, w.col_outcome, w.col_detail],
            rows,
        ));
    }
    b.push_str(&pager(r, page, more));
    Ok(r.page(StatusCode::OK, w.actions_title, &b))
}
