//! `run`: the long-running service. Its loops share one stop signal: the
//! mailbox watcher (IDLE, else polling; only while this process leads, SPEC
//! §10), the outbox and events senders and the sweep schedule.
//! SIGTERM/SIGINT stops each after its current step.
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, watch};

use crate::store::{Held, Lock, Queue, StoreError};

use crate::app::App;
use crate::imap::{Imap, Woke};
use crate::request::rfc3339;
use crate::{intake, retry, schedule, systemd};

/// Reconnects wait 1 s, doubling, up to 5 minutes.
const RECONNECT_BASE: Duration = Duration::from_secs(1);
const RECONNECT_CAP: Duration = Duration::from_secs(300);

type Stop = watch::Receiver<bool>;

pub async fn run(app: &App) -> anyhow::Result<()> {
    let (stop_tx, stop) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping: finishing the work in hand");
        systemd::notify("STOPPING=1");
        let _ = stop_tx.send(true);
    });
    let s = &app.settings;
    tracing::info!(
        mailbox = %s.mailbox.address,
        imap = %s.imap.as_ref().map_or_else(|| "none (LMTP only)".to_string(), |i| format!("{}:{}", i.host, i.port)),
        smtp = %format!("{}:{}", s.smtp.host, s.smtp.port),
        sweep = %s.sweep.schedule_text,
        timezone = %s.sweep.timezone,
        "smartacct running"
    );
    // A send may start up to half a lease after its claim and take up to two
    // SMTP timeouts: a shorter lease lets another process send it again.
    if app.store.claim_deadline().is_some() && app.store.claim_lease() < app.smtp.timeout() * 4 {
        tracing::warn!(
            lease_secs = app.store.claim_lease().as_secs(),
            smtp_timeout_secs = app.smtp.timeout().as_secs(),
            "database.claim_lease_secs is under 4 x smtp.timeout_secs: an email on a slow server could be sent twice"
        );
    }
    // Bound before READY: a port already taken fails the start, loudly.
    let metrics = match &s.metrics {
        Some(m) => Some(crate::metrics::bind(m.listen).await?),
        None => None,
    };
    let serve_metrics = async {
        if let Some((listener, handle)) = metrics {
            crate::metrics::serve(listener, handle, app.store.clone(), stop.clone()).await;
        }
    };
    let lmtp = match &s.lmtp {
        Some(l) => Some(crate::lmtp::server::bind(&l.listen).await?),
        None => None,
    };
    let console = match &s.console {
        Some(c) => Some(crate::console::bind(app, c).await?),
        None => None,
    };
    let outbox = Wake::default();
    let serve_console = async {
        if let Some(bound) = console {
            crate::console::serve(bound, app, stop.clone(), &|| outbox.committed()).await;
        }
    };
    let serve_lmtp = async {
        if let Some(listener) = lmtp {
            crate::lmtp::server::serve(app, listener, stop.clone(), &|| outbox.committed()).await;
        }
    };
    systemd::notify("READY=1");
    let events = async {
        if app.settings.hooks.is_some() {
            send_outbox(app, stop.clone(), &outbox.events, Queue::Hook).await;
        }
    };
    tokio::join!(
        lead_mailbox(app, stop.clone(), &outbox),
        send_outbox(app, stop.clone(), &outbox.emails, Queue::Email),
        events,
        run_sweeps(app, stop.clone(), &outbox),
        watchdog(stop.clone()),
        serve_metrics,
        serve_console,
        serve_lmtp,
    );
    tracing::info!("stopped");
    Ok(())
}

/// Wakes the senders when new work is committed.
#[derive(Default)]
struct Wake {
    emails: Notify,
    events: Notify,
}

impl Wake {
    fn committed(&self) {
        self.emails.notify_one();
        self.events.notify_one();
    }
}

/// Sleeps `d`, or less if `stop` is set meanwhile. Returns whether to stop.
async fn pause(d: Duration, stop: &mut Stop) -> bool {
    if *stop.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}

/// How often a follower tries to take the mailbox watch, and how often the
/// leader proves it still holds it: a takeover comes within seconds of the
/// leader's death, well inside SPEC §10's 30.
const LEADER_TRY: Duration = Duration::from_secs(2);
const LEADER_CHECK: Duration = Duration::from_secs(5);

