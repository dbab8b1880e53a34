//! Hardening: what an attacker and a clumsy world try, through the real stack.
use smartacct::domain::State;

use crate::helpers::*;

/// A plain-text message with a Message-ID and extra header lines of the test's choosing.
fn raw_mail(from_lines: &str, to: &str, subject: &str, message_id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "{from_lines}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\
MIME-Version: 1.0\r\n{extra}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64(body.as_bytes())
    )
    .into_bytes()
}

fn db_path(desk: &TestDesk) -> std::path::PathBuf {
    desk.dir.path().join("smartacct.db")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ------------------------------------------------ 1. one form cannot break the desk

#[tokio::test]
async fn a_customer_address_too_long_once_its_domain_is_in_punycode_is_refused_with_a_reason() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    // 201 bytes as typed; 265 once the domain is written in ASCII.
    let long = format!("{}@{}example", "a".repeat(64), "갯íκü丨각.".repeat(8));
    let form = p.form_en().replace(&p.customer, &long);
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    assert!(desk.requests().await.is_empty());
    let answer = inbox(&p.partner, 1).await.remove(0);
    assert!(answer.text.contains("Customer email"), "{}", answer.text);
    assert!(answer.text.contains("not a valid email address"), "{}", answer.text);
}

#[tokio::test]
async fn a_stored_request_that_no_longer_reads_is_named_and_skipped_while_the_rest_go_on() {
    if sqlite_only("the test edits the file directly: it") {
        return;
    }
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let (a, b) = (People::new(), People::new());
    Outgoing::text(&a.partner, &desk.address, "Smart Account request", &a.form_en()).send().await;
    Outgoing::text(&b.partner, &desk.address, "Smart Account request", &b.form_en()).send().await;
    desk.poll(2).await;
    let activation = inbox(&a.customer, 1).await.remove(0);
    let all = desk.requests().await;
    let bad = all.iter().find(|r| r.partner_email.as_str() == a.partner).unwrap().reference.clone();
    let good = all.iter().find(|r| r.partner_email.as_str() == b.partner).unwrap().reference.clone();
    // A row written by an older version, or edited by hand, that no longer parses.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db_path(&desk).display())).await.unwrap();
    sqlx::query("UPDATE requests SET customer_email = 'not an address' WHERE reference = ?")
        .bind(bad.as_str())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let out = desk.bin().args(["requests", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains(good.as_str()) && !listed.contains(bad.as_str()), "{listed}");
    assert!(stderr(&out).contains(bad.as_str()), "the unreadable request is named: {}", stderr(&out));

    let later = chrono::Utc::now() + chrono::Duration::days(100);
    let out = desk.bin().args(["sweep", "--now", &smartacct::request::rfc3339(later)]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let swept = desk.app.store.request_by_reference(&good).await.unwrap().unwrap();
    assert_eq!(swept.state, State::Expired, "the sweep goes on past the unreadable row");

    // A reply to the unreadable request is set aside for the operator, not lost and not failing every pass.
    activation.send_reply(&a.customer, "ACCEPT").await;
    wait_total(&desk.address, 3).await;
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(count(&desk.address, "Rejected").await, 1);
    assert_eq!(count(&desk.address, "INBOX").await, 0);
}

// ------------------------------------------------ 2. forged bounces: see bounces.rs

// ------------------------------------------------ 3. no approving one's own request

#[tokio::test]
async fn a_partner_cannot_name_themselves_or_the_desk_as_the_customer_or_a_user() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let own_customer = p.form_en().replace(&p.customer, &p.partner.replace('@', "+me@"));
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &own_customer).send().await;
    let desk_user = p.form_en().replace(&p.user2, &desk.address.replace('@', "+x@"));
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &desk_user).send().await;
    desk.poll(2).await;
    assert!(desk.requests().await.is_empty(), "no request is created");
    let answers = inbox(&p.partner, 2).await;
    let texts: Vec<&str> = answers.iter().map(|a| a.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("is your own address")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("is this desk's own address")), "{texts:?}");
}

