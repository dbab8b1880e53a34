//! Delivery status notifications (RFC 3464): which email bounced, for whom, and whether for good.
use mail_parser::{MessageParser, MimeHeaders, PartType};

use crate::domain::EmailAddress;

/// One recipient's delivery status in a DSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub recipient: String,
    pub action: String,
    pub status: String,
    pub diagnostic: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dsn {
    pub statuses: Vec<Status>,
    /// The Message-ID of the returned original, from its attached headers.
    pub original_message_id: Option<String>,
    /// The id in the VERP address the DSN was sent to (`desk+bounce-<id>@…`).
    pub verp_id: Option<String>,
}

impl Dsn {
    /// `Action: failed` or a 5.x.x status: the email will never arrive.
    pub fn is_permanent(&self) -> bool {
        self.statuses.iter().any(|s| s.action.eq_ignore_ascii_case("failed") || s.status.starts_with('5'))
    }

    /// A short line for the history and the partner's email.
    pub fn summary(&self) -> String {
        self.statuses
            .iter()
            .map(|s| {
                let diag = s.diagnostic.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
                format!("{}: {} {}{diag}", s.recipient, s.action, s.status)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Reads a `multipart/report; report-type=delivery-status` message.
pub fn parse(raw: &[u8], recipients: &[EmailAddress], desk: &EmailAddress) -> Dsn {
    let mut dsn = Dsn {
        verp_id: recipients
            .iter()
            .filter(|r| r.same_mailbox(desk))
            .find_map(|r| r.split_plus().1.and_then(|t| t.strip_prefix("bounce-")).map(str::to_string)),
        ..Dsn::default()
    };
    let Some(msg) = MessageParser::default().parse(raw) else { return dsn };
    for part in &msg.parts {
        let Some(ct) = part.content_type() else { continue };
        let kind = format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase();
        match (kind.as_str(), &part.body) {
            ("message/delivery-status" | "message/global-delivery-status", _) => {
                dsn.statuses.extend(statuses(&String::from_utf8_lossy(part.contents())));
            }
            ("message/rfc822" | "message/global", PartType::Message(original)) => {
                dsn.original_message_id = dsn.original_message_id.take().or(original.message_id().map(str::to_string));
            }
            ("text/rfc822-headers" | "message/rfc822-headers", _) | ("message/rfc822" | "message/global", _) => {
                let headers = MessageParser::default().parse(part.contents());
                let id = headers.as_ref().and_then(|m| m.message_id()).map(str::to_string);
                dsn.original_message_id = dsn.original_message_id.take().or(id);
            }
            _ => {}
        }
    }
    dsn
}

/// The per-recipient blocks of a `message/delivery-status` body (blocks are
/// separated by blank lines; the first describes the reporting MTA).
fn statuses(body: &str) -> Vec<Status> {
    let unfolded = body.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    let mut out = Vec::new();
    for block in unfolded.split("\n\n") {
        let field = |name: &str| {
            block.lines().find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
        };
        let (Some(action), Some(status)) = (field("Action"), field("Status")) else { continue };
        let recipient = field("Final-Recipient")
            .or_else(|| field("Original-Recipient"))
            .map(|r| r.split_once(';').map_or(r.clone(), |(_, a)| a.trim().to_string()))
            .unwrap_or_default();
        out.push(Status {
            recipient,
            action: action.to_ascii_lowercase(),
            status: status.split_whitespace().next().unwrap_or("").to_string(),
            diagnostic: field("Diagnostic-Code").map(|d| d.chars().take(300).collect()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DSN: &str = "From: MAILER-DAEMON@mx.test\r\nTo: desk+bounce-abc123@example.test\r\nSubject: Undelivered Mail\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry.\r\n\
--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.test\r\n\r\n\
Final-Recipient: rfc822; jane@nowhere.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n user unknown\r\n\r\n\
--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: desk@example.test\r\nMessage-ID: <act-xyz.n1@example.test>\r\nSubject: Activate\r\n\r\n\
--B--\r\n";

    #[test]
    fn reads_a_permanent_failure() {
        let desk = EmailAddress::parse("desk@example.test").unwrap();
        let rcpt = vec![EmailAddress::parse("desk+bounce-abc123@example.test").unwrap()];
        let dsn = parse(DSN.as_bytes(), &rcpt, &desk);
        assert_eq!(dsn.verp_id.as_deref(), Some("abc123"));
        assert_eq!(dsn.original_message_id.as_deref(), Some("act-xyz.n1@example.test"));
        assert_eq!(dsn.statuses.len(), 1);
        assert_eq!(dsn.statuses[0].recipient, "jane@nowhere.test");
        assert!(dsn.is_permanent());
        assert!(dsn.summary().contains("user unknown"), "{}", dsn.summary());
    }

    #[test]
    fn a_delay_is_not_permanent() {
        let delayed = DSN.replace("Action: failed", "Action: delayed").replace("Status: 5.1.1", "Status: 4.4.1");
        let desk = EmailAddress::parse("desk@example.test").unwrap();
        assert!(!parse(delayed.as_bytes(), &[], &desk).is_permanent());
    }
}
