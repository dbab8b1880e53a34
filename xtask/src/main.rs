//! Build tasks: `cargo xtask deb` builds the Debian package (binary, systemd unit, conffile, man pages, completions, docs, maintainer scripts with the purge question); `cargo xtask man DIR` / `completions DIR` write those alone; `cargo xtask docs` writes docs/configuration.md's reference.
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
        /// The package's version (default: the crate's); CHANGELOG.md's unreleased notes go under it
        #[arg(long, value_name = "VERSION")]
        package_version: Option<String>,
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
    /// Write the configuration reference of docs/configuration.md from the settings' key table
    Docs,
}

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> std::process::ExitCode {
    let result = match Args::parse().task {
        Task::Deb { binary, out, package_version } => deb(binary, out, package_version),
        Task::Man { dir } => man(&dir),
        Task::Completions { dir } => completions(&dir).map(drop),
        Task::Docs => docs(),
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

/// docs/configuration.md with its reference part made anew from `configuration::keys` (the docs test
/// fails until this has run after a key changed).
fn docs() -> Result {
    let path = root().join("docs/configuration.md");
    let old = read(&path)?;
    let new = smartacct::configuration::keys::with_reference(&old).ok_or(format!(
        "{}: the markers {:?} and {:?} are missing",
        path.display(),
        smartacct::configuration::keys::BEGIN,
        smartacct::configuration::keys::END
    ))?;
    if new != old {
        write(&path, new, 0o644)?;
        eprintln!("xtask: {} written", path.display());
    }
    Ok(())
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

fn deb(binary: Option<PathBuf>, out: Option<PathBuf>, package_version: Option<String>) -> Result {
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
    let version = package_version.unwrap_or(version);
    if !version.starts_with(|c: char| c.is_ascii_digit())
        || !version.chars().all(|c| c.is_ascii_alphanumeric() || ".+~".contains(c))
    {
        return Err(format!("{version:?} is not a native Debian version (digits first; letters, digits, . + ~)"));
    }
    let arch = run(Command::new("dpkg").arg("--print-architecture"))?;

    // Stripped as dh_strip does; the symbols go to smartacct-dbgsym (below).
    let debug = out.join(format!("smartacct_{version}_{arch}.debug"));
    let stripped = strip(&binary, &debug)?;
    write(&stage.join("usr/bin/smartacct"), std::fs::read(&stripped).map_err(|e| e.to_string())?, 0o755)?;
    std::fs::remove_file(&stripped).map_err(|e| e.to_string())?;
    let depends = shlib_depends(&stage.join("usr/bin/smartacct"))?;
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
    ship_docs(&root, &doc)?;
    write(&stage.join("usr/share/lintian/overrides/smartacct"), LINTIAN_OVERRIDES, 0o644)?;
    write(&doc.join("copyright"), copyright(&root)?, 0o644)?;
    let changelog = out.join("changelog");
    write(&changelog, debian_changelog(&read(&root.join("CHANGELOG.md"))?, &version)?, 0o644)?;
    run(Command::new("gzip").args(["-9nf"]).arg(&changelog))?;
    let gz = std::fs::read(out.join("changelog.gz")).map_err(|e| e.to_string())?;
    write(&doc.join("changelog.gz"), gz, 0o644)?;
    std::fs::remove_file(out.join("changelog.gz")).map_err(|e| e.to_string())?;

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
         Depends: {depends}, adduser, debconf (>= 0.5) | debconf-2.0\n\
         Recommends: postgresql\nSuggests: postfix\nHomepage: https://www.cisco.com/go/scm\n\
         Description: Smart Account request desk, run over email\n \
         smartacct runs the \"request a Smart Account\" workflow over email: IMAP in,\n \
         SMTP out, SQLite store. Configure /etc/smartacct/smartacct.toml, put the\n \
         IMAP password in /etc/smartacct/imap-password, then\n \
         systemctl enable --now smartacct.\n"
    );
    let debian = stage.join("DEBIAN");
    write(&debian.join("control"), control, 0o644)?;
    write(&debian.join("conffiles"), "/etc/smartacct/smartacct.toml\n", 0o644)?;
    write(&debian.join("md5sums"), md5sums(&stage)?, 0o644)?;
    write(&debian.join("templates"), TEMPLATES, 0o644)?;
    write(&debian.join("config"), CONFIG, 0o755)?;
    write(&debian.join("postinst"), POSTINST, 0o755)?;
    write(&debian.join("prerm"), PRERM, 0o755)?;
    write(&debian.join("postrm"), POSTRM, 0o755)?;

    let deb = out.join(format!("smartacct_{version}_{arch}.deb"));
    run(Command::new("dpkg-deb").args(["--root-owner-group", "-Zgzip", "-z1", "--build"]).arg(&stage).arg(&deb))?;
    let dbgsym = dbgsym(&out, &binary, &debug, &version, &arch)?;
    // The package last: the tests take the last line.
    println!("{}\n{}\n{}", debug.display(), dbgsym.display(), deb.display());
    Ok(())
}

/// The README and the reference (docs/*.md) into /usr/share/doc/smartacct, those over 4 kB
/// compressed as dh_compress does it (gzip -9n), as Debian's policy asks.
fn ship_docs(root: &Path, doc: &Path) -> Result {
    let mut pages = vec![root.join("README.md")];
    let mut reference: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .map_err(|e| format!("cannot list docs/: {e}"))?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    reference.sort();
    pages.extend(reference);
    for page in pages {
        let target = doc.join(page.file_name().expect("a file"));
        let text = read(&page)?;
        write(&target, &text, 0o644)?;
        if text.len() > 4096 {
            run(Command::new("gzip").arg("-9n").arg(&target))?;
        }
    }
    Ok(())
}

/// Writes the binary's debug symbols to `debug` and returns a stripped copy
/// linked to them (`.gnu_debuglink`), as dh_strip does (its options; the debug
/// sections compressed).
fn strip(binary: &Path, debug: &Path) -> Result<PathBuf> {
    mkdir(debug.parent().expect("in a directory"))?;
    let stripped = debug.with_extension("stripped");
    run(Command::new("objcopy").args(["--only-keep-debug", "--compress-debug-sections"]).arg(binary).arg(debug))?;
    run(Command::new("objcopy")
        .args(["--remove-section=.comment", "--remove-section=.note", "--strip-unneeded"])
        .arg(binary)
        .arg(&stripped))?;
    run(Command::new("objcopy").arg(format!("--add-gnu-debuglink={}", debug.display())).arg(&stripped))?;
    Ok(stripped)
}

/// The `md5sums` of a staged package, as dh_md5sums writes it: every file but
/// the conffiles (dpkg records those itself), for debsums and dpkg --verify.
fn md5sums(stage: &Path) -> Result<String> {
    let sums = run(Command::new("sh").current_dir(stage).args([
        "-c",
        "find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 md5sum",
    ]))?;
    Ok(sums + "\n")
}

/// `smartacct-dbgsym`, as dh_strip makes it: the symbols under
/// /usr/lib/debug/.build-id/, where gdb and systemd-coredump look for them
/// by the binary's build id, so a crash report can be read.
fn dbgsym(out: &Path, binary: &Path, debug: &Path, version: &str, arch: &str) -> Result<PathBuf> {
    let notes = run(Command::new("readelf").arg("-n").arg(binary))?;
    let build_id = notes
        .lines()
        .find_map(|l| l.trim().strip_prefix("Build ID: "))
        .map(str::trim)
        .filter(|id| id.len() > 2)
        .ok_or_else(|| format!("{} has no build id (readelf -n)", binary.display()))?;
    let stage = out.join("stage-dbgsym");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(|e| format!("cannot clear {}: {e}", stage.display()))?;
    }
    let bytes = std::fs::read(debug).map_err(|e| format!("cannot read {}: {e}", debug.display()))?;
    let target = format!("usr/lib/debug/.build-id/{}/{}.debug", &build_id[..2], &build_id[2..]);
    write(&stage.join(target), bytes, 0o644)?;
    let doc = stage.join("usr/share/doc");
    mkdir(&doc)?;
    std::os::unix::fs::symlink("smartacct", doc.join("smartacct-dbgsym")).map_err(|e| e.to_string())?;
    let size_kb = run(Command::new("du").args(["-sk", "--exclude=DEBIAN"]).arg(&stage))?
        .split_whitespace()
        .next()
        .unwrap_or("0")
        .to_string();
    let control = format!(
        "Package: smartacct-dbgsym\nSource: smartacct\nVersion: {version}\nAuto-Built-Package: debug-symbols\n\
         Section: debug\nPriority: optional\nArchitecture: {arch}\n\
         Maintainer: smartacct maintainers <smartacct@example.com>\nInstalled-Size: {size_kb}\n\
         Depends: smartacct (= {version})\nBuild-Ids: {build_id}\n\
         Description: debug symbols for smartacct\n"
    );
    write(&stage.join("DEBIAN/control"), control, 0o644)?;
    write(&stage.join("DEBIAN/md5sums"), md5sums(&stage)?, 0o644)?;
    let deb = out.join(format!("smartacct-dbgsym_{version}_{arch}.deb"));
    run(Command::new("dpkg-deb").args(["--root-owner-group", "-Zxz", "--build"]).arg(&stage).arg(&deb))?;
    Ok(deb)
}

/// The libraries the binary links, as dpkg-shlibdeps says (libc6 and
/// libgcc-s1, with the versions the symbols used need); without dpkg-dev,
/// the newest GLIBC_ symbol version the binary asks for.
fn shlib_depends(binary: &Path) -> Result<String> {
    fn dpkg_shlibdeps(work: &Path, binary: &Path) -> Result<String> {
        write(&work.join("debian/control"), "Source: smartacct\n\nPackage: smartacct\nArchitecture: any\n", 0o644)?;
        let out = run(Command::new("dpkg-shlibdeps").current_dir(work).arg("-O").arg(binary))?;
        out.lines()
            .find_map(|l| l.strip_prefix("shlibs:Depends="))
            .map(str::to_string)
            .ok_or_else(|| format!("dpkg-shlibdeps said {out:?}"))
    }
    let work = tempdir()?;
    let from_dpkg = dpkg_shlibdeps(&work, binary);
    let _ = std::fs::remove_dir_all(&work);
    if let Ok(depends) = from_dpkg {
        return Ok(depends);
    }
    let symbols = run(Command::new("objdump").arg("-T").arg(binary))?;
    let newest = symbols
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut parts = v.split('.').map(|n| n.parse::<u32>().ok());
            Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
        })
        .max()
        .ok_or("objdump -T lists no GLIBC_ symbol")?;
    let needed = run(Command::new("objdump").arg("-p").arg(binary))?;
    let mut depends = format!("libc6 (>= {}.{})", newest.0, newest.1);
    if needed.contains("libgcc_s.so.1") {
        depends.push_str(", libgcc-s1 (>= 4.2)");
    }
    Ok(depends)
}