/// How long one step of taking (or giving up) the watch may wait for the
/// database. Without a bound, a step waits out the pool's 30 s for a
/// connection while the database is down, trying to connect less and less
/// often (every 6 s in the end): the watch came back long after the database
/// did. Within 5 s the pool tries again at most 2.6 s apart.
const LEADER_STEP: Duration = Duration::from_secs(5);

/// How soon a process whose database did not answer tries the watch again.
const LEADER_RETRY: Duration = Duration::from_secs(1);

/// Says the first of a run of unanswered attempts as an error, the rest quietly.
fn not_answered(unanswered: &mut u32, e: anyhow::Error, what: &str) {
    if *unanswered == 0 {
        tracing::error!(error = crate::telemetry::chain(e.as_ref()), "{what}; trying again");
    } else {
        tracing::debug!(error = crate::telemetry::chain(e.as_ref()), attempt = *unanswered, "{what}");
    }
    *unanswered += 1;
}

/// `step`, unless the database does not answer within `LEADER_STEP`.
async fn bounded<T>(step: impl Future<Output = crate::store::Result<T>>) -> anyhow::Result<T> {
    match tokio::time::timeout(LEADER_STEP, step).await {
        Ok(done) => Ok(done?),
        Err(_) => anyhow::bail!("the database did not answer within {} s", LEADER_STEP.as_secs()),
    }
}

/// Watches the mailbox while this process holds the mailbox lock (SPEC §10:
/// one watcher among the processes on a database); stands by otherwise.
/// A leader whose lock connection fails stops watching at once, finishing
/// the step in hand, and stands by again: it takes the watch again as soon as
/// the database answers (within seconds; SPEC §10's 30 s is for another
/// process taking over).
async fn lead_mailbox(app: &App, mut stop: Stop, outbox: &Wake) {
    if app.settings.imap.is_none() {
        // LMTP only: no mailbox to watch, and readiness does not wait for a watcher.
        crate::metrics::mailbox_watched(false);
        return;
    }
    let mut standing_by = false;
    // Attempts in a row the database did not answer: said once, then quietly.
    let mut unanswered = 0u32;
    while !*stop.borrow() {
        let held = match bounded(app.store.lock(Lock::Mailbox, Duration::ZERO)).await {
            Ok(Some(held)) => held,
            Ok(None) => {
                if !standing_by {
                    tracing::info!("another smartacct process watches the mailbox; standing by to take over");
                    standing_by = true;
                }
                if pause(LEADER_TRY, &mut stop).await {
                    break;
                }
                continue;
            }
            Err(e) => {
                not_answered(&mut unanswered, e, "cannot take the mailbox watch: the database does not answer");
                if pause(LEADER_RETRY, &mut stop).await {
                    break;
                }
                continue;
            }
        };
        standing_by = false;
        match bounded(app.store.takeover_wait()).await {
            Ok(Some(wait)) => {
                tracing::info!(
                    wait_ms = wait.as_millis() as u64,
                    "took the mailbox lock; waiting for the previous watcher to have stopped"
                );
                if pause(wait, &mut stop).await {
                    break;
                }
            }
            Ok(None) => {}
            Err(e) => {
                not_answered(&mut unanswered, e, "cannot read who watched the mailbox");
                if pause(LEADER_RETRY, &mut stop).await {
                    break;
                }
                continue;
            }
        }
        if unanswered > 0 {
            tracing::info!(attempts = unanswered, "the database answers again");
            unanswered = 0;
        }
        crate::metrics::leading(true);
        tracing::info!("this process watches the mailbox");
        let (lost_tx, lost) = watch::channel(false);
        let (held, _) = tokio::join!(keep_lead(app, held, stop.clone(), lost_tx), watch_mailbox(app, lost, outbox));
        crate::metrics::leading(false);
        if !*stop.borrow() {
            tracing::warn!("lost the database connection that holds the mailbox watch; stopped watching the mailbox");
        }
        // Let go only now: the watcher has finished its step. (When the
        // database is gone, the word is not written, and another process
        // that takes the watch waits for this one to have stopped; this one
        // need not wait for itself.)
        let _ = bounded(app.store.release_watcher()).await;
        drop(held);
    }
}

