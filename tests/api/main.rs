//! The integration tests: one binary. `helpers` spawns an isolated desk (own
//! addresses, own SQLite file) against the real Dovecot + Postfix stack.
mod helpers;

mod activation;
mod bench;
mod cli;
mod delivery;
mod fixtures;
mod intake;
mod review;
mod sweep;
mod bounces;
mod hygiene;
