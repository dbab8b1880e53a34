//! The Debian package, as an operator installs it: built, installed with dpkg, its CLI run against the installed config, purged.
//!
//! It changes the machine (/usr/bin, /etc/smartacct, a system user), so it
//! runs only as root where the package is not installed already, one at a
//! time across processes, and purges whatever happens.
use std::process::{Command, Stdio};

use crate::helpers::*;

fn sh(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
}

/// Purges the package (and what the test added beside it) when the test ends, passed or not.
struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = std::fs::remove_file("/etc/smartacct/imap-password");
        for f in ["smartacct.db", "smartacct.db-wal", "smartacct.db-shm", "smartacct.db.send-lock"] {
            let _ = std::fs::remove_file(format!("/var/lib/smartacct/{f}"));
        }
        let _ = sh(Command::new("dpkg").args(["--purge", "smartacct"]));
    }
}

/// The installed binary as an operator runs it: no --config, no $SMARTACCT_CONFIG, from elsewhere.
fn installed(args: &[&str]) -> Command {
    let mut c = Command::new("/usr/bin/smartacct");
    c.args(args).env_remove("SMARTACCT_CONFIG").env_remove("SMARTACCT_IMAP_PASSWORD").current_dir("/");
    c
}

/// `cargo xtask deb` of the test build into `out`: the path of the .deb (the last line it prints).
fn xtask_deb(out: &std::path::Path, version: Option<&str>) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = std::time::Instant::now();
    let mut cmd = Command::new(cargo);
    cmd.current_dir(repo()).args(["xtask", "deb", "--binary"]).args([
        env!("CARGO_BIN_EXE_smartacct"),
        "--out",
        out.to_str().unwrap(),
    ]);
    if let Some(version) = version {
        cmd.args(["--package-version", version]);
    }
    let (code, stdout, stderr) = sh(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    eprintln!("package built in {:?}", started.elapsed());
    stdout.lines().last().unwrap().to_string()
}

/// The .deb of this build, and the lock that keeps other package tests off
/// the machine meanwhile; `None` (the test skipped, saying why) without root
/// and dpkg, or where smartacct is installed already.
struct Package {
    deb: String,
    out: tempfile::TempDir,
    _lock: std::fs::File,
}

impl Package {
    fn build() -> Option<Package> {
        let is_root = sh(Command::new("id").arg("-u")).1.trim() == "0";
        if !is_root || sh(Command::new("dpkg").arg("--version")).0 != 0 {
            eprintln!("skipped: building and installing the .deb needs root and dpkg");
            return None;
        }
        let lock = std::fs::File::create(std::env::temp_dir().join("smartacct-deb.lock")).unwrap();
        lock.lock().unwrap();
        if sh(Command::new("dpkg").args(["-s", "smartacct"])).0 == 0 {
            eprintln!("skipped: smartacct is installed on this machine; the test never replaces it");
            return None;
        }
        let out = tempfile::tempdir().unwrap();
        let deb = xtask_deb(out.path(), None);
        Some(Package { deb, out, _lock: lock })
    }

    /// The same build packaged again as `version` (beside the first), for an upgrade.
    fn as_version(&self, version: &str) -> String {
        xtask_deb(self.out.path(), Some(version))
    }

    fn install(&self) {
        let (code, _, stderr) =
            sh(Command::new("dpkg").args(["-i", &self.deb]).env("DEBIAN_FRONTEND", "noninteractive"));
        assert_eq!(code, 0, "dpkg -i: {stderr}");
    }
}