/// Proves the lead every `LEADER_CHECK` (a heartbeat over the lock's own
/// connection, saying whether this leader holds an IMAP session, for the
/// followers' `/readyz`) and tells the watcher to stop (`lost`) when the proof
/// fails or the service stops.
async fn keep_lead(app: &App, mut held: Held, mut stop: Stop, lost: watch::Sender<bool>) -> Held {
    loop {
        if *stop.borrow() || !app.store.heartbeat(&mut held, crate::metrics::imap_is_connected(), Utc::now()).await {
            let _ = lost.send(true);
            return held;
        }
        tokio::select! {
            _ = tokio::time::sleep(LEADER_CHECK) => {}
            _ = crate::metrics::IMAP_CHANGED.notified() => {}
            _ = stop.changed() => {}
        }
    }
}

/// Connects, reads what is waiting, then waits for more in IDLE (or sleeps
/// `imap.poll_interval_secs` where the server has no IDLE) and reads again by
/// UID search after every wait, so mail arriving around DONE is not missed.
async fn watch_mailbox(app: &App, mut stop: Stop, outbox: &Wake) {
    let Some(s) = app.settings.imap.as_ref() else { return };
    let mut failures = 0u32;
    while !*stop.borrow() {
        let session = async {
            let mut imap = Imap::connect(s, app.tokens.as_ref()).await?;
            intake::prepare(app, &mut imap).await?;
            anyhow::Ok(imap)
        };
        let mut imap = match session.await {
            Ok(imap) => imap,
            Err(e) => {
                crate::metrics::imap_connected(false);
                let wait = retry::delay(failures, RECONNECT_BASE, RECONNECT_CAP);
                if failures == 0 {
                    tracing::error!(
                        error = crate::telemetry::chain(e.as_ref()),
                        "cannot reach the mailbox; retrying with backoff"
                    );
                } else {
                    tracing::debug!(
                        error = crate::telemetry::chain(e.as_ref()),
                        attempt = failures,
                        "mailbox still unreachable"
                    );
                }
                failures += 1;
                if pause(wait, &mut stop).await {
                    break;
                }
                continue;
            }
        };
        if failures > 0 {
            tracing::info!(attempts = failures, "mailbox reachable again");
            failures = 0;
        }
        crate::metrics::imap_connected(true);
        tracing::info!(idle = imap.has_idle, "watching the mailbox");
        // Passes in a row that left mail in the folder (a message whose
        // transaction failed: the database restarting, a DNS check) or that
        // the database failed. Such mail is read again, once the database
        // answers, after a short wait that grows while it does not; never
        // only when the next mail happens to end the wait in IDLE.
        let mut behind = 0u32;
        // Ends with the session (when it is still usable) and the error, if any.
        let (session, error) = loop {
            if behind == 0 || database_answers(app, &mut stop).await {
                match intake::process_waiting(app, &mut imap, Some(&stop)).await {
                    Ok(report) => {
                        if report.processed > 0 {
                            outbox.committed();
                        }
                        behind = if report.failed > 0 { behind + 1 } else { 0 };
                        // Mail that came during the pass was announced in the
                        // answers to its commands, and IDLE announces only what
                        // is newer still: it would wait with that mail unread.
                        if behind == 0 && !*stop.borrow() {
                            match imap.all_uids().await {
                                Ok(uids) if uids.last().is_some_and(|uid| *uid > report.highest_uid) => continue,
                                Ok(_) => {}
                                Err(e) => break (Some(imap), Some(anyhow::Error::new(e))),
                            }
                        }
                    }
                    // The session is fine: only the database failed the pass.
                    Err(e) if database_trouble(&e) => {
                        if behind == 0 {
                            tracing::error!(
                                error = crate::telemetry::chain(e.as_ref()),
                                "cannot read the mail waiting: the database does not answer; trying again shortly"
                            );
                        }
                        behind += 1;
                    }
                    Err(e) => break (Some(imap), Some(e)),
                }
            } else {
                behind += 1;
            }
            if *stop.borrow() {
                break (Some(imap), None);
            }
            let again = (behind > 0).then(|| retry::delay(behind - 1, AGAIN_BASE, AGAIN_CAP));
            if imap.has_idle {
                // New mail still ends the wait at once.
                match imap.idle(again.unwrap_or(s.idle_timeout).min(s.idle_timeout), &mut stop).await {
                    Ok((back, woke)) => {
                        imap = back;
                        if woke == Woke::Stopped {
                            break (Some(imap), None);
                        }
                    }
                    // The session went with the error.
                    Err(e) => break (None, Some(anyhow::Error::new(e))),
                }
            } else if pause(again.unwrap_or(s.poll_interval).min(s.poll_interval), &mut stop).await {
                break (Some(imap), None);
            }
        };
        crate::metrics::imap_connected(false);
        match error {
            None => {
                if let Some(imap) = session {
                    imap.logout().await;
                }
                break;
            }
            Some(e) => {
                if let Some(imap) = session {
                    imap.logout().await;
                }
                if failures == 0 {
                    tracing::error!(
                        error = crate::telemetry::chain(e.as_ref()),
                        "lost the mailbox connection; reconnecting"
                    );
                }
                failures = failures.max(1);
                if pause(retry::delay(0, RECONNECT_BASE, RECONNECT_CAP), &mut stop).await {
                    break;
                }
            }
        }
    }
}

