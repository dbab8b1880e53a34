//! Sending mail through Postfix as partners and customers would.

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::*;

/// Sends raw bytes as `from` to `to` through Postfix.
pub async fn send_raw(from: &str, to: &str, raw: &[u8]) {
    send_raw_on(MAIN, Some(from), to, raw).await
}

/// Sends raw bytes through a stack's Postfix; `from = None` is the null sender (`<>`) of bounces.
pub async fn send_raw_on(stack: Stack, from: Option<&str>, to: &str, raw: &[u8]) {
    send_raw_via(stack.smtp, from, to, raw).await
}

/// Sends raw bytes to the SMTP server on 127.0.0.1:`port` (e.g. a milter stack's signing port).
pub async fn send_raw_via(port: u16, from: Option<&str>, to: &str, raw: &[u8]) {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(port).build();
    let env = Envelope::new(from.map(|f| f.parse().unwrap()), vec![to.parse().unwrap()]).unwrap();
    transport.send_raw(&env, raw).await.expect("Postfix takes the message");
}

/// A plain-text message as a mail client writes it; returns its Message-ID.
pub struct Outgoing<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: Option<&'a str>,
    pub html: Option<&'a str>,
    pub headers: Vec<(String, String)>,
}

impl<'a> Outgoing<'a> {
    pub fn text(from: &'a str, to: &'a str, subject: &'a str, text: &'a str) -> Self {
        Outgoing { from, to, subject, text: Some(text), html: None, headers: Vec::new() }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn build(&self) -> (String, Vec<u8>) {
        let id = format!("{}.{}@{}", uid(), uid(), self.from.split('@').nth(1).unwrap_or("x.test"));
        let mut m = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: <{id}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n",
            self.from,
            self.to,
            encode_subject(self.subject)
        );
        for (n, v) in &self.headers {
            m.push_str(&format!("{n}: {v}\r\n"));
        }
        let b64 = |s: &str| {
            use std::fmt::Write;
            let enc = base64(s.as_bytes());
            let mut out = String::new();
            for chunk in enc.as_bytes().chunks(76) {
                writeln!(out, "{}\r", std::str::from_utf8(chunk).unwrap()).unwrap();
            }
            out
        };
        match (self.text, self.html) {
            (Some(t), None) => {
                m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                m.push_str(&b64(t));
            }
            (None, Some(h)) => {
                m.push_str("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                m.push_str(&b64(h));
            }
            (Some(t), Some(h)) => {
                m.push_str("Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                m.push_str(&b64(t));
                m.push_str(
                    "--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                );
                m.push_str(&b64(h));
                m.push_str("--b1--\r\n");
            }
            (None, None) => m.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n"),
        }
        (id, m.into_bytes())
    }

    pub async fn send(&self) -> String {
        self.send_on(MAIN).await
    }

    pub async fn send_on(&self, stack: Stack) -> String {
        self.send_via(stack.smtp).await
    }

    /// Sends to the SMTP server on 127.0.0.1:`port` (e.g. `AUTH.signing`, to arrive DKIM-signed).
    pub async fn send_via(&self, port: u16) -> String {
        let (id, raw) = self.build();
        send_raw_via(port, Some(&bare(self.from)), &bare(self.to), &raw).await;
        id
    }
}

fn encode_subject(s: &str) -> String {
    if s.is_ascii() { s.to_string() } else { format!("=?utf-8?b?{}?=", base64(s.as_bytes())) }
}

pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The address inside `Name <addr>`.
pub fn bare(a: &str) -> String {
    match (a.rfind('<'), a.rfind('>')) {
        (Some(l), Some(r)) if l < r => a[l + 1..r].to_string(),
        _ => a.trim().to_string(),
    }
}
