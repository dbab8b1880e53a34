//! The desk's own DKIM and DMARC check over DNS (`security.verify_dkim`), for mailboxes whose provider writes no usable `Authentication-Results`.
//!
//! Stalwart's `mail-auth` verifies every DKIM signature and evaluates the From
//! domain's DMARC policy. The desk sees the message, not the SMTP session: no
//! client IP, so no SPF; DMARC passes only on an aligned DKIM signature. The
//! answer is a fact for the core (`Known::own_check`); the core decides.
use std::net::SocketAddr;
use std::time::Duration;

use mail_auth::common::verify::VerifySignature;
use mail_auth::hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use mail_auth::{AuthenticatedMessage, DkimResult, DmarcResult, MessageAuthenticator, dmarc::verify::DmarcParameters};

use crate::read::auth_results::{Dmarc, OwnCheck};

/// `security.resolver`: the system's resolver, or one DNS server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resolver {
    #[default]
    System,
    At(SocketAddr),
}

#[derive(Debug, thiserror::Error)]
pub enum DnsAuthError {
    #[error("cannot set up the DNS resolver for security.verify_dkim")]
    Resolver(#[source] mail_auth::hickory_resolver::net::NetError),
    /// A DNS failure on the way (a timeout, SERVFAIL): the mail is not decided
    /// on it; it waits for the next pass.
    #[error("cannot check DKIM and DMARC over DNS now ({0}); the mail is left for the next pass")]
    Temporary(String),
}

/// One resolver for the process's life (it caches what it looked up).
pub struct OwnChecker {
    authenticator: MessageAuthenticator,
}

impl OwnChecker {
    pub fn new(resolver: Resolver) -> Result<OwnChecker, DnsAuthError> {
        // A slow DNS server holds one message, not the desk.
        let mut opts = ResolverOpts::default();
        opts.timeout = Duration::from_secs(3);
        opts.attempts = 2;
        let authenticator = match resolver {
            Resolver::System => {
                let (config, _) =
                    mail_auth::hickory_resolver::system_conf::read_system_conf().map_err(DnsAuthError::Resolver)?;
                MessageAuthenticator::new(config, opts)
            }
            Resolver::At(addr) => {
                let mut server = NameServerConfig::udp_and_tcp(addr.ip());
                for c in &mut server.connections {
                    c.port = addr.port();
                }
                MessageAuthenticator::new(ResolverConfig::from_name_servers(vec![server]), opts)
            }
        }
        .map_err(DnsAuthError::Resolver)?;
        Ok(OwnChecker { authenticator })
    }

    /// DKIM, then the From domain's DMARC policy, for one raw message.
    /// `envelope_domain`: the Return-Path's domain, if any.
    pub async fn check(&self, raw: &[u8], envelope_domain: Option<&str>) -> Result<OwnCheck, DnsAuthError> {
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            return Ok(OwnCheck { dmarc: Dmarc::Fail, detail: "the message cannot be parsed for DKIM".into() });
        };
        let dkim = self.authenticator.verify_dkim(&message).await;
        let dkim_words: Vec<String> = dkim
            .iter()
            .map(|d| {
                let domain = d.signature().map(|s| s.domain().to_string()).unwrap_or_default();
                format!("dkim={} d={domain}", dkim_word(d.result()))
            })
            .collect();
        // No session, so no SPF: DMARC is decided by an aligned DKIM signature alone.
        let mail_from = envelope_domain.unwrap_or_default().to_string();
        let spf = mail_auth::SpfOutput::new(mail_from.clone());
        let dmarc = self.authenticator.verify_dmarc(DmarcParameters::new(&message, &dkim, &mail_from, &spf)).await;
        let result = match dmarc.result() {
            DmarcResult::Pass => Dmarc::Pass,
            DmarcResult::Fail(_) => Dmarc::Fail,
            DmarcResult::None => Dmarc::None,
            DmarcResult::TempError(e) => return Err(DnsAuthError::Temporary(format!("DMARC record lookup: {e}"))),
            DmarcResult::PermError(_) => Dmarc::Other("permerror".into()),
        };
        let mut detail = format!("dmarc={} for {}", result.as_str(), dmarc.domain());
        if dkim_words.is_empty() {
            detail.push_str("; no DKIM signature");
        } else {
            detail.push_str(&format!("; {}", dkim_words.join(", ")));
        }
        Ok(OwnCheck { dmarc: result, detail })
    }
}

fn dkim_word(r: &DkimResult) -> &'static str {
    match r {
        DkimResult::Pass => "pass",
        DkimResult::Neutral(_) => "neutral",
        DkimResult::Fail(_) => "fail",
        DkimResult::PermError(_) => "permerror",
        DkimResult::TempError(_) => "temperror",
        DkimResult::None => "none",
    }
}
