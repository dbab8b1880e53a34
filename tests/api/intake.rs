//! A partner's form arriving at the desk: review email, refusals, duplicates, odd mail.
use crate::helpers::*;
use smartacct::domain::State;

#[tokio::test]
async fn an_english_form_gets_the_review_email_with_a_rev_reply_address() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;

    let r = desk.one().await;
    assert_eq!(r.state, State::AwaitingReview);
    assert_eq!(r.account_domain.as_str(), p.domain);
    assert_eq!(r.partner_email.as_str(), p.partner);
    assert_eq!(r.user_emails.len(), 2);

    let mail = inbox_exactly(&p.partner, 1).await;
    let review = &mail[0];
    assert!(review.subject.contains(&format!("[{}]", r.reference)), "{}", review.subject);
    let tag = review.tag().expect("a Reply-To with a plus tag");
    assert!(tag.starts_with("rev-") && tag.len() == 4 + 26, "{tag}");
    assert!(review.message_id.starts_with(&tag), "the Message-ID carries the key too: {}", review.message_id);
    assert!(review.message_id.ends_with("@example.test"));
    for value in [
        "Acme Corp",
        &p.customer,
        &p.domain,
        &p.user1,
        &p.user2,
        "Please accept, thanks.",
        "Welcome aboard.",
        "SUBMIT",
        "CANCEL",
    ] {
        assert!(review.text.contains(value), "review text lacks {value}:\n{}", review.text);
    }
    assert_eq!(review.header("Auto-Submitted").as_deref(), Some("auto-replied"));
    assert_eq!(review.header("X-Smartacct-Loop").as_deref(), Some(desk.address.as_str()));
    assert_eq!(review.header("Content-Language").as_deref(), Some("en"));
    assert!(review.header("In-Reply-To").is_some(), "the review answers the partner's mail");
    // The partner's mail left the inbox only after it was committed.
    assert_eq!(count(&desk.address, "INBOX").await, 0);
    assert_eq!(count(&desk.address, "Processed").await, 1);
}

#[tokio::test]
async fn a_french_form_gets_a_french_review() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Demande de Smart Account", &p.form_fr()).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.locale.as_str(), "fr");
    assert_eq!(r.account_name, "Société Générale");
    let review = &inbox_exactly(&p.partner, 1).await[0];
    assert!(review.text.contains("ENVOYER"), "{}", review.text);
    assert!(review.text.contains("Société Générale"));
    assert_eq!(review.header("Content-Language").as_deref(), Some("fr"));
}

#[tokio::test]
async fn an_invalid_form_names_every_problem_and_creates_nothing() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let form = format!(
        "Customer email: jane@\nAccount domain: not a domain\nUser emails: {}, broken@\nLanguage: ko\n",
        p.user1
    );
    Outgoing::text(&p.partner, &desk.address, "request", &form).send().await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty());
    let answer = &inbox_exactly(&p.partner, 1).await[0];
    for what in [
        "Account name",
        "Customer email",
        "jane@",
        "Account domain",
        "not a domain",
        "User emails",
        "broken@",
        "Language",
        "Support Case Manager",
        "https://www.cisco.com/go/scm",
    ] {
        assert!(answer.text.contains(what), "request_invalid lacks {what}:\n{}", answer.text);
    }
    assert!(
        answer.text.contains("Account name:") && answer.text.contains("Note to users:"),
        "the blank form is included"
    );
    assert!(answer.tag().is_none(), "nothing to reply to: no reply key");
}

#[tokio::test]
async fn a_sender_outside_partners_allow_gets_one_refusal() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.stranger, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty());
    let refusal = &inbox_exactly(&p.stranger, 1).await[0];
    assert!(
        refusal.text.to_lowercase().contains("not allowed") || refusal.text.contains("not authorized"),
        "{}",
        refusal.text
    );
}

#[tokio::test]
async fn with_unknown_sender_ignore_a_stranger_gets_nothing_but_the_mail_is_recorded() {
    let desk = TestDesk::spawn().await;
    // partners.unknown_sender lives in [partners]: rewrite the file with it.
    let text = std::fs::read_to_string(&desk.config)
        .unwrap()
        .replace("[partners]\n", "[partners]\nunknown_sender = \"ignore\"\n");
    std::fs::write(&desk.config, text).unwrap();
    let desk = desk.reconfigure_keep_file().await;
    let p = People::new();
    Outgoing::text(&p.stranger, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    settle().await;
    assert_eq!(count(&p.stranger, "INBOX").await, 0);
    assert_eq!(count(&desk.address, "Processed").await, 1, "the mail is still taken and recorded");
}

#[tokio::test]
async fn a_second_request_for_a_live_domain_is_answered_with_the_existing_reference() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "first", &p.form_en()).send().await;
    desk.poll(1).await;
    Outgoing::text(&p.other_partner, &desk.address, "second", &p.form_en()).send().await;
    desk.poll(2).await;
    let r = desk.one().await;
    let answer = &inbox_exactly(&p.other_partner, 1).await[0];
    assert!(answer.text.contains(r.reference.as_str()), "the answer names {}:\n{}", r.reference, answer.text);
}