// ------------------------------------------------ 4. limits per partner

#[tokio::test]
async fn a_partner_past_max_open_requests_gets_the_reason_and_no_new_request() {
    let options = DeskOptions { partners_extra: "max_open_requests = 2".into(), ..Default::default() };
    let desk = TestDesk::with(options).await;
    let p = People::new();
    for n in 0..3 {
        let form = p.form_en().replace(&p.domain, &format!("n{n}-{}", p.domain));
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    }
    desk.poll(3).await;
    assert_eq!(desk.requests().await.len(), 2);
    let answers = inbox(&p.partner, 3).await;
    assert!(answers.iter().any(|a| a.text.contains("already has 2 requests in progress")), "{answers:?}");
}

#[tokio::test]
async fn a_partner_past_the_daily_limit_gets_the_reason_and_no_new_request() {
    let options = DeskOptions { partners_extra: "max_new_requests_per_day = 1".into(), ..Default::default() };
    let desk = TestDesk::with(options).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    let second = p.form_en().replace(&p.domain, &format!("two-{}", p.domain));
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &second).send().await;
    desk.poll(2).await;
    assert_eq!(desk.requests().await.len(), 1);
    let answers = inbox(&p.partner, 2).await;
    assert!(answers.iter().any(|a| a.text.contains("1 new requests in the last")), "{answers:?}");
}

// ------------------------------------------------ 5. a missing database is never recreated

#[tokio::test]
async fn a_missing_database_directory_fails_every_command_and_leaves_the_mail_where_it_is() {
    if sqlite_only("the database directory") {
        return;
    }
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let missing = desk.dir.path().join("unmounted");
    let config = std::fs::read_to_string(&desk.config).unwrap().replace(
        &format!("sqlite://{}", db_path(&desk).display()),
        &format!("sqlite://{}/smartacct.db", missing.display()),
    );
    std::fs::write(&desk.config, config).unwrap();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    wait_total(&desk.address, 1).await;
    for args in [&["poll", "--once"][..], &["sweep"], &["requests", "list"], &["migrate"]] {
        let out = desk.bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(&missing.display().to_string()), "{args:?} names the path: {}", stderr(&out));
    }
    assert!(!missing.exists(), "the directory is never created");
    assert_eq!(count(&desk.address, "INBOX").await, 1, "the mail stays in the inbox");
}

#[tokio::test]
async fn the_database_file_is_readable_by_its_owner_only() {
    if sqlite_only("the database file") {
        return;
    }
    use std::os::unix::fs::PermissionsExt as _;
    let desk = TestDesk::spawn().await;
    let mode = std::fs::metadata(db_path(&desk)).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

// ------------------------------------------------ 6. control characters

#[tokio::test]
async fn terminal_escapes_never_reach_the_operator_or_the_customer() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    let form =
        p.form_en().replace("Please accept, thanks.", "Please \u{1b}[31maccept\u{7}\u{0}, \u{1b}]0;pwned\u{7}thanks.");
    let raw = raw_mail(
        &format!("From: {}", p.partner),
        &desk.address,
        "Smart Account request \u{1b}]0;owned\u{7}",
        &format!("evil\u{1b}]0;title\u{7}-{}@partner.test", uid()),
        "",
        &form,
    );
    send_raw(&p.partner, &desk.address, &raw).await;
    wait_total(&desk.address, 1).await;
    let out = desk.bin().args(["poll", "--once"]).env("RUST_LOG", "debug").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07), "raw escapes in the log: {}", stderr(&out));
    let reference = desk.one().await.reference;
    let out = desk.bin().args(["requests", "show", reference.as_str()]).output().unwrap();
    assert!(out.stdout.iter().all(|b| *b >= 0x20 || *b == b'\n'), "{}", String::from_utf8_lossy(&out.stdout));
    let activation = inbox(&p.customer, 1).await.remove(0);
    for part in [&activation.text, &activation.html] {
        assert!(!part.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t'), "{part:?}");
        assert!(part.contains("accept"), "the note's words stay: {part}");
    }
}

