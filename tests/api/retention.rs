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

/// Every text and blob value of every table of an SQLite database, as (table.column, text).
async fn every_value(file: &std::path::Path) -> Vec<(String, String)> {
    use sqlx::{Connection as _, Row as _};
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display())).await.unwrap();
    async fn names(db: &mut sqlx::SqliteConnection, sql: String) -> Vec<String> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(db).await.unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    }
    let tables = names(
        &mut db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
            .into(),
    )
    .await;
    let mut values = Vec::new();
    for table in tables {
        let columns = names(&mut db, format!("SELECT name FROM pragma_table_info('{table}')")).await;
        for column in columns {
            let sql = format!("SELECT CAST(\"{column}\" AS BLOB) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL");
            for row in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut db).await.unwrap() {
                let bytes: Vec<u8> = row.get(0);
                values.push((format!("{table}.{column}"), String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    values
}

#[tokio::test]
async fn after_retention_no_table_or_column_holds_the_personal_data_of_closed_requests_or_of_mail_no_request_owns() {
    if sqlite_only("reading every table of the file") {
        return;
    }
    let desk = TestDesk::with(DeskOptions {
        review: false,
        extra: "\n[retention]\nclosed_days = 30\n[security]\nauthserv_id = \"mx.example.test\"\n".into(),
        ..Default::default()
    })
    .await;
    let p = People::new();
    // A request with every personal field, declined and so closed.
    let form = format!("{}Partner company: Reseller Unique-{}\n", p.form_en(), uid());
    Outgoing::text(&format!("Bob Quux-{} <{}>", uid(), p.partner), &desk.address, "Smart Account request", &form)
        .send()
        .await;
    desk.poll(1).await;
    let r = desk.one().await;
    inbox(&p.customer, 1).await.remove(0).send_reply(&p.customer, "DECLINE").await;
    desk.poll(2).await;
    // Mail no request owns: an unknown sender's form (refused and answered), a partner's help
    // request (answered with the blank form), a form that fails DMARC (refused, kept as evidence).
    Outgoing::text(&p.stranger, &desk.address, "Smart Account request", &p.form_en()).send().await;
    Outgoing::text(&p.other_partner, &desk.address, "help", "").send().await;
    Outgoing::text(&p.other_partner, &desk.address, "Smart Account request", &People::new().form_en())
        .header("Authentication-Results", "mx.example.test; dmarc=fail header.from=partner.test")
        .send()
        .await;
    desk.poll(5).await;
    inbox(&p.stranger, 1).await;
    inbox(&p.other_partner, 1).await;

    let file = desk.dir.path().join("smartacct.db");
    let personal = [
        p.customer.clone(),
        p.user1.clone(),
        p.user2.clone(),
        p.stranger.clone(),
        p.other_partner.clone(),
        "Please accept, thanks.".to_string(),
        "Welcome aboard.".to_string(),
        r.partner_name.clone().unwrap(),
        r.partner_company.clone().unwrap(),
    ];
    let before = every_value(&file).await;
    for needle in &personal {
        assert!(before.iter().any(|(_, v)| v.contains(needle.as_str())), "the test's data is there first: {needle}");
    }

    let report = desk.sweep(Utc::now() + Duration::days(31)).await;
    assert_eq!(report.erased, 1);
    assert!(report.erased_unowned > 0, "{report:?}");
    let after = every_value(&file).await;
    for needle in &personal {
        let left: Vec<&String> = after.iter().filter(|(_, v)| v.contains(needle.as_str())).map(|(c, _)| c).collect();
        assert!(left.is_empty(), "{needle} is still in {left:?}");
    }
    // The partner's address stays only where the request keeps who asked (SPEC §11: reference, state, dates
    // and the partner stay, so the history still counts), and in the console's search text of that request.
    let partner: Vec<&String> = after.iter().filter(|(_, v)| v.contains(p.partner.as_str())).map(|(c, _)| c).collect();
    let kept =
        ["requests.partner_email", "requests.partner_mailbox", "requests_search.text", "requests_search_content.c0"];
    assert!(partner.iter().all(|c| kept.contains(&c.as_str())), "{partner:?}");
    let erased = desk.app.store.request_by_reference(&r.reference).await.unwrap().unwrap();
    assert_eq!((erased.state, erased.partner_company, erased.partner_name), (State::Declined, None, None));
    // A second sweep finds nothing more.
    let again = desk.sweep(Utc::now() + Duration::days(31)).await;
    assert_eq!((again.erased, again.erased_unowned), (0, 0));
}
