//! Build tasks: `cargo xtask deb` builds the Debian package (binary, systemd unit, conffile, man pages, completions, maintainer scripts with the purge question); `cargo xtask man DIR` / `completions DIR` write those alone.
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

#[derive(Parser)]
#[command(name = "xtask", about = "Build tasks for smartacct")]
struct Args {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build target/deb/smartacct_VERSION_ARCH.deb
    Deb {
        /// Package this binary instead of building a release one (CI packages the test build)
        #[arg(long, value_name = "PATH")]
        binary: Option<PathBuf>,
        /// Where the .deb goes (default: target/deb)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Write the man pages (smartacct.1 and one per command) into DIR
    Man {
        /// The directory to write into
        dir: PathBuf,
    },
    /// Write bash, zsh and fish completions into DIR
    Completions {
        /// The directory to write into
        dir: PathBuf,
    },
}

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> std::process::ExitCode {
    let result = match Args::parse().task {
        Task::Deb { binary, out } => deb(binary, out),
        Task::Man { dir } => man(&dir),
        Task::Completions { dir } => completions(&dir).map(drop),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the repository").to_path_buf()
}

fn mkdir(dir: &Path) -> Result {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn write(path: &Path, contents: impl AsRef<[u8]>, mode: u32) -> Result {
    use std::os::unix::fs::PermissionsExt as _;
    mkdir(path.parent().expect("a file in a directory"))?;
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("cannot chmod {}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// smartacct.1 lists every command; smartacct-COMMAND.1 and deeper pages describe each.
fn man(dir: &Path) -> Result {
    mkdir(dir)?;
    clap_mangen::generate_to(smartacct::cli::Cli::command(), dir)
        .map_err(|e| format!("cannot write the man pages: {e}"))
}

fn completions(dir: &Path) -> Result<Vec<(Shell, PathBuf)>> {
    mkdir(dir)?;
    let mut cmd = smartacct::cli::Cli::command();
    [Shell::Bash, Shell::Zsh, Shell::Fish]
        .into_iter()
        .map(|shell| {
            clap_complete::generate_to(shell, &mut cmd, "smartacct", dir)
                .map(|p| (shell, p))
                .map_err(|e| format!("cannot write the {shell} completion: {e}"))
        })
        .collect()
}

fn deb(binary: Option<PathBuf>, out: Option<PathBuf>) -> Result {
    let root = root();
    let binary = match binary {
        Some(b) => b,
        None => {
            run(Command::new(env!("CARGO")).current_dir(&root).args([
                "build",
                "--release",
                "--locked",
                "--bin",
                "smartacct",
            ]))?;
            root.join("target/release/smartacct")
        }
    };
    let out = out.unwrap_or_else(|| root.join("target/deb"));
    let stage = out.join("stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(|e| format!("cannot clear {}: {e}", stage.display()))?;
    }
    let version = env!("CARGO_PKG_VERSION");
    let version = smartacct::cli::Cli::command().get_version().unwrap_or(version).to_string();
    let arch = run(Command::new("dpkg").arg("--print-architecture"))?;

    let bytes = std::fs::read(&binary).map_err(|e| format!("cannot read {}: {e}", binary.display()))?;
    write(&stage.join("usr/bin/smartacct"), bytes, 0o755)?;
    // The unit of the checkout, for the package's paths.
    let unit = read(&root.join("config/smartacct.service"))?.replace("/usr/local/bin/", "/usr/bin/");
    write(&stage.join("lib/systemd/system/smartacct.service"), unit, 0o644)?;
    // The example config as the conffile: the database in the StateDirectory.
    let example = read(&root.join("config/smartacct.example.toml"))?;
    let conf =
        example.replace("url = \"sqlite://var/smartacct.db\"", "url = \"sqlite:///var/lib/smartacct/smartacct.db\"");
    if conf == example {
        return Err("config/smartacct.example.toml: database.url is not the expected line".into());
    }
    write(&stage.join("etc/smartacct/smartacct.toml"), conf, 0o640)?;
    let doc = stage.join("usr/share/doc/smartacct");
    write(&doc.join("examples/smartacct.example.toml"), example, 0o644)?;
    for f in ["smartacct.rules.yml", "grafana-dashboard.json"] {
        write(&doc.join("examples/monitoring").join(f), read(&root.join("config/monitoring").join(f))?, 0o644)?;
    }
    write(&stage.join("usr/share/lintian/overrides/smartacct"), LINTIAN_OVERRIDES, 0o644)?;
    write(&doc.join("copyright"), "smartacct\nLicense: MIT OR Apache-2.0\n", 0o644)?;

    let man_dir = stage.join("usr/share/man/man1");
    man(&man_dir)?;
    run(Command::new("sh").arg("-c").arg("gzip -9n \"$0\"/*.1").arg(&man_dir))?;
    let generated = out.join("completions");
    for (shell, path) in completions(&generated)? {
        let target = match shell {
            Shell::Bash => "usr/share/bash-completion/completions/smartacct",
            Shell::Zsh => "usr/share/zsh/vendor-completions/_smartacct",
            _ => "usr/share/fish/vendor_completions.d/smartacct.fish",
        };
        write(&stage.join(target), read(&path)?, 0o644)?;
    }

    let size_kb = run(Command::new("du").args(["-sk", "--exclude=DEBIAN"]).arg(&stage))?
        .split_whitespace()
        .next()
        .unwrap_or("0")
        .to_string();
    let control = format!(
        "Package: smartacct\nVersion: {version}\nSection: mail\nPriority: optional\nArchitecture: {arch}\n\
         Maintainer: smartacct maintainers <smartacct@example.com>\nInstalled-Size: {size_kb}\n\
         Depends: adduser, debconf (>= 0.5) | debconf-2.0, libc6\nHomepage: https://www.cisco.com/go/scm\n\
         Description: Smart Account request desk, run over email\n \
         smartacct runs the \"request a Smart Account\" workflow over email: IMAP in,\n \
         SMTP out, SQLite store. Configure /etc/smartacct/smartacct.toml, put the\n \
         IMAP password in /etc/smartacct/imap-password, then\n \
         systemctl enable --now smartacct.\n"
    );
    let debian = stage.join("DEBIAN");
    write(&debian.join("control"), control, 0o644)?;
    write(&debian.join("conffiles"), "/etc/smartacct/smartacct.toml\n", 0o644)?;
    write(&debian.join("templates"), TEMPLATES, 0o644)?;
    write(&debian.join("config"), CONFIG, 0o755)?;
    write(&debian.join("postinst"), POSTINST, 0o755)?;
    write(&debian.join("prerm"), PRERM, 0o755)?;
    write(&debian.join("postrm"), POSTRM, 0o755)?;

    let deb = out.join(format!("smartacct_{version}_{arch}.deb"));
    run(Command::new("dpkg-deb").args(["--root-owner-group", "-Zgzip", "-z1", "--build"]).arg(&stage).arg(&deb))?;
    println!("{}", deb.display());
    Ok(())
}

/// Each with its reason, which `lintian --show-overrides` prints.
const LINTIAN_OVERRIDES: &str = "\
# postrm gives what is in /var/lib/smartacct to root on purge (the smartacct
# uid is freed, and the next user created may get it), and postinst gives it
# back to smartacct on a reinstall. find never follows a symbolic link (-h),
# stays on the file system (-xdev) and skips files with more than one link, so
# no hard link to a file elsewhere changes owner; postrm makes the directory
# root's (0700) before it descends, postinst only takes back what root owns in
# a directory only root could write to.
smartacct: recursive-privilege-change * [postinst:*]
smartacct: recursive-privilege-change * [postrm:*]
";

/// The one debconf question: asked at purge only (postrm), when there is a database to ask about.
const TEMPLATES: &str = "\
Template: smartacct/purge_database
Type: boolean
Default: false
Description: Delete the smartacct database when purging the package?
 The database in /var/lib/smartacct holds every request, its history, the
 raw messages kept as evidence and the secret the reply addresses are made
 from.
 .
 If it is kept, it is left to root alone (owner root, mode 0600, in a 0700
 directory): the smartacct user is deleted, and the next user created may get
 its uid. Installing the package again gives the database back to the
 service.
";

const CONFIG: &str = r#"#!/bin/sh
# Nothing to ask at install: smartacct/purge_database is asked at purge, by postrm.
set -e
. /usr/share/debconf/confmodule
exit 0
"#;

const POSTINST: &str = r#"#!/bin/sh
# The service user, its state directory, and the config readable by it alone (with root).
set -e
# Loads the templates, so smartacct/purge_database can be preseeded before a purge.
. /usr/share/debconf/confmodule
db_stop
if [ "$1" = configure ]; then
    if ! getent passwd smartacct >/dev/null; then
        adduser --system --group --quiet --home /var/lib/smartacct --no-create-home \
            --shell /usr/sbin/nologin smartacct
    fi
    # A database kept by an earlier purge is root's (postrm): the service takes
    # it back. Directories and singly linked files only, never through a link.
    if [ -d /var/lib/smartacct ] && [ "$(stat -c %u /var/lib/smartacct)" = 0 ]; then
        find /var/lib/smartacct -xdev -user root \( -type d -o -type f -links 1 \) \
            -exec chown -h smartacct:smartacct {} +
    fi
    install -d -o smartacct -g smartacct -m 0700 /var/lib/smartacct
    chown root:smartacct /etc/smartacct/smartacct.toml
    chmod 0640 /etc/smartacct/smartacct.toml
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null || true
    fi
fi
exit 0
"#;

const PRERM: &str = r#"#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    systemctl stop smartacct.service >/dev/null 2>&1 || true
    systemctl disable smartacct.service >/dev/null 2>&1 || true
fi
exit 0
"#;

const POSTRM: &str = r#"#!/bin/sh
# Purge removes the user and its group. The database goes only if
# smartacct/purge_database says so (default: no); kept, it becomes root's alone,
# since the deleted user's uid goes to the next user created.
set -e
if [ "$1" = purge ]; then
    delete=false
    if [ -e /usr/share/debconf/confmodule ]; then
        . /usr/share/debconf/confmodule
        if [ -n "$(ls -A /var/lib/smartacct 2>/dev/null)" ]; then
            db_input high smartacct/purge_database || true
            db_go || true
            if db_get smartacct/purge_database; then
                delete="$RET"
            fi
        fi
    fi
    if [ "$delete" = true ]; then
        rm -rf /var/lib/smartacct
    elif [ -d /var/lib/smartacct ] && ! rmdir /var/lib/smartacct 2>/dev/null; then
        # The directory first: from then on no other user reaches what is in it.
        # Then its directories and singly linked files (a hard link to a file
        # elsewhere is never changed), never through a symbolic link.
        chown root:root /var/lib/smartacct
        chmod 0700 /var/lib/smartacct
        find /var/lib/smartacct -xdev \( -type d -o -type f -links 1 \) \
            -exec chown -h root:root {} + -exec chmod go-rwx {} +
    fi
    if getent passwd smartacct >/dev/null; then
        deluser --system --quiet smartacct >/dev/null 2>&1 || true
    fi
    if getent group smartacct >/dev/null; then
        delgroup --system --quiet smartacct >/dev/null 2>&1 || true
    fi
    if [ -e /usr/share/debconf/confmodule ]; then
        db_purge
    fi
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null || true
fi
exit 0
"#;
