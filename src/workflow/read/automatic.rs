//! Is this mail automatic (RFC 3834, SPEC §4)? Automatic mail is never answered.
use super::Mail;
use crate::domain::EmailAddress;

pub const LOOP_HEADER: &str = "X-Smartacct-Loop";

/// The reason a message must not be answered, or `None` for a person's mail.
/// `desk` is the desk's own address; `own_id` says whether a Message-ID is one
/// smartacct issued (the caller knows its outbox).
pub fn reason(mail: &Mail, desk: &EmailAddress, own_id: bool) -> Option<String> {
    let header = |name: &str| mail.header_values(name).map(|v| v.trim().to_ascii_lowercase()).collect::<Vec<_>>();
    if header(LOOP_HEADER).iter().any(|v| v == desk.as_str()) {
        return Some("carries our loop header".into());
    }
    // Another desk (or another instance of this one) answered: two desks
    // must never answer each other.
    if !header(LOOP_HEADER).is_empty() {
        return Some("carries another desk's loop header".into());
    }
    if own_id {
        return Some("its Message-ID is one the desk issued".into());
    }
    if let Some(from) = &mail.from {
        if from.same_mailbox(desk) {
            return Some("sent from the desk's own address".into());
        }
        let local = from.split_plus().0;
        if ["mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply", "donotreply"].contains(&local) {
            return Some(format!("sender {local} is automatic"));
        }
    }
    if header("auto-submitted").iter().any(|v| !v.is_empty() && v.split(';').next().map(str::trim) != Some("no")) {
        return Some("Auto-Submitted".into());
    }
    if header("precedence").iter().any(|v| ["bulk", "junk", "list", "auto_reply"].contains(&v.as_str())) {
        return Some("Precedence".into());
    }
    if header("x-autoreply").iter().any(|v| v == "yes") || !header("x-autorespond").is_empty() {
        return Some("X-Autoreply".into());
    }
    if header("x-auto-response-suppress").iter().any(|v| v.split([',', ' ']).any(|p| p.trim() == "all")) {
        return Some("X-Auto-Response-Suppress: All".into());
    }
    if let Some((name, _)) = mail.headers.iter().find(|(n, _)| n.starts_with("list-")) {
        return Some(format!("mailing-list header {name}"));
    }
    if mail.return_path_empty {
        return Some("empty Return-Path".into());
    }
    if let Some(prefix) = auto_reply_subject(&mail.subject) {
        return Some(format!("subject {prefix:?} is an auto-responder's"));
    }
    if mail.from.is_none() {
        return Some("no usable From address".into());
    }
    None
}

/// Subjects that out-of-office responders write when they set no header.
const AUTO_REPLY_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "auto:",
    "reponse automatique",
    "absence",
    "abwesenheitsnotiz",
    "automatische antwort",
];

/// The auto-responder prefix a subject opens with, if any.
fn auto_reply_subject(subject: &str) -> Option<&'static str> {
    let folded = super::text::fold(subject.trim());
    let folded = folded.trim_start_matches(|c: char| c == '[' || c.is_whitespace());
    AUTO_REPLY_SUBJECTS
        .iter()
        .copied()
        .find(|p| folded.starts_with(p) && !folded[p.len()..].starts_with(|c: char| c.is_alphanumeric()))
}

/// A delivery status notification (`multipart/report; report-type=delivery-status`).
pub fn is_bounce(mail: &Mail) -> bool {
    mail.content_type == "multipart/report" && mail.report_type.as_deref() == Some("delivery-status")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(headers: &str) -> Mail {
        Mail::parse(
            format!("From: Bob <bob@partner.test>\r\nMessage-ID: <x@p.test>\r\n{headers}Subject: hi\r\n\r\nbody\r\n")
                .as_bytes(),
        )
    }

    #[test]
    fn each_automatic_marker_is_recognised() {
        let desk = EmailAddress::parse("desk@example.test").unwrap();
        for h in [
            "Auto-Submitted: auto-replied\r\n",
            "Precedence: bulk\r\n",
            "Precedence: auto_reply\r\n",
            "X-Autoreply: yes\r\n",
            "X-Auto-Response-Suppress: DR, All\r\n",
            "List-Id: <list.example>\r\n",
            "List-Unsubscribe: <mailto:x@y>\r\n",
            "Return-Path: <>\r\n",
            "X-Smartacct-Loop: desk@example.test\r\n",
            "X-Smartacct-Loop: other-desk@elsewhere.test\r\n",
        ] {
            assert!(reason(&mail(h), &desk, false).is_some(), "{h}");
        }
        assert!(reason(&mail("Auto-Submitted: no\r\n"), &desk, false).is_none());
        for subject in
            ["Out of Office: Re: [SA-1]", "Automatic reply: x", "Réponse automatique : x", "Absence", "AUTO: away"]
        {
            let m = Mail::parse(format!("From: b@p.test\r\nSubject: {subject}\r\n\r\nx").as_bytes());
            assert!(reason(&m, &desk, false).is_some(), "{subject}");
        }
        for subject in ["Absences in the team", "Re: automatically renew?", "Smart Account request"] {
            let m = Mail::parse(format!("From: b@p.test\r\nSubject: {subject}\r\n\r\nx").as_bytes());
            assert!(reason(&m, &desk, false).is_none(), "{subject}");
        }
        assert!(reason(&mail(""), &desk, false).is_none());
        assert!(reason(&mail(""), &desk, true).is_some());
        let daemon = Mail::parse(b"From: MAILER-DAEMON@mx.test\r\n\r\nx");
        assert!(reason(&daemon, &desk, false).is_some());
        let own = Mail::parse(b"From: desk+bounce-x@example.test\r\n\r\nx");
        assert!(reason(&own, &desk, false).is_some());
    }
}
