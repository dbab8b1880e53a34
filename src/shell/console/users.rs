//! The users file (`console.users_file`): `NAME:ROLE:HASH`, one operator a line, each password an Argon2id hash.
//!
//! Written only by `smartacct console add-user` (a whole new file, 0600,
//! renamed over the old one); read by the console at each sign-in and each
//! request, so a user added, changed or removed counts at once.
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// What a signed-in operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads every page.
    Viewer,
    /// Also cancels, resends, retries and reprocesses.
    Operator,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Viewer, Role::Operator].into_iter().find(|r| r.name() == s)
    }
}

/// One line of the users file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// The PHC string: `$argon2id$v=19$m=…,t=…,p=…$SALT$HASH`.
    pub hash: String,
}

impl User {
    fn line(&self) -> String {
        format!("{}:{}:{}", self.name, self.role.name(), self.hash)
    }
}

pub const MIN_PASSWORD: usize = 8;
const MAX_PASSWORD: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("{0:?} is not a name of 1 to 64 letters, digits, '.', '_', '@', '+' or '-'")]
    BadName(String),
    #[error("the password (the first line on stdin) must have {MIN_PASSWORD} to {MAX_PASSWORD} characters")]
    BadPassword,
    #[error("cannot read the users file {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write the users file {path}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// A name that can sign in: what the file, the cookie and the history can carry as it is.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._@+-".contains(&b))
        && !name.starts_with(['.', '-'])
}

/// The users a file's text names. A line that cannot be read is left out and
/// said (line number and why), so one bad line never locks every operator out.
pub fn parse(text: &str) -> (Vec<User>, Vec<String>) {
    let mut users: Vec<User> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ':');
        let (name, role, hash) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let problem = if !valid_name(name) {
            Some("not a valid name")
        } else if Role::parse(role).is_none() {
            Some("the role is neither viewer nor operator")
        } else if PasswordHash::new(hash).is_err() {
            Some("not a password hash (PHC string)")
        } else {
            None
        };
        match problem {
            Some(p) => problems.push(format!("line {}: {p}", i + 1)),
            None => {
                let user =
                    User { name: name.to_string(), role: Role::parse(role).expect("checked"), hash: hash.into() };
                // A name listed twice: the last line wins, as it would for a reader going down the file.
                users.retain(|u| u.name != user.name);
                users.push(user);
            }
        }
    }
    (users, problems)
}

/// The file's text with `user`'s line in place of the one of the same name, or added at the end.
pub fn with_user(text: &str, user: &User) -> (String, bool) {
    let mut out = String::with_capacity(text.len() + 128);
    let mut replaced = false;
    for line in text.lines() {
        let same = line.trim().split(':').next() == Some(user.name.as_str()) && !line.trim().starts_with('#');
        if same {
            if !replaced {
                out.push_str(&user.line());
                out.push('\n');
            }
            replaced = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !replaced {
        out.push_str(&user.line());
        out.push('\n');
    }
    (out, replaced)
}

/// Argon2id with the parameters OWASP recommends (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid parameters"))
}

/// The PHC string of `password` with a fresh 128-bit salt.
pub fn hash_password(password: &str) -> Result<String, UsersError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| UsersError::Hash(format!("no OS randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| UsersError::Hash(e.to_string()))?;
    Ok(argon2().hash_password(password.as_bytes(), &salt).map_err(|e| UsersError::Hash(e.to_string()))?.to_string())
}

/// Whether `password` is the one `hash` was made from (the parameters are read from the hash).
pub fn verify(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash no password matches, checked for a name the file does not hold, so
/// an unknown name takes as long to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut random = [0u8; 24];
        let _ = getrandom::fill(&mut random);
        hash_password(&format!("{random:?}")).unwrap_or_default()
    })
}

/// The users a file holds (none when it does not exist yet), and the lines it could not read.
pub fn read(path: &Path) -> Result<(Vec<User>, Vec<String>), UsersError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(parse(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Vec::new(), Vec::new())),
        Err(source) => Err(UsersError::Read { path: path.to_path_buf(), source }),
    }
}

/// The password of `console add-user`: the first line of what was read, without its line end.
pub fn password_from(input: &str) -> Result<String, UsersError> {
    let line = input.lines().next().unwrap_or("");
    match line.chars().count() {
        n if (MIN_PASSWORD..=MAX_PASSWORD).contains(&n) => Ok(line.to_string()),
        _ => Err(UsersError::BadPassword),
    }
}

