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
