//! The partner's answer to the review: SUBMIT, CANCEL, refusals; and `workflow.review = false`.
use chrono::{Duration, Utc};
use smartacct::domain::State;

use crate::helpers::*;

/// Sends the form, polls, and returns the review email.
async fn reviewed(desk: &TestDesk, p: &People, form: &str) -> Received {
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", form).send().await;
    desk.poll(1).await;
    inbox(&p.partner, 1).await.remove(0)
}

#[tokio::test]
async fn submit_creates_the_provisional_account_and_mails_partner_and_customer() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_en()).await;
    let before = Utc::now();
    review.send_reply(&p.partner, "SUBMIT").await;
    desk.poll(2).await;

    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    let submitted = r.submitted_at.unwrap();
    assert!(submitted >= before - Duration::seconds(1));
    assert_eq!(r.expires_at.unwrap(), submitted + Duration::days(90));

    let partner = inbox_exactly(&p.partner, 2).await;
    let complete = &partner[1];
    assert!(complete.subject.contains(r.reference.as_str()));
    assert!(complete.text.contains("pending customer acceptance"), "{}", complete.text);
    assert_eq!(
        complete.header("In-Reply-To").map(|v| v.contains(&review.message_id)),
        Some(false),
        "it answers the SUBMIT reply, not the review"
    );

    let customer = inbox_exactly(&p.customer, 1).await;
    let activation = &customer[0];
    let tag = activation.tag().expect("activation has a reply tag");
    assert!(tag.starts_with("act-"), "{tag}");
    assert!(activation.subject.contains(&format!("[{}]", r.reference)));
    for what in [p.partner.as_str(), "Acme Corp", p.domain.as_str(), "Please accept, thanks.", "ACCEPT", "DECLINE"] {
        assert!(activation.text.contains(what), "activation lacks {what}:\n{}", activation.text);
    }
    let expiry = smartacct::i18n::date(r.expires_at.unwrap(), smartacct::domain::Locale::En);
    assert!(activation.text.contains(&expiry), "activation gives the expiry date {expiry}");
    // The activation does not reuse the review's key.
    assert_ne!(Some(tag), review.tag());
}

#[tokio::test]
async fn envoyer_submits_a_french_request() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_fr()).await;
    review.send_reply(&p.partner, "Envoyer, merci").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    let activation = &inbox_exactly(&p.customer, 1).await[0];
    assert!(activation.text.contains("ACCEPTER"), "{}", activation.text);
}

#[tokio::test]
async fn the_quoted_review_does_not_count_as_an_answer() {
    // The quoted review shows both SUBMIT and CANCEL; only the partner's own words count.
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_en()).await;
    review.send_reply(&p.partner, "Looks right to me.").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::AwaitingReview);
    let answer = &inbox_exactly(&p.partner, 2).await[1];
    assert!(answer.text.contains("SUBMIT"), "the answer says which words work:\n{}", answer.text);
}

#[tokio::test]
async fn cancel_closes_the_request_and_tells_the_partner() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_en()).await;
    review.send_reply(&p.partner, "cancel").await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::Cancelled);
    assert!(r.closed_at.is_some());
    let ack = &inbox_exactly(&p.partner, 2).await[1];
    assert!(ack.subject.contains("cancelled"), "{}", ack.subject);
    settle().await;
    assert_eq!(count(&p.customer, "INBOX").await, 0);
    // The domain is free again.
    Outgoing::text(&p.partner, &desk.address, "again", &p.form_en()).send().await;
    desk.poll(3).await;
    assert_eq!(desk.requests().await.len(), 2);
}

#[tokio::test]
async fn submit_from_someone_other_than_the_partner_is_refused_and_changes_nothing() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_en()).await;
    // A colleague at the same partner holds the forwarded review.
    review.send_reply(&p.other_partner, "SUBMIT").await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::AwaitingReview);
    let refusal = &inbox_exactly(&p.other_partner, 1).await[0];
    assert!(refusal.text.contains(r.reference.as_str()), "{}", refusal.text);
    settle().await;
    assert_eq!(count(&p.customer, "INBOX").await, 0);
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "refused" && e.detail.contains(&p.other_partner)), "{history:?}");
}

#[tokio::test]
async fn a_reply_matched_by_references_alone_still_submits() {
    // Servers without plus-addressing: the reply reaches the bare address,
    // and the desk's Message-ID in References carries the key.
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_en()).await;
    let (headers, body) = review.reply(&p.partner, "SUBMIT");
    let subject = format!("Re: {}", review.subject);
    let mut out = Outgoing::text(&p.partner, &desk.address, &subject, &body);
    out.headers = headers;
    out.send().await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
}

#[tokio::test]
async fn the_subject_reference_alone_changes_nothing() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let review = reviewed(&desk, &p, &p.form_en()).await;
    let r = desk.one().await;
    Outgoing::text(&p.partner, &desk.address, &format!("Re: [{}] Review", r.reference), "SUBMIT").send().await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::AwaitingReview);
    let answer = &inbox_exactly(&p.partner, 2).await[1];
    assert!(answer.subject.contains(r.reference.as_str()));
    let _ = review;
}

#[tokio::test]
async fn without_review_a_valid_form_goes_straight_to_the_customer() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    assert_eq!(r.expires_at.unwrap(), r.submitted_at.unwrap() + Duration::days(90));
    let partner = &inbox_exactly(&p.partner, 1).await[0];
    assert!(partner.text.contains("pending customer acceptance"), "{}", partner.text);
    assert!(partner.tag().is_none());
    let activation = &inbox_exactly(&p.customer, 1).await[0];
    assert!(activation.tag().unwrap().starts_with("act-"));
}
