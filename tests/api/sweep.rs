//! The nightly sweep, travelling in time with `sweep --now`: expiry, reminders, review expiry, catch-up.
use chrono::{DateTime, Duration, Utc};
use smartacct::domain::State;

use crate::helpers::*;

/// A pending request (review off) and its activation email; returns the expiry time.
async fn pending(desk: &TestDesk, p: &People) -> (DateTime<Utc>, Received) {
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(desk.requests().await.len() + 1).await;
    let r = desk.requests().await.into_iter().find(|r| r.account_domain.as_str() == p.domain).unwrap();
    let act = inbox(&p.customer, 1).await.remove(0);
    (r.expires_at.unwrap(), act)
}

async fn no_review() -> TestDesk {
    TestDesk::with(DeskOptions { review: false, ..Default::default() }).await
}

#[tokio::test]
async fn a_request_expires_after_90_days_and_both_sides_are_told_once() {
    let desk = no_review().await;
    let p = People::new();
    let (expires, _) = pending(&desk, &p).await;
    let created = desk.one().await.submitted_at.unwrap();

    let report = desk.sweep(created + Duration::days(89) + Duration::hours(23)).await;
    assert_eq!((report.expired, report.reminded), (0, 1), "an hour before expiry: the 7-day reminder, no expiry");
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);

    let report = desk.sweep(created + Duration::days(91)).await;
    assert_eq!(report.expired, 1);
    let r = desk.one().await;
    assert_eq!(r.state, State::Expired);
    assert_eq!(r.closed_at, Some(created + Duration::days(91)));
    let customer = inbox_exactly(&p.customer, 3).await; // activation, reminder, and the expiry notice
    // Postfix may deliver two queued emails in either order: found by subject.
    let notice = customer.iter().find(|m| m.subject.contains("expired")).expect("the expiry notice");
    assert!(notice.subject.contains(r.reference.as_str()) && notice.subject.contains("expired"), "{}", notice.subject);
    let date = smartacct::i18n::date(expires, smartacct::domain::Locale::En);
    assert!(notice.text.contains(&date), "the notice says when it expired ({date}):\n{}", notice.text);
    assert!(notice.text.contains(&p.partner), "and that the partner can ask again");
    assert_eq!(notice.header("Auto-Submitted").as_deref(), Some("auto-generated"));
    let partner = inbox_exactly(&p.partner, 2).await; // request_complete, then the expiry notice
    assert!(partner[1].subject.contains(r.reference.as_str()));

    let report = desk.sweep(created + Duration::days(92)).await;
    assert_eq!(report, Default::default());
    inbox_exactly(&p.customer, 3).await;
    inbox_exactly(&p.partner, 2).await;
}

