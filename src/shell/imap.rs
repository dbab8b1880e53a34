//! The IMAP side: connect (TLS, STARTTLS or plain), fetch in batches, move, all under timeouts.
use std::{collections::HashSet, fmt, future::Future, time::Duration};

use async_imap::extensions::idle::IdleResponse;
use async_imap::{Client, Session};
use futures::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::configuration::{Auth, ImapSettings, Security};

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot connect to IMAP server {addr}")]
    Connect { addr: String, source: std::io::Error },
    #[error("cannot set up TLS with IMAP server {addr}: {message}")]
    Tls { addr: String, message: String },
    #[error("cannot log in to IMAP as {user}: {message}")]
    Login { user: String, message: String },
    #[error("cannot log in to IMAP as {user} with XOAUTH2")]
    Token { user: String, source: crate::oauth2::TokenError },
    #[error("cannot {what}")]
    Command { what: String, source: async_imap::error::Error },
    #[error("cannot {what}: no answer from the IMAP server within {secs} s")]
    Timeout { what: String, secs: u64 },
}

type Result<T, E = ImapError> = std::result::Result<T, E>;

/// Any byte stream async-imap can drive: plain TCP or TLS.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Io for T {}

/// A logged-in IMAP session.
pub struct Imap {
    session: Session<Box<dyn Io>>,
    timeout: Duration,
    has_move: bool,
    has_uidplus: bool,
    pub has_idle: bool,
}

/// The selected folder's identity.
#[derive(Debug, Clone, Copy)]
pub struct Selected {
    pub uidvalidity: u32,
    pub exists: u32,
}

/// Why an IDLE wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woke {
    NewMail,
    Timeout,
    Stopped,
}

/// One fetched message.
pub struct Fetched {
    pub uid: u32,
    pub size: u32,
    pub body: Option<Vec<u8>>,
}

/// The fetch results of the messages still there. Another process working
/// the same folder (an operator's `poll --once` beside `run`) may have moved
/// some away meanwhile: the server then answers `NO [EXPUNGEISSUED]` for
/// those, and they are simply not ours to process any more.
async fn collect_present<T>(
    stream: impl futures::Stream<Item = std::result::Result<T, async_imap::error::Error>>,
) -> std::result::Result<Vec<T>, async_imap::error::Error> {
    use futures::StreamExt as _;
    let mut stream = std::pin::pin!(stream);
    let mut out = Vec::new();
    let mut gone = false;
    while let Some(item) = stream.next().await {
        match item {
            Ok(v) => out.push(v),
            Err(e) if moved_meanwhile(&e) => gone = true,
            Err(e) => return Err(e),
        }
    }
    if gone {
        moved_meanwhile_said(None);
    }
    Ok(out)
}

/// The log line of messages another process took while this one fetched (how many, when known).
fn moved_meanwhile_said(messages: Option<usize>) {
    tracing::info!(messages, "some messages were moved by another process meanwhile; the rest are processed");
}

/// `NO [EXPUNGEISSUED]` (RFC 5530): the messages asked for were expunged meanwhile.
pub fn moved_meanwhile(e: &async_imap::error::Error) -> bool {
    matches!(e, async_imap::error::Error::No(text) if text.to_ascii_uppercase().contains("EXPUNGEISSUED"))
}

async fn within<T, E: Into<async_imap::error::Error>>(
    timeout: Duration,
    what: impl Into<String>,
    fut: impl Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
    let what = what.into();
    match tokio::time::timeout(timeout, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(ImapError::Command { what, source: e.into() }),
        Err(_) => Err(ImapError::Timeout { what, secs: timeout.as_secs() }),
    }
}

/// SASL XOAUTH2: the initial response, then an empty answer to the error
/// challenge a server sends before it refuses (RFC 7628 §3.2.3).
struct Xoauth2(Option<String>);

impl async_imap::Authenticator for Xoauth2 {
    type Response = String;
    fn process(&mut self, _challenge: &[u8]) -> String {
        self.0.take().unwrap_or_default()
    }
}