#[tokio::test]
async fn two_forms_for_one_domain_read_in_the_same_batch_make_one_request_and_one_answer_naming_it() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "first", &p.form_en()).send().await;
    Outgoing::text(&p.other_partner, &desk.address, "second", &p.form_en()).send().await;
    wait_total(&desk.address, 2).await;
    // One pass reads both in one batch: the second sees the first's request
    // although neither is committed yet.
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = desk.one().await;
    inbox_exactly(&p.partner, 1).await;
    let answer = &inbox_exactly(&p.other_partner, 1).await[0];
    assert!(answer.text.contains(r.reference.as_str()), "the answer names {}:\n{}", r.reference, answer.text);
}

#[tokio::test]
async fn a_message_that_fails_in_a_batch_stays_in_the_inbox_and_the_others_of_its_batch_are_committed() {
    let desk = TestDesk::spawn().await;
    let people: Vec<People> = (0..3).map(|_| People::new()).collect();
    for (i, p) in people.iter().enumerate() {
        let subject = if i == 1 { "Smart Account request (poison)" } else { "Smart Account request" };
        Outgoing::text(&p.partner, &desk.address, subject, &p.form_en()).send().await;
    }
    wait_total(&desk.address, 3).await;
    // The middle message fails after its effects were applied in the batch's
    // transaction: the batch is undone and redone a message at a time.
    let out = desk.bin().args(["poll", "--once"]).env("SMARTACCT_TEST_FAIL_SUBJECT", "(poison)").output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a message left behind is reported:\n{log}");
    assert!(log.contains("1 message(s) could not be processed"), "{log}");
    assert_eq!(log.matches("cannot process message").count(), 1, "the message's failure is printed once:\n{log}");
    assert!(log.contains("a batch failed and was undone"), "{log}");
    assert_eq!(desk.requests().await.len(), 2, "the other two are committed");
    assert_eq!(count(&desk.address, "INBOX").await, 1, "the failed one stays for the next pass");
    assert_eq!(count(&desk.address, "Processed").await, 2);
    inbox_exactly(&people[0].partner, 1).await;
    inbox_exactly(&people[2].partner, 1).await;
    settle().await;
    assert_eq!(count(&people[1].partner, "INBOX").await, 0, "nothing of the failed message was sent");

    // Without the fault, the next pass reads it like any other.
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(desk.requests().await.len(), 3);
    inbox_exactly(&people[1].partner, 1).await;
}

#[tokio::test]
async fn the_same_message_delivered_twice_makes_one_request_and_one_email() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let (_, raw) = Outgoing::text(&p.partner, &desk.address, "request", &p.form_en()).build();
    send_raw(&p.partner, &desk.address, &raw).await;
    send_raw(&p.partner, &desk.address, &raw).await;
    desk.poll(2).await;
    // And once more in a later pass, as after a crash between commit and move.
    send_raw(&p.partner, &desk.address, &raw).await;
    desk.poll(3).await;
    desk.one().await;
    inbox_exactly(&p.partner, 1).await;
    assert_eq!(count(&desk.address, "INBOX").await, 0);
}

#[tokio::test]
async fn an_html_only_form_is_read() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let html = format!(
        "<html><body><div>Hello,</div><div><br></div><div>Account name: Acme&nbsp;HTML</div><div>Customer email: <a href=\"mailto:{c}\">{c}</a></div><div>Account domain: {d}</div><div>User emails: {u}</div><div><br></div><div>Thanks</div></body></html>",
        c = p.customer,
        d = p.domain,
        u = p.user1
    );
    Outgoing {
        from: &p.partner,
        to: &desk.address,
        subject: "request",
        text: None,
        html: Some(&html),
        headers: vec![],
    }
    .send()
    .await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.account_name, "Acme HTML");
    assert_eq!(r.customer_email.as_str(), p.customer);
    assert_eq!(r.user_emails.len(), 1);
}

#[tokio::test]
async fn hostile_values_are_escaped_and_cannot_add_a_header() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let form = format!(
        "Account name: <script>alert(1)</script> Corp\r\nBcc: victim@evil.test\r\nCustomer email: {}\r\nAccount domain: {}\r\nNote to customer: <b>bold</b> {{{{reference}}}} & more\r\n",
        p.customer, p.domain
    );
    Outgoing::text(&p.partner, &desk.address, "request", &form).send().await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.account_name, "<script>alert(1)</script> Corp");
    let review = &inbox_exactly(&p.partner, 1).await[0];
    assert!(!review.html.contains("<script>"), "HTML must escape values");
    assert!(review.html.contains("&lt;script&gt;"), "{}", review.html);
    assert!(review.html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(review.text.contains("{{reference}}"), "a value is never rendered as a template");
    let head = String::from_utf8_lossy(&review.raw);
    let head = &head[..head.find("\r\n\r\n").unwrap()];
    assert!(!head.to_lowercase().contains("\nbcc:"), "no header was added:\n{head}");
    assert!(!head.contains("victim"), "{head}");
}

