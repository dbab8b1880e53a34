//! `Mail`: the facts smartacct needs from one raw message, pulled out by mail-parser.
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::{html, text};
use crate::domain::{EmailAddress, printable};

/// One inbound message, owned and decoded. `body` is the readable text: the
/// text/plain part, else the HTML part converted (blocks to lines, quotes marked).
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// The Message-ID without brackets, or `sha256:<hex of the bytes>` when the
    /// message has none, so a re-delivered copy is still recognised.
    pub message_id: String,
    pub has_message_id: bool,
    pub from: Option<EmailAddress>,
    /// The From header as written, for logs when it does not parse.
    pub from_raw: String,
    /// The display name of From, if any (control characters removed).
    pub from_name: Option<String>,
    /// Why From is not one clear address (several addresses, several From
    /// headers, a display name that is another address): no decision then.
    pub sender_problem: Option<String>,
    pub subject: String,
    /// Addresses from Delivered-To, X-Original-To, To and Cc, in that order.
    pub recipients: Vec<EmailAddress>,
    /// In-Reply-To then References, brackets stripped.
    pub thread_ids: Vec<String>,
    /// Every header as (lower-case name, decoded value), for the automatic-mail checks.
    pub headers: Vec<(String, String)>,
    pub return_path_empty: bool,
    /// The envelope sender as the delivering server wrote it (the topmost Return-Path), when it is one address.
    pub return_path: Option<EmailAddress>,
    pub content_type: String,
    pub report_type: Option<String>,
    pub body: String,
    pub size: usize,
    /// SHA-256 of the sender, subject and body, without the trace headers a
    /// re-delivery adds: with the Message-ID, the message's identity.
    pub content_hash: String,
}

impl Mail {
    pub fn parse(raw: &[u8]) -> Mail {
        let digest_id = || format!("sha256:{}", hex(&Sha256::digest(raw)));
        let Some(msg) = MessageParser::default().parse(raw) else {
            let id = digest_id();
            return Mail { content_hash: id.clone(), message_id: id, size: raw.len(), ..Mail::default() };
        };

        // Control characters never get past the edge: these reach logs and terminals.
        let (message_id, has_message_id) = match msg.message_id().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => (printable(id).into_owned(), true),
            None => (digest_id(), false),
        };
        let from_addr = msg.from().and_then(|a| a.first()).and_then(|a| a.address()).map(str::to_string);
        let from_raw =
            printable(&msg.header_raw("From").map(|s| s.trim().to_string()).or(from_addr.clone()).unwrap_or_default())
                .into_owned();
        let from = from_addr.as_deref().and_then(|a| EmailAddress::parse(a).ok());
        let sender_problem = sender_problem(&msg);
        let from_name = msg
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.name())
            .map(|n| crate::domain::strip_controls(n.trim()).chars().take(100).collect::<String>())
            .filter(|n| !n.is_empty() && !n.contains('@'));

        let mut recipients = Vec::new();
        for name in ["Delivered-To", "X-Original-To"] {
            for h in msg.headers().iter().filter(|h| h.name().eq_ignore_ascii_case(name)) {
                if let Some(t) = h.value().as_text() {
                    recipients.extend(EmailAddress::parse(t).ok());
                }
            }
        }
        for list in msg.all_to().chain(msg.all_cc()) {
            for addr in list.iter() {
                recipients.extend(addr.address().and_then(|a| EmailAddress::parse(a).ok()));
            }
        }

        let mut thread_ids = Vec::new();
        for value in [msg.in_reply_to(), msg.references()] {
            match value {
                HeaderValue::Text(t) => thread_ids.push(t.to_string()),
                HeaderValue::TextList(l) => thread_ids.extend(l.iter().map(|t| t.to_string())),
                _ => {}
            }
        }

        let headers = msg
            .headers()
            .iter()
            .map(|h| {
                let raw_value = || {
                    msg.raw_message()
                        .get(h.offset_start() as usize..h.offset_end() as usize)
                        .map(|b| String::from_utf8_lossy(b).trim().to_string())
                        .unwrap_or_default()
                };
                let value = match h.value() {
                    // As the server wrote it: decoding encoded words would let
                    // text the sender controls (an envelope address) add `;` or `(`.
                    _ if h.name().eq_ignore_ascii_case("authentication-results") => raw_value(),
                    HeaderValue::Text(t) => t.to_string(),
                    HeaderValue::TextList(l) => l.join(", "),
                    HeaderValue::Address(a) => a.iter().filter_map(|x| x.address()).collect::<Vec<_>>().join(", "),
                    _ => raw_value(),
                };
                (h.name().to_ascii_lowercase(), without_nul(value))
            })
            .collect::<Vec<_>>();
        // The topmost Return-Path, the one the delivering server wrote (mail-parser's
        // `header_raw` gives the last one, which a sender can write).
        let return_path_raw = msg
            .headers()
            .iter()
            .find(|h| h.name().eq_ignore_ascii_case("Return-Path"))
            .and_then(|h| msg.raw_message().get(h.offset_start() as usize..h.offset_end() as usize))
            .map(|b| {
                String::from_utf8_lossy(b).trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
            });
        let return_path = return_path_raw.as_deref().and_then(|r| EmailAddress::parse(r).ok());
        let return_path_empty = return_path_raw.as_deref().is_some_and(str::is_empty);

        let (content_type, report_type) = match msg.content_type() {
            Some(ct) => (
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase(),
                ct.attribute("report-type").map(|s| s.to_ascii_lowercase()),
            ),
            None => ("text/plain".into(), None),
        };

        let body = readable_body(&msg);
        let subject = printable(msg.subject().unwrap_or("").trim()).into_owned();
        let content_hash = hex(&Sha256::new()
            .chain_update(from_raw.as_bytes())
            .chain_update([0])
            .chain_update(subject.as_bytes())
            .chain_update([0])
            .chain_update(body.as_bytes())
            .finalize());
        Mail {
            message_id,
            has_message_id,
            from,
            from_raw,
            from_name,
            sender_problem,
            subject,
            recipients,
            thread_ids,
            headers,
            return_path_empty,
            return_path,
            content_type,
            report_type,
            body,
            size: raw.len(),
            content_hash,
        }
    }

    /// The decoded values of a header, by case-insensitive name.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A decision needs exactly one author: one From header naming one address,
