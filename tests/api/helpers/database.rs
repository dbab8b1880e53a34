//! Which database a desk uses: SQLite in its folder, or, with
//! `SMARTACCT_TEST_POSTGRES` set (scripts/test.sh's second pass), a database
//! of its own on the test cluster of `scripts/pgstack.sh`.
use std::path::Path;

use sqlx::Connection as _;

/// The admin URL of the PostgreSQL pass, if this is it.
pub fn postgres() -> Option<String> {
    std::env::var("SMARTACCT_TEST_POSTGRES").ok().filter(|u| !u.is_empty())
}

/// The test cluster's URL (`scripts/pgstack.sh url`), for the tests that
/// need PostgreSQL whatever the pass; the cluster is started if it is not up.
pub fn cluster() -> String {
    if let Some(url) = postgres() {
        return url;
    }
    pgstack(&[], &["up"]);
    pgstack(&[], &["url"])
}

/// `scripts/pgstack.sh ARGS` with `env` (e.g. `PGSTACK_PORT` for a second cluster); its output.
pub fn pgstack(env: &[(&str, &str)], args: &[&str]) -> String {
    let out = std::process::Command::new("bash")
        .arg(super::repo().join("scripts/pgstack.sh"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run scripts/pgstack.sh");
    assert!(out.status.success(), "scripts/pgstack.sh {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The database name of the desk in `dir` (stable across restarts of the desk).
fn name(dir: &Path) -> String {
    let tag: String = dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("smartacct_t_{tag}")
}

/// `database.url` for the desk in `dir`: on the cluster of `admin` (a test
/// of several hosts), else as the pass says.
pub fn database_url(dir: &Path, admin: Option<&str>) -> String {
    match admin.map(str::to_string).or_else(postgres) {
        Some(admin) => on_cluster(&admin, &name(dir)),
        None => format!("sqlite://{}", dir.join("smartacct.db").display()),
    }
}

/// `admin` with its database replaced by `database`.
pub fn on_cluster(admin: &str, database: &str) -> String {
    let mut url = url::Url::parse(admin).expect("SMARTACCT_TEST_POSTGRES is a URL");
    url.set_path(database);
    url.to_string()
}

/// Creates the desk's database on the PostgreSQL pass (SQLite creates its own file).
pub async fn prepare_database(dir: &Path, admin: Option<&str>) {
    if let Some(admin) = admin.map(str::to_string).or_else(postgres) {
        create_database(&admin, &name(dir)).await;
    }
}

/// A fresh, empty database on the cluster of `admin`.
pub async fn create_database(admin: &str, database: &str) {
    let mut conn = sqlx::PgConnection::connect(admin).await.expect("connect to the test cluster");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {database}"))).execute(&mut conn).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}"))).execute(&mut conn).await.unwrap();
    let _ = conn.close().await;
}

/// Whether this pass runs on PostgreSQL.
pub fn on_postgres() -> bool {
    postgres().is_some()
}

/// For a test of SQLite's own files (the database file, its lock files): true,
/// with a note, on the PostgreSQL pass, where the test has nothing to check.
pub fn sqlite_only(what: &str) -> bool {
    if on_postgres() {
        eprintln!("not on PostgreSQL: {what} is SQLite's");
    }
    on_postgres()
}