/// AUTHENTICATE XOAUTH2; a refused token is dropped and a fresh one tried once
/// on the same connection (a revoked token, or one that expired early).
async fn xoauth2_login(
    mut client: Client<Box<dyn Io>>,
    s: &ImapSettings,
    tokens: &crate::oauth2::Tokens,
) -> Result<Session<Box<dyn Io>>> {
    let t = s.timeout;
    let user = || s.username.clone();
    for attempt in 0..2 {
        let token = tokens.access_token().await.map_err(|source| ImapError::Token { user: user(), source })?;
        let auth = Xoauth2(Some(crate::oauth2::xoauth2(&s.username, &token)));
        match tokio::time::timeout(t, client.authenticate("XOAUTH2", auth)).await {
            Err(_) => {
                return Err(ImapError::Timeout { what: format!("log in to {}:{}", s.host, s.port), secs: t.as_secs() });
            }
            Ok(Ok(session)) => return Ok(session),
            Ok(Err((e, back))) => {
                tokens.refused(&token).await;
                if attempt == 1 || !matches!(e, async_imap::error::Error::No(_)) {
                    return Err(ImapError::Login { user: user(), message: e.to_string() });
                }
                client = back;
            }
        }
    }
    unreachable!("the second attempt returns")
}

impl Imap {
    /// Connects and logs in: with a password, or with XOAUTH2 and a token from `tokens`.
    pub async fn connect(s: &ImapSettings, tokens: Option<&crate::oauth2::Tokens>) -> Result<Imap> {
        let addr = format!("{}:{}", s.host, s.port);
        let t = s.timeout;
        let timeout_err = |what: &str| ImapError::Timeout { what: format!("{what} {addr}"), secs: t.as_secs() };
        let tcp = tokio::time::timeout(t, TcpStream::connect((s.host.as_str(), s.port)))
            .await
            .map_err(|_| timeout_err("connect to"))?
            .map_err(|source| ImapError::Connect { addr: addr.clone(), source })?;
        let tls_err = |message: String| ImapError::Tls { addr: addr.clone(), message };

        let client: Client<Box<dyn Io>> = match s.security {
            Security::None => {
                let mut c = Client::new(Box::new(tcp) as Box<dyn Io>);
                greeting(&mut c, t, &addr).await?;
                c
            }
            Security::Tls => {
                let tls = tls_connect(tcp, &s.host, s.ca_file.as_deref(), t).await.map_err(tls_err)?;
                let mut c = Client::new(Box::new(tls) as Box<dyn Io>);
                greeting(&mut c, t, &addr).await?;
                c
            }
            Security::StartTls => {
                let mut c = Client::new(tcp);
                greeting(&mut c, t, &addr).await?;
                within(t, "start TLS (STARTTLS)", c.run_command_and_check_ok("STARTTLS", None)).await?;
                let tcp = c.into_inner();
                let tls = tls_connect(tcp, &s.host, s.ca_file.as_deref(), t).await.map_err(tls_err)?;
                Client::new(Box::new(tls) as Box<dyn Io>)
            }
        };

        let session = match (s.auth, tokens) {
            (Auth::Xoauth2, Some(tokens)) => xoauth2_login(client, s, tokens).await?,
            (Auth::Xoauth2, None) => {
                return Err(ImapError::Login {
                    user: s.username.clone(),
                    message: "imap.auth is xoauth2 without [oauth2]".into(),
                });
            }
            (Auth::Password, _) => match tokio::time::timeout(t, client.login(&s.username, &s.password)).await {
                Err(_) => return Err(timeout_err("log in to")),
                Ok(Err((e, _))) => {
                    return Err(ImapError::Login { user: s.username.clone(), message: e.to_string() });
                }
                Ok(Ok(session)) => session,
            },
        };
        let mut imap = Imap { session, timeout: t, has_move: false, has_uidplus: false, has_idle: false };
        let caps = within(t, "read the IMAP capabilities", imap.session.capabilities()).await?;
        imap.has_move = caps.has_str("MOVE");
        imap.has_uidplus = caps.has_str("UIDPLUS");
        imap.has_idle = caps.has_str("IDLE");
        Ok(imap)
    }

    /// Creates a folder unless it exists.
    pub async fn ensure_folder(&mut self, folder: &str) -> Result<()> {
        let t = self.timeout;
        let names = within(t, "list IMAP folders", async {
            let list = self.session.list(Some(""), Some(folder)).await?;
            list.try_collect::<Vec<_>>().await
        })
        .await?;
        if names.iter().any(|n| n.name() == folder) {
            return Ok(());
        }
        match within(t, format!("create the IMAP folder {folder}"), self.session.create(folder)).await {
            // Another process (a `poll --once` beside `run`) created it between our LIST and CREATE.
            Err(ImapError::Command { source, .. })
                if source.to_string().to_ascii_uppercase().contains("ALREADYEXISTS") =>
            {
                Ok(())
            }
            other => other,
        }
    }

