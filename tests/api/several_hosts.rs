//! SPEC §10: several `run` processes on one PostgreSQL database and one
//! mailbox — one watcher, every process delivering, the sweep once, and
//! nothing lost or doubled when processes or the database die.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use smartacct::domain::State;

use crate::helpers::process::Running;
use crate::helpers::*;

/// A desk on the test cluster whose claims run out after `lease` seconds.
async fn desk_on_postgres(admin: String, lease: u32, review: bool) -> TestDesk {
    TestDesk::with(DeskOptions {
        review,
        postgres: Some(admin),
        database_extra: format!("claim_lease_secs = {lease}"),
        partners_extra: "max_open_requests = 1000\nmax_new_requests_per_day = 1000".into(),
        ..Default::default()
    })
    .await
}

/// The line each `run` logs when it takes the mailbox watch.
const LEADS: &str = "this process watches the mailbox";

/// Which of `runs` (still running) has taken the watch since `from` lines of its log.
fn leader(runs: &mut [Option<Running>], from: &[usize]) -> Option<usize> {
    runs.iter_mut().enumerate().find_map(|(i, r)| {
        let r = r.as_mut()?;
        let taken = r.lines.lock().unwrap().iter().skip(from[i]).any(|l| l.contains(LEADS));
        (taken && r.child.try_wait().unwrap().is_none()).then_some(i)
    })
}

