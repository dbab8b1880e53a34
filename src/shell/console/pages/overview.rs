//! `GET /`: requests by state, the week's intake, what expires soon, what fails, the watcher's and the
//! sweep's health, the funnel and the time to accept.
use std::fmt::Write as _;

use chrono::Utc;
use hyper::StatusCode;

use super::super::Console;
use super::super::charts;
use super::super::html::{esc, fill, when};
use super::super::http::Answer;
use super::super::routes::Req;

/// A watcher the leader has not vouched for within this long is gone (as `/readyz` says).
const WATCHER_STALE: chrono::Duration = chrono::Duration::seconds(30);
/// A scheduled sweep that has not finished this long after its time is late, not running.
const SWEEP_GRACE: chrono::Duration = chrono::Duration::minutes(15);

pub(super) async fn page(c: &Console<'_>, r: &Req<'_>) -> anyhow::Result<Answer> {
    let w = r.w;
    let now = Utc::now();
    let o = c.app.store.overview(now).await?;
    let mut b = String::new();

    b.push_str("<div class=\"cards\">\n");
    // Requests by state, each linking to its list.
    let _ = write!(b, "<section class=\"card\"><h2>{}</h2><table><tbody>", w.by_state);
    for (state, n) in &o.by_state {
        let _ = write!(
            b,
            "<tr><td><a href=\"/requests?state={0}\">{0}</a></td><td class=\"num\">{n}</td></tr>",
            state.as_str()
        );
    }
    let _ = writeln!(
        b,
        "<tr><th>{}</th><th class=\"num\">{}</th></tr></tbody></table></section>",
        w.total, o.funnel.created
    );

    let _ = writeln!(
        b,
        "<section class=\"card\"><h2>{}</h2>\
         <p><a class=\"big\" href=\"/requests?state=pending_customer_acceptance&amp;sort=expires&amp;order=asc\">{}</a> {}</p>\
         <p><span class=\"big\">{}</span> {}</p></section>",
        w.expiring, o.expiring_7, w.expiring_7, o.expiring_30, w.expiring_30
    );
    let failed = |n: i64| {
        if n > 0 { format!("<span class=\"big warn\">{n}</span>") } else { format!("<span class=\"big\">{n}</span>") }
    };
    let _ = writeln!(
        b,
        "<section class=\"card\"><h2>{}</h2><p><a href=\"/outbox\">{}</a> {}</p><p><a href=\"/outbox\">{}</a> {}</p>\
         <p><span class=\"big\">{}</span> {}</p></section>",
        w.delivery,
        failed(o.emails_failed),
        w.emails_failed,
        failed(o.events_failed),
        w.events_failed,
        o.emails_pending,
        w.emails_waiting
    );

    // The mailbox watcher, as the leader last said, and the last sweep.
    let watcher = match &o.watcher {
        _ if c.app.settings.imap.is_none() => format!("<p>{}</p>", w.watcher_lmtp),
        None => format!("<p class=\"warn\">{}</p>", w.watcher_none),
        Some(x) if now - x.seen_at > WATCHER_STALE => format!(
            "<p class=\"warn\">{}</p>",
            fill(w.watcher_stale, &[("holder", &esc(&x.holder)), ("seen", &when(x.seen_at))])
        ),
        Some(x) if !x.imap_connected => {
            format!("<p class=\"warn\">{}</p>", fill(w.watcher_disconnected, &[("holder", &esc(&x.holder))]))
        }
        Some(x) => format!("<p>{}</p>", fill(w.watcher_connected, &[("holder", &esc(&x.holder))])),
    };
    let sweep = match &o.last_sweep {
        None => format!("<p>{}</p>", w.sweep_none),
        Some(s) => {
            let sw = &c.app.settings.sweep;
            let last = c.app.store.last_scheduled_sweep().await?;
            let late = last.is_some() && crate::schedule::missed(&sw.schedule, sw.timezone, last, now - SWEEP_GRACE);
            format!(
                "<p>{}</p><p>{}</p>{}",
                fill(w.sweep_finished, &[("finished", &when(s.finished_at)), ("swept", &when(s.swept_at))]),
                fill(
                    w.sweep_counts,
                    &[
                        ("expired", &s.expired.to_string()),
                        ("reminded", &s.reminded.to_string()),
                        ("closed", &s.review_expired.to_string())
                    ]
                ),
                if late { format!("<p class=\"warn\">{}</p>", w.sweep_missed) } else { String::new() }
            )
        }
    };
    let _ = write!(
        b,
        "<section class=\"card\"><h2>{}</h2><h3>{}</h3>{watcher}<h3>{}</h3>{sweep}</section>\n</div>\n",
        w.health, w.watcher, w.last_sweep
    );

    // The week's intake, a bar a day.
    let week: i64 = o.intake.iter().map(|(_, n)| n).sum();
    let days: Vec<(String, i64)> = o.intake.iter().map(|(d, n)| (d.format("%m-%d").to_string(), *n)).collect();
    let _ = writeln!(
        b,
        "<h2>{}</h2><p>{}</p>{}",
        w.this_week,
        fill(w.intake_total, &[("n", &week.to_string())]),
        charts::columns(w.this_week, &days)
    );

    let f = &o.funnel;
    let rows = [
        (w.funnel_created, f.created),
        (w.funnel_submitted, f.submitted),
        (w.funnel_active, f.active),
        (w.funnel_declined, f.declined),
        (w.funnel_expired, f.expired),
        (w.funnel_cancelled, f.cancelled),
    ];
    let _ = writeln!(b, "<h2>{}</h2>{}", w.funnel, charts::bars(w.funnel, &rows));

    let _ = write!(b, "<h2>{}</h2>", w.accept_time);
    match charts::median_days(&o.accept_seconds) {
        None => {
            let _ = writeln!(b, "<p>{}</p>", w.accept_none);
        }
        Some(median) => {
            let median = format!("{median}{}", w.days_short);
            let _ = writeln!(
                b,
                "<p>{}</p>{}",
                fill(w.accept_summary, &[("n", &o.accept_seconds.len().to_string()), ("median", &median)]),
                charts::columns(w.accept_time, &charts::accept_buckets(&o.accept_seconds, w.days_short))
            );
        }
    }
    Ok(r.page(StatusCode::OK, w.overview_title, &b))
}
