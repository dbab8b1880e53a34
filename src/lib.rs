//! smartacct: the Smart Account request desk, run over email. See ARCHITECTURE.md for the map.
//!
//! `workflow` is the pure core (domain types, readers, decisions, email
//! contents); `shell` does the I/O around it (store, IMAP, SMTP, rendering,
//! the service, the CLI); `configuration` is read at the edge and passed in.
//! The short paths below (`smartacct::decide`, `smartacct::store`, …) are
//! re-exports of those modules.
pub mod configuration;
pub mod shell;
pub mod workflow;

pub use shell::{
    app, catalogs, cli, compose, console, delivery, dkim, dns_auth, faults, hooks, imap, intake, lmtp, metrics, oauth2,
    operator, retry, schedule, service, smtp, store, sweep, systemd, telemetry, templates, tls,
};
pub use workflow::{decide, domain, email, hook_event, i18n, read, request};
