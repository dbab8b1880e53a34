//! The LMTP door (SPEC §13, RFC 2033): mail straight from the MTA, decided and committed before the MTA is told 250.
//!
//! One intake, two doors: a message that arrives here takes the same read →
//! decide → commit path as one fetched from the mailbox (`intake::take`),
//! with the same duplicate rules and the same trust in the MTA's
//! `Authentication-Results`. A store failure answers 451: the MTA keeps the
//! message and tries again.
pub mod protocol;
pub mod server;

use std::net::SocketAddr;
use std::path::PathBuf;

/// `lmtp.listen`: a TCP address, or a Unix socket (`unix:/PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    Tcp(SocketAddr),
    Unix(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum LmtpError {
    #[error("cannot listen for LMTP on {at}")]
    Bind {
        at: String,
        #[source]
        source: std::io::Error,
    },
}
