//! The customer's answer to the activation email: ACCEPT or DECLINE, bound to the customer.
use smartacct::domain::State;

use crate::helpers::*;

/// A desk without review (a valid form goes straight to the customer), the
/// request made, and the activation email as the customer received it.
async fn activation(locale_fr: bool) -> (TestDesk, People, Received) {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    let form = if locale_fr { p.form_fr() } else { p.form_en() };
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    let act = inbox(&p.customer, 1).await.remove(0);
    assert!(act.tag().unwrap().starts_with("act-"));
    (desk, p, act)
}

async fn assert_activated_and_everyone_told(desk: &TestDesk, p: &People, users: &[&str], note: &str) {
    let r = desk.one().await;
    assert_eq!(r.state, State::Active);
    assert!(r.activated_at.is_some());
    for user in users {
        let mail = inbox_exactly(user, 1).await;
        assert!(mail[0].subject.contains(r.reference.as_str()), "{}", mail[0].subject);
        assert!(mail[0].text.contains(note), "{user}'s access email has the note to users:\n{}", mail[0].text);
    }
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].subject.contains(r.reference.as_str()));
    let customer = inbox_exactly(&p.customer, 2).await;
    assert!(customer[1].header("In-Reply-To").is_some(), "the acknowledgement answers the customer's reply");
}

#[tokio::test]
async fn accept_activates_and_tells_the_partner_every_user_and_the_customer() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.customer, "Accept").await;
    desk.poll(2).await;
    assert_activated_and_everyone_told(&desk, &p, &[&p.user1, &p.user2], "Welcome aboard.").await;
    let history = desk.app.store.events(desk.one().await.id.unwrap()).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds, ["received", "submitted", "activation_sent", "activated"]);
}

#[tokio::test]
async fn accepter_activates_a_french_request() {
    let (desk, p, act) = activation(true).await;
    act.send_reply(&p.customer, "J'accepte. ACCEPTER").await;
    desk.poll(2).await;
    assert_activated_and_everyone_told(&desk, &p, &[&p.user1], "Bienvenue !").await;
}

#[tokio::test]
async fn an_html_only_outlook_reply_with_the_original_below_is_read() {
    let (desk, p, act) = activation(false).await;
    let html = format!(
        "<html><head><style>p.MsoNormal{{margin:0}}</style></head><body><div class=\"WordSection1\"><p class=\"MsoNormal\">Accept<o:p></o:p></p><p class=\"MsoNormal\">Jane<o:p></o:p></p></div>\
         <hr style=\"display:inline-block;width:98%\" tabindex=\"-1\"><div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri\"><b>From:</b> Smart Account Desk &lt;{d}&gt;<br><b>Sent:</b> Monday<br><b>Subject:</b> {s}</font></div>\
         <div><p>reply ACCEPT to activate, or DECLINE to refuse</p></div></body></html>",
        d = desk.address,
        s = act.subject
    );
    let to = act.reply_to.clone().unwrap();
    let subject = format!("RE: {}", act.subject);
    Outgoing { from: &p.customer, to: &to, subject: &subject, text: None, html: Some(&html), headers: vec![] }
        .send()
        .await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::Active);
}

#[tokio::test]
async fn the_quoted_decline_does_not_count_only_the_customers_accept() {
    let (desk, p, act) = activation(false).await;
    assert!(act.text.contains("DECLINE"), "the activation email quotes both words");
    act.send_reply(&p.customer, "ACCEPT").await; // the helper quotes the whole original below
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::Active);
}

#[tokio::test]
async fn decline_closes_the_request_and_tells_the_partner() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.customer, "Decline, sorry").await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::Declined);
    assert!(r.closed_at.is_some());
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].subject.contains("declined"), "{}", partner[1].subject);
    let customer = inbox_exactly(&p.customer, 2).await;
    assert!(
        customer[1].subject.contains("declined"),
        "the customer's DECLINE is acknowledged: {}",
        customer[1].subject
    );
    assert!(customer[1].header("In-Reply-To").is_some());
    settle().await;
    assert_eq!(count(&p.user1, "INBOX").await, 0);
}

#[tokio::test]
async fn a_stranger_holding_the_token_is_refused_and_the_attempt_recorded() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.stranger, "ACCEPT").await; // a forwarded activation email
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    let refusal = &inbox_exactly(&p.stranger, 1).await[0];
    assert!(refusal.text.contains(r.reference.as_str()));
    assert!(!refusal.text.contains(&p.customer), "the refusal does not reveal the customer's address");
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "refused" && e.detail.contains(&p.stranger)));
    settle().await;
    assert_eq!(count(&p.user1, "INBOX").await, 0);
}

#[tokio::test]
async fn the_partner_cannot_accept_for_the_customer() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.partner, "ACCEPT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].text.contains("customer"), "{}", partner[1].text);
}

#[tokio::test]
async fn the_reference_in_the_subject_alone_does_not_activate() {
    let (desk, p, act) = activation(false).await;
    // A fresh mail (no reply address, no threading) naming the reference.
    Outgoing::text(&p.customer, &desk.address, &act.subject, "ACCEPT").send().await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    let answer = &inbox_exactly(&p.customer, 2).await[1];
    assert!(answer.subject.contains(r.reference.as_str()));
    assert!(answer.text.to_lowercase().contains("reply"), "it says how to reply:\n{}", answer.text);
}

#[tokio::test]
async fn a_review_token_cannot_activate() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);
    let rev = review.tag().unwrap();
    review.send_reply(&p.partner, "SUBMIT").await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);

    // The review's token, as a rev- address and dressed as an act- one.
    let token = rev.trim_start_matches("rev-");
    let (local, domain) = desk.address.split_once('@').unwrap();
    for to in [format!("{local}+rev-{token}@{domain}"), format!("{local}+act-{token}@{domain}")] {
        Outgoing::text(&p.customer, &to, &format!("Re: [{}]", r.reference), "ACCEPT").send().await;
    }
    desk.poll(4).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    settle().await;
    assert_eq!(count(&p.user1, "INBOX").await, 0);
}

#[tokio::test]
async fn a_second_accept_is_answered_and_users_are_told_once() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.customer, "Accept").await;
    desk.poll(2).await;
    act.send_reply(&p.customer, "ACCEPT again, just in case").await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::Active);
    inbox_exactly(&p.user1, 1).await;
    inbox_exactly(&p.user2, 1).await;
    let customer = inbox_exactly(&p.customer, 3).await;
    assert!(customer[2].text.contains("active"), "the answer gives the state:\n{}", customer[2].text);
}

#[tokio::test]
async fn a_reply_without_a_command_word_changes_nothing_and_lists_the_choices() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.customer, "Thanks, I will look at it next week.").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    let answer = &inbox_exactly(&p.customer, 2).await[1];
    assert!(answer.text.contains("ACCEPT") && answer.text.contains("DECLINE"), "{}", answer.text);
}

#[tokio::test]
async fn a_reply_to_a_declined_request_says_so() {
    let (desk, p, act) = activation(false).await;
    act.send_reply(&p.customer, "DECLINE").await;
    desk.poll(2).await;
    act.send_reply(&p.customer, "Actually, ACCEPT").await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::Declined);
    let answer = &inbox_exactly(&p.customer, 3).await[2];
    assert!(answer.text.contains("declined"), "{}", answer.text);
}
