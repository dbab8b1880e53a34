//! PostgreSQL going away under `run` (issue 23): an email whose send-time
//! rendering meets the outage stays pending and goes once the database is
//! back, never failed; mail that arrives during and right after a restart is
//! read within seconds. On a cluster of these tests' own, which they stop and
//! start one at a time.
// Each test holds its cluster's lock for its whole run: that is the point, so
// that two tests never stop it under each other.
#![allow(clippy::await_holding_lock)]
use std::time::{Duration, Instant};

use chrono::Utc;
use smartacct::domain::State;
use sqlx::Connection as _;

use crate::helpers::process::Running;
use crate::helpers::*;

/// scripts/pgstack.sh's environment for this cluster: a data directory and a
/// port of its own (the shared cluster is 5433, several_hosts' private one 5434).
const OUTAGE: [(&str, &str); 2] = [("PGSTACK_BASE", "/var/lib/smartacct-test/outage"), ("PGSTACK_PORT", "5435")];

/// The cluster these tests stop and start, held by one test at a time: in
/// this binary, and in any other on the machine (an OS file lock).
struct Cluster {
    admin: String,
    _in_process: std::sync::MutexGuard<'static, ()>,
    _across_processes: std::fs::File,
}

impl Cluster {
    fn take() -> Cluster {
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(std::env::temp_dir().join("smartacct-outage-cluster.lock"))
            .expect("the outage cluster's lock file opens");
        file.lock().expect("the outage cluster's lock is taken");
        // Up, whatever a test that failed half-way left.
        pgstack(&OUTAGE, &["up"]);
        Cluster { admin: pgstack(&OUTAGE, &["url"]), _in_process: guard, _across_processes: file }
    }

    /// Fast shutdown: every session ends ("terminating connection due to administrator command").
    fn stop(&self) {
        pgstack(&OUTAGE, &["down"]);
    }

    fn start(&self) {
        pgstack(&OUTAGE, &["up"]);
    }

    async fn desk(&self) -> TestDesk {
        TestDesk::with(DeskOptions { review: false, postgres: Some(self.admin.clone()), ..Default::default() }).await
    }

    /// A connection of the test's own to the desk's database.
    async fn connect(&self, desk: &TestDesk) -> sqlx::PgConnection {
        sqlx::PgConnection::connect(&database_url(desk.dir.path(), Some(&self.admin))).await.expect("the test connects")
    }

    /// A pool of the test's own on the desk's database, for looking.
    async fn probe(&self, desk: &TestDesk) -> sqlx::PgPool {
        sqlx::PgPool::connect(&database_url(desk.dir.path(), Some(&self.admin))).await.expect("the test connects")
    }
}

/// Waits (bounded) until a session of the desk waits on a lock in a query that contains `sql`.
async fn waiting_on_a_lock(probe: &sqlx::PgPool, sql: &str) {
    let like = format!("%{sql}%");
    wait_until(&format!("a query of the desk ({sql}) waiting on the test's lock"), || {
        let like = like.clone();
        async move {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND wait_event_type = 'Lock' AND query LIKE $1",
            )
            .bind(like)
            .fetch_one(probe)
            .await
            .unwrap();
            n > 0
        }
    })
    .await;
}

