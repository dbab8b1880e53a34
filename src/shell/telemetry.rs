//! Logging: tracing to stderr, filtered by `RUST_LOG` (default `info`); stdout is for data.
use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,async_imap=warn,lettre=error"));
    // Colour only for a person at a terminal: escape codes in the journal or a
    // log file are noise, and would hide a stranger's own escapes among ours.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

/// An error and its causes, each said once: "cannot open the database X:
/// unable to open database file". A cause whose text the message already
/// holds (some libraries repeat their source in their own message) is skipped.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        let e = anyhow::Error::new(io).context("cannot connect to IMAP server 127.0.0.1:1");
        let e: &(dyn std::error::Error + 'static) = e.as_ref();
        assert_eq!(super::chain(e), "cannot connect to IMAP server 127.0.0.1:1: Connection refused (os error 111)");
    }
}
