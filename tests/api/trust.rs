//! `security.authserv_id`: a command whose From fails DMARC at our own server is refused; other servers' results are ignored.
use smartacct::domain::State;

use crate::helpers::*;

const OURS: &str = "mx.example.test";

async fn checking_desk() -> TestDesk {
    TestDesk::with(DeskOptions { extra: format!("[security]\nauthserv_id = \"{OURS}\"\n"), ..Default::default() }).await
}

/// A reply as our receiving server would hand it on: its `Authentication-Results` first, then any the sender wrote.
async fn reply_with(review: &Received, from: &str, answer: &str, results: &[&str]) {
    let (headers, body) = review.reply(from, answer);
    let to = review.reply_to.clone().unwrap();
    let subject = format!("Re: {}", review.subject);
    let mut out = Outgoing::text(from, &to, &subject, &body);
    out.headers = results.iter().map(|r| ("Authentication-Results".to_string(), r.to_string())).collect();
    out.headers.extend(headers);
    out.send().await;
}

#[tokio::test]
async fn a_submit_that_fails_dmarc_is_refused_politely_and_a_passing_one_applies() {
    let desk = checking_desk().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);

    reply_with(
        &review,
        &p.partner,
        "SUBMIT",
        &[&format!("{OURS}; spf=fail smtp.mailfrom=x; dmarc=fail (p=reject) header.from=partner.test")],
    )
    .await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::AwaitingReview, "nothing changed");
    let refusal = inbox_exactly(&p.partner, 2).await.remove(1);
    assert!(refusal.text.contains("DMARC") && refusal.text.contains(r.reference.as_str()), "{}", refusal.text);
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(
        history.iter().any(|e| e.kind == "refused" && e.detail.contains(&format!("dmarc=fail by {OURS}"))),
        "{history:?}"
    );

    // Ours says pass; a "fail" another server (or the sender) wrote is ignored.
    reply_with(
        &review,
        &p.partner,
        "SUBMIT",
        &[&format!("{OURS}; dmarc=pass header.from=partner.test"), "evil.test; dmarc=fail"],
    )
    .await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
}

#[tokio::test]
async fn an_accept_that_fails_dmarc_is_refused_and_a_decline_without_our_result_applies() {
    let desk = checking_desk().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    inbox(&p.partner, 1).await.remove(0).send_reply(&p.partner, "SUBMIT").await;
    desk.poll(2).await;
    let activation = inbox(&p.customer, 1).await.remove(0);

    reply_with(&activation, &p.customer, "ACCEPT", &[&format!("{OURS};\r\n\tdmarc=fail header.from=customer.test")])
        .await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert!(inbox_exactly(&p.customer, 2).await[1].text.contains("DMARC"), "the customer is told why");

    // A forged header naming our server but below ours has no say; ours has no dmarc result here.
    reply_with(
        &activation,
        &p.customer,
        "DECLINE",
        &[&format!("{OURS}; spf=pass smtp.mailfrom=c"), &format!("{OURS}; dmarc=fail")],
    )
    .await;
    desk.poll(4).await;
    assert_eq!(desk.one().await.state, State::Declined);
}
