//! The LMTP door (SPEC §13): Postfix hands the desk's mail to `run` over LMTP; the same intake decides it, and the
//! MTA is told 250 only once the decision is committed.
use smartacct::domain::State;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};

use crate::helpers::*;

/// A free port in 24000-24199, the range scripts/mailstack.sh maps `lmtp-PORT-…@example.test` into.
/// Handed out in turn, never twice in this process: two tests that picked the same free port at
/// random would both try to listen on it (the first `run` to bind it wins, the other's mail goes astray).
/// Each pass of scripts/test.sh has its half of the range, so a message Postfix still retries for
/// a desk of the first pass never lands at a desk of the second on the same port.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = if on_postgres() { 24100 } else { 24000 };
    loop {
        let port = base + NEXT.fetch_add(1, Ordering::SeqCst) % 100;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Every message the desk recorded came through the LMTP door (none through the mailbox).
async fn all_through_the_door(desk: &TestDesk, at_least: usize) {
    let rows = desk.app.store.list_inbound(false).await.unwrap();
    assert!(rows.len() >= at_least, "{} messages recorded", rows.len());
    assert!(rows.iter().all(|r| r.folder == "lmtp"), "{:?}", rows.iter().map(|r| &r.folder).collect::<Vec<_>>());
}

/// A desk whose address Postfix routes to its LMTP door on `port` (scripts/mailstack.sh maps
/// `lmtp-PORT-…@example.test` there), beside the IMAP watcher.
async fn lmtp_desk(port: u16, review: bool) -> TestDesk {
    let prefix: &'static str = Box::leak(format!("lmtp-{port}").into_boxed_str());
    TestDesk::with(DeskOptions {
        review,
        address_prefix: prefix,
        extra: format!("[lmtp]\nlisten = \"127.0.0.1:{port}\"\n"),
        ..Default::default()
    })
    .await
}

/// Waits until `run`'s door takes connections.
async fn door_open(port: u16) {
    wait_until("the LMTP door to open", || async { tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() })
        .await;
}

/// A bare LMTP client: each command's full reply (all its lines).
struct Client {
    io: BufReader<tokio::net::TcpStream>,
}

impl Client {
    /// The next line the server says unasked, and its length (0: it closed).
    async fn next_line(&mut self) -> (usize, String) {
        let mut line = String::new();
        let n = tokio::time::timeout(MAIL_WAIT, self.io.read_line(&mut line)).await.expect("an answer or a close");
        (n.unwrap(), line)
    }

    async fn connect(port: u16) -> (Client, String) {
        let s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let mut c = Client { io: BufReader::new(s) };
        let greeting = c.reply().await;
        (c, greeting)
    }

    async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            let n =
                tokio::time::timeout(MAIL_WAIT, self.io.read_line(&mut line)).await.expect("a reply in time").unwrap();
            assert!(n > 0, "the server closed the connection; so far: {all:?}");
            all.push_str(&line);
            if line.as_bytes().get(3) == Some(&b' ') {
                return all;
            }
        }
    }

    async fn say(&mut self, line: &str) -> String {
        self.io.get_mut().write_all(format!("{line}\r\n").as_bytes()).await.unwrap();
        self.reply().await
    }

    /// DATA and the message; the replies that follow the dot, one per recipient.
    async fn data(&mut self, raw: &[u8], recipients: usize) -> Vec<String> {
        assert!(self.say("DATA").await.starts_with("354"));
        let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
        let mut body = String::new();
        for line in text.lines() {
            if line.starts_with('.') {
                body.push('.');
            }
            body.push_str(line);
            body.push_str("\r\n");
        }
        body.push_str(".\r\n");
        self.io.get_mut().write_all(body.as_bytes()).await.unwrap();
        let mut replies = Vec::new();
        for _ in 0..recipients {
            replies.push(self.reply().await);
        }
        replies
    }
}

