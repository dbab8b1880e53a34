//! The SMTP side: a pool of kept-open lettre connections over TCP_NODELAY sockets; each send under a timeout, failures sorted into temporary and permanent.
//!
//! Why not lettre's own pool: its sockets keep Nagle's algorithm on, and lettre
//! writes a message and its final `.` in two writes, so every send waited for
//! the server's delayed ACK (about 40 ms on Linux): 84 emails/s with four
//! connections against a server that takes 300 a second on one. Our sockets
//! set TCP_NODELAY and hand themselves to lettre's SMTP conversation.
use std::sync::Arc;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, Semaphore};

use crate::configuration::{Auth, Security, SmtpSettings};
use crate::oauth2::Tokens;

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

/// A session with the server, and whether it takes commands pipelined.
struct Session {
    conn: AsyncSmtpConnection,
    /// The server said PIPELINING (RFC 2920): an email's MAIL FROM, RCPT TO
    /// and DATA go in one write, one round trip instead of three.
    pipelining: bool,
}

/// A connection kept open between sends, and when it was last used.
struct Idle {
    session: Session,
    since: Instant,
}

#[derive(Clone)]
pub struct Smtp {
    settings: Arc<SmtpSettings>,
    /// STARTTLS or implicit TLS parameters (`None`: plain).
    tls: Option<TlsParameters>,
    /// The rustls configuration for implicit TLS (`smtp.security = "tls"`).
    wrapper: Option<Arc<rustls::ClientConfig>>,
    idle: Arc<Mutex<Vec<Idle>>>,
    /// At most `smtp.pool_size` sends (and connections) at once.
    slots: Arc<Semaphore>,
    timeout: Duration,
    pub pool_size: usize,
    /// With `smtp.auth = "xoauth2"`: where each new connection's token comes from.
    tokens: Option<Tokens>,
}

/// An idle connection older than this is checked with NOOP before reuse
/// (servers close idle sessions; Postfix after 300 s).
const CHECK_AFTER: Duration = Duration::from_secs(20);

impl Smtp {
    /// Checks what `new` would need (the TLS settings and CA file) without connecting.
    pub fn check(s: &SmtpSettings) -> Result<(), SmtpError> {
        Self::build(s, None).map(|_| ())
    }

    pub fn new(s: &SmtpSettings, tokens: Option<&Tokens>) -> Result<Smtp, SmtpError> {
        if s.auth == Auth::Xoauth2 && tokens.is_none() {
            let message = "smtp.auth is xoauth2 without [oauth2]".into();
            return Err(SmtpError::Setup { host: s.host.clone(), message });
        }
        Self::build(s, tokens.filter(|_| s.auth == Auth::Xoauth2).cloned())
    }

    fn build(s: &SmtpSettings, tokens: Option<Tokens>) -> Result<Smtp, SmtpError> {
        crate::tls::install_provider();
        let err = |message: String| SmtpError::Setup { host: s.host.clone(), message };
        let (tls, wrapper) = match s.security {
            Security::None => (None, None),
            Security::StartTls => {
                let mut b = TlsParameters::builder(s.host.clone());
                if let Some(ca) = &s.ca_file {
                    let pem = std::fs::read(ca)
                        .map_err(|e| err(format!("smtp.ca_file: cannot read {}: {e}", ca.display())))?;
                    b = b.add_root_certificate(
                        Certificate::from_pem(&pem).map_err(|e| err(format!("smtp.ca_file: {e}")))?,
                    );
                }
                (Some(b.build_rustls().map_err(|e| err(e.to_string()))?), None)
            }
            Security::Tls => (None, Some(crate::tls::client_config(s.ca_file.as_deref()).map_err(err)?)),
        };
        let pool_size = s.pool_size.max(1) as usize;
        Ok(Smtp {
            settings: Arc::new(s.clone()),
            tls,
            wrapper,
            idle: Arc::new(Mutex::new(Vec::new())),
            slots: Arc::new(Semaphore::new(pool_size)),
            timeout: s.timeout,
            pool_size,
            tokens,
        })
    }