#[tokio::test]
async fn help_or_an_empty_body_gets_the_blank_form_in_both_languages() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "help", "").send().await;
    Outgoing::text(&p.other_partner, &desk.address, "Hello", "\n\n").send().await;
    desk.poll(2).await;
    for who in [&p.partner, &p.other_partner] {
        let answer = &inbox_exactly(who, 1).await[0];
        assert!(answer.text.contains("Account name:") && answer.text.contains("Nom du compte"), "{}", answer.text);
    }
    assert!(desk.requests().await.is_empty());
}

#[tokio::test]
async fn automatic_mail_is_never_answered() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Out of office", "I am away")
        .header("Auto-Submitted", "auto-replied")
        .send()
        .await;
    Outgoing::text(&p.partner, &desk.address, "list", &p.form_en()).header("List-Id", "<x.lists.test>").send().await;
    desk.poll(2).await;
    settle().await;
    assert_eq!(count(&p.partner, "INBOX").await, 0);
    assert!(desk.requests().await.is_empty());
    assert_eq!(count(&desk.address, "Processed").await, 2);
}

#[tokio::test]
async fn the_desk_reads_its_mailbox_over_imaps_and_starttls_with_its_own_ca() {
    for security in ["tls", "starttls"] {
        let desk = TestDesk::with(DeskOptions { imap_security: security, ..Default::default() }).await;
        let p = People::new();
        Outgoing::text(&p.partner, &desk.address, "request", &p.form_en()).send().await;
        desk.poll(1).await;
        desk.one().await;
    }
}

#[tokio::test]
async fn messages_another_process_moves_away_between_the_listing_and_the_fetch_are_left_to_it() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    for n in 1..=3 {
        Outgoing::text(&p.partner, &desk.address, &format!("Smart Account request {n}"), &p.form_en()).send().await;
    }
    wait_total(&desk.address, 3).await;
    let mut mine = login(MAIN, &desk.address).await;
    mine.select("INBOX").await.unwrap();
    let listed = mine.all_uids().await.unwrap();
    assert_eq!(listed.len(), 3);
    let mut other = login(MAIN, &desk.address).await;
    other.ensure_folder("Processed").await.unwrap();
    other.select("INBOX").await.unwrap();
    // As a pass does: sizes first, then the fetch, and the other process moves one in between.
    assert_eq!(mine.sizes(&listed).await.unwrap().len(), 3);
    other.move_to(&listed[..1], "Processed").await.unwrap();
    // Dovecot answers `FETCH (UID n)` without the body for the moved one, then `OK [EXPUNGEISSUED]`.
    let fetched = mine.fetch(&listed).await.unwrap();
    let got: Vec<(u32, bool)> = fetched.iter().map(|f| (f.uid, f.body.is_some())).collect();
    assert_eq!(got, [(listed[1], true), (listed[2], true)]);
    assert!(fetched.iter().all(|f| f.body.as_ref().is_some_and(|b| b.len() as u32 == f.size)));
    mine.logout().await;
    other.logout().await;
}

#[tokio::test]
async fn forms_of_over_a_mebibyte_in_one_batch_each_keep_their_own_message_as_proof() {
    // The batch writes its proofs before its commit, or sooner once they hold a mebibyte: both ways here.
    let desk = TestDesk::spawn().await;
    let people: Vec<People> = (0..4).map(|_| People::new()).collect();
    let html = format!("<p>{}</p>", "x".repeat(350 * 1024));
    let mut sent = Vec::new();
    for p in &people {
        let form = p.form_en();
        let mut mail = Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form);
        mail.html = Some(&html);
        sent.push(mail.send().await);
    }
    desk.poll(4).await;

    let requests = desk.requests().await;
    assert_eq!(requests.len(), 4);
    for (p, message_id) in people.iter().zip(&sent) {
        inbox_exactly(&p.partner, 1).await;
        let r = requests.iter().find(|r| r.account_domain.as_str() == p.domain).expect("a request per form");
        assert_eq!(r.state, State::AwaitingReview);
        let out = desk.bin().args(["requests", "evidence", r.reference.as_str()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mbox = String::from_utf8_lossy(&out.stdout);
        assert_eq!(mbox.lines().filter(|l| l.starts_with("From ")).count(), 1, "one proof for {}", r.reference);
        assert!(mbox.contains(&format!("Message-ID: <{message_id}>")), "the form's own message for {}", r.reference);
        assert!(mbox.len() > 350 * 1024, "the whole message: {} bytes", mbox.len());
    }
}