#[tokio::test]
async fn postfix_hands_a_form_to_the_lmtp_door_and_the_partner_gets_the_review() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let review = inbox(&p.partner, 1).await.remove(0);
    let r = desk.one().await;
    assert!(review.subject.contains(r.reference.as_str()), "{}", review.subject);
    // The reply goes the same way: Postfix, the door, the same decision.
    review.send_reply(&p.partner, "SUBMIT").await;
    inbox(&p.customer, 1).await;
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
    all_through_the_door(&desk, 2).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn the_door_takes_only_the_desks_address_and_decides_a_message_delivered_twice_once() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    let (mut c, greeting) = Client::connect(port).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
    let lhlo = c.say("LHLO mx.example.test").await;
    for ext in ["PIPELINING", "8BITMIME", "SIZE", "ENHANCEDSTATUSCODES"] {
        assert!(lhlo.contains(ext), "{lhlo}");
    }
    let (_, raw) = Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).build();
    for _ in 0..2 {
        assert!(c.say(&format!("MAIL FROM:<{}>", p.partner)).await.starts_with("250"));
        assert!(c.say(&format!("RCPT TO:<{}>", desk.address)).await.starts_with("250"));
        let other = c.say("RCPT TO:<someone-else@example.test>").await;
        assert!(other.starts_with("550 5.1.1"), "{other}");
        let replies = c.data(&raw, 1).await;
        assert!(replies[0].starts_with("250 2.0.0"), "{replies:?}");
    }
    assert_eq!(desk.requests().await.len(), 1, "the same message twice is one decision");
    inbox_exactly(&p.partner, 1).await;
    assert!(c.say("QUIT").await.starts_with("221"));
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_message_that_cannot_be_committed_is_answered_451_and_one_too_big_552() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[("SMARTACCT_TEST_FAIL_SUBJECT", "cannot commit")]);
    door_open(port).await;
    let (mut c, _) = Client::connect(port).await;
    c.say("LHLO mx.example.test").await;
    let (_, failing) = Outgoing::text(&p.partner, &desk.address, "cannot commit this", &p.form_en()).build();
    c.say(&format!("MAIL FROM:<{}>", p.partner)).await;
    c.say(&format!("RCPT TO:<{}>", desk.address)).await;
    let replies = c.data(&failing, 1).await;
    assert!(replies[0].starts_with("451 4.3.0"), "the MTA keeps it: {replies:?}");
    assert!(desk.requests().await.is_empty(), "nothing of it was committed");
    // Too big: 552, and the connection goes on.
    let big = format!("{}\n{}", p.form_en(), "x".repeat(11 << 20));
    let (_, huge) = Outgoing::text(&p.partner, &desk.address, "huge", &big).build();
    c.say(&format!("MAIL FROM:<{}>", p.partner)).await;
    c.say(&format!("RCPT TO:<{}>", desk.address)).await;
    let replies = c.data(&huge, 1).await;
    assert!(replies[0].starts_with("552 5.3.4"), "{replies:?}");
    assert!(c.say("NOOP").await.starts_with("250"));
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn killed_between_commit_and_reply_the_desk_decides_postfixs_second_delivery_as_the_same_message() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    let p = People::new();
    // Frozen right after the commit, before the 250: then killed, as a crash would catch it.
    let mut run = desk.start(&["run"], &[("SMARTACCT_TEST_FREEZE_AT", "committed:1")]);
    door_open(port).await;
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    assert!(run.wait_log("FROZEN at committed").await, "{}", run.log());
    run.signal("-KILL");
    run.exit().await;
    assert_eq!(desk.requests().await.len(), 1, "the decision was committed");
    // Postfix got no answer: it tries again, and the desk, back, knows the message.
    let mut run = desk.start(&["run"], &[]);
    inbox(&p.partner, 1).await;
    // Postfix's own retry is a second or five away, but once (a queue run met
    // the message while its first delivery was still ending) it came a minute
    // later: with the door open again, the test asks for it, as an operator
    // would with `postqueue -f`.
    door_open(port).await;
    let config = format!("{}/postfix", MAIN.dir);
    let flushed = std::process::Command::new("postqueue").args(["-c", &config, "-f"]).status().unwrap();
    assert!(flushed.success());
    assert!(run.wait_log("already processed").await, "Postfix's second delivery taken: {}", run.log());
    all_through_the_door(&desk, 1).await;
    assert_eq!(desk.requests().await.len(), 1, "decided once");
    inbox_exactly(&p.partner, 1).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn mail_sent_while_the_desk_is_down_waits_at_postfix_and_is_answered_once_it_is_back() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    assert_eq!(count(&p.partner, "INBOX").await, 0);
    let mut run = desk.start(&["run"], &[]);
    // Postfix retries deferred mail within seconds on this stack (queue_run_delay, backoff up to 5 s).
    inbox(&p.partner, 1).await;
    assert_eq!(desk.requests().await.len(), 1);
    all_through_the_door(&desk, 1).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_thousand_idle_connections_are_capped_timed_out_and_never_keep_the_mta_out() {
    let port = free_port();
    let prefix: &'static str = Box::leak(format!("lmtp-{port}").into_boxed_str());
    // 5 s: longer than Postfix keeps its own idle connections to the door for reuse (2 s).
    let desk = TestDesk::with(DeskOptions {
        review: true,
        address_prefix: prefix,
        extra: format!("[lmtp]\nlisten = \"127.0.0.1:{port}\"\nidle_timeout_secs = 5\n"),
        ..Default::default()
    })
    .await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    // 1,000 clients that connect, read the greeting and say nothing: far over the cap of 64.
    let mut idle = Vec::new();
    for _ in 0..1000 {
        let (c, greeting) = Client::connect(port).await;
        assert!(greeting.starts_with("220"), "{greeting}");
        idle.push(c);
    }
    // Intake goes on while they hang on.
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    inbox(&p.partner, 1).await;
    all_through_the_door(&desk, 1).await;
    // The oldest were closed to make room, and told why.
    let (n, line) = idle[0].next_line().await;
    assert!(n == 0 || line.starts_with("421 4.4.2 closing an idle connection"), "{line:?}");
    // The newest, kept, are let go once idle for the timeout.
    let (_, line) = idle.last_mut().unwrap().next_line().await;
    assert!(line.starts_with("421 4.4.2 idle too long"), "{line:?}");
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn on_postgresql_every_process_takes_mail_and_one_message_at_two_doors_is_decided_once() {
    let (a, b) = (free_port(), free_port());
    let prefix: &'static str = Box::leak(format!("lmtp-{a}").into_boxed_str());
    let desk = TestDesk::with(DeskOptions {
        postgres: Some(cluster()),
        address_prefix: prefix,
        extra: format!("[lmtp]\nlisten = \"127.0.0.1:{a}\"\n"),
        ..Default::default()
    })
    .await;
    let p = People::new();
    let mut first = desk.start(&["run"], &[]);
    let second_door = format!("127.0.0.1:{b}");
    let mut second = desk.start(&["run"], &[("SMARTACCT__LMTP__LISTEN", second_door.as_str())]);
    door_open(a).await;
    door_open(b).await;
    let (_, raw) = Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).build();
    // The MTA hands the same message to both (a retry that went to the other host).
    let deliver = |port: u16| {
        let (raw, p, to) = (raw.clone(), p.partner.clone(), desk.address.clone());
        async move {
            let (mut c, _) = Client::connect(port).await;
            c.say("LHLO mx.example.test").await;
            c.say(&format!("MAIL FROM:<{p}>")).await;
            c.say(&format!("RCPT TO:<{to}>")).await;
            c.data(&raw, 1).await.remove(0)
        }
    };
    let (ra, rb) = tokio::join!(deliver(a), deliver(b));
    assert!(ra.starts_with("250") && rb.starts_with("250"), "{ra} {rb}");
    assert_eq!(desk.requests().await.len(), 1, "one decision whichever process took it");
    inbox_exactly(&p.partner, 1).await;
    for run in [&mut first, &mut second] {
        run.signal("-TERM");
        assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
    }
}