    pub async fn select(&mut self, folder: &str) -> Result<Selected> {
        let mailbox =
            within(self.timeout, format!("select the IMAP folder {folder}"), self.session.select(folder)).await?;
        Ok(Selected { uidvalidity: mailbox.uid_validity.unwrap_or(0), exists: mailbox.exists })
    }

    /// Every UID in the selected folder, ascending.
    pub async fn all_uids(&mut self) -> Result<Vec<u32>> {
        let set: HashSet<u32> =
            within(self.timeout, "search the folder (UID SEARCH ALL)", self.session.uid_search("ALL")).await?;
        let mut uids: Vec<u32> = set.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Sizes of the given messages (one round trip).
    pub async fn sizes(&mut self, uids: &[u32]) -> Result<Vec<(u32, u32)>> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uid_set(uids);
        let fetches = within(self.timeout, "fetch message sizes", async {
            let stream = self.session.uid_fetch(&set, "(UID RFC822.SIZE)").await?;
            collect_present(stream).await
        })
        .await?;
        Ok(fetches.iter().filter_map(|f| Some((f.uid?, f.size.unwrap_or(0)))).collect())
    }

    /// The full bytes of the given messages in one `UID FETCH … BODY.PEEK[]`
    /// (PEEK: fetching does not mark them read).
    pub async fn fetch(&mut self, uids: &[u32]) -> Result<Vec<Fetched>> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uid_set(uids);
        let fetches = within(self.timeout, "fetch messages", async {
            let stream = self.session.uid_fetch(&set, "(UID RFC822.SIZE BODY.PEEK[])").await?;
            collect_present(stream).await
        })
        .await?;
        let mut out: Vec<Fetched> = fetches
            .iter()
            .filter_map(|f| {
                Some(Fetched { uid: f.uid?, size: f.size.unwrap_or(0), body: f.body().map(<[u8]>::to_vec) })
            })
            .collect();
        out.sort_by_key(|f| f.uid);
        // Dovecot answers `FETCH (UID n)` without the body, then `OK
        // [EXPUNGEISSUED]`, for a message another process moved after this
        // session last looked. Asked again, the folder knows: those no longer
        // in it are left out; one still there keeps its missing body (an error).
        let bodiless: Vec<u32> = out.iter().filter(|f| f.body.is_none()).map(|f| f.uid).collect();
        if !bodiless.is_empty() {
            let set = uid_set(&bodiless);
            let there: HashSet<u32> = within(
                self.timeout,
                "search the folder for messages fetched without a body",
                self.session.uid_search(format!("UID {set}")),
            )
            .await?;
            let before = out.len();
            out.retain(|f| f.body.is_some() || there.contains(&f.uid));
            if out.len() < before {
                moved_meanwhile_said(Some(before - out.len()));
            }
        }
        Ok(out)
    }

    /// Marks a message with a keyword (`mail reprocess` finds a set-aside mail by it: flags travel with MOVE).
    pub async fn add_keyword(&mut self, uid: u32, keyword: &str) -> Result<()> {
        within(self.timeout, format!("flag a message {keyword}"), async {
            let s = self.session.uid_store(uid.to_string(), format!("+FLAGS.SILENT ({keyword})")).await?;
            s.try_collect::<Vec<_>>().await
        })
        .await?;
        Ok(())
    }

    /// The UIDs in the selected folder that carry `keyword`.
    pub async fn with_keyword(&mut self, keyword: &str) -> Result<Vec<u32>> {
        let set: HashSet<u32> = within(
            self.timeout,
            format!("search the folder for {keyword}"),
            self.session.uid_search(format!("KEYWORD {keyword}")),
        )
        .await?;
        let mut uids: Vec<u32> = set.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    pub async fn move_to(&mut self, uids: &[u32], folder: &str) -> Result<()> {
        if uids.is_empty() {
            return Ok(());
        }
        let set = uid_set(uids);
        let t = self.timeout;
        if self.has_move {
            return match within(t, format!("move messages to {folder}"), self.session.uid_mv(&set, folder)).await {
                // Another process moved them first: where they should be already.
                Err(ImapError::Command { source, .. }) if moved_meanwhile(&source) => Ok(()),
                other => other,
            };
        }
        within(t, format!("copy messages to {folder}"), self.session.uid_copy(&set, folder)).await?;
        within(t, "flag moved messages \\Deleted", async {
            let s = self.session.uid_store(&set, "+FLAGS.SILENT (\\Deleted)").await?;
            s.try_collect::<Vec<_>>().await
        })
        .await?;
        if self.has_uidplus {
            within(t, "expunge moved messages", async {
                let s = self.session.uid_expunge(&set).await?;
                s.try_collect::<Vec<_>>().await
            })
            .await?;
        } else {
            within(t, "expunge moved messages", async {
                let s = self.session.expunge().await?;
                s.try_collect::<Vec<_>>().await
            })
            .await?;
        }
        Ok(())
    }

    /// Waits in IDLE until the server reports something, `max` passes, or
    /// `stop` is set; then ends IDLE and gives the session back.
    pub async fn idle(self, max: Duration, stop: &mut tokio::sync::watch::Receiver<bool>) -> Result<(Imap, Woke)> {
        let Imap { session, timeout, has_move, has_uidplus, has_idle } = self;
        let mut handle = session.idle();
        within(timeout, "start IDLE", handle.init()).await?;
        tracing::debug!(max_secs = max.as_secs(), "IDLE: waiting for new mail");
        let woke = {
            let (wait, interrupt) = handle.wait_with_timeout(max);
            // The server's keepalives restart async-imap's own timer: bound the whole wait too.
            let woke = tokio::select! {
                r = tokio::time::timeout(max, wait) => match r {
                    Err(_) | Ok(Ok(IdleResponse::Timeout)) => Woke::Timeout,
                    Ok(Ok(IdleResponse::NewData(_))) => Woke::NewMail,
                    // Our own interrupt is never fired: this is the stream ending, a lost connection.
                    Ok(Ok(IdleResponse::ManualInterrupt)) => {
                        return Err(ImapError::Command {
                            what: "wait in IDLE".into(),
                            source: async_imap::error::Error::ConnectionLost,
                        });
                    }
                    Ok(Err(e)) => return Err(ImapError::Command { what: "wait in IDLE".into(), source: e }),
                },
                _ = stop.changed() => Woke::Stopped,
            };
            drop(interrupt);
            woke
        };
        let session = within(timeout, "end IDLE (DONE)", handle.done()).await?;
        Ok((Imap { session, timeout, has_move, has_uidplus, has_idle }, woke))
    }

    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(self.timeout, self.session.logout()).await;
    }
}

