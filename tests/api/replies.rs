//! Every reply fixture through the real stack: one live request per fixture,
//! the fixture re-addressed to it, delivered by Postfix, read over IMAP by the
//! desk, and the request's state checked. One desk per step and two polls
//! each keep the whole set to a few seconds.
use futures::{StreamExt, stream};
use smartacct::domain::State;

use crate::fixtures::fixtures;
use crate::helpers::*;

/// SMTP sessions and IMAP logins under way at once: enough to be quick, few enough to spare the servers.
const AT_ONCE: usize = 8;

/// Whether a fixture answers the partner's review email (else the customer's activation email).
fn answers_review(raw: &[u8]) -> bool {
    raw.windows(9).any(|w| w == b"desk+rev-")
}

/// The state a request reaches when a reply with this command is read at its step;
/// no command, or both, leave it waiting.
fn state_after(review: bool, command: &str) -> State {
    match (review, command) {
        (false, "accept") => State::Active,
        (false, "decline") => State::Declined,
        (false, _) => State::PendingCustomerAcceptance,
        (true, "submit") => State::PendingCustomerAcceptance,
        (true, "cancel") => State::Cancelled,
        (true, _) => State::AwaitingReview,
    }
}

/// A fixture as `from` would send it in answer to `answered`: From, To,
/// Subject and the threading headers are the live request's, the Message-ID
/// is new, the trace headers (Received, Delivered-To, Return-Path) go, and
/// the body stays byte for byte as the client wrote it. Lines end in CRLF for SMTP.
fn readdress(raw: &[u8], from: &str, answered: &Received) -> Vec<u8> {
    const REPLACED: [&str; 10] = [
        "return-path",
        "delivered-to",
        "received",
        "from",
        "to",
        "cc",
        "subject",
        "message-id",
        "in-reply-to",
        "references",
    ];
    let end = raw.windows(2).position(|w| w == b"\n\n").expect("a fixture has a header section");
    let (head, body) = (String::from_utf8_lossy(&raw[..end]), &raw[end + 2..]);
    let subject = format!("Re: {}", answered.subject);
    let subject = if subject.is_ascii() { subject } else { format!("=?utf-8?b?{}?=", base64(subject.as_bytes())) };
    let domain = from.rsplit('@').next().unwrap_or("customer.test");
    let parent = &answered.message_id;
    let mut out = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}@{domain}>\r\nIn-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\n",
        to = answered.reply_to.as_deref().expect("the desk's email has a Reply-To"),
        id = uid(),
    );
    let mut keep = false;
    for line in head.lines() {
        // A folded header's continuation lines go with it.
        if !line.starts_with([' ', '\t']) {
            let name = line.split(':').next().unwrap_or("").trim().to_ascii_lowercase();
            keep = !REPLACED.contains(&name.as_str());
        }
        if keep {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    let mut previous = 0u8;
    for &b in body {
        if b == b'\n' && previous != b'\r' {
            bytes.push(b'\r');
        }
        bytes.push(b);
        previous = b;
    }
    bytes
}

/// Makes one request per fixture of a step, sends each fixture as the answer
/// to its own request's email, and names every fixture whose request did not
/// end in the state its command leads to.
async fn every_fixture_of_a_step(review: bool) {
    let cases: Vec<(String, Vec<u8>, String)> = fixtures("replies")
        .into_iter()
        .filter(|(_, raw, _)| answers_review(raw) == review)
        .map(|(name, raw, want)| (name, raw, want["command"].as_str().expect("a command").to_string()))
        .collect();
    assert!(cases.len() >= if review { 8 } else { 40 }, "only {} fixtures for this step", cases.len());
    let desk = TestDesk::with(DeskOptions { review, ..Default::default() }).await;
    let run = uid();
    // A partner per request: one partner may hold only so many live requests.
    let people: Vec<(String, String, String)> = (0..cases.len())
        .map(|i| {
            (
                format!("p-{run}-{i}@partner.test"),
                format!("c-{run}-{i}@customer.test"),
                format!("acme-{run}-{i}.example"),
            )
        })
        .collect();

    stream::iter(&people)
        .for_each_concurrent(AT_ONCE, |(partner, customer, domain)| {
            let desk = &desk;
            async move {
                let form = format!("Account name: Acme Corp\nCustomer email: {customer}\nAccount domain: {domain}\n");
                Outgoing::text(partner, &desk.address, "Smart Account request", &form).send().await;
            }
        })
        .await;
    desk.poll(cases.len()).await;

    // The email each fixture answers: the review (to the partner) or the activation (to the customer).
    let answered: Vec<Received> = stream::iter(&people)
        .map(|(partner, customer, _)| async move { inbox(if review { partner } else { customer }, 1).await.remove(0) })
        .buffered(AT_ONCE)
        .collect()
        .await;
    let sends = cases.iter().zip(&people).zip(&answered).map(|(((_, raw, _), (partner, customer, _)), answered)| {
        let from = if review { partner } else { customer };
        let to = bare(answered.reply_to.as_deref().expect("a Reply-To"));
        let raw = readdress(raw, from, answered);
        async move { send_raw(from, &to, &raw).await }
    });
    stream::iter(sends).for_each_concurrent(AT_ONCE, |send| send).await;
    desk.poll(2 * cases.len()).await;

    let requests = desk.requests().await;
    let mut failures = Vec::new();
    for ((name, _, command), (_, customer, _)) in cases.iter().zip(&people) {
        let want = state_after(review, command);
        match requests.iter().find(|r| r.customer_email.as_str() == customer) {
            Some(r) if r.state == want => {}
            Some(r) => failures.push(format!("{name} ({command}): {:?}, want {want:?}", r.state)),
            None => failures.push(format!("{name}: no request for {customer}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[tokio::test]
async fn every_activation_reply_fixture_activates_declines_or_waits_as_expected() {
    every_fixture_of_a_step(false).await;
}

#[tokio::test]
async fn every_review_reply_fixture_submits_or_cancels_as_expected() {
    every_fixture_of_a_step(true).await;
}

#[test]
fn a_readdressed_fixture_keeps_its_body_and_mime_headers() {
    let raw = b"Return-Path: <jane@customer.test>\nReceived: from a\n\tby b\nFrom: Jane <jane@customer.test>\nTo: x\nSubject: =?utf-8?q?Re=3A_x?=\n References: folded\nContent-Type: text/plain;\n\tcharset=utf-8\nContent-Transfer-Encoding: base64\n\nQUND\nRVBU\n";
    let answered = Received {
        raw: Vec::new(),
        subject: "Activate your Smart Account [SA-7K3QX9PD]".into(),
        from: "desk@example.test".into(),
        reply_to: Some("desk+act-abc@example.test".into()),
        message_id: "act-abc.1@example.test".into(),
        text: String::new(),
        html: String::new(),
    };
    let out = String::from_utf8(readdress(raw, "c@customer.test", &answered)).unwrap();
    assert!(
        out.starts_with("From: c@customer.test\r\nTo: desk+act-abc@example.test\r\nSubject: Re: Activate"),
        "{out}"
    );
    assert!(out.contains("In-Reply-To: <act-abc.1@example.test>\r\nReferences: <act-abc.1@example.test>\r\n"), "{out}");
    assert!(out.contains(
        "Content-Type: text/plain;\r\n\tcharset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nQUND\r\nRVBU\r\n"
    ));
    for gone in ["Return-Path", "Received", "by b", "jane@", "=?utf-8?q?", "folded"] {
        assert!(!out.contains(gone), "{gone} left in:\n{out}");
    }
}
