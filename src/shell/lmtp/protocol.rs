//! The LMTP conversation (RFC 2033) as a pure state machine: a command line in, what to answer out. No I/O.
//!
//! The server (`super::server`) reads lines and the message, and asks the
//! intake to decide and commit; this module only says what each command
//! means here: LHLO with PIPELINING, 8BITMIME, SIZE and ENHANCEDSTATUSCODES,
//! RCPT only for the desk's address and its plus tags, DATA once there is a
//! recipient. One reply per recipient after DATA is the server's (it knows
//! when the decision is committed).
use crate::domain::EmailAddress;

/// What the server does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Send this reply (one or more lines, each ending CRLF).
    Reply(String),
    /// Send `354`, then read the message up to the lone dot; `recipients` get one reply each.
    Data { recipients: usize },
    /// Send this reply and close the connection.
    Close(String),
}

/// One LMTP session's state: who it greeted, and the transaction in progress.
#[derive(Debug, Clone)]
pub struct Session {
    host: String,
    desk: EmailAddress,
    max_bytes: u64,
    greeted: bool,
    mail: bool,
    recipients: Vec<EmailAddress>,
}

impl Session {
    /// `host` names the server in its replies; `max_bytes` is the SIZE it announces and enforces.
    pub fn new(host: &str, desk: &EmailAddress, max_bytes: u64) -> Session {
        Session {
            host: host.to_string(),
            desk: desk.clone(),
            max_bytes,
            greeted: false,
            mail: false,
            recipients: Vec::new(),
        }
    }