/// Mail a pass left in the folder is read again after 1 s, doubling, up to a minute.
const AGAIN_BASE: Duration = Duration::from_secs(1);
const AGAIN_CAP: Duration = Duration::from_secs(60);

/// Whether the database answers now (within `LEADER_STEP`); false at once when `stop` is set.
async fn database_answers(app: &App, stop: &mut Stop) -> bool {
    tokio::select! {
        answered = tokio::time::timeout(LEADER_STEP, app.store.ping()) => matches!(answered, Ok(Ok(()))),
        _ = stop.changed() => false,
    }
}

/// Whether a failed pass failed on the database alone (down, restarting, a
/// session it ended): the IMAP session is still good, and the pass is worth
/// trying again as soon as the database answers.
fn database_trouble(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| cause.downcast_ref::<StoreError>().is_some_and(StoreError::is_temporary))
}

/// How soon a sender looks again at work it cannot see being committed:
/// mail read by another process (SPEC §10), or claimed by one.
const SHARED_POLL: Duration = Duration::from_secs(1);

/// Delivers due emails (or events), honouring each one's backoff; wakes when
/// work is committed, when the next retry is due, or at least every minute.
/// Emails and events run as two loops: a receiver that is down never delays an email.
async fn send_outbox(app: &App, mut stop: Stop, wake: &Notify, queue: Queue) {
    let what = match queue {
        Queue::Email => "email",
        Queue::Hook => "events to hooks.webhook_url / hooks.command",
    };
    let mut outage = false;
    while !*stop.borrow() {
        let pass = match queue {
            Queue::Email => crate::delivery::deliver_until(app, Utc::now(), false, Some(&stop)).await,
            Queue::Hook => crate::hooks::deliver_until(app, Utc::now(), false, Some(&stop)).await,
        };
        match pass {
            Ok(d) => {
                // Logged once per outage: the first pass with a temporary failure,
                // until a pass sends without any.
                if d.retrying > 0 && !outage {
                    tracing::error!(
                        waiting = d.retrying,
                        "cannot deliver {what}; retrying with backoff (see `smartacct outbox list`)"
                    );
                    outage = true;
                } else if d.sent > 0 && d.retrying == 0 && outage {
                    tracing::info!(sent = d.sent, "delivery of {what} works again");
                    outage = false;
                }
            }
            Err(e) => {
                tracing::error!(error = crate::telemetry::chain(&e), "cannot read the outbox; trying again");
                if pause(Duration::from_secs(5), &mut stop).await {
                    break;
                }
                continue;
            }
        }
        let next = match queue {
            Queue::Email => app.store.next_outbox_attempt().await,
            Queue::Hook => app.store.next_hook_attempt().await,
        };
        // Work due now that this pass did not send is another process's
        // claim (or committed by another process): look again shortly.
        let wait = match next.ok().flatten() {
            Some(t) => (t - Utc::now()).to_std().unwrap_or(SHARED_POLL).max(SHARED_POLL),
            None => Duration::from_secs(60),
        }
        .min(Duration::from_secs(60));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
            _ = stop.changed() => {}
        }
    }
}

