//! The LMTP listener: connections (TCP or a Unix socket), capped and timed out; each message handed to the intake, answered per recipient once it is committed.
use std::time::Duration;

use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use tokio::io::{AsyncBufReadExt as _, AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::sync::watch;

use super::protocol::{Next, Session};
use super::{Listen, LmtpError};
use crate::app::App;
use crate::intake::Taken;

/// Connections served at once; past it a new one is told to come back (421).
pub const MAX_CONNECTIONS: usize = 64;
/// How long a message's data may take to arrive once DATA was accepted (RFC 5321 §4.5.3.2: minutes).
const DATA_WAIT: Duration = Duration::from_secs(300);
/// The longest command line taken; a data line may be longer (8BITMIME text is not wrapped).
const MAX_COMMAND: usize = 2048;
const MAX_DATA_LINE: usize = 1 << 20;

/// A bound listener of either kind.
pub enum Listener {
    Tcp(tokio::net::TcpListener),
    Unix(tokio::net::UnixListener, std::path::PathBuf),
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Binds before the service says READY: a taken port or a bad socket path fails the start.
pub async fn bind(listen: &Listen) -> Result<Listener, LmtpError> {
    match listen {
        Listen::Tcp(addr) => tokio::net::TcpListener::bind(addr)
            .await
            .map(Listener::Tcp)
            .map_err(|source| LmtpError::Bind { at: addr.to_string(), source }),
        Listen::Unix(path) => {
            // A socket left by a process that died is replaced; any other file is not.
            if std::fs::symlink_metadata(path).is_ok_and(|m| {
                use std::os::unix::fs::FileTypeExt as _;
                m.file_type().is_socket()
            }) {
                let _ = std::fs::remove_file(path);
            }
            let listener = tokio::net::UnixListener::bind(path)
                .map_err(|source| LmtpError::Bind { at: path.display().to_string(), source })?;
            // The MTA (postfix) must be able to connect; who may is the directory's business.
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o666));
            Ok(Listener::Unix(listener, path.clone()))
        }
    }
}

/// Serves until `stop`: the connections in hand finish their message (the
/// MTA is answered for everything it handed over), then close.
pub async fn serve(app: &App, listener: Listener, stop: watch::Receiver<bool>, committed: &(dyn Fn() + Sync)) {
    let (batcher, queue) = tokio::sync::mpsc::channel(MAX_CONNECTIONS * 2);
    // The batcher ends when the last connection (and the accept loop) let go of it.
    tokio::join!(accept_loop(app, listener, stop, Batcher(batcher)), commit_in_groups(app, queue, committed));
}

/// Messages waiting for their decision, each with where its result goes.
type Queued = (Vec<u8>, tokio::sync::oneshot::Sender<Result<Taken, String>>);

/// Hands a message to the group commit and waits for its result.
#[derive(Clone)]
struct Batcher(tokio::sync::mpsc::Sender<Queued>);

impl Batcher {
    async fn take(&self, raw: Vec<u8>) -> Result<Taken, String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.0.send((raw, tx)).await.map_err(|_| "the intake has stopped".to_string())?;
        rx.await.map_err(|_| "the intake has stopped".to_string())?
    }
}

/// At most this many messages share one transaction.
const GROUP: usize = 64;

/// Group commit: the messages that arrived while the last group was being
/// decided go together in one transaction (the MTA delivers on several
/// connections at once); each connection is answered once its group committed.
async fn commit_in_groups(app: &App, mut queue: tokio::sync::mpsc::Receiver<Queued>, committed: &(dyn Fn() + Sync)) {
    while let Some(first) = queue.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP {
            match queue.try_recv() {
                Ok(q) => group.push(q),
                Err(_) => break,
            }
        }
        let (raws, replies): (Vec<_>, Vec<_>) = group.into_iter().unzip();
        let results = crate::intake::take_all(app, raws).await;
        if results.iter().any(Result::is_ok) {
            committed();
        }
        for (reply, result) in replies.into_iter().zip(results) {
            let _ = reply.send(result.map_err(|e| crate::telemetry::chain(e.as_ref())));
        }
    }
}