    pub fn greeting(&self) -> String {
        format!("220 {} LMTP smartacct ready\r\n", self.host)
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The recipients of the message being read, in the order they were accepted.
    pub fn recipients(&self) -> &[EmailAddress] {
        &self.recipients
    }

    /// After the message's replies: ready for the next transaction (RFC 5321 §4.1.1.4).
    pub fn finish_transaction(&mut self) {
        self.mail = false;
        self.recipients.clear();
    }

    /// One command line (without its CRLF).
    pub fn command(&mut self, line: &str) -> Next {
        let (verb, rest) = match line.split_once(' ') {
            Some((v, r)) => (v, r.trim()),
            None => (line.trim(), ""),
        };
        let reply = |s: &str| Next::Reply(format!("{s}\r\n"));
        match verb.to_ascii_uppercase().as_str() {
            "LHLO" if rest.is_empty() => reply("501 5.5.4 LHLO needs a host name"),
            "LHLO" => {
                self.greeted = true;
                self.finish_transaction();
                Next::Reply(format!(
                    "250-{}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE {}\r\n250 ENHANCEDSTATUSCODES\r\n",
                    self.host, self.max_bytes
                ))
            }
            "HELO" | "EHLO" => reply("500 5.5.1 this is LMTP: say LHLO"),
            _ if !self.greeted && !matches!(verb.to_ascii_uppercase().as_str(), "QUIT" | "NOOP" | "RSET") => {
                reply("503 5.5.1 say LHLO first")
            }
            "MAIL" => self.mail_from(rest),
            "RCPT" => self.rcpt_to(rest),
            "DATA" if !self.mail => reply("503 5.5.1 MAIL first"),
            "DATA" if self.recipients.is_empty() => reply("503 5.5.1 no valid recipients"),
            "DATA" => Next::Data { recipients: self.recipients.len() },
            "RSET" => {
                self.finish_transaction();
                reply("250 2.0.0 OK")
            }
            "NOOP" => reply("250 2.0.0 OK"),
            "VRFY" => reply("252 2.5.0 cannot verify; send it and see"),
            "QUIT" => Next::Close(format!("221 2.0.0 {} closing\r\n", self.host)),
            _ => reply("500 5.5.2 command not recognized"),
        }
    }

    fn mail_from(&mut self, rest: &str) -> Next {
        let reply = |s: &str| Next::Reply(format!("{s}\r\n"));
        if self.mail {
            return reply("503 5.5.1 MAIL already given");
        }
        let Some(args) = strip_prefix_ci(rest, "FROM:") else {
            return reply("501 5.5.4 syntax: MAIL FROM:<address>");
        };
        let Some((_, params)) = path(args) else {
            return reply("501 5.1.7 syntax: MAIL FROM:<address>");
        };
        for p in params.split_whitespace() {
            let (key, value) = p.split_once('=').unwrap_or((p, ""));
            if key.eq_ignore_ascii_case("SIZE") {
                match value.parse::<u64>() {
                    Ok(n) if n > self.max_bytes => {
                        return Next::Reply(format!(
                            "552 5.3.4 message too big: this desk takes at most {} bytes\r\n",
                            self.max_bytes
                        ));
                    }
                    Ok(_) => {}
                    Err(_) => return reply("501 5.5.4 SIZE needs a number"),
                }
            }
        }
        self.mail = true;
        reply("250 2.1.0 OK")
    }

    fn rcpt_to(&mut self, rest: &str) -> Next {
        let reply = |s: &str| Next::Reply(format!("{s}\r\n"));
        if !self.mail {
            return reply("503 5.5.1 MAIL first");
        }
        let Some(args) = strip_prefix_ci(rest, "TO:") else {
            return reply("501 5.5.4 syntax: RCPT TO:<address>");
        };
        let Some((address, _)) = path(args) else {
            return reply("501 5.1.3 syntax: RCPT TO:<address>");
        };
        match EmailAddress::parse(address) {
            Ok(a) if a.same_mailbox(&self.desk) => {
                if self.recipients.len() >= 100 {
                    return reply("452 4.5.3 too many recipients");
                }
                self.recipients.push(a);
                reply("250 2.1.5 OK")
            }
            _ => Next::Reply(format!("550 5.1.1 <{address}>: no such mailbox here\r\n")),
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| s[prefix.len()..].trim_start())
}

/// `<address> params`: the address between the brackets, and what follows.
fn path(args: &str) -> Option<(&str, &str)> {
    let args = args.trim_start();
    let inner = args.strip_prefix('<')?;
    let end = inner.find('>')?;
    Some((&inner[..end], &inner[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new("desk.example.test", &EmailAddress::parse("desk@example.test").unwrap(), 1000)
    }

    fn reply(n: Next) -> String {
        match n {
            Next::Reply(s) | Next::Close(s) => s,
            Next::Data { recipients } => format!("DATA for {recipients}"),
        }
    }

    #[test]
    fn lhlo_announces_pipelining_8bitmime_size_and_enhanced_status_codes() {
        let mut s = session();
        let r = reply(s.command("LHLO mx.example.test"));
        for ext in ["PIPELINING", "8BITMIME", "SIZE 1000", "ENHANCEDSTATUSCODES"] {
            assert!(r.contains(ext), "{r}");
        }
        assert!(r.ends_with("250 ENHANCEDSTATUSCODES\r\n"), "{r}");
        assert!(reply(session().command("EHLO x")).starts_with("500 5.5.1"));
        assert!(reply(session().command("MAIL FROM:<a@b.test>")).starts_with("503"));
    }

    #[test]
    fn only_the_desk_and_its_plus_tags_are_recipients() {
        let mut s = session();
        s.command("LHLO mx");
        assert!(reply(s.command("MAIL FROM:<p@partner.test> SIZE=10 BODY=8BITMIME")).starts_with("250 2.1.0"));
        assert!(reply(s.command("RCPT TO:<desk@example.test>")).starts_with("250 2.1.5"));
        assert!(reply(s.command("rcpt to:<Desk+act-abc@Example.Test>")).starts_with("250 2.1.5"));
        assert!(reply(s.command("RCPT TO:<other@example.test>")).starts_with("550 5.1.1"));
        assert!(reply(s.command("RCPT TO:<desk@elsewhere.test>")).starts_with("550 5.1.1"));
        assert!(reply(s.command("RCPT TO:desk@example.test")).starts_with("501"));
        assert_eq!(s.command("DATA"), Next::Data { recipients: 2 });
        assert_eq!(s.recipients().len(), 2);
        s.finish_transaction();
        assert!(reply(s.command("DATA")).starts_with("503"));
    }

    #[test]
    fn a_size_over_the_limit_is_refused_at_mail_and_data_needs_a_recipient() {
        let mut s = session();
        s.command("LHLO mx");
        assert!(reply(s.command("MAIL FROM:<p@partner.test> SIZE=1001")).starts_with("552 5.3.4"));
        assert!(reply(s.command("MAIL FROM:<>")).starts_with("250"), "bounces have an empty sender");
        assert!(reply(s.command("DATA")).starts_with("503 5.5.1 no valid recipients"));
        assert!(reply(s.command("RSET")).starts_with("250"));
        assert!(matches!(s.command("QUIT"), Next::Close(_)));
    }

    #[test]
    fn garbage_never_panics() {
        let mut s = session();
        for line in ["", " ", "MAIL", "MAIL FROM:", "RCPT TO:<", "LHLO", "é", "RCPT TO:<>", "MAIL FROM:<x> SIZE=x"] {
            let _ = s.command(line);
        }
    }
}
