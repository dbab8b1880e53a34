//! `security.authserv_id` with hand-written headers (the real milters are in `milters`): a form or a command whose
//! From fails DMARC at our own server is refused, answered only where SPF proved the envelope sender; other
//! servers' results are ignored.
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

    // No address proven (SPF did not pass): refused, and nobody is answered.
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
    inbox_exactly(&p.partner, 1).await;

    // SPF vouched for the envelope sender (the tests send with From as the envelope): it is told, once.
    let spf_pass =
        format!("{OURS}; spf=pass smtp.mailfrom={}; dmarc=fail (p=reject) header.from=partner.test", p.partner);
    reply_with(&review, &p.partner, "SUBMIT", &[&spf_pass]).await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::AwaitingReview, "nothing changed");
    let refusal = inbox_exactly(&p.partner, 2).await.remove(1);
    assert!(refusal.text.contains("DMARC") && refusal.text.contains(r.reference.as_str()), "{}", refusal.text);
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(
        history.iter().any(|e| e.kind == "refused" && e.detail.contains(&format!("dmarc=fail by {OURS}"))),
        "{history:?}"
    );

    reply_with(&review, &p.partner, "SUBMIT", &[&spf_pass]).await;
    desk.poll(4).await;
    inbox_exactly(&p.partner, 2).await;
    let last = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert_eq!(last.iter().filter(|e| e.kind == "refused").count(), 3, "each refusal recorded: {last:?}");

    // Ours says pass; a "fail" another server (or the sender) wrote is ignored.
    reply_with(
        &review,
        &p.partner,
        "SUBMIT",
        &[&format!("{OURS}; dmarc=pass header.from=partner.test"), "evil.test; dmarc=fail"],
    )
    .await;
    desk.poll(5).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
}

#[tokio::test]
async fn a_form_that_fails_dmarc_creates_nothing_holds_no_domain_and_is_kept_as_evidence() {
    let desk = checking_desk().await;
    let p = People::new();
    let form = p.form_en();
    let forged = Outgoing {
        headers: vec![(
            "Authentication-Results".into(),
            format!("{OURS}; spf=none smtp.mailfrom=partner.test; dmarc=fail (p=reject) header.from=partner.test"),
        )],
        ..Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form)
    };
    forged.send().await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty(), "no request, no held domain");
    // The genuine form for the same domain goes through at once.
    let genuine = Outgoing {
        headers: vec![("Authentication-Results".into(), format!("{OURS}; dmarc=pass header.from=partner.test"))],
        ..Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form)
    };
    genuine.send().await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!((r.state, r.account_domain.as_str()), (State::AwaitingReview, p.domain.as_str()));
    let mail = inbox_exactly(&p.partner, 1).await;
    assert!(mail[0].subject.contains(r.reference.as_str()), "only the review: {}", mail[0].subject);
    let out = desk.bin().args(["requests", "show", r.reference.as_str()]).output().unwrap();
    let show = String::from_utf8_lossy(&out.stdout);
    assert!(
        show.contains(&format!("FORM applied: key none; {} is in partners.allow; dmarc=pass by {OURS}", p.partner)),
        "{show}"
    );
    // The refused one is kept as evidence: `mail list` names it, `mail evidence ID` gives the message.
    let out = desk.bin().args(["mail", "list", "--json"]).output().unwrap();
    let mail: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let refused = mail.as_array().unwrap().iter().find(|m| m["outcome"] == "refused").expect("the refused form");
    assert!(refused["detail"].as_str().unwrap().contains("dmarc=fail by"), "{refused}");
    let id = refused["id"].as_i64().unwrap().to_string();
    let out = desk.bin().args(["mail", "evidence", &id]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mbox = String::from_utf8(out.stdout).unwrap();
    assert!(mbox.starts_with(&format!("From {} ", p.partner)) && mbox.contains("dmarc=fail (p=reject)"), "{mbox}");
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

    let results =
        format!("{OURS};\r\n\tspf=pass smtp.mailfrom={};\r\n\tdmarc=fail header.from=customer.test", p.customer);
    reply_with(&activation, &p.customer, "ACCEPT", &[&results]).await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert!(inbox_exactly(&p.customer, 2).await[1].text.contains("DMARC"), "the customer is told why");

    // A header naming our server but below another server's Received (the sender's own) has no say; ours has no
    // dmarc result here.
    let (headers, body) = activation.reply(&p.customer, "DECLINE");
    let to = activation.reply_to.clone().unwrap();
    let subject = format!("Re: {}", activation.subject);
    let mut out = Outgoing::text(&p.customer, &to, &subject, &body);
    out.headers = vec![
        ("Authentication-Results".into(), format!("{OURS}; spf=pass smtp.mailfrom=c")),
        ("Received".into(), "from relay.customer.test by mx.customer.test; Mon, 7 Dec 2026 06:00:00 +0000".into()),
        ("Authentication-Results".into(), format!("{OURS}; dmarc=fail")),
    ];
    out.headers.extend(headers);
    out.send().await;
    desk.poll(4).await;
    assert_eq!(desk.one().await.state, State::Declined);
}