#[tokio::test]
async fn a_database_restart_while_a_sweep_notice_is_rendered_leaves_it_pending_and_it_is_sent_once_the_database_is_back()
 {
    let cluster = Cluster::take();
    let desk = cluster.desk().await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    inbox(&p.customer, 1).await;
    // The sweep expires the request and queues its two notices, deferred:
    // they are rendered from the request as it is at their first send.
    let expires = desk.one().await.expires_at.unwrap();
    let report = smartacct::sweep::sweep_once(&desk.app, expires + chrono::Duration::days(1)).await.unwrap();
    assert_eq!(report.expired, 1);
    let db = cluster.probe(&desk).await;
    // Due now (queued by a sweep as of tomorrow, they would wait for tomorrow).
    let due = sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE plan IS NOT NULL")
        .bind(smartacct::request::rfc3339(Utc::now()))
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(due.rows_affected(), 2, "the customer's and the partner's notices are deferred");

    // The rendering's read of the request is in flight when the database goes:
    // it waits on the test's lock on the table, then its session is ended.
    let mut lock = cluster.connect(&desk).await;
    sqlx::query("BEGIN").execute(&mut lock).await.unwrap();
    sqlx::query("LOCK TABLE requests IN ACCESS EXCLUSIVE MODE").execute(&mut lock).await.unwrap();
    let mut run = desk.start(&["run"], &[]);
    waiting_on_a_lock(&db, "FROM requests WHERE id = $1").await;
    db.close().await;
    cluster.stop();
    drop(lock);
    cluster.start();

    // Sent after the restart, by the same `run`, without an operator's `outbox retry`.
    let notices = || async {
        let outbox = desk.app.store.list_outbox(false).await.unwrap();
        outbox.into_iter().filter(|o| o.kind.name().starts_with("expired")).collect::<Vec<_>>()
    };
    wait_until("both notices no longer pending", || async {
        notices().await.iter().all(|o| o.status.as_str() != "pending")
    })
    .await;
    let notices = notices().await;
    for o in &notices {
        assert_eq!(o.status.as_str(), "sent", "{o:?}\n{}", run.log());
    }
    assert!(
        run.log().contains("cannot render a queued email: the database did not answer; will retry"),
        "the rendering met the outage:\n{}",
        run.log()
    );
    let customer = inbox_exactly(&p.customer, 2).await;
    assert!(customer.iter().any(|m| m.subject.contains("expired")), "the expiry notice reached the customer");
    inbox_exactly(&p.partner, 2).await;
    assert_eq!(desk.one().await.state, State::Expired);
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

/// Waits until `f` holds, at most `bound`; how long it took.
async fn within<F, Fut>(bound: Duration, what: &str, run: &Running, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !f().await {
        assert!(start.elapsed() < bound, "not within {bound:?}: {what}; run said:\n{}", run.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    start.elapsed()
}

/// `run` watching the mailbox in IDLE, its start-up sweep done.
async fn watching(desk: &TestDesk) -> Running {
    let mut run = desk.start(&["run"], &[]);
    assert!(run.wait_log("IDLE: waiting for new mail").await, "{}", run.log());
    assert!(run.wait_log("next sweep").await, "{}", run.log());
    run
}

/// A form whose processing is in flight: its read of the requests waits on
/// the returned connection's lock on the table (until that ends).
async fn a_form_in_flight(cluster: &Cluster, desk: &TestDesk) -> (People, sqlx::PgConnection) {
    let mut lock = cluster.connect(desk).await;
    sqlx::query("BEGIN").execute(&mut lock).await.unwrap();
    sqlx::query("LOCK TABLE requests IN ACCESS EXCLUSIVE MODE").execute(&mut lock).await.unwrap();
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let probe = cluster.probe(desk).await;
    waiting_on_a_lock(&probe, "FROM requests").await;
    probe.close().await;
    (p, lock)
}

/// How long `run` may take to read mail once the database answers again.
const PROMPTLY: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_message_whose_transaction_the_database_ended_is_read_again_within_seconds_without_waiting_for_more_mail() {
    let cluster = Cluster::take();
    let desk = cluster.desk().await;
    let mut run = watching(&desk).await;
    let (p, mut lock) = a_form_in_flight(&cluster, &desk).await;
    // Its session alone is ended, as a restart ends every session: the
    // watch's own connection (and so the lead) is untouched.
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock' AND query LIKE '%FROM requests%'",
    )
    .fetch_all(&mut lock)
    .await
    .unwrap();
    assert_eq!(ended, [true]);
    sqlx::query("ROLLBACK").execute(&mut lock).await.unwrap();
    let at = Instant::now();
    assert!(run.wait_log("cannot process message").await, "{}", run.log());

    // No other mail comes to wake the watcher: it looks again by itself.
    let took =
        within(PROMPTLY, "the message to be read again", &run, || async { desk.requests().await.len() == 1 }).await;
    eprintln!("read again {took:?} after its transaction was ended");
    let _ = at;
    inbox_exactly(&p.customer, 1).await;
    assert_eq!(count(&desk.address, "INBOX").await, 0, "nothing left in the inbox");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn mail_in_hand_arriving_during_and_right_after_a_database_restart_is_read_within_seconds() {
    let cluster = Cluster::take();
    let desk = cluster.desk().await;
    let mut run = watching(&desk).await;
    let (in_hand, lock) = a_form_in_flight(&cluster, &desk).await;
    cluster.stop();
    drop(lock);
    let during = People::new();
    Outgoing::text(&during.partner, &desk.address, "Smart Account request", &during.form_en()).send().await;
    wait_until("the mail sent during the restart in the desk's inbox", || async {
        count(&desk.address, "INBOX").await == 2
    })
    .await;
    // Down long enough that `run` saw its watch go with the database.
    assert!(run.wait_log("lost the database connection that holds the mailbox watch").await, "{}", run.log());
    cluster.start();
    assert!(run.log().contains("cannot process message"), "the mail in hand met the outage:\n{}", run.log());

    // No other mail comes to wake the watcher: it looks again by itself.
    let took = within(PROMPTLY, "the mail in hand and the mail sent during the restart read", &run, || async {
        desk.requests().await.len() == 2
    })
    .await;
    let after = People::new();
    Outgoing::text(&after.partner, &desk.address, "Smart Account request", &after.form_en()).send().await;
    let then = within(PROMPTLY, "the mail sent right after the restart read", &run, || async {
        desk.requests().await.len() == 3
    })
    .await;
    eprintln!("read {took:?} after the database was back; the next one {then:?} after it was sent");
    for p in [&in_hand, &during, &after] {
        inbox_exactly(&p.customer, 1).await;
    }
    assert_eq!(count(&desk.address, "INBOX").await, 0, "nothing left in the inbox");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}
