//! The SQLite store: the only module with SQL. Opening, migrations and the typed errors.
mod commit;
mod due;
mod evidence;
mod hooks;
mod inbound;
mod metrics;
mod oauth2;
mod outbox;
mod requests;

use std::{str::FromStr, time::Duration};

use chrono::{DateTime, Utc};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlSafeStr};

pub use commit::{Committed, InboundRecord, Planned};
pub use evidence::EvidenceRow;
pub use hooks::HookRow;
pub use inbound::{InboundRow, REPROCESSED, SET_ASIDE};
pub use metrics::Snapshot;
pub use outbox::{OutboxRow, OutboxStatus, Queue};
pub use requests::EventRow;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot create the database {path} (smartacct never creates its directory: is the volume mounted?)")]
    Missing { path: String, source: std::io::Error },
    #[error("cannot apply the database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot query the database")]
    Query(#[from] sqlx::Error),
    #[error("the database holds a value smartacct cannot read: {0}")]
    Corrupt(String),
    #[error("cannot write the backup {path}")]
    Backup { path: String, source: std::io::Error },
    #[error("request {request} cannot be read from the database: {problem}")]
    Unreadable { request: String, problem: String },
    #[error(
        "cannot use the outbox lock file {path} (run operator commands as the service's user, e.g. `runuser -u smartacct -- smartacct …`, or give that user the file)"
    )]
    LockFile { path: String, source: std::io::Error },
    #[error("request {0} changed state meanwhile; the message will be read again")]
    Conflict(String),
}

/// What the store knows of an inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    New,
    /// Processed before, with this outcome.
    Duplicate(String),
    /// Its Message-ID was used by a different message before.
    Clash,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// Held by every write of this process, so writers queue here instead of
    /// sleeping in SQLite's busy handler (which backs off in steps of up to
    /// 100 ms): intake and the sender write side by side at full speed.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Whether state changes record events for `[hooks]` (off: none are kept).
    record_events: bool,
    /// `<database>.send-lock`: held while one process delivers the outbox.
    send_lock: std::path::PathBuf,
}

