//! The outbox: mail decided while SMTP is down is delivered by the next pass, once.
use smartacct::domain::State;

use crate::helpers::*;

/// A desk whose SMTP server is down (a port nothing listens on), after one
/// poll took a partner's form (review off: two emails queued, each tried once).
async fn form_decided_with_smtp_down() -> (TestDesk, People) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desk = TestDesk::with(DeskOptions { review: false, smtp_port: closed, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    (desk, p)
}

#[tokio::test]
async fn with_smtp_unreachable_the_request_is_recorded_and_the_next_poll_delivers_each_email_once() {
    let (desk, p) = form_decided_with_smtp_down().await;

    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance, "the request is committed whatever SMTP does");
    let queued = desk.app.store.list_outbox(false).await.unwrap();
    assert_eq!(queued.len(), 2);
    assert!(
        queued.iter().all(|o| o.status.as_str() == "pending" && o.attempts == 1 && o.last_error.is_some()),
        "{queued:?}"
    );
    assert_eq!(count(&desk.address, "Processed").await, 1, "the mail is taken: its effects are committed");

    // SMTP is back: the next pass delivers everything, whatever the backoff said.
    let desk = desk.reconfigure(DeskOptions { review: false, ..Default::default() }).await;
    desk.poll(1).await;
    inbox_exactly(&p.partner, 1).await;
    inbox_exactly(&p.customer, 1).await;
    assert!(desk.app.store.list_outbox(false).await.unwrap().iter().all(|o| o.status.as_str() == "sent"));

    // And a third pass sends nothing again.
    desk.poll(1).await;
    inbox_exactly(&p.partner, 1).await;
    inbox_exactly(&p.customer, 1).await;
}

#[tokio::test]
async fn an_email_that_cannot_be_sent_for_smtp_max_retry_hours_is_marked_failed_not_dropped() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desk = TestDesk::with(DeskOptions {
        smtp_port: closed,
        smtp_extra: "max_retry_hours = 0".into(),
        ..Default::default()
    })
    .await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    // A retry window of 0 hours: the first temporary failure is already past it.
    let failed = desk.app.store.list_outbox(true).await.unwrap();
    assert_eq!(failed.len(), 1, "the email is kept, marked failed");
    assert!(failed[0].last_error.as_deref().unwrap().contains("gave up after 0 h"), "{:?}", failed[0].last_error);
    assert_eq!(failed[0].attempts, 1);
    assert_eq!(desk.one().await.state, smartacct::domain::State::AwaitingReview, "the request itself is untouched");
}