    /// Connects, says EHLO, negotiates TLS and logs in, as a send would (`check-config --connect`).
    pub async fn check_connection(&self) -> Result<(), String> {
        let session = async {
            let mut conn = self.connect().await.map_err(|e| e.to_string())?.conn;
            let alive = conn.test_connected().await;
            conn.quit().await.ok();
            if alive { Ok(()) } else { Err("the server did not answer NOOP".to_string()) }
        };
        match tokio::time::timeout(self.timeout, session).await {
            Err(_) => Err(format!("no answer within {} s", self.timeout.as_secs())),
            Ok(result) => result,
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends bytes as they are, with `from` as the envelope sender. With
    /// XOAUTH2, a token the server refuses is replaced and the send tried once more at once.
    ///
    /// `before_dot` is awaited once the server has taken the envelope and
    /// answered DATA, just before the message and the final dot that make
    /// the server take it; what it returns comes back with a send that
    /// ended well. Delivery waits there for its turn to have a send's result
    /// recorded, so the conversation's first round trips overlap the
    /// recording of the connection's previous email. The wait is outside the
    /// timeout: it is about the database, not the server.
    pub async fn send<T, F, Fut>(&self, from: &str, to: &str, raw: &[u8], before_dot: F) -> Result<T, SendError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = T>,
    {
        match self.send_once(from, to, raw, &before_dot).await {
            Err(SendError::Temporary(why)) if self.tokens.is_some() && why.starts_with(REFUSED_TOKEN) => {
                self.send_once(from, to, raw, &before_dot).await
            }
            other => other,
        }
    }

    async fn send_once<T, F, Fut>(&self, from: &str, to: &str, raw: &[u8], before_dot: &F) -> Result<T, SendError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = T>,
    {
        let envelope = Envelope::new(
            Some(from.parse().map_err(|e| SendError::Permanent(format!("bad envelope sender {from}: {e}")))?),
            vec![to.parse().map_err(|e| SendError::Permanent(format!("bad recipient {to}: {e}")))?],
        )
        .map_err(|e| SendError::Permanent(e.to_string()))?;
        let _slot = self.slots.acquire().await.expect("the semaphore is never closed");
        // Every step with the server under the timeout: a dead network can hang the conversation.
        let opened = async {
            let mut session = self.connection().await?;
            match open_data(&mut session, &envelope, raw).await {
                Ok(()) => Ok(session),
                Err(e) => {
                    // After an error the conversation is in an unknown state: not reused.
                    session.conn.abort().await;
                    Err(e)
                }
            }
        };
        let mut session = tokio::time::timeout(self.timeout, opened).await.unwrap_or_else(|_| Err(self.no_answer()))?;
        let turn = before_dot().await;
        let message = async {
            match session.conn.message(raw).await {
                Ok(_) => {
                    self.idle.lock().await.push(Idle { session, since: Instant::now() });
                    Ok(())
                }
                Err(e) => {
                    session.conn.abort().await;
                    Err(classify(e))
                }
            }
        };
        tokio::time::timeout(self.timeout, message).await.unwrap_or_else(|_| Err(self.no_answer()))?;
        Ok(turn)
    }

    fn no_answer(&self) -> SendError {
        SendError::Temporary(format!("no answer from the SMTP server within {} s", self.timeout.as_secs()))
    }

    /// A kept-open connection if one is idle (checked with NOOP when it idled
    /// long), else a new one.
    async fn connection(&self) -> Result<Session, SendError> {
        loop {
            let idle = self.idle.lock().await.pop();
            let Some(mut idle) = idle else { break };
            if idle.since.elapsed() < CHECK_AFTER || idle.session.conn.test_connected().await {
                return Ok(idle.session);
            }
            idle.session.conn.abort().await;
        }
        self.connect().await
    }

    async fn connect(&self) -> Result<Session, SendError> {
        let s = &self.settings;
        let hello = ClientId::default();
        let unreachable =
            |e: std::io::Error| SendError::Temporary(format!("cannot connect to {}:{}: {e}", s.host, s.port));
        let tcp = TcpStream::connect((s.host.as_str(), s.port)).await.map_err(unreachable)?;
        tcp.set_nodelay(true).map_err(unreachable)?;
        let mut conn = match &self.wrapper {
            Some(config) => {
                let name = rustls::pki_types::ServerName::try_from(s.host.clone())
                    .map_err(|e| SendError::Temporary(format!("bad server name {}: {e}", s.host)))?;
                let tls = tokio_rustls::TlsConnector::from(config.clone())
                    .connect(name, tcp)
                    .await
                    .map_err(|e| SendError::Temporary(format!("cannot set up TLS with {}: {e}", s.host)))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(TlsSocket(tls)), &hello).await.map_err(setup)?
            }
            None => AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello).await.map_err(setup)?,
        };
        if let Some(params) = &self.tls {
            conn.starttls(params.clone(), &hello).await.map_err(setup)?;
        }
        // lettre keeps no note of PIPELINING: the server's extensions are asked
        // once more (before AUTH, which a later EHLO could undo), once per connection.
        let extensions = conn.command(Ehlo::new(hello.clone())).await.map_err(setup)?;
        let pipelining = extensions.message().skip(1).any(|l| l.trim().eq_ignore_ascii_case("PIPELINING"));
        match (&self.tokens, &s.username, &s.password) {
            (Some(tokens), Some(user), _) => {
                let token =
                    tokens.access_token().await.map_err(|e| SendError::Temporary(crate::telemetry::chain(&e)))?;
                let credentials = Credentials::new(user.clone(), token.secret().to_string());
                if let Err(e) = conn.auth(&[Mechanism::Xoauth2], &credentials).await {
                    // Refused (revoked, expired early): not handed out again; the session is abandoned.
                    tokens.refused(&token).await;
                    conn.abort().await;
                    return Err(SendError::Temporary(format!("{REFUSED_TOKEN}: {e}")));
                }
            }
            (None, Some(user), Some(pass)) => {
                let credentials = Credentials::new(user.clone(), pass.clone());
                conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).await.map_err(setup)?;
            }
            _ => {}
        }
        Ok(Session { conn, pipelining })
    }
}

