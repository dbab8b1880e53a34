//! `run` as an operator runs it: IDLE, clean stop on SIGTERM, and crash safety under SIGKILL.
use std::collections::HashMap;

use smartacct::domain::State;

use crate::helpers::*;

#[tokio::test]
async fn idle_picks_up_a_message_delivered_while_idling() {
    // Polling every hour: only IDLE can explain a prompt answer.
    let desk =
        TestDesk::with(DeskOptions { imap_extra: "poll_interval_secs = 3600".into(), ..Default::default() }).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    assert!(run.wait_log("IDLE: waiting for new mail").await, "{}", run.log());
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let review = inbox(&p.partner, 1).await;
    assert!(review[0].tag().unwrap().starts_with("rev-"));
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    assert!(run.log().contains("stopped"));
}

#[tokio::test]
async fn mail_that_arrives_during_a_pass_is_read_after_it_not_when_idle_times_out() {
    // Each step of a pass takes 800 ms, so the second form lands
    // in the first one's pass; the server announces it to a command of that
    // pass, and IDLE (five minutes here) would never announce it again.
    let desk =
        TestDesk::with(DeskOptions { imap_extra: "poll_interval_secs = 3600".into(), ..Default::default() }).await;
    let (first, second) = (People::new(), People::new());
    let mut run = desk.start(&["run"], &[("SMARTACCT_TEST_SLOW_MS", "800")]);
    assert!(run.wait_log("IDLE: waiting for new mail").await, "{}", run.log());
    Outgoing::text(&first.partner, &desk.address, "Smart Account request", &first.form_en()).send().await;
    assert!(run.wait_log("mail waiting").await, "{}", run.log());
    Outgoing::text(&second.partner, &desk.address, "Smart Account request", &second.form_en()).send().await;
    inbox(&first.partner, 1).await;
    inbox(&second.partner, 1).await;
    let log = run.log();
    let first_pass = log.find("mail waiting").unwrap();
    assert!(log[first_pass + 1..].contains("mail waiting"), "a second pass read it: {log}");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn sigterm_during_a_batch_exits_0_and_the_next_start_finishes_the_rest() {
    // Batches of three commit one after another, so the test sees the first
    // commit while later batches are still to come.
    let desk = TestDesk::with(DeskOptions { imap_extra: "batch_size = 3".into(), ..Default::default() }).await;
    let people: Vec<People> = (0..12).map(|_| People::new()).collect();
    for p in &people {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    wait_total(&desk.address, people.len()).await;
    // Each step of a batch (each message applied, the commit, the move) takes
    // 150 ms, so the signal lands mid-batch: the message in hand is finished
    // and committed with those before it, the rest stay.
    let mut run = desk.start(&["run"], &[("SMARTACCT_TEST_SLOW_MS", "150")]);
    wait_until("two messages committed", || async { desk.requests().await.len() >= 2 }).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    let left = count(&desk.address, "INBOX").await;
    assert!(left > 0, "the signal came mid-batch: some mail is left for the next start");
    let committed = desk.requests().await.len();
    assert_eq!(committed + left, people.len(), "every message is either committed and moved, or untouched");

    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(desk.requests().await.len(), people.len());
    for p in &people {
        inbox_exactly(&p.partner, 1).await;
    }
}

#[tokio::test]
async fn killed_with_sigkill_at_many_moments_no_request_is_lost_or_doubled() {
    // Small batches so fetch, commit, move and send all recur; one SMTP
    // connection so a kill can catch at most one email between send and record.
    let desk = TestDesk::with(DeskOptions {
        review: false,
        imap_extra: "batch_size = 3".into(),
        smtp_extra: "pool_size = 1".into(),
        // On PostgreSQL an email a killed process claimed waits for the lease.
        database_extra: "claim_lease_secs = 1".into(),
        ..Default::default()
    })
    .await;
    // Work for 20 kills and more. How much a killed pass gets done depends on
    // the machine's speed (poll --once delivers while it reads, so a pass
    // frozen at its first send may have committed several batches first):
    // more forms come while fewer than 20 kills are made.
    let mut people: Vec<People> = Vec::new();
    let send_forms = async |people: &mut Vec<People>, n: usize| {
        for _ in 0..n {
            let p = People::new();
            Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
            people.push(p);
        }
        wait_total(&desk.address, people.len()).await;
    };
    send_forms(&mut people, 64).await;

    // Each start freezes at a named checkpoint (after a fetch, a commit, a
    // move or a send) and is killed there with SIGKILL, until no work is left.
    let intake = [
        "fetched:1",
        "sent:1",
        "committed:1",
        "sent:1",
        "moved:1",
        "sent:2",
        "committed:2",
        "sent:1",
        "fetched:2",
        "moved:2",
        "sent:1",
        "committed:3",
    ];
    let mut kills: Vec<String> = Vec::new();
    // Bounded in time, not in passes: on PostgreSQL the emails a killed pass
    // had claimed wait out their lease while the passes find nothing to send.
    let started = std::time::Instant::now();
    for i in 0.. {
        assert!(started.elapsed() < std::time::Duration::from_secs(240), "no progress after {i} passes: {kills:?}");
        let mut inbox_left = count(&desk.address, "INBOX").await;
        if inbox_left == 0 && kills.len() < 20 {
            send_forms(&mut people, 12).await;
            inbox_left = count(&desk.address, "INBOX").await;
        }
        let pending = desk.app.store.due_outbox(chrono::Utc::now(), true, 0, 1000).await.unwrap().len();
        if inbox_left == 0 && pending == 0 {
            break;
        }
        // Sends are among the moments while mail is still being read: poll --once delivers as it reads.
        // Once only sending is left, the kills alternate between the first and
        // the second send of a pass, counted in kills, not in passes: a kill at
        // the second send leaves the first one recorded, so every other kill
        // makes progress. (Counted in passes, a pass that finds every email
        // still leased by the last killed one, on PostgreSQL, ends without a
        // kill and shifts the turn: the kills then fell at the first send
        // only, each sending the same email again, for four minutes.)
        let spec =
            if inbox_left > 0 { intake[i % intake.len()].to_string() } else { format!("sent:{}", 1 + kills.len() % 2) };
        let mut poll = desk.start(&["poll", "--once"], &[("SMARTACCT_TEST_FREEZE_AT", &spec)]);
        if poll.wait_log("FROZEN at").await && poll.child.try_wait().unwrap().is_none() {
            poll.kill9().await;
            let line = poll.log().lines().find(|l| l.starts_with("FROZEN at")).unwrap().to_string();
            kills.push(line.trim_start_matches("FROZEN at ").to_string());
        } else {
            assert_eq!(poll.exit().await.code(), Some(0), "{}", poll.log());
        }
    }
    let mut by_point: HashMap<&str, usize> = HashMap::new();
    for k in &kills {
        *by_point.entry(k.as_str()).or_default() += 1;
    }
    assert!(kills.len() >= 20, "only {} kills: {by_point:?}", kills.len());
    for point in ["fetched", "committed", "moved", "sent"] {
        assert!(by_point.contains_key(point), "never killed at {point}: {by_point:?}");
    }

    // Every request exists exactly once, and is where it should be.
    let requests = desk.requests().await;
    assert_eq!(requests.len(), people.len());
    for p in &people {
        let mine: Vec<_> = requests.iter().filter(|r| r.account_domain.as_str() == p.domain).collect();
        assert_eq!(mine.len(), 1, "{} has {} requests", p.domain, mine.len());
        assert_eq!(mine[0].state, State::PendingCustomerAcceptance);
    }
    assert!(desk.app.store.list_outbox(false).await.unwrap().iter().all(|o| o.status.as_str() == "sent"));
    // Each customer has its activation; a kill while an email is in flight
    // (between its send and its record) can repeat that one email. `poll
    // --once` delivers while it reads, so any kill may find one in flight (the
    // pool is of one): never more than one repeat per kill.
    settle().await;
    let sent_kills = kills.len();
    let mut extra = 0;
    for p in &people {
        let n = count(&p.customer, "INBOX").await;
        assert!(n >= 1 && n <= 1 + sent_kills, "{} got {n} activations", p.customer);
        extra += n - 1;
        extra += count(&p.partner, "INBOX").await - 1;
    }
    assert!(extra <= sent_kills, "{extra} repeated emails for {sent_kills} kills");
    eprintln!("kills: {} ({by_point:?}), repeated emails: {extra}", kills.len());
}

#[tokio::test]
async fn a_rebuilt_folder_with_a_new_uidvalidity_is_read_again_without_doubling_anything() {
    let desk = TestDesk::with(DeskOptions { imap_extra: "folder = \"Desk\"".into(), ..Default::default() }).await;
    let (a, b) = (People::new(), People::new());
    let mut admin = raw_imap(MAIN, &desk.address).await;
    admin.create("Desk").await.unwrap();
    let (_, form_a) = Outgoing::text(&a.partner, &desk.address, "Smart Account request", &a.form_en()).build();
    let (_, form_b) = Outgoing::text(&b.partner, &desk.address, "Smart Account request", &b.form_en()).build();
    admin.append("Desk", None, None, &form_a).await.unwrap();
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    inbox(&a.partner, 1).await;

    // The folder is replaced (a restore, a migration): new UIDVALIDITY, UIDs
    // from 1 again, and an old message back in it.
    admin.rename("Desk", "Desk-old").await.unwrap();
    admin.create("Desk").await.unwrap();
    admin.append("Desk", None, None, &form_a).await.unwrap();
    admin.append("Desk", None, None, &form_b).await.unwrap();
    let _ = admin.logout().await;
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("UIDVALIDITY changed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    inbox_exactly(&b.partner, 1).await;
    inbox_exactly(&a.partner, 1).await;
    assert_eq!(desk.requests().await.len(), 2);
    assert_eq!(count(&desk.address, "Desk").await, 0, "the old copy was recognised and moved");
}
