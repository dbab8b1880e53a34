//! `security.verify_dkim`: the desk verifies DKIM and the From domain's DMARC policy itself, over the AUTH stack's
//! DNS server (`security.resolver`), for mailboxes whose provider writes no usable `Authentication-Results`. The
//! desk trusts no header here (no `authserv_id`): what the milters wrote is ignored.
use smartacct::domain::State;

use crate::helpers::*;

async fn verifying_desk(policy: &str) -> TestDesk {
    let stack = auth_stack();
    let dns = dns_address(stack);
    TestDesk::with(DeskOptions {
        extra: format!("[security]\nverify_dkim = true\nresolver = \"{dns}\"\ndmarc = \"{policy}\"\n"),
        ..DeskOptions::on(stack)
    })
    .await
}

async fn history(desk: &TestDesk) -> Vec<String> {
    let r = desk.one().await;
    desk.app
        .store
        .events(r.id.unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.kind, e.detail))
        .collect()
}

#[tokio::test]
async fn a_form_signed_by_the_partners_server_passes_the_desks_own_check() {
    let desk = verifying_desk("refuse-fail").await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_via(AUTH.signing).await;
    desk.poll(1).await;
    assert_eq!(desk.one().await.state, State::AwaitingReview);
    let h = history(&desk).await;
    assert!(
        h[0].contains("own check: dmarc=pass for partner.test; dkim=pass d=partner.test"),
        "the proof names what was verified: {h:?}"
    );
    inbox_exactly_on(AUTH, &p.partner, 1).await;
}

#[tokio::test]
async fn an_unsigned_form_from_a_reject_domain_fails_the_desks_own_check_and_creates_nothing() {
    let desk = verifying_desk("refuse-fail").await;
    let p = People::new();
    // Straight to our MX, as a forger would: the milters stamp a fail the desk does not read; its own check fails.
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_via(AUTH.smtp).await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty(), "a failed own check is a DMARC fail");
    inbox_exactly_on(AUTH, &p.partner, 0).await;
}

#[tokio::test]
async fn a_forged_accept_fails_the_own_check_and_a_signed_one_activates() {
    let desk = verifying_desk("require-pass").await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send_via(AUTH.signing).await;
    desk.poll(1).await;
    inbox_on(AUTH, &p.partner, 1).await.remove(0).send_reply_via(AUTH.signing, &p.partner, "SUBMIT").await;
    desk.poll(2).await;
    let activation = inbox_exactly_on(AUTH, &p.customer, 1).await.remove(0);
    activation.send_reply_via(AUTH.smtp, &p.customer, "ACCEPT").await;
    desk.poll(3).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    assert!(history(&desk).await.iter().any(|e| e.starts_with("refused ") && e.contains("own check: dmarc=fail")));
    activation.send_reply_via(AUTH.signing, &p.customer, "ACCEPT").await;
    desk.poll(4).await;
    assert_eq!(desk.one().await.state, State::Active);
}