#[tokio::test]
async fn the_debian_package_installs_runs_against_its_config_and_purges_cleanly() {
    let Some(package) = Package::build() else { return };
    let _cleanup = Installed;
    package.install();
    let (code, conffiles, _) = sh(Command::new("dpkg-query").args(["-W", "-f=${Conffiles}", "smartacct"]));
    assert_eq!(code, 0);
    assert!(conffiles.contains("/etc/smartacct/smartacct.toml"), "{conffiles}");
    assert_eq!(sh(Command::new("getent").args(["passwd", "smartacct"])).0, 0, "postinst made the user");
    for f in [
        "/lib/systemd/system/smartacct.service",
        "/usr/share/man/man1/smartacct.1.gz",
        "/usr/share/bash-completion/completions/smartacct",
    ] {
        assert!(std::path::Path::new(f).exists(), "{f} is installed");
    }
    let unit = std::fs::read_to_string("/lib/systemd/system/smartacct.service").unwrap();
    assert!(unit.lines().any(|l| l == "LimitNOFILE=65536"), "the installed unit raises the open files limit:\n{unit}");
    let (_, page, _) = sh(Command::new("zcat").arg("/usr/share/man/man1/smartacct.1.gz"));
    let page = page.replace("\\-", "-");
    let (_, help, _) = sh(&mut installed(&["--help"]));
    for command in ["run", "poll", "sweep", "requests", "outbox", "mail", "check-config", "migrate"] {
        assert!(page.contains(command), "man smartacct lists {command}");
        assert!(help.contains(command), "--help lists {command}");
    }

    // The installed config is found without --config; it wants the password file first.
    let (code, _, stderr) = sh(&mut installed(&["check-config"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("imap.password_file"), "{stderr}");
    std::fs::write("/etc/smartacct/imap-password", "secret\n").unwrap();
    let (code, stdout, stderr) = sh(&mut installed(&["check-config"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("/etc/smartacct/smartacct.toml"), "{stdout}");
    // The service user reads the database without the secret (which it cannot read).
    let (code, stdout, stderr) = sh(Command::new("runuser")
        .args(["-u", "smartacct", "--", "/usr/bin/smartacct", "requests", "list"])
        .current_dir("/"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("REFERENCE"), "{stdout}");

    drop(_cleanup);
    assert!(!std::path::Path::new("/usr/bin/smartacct").exists());
    assert!(!std::path::Path::new("/etc/smartacct/smartacct.toml").exists(), "purge removes the conffile");
    assert_ne!(sh(Command::new("getent").args(["passwd", "smartacct"])).0, 0, "purge removes the user");
    assert!(!std::path::Path::new("/var/lib/smartacct").exists(), "{:?}", std::fs::read_dir("/var/lib/smartacct"));
}

/// Purges whatever the test left (the package, a kept database, a debconf answer), passed or not.
struct PurgedAtTheEnd;

impl Drop for PurgedAtTheEnd {
    fn drop(&mut self) {
        let _ = sh(Command::new("dpkg").args(["--purge", "smartacct"]).env("DEBIAN_FRONTEND", "noninteractive"));
        let _ = std::fs::remove_dir_all("/var/lib/smartacct");
        let _ = sh(Command::new("sh").args(["-c", "echo PURGE | debconf-communicate smartacct"]));
    }
}

/// Each file in `dir` (and `dir` itself), with its owner and mode.
fn owners(dir: &str) -> Vec<(String, u32, u32, u32)> {
    use std::os::unix::fs::MetadataExt as _;
    let mut all = vec![dir.to_string()];
    all.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path().display().to_string()));
    all.into_iter()
        .map(|path| {
            let m = std::fs::symlink_metadata(&path).unwrap();
            (path, m.uid(), m.gid(), m.mode() & 0o7777)
        })
        .collect()
}

/// The database as the service makes it: `requests list` as the service user creates and migrates it.
fn service_user_opens_the_database() {
    let (code, stdout, stderr) = sh(Command::new("runuser")
        .args(["-u", "smartacct", "--", "/usr/bin/smartacct", "requests", "list"])
        .current_dir("/"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("REFERENCE"), "{stdout}");
}

fn inode(path: &str) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(path).unwrap().ino()
}

#[tokio::test]
async fn purge_keeps_the_database_owned_by_root_unless_debconf_says_to_delete_it() {
    // The system user is deleted on purge and its uid given to the next one
    // made: a database left with that uid would be the new user's to read,
    // token secret and all.
    let Some(package) = Package::build() else { return };
    let _cleanup = PurgedAtTheEnd;
    package.install();
    service_user_opens_the_database();
    let service_uid = owners("/var/lib/smartacct")[0].1;
    assert_ne!(service_uid, 0, "the state directory is the service user's");
    let database = inode("/var/lib/smartacct/smartacct.db");

    // The question's default (DEBIAN_FRONTEND=noninteractive): the database stays, root's alone.
    let (code, _, stderr) =
        sh(Command::new("dpkg").args(["--purge", "smartacct"]).env("DEBIAN_FRONTEND", "noninteractive"));
    assert_eq!(code, 0, "dpkg --purge: {stderr}");
    assert_ne!(sh(Command::new("getent").args(["passwd", "smartacct"])).0, 0, "purge removes the user");
    let kept = owners("/var/lib/smartacct");
    assert!(kept.iter().any(|(p, ..)| p == "/var/lib/smartacct/smartacct.db"), "the database is kept: {kept:?}");
    for (path, uid, gid, mode) in &kept {
        assert_eq!((*uid, *gid), (0, 0), "{path} belongs to root, not to the deleted user's uid {service_uid}");
        assert_eq!(mode & 0o077, 0, "{path} is root's alone: {mode:o}");
    }
    assert_eq!(kept[0].3, 0o700, "the directory is 0700");
    let db = kept.iter().find(|(p, ..)| p == "/var/lib/smartacct/smartacct.db").unwrap();
    assert_eq!(db.3, 0o600, "the database is 0600");

    // A reinstall gives the kept database to the new service user, who opens it.
    package.install();
    service_user_opens_the_database();
    assert_eq!(inode("/var/lib/smartacct/smartacct.db"), database, "the same database, not a new one");
    let back = owners("/var/lib/smartacct");
    let new_uid = back[0].1;
    assert_ne!(new_uid, 0);
    for (path, uid, ..) in &back {
        assert_eq!(*uid, new_uid, "{path} is the new service user's again");
    }

    // Answered yes (preseeded, as an unattended purge would be), purge deletes it.
    let (code, _, stderr) = sh(Command::new("sh")
        .args(["-c", "echo 'smartacct smartacct/purge_database boolean true' | debconf-set-selections"]));
    assert_eq!(code, 0, "debconf-set-selections: {stderr}");
    let (code, _, stderr) =
        sh(Command::new("dpkg").args(["--purge", "smartacct"]).env("DEBIAN_FRONTEND", "noninteractive"));
    assert_eq!(code, 0, "dpkg --purge: {stderr}");
    assert!(
        !std::path::Path::new("/var/lib/smartacct").exists(),
        "purge deleted the database as asked: {:?}",
        std::fs::read_dir("/var/lib/smartacct").map(|d| d.count())
    );
}

/// Errors and warnings lintian may report and why; none since issue 28 (the
/// 0640 conffile is overridden in the package, with its reason).
const KNOWN_LINTIAN_TAGS: &[(&str, &str)] = &[];

#[tokio::test]
async fn lintian_finds_nothing_new_in_the_package_its_maintainer_scripts_or_its_debconf_question() {
    if sh(Command::new("lintian").arg("--version")).0 != 0 {
        eprintln!("skipped: lintian is not installed (apt-get install lintian)");
        return;
    }
    let Some(package) = Package::build() else { return };
    // Exit status 0 whatever the tags (they are judged below); 2 only when lintian itself failed.
    let (code, stdout, stderr) = sh(Command::new("lintian").args(["--fail-on", "none"]).arg(&package.deb));
    assert_eq!(code, 0, "lintian ran: {stdout}{stderr}");
    let tags: Vec<&str> = stdout.lines().filter(|l| l.starts_with("E: ") || l.starts_with("W: ")).collect();
    let new: Vec<&&str> = tags
        .iter()
        .filter(|l| !KNOWN_LINTIAN_TAGS.iter().any(|(tag, _)| l.split_whitespace().nth(2) == Some(tag)))
        .collect();
    assert!(new.is_empty(), "new lintian tags: {new:#?}\n{stdout}{stderr}");
    // Each override says why (a comment above it), which --show-overrides prints.
    let (_, shown, _) = sh(Command::new("lintian").args(["--fail-on", "none", "--show-overrides"]).arg(&package.deb));
    let lines: Vec<&str> = shown.lines().collect();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("O: ")) {
        assert!(i > 0 && lines[i - 1].starts_with("N: "), "an override without its reason: {line}\n{shown}");
    }
    assert!(shown.contains("O: smartacct: non-standard-file-perm 0640 != 0644"), "{shown}");

    // The binary is stripped; its symbols, beside the package, are in the -dbgsym one under its build id.
    let stage = package.out.path().join("stage/usr/bin/smartacct");
    let (_, sections, _) = sh(Command::new("readelf").arg("-S").arg(&stage));
    assert!(!sections.contains(".debug_info") && !sections.contains(".symtab"), "stripped:\n{sections}");
    assert!(sections.contains(".gnu_debuglink"), "linked to its symbols:\n{sections}");
    let (_, notes, _) = sh(Command::new("readelf").arg("-n").arg(&stage));
    let build_id =
        notes.lines().find_map(|l| l.trim().strip_prefix("Build ID: ")).expect("a build id").trim().to_string();
    let dbgsym = package.deb.replace("smartacct_", "smartacct-dbgsym_");
    let (code, listing, stderr) = sh(Command::new("dpkg-deb").args(["-c", &dbgsym]));
    assert_eq!(code, 0, "{dbgsym}: {stderr}");
    let symbols = format!("./usr/lib/debug/.build-id/{}/{}.debug", &build_id[..2], &build_id[2..]);
    assert!(listing.contains(&symbols), "{symbols} in {listing}");
    let (_, debug_sections, _) = sh(Command::new("readelf").arg("-S").arg(package.deb.replace(".deb", ".debug")));
    assert!(debug_sections.contains(".debug_info"), "{debug_sections}");
}

/// sqlx's record of the migrations applied to the installed database, newest first.
async fn applied_migrations() -> Vec<i64> {
    use sqlx::Connection as _;
    let mut db = sqlx::SqliteConnection::connect("sqlite:///var/lib/smartacct/smartacct.db").await.unwrap();
    let versions = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version DESC")
        .fetch_all(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    versions
}

#[tokio::test]
async fn an_upgrade_keeps_the_operators_conffile_and_postinst_applies_the_pending_migration() {
    use sqlx::Connection as _;
    let Some(package) = Package::build() else { return };
    let _cleanup = Installed;
    let old = package.as_version("0.3.0~old");
    let new = package.as_version("0.3.0~new");
    let dpkg_i = |deb: &str| {
        let (code, stdout, stderr) =
            sh(Command::new("dpkg").args(["-i", deb]).env("DEBIAN_FRONTEND", "noninteractive"));
        assert_eq!(code, 0, "dpkg -i {deb}: {stdout}{stderr}");
        stdout + &stderr
    };
    let said = dpkg_i(&old);
    // Not configured yet (no IMAP password): not migrated, and the install goes on.
    assert!(said.contains("smartacct: database not migrated"), "{said}");
    service_user_opens_the_database();
    let newest = applied_migrations().await[0];

    // The newest migration undone, as if the old package had been built before it.
    let undo = repo().join(format!("tests/fixtures/undo-migration/{newest:04}.sql"));
    let undo = std::fs::read_to_string(&undo)
        .unwrap_or_else(|e| panic!("{}: {e}: write the SQL that undoes migration {newest:04}", undo.display()));
    let mut db = sqlx::SqliteConnection::connect("sqlite:///var/lib/smartacct/smartacct.db").await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("{undo}\nDELETE FROM _sqlx_migrations WHERE version = {newest};")))
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    assert_eq!(sh(Command::new("chown").args(["-R", "smartacct:smartacct", "/var/lib/smartacct"])).0, 0);
    assert!(applied_migrations().await[0] < newest);

    // The operator configures it: the conffile changed, the password file written.
    let conffile = "/etc/smartacct/smartacct.toml";
    let changed = std::fs::read_to_string(conffile).unwrap() + "\n# the operator's own line\n";
    std::fs::write(conffile, &changed).unwrap();
    std::fs::write("/etc/smartacct/imap-password", "secret\n").unwrap();

    let said = dpkg_i(&new);
    assert!(said.contains("smartacct: database migrated"), "postinst ran smartacct migrate:\n{said}");
    assert_eq!(applied_migrations().await[0], newest, "the pending migration is applied");
    assert_eq!(std::fs::read_to_string(conffile).unwrap(), changed, "dpkg kept the operator's conffile");
    let (_, version, _) = sh(Command::new("dpkg-query").args(["-W", "-f=${Version}", "smartacct"]));
    assert_eq!(version, "0.3.0~new");
    let (_, changelog, _) = sh(Command::new("zcat").arg("/usr/share/doc/smartacct/changelog.gz"));
    assert!(changelog.starts_with("smartacct (0.3.0~new) unstable; urgency=medium"), "{changelog}");
    assert!(changelog.contains("smartacct (0.1.0) unstable"), "{changelog}");
    // The service user still owns everything in its directory (nothing root-owned left by postinst).
    for (path, uid, ..) in owners("/var/lib/smartacct") {
        assert_ne!(uid, 0, "{path}");
    }

    drop(_cleanup);
    assert_ne!(sh(Command::new("dpkg").args(["-s", "smartacct"])).0, 0, "purged");
    assert!(!std::path::Path::new("/etc/smartacct").exists());
    assert!(!std::path::Path::new("/etc/systemd/system/multi-user.target.wants/smartacct.service").exists());
}

#[test]
fn the_shipped_unit_raises_the_open_files_limit_above_systemd_s_default_1024() {
    // Each SMTP, IMAP, database and scrape connection is a descriptor; 1024 runs out under load.
    let unit = std::fs::read_to_string(repo().join("config/smartacct.service")).unwrap();
    let limit = unit.lines().find_map(|l| l.strip_prefix("LimitNOFILE=")).map(|v| v.trim().to_string());
    assert_eq!(limit.as_deref(), Some("65536"), "config/smartacct.service sets LimitNOFILE");
}