// ------------------------------------------------ 7. loops

#[tokio::test]
async fn an_auto_responder_without_headers_or_another_desk_is_never_answered() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    let to = activation.reply_to.clone().unwrap();
    for subject in ["Automatic reply: Activate your Smart Account", "Réponse automatique : absent", "Out of Office"] {
        Outgoing::text(&p.customer, &to, subject, "I am out of the office until Monday.").send().await;
    }
    Outgoing::text(&p.stranger, &desk.address, "Request", "hello")
        .header("X-Smartacct-Loop", "other-desk@elsewhere.test")
        .send()
        .await;
    desk.poll(5).await;
    settle().await;
    inbox_exactly(&p.customer, 1).await;
    assert_eq!(total(&p.stranger).await, 0);
    assert_eq!(desk.one().await.state, State::PendingCustomerAcceptance);
}

#[tokio::test]
async fn one_sender_gets_the_same_refusal_about_one_request_once_a_day() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    activation.send_reply(&p.customer, "What is this about?").await;
    desk.poll(2).await;
    inbox(&p.customer, 2).await;
    activation.send_reply(&p.customer, "Sorry, I still do not understand this.").await;
    desk.poll(3).await;
    settle().await;
    inbox_exactly(&p.customer, 2).await;
}

// ------------------------------------------------ 8. one clear sender

#[tokio::test]
async fn a_decision_from_a_mail_without_one_clear_sender_is_refused_and_recorded() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;
    let activation = inbox(&p.customer, 1).await.remove(0);
    let to = activation.reply_to.clone().unwrap();
    let threading = format!("In-Reply-To: <{0}>\r\nReferences: <{0}>\r\n", activation.message_id);
    let subject = format!("Re: {}", activation.subject);
    for from in [
        format!("From: {}, {}", p.customer, p.stranger),
        format!("From: {}\r\nFrom: {}", p.stranger, p.customer),
        format!("From: {} <{}>", p.stranger, p.customer),
    ] {
        let raw = raw_mail(&from, &to, &subject, &format!("{}@customer.test", uid()), &threading, "ACCEPT");
        send_raw(&p.customer, &to, &raw).await;
    }
    desk.poll(4).await;
    let r = desk.one().await;
    assert_eq!(r.state, State::PendingCustomerAcceptance);
    let history = desk.app.store.events(r.id.unwrap()).await.unwrap();
    assert_eq!(history.iter().filter(|e| e.kind == "refused").count(), 3, "{history:?}");
    settle().await;
    inbox_exactly(&p.customer, 1).await;
    assert_eq!(total(&p.stranger).await, 0);
}

// ------------------------------------------------ 9. smaller ones

#[tokio::test]
async fn a_different_message_reusing_a_message_id_is_read_not_swallowed() {
    let desk = TestDesk::spawn().await;
    let (a, b) = (People::new(), People::new());
    let id = format!("reused-{}@partner.test", uid());
    for p in [&a, &b] {
        let raw =
            raw_mail(&format!("From: {}", p.partner), &desk.address, "Smart Account request", &id, "", &p.form_en());
        send_raw(&p.partner, &desk.address, &raw).await;
    }
    desk.poll(2).await;
    assert_eq!(desk.requests().await.len(), 2);
    inbox(&a.partner, 1).await;
    inbox(&b.partner, 1).await;
    // The very same message again is still a duplicate.
    let raw = raw_mail(&format!("From: {}", a.partner), &desk.address, "Smart Account request", &id, "", &a.form_en());
    send_raw(&a.partner, &desk.address, &raw).await;
    desk.poll(3).await;
    assert_eq!(desk.requests().await.len(), 2);
}

