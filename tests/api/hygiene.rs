//! Mail hygiene (SPEC §4): automatic mail is never answered, the desk never talks to itself, refusals are capped, huge mail is set aside.
use crate::helpers::*;

#[tokio::test]
async fn automatic_mail_of_every_kind_is_recorded_and_never_answered() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let form = p.form_en();
    let marked = [
        ("Auto-Submitted", "auto-replied"),
        ("Auto-Submitted", "auto-generated"),
        ("Precedence", "bulk"),
        ("Precedence", "junk"),
        ("Precedence", "list"),
        ("Precedence", "auto_reply"),
        ("X-Autoreply", "yes"),
        ("X-Auto-Response-Suppress", "All"),
        ("List-Id", "<partners.lists.partner.test>"),
        ("List-Unsubscribe", "<mailto:leave@lists.partner.test>"),
    ];
    for (name, value) in marked {
        Outgoing::text(&p.partner, &desk.address, "Automatic reply: Smart Account request", &form)
            .header(name, value)
            .send()
            .await;
    }
    // An empty Return-Path (the null envelope sender of bounces and auto-replies).
    let (_, raw) = Outgoing::text(&p.partner, &desk.address, "Out of office", &form).build();
    send_raw_on(MAIN, None, &desk.address, &raw).await;
    // Daemons by their local part.
    for who in ["MAILER-DAEMON", "postmaster", "no-reply", "noreply"] {
        let from = format!("{who}@partner.test");
        Outgoing::text(&from, &desk.address, "Notice", &form).send().await;
    }
    let n = marked.len() + 1 + 4;
    desk.poll(n).await;
    settle().await;
    assert!(desk.requests().await.is_empty(), "no automatic mail creates a request");
    assert_eq!(count(&p.partner, "INBOX").await, 0, "nothing was answered");
    for who in ["postmaster", "no-reply", "noreply"] {
        assert_eq!(count(&format!("{who}@partner.test"), "INBOX").await, 0);
    }
    assert_eq!(count(&desk.address, "Processed").await, n, "every message is taken and recorded");
}

#[tokio::test]
async fn mail_from_the_desk_itself_or_carrying_its_loop_header_or_message_id_is_ignored() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    // From the desk's own address.
    Outgoing::text(&desk.address, &desk.address, "loop", &p.form_en()).send().await;
    // A stranger's mail carrying the desk's loop header.
    Outgoing::text(&p.stranger, &desk.address, "loop", "hello").header("X-Smartacct-Loop", &desk.address).send().await;
    desk.poll(2).await;
    // One of the desk's own emails coming back (a forwarding loop): same Message-ID.
    Outgoing::text(&p.partner, &desk.address, "request", &p.form_en()).send().await;
    desk.poll(3).await;
    let complete = inbox(&p.partner, 1).await.remove(0);
    send_raw(&p.partner, &desk.address, &complete.raw).await;
    desk.poll(4).await;
    settle().await;
    assert_eq!(desk.requests().await.len(), 1);
    inbox_exactly(&p.partner, 1).await;
    assert_eq!(count(&p.stranger, "INBOX").await, 0);
}

#[tokio::test]
async fn refusals_to_one_sender_stop_at_the_daily_cap_but_every_mail_is_recorded() {
    let desk =
        TestDesk::with(DeskOptions { extra: "[hygiene]\nmax_auto_replies_per_day = 3\n".into(), ..Default::default() })
            .await;
    let p = People::new();
    for i in 0..5 {
        Outgoing::text(&p.stranger, &desk.address, &format!("request {i}"), &p.form_en()).send().await;
    }
    desk.poll(5).await;
    inbox_exactly(&p.stranger, 3).await;
    assert_eq!(count(&desk.address, "Processed").await, 5);
    // Workflow emails are not refusals: a partner's request still gets its review.
    Outgoing::text(&p.partner, &desk.address, "request", &p.form_en()).send().await;
    desk.poll(6).await;
    inbox_exactly(&p.partner, 1).await;
}

#[tokio::test]
async fn an_oversized_message_is_moved_aside_unread_and_not_answered() {
    let desk =
        TestDesk::with(DeskOptions { imap_extra: "max_message_bytes = 4096".into(), ..Default::default() }).await;
    let p = People::new();
    let big = format!("{}\n{}", p.form_en(), "padding ".repeat(2000));
    Outgoing::text(&p.partner, &desk.address, "huge request", &big).send().await;
    Outgoing::text(&p.other_partner, &desk.address, "small request", &People::new().form_en()).send().await;
    desk.poll(2).await;
    assert_eq!(count(&desk.address, "Rejected").await, 1);
    assert_eq!(count(&desk.address, "Processed").await, 1);
    assert_eq!(count(&desk.address, "INBOX").await, 0);
    let rejected = fetch_all(&desk.address, "Rejected").await;
    assert!(rejected[0].subject.contains("huge"));
    assert_eq!(desk.requests().await.len(), 1, "only the small one was read");
    settle().await;
    assert_eq!(count(&p.partner, "INBOX").await, 0);
    // A second pass does not touch it again.
    desk.poll(2).await;
    assert_eq!(count(&desk.address, "Rejected").await, 1);
}