#[tokio::test]
async fn reminders_go_30_and_7_days_before_each_once_with_the_same_reply_address() {
    let desk = no_review().await;
    let p = People::new();
    let (expires, act) = pending(&desk, &p).await;
    for (at, reminded) in [(31, 0), (30, 1), (29, 0), (20, 0), (7, 1), (6, 0), (1, 0)] {
        let report = desk.sweep(expires - Duration::days(at) + Duration::minutes(1)).await;
        assert_eq!(report.reminded, reminded, "{at} days before expiry");
    }
    let customer = inbox_exactly(&p.customer, 3).await;
    for reminder in &customer[1..] {
        assert_eq!(reminder.reply_to, act.reply_to, "a reminder carries the activation's act- address");
        assert!(reminder.text.contains("ACCEPT"));
    }
    assert!(customer[1].text.contains("30 days"), "{}", customer[1].text);
    assert!(customer[2].text.contains("7 days"), "{}", customer[2].text);
    // Accepting from the reminder works.
    customer[2].send_reply(&p.customer, "ACCEPT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::Active);
}

#[tokio::test]
async fn one_sweep_past_both_reminder_moments_sends_one_reminder() {
    let desk = no_review().await;
    let p = People::new();
    let (expires, _) = pending(&desk, &p).await;
    let report = desk.sweep(expires - Duration::days(5)).await;
    assert_eq!(report.reminded, 1);
    let customer = inbox_exactly(&p.customer, 2).await;
    assert!(customer[1].text.contains("5 days"), "{}", customer[1].text);
    assert_eq!(desk.sweep(expires - Duration::days(4)).await.reminded, 0);
    // Expiring in the same pass as a reminder moment: the expiry notice only.
    let p2 = People::new();
    let (expires2, _) = pending(&desk, &p2).await;
    let report = desk.sweep(expires2 + Duration::hours(1)).await;
    assert_eq!((report.expired, report.reminded), (2, 0), "both requests expire; nobody gets a reminder");
    let notices = inbox_exactly(&p2.customer, 2).await;
    assert!(notices[1].subject.contains("expired"), "{}", notices[1].subject);
}

#[tokio::test]
async fn an_accept_after_expiry_is_answered_and_changes_nothing_and_the_domain_is_free_again() {
    let desk = no_review().await;
    let p = People::new();
    let (expires, act) = pending(&desk, &p).await;
    desk.sweep(expires + Duration::days(1)).await;
    act.send_reply(&p.customer, "ACCEPT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::Expired);
    let customer = inbox_exactly(&p.customer, 3).await;
    assert!(customer[2].text.contains("expired"), "{}", customer[2].text);
    settle().await;
    assert_eq!(count(&p.user1, "INBOX").await, 0);

    // The partner asks again for the same domain: a fresh request.
    Outgoing::text(&p.partner, &desk.address, "Smart Account request, again", &p.form_en()).send().await;
    desk.poll(3).await;
    let states: Vec<State> = desk.requests().await.iter().map(|r| r.state).collect();
    assert_eq!(states, [State::Expired, State::PendingCustomerAcceptance]);
}

#[tokio::test]
async fn a_request_not_submitted_within_review_days_is_closed_and_the_partner_told() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let created = desk.one().await.created_at;
    assert_eq!(desk.sweep(created + Duration::days(13)).await.review_expired, 0);
    assert_eq!(desk.sweep(created + Duration::days(14)).await.review_expired, 1);
    let r = desk.one().await;
    assert_eq!(r.state, State::ReviewExpired);
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].subject.contains(r.reference.as_str()));
    assert_eq!(desk.sweep(created + Duration::days(15)).await.review_expired, 0);
    // A late SUBMIT is answered, not applied.
    partner[0].send_reply(&p.partner, "SUBMIT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::ReviewExpired);
    settle().await;
    assert_eq!(count(&p.customer, "INBOX").await, 0);
}