#[tokio::test]
async fn a_refused_move_still_delivers_the_outbox_and_reports_the_failure() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    wait_total(&desk.address, 1).await;
    let out = desk.bin().args(["poll", "--once"]).env("SMARTACCT_TEST_MOVE_TO", "NoSuchFolder").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("move messages to NoSuchFolder"), "{}", stderr(&out));
    inbox(&p.customer, 1).await;
    // The next pass finds it processed already and moves it.
    desk.poll(1).await;
    assert_eq!(count(&desk.address, "Processed").await, 1);
    settle().await;
    inbox_exactly(&p.customer, 1).await;
}

#[tokio::test]
async fn two_polls_at_once_both_succeed_and_process_each_message_once() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let people: Vec<People> = (0..30).map(|_| People::new()).collect();
    for p in &people {
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    }
    wait_total(&desk.address, people.len()).await;
    let spawn = || desk.bin().args(["poll", "--once"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let (one, two) = (spawn(), spawn());
    for child in [one, two] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert_eq!(desk.requests().await.len(), people.len());
    settle().await;
    for p in &people {
        inbox_exactly(&p.customer, 1).await;
    }
}

#[tokio::test]
async fn an_answer_echoes_at_most_twenty_references() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    let chain: Vec<String> = (0..60).map(|n| format!("<chain-{n}-{}@partner.test>", uid())).collect();
    Outgoing::text(&p.partner, &desk.address, "help", "").header("References", &chain.join(" ")).send().await;
    desk.poll(1).await;
    let answer = inbox(&p.partner, 1).await.remove(0);
    let refs = answer.header("References").unwrap();
    assert_eq!(refs.split_whitespace().count(), 20, "{refs}");
    assert!(refs.contains(&chain[59]), "the newest ids are kept");
}

#[tokio::test]
async fn a_look_alike_domain_reaches_people_with_its_ascii_form() {
    let desk = TestDesk::spawn().await;
    let p = People::new();
    // Cyrillic letters that read as "apple".
    let domain = format!("аррӏе{}.example", uid().chars().filter(|c| c.is_ascii_digit()).collect::<String>());
    let form = p.form_en().replace(&p.domain, &domain);
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &form).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);
    assert!(review.text.contains(&format!("{domain} (xn--")), "{}", review.text);
    let out = desk.bin().args(["requests", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("(xn--"), "{}", String::from_utf8_lossy(&out.stdout));
}

#[tokio::test]
async fn a_send_lock_that_cannot_be_opened_is_named_with_what_to_do() {
    if sqlite_only("the send-lock file") {
        return;
    }
    let desk = TestDesk::spawn().await;
    let lock = desk.dir.path().join("smartacct.db.send-lock");
    std::fs::create_dir(&lock).unwrap();
    let out = desk.bin().args(["poll", "--once"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&lock.display().to_string()), "{err}");
    assert!(err.contains("service's user"), "{err}");
    assert!(!err.contains("database holds a value"), "{err}");
}

#[tokio::test]
async fn nul_bytes_in_a_subject_and_a_form_are_answered_like_any_other_text() {
    // PostgreSQL's text cannot hold NUL: a mail carrying some must still get its answer.
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let p = People::new();
    let form = p.form_en().replace("Acme Corp", "Acme\0Corp").replace("Welcome aboard.", "Wel\0come");
    let raw = raw_mail(
        &format!("From: Partner <{}>", p.partner),
        &desk.address,
        "=?utf-8?q?Smart_Account_request=00?=",
        &format!("nul-{}@partner.test", uid()),
        "",
        &form,
    );
    send_raw(&p.partner, &desk.address, &raw).await;
    desk.poll(1).await;
    assert_eq!(count(&desk.address, "INBOX").await, 0, "the mail was taken");
    let answer = inbox(&p.partner, 1).await.remove(0);
    assert!(!answer.text.contains('\0'), "{}", answer.text);
    let rows = desk.app.store.list_inbound(false).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].subject.contains('\0'));
}
