//! The store on SQLite or PostgreSQL: the only module with SQL. Opening, migrations, the typed errors; `dialect` holds what differs.
mod backup;
mod batch;
mod commit;
mod console;
mod deferred;
mod dialect;
mod due;
mod evidence;
mod hooks;
mod inbound;
mod locks;
mod metrics;
mod oauth2;
mod outbox;
mod requests;
mod retention;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions as _};
use sqlx::{Executor as _, Row, SqlSafeStr};

use crate::configuration::DatabaseSettings;
use dialect::query;

pub use batch::Batch;
pub use commit::{Committed, InboundRecord, Planned};
pub use console::{
    ACCEPT_SAMPLE, ActionRecord, ActionRow, Funnel, Overview, RequestPage, RequestQuery, Sort, SweepRecord,
};
pub use dialect::Backend;
pub use due::DueKey;
pub use evidence::EvidenceRow;
pub use hooks::HookRow;
pub use inbound::{InboundRow, REPROCESSED, SET_ASIDE};
pub use locks::{Held, Lock, Watcher};
pub use metrics::Snapshot;
pub use outbox::{OutboxRow, OutboxStatus, Queue};
pub use requests::EventRow;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot use the database URL {url}: {problem}")]
    Url { url: String, problem: String },
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
    /// A path `backup` will not write to: the problem says why.
    #[error("cannot write the backup {path}: {problem}")]
    BackupPath { path: String, problem: String },
    #[error(
        "`backup` copies a SQLite database; back up PostgreSQL with its own tools (pg_dump, or the platform's backups)"
    )]
    BackupNotHere,
    #[error("request {request} cannot be read from the database: {problem}")]
    Unreadable { request: String, problem: String },
    #[error(
        "cannot use the outbox lock file {path} (run operator commands as the service's user, e.g. `runuser -u smartacct -- smartacct …`, or give that user the file)"
    )]
    LockFile { path: String, source: std::io::Error },
    /// The OS had no descriptor left to open it with: the file is not the problem.
    #[error("cannot open {what}: {}", crate::telemetry::out_of_descriptors(.source).unwrap_or_default())]
    Descriptors { what: String, source: std::io::Error },
    #[error("request {0} changed state meanwhile; the message will be read again")]
    Conflict(String),
}

impl StoreError {
    /// Whether the same work can succeed later, unchanged, once the database
    /// answers again: it was down or restarting, ended the session ("terminating
    /// connection due to administrator command"), ran out of connections, or a
    /// concurrent writer got in the way. False when what is stored cannot be
    /// read, or the configuration or the files are wrong: waiting mends neither.
    /// A caller keeps temporary work pending (an email, a message in the
    /// mailbox) instead of calling it failed.
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Query(e) => sqlx_is_temporary(e),
            StoreError::Open { source, .. } => sqlx_is_temporary(source),
            // A volume not mounted yet, descriptors used up, a row changed meanwhile: all pass.
            StoreError::Missing { .. } | StoreError::Descriptors { .. } | StoreError::Conflict(_) => true,
            StoreError::Url { .. }
            | StoreError::Migrate(_)
            | StoreError::Corrupt(_)
            | StoreError::Unreadable { .. }
            | StoreError::Backup { .. }
            | StoreError::BackupPath { .. }
            | StoreError::BackupNotHere
            | StoreError::LockFile { .. } => false,
        }
    }
}

