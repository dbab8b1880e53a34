//! The milter stack (`AUTH`): real OpenDKIM and OpenDMARC in our Postfix, with
//! a local DNS server, stamp `Authentication-Results: mx.example.test; ...` on
//! what arrives. Mail sent to `AUTH.signing` is DKIM-signed first, as the
//! partner's or customer's own server would; mail sent straight to
//! `AUTH.smtp` is what a forger sends. Then the desk, trusting that
//! authserv-id, on real headers rather than hand-written ones.
use std::net::SocketAddr;

use smartacct::domain::State;

use crate::helpers::*;

/// The header fields of a message as delivered, top first, each unfolded.
fn header_fields(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("").split("\n\n").next().unwrap_or("");
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = fields.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((n, v)) = line.split_once(':') {
            fields.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    fields
}

fn is(field: &(String, String), name: &str) -> bool {
    field.0.eq_ignore_ascii_case(name)
}

/// What our MTA wrote: the `Authentication-Results` naming it, in order, that
/// stand together above the `Received` header of our Postfix.
fn ours(fields: &[(String, String)]) -> Vec<String> {
    let first = fields.iter().position(|f| is(f, "Authentication-Results")).expect("an Authentication-Results");
    fields[first..]
        .iter()
        .take_while(|f| is(f, "Authentication-Results"))
        .map(|(_, v)| v.clone())
        .inspect(|v| assert!(v.starts_with(&format!("{AUTH_SERV_ID};")), "{v}"))
        .collect()
}

/// The one message in a fresh mailbox of the stack.
async fn delivered(to: &str) -> Received {
    inbox_exactly_on(AUTH, to, 1).await.remove(0)
}

fn mailbox() -> String {
    format!("r-{}@example.test", uid())
}

fn text(from: &str, to: &str, subject: &str) -> Vec<u8> {
    Outgoing::text(from, to, subject, "Hello, this is me.\n").build().1
}

#[tokio::test]
async fn a_signed_message_arrives_with_dkim_and_dmarc_pass_stamped_by_our_mta() {
    let stack = auth_stack();
    for domain in ["partner.test", "customer.test"] {
        let (from, to) = (format!("x-{}@{domain}", uid()), mailbox());
        Outgoing::text(&from, &to, "Signed", "Hello.\n").send_via(stack.signing).await;
        let m = delivered(&to).await;
        let fields = header_fields(&m.raw);
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).take(7).collect();
        assert_eq!(
            names,
            [
                "Return-Path",
                "Delivered-To",
                "Received",
                "Authentication-Results",
                "Authentication-Results",
                "Received",
                "DKIM-Signature"
            ],
            "{fields:#?}"
        );
        let results = ours(&fields);
        assert_eq!(results.len(), 2, "one from OpenDMARC, then one from OpenDKIM: {results:?}");
        assert!(results[0].contains(&format!("dmarc=pass (p=reject dis=none) header.from={domain}")), "{results:?}");
        assert!(results[1].contains("dkim=pass") && results[1].contains(&format!("header.d={domain}")), "{results:?}");
        assert!(results[1].contains("header.s=s2026"), "{results:?}");
        assert!(fields[5].1.contains(&format!("by {AUTH_SERV_ID} (Postfix)")), "our MTA's Received: {:?}", fields[5]);
        let signature = m.header("DKIM-Signature").unwrap();
        assert!(signature.contains(&format!("d={domain}")) && signature.contains("s=s2026"), "{signature}");
    }
}

#[tokio::test]
async fn an_unsigned_message_from_a_reject_domain_arrives_with_dmarc_fail_stamped_by_our_mta() {
    let stack = auth_stack();
    let (from, to) = (format!("p-{}@partner.test", uid()), mailbox());
    send_raw_on(stack, Some(&from), &to, &text(&from, &to, "Forged")).await;
    let m = delivered(&to).await;
    let fields = header_fields(&m.raw);
    let results = ours(&fields);
    assert_eq!(results.len(), 2, "{fields:#?}");
    assert!(results[0].contains("dmarc=fail (p=reject dis=none) header.from=partner.test"), "delivered, not rejected");
    assert!(results[1].contains("dkim=none"), "OpenDKIM says so on unsigned mail too: {results:?}");
    assert!(!fields.iter().any(|f| is(f, "DKIM-Signature")));
    assert!(!results.iter().any(|r| r.contains("spf=")), "SPF is not part of the verdict: {results:?}");
}

#[tokio::test]
async fn a_monitoring_domain_fails_dmarc_with_its_policy_none() {
    let stack = auth_stack();
    let (from, to) = (format!("m-{}@monitor.test", uid()), mailbox());
    send_raw_on(stack, Some(&from), &to, &text(&from, &to, "Monitored")).await;
    let results = ours(&header_fields(&delivered(&to).await.raw));
    assert!(results[0].contains("dmarc=fail (p=none dis=none) header.from=monitor.test"), "{results:?}");
}