#[tokio::test]
async fn requests_show_gives_each_decisions_verdict_and_evidence_gives_the_raw_messages() {
    let desk = checking_desk().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);
    reply_with(&review, &p.partner, "SUBMIT", &[&format!("{OURS}; dmarc=pass header.from=partner.test")]).await;
    desk.poll(2).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    reply_with(&activation, &p.customer, "ACCEPT", &[&format!("{OURS}; dmarc=fail header.from=customer.test")]).await;
    desk.poll(3).await;
    reply_with(&activation, &p.customer, "ACCEPT, thanks", &[]).await;
    desk.poll(4).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::Active);

    let out = desk.bin().args(["requests", "show", r.reference.as_str()]).output().unwrap();
    let show = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut decisions: Vec<&str> = show.lines().skip_while(|l| !l.starts_with("decisions")).skip(1).collect();
    assert_eq!(decisions.len(), 4, "{show}");
    assert!(decisions.remove(0).contains("FORM applied"), "the form's own proof first: {show}");
    assert!(decisions[0].contains(&format!("from {}", p.partner)), "{}", decisions[0]);
    assert!(decisions[0].contains("SUBMIT applied on the review step: key rev-"), "{}", decisions[0]);
    assert!(decisions[0].contains(&format!("is the partner of {}", r.reference)), "{}", decisions[0]);
    assert!(decisions[0].contains(&format!("dmarc=pass by {OURS}")), "{}", decisions[0]);
    assert!(decisions[1].contains("ACCEPT refused on the activation step") && decisions[1].contains("dmarc=fail"));
    assert!(decisions[2].contains("ACCEPT applied") && decisions[2].contains(&format!("no DMARC result from {OURS}")));
    assert!(!show.contains(activation.tag().unwrap().trim_start_matches("act-")), "no token is shown");

    let out = desk.bin().args(["requests", "evidence", r.reference.as_str()]).output().unwrap();
    assert!(out.status.success());
    let mbox = String::from_utf8(out.stdout).unwrap();
    let starts: Vec<&str> = mbox.lines().filter(|l| l.starts_with("From ")).collect();
    assert_eq!(starts.len(), 4, "{mbox}");
    assert!(
        starts[1].starts_with(&format!("From {} ", p.partner))
            && starts[3].starts_with(&format!("From {} ", p.customer))
    );
    for (i, message) in mbox.split("\nFrom ").enumerate().skip(1) {
        let body = message.split_once('\n').unwrap().1;
        let parsed = mail_parser::MessageParser::default().parse(body.as_bytes()).expect("each message parses");
        assert!(parsed.subject().unwrap().starts_with("Re: "), "message {i}");
        assert!(parsed.header_raw("Authentication-Results").is_some() == (i < 3), "message {i} as received");
    }
}

#[tokio::test]
async fn without_an_authserv_id_the_verdict_says_dmarc_was_not_checked() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);
    reply_with(&review, &p.partner, "CANCEL", &[&format!("{OURS}; dmarc=fail")]).await;
    desk.poll(2).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::Cancelled, "no authserv-id: no result is trusted, none refuses");
    let out = desk.bin().args(["requests", "show", "--json", r.reference.as_str()]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["decisions"][0]["verdict"].as_str().unwrap().starts_with("FORM applied"), "{v}");
    let verdict = v["decisions"][1]["verdict"].as_str().unwrap();
    assert!(verdict.contains("CANCEL applied") && verdict.contains("DMARC not checked"), "{verdict}");
}

#[tokio::test]
async fn a_quoted_local_part_in_our_servers_header_cannot_hide_its_dmarc_fail() {
    let desk = checking_desk().await;
    let p = People::new();
    let form = p.form_en();
    // As Gmail and rspamd write it: the envelope's quoted local part inside the comment and outside.
    for local in ["\"a)b\"", "\"x(\"", "\"q\\\"q\""] {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form)
            .header(
                "Authentication-Results",
                &format!(
                    "{OURS}; spf=pass ({OURS}: domain of {local}@evil.test designates 192.0.2.1 as permitted sender) smtp.mailfrom={local}@evil.test; dmarc=fail (p=reject) header.from=partner.test"
                ),
            )
            .send()
            .await;
    }
    desk.poll(3).await;
    assert!(desk.requests().await.is_empty(), "each read as the fail it is");
    inbox_exactly(&p.partner, 0).await;
}

#[tokio::test]
async fn with_microsoft_365_its_id_less_header_is_trusted_and_a_forged_form_is_refused() {
    let desk = TestDesk::with(DeskOptions {
        extra: "[security]\nauthserv_id = \"microsoft365\"\n".into(),
        ..Default::default()
    })
    .await;
    let p = People::new();
    let form = p.form_en();
    let exchange = |dmarc: &str| {
        format!(
            "spf=fail (sender IP is 192.0.2.1) smtp.mailfrom=partner.test; dkim=none (message not signed) header.d=none;dmarc={dmarc} header.from=partner.test;compauth=fail reason=000"
        )
    };
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form)
        .header("Authentication-Results", &exchange("fail action=oreject"))
        .send()
        .await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty(), "Exchange Online's fail is read");
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form)
        .header("Authentication-Results", &exchange("pass action=none"))
        .send()
        .await;
    desk.poll(2).await;
    let r = desk.one().await;
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert!(history[0].detail.contains("dmarc=pass by Microsoft 365"), "{history:?}");
}