/// sqlx's side of `StoreError::is_temporary`: reaching the database and
/// anything it answers with pass; a value that does not decode, or a query or
/// setting that sqlx itself refuses, does not.
fn sqlx_is_temporary(e: &sqlx::Error) -> bool {
    use sqlx::Error as E;
    matches!(
        e,
        E::Io(_)
            | E::Tls(_)
            | E::Protocol(_)
            | E::PoolTimedOut
            | E::PoolClosed
            | E::WorkerCrashed
            | E::BeginFailed
            | E::Database(_)
    )
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
    pool: AnyPool,
    backend: Backend,
    /// Held by every write of this process, so writers queue here instead of
    /// sleeping in SQLite's busy handler (which backs off in steps of up to
    /// 100 ms): intake and the sender write side by side at full speed.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Whether state changes record events for `[hooks]` (off: none are kept).
    record_events: bool,
    /// SQLite: the database file, beside which the lock files live.
    file: std::path::PathBuf,
    /// PostgreSQL: this process's name on the outbox rows it claims, and how
    /// long a claim holds if the process dies with it.
    claimer: std::sync::Arc<str>,
    lease: Duration,
    /// Emails this process claimed and has recorded no result for since (see
    /// `release_claims`): zero, and there is nothing to give back.
    claimed: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Store {
    /// Opens the database at `url` with the default settings (tests, tools).
    pub async fn open(url: &str) -> Result<Store> {
        Store::connect(&DatabaseSettings::new(url)).await
    }

    /// Opens (for SQLite: creating if missing, in WAL mode) the database and applies the migrations.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let url = &settings.url;
        let shown = crate::telemetry::redacted(url);
        let err = |source| StoreError::Open { url: shown.clone(), source };
        let backend = Backend::of_url(url)
            .ok_or_else(|| StoreError::Url { url: shown.clone(), problem: "not sqlite:// or postgres://".into() })?;
        let mut file = std::path::PathBuf::new();
        let options = match backend {
            Backend::Sqlite => {
                let sqlite: sqlx::sqlite::SqliteConnectOptions =
                    url.parse().map_err(|e| StoreError::Url { url: shown.clone(), problem: format!("{e}") })?;
                file = sqlite.get_filename().to_path_buf();
                create_private(&file)
                    .map_err(|source| StoreError::Missing { path: file.display().to_string(), source })?;
                AnyConnectOptions::from_url(&dialect::url(url, None, &shown)?).map_err(err)?
            }
            Backend::Postgres => {
                AnyConnectOptions::from_url(&dialect::url(url, settings.password.as_deref(), &shown)?).map_err(err)?
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(err)?;
        let store = Store {
            pool,
            backend,
            writer: Default::default(),
            record_events: false,
            file,
            claimer: locks::claimer_name().into(),
            lease: settings.claim_lease,
            claimed: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Record an event with every state change from now on (`[hooks]` configured).
    pub fn recording_events(mut self, on: bool) -> Store {
        self.record_events = on;
        self
    }

    pub async fn migrate(&self) -> Result<()> {
        let folder = self.backend.migrations();
        let migrations = crate::shell::embedded::MIGRATIONS
            .iter()
            .filter_map(|(path, sql)| Some((path.strip_prefix(folder)?, sql)))
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

    /// A write transaction (see `Backend::begin_write`).
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::any::Any>> {
        Ok(self.pool.begin_with(self.backend.begin_write()).await?)
    }

    /// Whether a message with this Message-ID was processed already, and how.
    pub async fn inbound_outcome(&self, message_id: &str) -> Result<Option<String>> {
        let row = query("SELECT outcome FROM inbound WHERE message_id = ?")
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
        query("INSERT INTO secrets (name, value) VALUES ('token_key', ?) ON CONFLICT DO NOTHING")
            .bind(&fresh[..])
            .execute(&self.pool)
            .await?;
        let row = query("SELECT value FROM secrets WHERE name = 'token_key'").fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
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

#[cfg(test)]
mod tests {
    use super::StoreError;

    /// What PostgreSQL says to each session when it shuts down (SQLSTATE 57P01).
    #[derive(Debug)]
    struct AdminShutdown;

    impl std::fmt::Display for AdminShutdown {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("terminating connection due to administrator command")
        }
    }

    impl std::error::Error for AdminShutdown {}

    impl sqlx::error::DatabaseError for AdminShutdown {
        fn message(&self) -> &str {
            "terminating connection due to administrator command"
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some("57P01".into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    #[test]
    fn a_database_that_is_down_restarting_or_out_of_connections_is_temporary() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let reset = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
        for e in [
            StoreError::Query(sqlx::Error::Io(refused)),
            StoreError::Query(sqlx::Error::Io(reset)),
            StoreError::Query(sqlx::Error::Database(Box::new(AdminShutdown))),
            StoreError::Query(sqlx::Error::PoolTimedOut),
            StoreError::Query(sqlx::Error::PoolClosed),
            StoreError::Query(sqlx::Error::WorkerCrashed),
            StoreError::Open { url: "postgres://db/smartacct".into(), source: sqlx::Error::PoolTimedOut },
            StoreError::Conflict("SA-7K3QX9PD".into()),
        ] {
            assert!(e.is_temporary(), "{e:?}");
        }
    }

    #[test]
    fn what_is_stored_and_cannot_be_read_or_a_wrong_setting_is_not_temporary() {
        for e in [
            StoreError::Corrupt("timestamp \"yesterday\"".into()),
            StoreError::Unreadable { request: "SA-7K3QX9PD".into(), problem: "state \"lost\"".into() },
            StoreError::Query(sqlx::Error::ColumnNotFound("plan".into())),
            StoreError::Query(sqlx::Error::Decode("not UTF-8".into())),
            StoreError::Query(sqlx::Error::RowNotFound),
            StoreError::Url { url: "mysql://db".into(), problem: "not sqlite:// or postgres://".into() },
            StoreError::BackupNotHere,
        ] {
            assert!(!e.is_temporary(), "{e:?}");
        }
    }
}
