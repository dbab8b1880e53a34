//! Root and the service user: a command run as root on a SQLite database whose directory the service user owns is refused, naming `runuser`, and leaves no file of root's there.
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn sh(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
}

fn uid_of(user: &str) -> u32 {
    let (code, id, _) = sh(Command::new("id").args(["-u", user]));
    assert_eq!(code, 0, "no user {user}");
    id.trim().parse().unwrap()
}

/// A fresh install's state: the database's directory belongs to the service
/// user (here `nobody`, as /var/lib/smartacct is smartacct's), with no database yet.
struct Install {
    _dir: tempfile::TempDir,
    config: PathBuf,
    state: PathBuf,
}

impl Install {
    fn new() -> Install {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let state = dir.path().join("state");
        std::fs::create_dir(&state).unwrap();
        std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o700)).unwrap();
        let (code, _, stderr) = sh(Command::new("chown").arg("nobody:").arg(&state));
        assert_eq!(code, 0, "{stderr}");
        let config = dir.path().join("smartacct.toml");
        let text = format!(
            "[mailbox]\naddress = \"desk@example.test\"\n\n[imap]\nhost = \"127.0.0.1\"\nusername = \"desk@example.test\"\n\
             password = \"secret\"\n\n[smtp]\nhost = \"127.0.0.1\"\n\n[database]\nurl = \"sqlite://{}/smartacct.db\"\n\n\
             [partners]\nallow = [\"*@partner.test\"]\n",
            state.display()
        );
        std::fs::write(&config, text).unwrap();
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
        Install { _dir: dir, config, state }
    }

    /// The command as root, as an operator's first command on the machine.
    fn as_root(&self, args: &[&str]) -> (i32, String, String) {
        sh(Command::new(env!("CARGO_BIN_EXE_smartacct")).arg("--config").arg(&self.config).args(args).current_dir("/"))
    }

    fn as_service_user(&self, args: &[&str]) -> (i32, String, String) {
        sh(Command::new("runuser")
            .args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_smartacct"), "--config"])
            .arg(&self.config)
            .args(args)
            .current_dir("/"))
    }

    /// Each file in the state directory, with its owner.
    fn files(&self) -> Vec<(String, u32)> {
        let mut all: Vec<(String, u32)> = std::fs::read_dir(&self.state)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().uid()))
            .collect();
        all.sort();
        all
    }
}

fn is_root() -> bool {
    sh(Command::new("id").arg("-u")).1.trim() == "0"
}

fn assert_refused(out: (i32, String, String), args: &str, state: &Path) {
    let (code, stdout, stderr) = out;
    assert_eq!(code, 2, "{args}: refused as a usage error\n{stdout}{stderr}");
    assert!(stderr.contains("runuser -u nobody -- "), "{args}: the error says how to run it:\n{stderr}");
    assert!(stderr.contains(args), "{args}: the error gives the whole command back:\n{stderr}");
    assert!(stderr.contains(&state.display().to_string()), "{args}: the error names the directory:\n{stderr}");
}

#[tokio::test]
async fn a_command_run_as_root_on_the_service_user_s_database_is_refused_naming_runuser_and_creates_nothing() {
    if !is_root() {
        eprintln!("skipped: needs root to act as two users");
        return;
    }
    let install = Install::new();
    let nobody = uid_of("nobody");

    // Before any database exists: refused, and nothing is created (root's
    // database, 0600, would lock the service out of it for good).
    for args in [&["requests", "list"][..], &["migrate"], &["outbox", "list", "--json"]] {
        assert_refused(install.as_root(args), &args.join(" "), &install.state);
        assert_eq!(install.files(), vec![], "{args:?} left files behind");
    }
    // check-config opens no database: root may run it (it reads root's secrets).
    let (code, _, stderr) = install.as_root(&["check-config"]);
    assert_eq!(code, 0, "{stderr}");

    // As the owner, the same commands work, and every file is the owner's.
    let (code, stdout, stderr) = install.as_service_user(&["migrate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("database migrated"), "{stdout}");
    let (code, stdout, stderr) = install.as_service_user(&["requests", "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("REFERENCE"), "{stdout}");
    let made = install.files();
    assert!(made.iter().any(|(name, _)| name == "smartacct.db"), "{made:?}");
    assert!(made.iter().all(|(_, uid)| *uid == nobody), "all the service user's: {made:?}");

    // Root again, with the database there: refused, nothing added or changed hands.
    assert_refused(install.as_root(&["requests", "list"]), "requests list", &install.state);
    assert_refused(install.as_root(&["poll", "--once"]), "poll --once", &install.state);
    assert_eq!(install.files(), made);
}
