//! `[lmtp]` (SPEC §13): where `run` takes mail straight from the MTA, and how large a message it takes.
use std::path::PathBuf;
use std::time::Duration;

use super::reader::{ConfigError, Section};
use crate::lmtp::Listen;

/// `[lmtp]`: present, `run` serves LMTP on `listen`, beside the IMAP watcher or alone.
#[derive(Debug, Clone)]
pub struct LmtpSettings {
    pub listen: Listen,
    /// Announced as SIZE and enforced (552 past it); `imap.max_message_bytes`'s default.
    pub max_message_bytes: u64,
    /// A connection that sends no command for this long is closed (421 4.4.2).
    pub idle_timeout: Duration,
}

pub(super) fn read(root: &toml::Table) -> Result<Option<LmtpSettings>, ConfigError> {
    if !root.contains_key("lmtp") {
        return Ok(None);
    }
    let mut s = Section::new(root, "lmtp")?;
    let text = s.string("listen")?.ok_or_else(|| ConfigError::new("lmtp.listen", "required in [lmtp]"))?;
    let listen = match text.strip_prefix("unix:") {
        Some(path) if path.starts_with('/') => Listen::Unix(PathBuf::from(path)),
        Some(_) => {
            return Err(ConfigError::new(
                "lmtp.listen",
                format!("{text:?}: a socket is an absolute path, like \"unix:/run/smartacct/lmtp.sock\""),
            ));
        }
        None => Listen::Tcp(text.parse().map_err(|_| {
            ConfigError::new(
                "lmtp.listen",
                format!("{text:?} is neither an address and port like \"127.0.0.1:8024\" nor \"unix:/PATH\""),
            )
        })?),
    };
    let max_message_bytes = s.int("max_message_bytes", 10 << 20, 1024, 1 << 30)? as u64;
    let idle_timeout = Duration::from_secs(s.int("idle_timeout_secs", 60, 1, 3600)? as u64);
    s.finish()?;
    Ok(Some(LmtpSettings { listen, max_message_bytes, idle_timeout }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lmtp(text: &str) -> Result<Option<LmtpSettings>, ConfigError> {
        read(&text.parse::<toml::Table>().unwrap())
    }

    #[test]
    fn the_door_is_a_tcp_address_or_a_unix_socket_and_off_without_its_section() {
        assert!(lmtp("").unwrap().is_none());
        let l = lmtp("[lmtp]\nlisten = \"127.0.0.1:8024\"").unwrap().unwrap();
        assert_eq!(l.listen, Listen::Tcp("127.0.0.1:8024".parse().unwrap()));
        assert_eq!(l.max_message_bytes, 10 << 20);
        assert_eq!(l.idle_timeout, Duration::from_secs(60));
        let l = lmtp("[lmtp]\nlisten = \"unix:/run/smartacct/lmtp.sock\"").unwrap().unwrap();
        assert_eq!(l.listen, Listen::Unix("/run/smartacct/lmtp.sock".into()));
        for (text, key) in [
            ("[lmtp]\n", "lmtp.listen"),
            ("[lmtp]\nlisten = \"localhost\"", "lmtp.listen"),
            ("[lmtp]\nlisten = \"unix:run/x.sock\"", "lmtp.listen"),
            ("[lmtp]\nlisten = \"127.0.0.1:1\"\nmax_message_bytes = 1", "lmtp.max_message_bytes"),
            ("[lmtp]\nlisten = \"127.0.0.1:1\"\nport = 1", "lmtp.port"),
            ("[lmtp]\nlisten = \"127.0.0.1:1\"\nidle_timeout_secs = 0", "lmtp.idle_timeout_secs"),
        ] {
            assert_eq!(lmtp(text).unwrap_err().key, key, "{text}");
        }
    }
}