/// `console add-user NAME --role ROLE`: the user's line, added or replaced,
/// in a new file (0600 from its first byte, the old file's owner kept) renamed
/// over the old one, so the console never reads half a file. True: replaced.
pub fn add(path: &Path, name: &str, role: Role, password: &str) -> Result<bool, UsersError> {
    if !valid_name(name) {
        return Err(UsersError::BadName(name.to_string()));
    }
    let user = User { name: name.to_string(), role, hash: hash_password(password)? };
    let old = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(UsersError::Read { path: path.to_path_buf(), source }),
    };
    let (text, replaced) = with_user(old.as_deref().unwrap_or(""), &user);
    let write = |source| UsersError::Write { path: path.to_path_buf(), source };
    let file_name = path.file_name().ok_or_else(|| write(std::io::Error::other("not a file name")))?;
    let tmp = path.with_file_name(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            let mine = f.metadata()?;
            // Root adding a user keeps the file the service's user reads.
            if (meta.uid(), meta.gid()) != (mine.uid(), mine.gid()) {
                std::os::unix::fs::chown(&tmp, Some(meta.uid()), Some(meta.gid()))?;
            }
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(write(e));
    }
    Ok(replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_users_file_holds_one_operator_a_line_and_skips_what_it_cannot_read() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        let text = format!(
            "# the console's operators\n\nalice:operator:{hash}\nbob:viewer:{hash}\nbad name:viewer:{hash}\n\
             carol:admin:{hash}\ndave:viewer:plaintext\nalice:viewer:{hash}\n"
        );
        let (users, problems) = parse(&text);
        let names: Vec<(&str, Role)> = users.iter().map(|u| (u.name.as_str(), u.role)).collect();
        assert_eq!(names, [("bob", Role::Viewer), ("alice", Role::Viewer)], "the last line of a name wins");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("line 5:"), "{problems:?}");
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(verify(&hash, "correct horse"));
        assert!(!verify(&hash, "correct horse "));
        assert!(!verify(&hash, ""));
        assert!(!verify("not a hash", "correct horse"));
        assert_ne!(hash, hash_password("correct horse").unwrap(), "a fresh salt each time");
        assert!(!verify(decoy_hash(), ""));
    }

    #[test]
    fn adding_a_user_replaces_their_line_and_keeps_every_other() {
        let old = User { name: "alice".into(), role: Role::Viewer, hash: "$argon2id$old".into() };
        let text = format!("# operators\n{}\nbob:viewer:$argon2id$b\n", old.line());
        let new = User { role: Role::Operator, hash: "$argon2id$new".into(), ..old.clone() };
        let (out, replaced) = with_user(&text, &new);
        assert!(replaced);
        assert_eq!(out, "# operators\nalice:operator:$argon2id$new\nbob:viewer:$argon2id$b\n");
        let carol = User { name: "carol".into(), ..new };
        let (out, replaced) = with_user(&out, &carol);
        assert!(!replaced);
        assert!(out.ends_with("bob:viewer:$argon2id$b\ncarol:operator:$argon2id$new\n"), "{out}");
    }

    #[test]
    fn the_file_is_created_private_and_rewritten_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console-users");
        assert!(!add(&path, "alice", Role::Operator, "correct horse").unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert!(add(&path, "alice", Role::Viewer, "battery staple").unwrap());
        add(&path, "bob@example.com", Role::Viewer, "battery staple").unwrap();
        let (users, problems) = read(&path).unwrap();
        assert_eq!((users.len(), problems.len()), (2, 0));
        assert_eq!(users[0].role, Role::Viewer);
        assert!(verify(&users[0].hash, "battery staple") && !verify(&users[0].hash, "correct horse"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
        assert!(matches!(
            add(&path, "eve:operator", Role::Viewer, "x".repeat(9).as_str()),
            Err(UsersError::BadName(_))
        ));
        assert!(read(&dir.path().join("missing")).unwrap().0.is_empty());
    }

    #[test]
    fn the_password_is_the_first_line_of_stdin_and_not_too_short() {
        assert_eq!(password_from("correct horse\r\nignored\n").unwrap(), "correct horse");
        assert!(password_from("short\n").is_err());
        assert!(password_from("").is_err());
    }

    #[test]
    fn names_carry_no_separator_or_control_character() {
        for ok in ["alice", "bob.smith", "ops@example.com", "a+b_c-d"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "a:b", "a b", "a\nb", "-x", ".x", "é", &"x".repeat(65)] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