#[tokio::test]
async fn a_genuine_signature_replayed_on_a_changed_body_fails_dkim_and_so_dmarc() {
    let stack = auth_stack();
    let (from, first, second) = (format!("p-{}@partner.test", uid()), mailbox(), mailbox());
    let out = Outgoing::text(&from, &first, "Pay 10 EUR", "Please pay 10 EUR.\n");
    out.send_via(stack.signing).await;
    let genuine = delivered(&first).await.raw;
    // What the partner's server sent: the message from its DKIM-Signature on,
    // with the body changed, sent straight to our MX.
    let text = String::from_utf8(genuine).unwrap();
    let at = text.find("DKIM-Signature:").expect("signed");
    let (head, body) = text[at..].split_once("\r\n\r\n").unwrap();
    let forged =
        format!("{head}\r\n\r\n{}", body.replace(&base64(b"Please pay 10 EUR.\n"), &base64(b"Please pay 99 EUR.\n")));
    assert_ne!(forged, text[at..]);
    send_raw_on(stack, Some(&from), &second, forged.as_bytes()).await;
    let results = ours(&header_fields(&delivered(&second).await.raw));
    assert!(results[0].contains("dmarc=fail (p=reject dis=none) header.from=partner.test"), "{results:?}");
    assert!(results[1].contains("dkim=fail") && results[1].contains("header.d=partner.test"), "{results:?}");
}

#[tokio::test]
async fn a_senders_own_authentication_results_stays_below_our_received_and_fools_no_milter() {
    let stack = auth_stack();
    let (from, to) = (format!("p-{}@partner.test", uid()), mailbox());
    let forged = Outgoing::text(&from, &to, "Trust me", "Hello.\n")
        .header("Authentication-Results", &format!("{AUTH_SERV_ID}; dmarc=pass header.from=partner.test"))
        .header("Authentication-Results", &format!("{AUTH_SERV_ID}; dkim=pass header.d=partner.test"));
    forged.send_on(stack).await;
    let fields = header_fields(&delivered(&to).await.raw);
    let results = ours(&fields);
    assert_eq!(results.len(), 2, "{fields:#?}");
    assert!(results[0].contains("dmarc=fail (p=reject dis=none)"), "OpenDMARC is not fooled: {results:?}");
    assert!(results[1].contains("dkim=none"), "{results:?}");
    // Below our Postfix's Received, the sender's dmarc=pass is still there; its
    // dkim=pass is gone (OpenDKIM removes results naming it that carry a dkim= result).
    let received = fields.iter().rposition(|f| is(f, "Received")).unwrap();
    assert!(fields[received].1.contains(&format!("by {AUTH_SERV_ID} (Postfix)")), "{fields:#?}");
    let below: Vec<&String> =
        fields[received..].iter().filter(|f| is(f, "Authentication-Results")).map(|f| &f.1).collect();
    assert_eq!(below, [&format!("{AUTH_SERV_ID}; dmarc=pass header.from=partner.test")], "{fields:#?}");
}

/// A TXT query to the stack's DNS server, over UDP or TCP: the answer's strings, record by record.
fn txt(server: SocketAddr, name: &str, tcp: bool) -> Vec<Vec<String>> {
    use std::io::{Read, Write};
    let mut query = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in name.split('.') {
        query.push(label.len() as u8);
        query.extend_from_slice(label.as_bytes());
    }
    query.extend_from_slice(&[0, 0, 16, 0, 1]);
    let limit = std::time::Duration::from_secs(5);
    let timeout = Some(limit);
    let answer = if tcp {
        let mut s = std::net::TcpStream::connect_timeout(&server, limit).unwrap();
        s.set_read_timeout(timeout).unwrap();
        s.write_all(&[(query.len() >> 8) as u8, query.len() as u8]).unwrap();
        s.write_all(&query).unwrap();
        let mut len = [0u8; 2];
        s.read_exact(&mut len).unwrap();
        let mut a = vec![0u8; u16::from_be_bytes(len) as usize];
        s.read_exact(&mut a).unwrap();
        a
    } else {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.set_read_timeout(timeout).unwrap();
        s.send_to(&query, server).unwrap();
        let mut a = vec![0u8; 4096];
        let n = s.recv(&mut a).unwrap();
        a.truncate(n);
        a
    };
    assert_eq!(&answer[..2], &[0x12, 0x34]);
    assert_eq!(answer[3] & 0x0f, 0, "NOERROR for {name}");
    let count = u16::from_be_bytes([answer[6], answer[7]]);
    let mut at = query.len();
    let mut records = Vec::new();
    for _ in 0..count {
        at += if answer[at] & 0xc0 == 0xc0 { 2 } else { answer[at..].iter().position(|&b| b == 0).unwrap() + 1 };
        let length = u16::from_be_bytes([answer[at + 8], answer[at + 9]]) as usize;
        let data = &answer[at + 10..at + 10 + length];
        at += 10 + length;
        let mut strings = Vec::new();
        let mut i = 0;
        while i < data.len() {
            strings.push(String::from_utf8_lossy(&data[i + 1..i + 1 + data[i] as usize]).into_owned());
            i += 1 + data[i] as usize;
        }
        records.push(strings);
    }
    records
}