async fn greeting<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug>(
    c: &mut Client<T>,
    t: Duration,
    addr: &str,
) -> Result<()> {
    match tokio::time::timeout(t, c.read_response()).await {
        Err(_) => Err(ImapError::Timeout { what: format!("read the greeting of {addr}"), secs: t.as_secs() }),
        Ok(Err(e)) => Err(ImapError::Connect { addr: addr.to_string(), source: e }),
        Ok(Ok(None)) => Err(ImapError::Connect {
            addr: addr.to_string(),
            source: std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before the greeting"),
        }),
        Ok(Ok(Some(_))) => Ok(()),
    }
}

async fn tls_connect(
    tcp: TcpStream,
    host: &str,
    ca_file: Option<&std::path::Path>,
    t: Duration,
) -> std::result::Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let config = crate::tls::client_config(ca_file)?;
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| format!("bad server name {host}: {e}"))?;
    let connector = tokio_rustls::TlsConnector::from(config);
    match tokio::time::timeout(t, connector.connect(name, tcp)).await {
        Err(_) => Err(format!("TLS handshake timed out after {} s", t.as_secs())),
        Ok(r) => r.map_err(|e| e.to_string()),
    }
}

/// `1,2,5:9` from sorted or unsorted UIDs.
pub fn uid_set(uids: &[u32]) -> String {
    let mut v = uids.to_vec();
    v.sort_unstable();
    v.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let start = v[i];
        let mut end = start;
        while i + 1 < v.len() && v[i + 1] == end + 1 {
            i += 1;
            end = v[i];
        }
        parts.push(if start == end { start.to_string() } else { format!("{start}:{end}") });
        i += 1;
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn uid_sets_are_compact() {
        assert_eq!(super::uid_set(&[5, 1, 2, 3, 9, 10]), "1:3,5,9:10");
    }
}
