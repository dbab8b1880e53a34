//! The SMTP side: a pooled lettre transport; each send under a timeout, failures sorted into temporary and permanent.
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::configuration::{Security, SmtpSettings};

#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error("cannot set up SMTP to {host}: {message}")]
    Setup { host: String, message: String },
}

/// How one send failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// 4xx, timeouts, refused or lost connections: try again later.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// 5xx: the server will never take this email.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
    pub pool_size: usize,
}

impl Smtp {
    /// Checks what `new` would need (the TLS settings and CA file) without opening a pool.
    pub fn check(s: &SmtpSettings) -> Result<(), SmtpError> {
        Self::tls(s).map(|_| ())
    }

    fn tls(s: &SmtpSettings) -> Result<Tls, SmtpError> {
        crate::tls::install_provider();
        let err = |message: String| SmtpError::Setup { host: s.host.clone(), message };
        let tls_params = || -> Result<TlsParameters, SmtpError> {
            let mut b = TlsParameters::builder(s.host.clone());
            if let Some(ca) = &s.ca_file {
                let pem =
                    std::fs::read(ca).map_err(|e| err(format!("smtp.ca_file: cannot read {}: {e}", ca.display())))?;
                b = b.add_root_certificate(Certificate::from_pem(&pem).map_err(|e| err(format!("smtp.ca_file: {e}")))?);
            }
            b.build_rustls().map_err(|e| err(e.to_string()))
        };
        Ok(match s.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(tls_params()?),
            Security::Tls => Tls::Wrapper(tls_params()?),
        })
    }

    pub fn new(s: &SmtpSettings) -> Result<Smtp, SmtpError> {
        let tls = Self::tls(s)?;
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .tls(tls)
            .timeout(Some(s.timeout))
            .pool_config(PoolConfig::new().max_size(s.pool_size).idle_timeout(Duration::from_secs(60)));
        if let (Some(user), Some(pass)) = (&s.username, &s.password) {
            b = b.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Smtp { transport: b.build(), timeout: s.timeout, pool_size: s.pool_size as usize })
    }

    /// Connects, says EHLO, negotiates TLS and logs in, as a send would (`check-config --connect`).
    pub async fn check_connection(&self) -> Result<(), String> {
        match tokio::time::timeout(self.timeout, self.transport.test_connection()).await {
            Err(_) => Err(format!("no answer within {} s", self.timeout.as_secs())),
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err("the server did not answer NOOP".into()),
            Ok(Err(e)) => Err(crate::telemetry::chain(&e)),
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends bytes as they are, with `from` as the envelope sender.
    pub async fn send(&self, from: &str, to: &str, raw: &[u8]) -> Result<(), SendError> {
        let envelope = Envelope::new(
            Some(from.parse().map_err(|e| SendError::Permanent(format!("bad envelope sender {from}: {e}")))?),
            vec![to.parse().map_err(|e| SendError::Permanent(format!("bad recipient {to}: {e}")))?],
        )
        .map_err(|e| SendError::Permanent(e.to_string()))?;
        // lettre's timeout covers the connection only; the conversation can hang.
        match tokio::time::timeout(self.timeout, self.transport.send_raw(&envelope, raw)).await {
            Err(_) => {
                Err(SendError::Temporary(format!("no answer from the SMTP server within {} s", self.timeout.as_secs())))
            }
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Ok(Err(e)) => Err(SendError::Temporary(e.to_string())),
        }
    }
}
