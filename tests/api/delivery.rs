//! The outbox: mail decided while SMTP is down is delivered by the next pass, once.
use smartacct::domain::State;

use crate::helpers::*;

#[tokio::test]
async fn with_smtp_unreachable_the_request_is_recorded_and_the_next_poll_delivers_each_email_once() {
    // A port nothing listens on: the desk's SMTP server is "down".
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desk = TestDesk::with(DeskOptions { review: false, smtp_port: closed, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;

    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance, "the request is committed whatever SMTP does");
    let queued = desk.app.store.list_outbox(false).await.unwrap();
    assert_eq!(queued.len(), 2);
    assert!(
        queued.iter().all(|o| o.status.as_str() == "pending" && o.attempts == 1 && o.last_error.is_some()),
        "{queued:?}"
    );
    assert_eq!(count(&desk.address, "Processed").await, 1, "the mail is taken: its effects are committed");

    // SMTP is back: the next pass delivers everything, whatever the backoff said.
    let desk = desk.reconfigure(DeskOptions { review: false, ..Default::default() }).await;
    desk.poll(1).await;
    inbox_exactly(&p.partner, 1).await;
    inbox_exactly(&p.customer, 1).await;
    assert!(desk.app.store.list_outbox(false).await.unwrap().iter().all(|o| o.status.as_str() == "sent"));

    // And a third pass sends nothing again.
    desk.poll(1).await;
    inbox_exactly(&p.partner, 1).await;
    inbox_exactly(&p.customer, 1).await;
}

#[tokio::test]
async fn an_email_that_cannot_be_sent_for_smtp_max_retry_hours_is_marked_failed_not_dropped() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desk = TestDesk::with(DeskOptions {
        smtp_port: closed,
        smtp_extra: "max_retry_hours = 0".into(),
        ..Default::default()
    })
    .await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    // A retry window of 0 hours: the first temporary failure is already past it.
    let failed = desk.app.store.list_outbox(true).await.unwrap();
    assert_eq!(failed.len(), 1, "the email is kept, marked failed");
    assert!(failed[0].last_error.as_deref().unwrap().contains("gave up after 0 h"), "{:?}", failed[0].last_error);
    assert_eq!(failed[0].attempts, 1);
    assert_eq!(desk.one().await.state, smartacct::domain::State::AwaitingReview, "the request itself is untouched");
}
