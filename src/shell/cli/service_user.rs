//! A command run as root on a SQLite database whose directory belongs to another user (the service's) is refused, naming `runuser`.
//!
//! Root's first command on a fresh install would create the database root's
//! and 0600 (and its -wal, -shm and lock files beside it), and the service
//! could then never open it. Refusing, before anything is opened, leaves no
//! such file. PostgreSQL has no files here: nothing is checked.
use std::os::unix::fs::MetadataExt as _;
use std::path::PathBuf;

use crate::store::Backend;

/// Why the command was not run, and how to run it.
#[derive(Debug, thiserror::Error)]
#[error(
    "run as the service user: runuser -u {user} -- {command} (the database's directory {dir} belongs to {user}; run as root, the command would leave files there that the service cannot open)"
)]
pub struct RunAsServiceUser {
    user: String,
    dir: String,
    command: String,
}

/// Refuses when this process is root and the SQLite database at `url`, or its
/// directory, belongs to another user.
pub fn check(url: &str) -> Result<(), RunAsServiceUser> {
    if effective_uid() != Some(0) {
        return Ok(());
    }
    let Some(file) = sqlite_file(url) else { return Ok(()) };
    let dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The directory decides (systemd's StateDirectory, the package's
    // /var/lib/smartacct); a database of another user's in a directory of
    // root's is the same case.
    for path in [&dir, &file] {
        if let Ok(meta) = std::fs::metadata(path)
            && meta.uid() != 0
        {
            return Err(RunAsServiceUser {
                user: user_name(meta.uid()),
                dir: dir.display().to_string(),
                command: command_line(),
            });
        }
    }
    Ok(())
}

/// The database file of a `sqlite:` URL; `None` for PostgreSQL and in-memory databases.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    if Backend::of_url(url) != Some(Backend::Sqlite) || url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().ok()?;
    let file = options.get_filename();
    (!file.as_os_str().is_empty()).then(|| file.to_path_buf())
}

/// The effective uid, from the kernel's own account of the process (the
/// second field of `Uid:`); `None` where /proc is not mounted.
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("Uid:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// The user's name from /etc/passwd (system users are there); otherwise a
/// shell substitution that asks NSS, so the printed command still runs.
fn user_name(uid: u32) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[2] == uid.to_string())
        .map(|f| f[0].to_string())
        .unwrap_or_else(|| format!("\"$(id -nu {uid})\""))
}

/// This command as typed, each word quoted for the shell where it needs it.
fn command_line() -> String {
    std::env::args_os().map(|a| shell_word(&a.to_string_lossy())).collect::<Vec<_>>().join(" ")
}

fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_with_a_space_or_a_quote_is_quoted_for_the_shell() {
        assert_eq!(shell_word("requests"), "requests");
        assert_eq!(shell_word("/etc/smartacct/smartacct.toml"), "/etc/smartacct/smartacct.toml");
        assert_eq!(shell_word("no longer wanted"), "'no longer wanted'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn only_a_sqlite_file_is_checked() {
        assert_eq!(
            sqlite_file("sqlite:///var/lib/smartacct/smartacct.db"),
            Some("/var/lib/smartacct/smartacct.db".into())
        );
        assert_eq!(sqlite_file("sqlite://var/smartacct.db"), Some("var/smartacct.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://smartacct@db.example/smartacct"), None);
    }
}