/// Holds the outbox delivery lock until dropped (or the process dies).
pub struct SendLock(#[allow(dead_code)] std::fs::File);

impl Store {
    /// Opens (creating if missing) the database in WAL mode and applies the migrations.
    pub async fn open(url: &str) -> Result<Store> {
        let err = |source| StoreError::Open { url: url.to_string(), source };
        let options = SqliteConnectOptions::from_str(url)
            .map_err(err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let file = options.get_filename().to_path_buf();
        let send_lock = std::path::PathBuf::from(format!("{}.send-lock", file.display()));
        create_private(&file).map_err(|source| StoreError::Missing { path: file.display().to_string(), source })?;
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await.map_err(err)?;
        let store = Store { pool, writer: Default::default(), record_events: false, send_lock };
        store.migrate().await?;
        Ok(store)
    }

    /// A consistent copy of the database at `path` (SQLite's `VACUUM INTO`:
    /// one read transaction, so a working `run` beside it is no problem),
    /// readable by its owner only. Refuses to overwrite.
    pub async fn backup(&self, path: &std::path::Path) -> Result<()> {
        let err = |source| StoreError::Backup { path: path.display().to_string(), source };
        if path.exists() {
            return Err(err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "it exists already")));
        }
        // Created empty and private first (VACUUM INTO fills an empty file and
        // keeps its mode): the copy holds the token secret.
        create_private(path).map_err(err)?;
        let result = sqlx::query("VACUUM INTO ?").bind(path.display().to_string()).execute(&self.pool).await;
        if let Err(e) = result {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
        Ok(())
    }

    /// Record an event with every state change from now on (`[hooks]` configured).
    pub fn recording_events(mut self, on: bool) -> Store {
        self.record_events = on;
        self
    }

    pub async fn migrate(&self) -> Result<()> {
        let migrations = crate::shell::embedded::MIGRATIONS
            .iter()
            .map(|(name, sql)| {
                let (version, description) = name.trim_end_matches(".sql").split_once('_').unwrap_or((name, name));
                let version =
                    version.parse::<i64>().map_err(|_| StoreError::Corrupt(format!("migration file name {name}")))?;
                Ok(Migration::new(
                    version,
                    description.to_string().into(),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Migrator::with_migrations(migrations).run(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The outbox delivery lock, so two processes on one database (`run` and
    /// an operator's `poll --once`) never send the same email at once. It is
    /// an OS file lock: a killed process releases it at once. Waits up to `wait`.
    pub async fn send_lock(&self, wait: Duration) -> Result<Option<SendLock>> {
        lock_file(&self.send_lock, wait).await
    }

    /// The same for the events to the provisioning system (`<database>.hook-lock`):
    /// a separate lock, so emails never wait for events.
    pub async fn hook_lock(&self, wait: Duration) -> Result<Option<SendLock>> {
        lock_file(&self.send_lock.with_extension("hook-lock"), wait).await
    }

    /// A write transaction that takes the write lock up front, so two writers
    /// wait for each other instead of failing on a lock upgrade.
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Whether this message (Message-ID and content) was processed already, and
    /// whether its Message-ID is one the desk issued (one round trip for both).
    pub async fn seen_inbound(&self, message_id: &str, content_hash: &str) -> Result<(Seen, bool)> {
        let rows = sqlx::query(
            "SELECT 0, outcome, content_hash FROM inbound WHERE message_id = ?1 \
             UNION ALL SELECT 1, '', '' FROM outbox WHERE message_id = ?1",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        let own = rows.iter().any(|r| r.get::<i64, _>(0) == 1);
        let recorded: Vec<_> = rows.iter().filter(|r| r.get::<i64, _>(0) == 0).collect();
        // Rows recorded before content hashes existed have none: a duplicate, as then.
        let same = recorded.iter().find(|r| {
            let h: String = r.get(2);
            h.is_empty() || h == content_hash
        });
        let seen = match (same, recorded.first()) {
            (Some(r), _) => Seen::Duplicate(r.get(1)),
            (None, Some(_)) => Seen::Clash,
            (None, None) => Seen::New,
        };
        Ok((seen, own))
    }

    /// Whether a message with this Message-ID was processed already, and how.
    pub async fn inbound_outcome(&self, message_id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT outcome FROM inbound WHERE message_id = ?")
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// The secret reply keys are derived from: 32 bytes from the OS CSPRNG,
    /// made on first use and kept in the database.
    pub async fn token_secret(&self) -> Result<Vec<u8>> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| StoreError::Corrupt(format!("no OS randomness: {e}")))?;
        sqlx::query("INSERT OR IGNORE INTO secrets (name, value) VALUES ('token_key', ?)")
            .bind(&fresh[..])
            .execute(&self.pool)
            .await?;
        let row = sqlx::query("SELECT value FROM secrets WHERE name = 'token_key'").fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }
}

/// An OS file lock, waited for up to `wait`: a killed process releases it at once.
async fn lock_file(path: &std::path::Path, wait: Duration) -> Result<Option<SendLock>> {
    let err = |source| StoreError::LockFile { path: path.display().to_string(), source };
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
            Ok(()) => return Ok(Some(SendLock(file))),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => return Err(err(e)),
        }
    }
}

/// Creates the database file, readable by its owner only, if it is missing.
/// The directory is never created: a missing one means a volume that is not
/// mounted, and a fresh database there would hold a new token secret that
/// kills every reply address already sent.
fn create_private(file: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    if file.as_os_str().is_empty() || file.to_str() == Some(":memory:") || file.exists() {
        return Ok(());
    }
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    crate::request::rfc3339(t)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("timestamp {s:?}")))
}

pub(crate) fn parse_opt_ts(s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}
