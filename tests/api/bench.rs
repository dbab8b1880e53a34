//! The sweep benchmark (ignored by default; run with
//! `cargo test --release --test api -- --ignored --nocapture sweep_benchmark`).
//! It seeds 100,000 due requests twice and reports, in one run on one machine,
//! the sweep's time to commit every state change and queue every notice next
//! to a bare `UPDATE … WHERE expires_at <= ?` over the same data.
use std::time::Instant;

use crate::helpers::*;
use chrono::{Duration, Utc};

/// A phase of the benchmark ends: under `valgrind --tool=callgrind
/// --dump-before='*phase_ends*'` each phase gets its own profile (seeding,
/// the sweep, the baseline), counted in instructions, which the machine's
/// noise does not change.
#[inline(never)]
fn phase_ends(name: &str) {
    std::hint::black_box(name);
}

/// How many due requests (100,000 unless `SMARTACCT_BENCH_REQUESTS` says:
/// fewer for a run under `valgrind --tool=callgrind`, which counts instructions).
fn requests() -> i64 {
    std::env::var("SMARTACCT_BENCH_REQUESTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000)
}

/// The process's CPU time (user and system, every thread) in seconds: less
/// sensitive than the wall clock to what else the shared machine runs.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// `n` pending requests, each ten days past its expiry, written straight
/// into the desk's database (its SQLite file, or its PostgreSQL database on
/// the PostgreSQL pass).
pub(crate) async fn seed(desk: &TestDesk, n: i64) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = database_url(desk.dir.path(), None);
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let past = smartacct::request::rfc3339(Utc::now() - Duration::days(100));
    let expired = smartacct::request::rfc3339(Utc::now() - Duration::days(10));
    // References are written SA-00000001 etc., which Reference::parse refuses
    // (0 and 1 are not in its alphabet): mapped to valid ones.
    let (numbers, reference) = if on_postgres() {
        (format!("generate_series(1, {n}) AS n(i)"), "'SA-' || translate(lpad(i::text, 8, '0'), '01', 'ZY')")
    } else {
        (
            format!("(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) SELECT i FROM n)"),
            "'SA-' || replace(replace(printf('%08d', i), '0', 'Z'), '1', 'Y')",
        )
    };
    let sql = format!(
        "INSERT INTO requests (reference, state, account_name, account_domain, customer_email, partner_email, \
           partner_mailbox, user_emails, note_to_customer, locale, created_at, submitted_at, expires_at, updated_at) \
         SELECT {reference}, 'pending_customer_acceptance', 'Account ' || i, 'acct-' || i || '.example', \
           'c' || i || '@customer.test', 'p' || (i % 500) || '@partner.test', 'p' || (i % 500) || '@partner.test', \
           '[]', 'Please accept.', 'en', '{past}', '{past}', '{expired}', '{past}' FROM {numbers}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
    pool
}

// The binary's runtime (several threads): the sweep commits a batch while it reads the next.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by hand in release mode"]
async fn sweep_benchmark() {
    let n = requests();
    let desk = TestDesk::spawn().await;
    let pool = seed(&desk, n).await;
    phase_ends("seeding");
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let report = smartacct::sweep::sweep_once(&desk.app, Utc::now()).await.unwrap();
    let (sweep, sweep_cpu) = (started.elapsed(), cpu_seconds() - cpu);
    phase_ends("sweep");
    assert_eq!(report.expired as i64, n);
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(queued, 2 * n);

    let baseline_desk = TestDesk::spawn().await;
    let pool = seed(&baseline_desk, n).await;
    phase_ends("seeding the baseline");
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let now = smartacct::request::rfc3339(Utc::now());
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE requests SET state = 'expired', closed_at = '{now}' \
         WHERE state = 'pending_customer_acceptance' AND expires_at <= '{now}'"
    )))
    .execute(&pool)
    .await
    .unwrap();
    let (baseline, baseline_cpu) = (started.elapsed(), cpu_seconds() - cpu);
    phase_ends("baseline");
    assert_eq!(done.rows_affected() as i64, n);

    // What the sweep leaves to the delivery: rendering the notices, for a tenth of the requests.
    let sample = desk.app.store.list_requests(None).await.unwrap();
    let composer = desk.app.composer();
    let env = smartacct::decide::Env {
        settings: &desk.app.settings,
        now: Utc::now(),
        new_reference: smartacct::domain::Reference::generate(),
    };
    let started = Instant::now();
    for r in sample.iter().take((n / 10) as usize) {
        let mut due = r.clone();
        due.state = smartacct::domain::State::PendingCustomerAcceptance;
        for plan in smartacct::decide::sweep(smartacct::decide::SweepStep::Expire, &due, &env).emails {
            composer.compose(&plan, Utc::now()).unwrap();
        }
    }
    let render = started.elapsed().as_secs_f64() * 10.0;

    println!(
        "sweep of {n} due requests: {:.2} s ({:.1} µs per request: state change, 2 notices queued, history, outbox rows)",
        sweep.as_secs_f64(),
        sweep.as_secs_f64() * 1e6 / n as f64
    );
    println!("baseline bare UPDATE of the same {n} rows: {:.3} s", baseline.as_secs_f64());
    println!("ratio sweep / bare UPDATE: {:.1}x", sweep.as_secs_f64() / baseline.as_secs_f64());
    println!(
        "CPU time (user and system, all threads; the clock tick is 10 ms): sweep {sweep_cpu:.2} s, bare UPDATE {baseline_cpu:.2} s, ratio {:.1}x",
        sweep_cpu / baseline_cpu.max(0.01)
    );
    println!(
        "not in the sweep: rendering the {} notices, done as each is sent (measured on a tenth, scaled): about {render:.1} s",
        2 * n
    );
}