#[tokio::test]
async fn bidi_overrides_and_zero_width_characters_never_reach_the_emails_or_the_history() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let form = p
        .form_en()
        .replace("Account name: Acme Corp", "Account name: Acme\u{202e}gnp.exe\u{202c} C\u{200b}orp\u{2066}");
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.account_name, "Acmegnp.exe Corp");
    let review = inbox(&p.partner, 1).await.remove(0);
    let invisible = ['\u{202e}', '\u{202c}', '\u{200b}', '\u{2066}'];
    for text in [&review.text, &review.html, &review.subject] {
        assert!(!text.contains(invisible), "{text}");
    }
    assert!(review.text.contains("Acmegnp.exe Corp"), "{}", review.text);
}

/// `local+tag@domain` from `local@domain`.
fn tagged(address: &str, tag: &str) -> String {
    let (local, domain) = address.split_once('@').unwrap();
    format!("{local}+{tag}@{domain}")
}

#[tokio::test]
async fn refusals_to_plus_tagged_spellings_of_one_mailbox_share_its_daily_cap() {
    let desk =
        TestDesk::with(DeskOptions { extra: "[hygiene]\nmax_auto_replies_per_day = 2\n".into(), ..Default::default() })
            .await;
    let p = People::new();
    for i in 0..5 {
        let from = tagged(&p.stranger, &i.to_string());
        Outgoing::text(&from, &desk.address, &format!("request {i}"), &p.form_en()).send().await;
    }
    desk.poll(5).await;
    // Dovecot delivers every +tag to the one mailbox: two answers in all, not five.
    inbox_exactly(&p.stranger, 2).await;
}

#[tokio::test]
async fn a_partners_daily_limit_counts_the_mailbox_whatever_the_plus_tag() {
    let options = DeskOptions { partners_extra: "max_new_requests_per_day = 2".into(), ..Default::default() };
    let desk = TestDesk::with(options).await;
    let p = People::new();
    for i in 0..4 {
        let form = p.form_en().replace(&p.domain, &format!("d{i}-{}", p.domain));
        Outgoing::text(&tagged(&p.partner, &i.to_string()), &desk.address, "Smart Account request", &form).send().await;
    }
    desk.poll(4).await;
    assert_eq!(desk.requests().await.len(), 2, "p+0 … p+3 are one partner");
}

#[tokio::test]
async fn user_emails_naming_one_mailbox_many_times_are_one_user() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    let victims: Vec<String> = (0..30).map(|i| tagged(&p.user1, &i.to_string())).collect();
    let form = p.form_en().replace(&format!("{}, {}", p.user1, p.user2), &victims.join(", "));
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.user_emails.len(), 1, "{:?}", r.user_emails);
    inbox(&p.customer, 1).await.remove(0).send_reply(&p.customer, "ACCEPT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, smartacct::domain::State::Active);
    inbox_exactly(&p.user1, 1).await;
}

#[tokio::test]
async fn no_mailbox_gets_more_than_the_daily_cap_of_emails_in_answer_to_mail() {
    let desk = TestDesk::with(DeskOptions {
        review: false,
        extra: "[hygiene]\nmax_emails_per_recipient_per_day = 3\n".into(),
        ..Default::default()
    })
    .await;
    let p = People::new();
    // Five forms from five partners, each naming the same customer (spelt five ways).
    for i in 0..5 {
        let partner = format!("p{i}-{}", p.partner);
        let form = p
            .form_en()
            .replace(&p.domain, &format!("d{i}-{}", p.domain))
            .replace(&p.customer, &tagged(&p.customer, &i.to_string()));
        Outgoing::text(&partner, &desk.address, "Smart Account request", &form).send().await;
    }
    desk.poll(5).await;
    assert_eq!(desk.requests().await.len(), 5, "the requests are made");
    inbox_exactly(&p.customer, 3).await;
    let mut withheld = 0;
    for r in desk.requests().await {
        let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
        withheld += history.iter().filter(|e| e.kind == "email_withheld").count();
    }
    assert_eq!(withheld, 2, "each email left out is in its request's history");
}
