//! The operator's commands beside the mail: `requests cancel` and `requests resend`, through the real stack.
use smartacct::domain::State;

use crate::helpers::*;

fn run(desk: &TestDesk, args: &[&str]) -> (i32, String, String) {
    let out = desk.bin().args(args).output().unwrap();
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
}

#[tokio::test]
async fn an_operator_cancels_a_live_request_and_the_partner_reads_the_reason() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    let reference = r.reference.to_string();

    let (code, stdout, stderr) =
        run(&desk, &["requests", "cancel", &reference, "--reason", "Duplicate of <b>SA-2</b> & co"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(&reference), "{stdout}");
    assert_eq!(desk.one().await.state, State::Cancelled);

    let partner = inbox_exactly(&p.partner, 2).await;
    let cancelled = &partner[1];
    assert!(cancelled.subject.contains(&reference), "{}", cancelled.subject);
    assert!(cancelled.text.contains("Duplicate of <b>SA-2</b> & co"), "{}", cancelled.text);
    assert!(!cancelled.text.contains("As you asked"), "{}", cancelled.text);
    assert!(cancelled.html.contains("Duplicate of &lt;b&gt;SA-2&lt;/b&gt; &amp; co"), "{}", cancelled.html);

    let (_, shown, _) = run(&desk, &["requests", "show", &reference, "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let history = shown["history"].as_array().unwrap();
    assert!(
        history.iter().any(|e| e["event"] == "cancelled" && e["detail"].as_str().unwrap().contains("operator")),
        "{history:?}"
    );

    // A closed request is refused with its state named, and nothing is sent.
    let (code, _, stderr) = run(&desk, &["requests", "cancel", &reference]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cancelled"), "{stderr}");
    let (code, _, stderr) = run(&desk, &["requests", "resend", &reference]);
    assert_eq!(code, 1, "{stderr}");
    settle().await;
    assert_eq!(total(&p.partner).await, 2);
    let (code, _, stderr) = run(&desk, &["requests", "cancel", "SA-AAAAAAAA"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no request"), "{stderr}");
}

#[tokio::test]
async fn a_resent_review_carries_the_same_reply_address_and_its_submit_works() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let reference = desk.one().await.reference.to_string();

    let (code, _, stderr) = run(&desk, &["requests", "resend", &reference]);
    assert_eq!(code, 0, "{stderr}");
    let partner = inbox_exactly(&p.partner, 2).await;
    assert!(partner[1].subject.contains(&reference));
    assert_eq!(partner[1].reply_to, partner[0].reply_to, "the same reply address");
    assert!(partner[1].tag().is_some());

    partner[1].send_reply(&p.partner, "SUBMIT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    let shown = desk.app.store.events(desk.one().await.id.unwrap()).await.unwrap();
    assert!(shown.iter().any(|e| e.kind == "review_sent" && e.detail.contains("operator")), "{shown:?}");
}

#[tokio::test]
async fn a_resent_activation_goes_to_the_customer_with_the_same_reply_address() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    let reference = r.reference.to_string();

    let (code, _, stderr) = run(&desk, &["requests", "resend", &reference]);
    assert_eq!(code, 0, "{stderr}");
    let customer = inbox_exactly(&p.customer, 2).await;
    assert_eq!(customer[1].reply_to, customer[0].reply_to);
    assert!(customer[1].tag().unwrap().starts_with("act-"));
    customer[1].send_reply(&p.customer, "ACCEPT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::Active);
}

#[tokio::test]
async fn an_oversized_mail_is_listed_as_set_aside_and_read_again_once_the_limit_is_raised() {
    let desk =
        TestDesk::with(DeskOptions { imap_extra: "max_message_bytes = 2048".into(), ..Default::default() }).await;
    let p = People::new();
    let padding = "This line only makes the message larger than the limit.\n".repeat(60);
    let form = format!("{}\n{padding}", p.form_en());
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty());
    assert_eq!(count(&desk.address, "Rejected").await, 1);

    let (code, stdout, stderr) = run(&desk, &["mail", "list", "--set-aside", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let aside: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let aside = aside.as_array().unwrap();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(aside[0]["outcome"], "oversized");
    let id = aside[0]["id"].to_string();
    let (_, table, _) = run(&desk, &["mail", "list", "--set-aside"]);
    assert!(table.starts_with("ID "), "a header row: {table}");

    // Still too large: it goes back where it was, and can be tried again.
    let (code, _, stderr) = run(&desk, &["mail", "reprocess", &id]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&desk.address, "Rejected").await, 1);
    let (_, stdout, _) = run(&desk, &["mail", "list", "--set-aside", "--json"]);
    let again: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = again[0]["id"].to_string();

    let desk = desk.reconfigure(DeskOptions::default()).await;
    let (code, stdout, stderr) = run(&desk, &["mail", "reprocess", &id]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 processed"), "{stdout}");
    assert_eq!(desk.one().await.state, State::AwaitingReview);
    inbox_exactly(&p.partner, 1).await;
    assert_eq!(count(&desk.address, "Rejected").await, 0);
    let (_, stdout, _) = run(&desk, &["mail", "list", "--set-aside", "--json"]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&stdout).unwrap(), serde_json::json!([]));

    let (code, _, stderr) = run(&desk, &["mail", "reprocess", &id]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("read again already"), "{stderr}");
    let (code, _, stderr) = run(&desk, &["mail", "reprocess", "99999"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no set-aside mail"), "{stderr}");
}