/// Fires the sweep at `sweep.schedule` in `sweep.timezone`; on start, at once
/// if the last completed sweep is older than the last scheduled time.
async fn run_sweeps(app: &App, mut stop: Stop, outbox: &Wake) {
    let sweep = &app.settings.sweep;
    let never = chrono::DateTime::<Utc>::MAX_UTC;
    let last = app.store.last_scheduled_sweep().await.ok().flatten();
    let mut next = if schedule::missed(&sweep.schedule, sweep.timezone, last, Utc::now()) {
        tracing::info!(last = ?last.map(rfc3339), "a scheduled sweep was missed; sweeping now (unless another process is)");
        Utc::now()
    } else {
        schedule::next_after(&sweep.schedule, sweep.timezone, Utc::now()).unwrap_or(never)
    };
    loop {
        let wait = (next - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        // Sleep in slices so a clock change or a long wait stays responsive.
        if pause(wait.min(Duration::from_secs(300)), &mut stop).await {
            return;
        }
        if Utc::now() < next {
            continue;
        }
        match sweep_unless_done(app, stop.clone()).await {
            Ok(()) => {
                outbox.committed();
                next = schedule::next_after(&sweep.schedule, sweep.timezone, Utc::now()).unwrap_or(never);
                tracing::info!(next = %rfc3339(next), "next sweep");
            }
            Err(e) => {
                tracing::error!(error = crate::telemetry::chain(e.as_ref()), "sweep failed; trying again in a minute");
                next = Utc::now() + chrono::Duration::minutes(1);
            }
        }
    }
}

/// One scheduled sweep across the processes on a database (SPEC §10): the
/// sweep lock makes the others wait, and a process that gets it after another
/// swept finds the sweep done (none owed since the last scheduled time).
async fn sweep_unless_done(app: &App, mut stop: Stop) -> anyhow::Result<()> {
    let sweep = &app.settings.sweep;
    // Waiting for another process's sweep never holds up a stop.
    let held = tokio::select! {
        held = app.store.lock(Lock::Sweep, Duration::from_secs(6 * 3600)) => held?,
        _ = stop.changed() => return Ok(()),
    };
    let Some(_held) = held else {
        anyhow::bail!("another process has held the sweep lock for 6 hours");
    };
    let last = app.store.last_scheduled_sweep().await?;
    if !schedule::missed(&sweep.schedule, sweep.timezone, last, Utc::now()) {
        tracing::info!(last = ?last.map(rfc3339), "the scheduled sweep is done already (by another process)");
        return Ok(());
    }
    crate::sweep::scheduled_sweep(app).await?;
    Ok(())
}

/// Pings systemd's watchdog while the service runs (`WatchdogSec=`).
async fn watchdog(mut stop: Stop) {
    let Some(every) = systemd::watchdog_interval() else { return };
    loop {
        systemd::notify("WATCHDOG=1");
        if pause(every, &mut stop).await {
            return;
        }
    }
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::database_trouble;
    use crate::store::StoreError;

    #[test]
    fn a_pass_the_database_failed_is_told_from_one_the_mail_server_failed() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let down =
            anyhow::Error::new(StoreError::Query(sqlx::Error::Io(refused))).context("cannot read the folder's record");
        assert!(database_trouble(&down));
        let corrupt = anyhow::Error::new(StoreError::Corrupt("timestamp \"yesterday\"".into()));
        assert!(!database_trouble(&corrupt), "waiting mends no unreadable row");
        let imap = anyhow::Error::new(crate::imap::ImapError::Timeout { what: "search the folder".into(), secs: 20 });
        assert!(!database_trouble(&imap), "a mail server that stopped answering needs a new session");
    }
}