#[tokio::test]
async fn emails_queued_before_their_bytes_left_the_outbox_table_are_sent_once_as_they_were_after_the_upgrade() {
    use sqlx::SqlSafeStr as _;
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    if sqlite_only("the test writes the database of the version before: it") {
        return;
    }
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    desk.app.store.close().await;
    let db = desk.dir.path().join("smartacct.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    // The database as the version before left it: migrations up to 0011,
    // each email's bytes in `outbox.raw`. One pending, one sent, one deferred
    // (a sweep's notice, not rendered yet).
    let mut old = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let (version, description) = name.split_once('_').unwrap();
        if version < "0012" {
            let sql = std::fs::read_to_string(&path).unwrap();
            let sql = sqlx::AssertSqlSafe(sql).into_sql_str();
            old.push(Migration::new(
                version.parse().unwrap(),
                description.to_string().into(),
                MigrationType::Simple,
                sql,
                false,
            ));
        }
    }
    let options = SqliteConnectOptions::new().filename(&db).create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    Migrator::with_migrations(old).run(&pool).await.unwrap();
    let to = format!("old-{}@customer.test", uid());
    let raw = format!(
        "From: {desk}\r\nTo: {to}\r\nSubject: Queued before the upgrade\r\nMessage-ID: <old-1@example.test>\r\n\
         Date: Thu, 03 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nThe bytes as they were queued.\r\n",
        desk = desk.address
    );
    let now = smartacct::request::rfc3339(chrono::Utc::now());
    for (id, status, raw, plan) in [
        (1, "pending", raw.as_bytes().to_vec(), None),
        (2, "sent", b"Subject: long gone\r\n\r\nSent.\r\n".to_vec(), None),
        (3, "pending", Vec::new(), Some("{\"not\": \"rendered\"}")),
    ] {
        sqlx::query(
            "INSERT INTO outbox (id, kind, recipient, message_id, bounce_id, envelope_from, subject, raw, plan, status, \
             next_attempt_at, created_at) VALUES (?, 'activation', ?, ?, ?, ?, 'Queued before the upgrade', ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(&to)
        .bind(format!("<old-{id}@example.test>"))
        .bind(format!("old{id}"))
        .bind(&desk.address)
        .bind(raw)
        .bind(plan)
        .bind(status)
        .bind(&now)
        .bind(&now)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    // The new version opens the database (migrating it) and delivers.
    let desk = desk.reconfigure_keep_file().await;
    let store = &desk.app.store;
    assert_eq!(store.outbox_raw(1).await.unwrap(), raw.as_bytes(), "the pending email's bytes moved with it");
    assert_eq!(
        store.outbox_raw(2).await.unwrap(),
        b"Subject: long gone\r\n\r\nSent.\r\n",
        "a sent email's bytes are kept"
    );
    assert!(store.outbox_raw(3).await.unwrap().is_empty(), "a deferred email has no bytes until it is rendered");
    let queued = store.list_outbox(false).await.unwrap();
    assert_eq!(queued.iter().find(|o| o.id == 3).unwrap().plan.as_deref(), Some("{\"not\": \"rendered\"}"));
    assert_eq!(queued.iter().find(|o| o.id == 1).unwrap().plan, None);

    smartacct::delivery::deliver(&desk.app, chrono::Utc::now(), true).await.unwrap();
    let got = inbox(&to, 1).await;
    assert_eq!(got[0].subject, "Queued before the upgrade");
    assert_eq!(got[0].text.trim(), "The bytes as they were queued.");
    let after = store.list_outbox(false).await.unwrap();
    assert_eq!(after.iter().find(|o| o.id == 1).unwrap().status.as_str(), "sent");
    // The unreadable plan is refused clearly, kept and shown failed; nothing else is sent.
    let deferred = after.iter().find(|o| o.id == 3).unwrap();
    assert_eq!(deferred.status.as_str(), "failed", "{deferred:?}");
    assert!(deferred.last_error.as_deref().unwrap().contains("plan"), "{:?}", deferred.last_error);
    smartacct::delivery::deliver(&desk.app, chrono::Utc::now(), true).await.unwrap();
    settle().await;
    assert_eq!(count(&to, "INBOX").await, 1, "sent once");
}

#[tokio::test]
async fn a_server_that_does_not_take_pipelined_commands_gets_each_email_one_command_at_a_time() {
    // The stack's submission port offers no PIPELINING (port 2525 does): MAIL
    // FROM, RCPT TO and DATA each wait for their answer.
    let desk = TestDesk::with(DeskOptions {
        review: false,
        smtp_port: MAIN.submission,
        smtp_extra: format!("username = \"{{desk}}\"\npassword = \"{PASSWORD}\""),
        ..Default::default()
    })
    .await;
    let people: Vec<People> = (0..3).map(|_| People::new()).collect();
    for p in &people {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    desk.poll(people.len()).await;
    for p in &people {
        assert!(inbox_exactly(&p.customer, 1).await[0].text.contains("ACCEPT"));
        assert_eq!(inbox_exactly(&p.partner, 1).await.len(), 1);
    }
    assert!(desk.app.store.list_outbox(false).await.unwrap().iter().all(|o| o.status.as_str() == "sent"));
}

/// A connection to the desk's database, beside the desk's own.
async fn database(desk: &TestDesk) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&database_url(desk.dir.path(), None)).await.unwrap()
}

/// The claimers' names on the desk's outbox rows, by id.
async fn claims(desk: &TestDesk) -> Vec<Option<String>> {
    let pool = database(desk).await;
    let rows: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT claimed_by FROM outbox ORDER BY id").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.into_iter().map(|(c,)| c).collect()
}

#[tokio::test]
async fn claims_a_pass_did_not_send_on_are_given_back_and_a_pass_that_recorded_every_result_gives_nothing_back() {
    use smartacct::store::Queue;
    let (desk, _) = form_decided_with_smtp_down().await;
    let store = &desk.app.store;
    assert_eq!(claims(&desk).await, [None, None], "the first pass recorded both results: no claim is left");

    // A pass claims the first email and stops before sending it: the claim goes back at once.
    let claimed = store.due_to_send(chrono::Utc::now(), true, 0, 1).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let held = claims(&desk).await;
    assert!(held[0].is_some() && held[1].is_none(), "{held:?}");
    store.release_claims().await.unwrap();
    assert_eq!(claims(&desk).await, [None, None]);

    // A pass whose every email got its result ends every claim it made, so there is
    // nothing to give back: a claim under this process's name that it did not make
    // (written here behind its back) shows that no statement ran.
    let claimed = store.due_to_send(chrono::Utc::now(), true, 0, 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let name = claims(&desk).await[0].clone().unwrap();
    store.mark_sent(Queue::Email, &[claimed[0].0.id], chrono::Utc::now()).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    store.mark_retry(Queue::Email, claimed[1].0.id, "still down", later).await.unwrap();
    assert_eq!(claims(&desk).await, [None, None]);
    let pool = database(&desk).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE outbox SET claimed_by = '{name}' WHERE id = {}", claimed[1].0.id)))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    store.release_claims().await.unwrap();
    assert_eq!(claims(&desk).await, [None, Some(name)]);
}