const REFUSED_TOKEN: &str = "the SMTP server refused the access token";

/// MAIL FROM, RCPT TO and DATA, as lettre's `send` says them (with
/// SMTPUTF8 for non-ASCII addresses, 8BITMIME for a non-ASCII message), up
/// to the server's go-ahead for the message; in one write when the server
/// takes pipelined commands, the answers then read in order.
async fn open_data(session: &mut Session, envelope: &Envelope, raw: &[u8]) -> Result<(), SendError> {
    let conn = &mut session.conn;
    let mut options = Vec::new();
    let addresses = envelope.from().into_iter().chain(envelope.to());
    if addresses.map(|a| a.as_ref()).any(|a: &str| !a.is_ascii()) {
        if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            return Err(SendError::Permanent("the address is not ASCII and the server has no SMTPUTF8".into()));
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !raw.is_ascii() {
        if !conn.server_info().supports_feature(Extension::EightBitMime) {
            return Err(SendError::Permanent("the message is not ASCII and the server has no 8BITMIME".into()));
        }
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let mail = Mail::new(envelope.from().cloned(), options);
    let rcpts: Vec<Rcpt> = envelope.to().iter().map(|to| Rcpt::new(to.clone(), Vec::new())).collect();
    if session.pipelining {
        // Every answer is read up to the first refusal; the caller then drops the session.
        let mut group = mail.to_string();
        rcpts.iter().for_each(|r| group.push_str(&r.to_string()));
        group.push_str(&Data.to_string());
        conn.command(group).await.map_err(classify)?;
        for _ in 0..rcpts.len() + 1 {
            conn.read_response().await.map_err(classify)?;
        }
        return Ok(());
    }
    conn.command(mail).await.map_err(classify)?;
    for rcpt in rcpts {
        conn.command(rcpt).await.map_err(classify)?;
    }
    conn.command(Data).await.map_err(classify)?;
    Ok(())
}

/// Setting up a session failed (greeting, STARTTLS, AUTH): about the server or
/// our settings, never about one email, so always worth another try.
fn setup(e: lettre::transport::smtp::Error) -> SendError {
    SendError::Temporary(e.to_string())
}

/// 5xx answers to an email are permanent; everything else (4xx, lost connections) is worth another try.
fn classify(e: lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() { SendError::Permanent(e.to_string()) } else { SendError::Temporary(e.to_string()) }
}

/// A TLS socket lettre can drive (implicit TLS, `smtp.security = "tls"`).
#[derive(Debug)]
struct TlsSocket(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncTokioStream for TlsSocket {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for TlsSocket {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsSocket {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