#[tokio::test]
async fn the_sweep_command_takes_now_and_refuses_a_bad_time() {
    let desk = no_review().await;
    let p = People::new();
    let (expires, _) = pending(&desk, &p).await;
    let at = smartacct::request::rfc3339(expires + Duration::days(1));
    let out = desk.bin().args(["sweep", "--now", &at]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(desk.one().await.state, State::Expired);
    inbox_exactly(&p.customer, 2).await;
    let out = desk.bin().args(["sweep", "--now", "tomorrow"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--now"));
}

#[tokio::test]
async fn run_catches_up_a_missed_sweep_on_start_and_stops_cleanly_on_sigterm() {
    let desk = no_review().await;
    // The last sweep was two nights ago: the 02:00 sweeps since were missed.
    let two_days_ago = Utc::now() - Duration::days(2);
    desk.sweep(two_days_ago).await;
    let mut run = desk.start(&["run"], &[]);
    let store = &desk.app.store;
    wait_until("run to catch up the missed sweep", || async {
        store.last_scheduled_sweep().await.unwrap().is_some_and(|t| t > two_days_ago + Duration::hours(1))
    })
    .await;
    assert!(run.wait_log("a scheduled sweep was missed").await, "{}", run.log());
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_sweep_as_of_a_future_time_never_postpones_the_scheduled_sweeps() {
    let desk = no_review().await;
    let p = People::new();
    pending(&desk, &p).await;
    let started = Utc::now();
    let out = desk.bin().args(["sweep", "--now", "2030-01-01T00:00:00Z"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(desk.one().await.state, State::Expired, "the operator's sweep did its work as of 2030");
    let store = &desk.app.store;
    assert_eq!(store.last_scheduled_sweep().await.unwrap(), None, "and left the schedule's record alone");

    // `run` owes tonight's sweep all the same (before: "done already" every night until 2030).
    let mut run = desk.start(&["run"], &[]);
    wait_until("run to sweep on its schedule", || async {
        store.last_scheduled_sweep().await.unwrap().is_some_and(|t| t >= started - Duration::seconds(1))
    })
    .await;
    assert!(run.wait_log("a scheduled sweep was missed").await, "{}", run.log());
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    let last = store.last_scheduled_sweep().await.unwrap().unwrap();
    assert!(last < started + Duration::hours(1), "the wall clock, not 2030: {last}");

    // And a past --now neither.
    desk.sweep(Utc::now() - Duration::days(30)).await;
    assert_eq!(store.last_scheduled_sweep().await.unwrap(), Some(last));
}

#[tokio::test]
async fn a_request_changed_between_the_sweeps_read_and_its_commit_is_left_out_and_the_rest_of_its_batch_applies() {
    use smartacct::decide::{self, Env, SweepStep};
    let desk = no_review().await;
    let people = [People::new(), People::new(), People::new()];
    let mut expires = Vec::new();
    for p in &people {
        expires.push(pending(&desk, p).await.0);
    }
    let now = *expires.iter().max().unwrap() + Duration::days(1);

    // The sweep reads its page and decides...
    let (app, composer) = (&desk.app, desk.app.composer());
    let (rows, _) = app.store.due(&SweepStep::Expire.due(now, &app.settings), None, 100).await.unwrap();
    assert_eq!(rows.len(), 3);
    let env = Env { settings: &app.settings, now, new_reference: smartacct::domain::Reference::generate() };
    let batch: Vec<smartacct::store::Planned> = rows
        .iter()
        .map(|r| {
            let decision = decide::sweep(SweepStep::Expire, r, &env);
            let outgoing = decision.emails.iter().map(|p| composer.defer(p)).collect();
            (decision, outgoing)
        })
        .collect();
    // ...while the second request changes (as a reply or an operator would change it)...
    let raced = desk.requests().await.into_iter().find(|r| r.account_domain.as_str() == people[1].domain).unwrap();
    let by = smartacct::decide::Actor { name: "test".into(), via: smartacct::decide::Via::CommandLine };
    smartacct::operator::cancel(app, &raced.reference, Some("raced the sweep"), &by, now).await.unwrap();

    // ...and its commit applies the other two, with their notices only.
    assert_eq!(app.store.commit_batch(&batch, now).await.unwrap(), 2);
    for (p, state) in people.iter().zip([State::Expired, State::Cancelled, State::Expired]) {
        let r = desk.requests().await.into_iter().find(|r| r.account_domain.as_str() == p.domain).unwrap();
        assert_eq!(r.state, state, "{}", p.domain);
        let expiry_notices = app
            .store
            .list_outbox(false)
            .await
            .unwrap()
            .into_iter()
            .filter(|o| o.request_id == r.id && o.kind.name().starts_with("expired_"))
            .count();
        assert_eq!(expiry_notices, if state == State::Expired { 2 } else { 0 }, "{}", p.domain);
    }
    // The next sweep finds nothing left to do.
    assert_eq!(desk.sweep(now).await, Default::default());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sweep_of_more_requests_than_a_batch_expires_each_once_and_queues_its_two_notices() {
    if sqlite_only("the test seeds the database file directly: it") {
        return;
    }
    // Three batches: the second and third are read while the one before commits.
    let n = 2 * smartacct::sweep::BATCH + 7;
    let desk = TestDesk::spawn().await;
    let pool = crate::bench::seed(&desk, n).await;
    let report = smartacct::sweep::sweep_once(&desk.app, Utc::now()).await.unwrap();
    assert_eq!(report.expired as i64, n);
    let expired: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM requests WHERE state = 'expired' AND closed_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(expired, n);
    let notices: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, COUNT(DISTINCT request_id) FROM outbox GROUP BY kind ORDER BY kind")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(notices, [("expired_customer".to_string(), n), ("expired_partner".to_string(), n)]);
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(queued, 2 * n, "one notice of each kind per request, none twice");
    assert_eq!(smartacct::sweep::sweep_once(&desk.app, Utc::now()).await.unwrap(), Default::default());
}
