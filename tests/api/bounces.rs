//! Bounces (SPEC §4): DSNs matched to the desk's email by VERP address or attached Message-ID.
use smartacct::domain::State;

use crate::helpers::*;

#[tokio::test]
async fn a_bounced_activation_email_makes_the_request_undeliverable_and_tells_the_partner() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    // Postfix accepts mail for nowhere.test, then bounces it with a real DSN
    // to the envelope sender: the desk's VERP address.
    let form = p.form_en().replace(&p.customer, "jane@nowhere.test");
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    desk.poll(2).await; // the DSN arrives and is read

    let r = desk.one().await;
    assert_eq!(r.state, State::Undeliverable);
    assert!(r.closed_at.is_some());
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].subject.contains(r.reference.as_str()), "{}", partner[1].subject);
    assert!(partner[1].text.contains("jane@nowhere.test"), "{}", partner[1].text);
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "undeliverable"), "{history:?}");
    let failed = desk.app.store.list_outbox(true).await.unwrap();
    assert_eq!(failed.len(), 1, "the bounced email shows as failed");
    assert_eq!(failed[0].kind, "activation");
    // The DSN itself is never answered.
    settle().await;
    inbox_exactly(&p.partner, 2).await;
}

/// A DSN as a remote server writes it, about the desk's email `original` sent to `rcpt`.
fn dsn(to: &str, rcpt: &str, original: &Received, action: &str, status: &str) -> (String, Vec<u8>) {
    let id = format!("dsn-{}@mx.customer.test", uid());
    let raw = format!(
        "From: Mail Delivery Subsystem <mailer-daemon@mx.customer.test>\r\nTo: {to}\r\nSubject: Delivery Status Notification\r\n\
Message-ID: <{id}>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
--R\r\nContent-Type: text/plain\r\n\r\nDelivery to the recipient is delayed.\r\n\
--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.test\r\n\r\n\
Final-Recipient: rfc822; {rcpt}\r\nAction: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; 451 mailbox busy\r\n\r\n\
--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{mid}>\r\nSubject: {subject}\r\n\r\n--R--\r\n",
        mid = original.message_id,
        subject = original.subject,
    )
    .into_bytes();
    (id, raw)
}

#[tokio::test]
async fn a_delayed_delivery_report_is_only_logged() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    // Sent to the bare desk address: matched by the attached Message-ID.
    let (id, report) = dsn(&desk.address, &p.customer, &activation, "delayed", "4.2.1");
    send_raw_on(MAIN, None, &desk.address, &report).await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert!(desk.app.store.list_outbox(true).await.unwrap().is_empty());
    settle().await;
    inbox_exactly(&p.partner, 1).await;
    inbox_exactly(&p.customer, 1).await;
    assert_eq!(desk.app.store.inbound_outcome(&id).await.unwrap().as_deref(), Some("bounce_delayed"));
}

#[tokio::test]
async fn a_permanent_report_about_another_email_goes_into_the_history() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let complete = inbox(&p.partner, 1).await.remove(0);
    send_raw_on(MAIN, None, &desk.address, &dsn(&desk.address, &p.partner, &complete, "failed", "5.2.2").1).await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance, "only an activation bounce closes the request");
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "bounced" && e.detail.contains("request_complete")), "{history:?}");
}

#[tokio::test]
async fn a_forged_bounce_from_a_stranger_changes_nothing() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    // A stranger who knows the activation's Message-ID (every customer reply
    // carries it in References) writes a report, sent with their own envelope sender.
    let (id, forged) = dsn(&desk.address, &p.customer, &activation, "failed", "5.1.1");
    send_raw_on(MAIN, Some(&p.stranger), &desk.address, &forged).await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    assert_eq!(desk.app.store.inbound_outcome(&id).await.unwrap().as_deref(), Some("bounce_untrusted"));
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "bounce_ignored" && e.detail.contains("envelope sender")), "{history:?}");
    assert!(desk.app.store.list_outbox(true).await.unwrap().is_empty(), "nothing marked failed");
    settle().await;
    inbox_exactly(&p.partner, 1).await;
}

#[tokio::test]
async fn a_bounce_naming_another_recipient_than_the_email_went_to_changes_nothing() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    // A null envelope sender is easy to forge too: the report must also name the recipient.
    let (id, forged) = dsn(&desk.address, &p.stranger, &activation, "failed", "5.1.1");
    send_raw_on(MAIN, None, &desk.address, &forged).await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert_eq!(desk.app.store.inbound_outcome(&id).await.unwrap().as_deref(), Some("bounce_untrusted"));
    settle().await;
    inbox_exactly(&p.partner, 1).await;
}
