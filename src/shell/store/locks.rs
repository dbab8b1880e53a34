//! Locks between processes on one database: who watches the mailbox, who
//! sends the events, who sweeps, who sends the emails. On SQLite, OS file
//! locks beside the database; on PostgreSQL, session advisory locks, each on a
//! connection of its own, so a process that dies or loses the database loses
//! its locks with it.
use std::time::{Duration, Instant};

use sqlx::AnyConnection;
use sqlx::{Connection as _, Row as _};

use super::dialect::query;
use super::{Backend, Result, Store, StoreError};

/// The work only one process does at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Sending the outbox. On PostgreSQL every process sends, each email
    /// claimed by one (`due_to_send`), so this lock is always granted there.
    Outbox,
    /// Sending the events to the provisioning system, in order per request.
    Hooks,
    /// A scheduled sweep.
    Sweep,
    /// Watching the mailbox (SPEC §10's leadership).
    Mailbox,
}

impl Lock {
    fn file_suffix(self) -> &'static str {
        match self {
            Lock::Outbox => "send-lock",
            Lock::Hooks => "hook-lock",
            Lock::Sweep => "sweep-lock",
            Lock::Mailbox => "watch-lock",
        }
    }

    /// The advisory lock's key: "smartacc" in ASCII, plus one per lock.
    /// PostgreSQL keeps advisory locks per database, so two desks on one
    /// cluster never meet.
    fn key(self) -> i64 {
        0x736d_6172_7461_6300
            + match self {
                Lock::Outbox => 1,
                Lock::Hooks => 2,
                Lock::Sweep => 3,
                Lock::Mailbox => 4,
            }
    }
}

/// A lock held until dropped, or until the process dies.
pub struct Held(Inner);

enum Inner {
    File(#[allow(dead_code)] std::fs::File),
    Session(AnyConnection),
    /// Nothing to hold: the work is shared (see `Lock::Outbox`).
    Shared,
}

/// The watcher's heartbeat (see `Store::heartbeat`).
const HEARTBEAT: &str = "INSERT INTO watcher (id, holder, imap_connected, seen_at) VALUES (1, ?, ?, ?) \
     ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, imap_connected = excluded.imap_connected, \
     seen_at = excluded.seen_at";

/// Tries the lock again this often while waiting for it.
const RETRY: Duration = Duration::from_millis(250);

impl Store {
    /// Takes `which`, waiting up to `wait` for another process to let it go; `None` if it did not.
    pub async fn lock(&self, which: Lock, wait: Duration) -> Result<Option<Held>> {
        match self.backend {
            Backend::Sqlite => {
                let path = std::path::PathBuf::from(format!("{}.{}", self.file.display(), which.file_suffix()));
                Ok(lock_file(&path, wait).await?.map(|f| Held(Inner::File(f))))
            }
            Backend::Postgres if which == Lock::Outbox => Ok(Some(Held(Inner::Shared))),
            Backend::Postgres => {
                let mut conn = self.pool.acquire().await?.detach();
                let start = Instant::now();
                loop {
                    let got: bool = query("SELECT pg_try_advisory_lock(?)")
                        .bind(which.key())
                        .fetch_one(&mut conn)
                        .await?
                        .try_get(0)?;
                    if got {
                        return Ok(Some(Held(Inner::Session(conn))));
                    }
                    if start.elapsed() >= wait {
                        let _ = conn.close().await;
                        return Ok(None);
                    }
                    tokio::time::sleep(RETRY.min(wait.saturating_sub(start.elapsed()))).await;
                }
            }
        }
    }
}

/// A name for this process on the rows it claims: host, process id and a random tag.
pub(super) fn claimer_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let mut tag = [0u8; 4];
    let _ = getrandom::fill(&mut tag);
    let tag: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}:{}:{tag}", host.trim(), std::process::id())
}

/// An OS file lock, waited for up to `wait`: a killed process releases it at once.
async fn lock_file(path: &std::path::Path, wait: Duration) -> Result<Option<std::fs::File>> {
    let err = |source| lock_file_error(path, source);
    // A lock file another user made (an operator's command run as root)
    // still locks when opened for reading: flock needs no write access.
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => std::fs::File::open(path).map_err(|_| e),
            _ => Err(e),
        })
        .map_err(err)?;
    let start = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => return Err(err(e)),
        }
    }
}

