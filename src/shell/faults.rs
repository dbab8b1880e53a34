//! Test hooks for crash-safety tests: named checkpoints where a test can freeze or slow the process.
//!
//! With `SMARTACCT_TEST_FREEZE_AT=N` (or `NAME:N`, the N-th checkpoint of
//! that name) the N-th checkpoint reached writes
//! `FROZEN at <name>` to stderr and blocks forever, so a test can SIGKILL the
//! process at exactly that moment. With `SMARTACCT_TEST_SLOW_MS=M` every
//! checkpoint sleeps M ms, so a signal lands mid-batch. Unset (always, in
//! production) a checkpoint costs one relaxed atomic load.
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

struct Faults {
    freeze_at: Option<u64>,
    freeze_name: Option<String>,
    slow: Option<Duration>,
    reached: AtomicU64,
}

static FROZEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn freeze_forever() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

fn faults() -> &'static Faults {
    static F: OnceLock<Faults> = OnceLock::new();
    F.get_or_init(|| {
        let spec = std::env::var("SMARTACCT_TEST_FREEZE_AT").ok();
        let (freeze_name, freeze_at) = match spec.as_deref().map(|s| s.split_once(':')) {
            Some(Some((name, n))) => (Some(name.to_string()), n.parse().ok()),
            _ => (None, spec.and_then(|v| v.parse().ok())),
        };
        Faults {
            freeze_at,
            freeze_name,
            slow: std::env::var("SMARTACCT_TEST_SLOW_MS").ok().and_then(|v| v.parse().ok()).map(Duration::from_millis),
            reached: AtomicU64::new(0),
        }
    })
}

/// A moment worth crashing at: `fetched`, `applied` (a message, inside its batch's transaction), `committed`, `moved`, `sent`.
pub async fn checkpoint(name: &str) {
    let f = faults();
    if f.freeze_at.is_none() && f.slow.is_none() {
        return;
    }
    // Once one task froze, every other stops at its next checkpoint too: the
    // process is caught at one moment, as a crash would catch it.
    if FROZEN.load(Ordering::SeqCst) {
        freeze_forever();
    }
    if f.freeze_name.as_deref().is_some_and(|n| n != name) {
        if let Some(d) = f.slow {
            tokio::time::sleep(d).await;
        }
        return;
    }
    let n = f.reached.fetch_add(1, Ordering::SeqCst) + 1;
    if f.freeze_at == Some(n) {
        FROZEN.store(true, Ordering::SeqCst);
        eprintln!("FROZEN at {name}");
        freeze_forever();
    }
    if let Some(d) = f.slow {
        tokio::time::sleep(d).await;
    }
}

/// `SMARTACCT_TEST_MOVE_TO=FOLDER`: processed mail is moved to FOLDER instead
/// (one that does not exist makes the server refuse the MOVE). `None` always in production.
pub fn move_target_override() -> Option<String> {
    static F: OnceLock<Option<String>> = OnceLock::new();
    F.get_or_init(|| std::env::var("SMARTACCT_TEST_MOVE_TO").ok()).clone()
}

/// `SMARTACCT_TEST_FAIL_SUBJECT=TEXT`: a message whose subject contains TEXT
/// fails after its effects were applied in its batch, as a database error
/// would (tests that a failed batch costs only that message). Unset in production.
pub fn fail_on_subject(subject: &str) -> anyhow::Result<()> {
    static F: OnceLock<Option<String>> = OnceLock::new();
    match F.get_or_init(|| std::env::var("SMARTACCT_TEST_FAIL_SUBJECT").ok()) {
        Some(text) if subject.contains(text.as_str()) => Err(anyhow::anyhow!("test fault: failing {subject:?}")),
        _ => Ok(()),
    }
}
