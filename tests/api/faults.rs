//! Servers failing under the service, on a second mail stack so the other tests are not disturbed.
// Each test holds the fault stack's lock for its whole run (on its own thread and
// runtime): that is the point, so that two tests never stop its servers at once.
#![allow(clippy::await_holding_lock)]
use smartacct::domain::State;
use smartacct::store::OutboxStatus;

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

    // Sent once, judged by the desk's own record: one email per recipient, each handed
    // over successfully exactly once ("email sent") across the outage and the retry.
    let logs = format!("{}\n{}", run.log(), String::from_utf8_lossy(&out.stderr));
    let outbox = desk.app.store.list_outbox(false).await.unwrap();
    for row in &outbox {
        assert_eq!(row.status, OutboxStatus::Sent, "{row:?}");
        let sent =
            logs.lines().filter(|l| l.contains("email sent") && l.contains(&format!("outbox={} ", row.id))).count();
        assert_eq!(sent, 1, "outbox {} handed over {sent} times:\n{logs}", row.id);
    }
    // Nothing lost: each recipient got its one email. Postfix, stopped while its
    // delivery agent was handing a message to Dovecot, may deliver that message again
    // after its restart (an MTA delivers at least once); such a copy carries the same
    // Message-ID, while an email the desk decided twice would carry another.
    settle_on(FAULTS).await;
    for p in &people {
        for who in [&p.customer, &p.partner] {
            let rows: Vec<_> = outbox.iter().filter(|o| &o.recipient == who).collect();
            assert_eq!(rows.len(), 1, "one email for {who}: {rows:?}");
            let got = inbox_on(FAULTS, who, 1).await;
            assert!(
                got.iter().all(|m| m.message_id == rows[0].message_id),
                "{who} holds only the desk's one email {}: {:?}",
                rows[0].message_id,
                got.iter().map(|m| (&m.subject, &m.message_id)).collect::<Vec<_>>()
            );
        }
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
