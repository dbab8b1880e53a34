//! `smartacct backup PATH`: a consistent, private copy of a SQLite database, written only to a new file.
use std::io::ErrorKind;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use super::dialect::query;
use super::{Backend, Result, Store, StoreError};

impl Store {
    /// A consistent copy of the database at `path` (SQLite's `VACUUM INTO`:
    /// one read transaction, so a working `run` beside it is no problem),
    /// readable by its owner only: the copy holds the reply-token secret.
    ///
    /// Only a new file: never over anything that exists, never through a
    /// symbolic link (dangling or not), and never a name that SQLite would
    /// read as a URI (`file:…`, where `?mode=…` and the rest are its options).
    /// `?` and `#` in any other path are plain characters of the file's name.
    pub async fn backup(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::BackupNotHere);
        }
        let shown = path.display().to_string();
        let refuse = |problem: &str| StoreError::BackupPath { path: shown.clone(), problem: problem.to_string() };
        if path.as_os_str().as_bytes().get(..5).is_some_and(|start| start.eq_ignore_ascii_case(b"file:")) {
            return Err(refuse(
                "SQLite would read it as a URI (file:…), which backup does not take: give a file's path (./file:… for a name that starts so)",
            ));
        }
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refuse("it is a symbolic link; backup writes only a new file, never through a link"));
            }
            Ok(_) => return Err(refuse("it exists already")),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(source) => return Err(StoreError::Backup { path: shown, source }),
        }
        let Some(name) = path.file_name() else { return Err(refuse("it does not name a file")) };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let err = |source| StoreError::Backup { path: shown.clone(), source };

        // Written in a directory of our own beside the target (0700: nobody can put a
        // link where SQLite writes), then given its name by link(2), which fails if
        // anything (a file, a link) took the name meanwhile instead of following or
        // replacing it.
        let mut tag = [0u8; 6];
        getrandom::fill(&mut tag).map_err(|e| err(std::io::Error::other(e.to_string())))?;
        let tag: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        let mut work_name = std::ffi::OsString::from(".");
        work_name.push(name);
        work_name.push(format!(".partial-{tag}"));
        let work = WorkDir::create(dir.join(work_name)).map_err(err)?;
        let copy = work.0.join("copy.db");
        // Created empty and private first: VACUUM INTO fills an empty file and keeps its mode.
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&copy).map_err(err)?;
        // An absolute path: its text starts with `/`, never `file:`.
        let target = std::path::absolute(&copy).map_err(err)?;
        let target = target
            .to_str()
            .ok_or_else(|| refuse("its directory's name is not UTF-8, which SQLite cannot be given"))?
            .to_string();
        query("VACUUM INTO ?").bind(target).execute(&self.pool).await?;
        match std::fs::hard_link(&copy, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                Err(refuse("it exists already (made while the copy was written)"))
            }
            Err(source) => Err(err(source)),
        }
    }
}

/// The private directory a copy is written in; removed with whatever it holds when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create(path: PathBuf) -> std::io::Result<WorkDir> {
        std::fs::DirBuilder::new().mode(0o700).create(&path)?;
        Ok(WorkDir(path))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
