//! An HTTP server on loopback for the hooks and OAuth2 tests (a webhook receiver, a token endpoint): it records each request and answers as the test sets.
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// One request the receiver took.
#[derive(Debug, Clone)]
pub struct Posted {
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The status it was answered with.
    pub status: u16,
}

impl Posted {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the event is JSON")
    }
}

pub struct Receiver {
    pub url: String,
    posted: Arc<Mutex<Vec<Posted>>>,
    answer: Arc<Mutex<Answer>>,
}

/// What the receiver answers every request with.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Receiver {
    /// Listens on its own thread and runtime, so a test that blocks on a
    /// child process (`Command::output`) never stalls the receiver.
    pub async fn start() -> Receiver {
        Self::serve("http", None)
    }

    /// The same over https, with the mail stack's certificate for 127.0.0.1,
    /// which only its private CA (`ca_file()`) vouches for: no system root does.
    pub async fn start_https() -> Receiver {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject as _};
        super::mailstack();
        smartacct::tls::install_provider();
        let tls = super::mailstack_dir().join("tls");
        let chain = CertificateDer::pem_file_iter(tls.join("server.crt")).unwrap().map(|c| c.unwrap()).collect();
        let key = PrivateKeyDer::from_pem_file(tls.join("server.key")).unwrap();
        let config = rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key).unwrap();
        Self::serve("https", Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))))
    }

    fn serve(scheme: &str, tls: Option<tokio_rustls::TlsAcceptor>) -> Receiver {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let url = format!("{scheme}://{}/smartacct", std_listener.local_addr().unwrap());
        let posted = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new(Answer { status: 200, headers: Vec::new(), body: String::new() }));
        let (log, answering) = (posted.clone(), answer.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                while let Ok((conn, _)) = listener.accept().await {
                    let (log, answer, tls) = (log.clone(), answering.clone(), tls.clone());
                    tokio::spawn(async move {
                        match tls {
                            None => take(conn, &log, &answer).await,
                            // A client that does not trust the certificate ends here: nothing is taken.
                            Some(tls) => {
                                if let Ok(conn) = tls.accept(conn).await {
                                    take(conn, &log, &answer).await
                                }
                            }
                        }
                    });
                }
            })
        });
        Receiver { url, posted, answer }
    }

    /// From now on, answer every request with `status` (and no body).
    pub fn answer_with(&self, status: u16) {
        *self.answer.lock().unwrap() = Answer { status, headers: Vec::new(), body: String::new() };
    }

    /// From now on, answer every request with `status` and this JSON body.
    pub fn answer_json(&self, status: u16, body: &str) {
        let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        *self.answer.lock().unwrap() = Answer { status, headers, body: body.to_string() };
    }

    /// From now on, answer every request with a redirect (`status` 3xx) to `location`.
    pub fn redirect(&self, status: u16, location: &str) {
        let headers = vec![("Location".to_string(), location.to_string())];
        *self.answer.lock().unwrap() = Answer { status, headers, body: String::new() };
    }

    /// The origin, without the path: `http://127.0.0.1:PORT` (or `https://`).
    pub fn origin(&self) -> &str {
        self.url.trim_end_matches("/smartacct")
    }

    /// Every request so far, in arrival order.
    pub fn posted(&self) -> Vec<Posted> {
        self.posted.lock().unwrap().clone()
    }

    /// The POSTs answered 2xx: the events delivered.
    pub fn delivered(&self) -> Vec<Posted> {
        self.posted().into_iter().filter(|p| (200..300).contains(&p.status)).collect()
    }
}

/// Takes one request, records it, and answers it as the test set.
async fn take<S>(mut conn: S, log: &Mutex<Vec<Posted>>, answer: &Mutex<Answer>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let Some((headers, body)) = read_request(&mut conn).await else { return };
    let Answer { status, headers: extra, body: reply_body } = answer.lock().unwrap().clone();
    log.lock().unwrap().push(Posted { headers, body, status });
    let extra: String = extra.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
    let reply = format!(
        "HTTP/1.1 {status} X\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{reply_body}",
        reply_body.len()
    );
    let _ = conn.write_all(reply.as_bytes()).await;
    let _ = conn.shutdown().await;
}

/// Headers and body of one HTTP/1.1 request (test-side only: enough for reqwest's POSTs).
async fn read_request<S: tokio::io::AsyncRead + Unpin>(conn: &mut S) -> Option<(Vec<(String, String)>, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':').map(|(n, v)| (n.trim().to_string(), v.trim().to_string())))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = conn.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some((headers, String::from_utf8_lossy(&buf[head_end..]).into_owned()))
}
