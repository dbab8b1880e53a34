//! Servers failing under the service, on a second mail stack so the other tests are not disturbed.
// Each test holds the fault stack's lock for its whole run (on its own thread and
// runtime): that is the point, so that two tests never stop its servers at once.
#![allow(clippy::await_holding_lock)]
use smartacct::domain::State;

use crate::helpers::*;

#[tokio::test]
async fn postfix_stopped_mid_batch_loses_nothing_and_sends_everything_once_when_back() {
    let _stack = fault_stack();
    let desk = TestDesk::with(DeskOptions { review: false, ..DeskOptions::on(FAULTS) }).await;
    // Enough mail that stopping Postfix (which takes a moment) lands mid-batch.
    let people: Vec<People> = (0..20).map(|_| People::new()).collect();
    for p in &people {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_on(FAULTS).await;
    }
    wait_total_on(FAULTS, &desk.address, people.len()).await;

    let mut run = desk.start(&["run"], &[("SMARTACCT_TEST_SLOW_MS", "100")]);
    wait_until("a first message processed", || async { count_on(FAULTS, &desk.address, "Processed").await >= 1 }).await;
    FAULTS.script("stop-smtp");
    wait_until("every message processed", || async { count_on(FAULTS, &desk.address, "INBOX").await == 0 }).await;
    wait_until("the outbox to report failed sends", || async {
        desk.app.store.list_outbox(false).await.unwrap().iter().any(|o| o.last_error.is_some())
    })
    .await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    assert!(run.log().contains("cannot deliver email"), "the outage is logged:\n{}", run.log());

    FAULTS.script("start-smtp");
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(desk.requests().await.len(), people.len());
    assert!(desk.requests().await.iter().all(|r| r.state == State::PendingCustomerAcceptance));
    for p in &people {
        inbox_exactly_on(FAULTS, &p.customer, 1).await;
        inbox_exactly_on(FAULTS, &p.partner, 1).await;
    }
}

#[tokio::test]
async fn after_dovecot_restarts_under_an_idling_service_new_mail_is_still_processed() {
    let _stack = fault_stack();
    let desk =
        TestDesk::with(DeskOptions { imap_extra: "poll_interval_secs = 3600".into(), ..DeskOptions::on(FAULTS) }).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    assert!(run.wait_log("IDLE: waiting for new mail").await, "{}", run.log());
    FAULTS.script("restart-imap");
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_on(FAULTS).await;
    let review = inbox_on(FAULTS, &p.partner, 1).await;
    assert!(review[0].tag().unwrap().starts_with("rev-"));
    assert!(run.log().contains("watching the mailbox"), "{}", run.log());
    assert_eq!(run.log().matches("watching the mailbox").count(), 2, "it reconnected once:\n{}", run.log());
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}