#[tokio::test]
async fn without_an_imap_section_the_desk_runs_on_its_lmtp_door_alone() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    // The same desk, its [imap] section taken out: no mailbox credentials at all.
    let text = std::fs::read_to_string(&desk.config).unwrap();
    let start = text.find("[imap]").unwrap();
    let end = start + text[start..].find("[smtp]").unwrap();
    std::fs::write(&desk.config, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let check = desk.bin().arg("check-config").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    let poll = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(poll.status.code(), Some(0), "{}", String::from_utf8_lossy(&poll.stderr));
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    inbox(&p.partner, 1).await;
    all_through_the_door(&desk, 1).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());

    // Neither door: the mailbox is required, and the error names its key.
    let text = std::fs::read_to_string(&desk.config).unwrap();
    let start = text.find("[lmtp]").unwrap();
    let end = start + text[start..].find('\n').unwrap() + 1;
    let end = end + text[end..].find('\n').unwrap() + 1;
    std::fs::write(&desk.config, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let check = desk.bin().arg("check-config").output().unwrap();
    assert_eq!(check.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&check.stderr).contains("imap.host"), "{}", String::from_utf8_lossy(&check.stderr));
}

#[tokio::test]
async fn killed_in_the_middle_of_data_the_desk_has_taken_nothing_and_takes_the_message_when_sent_again() {
    let port = free_port();
    let desk = lmtp_desk(port, true).await;
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    let (_, raw) = Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).build();
    let (mut c, _) = Client::connect(port).await;
    c.say("LHLO mx.example.test").await;
    c.say(&format!("MAIL FROM:<{}>", p.partner)).await;
    c.say(&format!("RCPT TO:<{}>", desk.address)).await;
    assert!(c.say("DATA").await.starts_with("354"));
    // Half the message, then the desk dies: the MTA has no answer, so it keeps the message.
    c.io.get_mut().write_all(&raw[..raw.len() / 2]).await.unwrap();
    run.signal("-KILL");
    run.exit().await;
    assert!(desk.requests().await.is_empty(), "nothing of a message not all read");
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    let (mut c, _) = Client::connect(port).await;
    c.say("LHLO mx.example.test").await;
    c.say(&format!("MAIL FROM:<{}>", p.partner)).await;
    c.say(&format!("RCPT TO:<{}>", desk.address)).await;
    assert!(c.data(&raw, 1).await[0].starts_with("250"));
    assert_eq!(desk.requests().await.len(), 1);
    inbox_exactly(&p.partner, 1).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}