fn tempdir() -> Result<PathBuf> {
    let dir = run(Command::new("mktemp").args(["-d", "-t", "smartacct-xtask.XXXXXX"]))?;
    Ok(PathBuf::from(dir))
}

/// One section of CHANGELOG.md: `## VERSION - DATE` (or `- unreleased`), then `- ` items.
struct Release {
    version: String,
    date: Option<String>,
    items: Vec<String>,
}

fn releases(markdown: &str) -> Result<Vec<Release>> {
    let mut releases: Vec<Release> = Vec::new();
    for line in markdown.lines() {
        if let Some(head) = line.strip_prefix("## ") {
            let words: Vec<&str> = head.split_whitespace().filter(|w| *w != "-" && *w != "—").collect();
            let (Some(version), Some(when)) = (words.first(), words.last()) else {
                return Err(format!("CHANGELOG.md: {line:?} is not \"## VERSION - DATE\""));
            };
            let date = (!when.eq_ignore_ascii_case("unreleased")).then(|| when.to_string());
            releases.push(Release { version: version.to_string(), date, items: Vec::new() });
        } else if let Some(release) = releases.last_mut() {
            if let Some(item) = line.strip_prefix("- ") {
                release.items.push(item.trim().to_string());
            } else if line.starts_with("  ") && !line.trim().is_empty() {
                let last = release.items.last_mut().ok_or(format!("CHANGELOG.md: {line:?} follows no item"))?;
                last.push(' ');
                last.push_str(line.trim());
            }
        }
    }
    Ok(releases)
}