async fn accept_loop(app: &App, listener: Listener, mut stop: watch::Receiver<bool>, batcher: Batcher) {
    let host = app.settings.mailbox.address.domain().to_string();
    let max_bytes = app.settings.lmtp.as_ref().map_or(10 << 20, |l| l.max_message_bytes);
    // A client that says nothing for this long is let go (`lmtp.idle_timeout_secs`).
    let idle_after = app.settings.lmtp.as_ref().map_or(Duration::from_secs(60), |l| l.idle_timeout);
    let idle = Idle::default();
    let mut connections = FuturesUnordered::new();
    loop {
        let accepted: std::io::Result<Box<dyn Stream>> = tokio::select! {
            _ = stop.changed() => break,
            Some(()) = connections.next(), if !connections.is_empty() => continue,
            a = accept(&listener) => a,
        };
        let mut stream = match accepted {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = crate::telemetry::chain(&e), "LMTP: cannot accept a connection");
                // Descriptors run out, say: give the others a moment instead of spinning.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // At the cap, the connection idle the longest makes room: idle clients never keep the MTA out.
        if connections.len() >= MAX_CONNECTIONS && !idle.evict_oldest() {
            let _ = stream.write_all(b"421 4.3.2 too many connections; try again later\r\n").await;
            continue;
        }
        let session = Session::new(&host, &app.settings.mailbox.address, max_bytes);
        connections.push(converse(stream, session, stop.clone(), batcher.clone(), &idle, idle_after));
    }
    // Stopping: what is in hand is finished.
    while connections.next().await.is_some() {}
    if let Listener::Unix(_, path) = &listener {
        let _ = std::fs::remove_file(path);
    }
}

async fn accept(listener: &Listener) -> std::io::Result<Box<dyn Stream>> {
    Ok(match listener {
        Listener::Tcp(l) => {
            let (s, _) = l.accept().await?;
            let _ = s.set_nodelay(true);
            Box::new(s)
        }
        Listener::Unix(l, _) => Box::new(l.accept().await?.0),
    })
}

