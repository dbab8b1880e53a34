//! Logging: tracing to stderr, filtered by `RUST_LOG` (default `info`); stdout is for data.
use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,async_imap=warn,lettre=error"));
    // Colour only for a person at a terminal: escape codes in the journal or a
    // log file are noise, and would hide a stranger's own escapes among ours.
    use tracing_subscriber::filter::{FilterExt as _, filter_fn};
    use tracing_subscriber::prelude::*;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_filter(filter.and(filter_fn(|m| *m.level() <= tracing::Level::INFO || !says_secrets(m.target()))));
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Libraries whose debug and trace lines carry what was written on the wire:
/// `AUTH` lines (a password, an access token), token endpoint answers. They
/// say no more than `info`, whatever `RUST_LOG` asks.
const SECRET_TARGETS: &[&str] = &["lettre", "async_imap", "imap_proto", "reqwest", "hyper", "hyper_util", "h2"];

fn says_secrets(target: &str) -> bool {
    SECRET_TARGETS.iter().any(|t| target == *t || target.starts_with(&format!("{t}::")))
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