/// The package's Debian changelog (deb-changelog(5)) from CHANGELOG.md: a
/// released version has its own entries and those before it; any other
/// version gets the unreleased notes, dated now (or $SOURCE_DATE_EPOCH),
/// above every released entry.
fn debian_changelog(markdown: &str, version: &str) -> Result<String> {
    let all = releases(markdown)?;
    let unreleased = all.iter().find(|r| r.date.is_none());
    let released: Vec<&Release> = all.iter().filter(|r| r.date.is_some()).collect();
    let mut entries: Vec<(String, String, &[String])> = Vec::new();
    if let Some(at) = released.iter().position(|r| r.version == version) {
        if let Some(newer) = all.first().filter(|r| r.version != version) {
            eprintln!(
                "xtask: note: packaging {version}, older than CHANGELOG.md's {} (its notes left out)",
                newer.version
            );
        }
        for r in &released[at..] {
            let date = r.date.as_deref().expect("released");
            entries.push((
                r.version.clone(),
                run(Command::new("date").args(["-R", "-u", "-d", &format!("{date} 12:00")]))?,
                &r.items,
            ));
        }
    } else {
        let notes = unreleased.ok_or(format!("CHANGELOG.md has no section for {version}, nor an unreleased one"))?;
        let now = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(epoch) => run(Command::new("date").args(["-R", "-u", "-d", &format!("@{epoch}")]))?,
            Err(_) => run(Command::new("date").args(["-R", "-u"]))?,
        };
        entries.push((version.to_string(), now, &notes.items));
        for r in &released {
            let date = r.date.as_deref().expect("released");
            entries.push((
                r.version.clone(),
                run(Command::new("date").args(["-R", "-u", "-d", &format!("{date} 12:00")]))?,
                &r.items,
            ));
        }
    }
    let mut text = String::new();
    for (version, date, items) in entries {
        if items.is_empty() {
            return Err(format!("CHANGELOG.md: {version} lists no change"));
        }
        text.push_str(&format!("smartacct ({version}) unstable; urgency=medium\n\n"));
        for item in items {
            text.push_str(&wrap(item, "  * ", "    ", 78));
        }
        text.push_str(&format!("\n -- smartacct maintainers <smartacct@example.com>  {date}\n\n"));
    }
    Ok(text.trim_end().to_string() + "\n")
}