#[tokio::test]
async fn the_stacks_dns_server_answers_the_test_domains_records_over_udp_and_tcp() {
    let server: SocketAddr = dns_address(auth_stack()).parse().unwrap();
    for tcp in [false, true] {
        assert_eq!(txt(server, "_dmarc.partner.test", tcp), [["v=DMARC1; p=reject"]]);
        assert_eq!(txt(server, "_dmarc.customer.test", tcp), [["v=DMARC1; p=reject"]]);
        assert_eq!(txt(server, "_dmarc.monitor.test", tcp), [["v=DMARC1; p=none"]]);
        assert_eq!(txt(server, "partner.test", tcp), [["v=spf1 -all"]]);
        let key = txt(server, "s2026._domainkey.customer.test", tcp).remove(0).concat();
        assert!(key.starts_with("v=DKIM1;") && key.contains("k=rsa; p=MIIB"), "{key}");
    }
}

// --- The desk, trusting mx.example.test, on real headers ---

async fn trusting_desk() -> TestDesk {
    let stack = auth_stack();
    TestDesk::with(DeskOptions {
        extra: format!("[security]\nauthserv_id = \"{AUTH_SERV_ID}\"\n"),
        ..DeskOptions::on(stack)
    })
    .await
}

/// The partner's form, sent to `port`: `AUTH.signing` (it arrives signed) or `AUTH.smtp` (a forger's).
async fn send_form(desk: &TestDesk, p: &People, port: u16) {
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_via(port).await;
}

/// A request the partner submitted (signed all along), and the activation email the customer got.
async fn pending_acceptance() -> (TestDesk, People, Received) {
    let desk = trusting_desk().await;
    let p = People::new();
    send_form(&desk, &p, AUTH.signing).await;
    desk.poll(1).await;
    let review = inbox_on(AUTH, &p.partner, 1).await.remove(0);
    review.send_reply_via(AUTH.signing, &p.partner, "SUBMIT").await;
    desk.poll(2).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    let activation = inbox_exactly_on(AUTH, &p.customer, 1).await.remove(0);
    (desk, p, activation)
}

/// Whether the request's history has an event of `kind` whose detail says `what`.
async fn history_says(desk: &TestDesk, kind: &str, what: &str) -> bool {
    let r = desk.one().await;
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    history.iter().any(|e| e.kind == kind && e.detail.contains(what))
}

#[tokio::test]
async fn a_forged_form_from_the_partner_domain_creates_no_request_and_answers_nobody() {
    let desk = trusting_desk().await;
    let p = People::new();
    send_form(&desk, &p, AUTH.smtp).await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty(), "a form that fails DMARC creates nothing");
    // Our MX checked no SPF, so the sender proved no address: an answer to
    // the From would be backscatter to whoever the forger named.
    inbox_exactly_on(AUTH, &p.partner, 0).await;
}

#[tokio::test]
async fn a_signed_form_from_the_partner_domain_is_taken() {
    let desk = trusting_desk().await;
    let p = People::new();
    send_form(&desk, &p, AUTH.signing).await;
    desk.poll(1).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::AwaitingReview);
    assert!(history_says(&desk, "received", &format!("dmarc=pass by {AUTH_SERV_ID}")).await);
    let review = inbox_exactly_on(AUTH, &p.partner, 1).await.remove(0);
    assert!(review.text.contains(r.reference.as_str()), "{}", review.text);
}

#[tokio::test]
async fn a_forged_accept_from_the_customer_is_refused_and_the_request_stays_pending() {
    let (desk, p, activation) = pending_acceptance().await;
    activation.send_reply_via(AUTH.smtp, &p.customer, "ACCEPT").await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert!(history_says(&desk, "refused", &format!("dmarc=fail by {AUTH_SERV_ID}")).await);
    inbox_exactly_on(AUTH, &p.customer, 1).await;
}

#[tokio::test]
async fn a_signed_accept_from_the_customer_activates_the_request() {
    let (desk, p, activation) = pending_acceptance().await;
    activation.send_reply_via(AUTH.signing, &p.customer, "ACCEPT").await;
    desk.poll(3).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::Active);
    let out = desk.bin().args(["requests", "show", r.reference.as_str()]).output().unwrap();
    let show = String::from_utf8_lossy(&out.stdout);
    let accept = show.lines().find(|l| l.contains("ACCEPT applied")).unwrap_or_else(|| panic!("{show}"));
    assert!(accept.contains(&format!("dmarc=pass by {AUTH_SERV_ID}")), "{accept}");
}