async fn wait_for_leader(runs: &mut [Option<Running>], from: &[usize], bound: Duration) -> Option<usize> {
    let start = Instant::now();
    while start.elapsed() < bound {
        if let Some(i) = leader(runs, from) {
            return Some(i);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

fn log_len(runs: &[Option<Running>]) -> Vec<usize> {
    runs.iter().map(|r| r.as_ref().map_or(0, |r| r.lines.lock().unwrap().len())).collect()
}

#[tokio::test]
async fn three_processes_work_a_backlog_while_the_leader_and_then_a_follower_are_killed() {
    let desk = desk_on_postgres(cluster(), 5, false).await;
    let people: Vec<People> = (0..200).map(|_| People::new()).collect();
    for p in &people {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    wait_total(&desk.address, people.len()).await;
    let started = Instant::now();
    // Each reads its batch slowly, so the kills land while mail is in hand.
    let slow = [("SMARTACCT_TEST_SLOW_MS", "50")];
    let mut runs: Vec<Option<Running>> = (0..3).map(|_| Some(desk.start(&["run"], &slow))).collect();
    let first = wait_for_leader(&mut runs, &[0, 0, 0], Duration::from_secs(30)).await.expect("one process leads");
    wait_until("the leader has committed 40 requests", || async { desk.requests().await.len() >= 40 }).await;

    // The leader dies in the middle of its work.
    let mark = log_len(&runs);
    runs[first].as_mut().unwrap().kill9().await;
    let killed_at = Instant::now();
    let killed_leader = runs[first].take().unwrap();
    let second = wait_for_leader(&mut runs, &mark, Duration::from_secs(30)).await.expect("a follower takes over");
    let takeover = killed_at.elapsed();
    assert!(takeover < Duration::from_secs(30), "took over in {takeover:?}");
    let at_takeover = desk.requests().await.len();

    // Then the follower that does not lead, while it delivers.
    let follower = (0..3).find(|i| *i != first && *i != second).unwrap();
    wait_until("more requests after the takeover", || async { desk.requests().await.len() >= at_takeover + 20 }).await;
    runs[follower].as_mut().unwrap().kill9().await;
    let killed_follower = runs[follower].take().unwrap();

    // The last one finishes everything: every request, every email.
    wait_until("every request committed and every email sent", || async {
        let requests = desk.requests().await.len();
        let outbox = desk.app.store.list_outbox(false).await.unwrap();
        requests == people.len() && outbox.iter().all(|o| o.status.as_str() == "sent")
    })
    .await;
    let finished = started.elapsed();
    assert_eq!(count(&desk.address, "INBOX").await, 0, "every message was moved");
    let requests = desk.requests().await;
    for p in &people {
        let mine: Vec<_> = requests.iter().filter(|r| r.account_domain.as_str() == p.domain).collect();
        assert_eq!(mine.len(), 1, "{} has {} requests", p.domain, mine.len());
        assert_eq!(mine[0].state, State::PendingCustomerAcceptance);
    }
    // Each email at least once; a repeat only for one in flight in a killed
    // process (at most its SMTP pool's worth, 4 by default, per kill).
    settle().await;
    let mut repeats = 0;
    for p in &people {
        for who in [&p.customer, &p.partner] {
            let n = count(who, "INBOX").await;
            assert!(n >= 1, "{who} got nothing");
            repeats += n - 1;
        }
    }
    assert!(repeats <= 2 * 4, "{repeats} repeated emails for 2 kills");
    // Who sent what: every process that lived delivered its share.
    let mut sent_by: HashMap<usize, usize> = HashMap::new();
    for (i, r) in runs.iter().enumerate() {
        if let Some(r) = r {
            sent_by.insert(i, r.log().matches("email sent").count());
        }
    }
    sent_by.insert(first, killed_leader.log().matches("email sent").count());
    sent_by.insert(follower, killed_follower.log().matches("email sent").count());
    // How the sends fell is timing (whichever sender claims first); it is
    // printed, not asserted (one process sending all 400 happened in CI);
    // each email is recorded sent by exactly one of them.
    assert_eq!(sent_by.values().sum::<usize>(), 2 * people.len(), "each email recorded sent once: {sent_by:?}");
    eprintln!(
        "several hosts: 200 requests, 400 emails in {:.1} s; leader killed, takeover in {:.2} s; \
         follower killed; repeated emails: {repeats}; emails sent per process: {sent_by:?}",
        finished.as_secs_f64(),
        takeover.as_secs_f64()
    );
    for r in runs.iter_mut().flatten() {
        r.signal("-TERM");
        assert_eq!(r.exit().await.code(), Some(0), "{}", r.log());
    }
}

#[tokio::test]
async fn postgresql_restarted_under_running_processes_they_reconnect_and_go_on() {
    // A cluster of this test's own: restarting the shared one would cut every other test.
    let admin = private_cluster().await;
    let desk = desk_on_postgres(admin, 5, false).await;
    let mut runs: Vec<Option<Running>> = (0..2).map(|_| Some(desk.start(&["run"], &[]))).collect();
    wait_for_leader(&mut runs, &[0, 0], Duration::from_secs(30)).await.expect("one process leads");
    let before: Vec<People> = (0..5).map(|_| People::new()).collect();
    for p in &before {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    for p in &before {
        inbox(&p.customer, 1).await;
    }

    let mark = log_len(&runs);
    pgstack(&PRIVATE, &["restart"]);
    // The watch's lock went with its connection: a process takes it again.
    let again = wait_for_leader(&mut runs, &mark, Duration::from_secs(30)).await;
    assert!(again.is_some(), "nobody watches the mailbox after the restart");
    let after: Vec<People> = (0..5).map(|_| People::new()).collect();
    for p in &after {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    // Mail sent while the database was away is read once it is back.
    for p in &after {
        inbox_exactly(&p.customer, 1).await;
        inbox_exactly(&p.partner, 1).await;
    }
    assert_eq!(desk.requests().await.len(), 10);
    assert!(leader(&mut runs, &[0, 0]).is_some());
    let said: Vec<String> = runs
        .iter()
        .flatten()
        .flat_map(|r| r.lines.lock().unwrap().clone())
        .filter(|l| l.contains("database") || l.contains("mailbox"))
        .collect();
    eprintln!("what the processes said of the database and the mailbox: {said:#?}");
    for r in runs.iter_mut().flatten() {
        r.signal("-TERM");
        assert_eq!(r.exit().await.code(), Some(0), "{}", r.log());
    }
}

#[tokio::test]
async fn two_processes_racing_on_the_same_reply_make_one_decision() {
    let desk = desk_on_postgres(cluster(), 5, false).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    activation.send_reply(&p.customer, "ACCEPT").await;
    wait_total(&desk.address, 2).await;
    // Two operators' `poll --once` at the same moment: both read the reply.
    let a = desk.start(&["poll", "--once"], &[]);
    let b = desk.start(&["poll", "--once"], &[]);
    for mut run in [a, b] {
        assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    }
    assert_eq!(desk.one().await.state, State::Active);
    let history = desk.app.store.events(desk.one().await.id.unwrap()).await.unwrap();
    let activations = history.iter().filter(|e| e.kind.name() == "activated").count();
    assert_eq!(activations, 1, "{history:?}");
    settle().await;
    // The partner hears once that the account is active (after the first notice).
    assert_eq!(count(&p.partner, "INBOX").await, 2);
}

#[tokio::test]
async fn the_sweep_runs_once_per_scheduled_time_whichever_process_fires_it() {
    let admin = cluster();
    let desk = TestDesk::with(DeskOptions {
        postgres: Some(admin.clone()),
        extra: "[sweep]\nschedule = \"*/4 * * * * *\"\n".into(),
        ..Default::default()
    })
    .await;
    let mut runs: Vec<Option<Running>> = (0..3).map(|_| Some(desk.start(&["run"], &[]))).collect();
    // Three processes, three ticks of the schedule at least.
    let url = database_url(desk.dir.path(), Some(&admin));
    let db = sqlx::PgPool::connect(&url).await.unwrap();
    wait_until("four sweeps recorded", || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sweeps").fetch_one(&db).await.unwrap();
        n >= 4
    })
    .await;
    for r in runs.iter_mut().flatten() {
        r.signal("-TERM");
        assert_eq!(r.exit().await.code(), Some(0), "{}", r.log());
    }
    let swept: Vec<String> =
        sqlx::query_scalar("SELECT swept_at FROM sweeps ORDER BY id").fetch_all(&db).await.unwrap();
    // One sweep per 4-second tick: never two in the same slot.
    let slots: Vec<i64> =
        swept.iter().map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp().div_euclid(4)).collect();
    let mut distinct = slots.clone();
    distinct.dedup();
    assert_eq!(distinct, slots, "two sweeps for one scheduled time: {swept:?}");
    let done_by_other: usize = runs.iter().flatten().map(|r| r.log().matches("is done already").count()).sum();
    eprintln!("sweeps: {swept:?}; skipped as done by another process: {done_by_other}");
}

/// The second, private cluster (port 5434).
const PRIVATE: [(&str, &str); 2] = [("PGSTACK_BASE", "/var/lib/smartacct-test/restart"), ("PGSTACK_PORT", "5434")];

async fn private_cluster() -> String {
    pgstack(&PRIVATE, &["up"]);
    pgstack(&PRIVATE, &["url"])
}