#[tokio::test]
async fn a_database_that_refuses_writes_gets_the_mta_a_451_and_the_message_is_taken_once_it_accepts_them() {
    use sqlx::Connection as _;
    let port = free_port();
    let prefix: &'static str = Box::leak(format!("lmtp-{port}").into_boxed_str());
    let admin = cluster();
    let desk = TestDesk::with(DeskOptions {
        postgres: Some(admin.clone()),
        address_prefix: prefix,
        extra: format!("[lmtp]\nlisten = \"127.0.0.1:{port}\"\n"),
        ..Default::default()
    })
    .await;
    let url = database_url(desk.dir.path(), Some(&admin));
    let db = url.rsplit('/').next().unwrap().to_string();
    let mut sql = sqlx::PgConnection::connect(&admin).await.unwrap();
    // Every new session of the desk's database is read-only, and the ones it holds are ended.
    let read_only = async |sql: &mut sqlx::PgConnection, on: bool| {
        let set = format!("ALTER DATABASE \"{db}\" SET default_transaction_read_only = {on}");
        sqlx::query(sqlx::AssertSqlSafe(set)).execute(&mut *sql).await.unwrap();
        let end = format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'");
        sqlx::query(sqlx::AssertSqlSafe(end)).execute(&mut *sql).await.unwrap();
    };
    let p = People::new();
    let mut run = desk.start(&["run"], &[]);
    door_open(port).await;
    read_only(&mut sql, true).await;
    let (_, raw) = Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).build();
    let (mut c, _) = Client::connect(port).await;
    c.say("LHLO mx.example.test").await;
    c.say(&format!("MAIL FROM:<{}>", p.partner)).await;
    c.say(&format!("RCPT TO:<{}>", desk.address)).await;
    let replies = c.data(&raw, 1).await;
    assert!(replies[0].starts_with("451 4.3.0"), "the MTA keeps it: {replies:?}");
    read_only(&mut sql, false).await;
    // The MTA tries again: taken, once.
    let taken = async || {
        let (mut c, _) = Client::connect(port).await;
        c.say("LHLO mx.example.test").await;
        c.say(&format!("MAIL FROM:<{}>", p.partner)).await;
        c.say(&format!("RCPT TO:<{}>", desk.address)).await;
        c.data(&raw, 1).await.remove(0)
    };
    let mut answer = taken().await;
    let started = std::time::Instant::now();
    while !answer.starts_with("250") && started.elapsed() < MAIL_WAIT {
        // The pool reconnects after the ended sessions: a retry, as the MTA's, may come before it did.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        answer = taken().await;
    }
    assert!(answer.starts_with("250"), "{answer}");
    assert_eq!(desk.requests().await.len(), 1);
    inbox_exactly(&p.partner, 1).await;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());
}
