//! The integration tests: one binary. `helpers` spawns an isolated desk (own
//! addresses, own database: SQLite, or PostgreSQL on scripts/test.sh's second
//! pass) against the real Dovecot + Postfix stack.
mod helpers;

/// The binary's allocator, so the in-process benchmarks measure what it runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod activation;
mod bench;
mod bounces;
mod browser;
mod cli;
mod console;
mod database_outage;
mod delivery;
mod dkim;
mod dmarc;
mod docs;
mod faults;
mod fixtures;
mod fuzz;
mod hardening;
mod hooks;
mod hygiene;
mod installed;
mod intake;
mod languages;
mod lmtp;
mod metrics;
mod milters;
mod oauth;
mod operator;
mod own_check;
mod package;
mod replies;
mod retention;
mod review;
mod service;
mod service_user;
mod several_hosts;
mod sweep;
mod trust;
mod trusted_ca;
