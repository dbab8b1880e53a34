//! Data kept only as long as needed (SPEC §11): retention erases personal data of long-closed requests; backups are consistent.
use chrono::{Duration, Utc};
use smartacct::domain::State;

use crate::helpers::*;

#[tokio::test]
async fn the_sweep_erases_personal_data_of_requests_closed_longer_than_closed_days_once() {
    let desk = TestDesk::with(DeskOptions {
        review: false,
        extra: "\n[retention]\nclosed_days = 30\n".into(),
        ..Default::default()
    })
    .await;
    let (old, fresh) = (People::new(), People::new());
    for p in [&old, &fresh] {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    desk.poll(2).await;
    inbox(&old.customer, 1).await.remove(0).send_reply(&old.customer, "DECLINE").await;
    desk.poll(3).await;
    let declined = desk.requests().await.into_iter().find(|r| r.state == State::Declined).unwrap();

    // 31 days later: the declined request is erased; the pending one is untouched.
    let later = Utc::now() + Duration::days(31);
    let report = desk.sweep(later).await;
    assert_eq!(report.erased, 1);
    let erased = desk.app.store.request_by_reference(&declined.reference).await.unwrap().unwrap();
    assert_eq!(erased.customer_email.as_str(), "erased@erased.invalid");
    assert!(erased.user_emails.is_empty() && erased.note_to_customer.is_none() && erased.note_to_users.is_none());
    assert_eq!((erased.state, erased.closed_at), (State::Declined, declined.closed_at), "state and dates stay");
    assert!(erased.erased_at.is_some());
    let history = desk.app.store.events(erased.id.unwrap()).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "erased"), "{history:?}");
    assert!(history.iter().all(|e| !e.detail.contains(&old.customer)), "no address left in the history: {history:?}");
    let emails = desk.app.store.outbox_for_request(erased.id.unwrap()).await.unwrap();
    assert!(emails.iter().all(|o| o.recipient == "erased"), "{emails:?}");
    for o in &emails {
        assert!(desk.app.store.outbox_raw(o.id).await.unwrap().is_empty());
    }
    let proofs = desk.app.store.evidence(erased.id.unwrap()).await.unwrap();
    assert_eq!(proofs.len(), 2, "the form's and the DECLINE's proofs stay, without their messages");
    assert!(proofs.iter().all(|e| e.raw.is_empty() && e.sender == "erased" && !e.verdict.contains(&old.customer)));
    let out = desk.bin().args(["requests", "show", erased.reference.as_str()]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("erased") && !shown.contains(&old.customer), "{shown}");
    let pending = desk.requests().await.into_iter().find(|r| r.state == State::PendingCustomerAcceptance).unwrap();
    assert_eq!(pending.customer_email.as_str(), fresh.customer);

    // Idempotent: a second sweep erases nothing more.
    assert_eq!(desk.sweep(later).await.erased, 0);
}

#[tokio::test]
async fn a_backup_taken_while_the_desk_works_is_a_complete_private_database() {
    use std::os::unix::fs::PermissionsExt as _;
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    if on_postgres() {
        // PostgreSQL has its own backups: the command says so and writes nothing.
        let copy = desk.dir.path().join("backup.db");
        let out = desk.bin().arg("backup").arg(&copy).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!copy.exists());
        return;
    }
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let copy = desk.dir.path().join("backup.db");
    let out = desk.bin().arg("backup").arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    // The copy is a working database: the same request, the same token secret.
    let restored = smartacct::store::Store::open(&format!("sqlite://{}", copy.display())).await.unwrap();
    assert_eq!(restored.list_requests(None).await.unwrap(), desk.requests().await);
    assert_eq!(restored.token_secret().await.unwrap(), desk.app.store.token_secret().await.unwrap());
    // Never over an existing file.
    let again = desk.bin().arg("backup").arg(&copy).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}