fn wrap(text: &str, first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.len() + 1 + word.len() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
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
# The conffile may hold secrets (a database URL with its password, the
# OAuth2 client id, the console's settings): root:smartacct 0640, readable by
# the service and root alone, never by every user as 0644 would be.
smartacct: non-standard-file-perm 0640 != 0644 [etc/smartacct/smartacct.toml]
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
# The service user, its state directory, and the config readable by it alone
# (with root); the migrations; the unit enabled and (re)started as
# dh_installsystemd does it.
set -e
# Loads the templates, so smartacct/purge_database can be preseeded before a purge.
. /usr/share/debconf/confmodule
db_stop

# `smartacct migrate` as the service user, the IMAP password handed over as
# the unit's LoadCredential does (a copy only it can read, removed after).
# A database that is not configured yet or is down never fails the install:
# the service applies the migrations itself when it starts.
migrate() {
    dir=$(mktemp -d)
    if [ -f /etc/smartacct/imap-password ]; then
        install -o smartacct -g smartacct -m 0400 /etc/smartacct/imap-password "$dir/imap-password"
        set -- "SMARTACCT__IMAP__PASSWORD_FILE=$dir/imap-password"
    fi
    chown smartacct:smartacct "$dir"
    if out=$(cd / && timeout 120 runuser -u smartacct -- env "$@" /usr/bin/smartacct migrate 2>&1); then
        echo "smartacct: database migrated"
    else
        echo "smartacct: database not migrated (not configured yet, or not reachable); the service migrates it when it starts:" >&2
        printf '%s\n' "$out" | tail -n 3 | sed 's/^/  /' >&2
    fi
    rm -rf "$dir"
}

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
    # Before the new binary starts (below).
    migrate
fi

if [ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]; then
    # This will only remove masks created by d-s-h on package removal.
    deb-systemd-helper unmask smartacct.service >/dev/null || true
    # was-enabled defaults to true, so new installations run enable.
    if deb-systemd-helper --quiet was-enabled smartacct.service; then
        deb-systemd-helper enable smartacct.service >/dev/null || true
    else
        deb-systemd-helper update-state smartacct.service >/dev/null || true
    fi
    if [ -d /run/systemd/system ]; then
        systemctl --system daemon-reload >/dev/null || true
        # Started once configured: the example config (no password file yet)
        # would only fail and restart every 5 s.
        if smartacct check-config >/dev/null 2>&1; then
            if [ -n "$2" ]; then
                _action=restart
            else
                _action=start
            fi
            deb-systemd-invoke $_action smartacct.service >/dev/null || true
        else
            echo "smartacct: not started: edit /etc/smartacct/smartacct.toml (smartacct check-config), then systemctl restart smartacct" >&2
        fi
    fi
fi
exit 0
"#;

const PRERM: &str = r#"#!/bin/sh
# Stopped on removal; an upgrade restarts it in postinst, after the migrations.
set -e
if [ -z "${DPKG_ROOT:-}" ] && [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    deb-systemd-invoke stop smartacct.service >/dev/null || true
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
if [ "$1" = remove ] && command -v deb-systemd-helper >/dev/null; then
    deb-systemd-helper mask smartacct.service >/dev/null || true
fi
if [ "$1" = purge ] && command -v deb-systemd-helper >/dev/null; then
    deb-systemd-helper purge smartacct.service >/dev/null || true
    deb-systemd-helper unmask smartacct.service >/dev/null || true
fi
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
    systemctl --system daemon-reload >/dev/null || true
fi
exit 0
"#;

/// debian/copyright in the machine-readable format (DEP-5): the project's
/// notice, then the Rust crates linked into the binary (normal dependencies
/// for this host, proc-macros left out: they run at build time only),
/// grouped by their `license` field. Apache-2.0, GPL-2 and MPL-2.0 refer to
/// /usr/share/common-licenses; every other license's text is in
/// debian/licenses/.
///
/// Not `cargo about` or `cargo deny`: both are tools to install on every
/// build machine, `cargo about` renders HTML/handlebars reports rather than
/// DEP-5, and `cargo deny` checks licenses but writes no notice; what is
/// needed here is `cargo metadata`'s license and authors fields, grouped.
/// (`cargo deny check licenses` in CI would be the next step to refuse a
/// crate under a license not listed in debian/licenses.)
fn copyright(root: &Path) -> Result<String> {
    let host = run(Command::new("rustc").arg("-vV"))?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .ok_or("rustc -vV names no host")?;
    let metadata = run(Command::new(env!("CARGO")).current_dir(root).args([
        "metadata",
        "--format-version",
        "1",
        "--filter-platform",
        &host,
    ]))?;
    let metadata: serde_json::Value = serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata: {e}"))?;
    let packages: std::collections::HashMap<&str, &serde_json::Value> = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: std::collections::HashMap<&str, &serde_json::Value> = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata: no resolve graph")?
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let smartacct = packages
        .values()
        .find(|p| p["name"] == "smartacct" && p["source"].is_null())
        .and_then(|p| p["id"].as_str())
        .ok_or("cargo metadata: no smartacct package")?;
    let proc_macro = |p: &serde_json::Value| {
        p["targets"].as_array().is_some_and(|ts| {
            ts.iter().all(|t| t["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "proc-macro")))
        })
    };
    let mut linked = std::collections::BTreeSet::new();
    let mut todo = vec![smartacct];
    while let Some(id) = todo.pop() {
        for dep in nodes.get(id).and_then(|n| n["deps"].as_array()).into_iter().flatten() {
            let normal = dep["dep_kinds"].as_array().is_some_and(|ks| ks.iter().any(|k| k["kind"].is_null()));
            let Some(dep_id) = dep["pkg"].as_str() else { continue };
            let Some(package) = packages.get(dep_id) else { continue };
            if normal && !proc_macro(package) && linked.insert(dep_id) {
                todo.push(dep_id);
            }
        }
    }
    // license (as DEP-5 writes it) -> (files, copyright holders)
    let mut groups: std::collections::BTreeMap<String, (Vec<String>, std::collections::BTreeSet<String>)> =
        Default::default();
    for id in linked {
        let p = packages[id];
        let (name, version) = (p["name"].as_str().unwrap_or("?"), p["version"].as_str().unwrap_or("?"));
        let license = p["license"].as_str().ok_or(format!("crate {name} {version} declares no license"))?;
        let group = groups.entry(dep5_license(license)).or_default();
        group.0.push(format!("vendor/{name}-{version}/*"));
        let authors: Vec<&str> = p["authors"].as_array().into_iter().flatten().filter_map(|a| a.as_str()).collect();
        if authors.is_empty() {
            group.1.insert(format!("the {name} authors"));
        }
        group.1.extend(authors.iter().map(|a| a.to_string()));
    }
    let mut text = String::from(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
         Upstream-Name: smartacct\n\
         Upstream-Contact: smartacct maintainers <smartacct@example.com>\n\
         Source: https://www.cisco.com/go/scm\n\
         Comment: /usr/bin/smartacct links the Rust crates listed below statically.\n \
         Their Files patterns are where `cargo vendor --versioned-dirs` puts each\n \
         crate's source; the licenses are the crates' own `license` fields.\n\
         \n\
         Files: *\n\
         Copyright: 2026 smartacct maintainers <smartacct@example.com>\n\
         License: MIT or Apache-2.0\n",
    );
    let mut terms = std::collections::BTreeSet::from(["MIT".to_string(), "Apache-2.0".to_string()]);
    for (license, (files, holders)) in &groups {
        text.push_str(&format!("\nFiles: {}\n", files.join("\n ")));
        text.push_str(&format!("Copyright: {}\n", holders.iter().cloned().collect::<Vec<_>>().join("\n ")));
        text.push_str(&format!("License: {license}\n"));
        terms.extend(license_terms(license));
    }
    for term in terms {
        text.push_str(&format!("\nLicense: {term}\n"));
        let (base, exception) = match term.split_once(" with ") {
            Some((base, exception)) => (base, Some(exception.trim_end_matches(" exception"))),
            None => (term.as_str(), None),
        };
        let common = match base {
            "Apache-2.0" | "MPL-2.0" => Some(base),
            "GPL-2.0-only" | "GPL-2.0" => Some("GPL-2"),
            _ => None,
        };
        let body = match common {
            Some(file) => format!(
                "On Debian systems, the full text of the {base} license can be found in\n/usr/share/common-licenses/{file}.\n"
            ),
            None => read(&root.join("debian/licenses").join(base))
                .map_err(|e| format!("{e}: add the text of {base} (a linked crate's license) to debian/licenses/"))?,
        };
        let body = match exception {
            Some(exception) => body + "\n" + &read(&root.join(format!("debian/licenses/{exception}-exception")))?,
            None => body,
        };
        for line in body.trim_end().lines() {
            text.push_str(if line.trim().is_empty() { " ." } else { " " });
            text.push_str(line.trim_end());
            text.push('\n');
        }
    }
    Ok(text)
}

/// An SPDX expression as DEP-5 writes it: `or`, `and`, `with X exception`;
/// DEP-5 has no parentheses, a comma lowers the precedence instead (cargo's
/// `(A OR B) AND C` is `A or B, and C`). The old `A/B` is `A or B`.
fn dep5_license(spdx: &str) -> String {
    let spdx = spdx.replace('/', " OR ");
    let nested = spdx.contains('(');
    let words: Vec<String> = spdx
        .replace(['(', ')'], " ")
        .split_whitespace()
        .map(|w| match w {
            "OR" => "or".to_string(),
            "AND" if nested => ", and".to_string(),
            "AND" => "and".to_string(),
            "WITH" => "with".to_string(),
            w if w.ends_with("-exception") => format!("{} exception", w.trim_end_matches("-exception")),
            w => w.to_string(),
        })
        .collect();
    words.join(" ").replace(" , and", ", and")
}

/// The licenses a DEP-5 expression names, each with its exception.
fn license_terms(dep5: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut words = dep5.split([' ', ',']).filter(|w| !w.is_empty()).peekable();
    while let Some(word) = words.next() {
        match word {
            "or" | "and" => {}
            "with" => {
                let exception = words.next().unwrap_or_default();
                let _ = words.next_if_eq(&"exception");
                if let Some(last) = terms.last_mut() {
                    last.push_str(&format!(" with {exception} exception"));
                }
            }
            term => terms.push(term.to_string()),
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changelog_reads_as_releases_whose_entries_skip_the_keep_a_changelog_headings() {
        let all = releases(&read(&root().join("CHANGELOG.md")).unwrap()).unwrap();
        assert!(all.len() >= 3, "{} releases", all.len());
        assert!(all.iter().filter(|r| r.date.is_none()).count() <= 1, "one unreleased section at most");
        for r in &all {
            assert!(r.version.starts_with(|c: char| c.is_ascii_digit()), "{:?} is a version", r.version);
            assert!(!r.items.is_empty(), "{} lists its changes", r.version);
            for item in &r.items {
                assert!(!item.contains("###") && !item.is_empty(), "{}: {item:?}", r.version);
            }
        }
    }

    #[test]
    fn a_release_heading_takes_its_version_and_date_and_continuation_lines_join_their_entry() {
        let text = "# Changelog\n\nIntro [Keep a Changelog](https://keepachangelog.com/).\n\n\
                    ## 1.2.0 - unreleased\n\n### Added\n\n- One\n  more.\n\n### Fixed\n\n- Two\n\n\
                    ## 1.1.0 - 2026-01-02\n\n- Three\n";
        let all = releases(text).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].version.as_str(), all[0].date.as_deref()), ("1.2.0", None));
        assert_eq!(all[0].items, ["One more.", "Two"]);
        assert_eq!((all[1].version.as_str(), all[1].date.as_deref()), ("1.1.0", Some("2026-01-02")));
        assert_eq!(all[1].items, ["Three"]);
    }

    #[test]
    fn the_shipped_docs_are_the_readme_and_every_page_of_docs_compressed_past_4_kb() {
        let out = std::env::temp_dir().join(format!("smartacct-xtask-docs-{}", std::process::id()));
        ship_docs(&root(), &out).unwrap();
        let names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        for page in ["README.md", "configuration.md", "commands.md", "events.md", "metrics.md", "security.md"] {
            assert!(names.contains(&format!("{page}.gz")) || names.contains(&page.to_string()), "{page}: {names:?}");
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}