/// whose display name is not itself another address (`evil@x <jane@x>` is no
/// valid RFC 5322 phrase, and a person reading it sees the wrong sender).
fn sender_problem(msg: &mail_parser::Message<'_>) -> Option<String> {
    let headers: Vec<_> = msg.headers().iter().filter(|h| h.name().eq_ignore_ascii_case("From")).collect();
    if headers.len() > 1 {
        return Some(format!("{} From headers", headers.len()));
    }
    let addrs: Vec<_> = msg.from().map(|a| a.iter().collect()).unwrap_or_default();
    if addrs.len() > 1 {
        return Some(format!("From names {} addresses", addrs.len()));
    }
    let addr = addrs.first()?;
    let (name, address) = (addr.name().unwrap_or(""), addr.address().unwrap_or(""));
    let other = name
        .split(|c: char| c.is_whitespace() || "<>()\"',;".contains(c))
        .find(|w| w.contains('@') && !w.trim_start_matches("mailto:").eq_ignore_ascii_case(address));
    other.map(|w| format!("the display name {:?} is another address than {address:?}", printable(w)))
}

fn readable_body(msg: &mail_parser::Message<'_>) -> String {
    let mut out = String::new();
    for part in msg.text_bodies() {
        let Some(t) = part.text_contents() else {
            continue;
        };
        let piece = if part.is_text_html() {
            html::to_text(t)
        } else {
            let ct = part.content_type();
            let flowed = ct.and_then(|c| c.attribute("format")).is_some_and(|f| f.eq_ignore_ascii_case("flowed"));
            let delsp = ct.and_then(|c| c.attribute("delsp")).is_some_and(|f| f.eq_ignore_ascii_case("yes"));
            let t = t.replace("\r\n", "\n");
            if flowed { text::unflow(&t, delsp) } else { t }
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&piece);
    }
    without_nul(out)
}

/// NUL is no character of mail text (RFC 5322), and no database text holds it
/// (PostgreSQL refuses it): it is dropped where text is decoded.
fn without_nul(s: String) -> String {
    if s.contains('\0') { s.replace('\0', "") } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_headers_that_matter() {
        let raw = b"From: Jane <Jane@Customer.test>\r\nTo: desk+act-x@example.test\r\nDelivered-To: desk+act-abc@example.test\r\nSubject: Re: [SA-7K3QX9PD] hi\r\nMessage-ID: <m1@c.test>\r\nIn-Reply-To: <a@example.test>\r\nReferences: <r@example.test> <a@example.test>\r\nReturn-Path: <>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAccept\r\n";
        let m = Mail::parse(raw);
        assert_eq!(m.message_id, "m1@c.test");
        assert_eq!(m.from.unwrap().as_str(), "jane@customer.test");
        assert_eq!(m.recipients[0].as_str(), "desk+act-abc@example.test");
        assert_eq!(m.thread_ids, vec!["a@example.test", "r@example.test", "a@example.test"]);
        assert!(m.return_path_empty);
        assert_eq!(m.body.trim(), "Accept");
    }

    #[test]
    fn a_from_that_is_not_one_clear_address_is_a_problem() {
        let problem =
            |from: &str| Mail::parse(format!("{from}\r\nSubject: x\r\n\r\nACCEPT\r\n").as_bytes()).sender_problem;
        assert!(problem("From: jane@c.test, mallory@evil.test").is_some());
        assert!(problem("From: jane@c.test\r\nFrom: mallory@evil.test").is_some());
        assert!(problem("From: evil@x.test <jane@c.test>").is_some());
        assert!(problem("From: \"jane@c.test\" <jane@c.test>").is_none());
        assert!(problem("From: Jane Doe <jane@c.test>").is_none());
        assert!(problem("From: jane@c.test").is_none());
    }

    #[test]
    fn terminal_escapes_in_headers_are_neutralised() {
        let m = Mail::parse(
            b"From: a@b.test\r\nMessage-ID: <x\x1b]0;pwn\x07@b.test>\r\nSubject: hi \x1b[2J there\r\n\r\nx",
        );
        assert!(!m.message_id.chars().any(char::is_control), "{:?}", m.message_id);
        assert!(!m.subject.chars().any(char::is_control), "{:?}", m.subject);
    }

    #[test]
    fn a_message_without_id_gets_a_stable_one() {
        let raw = b"From: a@b.test\r\n\r\nhello\r\n";
        assert_eq!(Mail::parse(raw).message_id, Mail::parse(raw).message_id);
        assert!(Mail::parse(raw).message_id.starts_with("sha256:"));
    }

    #[test]
    fn garbage_does_not_panic() {
        for raw in
            [&b""[..], b"\0\0\0", b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--", b"From:\r\n\r\n"]
        {
            let _ = Mail::parse(raw);
        }
    }
}