/// Why a lock file could not be used. Short of descriptors, the advice about
/// the file's owner would send the operator the wrong way.
fn lock_file_error(path: &std::path::Path, source: std::io::Error) -> StoreError {
    let path = path.display().to_string();
    if crate::telemetry::out_of_descriptors(&source).is_some() {
        StoreError::Descriptors { what: format!("the lock file {path}"), source }
    } else {
        StoreError::LockFile { path, source }
    }
}

/// The watcher's last word (see `Store::heartbeat`).
#[derive(Debug, Clone)]
pub struct Watcher {
    pub holder: String,
    pub imap_connected: bool,
    pub seen_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// The leader proves it still holds `held` and says who it is and whether
    /// it holds an IMAP session, in one write. On PostgreSQL the write goes
    /// over the lock's own connection, within 5 s: it succeeds only while the
    /// lock is held, and never waits behind the pool or another writer. A
    /// file lock is always held; its heartbeat is only for `/readyz`.
    pub async fn heartbeat(&self, held: &mut Held, imap_connected: bool, now: chrono::DateTime<chrono::Utc>) -> bool {
        let beat =
            || query(HEARTBEAT).bind(self.claimer.to_string()).bind(i64::from(imap_connected)).bind(super::ts(now));
        match &mut held.0 {
            Inner::Session(conn) => {
                matches!(tokio::time::timeout(Duration::from_secs(5), beat().execute(&mut *conn)).await, Ok(Ok(_)))
            }
            Inner::File(_) | Inner::Shared => {
                let _writer = self.writer.lock().await;
                let _ = beat().execute(&self.pool).await;
                true
            }
        }
    }

    /// How long a process that has just taken the mailbox lock waits before
    /// reading: when another process led and did not say it stopped, long
    /// enough for it to have noticed that it lost the lock and stopped (it
    /// proves its lock every 5 s, a proof gives up after 5 s, then it
    /// finishes the message in hand). Measured on this host's clock only, so
    /// two hosts' clocks never need to agree. Two processes never read the
    /// mailbox at once.
    pub async fn takeover_wait(&self) -> Result<Option<Duration>> {
        Ok(match self.watcher().await? {
            Some(w) if w.holder != *self.claimer => Some(Duration::from_secs(15)),
            _ => None,
        })
    }

    /// The leader's word that it no longer watches (it stopped, or lost the
    /// lock): the next leader need not wait for it.
    pub async fn release_watcher(&self) -> Result<()> {
        let _writer = self.writer.lock().await;
        query("DELETE FROM watcher WHERE holder = ?").bind(&*self.claimer).execute(&self.pool).await?;
        Ok(())
    }

    /// What the leader said last, if any process ever led.
    pub async fn watcher(&self) -> Result<Option<Watcher>> {
        let row = query("SELECT holder, imap_connected, seen_at FROM watcher WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Watcher {
                holder: r.try_get(0)?,
                imap_connected: r.try_get::<i64, _>(1)? != 0,
                seen_at: super::parse_ts(&r.try_get::<String, _>(2)?)?,
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lock_file_that_cannot_be_opened_for_want_of_descriptors_blames_the_limit_not_the_file() {
        let path = std::path::Path::new("/var/lib/smartacct/smartacct.db.send-lock");
        let said = crate::telemetry::chain(&super::lock_file_error(path, std::io::Error::from_raw_os_error(24)));
        assert!(said.starts_with("cannot open the lock file /var/lib/smartacct/smartacct.db.send-lock: too many open files: raise LimitNOFILE (the service's limit is "), "{said}");
        assert!(!said.contains("runuser"), "{said}");
        assert_eq!(said.matches("LimitNOFILE").count(), 1, "{said}");
        let said = crate::telemetry::chain(&super::lock_file_error(path, std::io::Error::from_raw_os_error(13)));
        assert!(said.contains("runuser"), "a file of another user is still named as such: {said}");
    }
}
