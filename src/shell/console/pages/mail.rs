//! `GET /mail`: mail set aside unread (too large, unreadable), newest first, each with its reprocess form.
use std::fmt::Write as _;

use hyper::StatusCode;

use super::super::Console;
use super::super::html::{self, csrf_field, cut, fill, when};
use super::super::http::Answer;
use super::super::routes::Req;

const SHOWN: i64 = 100;

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>) -> anyhow::Result<Answer> {
    let w = r.w;
    let rows = c.app.store.set_aside_mail(SHOWN).await?;
    let mut b = String::new();
    let _ = writeln!(b, "<p class=\"note\">{} {}</p>", w.mail_help, fill(w.latest, &[("n", &SHOWN.to_string())]));
    if rows.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", w.none_set_aside);
    } else {
        let cells = rows.iter().map(|m| {
            let form = if r.is_operator() {
                format!(
                    "<form method=\"post\" action=\"/mail/{}/reprocess\">{}<button type=\"submit\">{}</button></form>",
                    m.id,
                    csrf_field(&r.csrf),
                    w.reprocess_button
                )
            } else {
                String::new()
            };
            vec![
                format!("#{}", m.id),
                when(m.received_at),
                html::text(&m.outcome),
                html::text(m.sender.as_deref().unwrap_or("")),
                html::text(&cut(&m.subject, 120)),
                html::text(&cut(&m.detail, 300)),
                form,
            ]
        });
        b.push_str(&html::table(
            &["#", w.col_received, w.col_outcome, w.col_sender, w.col_subject, w.col_detail, ""],
            cells,
        ));
    }
    Ok(r.page(StatusCode::OK, w.mail_title, &b))
}