/// One connection, command by command (pipelined commands are read as they come).
async fn converse(
    stream: Box<dyn Stream>,
    mut session: Session,
    mut stop: watch::Receiver<bool>,
    batcher: Batcher,
    idle: &Idle,
    idle_after: Duration,
) {
    let mut stream = BufReader::new(stream);
    if stream.get_mut().write_all(session.greeting().as_bytes()).await.is_err() {
        return;
    }
    let me = idle.join();
    let _leave = Leave(idle, me.0);
    loop {
        // Waiting for a command, the connection may be closed: by a stop, by
        // its idle time, or to make room for another. A message being read or
        // decided is always finished first.
        idle.set(me.0, true);
        let line = tokio::select! {
            line = tokio::time::timeout(idle_after, read_line(&mut stream, MAX_COMMAND)) => line,
            _ = stop.changed() => {
                let _ = stream.get_mut().write_all(b"421 4.3.2 shutting down\r\n").await;
                return;
            }
            _ = me.1.notified() => {
                let _ = stream.get_mut().write_all(b"421 4.4.2 closing an idle connection to make room\r\n").await;
                return;
            }
        };
        idle.set(me.0, false);
        let line = match line {
            Err(_) => {
                let _ = stream.get_mut().write_all(b"421 4.4.2 idle too long; closing\r\n").await;
                return;
            }
            Ok(Ok(Some(line))) => line,
            Ok(Ok(None)) | Ok(Err(_)) => return,
        };
        let Ok(line) = String::from_utf8(line) else {
            if stream.get_mut().write_all(b"500 5.5.2 a command is ASCII\r\n").await.is_err() {
                return;
            }
            continue;
        };
        let reply = match session.command(&line) {
            Next::Reply(r) => r,
            Next::Close(r) => {
                let _ = stream.get_mut().write_all(r.as_bytes()).await;
                return;
            }
            Next::Data { recipients } => {
                if stream.get_mut().write_all(b"354 2.0.0 go ahead; end with <CRLF>.<CRLF>\r\n").await.is_err() {
                    return;
                }
                let answer = match tokio::time::timeout(DATA_WAIT, read_message(&mut stream, session.max_bytes())).await
                {
                    Err(_) | Ok(Err(_)) => return, // The MTA keeps the message: nothing was answered.
                    Ok(Ok(None)) => {
                        format!("552 5.3.4 message too big: this desk takes at most {} bytes\r\n", session.max_bytes())
                    }
                    Ok(Ok(Some(raw))) => answer(&batcher, raw).await,
                };
                session.finish_transaction();
                answer.repeat(recipients)
            }
        };
        if stream.get_mut().write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The reply every recipient gets: 250 only once the decision is committed.
async fn answer(batcher: &Batcher, raw: Vec<u8>) -> String {
    match batcher.take(raw).await {
        Ok(taken) => match taken {
            Taken::Decided => "250 2.0.0 decided\r\n".into(),
            Taken::Duplicate => "250 2.0.0 decided before\r\n".into(),
            Taken::SetAside => "250 2.0.0 kept unread for the operator\r\n".into(),
        },
        Err(error) => {
            tracing::error!(error, "LMTP: cannot commit a message; answered 451 so the MTA keeps it");
            "451 4.3.0 cannot store the decision now; try again later\r\n".into()
        }
    }
}

/// One connection: its id, since when it has waited for a command (none while it works), and how to close it.
type Entry = (u64, Option<std::time::Instant>, std::sync::Arc<tokio::sync::Notify>);

/// The connections, and the last id given.
#[derive(Default)]
struct Idle {
    entries: std::sync::Mutex<(u64, Vec<Entry>)>,
}

impl Idle {
    fn join(&self) -> (u64, std::sync::Arc<tokio::sync::Notify>) {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.0 += 1;
        let (id, kick) = (e.0, std::sync::Arc::new(tokio::sync::Notify::new()));
        e.1.push((id, None, kick.clone()));
        (id, kick)
    }

    fn set(&self, id: u64, waiting: bool) {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = e.1.iter_mut().find(|x| x.0 == id) {
            entry.1 = waiting.then(std::time::Instant::now);
        }
    }

    /// Asks the connection idle the longest to close; false when every one is at work.
    fn evict_oldest(&self) -> bool {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let oldest = e.1.iter().enumerate().filter_map(|(i, x)| Some((i, x.1?))).min_by_key(|(_, since)| *since);
        match oldest {
            Some((i, _)) => {
                let (_, _, kick) = e.1.remove(i);
                kick.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Takes a connection out of `Idle` when it ends, however it ends.
struct Leave<'a>(&'a Idle, u64);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        let mut e = self.0.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.1.retain(|x| x.0 != self.1);
    }
}

/// A line with its CRLF (or LF) taken off; `None` at the end of the stream. A
/// longer line than `max` is an error.
async fn read_line(stream: &mut BufReader<Box<dyn Stream>>, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let n = (&mut *stream).take(max as u64 + 2).read_until(b'\n', &mut line).await?;
    if n == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "line too long"));
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    Ok(Some(line))
}

/// The message up to the lone dot, dot-stuffing undone, lines ending CRLF.
/// `None` when it is over `max` bytes (read to its end all the same).
async fn read_message(stream: &mut BufReader<Box<dyn Stream>>, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut over = false;
    loop {
        let Some(line) = read_line(stream, MAX_DATA_LINE).await? else {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the connection ended inside DATA"));
        };
        if line == b"." {
            return Ok((!over).then_some(raw));
        }
        let line = line.strip_prefix(b".").unwrap_or(&line);
        if !over {
            raw.extend_from_slice(line);
            raw.extend_from_slice(b"\r\n");
            over = raw.len() as u64 > max;
            if over {
                raw = Vec::new();
            }
        }
    }
}

use tokio::io::AsyncReadExt as _;
