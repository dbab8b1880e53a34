//! Emails a customer trusts and can act on (SPEC §11): who asks, for whom, whom to ask, what to do next.
use smartacct::domain::State;

use crate::helpers::*;

async fn trusted_desk(review: bool) -> TestDesk {
    TestDesk::with(DeskOptions {
        review,
        mailbox_extra: "organization = \"Cisco Smart Accounts\"".into(),
        workflow_extra:
            "contact = \"licensing-help@example.test\"\nsign_in_url = \"https://software.example.test/signin\"".into(),
        ..Default::default()
    })
    .await
}

/// The HTML as a browser reads its attributes (handlebars writes `=` as `&#x3D;`).
fn unescaped(html: &str) -> String {
    html.replace("&#x3D;", "=").replace("&amp;", "&")
}

fn no_long_lines(text: &str) {
    for line in text.lines() {
        let unbreakable = !line.trim().contains(' ');
        assert!(line.chars().count() <= 78 || unbreakable, "line over 78 characters: {line:?}\n{text}");
    }
}

#[tokio::test]
async fn the_activation_email_says_who_asks_for_whom_and_whom_to_ask_and_offers_one_click_answers() {
    let desk = trusted_desk(false).await;
    let p = People::new();
    let form = format!("{}Partner company: Reseller & Co\n", p.form_en());
    Outgoing::text(&format!("Bob Smith <{}>", p.partner), &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    let activation = inbox(&p.customer, 1).await.remove(0);
    for text in [&activation.text, &activation.html] {
        assert!(text.contains("Bob Smith"), "{text}");
        assert!(text.contains("Reseller &"), "the partner's organization: {text}");
        assert!(text.contains("Cisco Smart Accounts"), "for whom: {text}");
        assert!(text.contains("licensing-help@example.test"), "whom to ask: {text}");
    }
    no_long_lines(&activation.text);
    let reply_to = activation.reply_to.clone().unwrap();
    let subject = format!("Re%3A%20%5B{}%5D", desk.one().await.reference);
    let html = unescaped(&activation.html);
    assert!(html.contains(&format!("mailto:{reply_to}?subject={subject}&body=ACCEPT")), "{html}");
    assert!(html.contains("body=DECLINE"), "{html}");

    activation.send_reply(&p.customer, "ACCEPT").await;
    desk.poll(2).await;
    let access = inbox(&p.user1, 1).await.remove(0);
    assert!(access.text.contains("https://software.example.test/signin"), "what to do next: {}", access.text);
    no_long_lines(&access.text);
}

#[tokio::test]
async fn a_french_request_names_the_partner_company_in_the_review_and_the_customers_email() {
    let desk = trusted_desk(true).await;
    let p = People::new();
    let form = format!("{}Société du partenaire : Intégrateur SA\n", p.form_fr());
    Outgoing::text(&p.partner, &desk.address, "Demande de Smart Account", &form).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);
    assert!(review.text.contains("Société du partenaire :  Intégrateur SA"), "{}", review.text);
    assert!(unescaped(&review.html).contains("body=ENVOYER"), "{}", review.html);
    review.send_reply(&p.partner, "ENVOYER").await;
    desk.poll(2).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    assert!(activation.text.contains("de Intégrateur SA"), "{}", activation.text);
    assert!(activation.text.contains("Des questions ?"), "{}", activation.text);
    no_long_lines(&activation.text);
}

#[tokio::test]
async fn the_help_email_is_bilingual_to_its_last_line() {
    let desk = trusted_desk(true).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "help", "").send().await;
    desk.poll(1).await;
    let help = inbox(&p.partner, 1).await.remove(0);
    let last = help.text.trim_end().lines().last().unwrap().to_string();
    assert!(last.contains("automatic message") && last.contains("message automatique"), "{last}");
    assert!(help.text.contains("Partner company:") && help.text.contains("Société du partenaire :"), "{}", help.text);
}
