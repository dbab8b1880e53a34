//! The SMTP side: a pooled lettre transport; each send under a timeout, failures sorted into temporary and permanent.
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::configuration::{Auth, Security, SmtpSettings};

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
    /// With `smtp.auth = "xoauth2"`: the token source, and the transport built
    /// for the current token (a new token gets a new pool).
    xoauth2: Option<Xoauth2>,
}

/// A transport whose connections log in with this token.
type TokenTransport = (crate::oauth2::AccessToken, AsyncSmtpTransport<Tokio1Executor>);

#[derive(Clone)]
struct Xoauth2 {
    tokens: crate::oauth2::Tokens,
    settings: SmtpSettings,
    current: std::sync::Arc<tokio::sync::Mutex<Option<TokenTransport>>>,
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

    pub fn new(s: &SmtpSettings, tokens: Option<&crate::oauth2::Tokens>) -> Result<Smtp, SmtpError> {
        let xoauth2 = match (s.auth, tokens) {
            (Auth::Xoauth2, Some(tokens)) => Some(Xoauth2 {
                tokens: tokens.clone(),
                settings: s.clone(),
                current: std::sync::Arc::new(tokio::sync::Mutex::new(None)),
            }),
            (Auth::Xoauth2, None) => {
                return Err(SmtpError::Setup {
                    host: s.host.clone(),
                    message: "smtp.auth is xoauth2 without [oauth2]".into(),
                });
            }
            (Auth::Password, _) => None,
        };
        let credentials = match (&s.username, &s.password) {
            (Some(user), Some(pass)) if s.auth == Auth::Password => Some(Credentials::new(user.clone(), pass.clone())),
            _ => None,
        };
        Ok(Smtp {
            transport: Self::transport(s, credentials, &[])?,
            timeout: s.timeout,
            pool_size: s.pool_size as usize,
            xoauth2,
        })
    }

    fn transport(
        s: &SmtpSettings,
        credentials: Option<Credentials>,
        mechanisms: &[Mechanism],
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, SmtpError> {
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .tls(Self::tls(s)?)
            .timeout(Some(s.timeout))
            .pool_config(PoolConfig::new().max_size(s.pool_size).idle_timeout(Duration::from_secs(60)));
        if let Some(c) = credentials {
            b = b.credentials(c);
        }
        if !mechanisms.is_empty() {
            b = b.authentication(mechanisms.to_vec());
        }
        Ok(b.build())
    }

    /// The transport to send with: with XOAUTH2, the one built for a valid token.
    async fn current(
        &self,
    ) -> Result<(AsyncSmtpTransport<Tokio1Executor>, Option<crate::oauth2::AccessToken>), SendError> {
        let Some(x) = &self.xoauth2 else {
            return Ok((self.transport.clone(), None));
        };
        let token = x.tokens.access_token().await.map_err(|e| SendError::Temporary(crate::telemetry::chain(&e)))?;
        let mut current = x.current.lock().await;
        if let Some((t, transport)) = current.as_ref()
            && *t == token
        {
            return Ok((transport.clone(), Some(token)));
        }
        let user = x.settings.username.clone().unwrap_or_default();
        let transport = Self::transport(
            &x.settings,
            Some(Credentials::new(user, token.secret().to_string())),
            &[Mechanism::Xoauth2],
        )
        .map_err(|e| SendError::Temporary(e.to_string()))?;
        *current = Some((token.clone(), transport.clone()));
        Ok((transport, Some(token)))
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends bytes as they are, with `from` as the envelope sender. With
    /// XOAUTH2, a token the server refuses is replaced and the send tried once more at once.
    pub async fn send(&self, from: &str, to: &str, raw: &[u8]) -> Result<(), SendError> {
        match self.send_once(from, to, raw).await {
            Err(SendError::Temporary(why)) if self.xoauth2.is_some() && why.starts_with(REFUSED_TOKEN) => {
                self.send_once(from, to, raw).await
            }
            other => other,
        }
    }

    async fn send_once(&self, from: &str, to: &str, raw: &[u8]) -> Result<(), SendError> {
        let envelope = Envelope::new(
            Some(from.parse().map_err(|e| SendError::Permanent(format!("bad envelope sender {from}: {e}")))?),
            vec![to.parse().map_err(|e| SendError::Permanent(format!("bad recipient {to}: {e}")))?],
        )
        .map_err(|e| SendError::Permanent(e.to_string()))?;
        let (transport, token) = self.current().await?;
        // lettre's timeout covers the connection only; the conversation can hang.
        match tokio::time::timeout(self.timeout, transport.send_raw(&envelope, raw)).await {
            Err(_) => {
                Err(SendError::Temporary(format!("no answer from the SMTP server within {} s", self.timeout.as_secs())))
            }
            Ok(Ok(_)) => Ok(()),
            // A refused token (revoked, expired early) is an authentication
            // failure, not the email's: a new token, and the email tried again.
            Ok(Err(e)) if token.is_some() && refused_login(&e) => {
                if let (Some(x), Some(t)) = (&self.xoauth2, &token) {
                    x.tokens.refused(t).await;
                }
                Err(SendError::Temporary(format!("{REFUSED_TOKEN}: {e}")))
            }
            Ok(Err(e)) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Ok(Err(e)) => Err(SendError::Temporary(e.to_string())),
        }
    }
}

const REFUSED_TOKEN: &str = "the SMTP server refused the access token";

/// 535 (credentials refused), 534/530 (authentication needed), 454 (temporary
/// authentication failure); or a client error, which is what lettre reports
/// when a server answers a refused XOAUTH2 token with its error challenge.
fn refused_login(e: &lettre::transport::smtp::Error) -> bool {
    e.is_client() || e.status().is_some_and(|c| matches!(c.to_string().as_str(), "535" | "534" | "530" | "454"))
}
