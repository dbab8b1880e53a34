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

#[tokio::test]
async fn the_debian_package_installs_runs_against_its_config_and_purges_cleanly() {
    let is_root = sh(Command::new("id").arg("-u")).1.trim() == "0";
    if !is_root || sh(Command::new("dpkg").arg("--version")).0 != 0 {
        eprintln!("skipped: building and installing the .deb needs root and dpkg");
        return;
    }
    let lock = std::fs::File::create(std::env::temp_dir().join("smartacct-deb.lock")).unwrap();
    lock.lock().unwrap();
    if sh(Command::new("dpkg").args(["-s", "smartacct"])).0 == 0 {
        eprintln!("skipped: smartacct is installed on this machine; the test never replaces it");
        return;
    }

    let out = tempfile::tempdir().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = sh(Command::new(cargo).current_dir(repo()).args(["xtask", "deb", "--binary"]).args([
        env!("CARGO_BIN_EXE_smartacct"),
        "--out",
        out.path().to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    eprintln!("package built in {:?}", started.elapsed());
    let deb = stdout.lines().last().unwrap().to_string();

    let _cleanup = Installed;
    let (code, _, stderr) = sh(Command::new("dpkg").args(["-i", &deb]).env("DEBIAN_FRONTEND", "noninteractive"));
    assert_eq!(code, 0, "dpkg -i: {stderr}");
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

#[test]
fn the_shipped_unit_raises_the_open_files_limit_above_systemd_s_default_1024() {
    // Each SMTP, IMAP, database and scrape connection is a descriptor; 1024 runs out under load.
    let unit = std::fs::read_to_string(repo().join("config/smartacct.service")).unwrap();
    let limit = unit.lines().find_map(|l| l.strip_prefix("LimitNOFILE=")).map(|v| v.trim().to_string());
    assert_eq!(limit.as_deref(), Some("65536"), "config/smartacct.service sets LimitNOFILE");
}
