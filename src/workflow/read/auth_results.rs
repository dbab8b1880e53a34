//! `Authentication-Results` (RFC 8601): the DMARC result that our own receiving server wrote, and nobody else's.
//!
//! Anyone can write an `Authentication-Results` header into a mail. Only our
//! own server's are read (`security.authserv_id`): the topmost header carrying
//! its authserv-id and the ones of that id directly below it (OpenDKIM and
//! OpenDMARC each write one, one above the other); our server adds them above
//! everything the sender wrote. Microsoft 365 writes its header without an
//! authserv-id: with `authserv_id = "microsoft365"` the topmost header in that
//! form is the trusted one.
//!
//! The reading never guesses in the sender's favour: a trusted header that
//! does not parse is `Unreadable` (a fail, never "no result"), a `fail` among
//! several results wins, and a `dmarc=fail` anywhere in a trusted header's
//! text (inside a comment or a quoted string that text the sender controls
//! may have opened or closed) is a fail whatever the parse made of the rest.
use super::Mail;
use crate::domain::EmailAddress;

/// Whose `Authentication-Results` the desk trusts (`security.authserv_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustedServer {
    /// The topmost headers that carry this authserv-id (our MTA, or `mx.google.com`).
    Id(String),
    /// Exchange Online: the topmost header, written without an authserv-id.
    Microsoft365,
}

impl TrustedServer {
    /// The name a verdict gives the server, in the history and `requests show`.
    pub fn name(&self) -> &str {
        match self {
            TrustedServer::Id(id) => id,
            TrustedServer::Microsoft365 => "Microsoft 365",
        }
    }
}

/// What the desk does with the verdict (`security.dmarc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DmarcPolicy {
    /// A form or command whose From fails DMARC (or whose trusted header is unreadable) is refused.
    #[default]
    RefuseFail,
    /// Anything but a pass is refused.
    RequirePass,
    /// Read and recorded, never refused.
    Off,
}

impl DmarcPolicy {
    pub const CHOICES: &[(&str, DmarcPolicy)] = &[
        ("refuse-fail", DmarcPolicy::RefuseFail),
        ("require-pass", DmarcPolicy::RequirePass),
        ("off", DmarcPolicy::Off),
    ];
}

/// A `dmarc=` result (RFC 7489 §11.2), lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dmarc {
    Pass,
    Fail,
    None,
    /// `temperror`, `permerror`, `policy`, Microsoft's `bestguesspass`, … : not a pass, not a fail.
    Other(String),
}

impl Dmarc {
    fn parse(word: &str) -> Dmarc {
        match word.to_ascii_lowercase().as_str() {
            "pass" => Dmarc::Pass,
            "fail" => Dmarc::Fail,
            "none" => Dmarc::None,
            other => Dmarc::Other(other.chars().take(40).collect()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Dmarc::Pass => "pass",
            Dmarc::Fail => "fail",
            Dmarc::None => "none",
            Dmarc::Other(w) => w,
        }
    }
}

/// What the trusted server's headers say of a mail's DMARC standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DmarcVerdict {
    /// `security.authserv_id` is not set: nothing is read.
    NotChecked,
    /// No header of the trusted server, or one without a `dmarc` result.
    NoResult {
        by: String,
    },
    Checked {
        result: Dmarc,
        by: String,
    },
    /// A header of the trusted server that cannot be read: counted as a fail.
    Unreadable {
        by: String,
        why: String,
    },
}

/// The desk's own DKIM and DMARC check over DNS (`security.verify_dkim`),
/// made by the shell before the decision: a fail counts as a DMARC fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnCheck {
    pub dmarc: Dmarc,
    /// What was found: the From domain's result and each signature's.
    pub detail: String,
}

/// One inbound mail's authentication, read once: what the trusted server
/// said of its From, the desk's own check, and the address its sender proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    pub dmarc: DmarcVerdict,
    pub own: Option<OwnCheck>,
    /// The envelope sender (the topmost Return-Path), when the trusted server's
    /// SPF passed for it: the one address an answer to a refused mail may go to.
    pub proven: Option<EmailAddress>,
}

impl Authentication {
    pub fn read(mail: &Mail, trusted: Option<&TrustedServer>, own: Option<OwnCheck>) -> Authentication {
        let headers = mail.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        let from_domain = mail.from.as_ref().map(|a| a.domain());
        let (dmarc, spf_pass_from) = DmarcVerdict::read_for(headers, trusted, from_domain);
        let proven = mail.return_path.clone().filter(|rp| spf_pass_from.as_deref().is_some_and(|m| vouches_for(m, rp)));
        Authentication { dmarc, own, proven }
    }

    /// A fail from the trusted server (or its unreadable header), or from the desk's own check.
    pub fn failed(&self) -> bool {
        self.dmarc.failed() || self.own.as_ref().is_some_and(|o| o.dmarc == Dmarc::Fail)
    }

    /// A pass, and no fail from either source.
    pub fn passed(&self) -> bool {
        !self.failed() && (self.dmarc.passed() || self.own.as_ref().is_some_and(|o| o.dmarc == Dmarc::Pass))
    }

    /// Whether `policy` refuses a form or a command with this verdict.
    pub fn refused(&self, policy: DmarcPolicy) -> bool {
        let checked = self.dmarc != DmarcVerdict::NotChecked || self.own.is_some();
        match policy {
            DmarcPolicy::Off => false,
            DmarcPolicy::RefuseFail => self.failed(),
            DmarcPolicy::RequirePass => checked && !self.passed(),
        }
    }

    pub fn describe(&self) -> String {
        match (&self.dmarc, &self.own) {
            (_, None) => self.dmarc.describe(),
            (DmarcVerdict::NotChecked, Some(own)) => format!("own check: {}", own.detail),
            (header, Some(own)) => format!("{}; own check: {}", header.describe(), own.detail),
        }
    }
}

/// `smtp.mailfrom` names the envelope sender: the address itself (rspamd
/// quotes it whole), or (as Microsoft 365 and OpenDMARC write it) its domain.
fn vouches_for(mailfrom: &str, return_path: &EmailAddress) -> bool {
    let m = mailfrom.trim().trim_start_matches('<').trim_end_matches('>').trim_matches('"');
    match EmailAddress::parse(m) {
        Ok(a) => a == *return_path,
        Err(_) => !m.contains('@') && m.eq_ignore_ascii_case(return_path.domain()),
    }
}

/// `evaluated` (a result's `header.from`) is the From's domain or a parent of
/// it (rspamd names the organizational domain). Names that are not plain
/// ASCII are not compared: the two sides may spell an IDN differently.
fn same_or_parent(from: &str, evaluated: &str) -> bool {
    let evaluated = evaluated.trim().trim_matches('"').trim_end_matches('.').to_ascii_lowercase();
    if !from.is_ascii() || !evaluated.is_ascii() || evaluated.is_empty() {
        return true;
    }
    let from = from.to_ascii_lowercase();
    from == evaluated || from.ends_with(&format!(".{evaluated}"))
}

impl DmarcVerdict {
    /// Reads every header (name, value), topmost first, for the trusted server.
    pub fn read<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>, trusted: Option<&TrustedServer>) -> Self {
        Self::read_for(headers, trusted, None).0
    }

    /// As `read`, for a mail whose From has `from_domain` (a result for
    /// another domain is a fail), with the envelope sender the trusted
    /// server's SPF vouched for (its `smtp.mailfrom`), if it did so plainly.
    pub fn read_for<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        trusted: Option<&TrustedServer>,
        from_domain: Option<&str>,
    ) -> (Self, Option<String>) {
        let Some(trusted) = trusted else {
            return (DmarcVerdict::NotChecked, None);
        };
        let by = trusted.name().to_string();
        let block = trusted_block(headers, trusted);
        let mut dmarc: Option<Dmarc> = None;
        let mut spf: Vec<(String, Option<String>)> = Vec::new();
        for value in &block {
            if mentions_dmarc_fail(value) {
                dmarc = Some(Dmarc::Fail);
            }
            let results = match parse(value).1 {
                Ok(results) => results,
                Err(why) => return (DmarcVerdict::Unreadable { by, why }, None),
            };
            for r in results {
                match r.method.as_str() {
                    "dmarc" => {
                        let mut result = Dmarc::parse(&r.result);
                        if let (Some(from), Some(evaluated)) = (from_domain, r.property("header.from"))
                            && !same_or_parent(from, evaluated)
                        {
                            // A result about another domain than the From the desk acts on.
                            result = Dmarc::Fail;
                        }
                        // Several results (several From domains, several headers): a fail
                        // wins, then anything short of a pass; a pass needs every one to pass.
                        let keep = match (&dmarc, &result) {
                            (Some(Dmarc::Fail), _) => false,
                            (_, Dmarc::Fail) | (None, _) => true,
                            (Some(Dmarc::Pass), _) => true,
                            _ => false,
                        };
                        if keep {
                            dmarc = Some(result);
                        }
                    }
                    "spf" => spf.push((r.result.clone(), r.property("smtp.mailfrom").map(str::to_string))),
                    _ => {}
                }
            }
        }
        let verdict = match dmarc {
            Some(result) => DmarcVerdict::Checked { result, by },
            None => DmarcVerdict::NoResult { by },
        };
        // Proof only from one plain pass: any other SPF result, or passes for
        // two envelopes, proves nothing.
        let vouched = match spf.as_slice() {
            [(result, Some(mailfrom))] if result == "pass" => Some(mailfrom.clone()),
            _ => None,
        };
        (verdict, vouched)
    }

    /// A fail, or a trusted header that could not be read.
    pub fn failed(&self) -> bool {
        matches!(self, DmarcVerdict::Checked { result: Dmarc::Fail, .. } | DmarcVerdict::Unreadable { .. })
    }

    pub fn passed(&self) -> bool {
        matches!(self, DmarcVerdict::Checked { result: Dmarc::Pass, .. })
    }

    /// One line for the history and `requests show`.
    pub fn describe(&self) -> String {
        match self {
            DmarcVerdict::NotChecked => "DMARC not checked (security.authserv_id unset)".into(),
            DmarcVerdict::NoResult { by } => format!("no DMARC result from {by}"),
            DmarcVerdict::Checked { result, by } => format!("dmarc={} by {by}", result.as_str()),
            DmarcVerdict::Unreadable { by, why } => {
                format!("unreadable Authentication-Results from {by} ({why}), counted as dmarc=fail")
            }
        }
    }
}

/// The trusted server's headers: the topmost `Authentication-Results` that
/// is its, and those of its own right below it (no other header between). A
/// header whose authserv-id cannot be told (unparseable from the start) is
/// its when its text starts with the id. Microsoft 365: the topmost one only.
fn trusted_block<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>, trusted: &TrustedServer) -> Vec<&'a str> {
    let is_ours = |value: &str| match trusted {
        TrustedServer::Id(id) => match parse(value).0 {
            Some(Some(found)) => found.eq_ignore_ascii_case(id),
            Some(None) => false,
            None => starts_with_id(value, id),
        },
        // Exchange Online's form has no id: the first item is `method=result`
        // (and a header that cannot be read at all is taken as its, to be safe).
        TrustedServer::Microsoft365 => !matches!(parse(value).0, Some(Some(_))),
    };
    let mut block = Vec::new();
    for (name, value) in headers {
        // Below the Received our server wrote as it took the mail, every
        // header is the sender's: our results stand above it, or nowhere.
        if block.is_empty()
            && name.eq_ignore_ascii_case("received")
            && let TrustedServer::Id(id) = trusted
            && received_by(value, id)
        {
            break;
        }
        let ar = name.eq_ignore_ascii_case("authentication-results");
        if ar && is_ours(value) {
            block.push(value);
            if *trusted == TrustedServer::Microsoft365 {
                break;
            }
        } else if !block.is_empty() || (ar && *trusted == TrustedServer::Microsoft365) {
            // The end of our block; or, for Microsoft 365, a topmost header that is another server's.
            break;
        }
    }
    block
}

/// A `Received` header's `by` clause names `host`.
fn received_by(value: &str, host: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    words.windows(2).any(|w| w[0].eq_ignore_ascii_case("by") && w[1].trim_end_matches(';').eq_ignore_ascii_case(host))
}

fn starts_with_id(value: &str, id: &str) -> bool {
    let v = value.trim_start();
    v.len() >= id.len()
        && v.is_char_boundary(id.len())
        && v[..id.len()].eq_ignore_ascii_case(id)
        && v[id.len()..].chars().next().is_none_or(|c| c.is_whitespace() || c == ';' || c == '(')
}

/// Whether the text holds `dmarc=fail` (or `dmarc/1 = fail`) anywhere: in the
/// raw text, or once comments are taken out. Spaces never count.
fn mentions_dmarc_fail(value: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    [squeeze(value), squeeze(&without_comments(value))].iter().any(|text| {
        text.match_indices("dmarc").any(|(i, _)| {
            let rest = &text[i + 5..];
            let rest = match rest.strip_prefix('/') {
                Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
                None => rest,
            };
            rest.starts_with("=fail")
        })
    })
}

/// Comments removed (nested, quoted pairs and quoted strings inside them
/// skipped); an unclosed one runs to the end.
fn without_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' => {
                quoted = !quoted;
                if depth == 0 {
                    out.push(c);
                }
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// One `method=result` with its properties (`ptype.property=value`, or
/// Microsoft's `action=none`), names lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resinfo {
    pub method: String,
    pub result: String,
    pub props: Vec<(String, String)>,
}

impl Resinfo {
    fn property(&self, name: &str) -> Option<&str> {
        self.props.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The header's authserv-id and results. The id is `None` when the header
/// could not be read that far, `Some(None)` in Exchange Online's id-less form.
pub fn parse(value: &str) -> (Option<Option<String>>, Result<Vec<Resinfo>, String>) {
    let mut c = Cursor { chars: value.chars().collect(), at: 0 };
    if let Err(why) = c.cfws() {
        return (None, Err(why));
    }
    // Exchange Online's form: the first item is already `method=result`.
    let id_less = {
        let mut probe = Cursor { chars: c.chars.clone(), at: c.at };
        probe.word(false).is_ok_and(|w| !w.is_empty()) && probe.cfws().is_ok() && probe.peek() == Some('=')
    };
    let id = if id_less {
        None
    } else {
        match c.value() {
            Ok(id) if !id.is_empty() => Some(id),
            Ok(_) => return (None, Err("no authserv-id".into())),
            Err(why) => return (None, Err(why)),
        }
    };
    let results = c.results(id_less);
    (Some(id), results)
}

/// A reader over the header's characters (RFC 8601 §2.2, leniently: Microsoft's
/// property names without a type, quoted local parts in values and in comments).
struct Cursor {
    chars: Vec<char>,
    at: usize,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// Folding white space and comments (nested, with quoted pairs; a quoted
    /// string inside a comment is taken whole, as Gmail and rspamd write local parts there).
    fn cfws(&mut self) -> Result<(), String> {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => self.at += 1,
                Some('(') => self.comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn comment(&mut self) -> Result<(), String> {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            self.at += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                '\\' => self.at += 1,
                '"' => {
                    self.quoted_rest()?;
                }
                _ => {}
            }
        }
        Err("a comment is not closed".into())
    }

    /// After an opening quote: to the closing one.
    fn quoted_rest(&mut self) -> Result<String, String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.at += 1;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    out.extend(self.peek());
                    self.at += 1;
                }
                c => out.push(c),
            }
        }
        Err("a quoted string is not closed".into())
    }

    /// A run of characters up to white space, `;`, a comment, a quote (and
    /// `=` for a name).
    fn word(&mut self, in_value: bool) -> Result<String, String> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c.is_control() || matches!(c, ';' | '(' | ')') || (c == '=' && !in_value) {
                break;
            }
            if c == '"' {
                return Err("a quote inside a word".into());
            }
            self.at += 1;
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    /// A token, a quoted string, or a quoted local part with its `@domain`.
    fn value(&mut self) -> Result<String, String> {
        if self.peek() == Some('"') {
            self.at += 1;
            let mut v = self.quoted_rest()?;
            if self.peek() == Some('@') {
                v = format!("\"{v}\"{}", self.word(true)?);
            }
            return Ok(v);
        }
        self.word(true)
    }

    fn results(&mut self, id_less: bool) -> Result<Vec<Resinfo>, String> {
        let mut out = Vec::new();
        let mut first = true;
        loop {
            self.cfws()?;
            match self.peek() {
                None => return Ok(out),
                Some(';') => self.at += 1,
                // The version after the authserv-id (`mx.example.com 1;`).
                Some(c) if first && !id_less && c.is_ascii_digit() => {
                    self.word(false)?;
                    first = false;
                    continue;
                }
                Some(_) if first && id_less => {}
                Some(c) => return Err(format!("{c:?} where a `;` was expected")),
            }
            first = false;
            self.cfws()?;
            if self.peek().is_none() {
                return Ok(out); // a trailing `;`
            }
            let method = self.word(false)?.to_ascii_lowercase();
            self.cfws()?;
            if matches!(self.peek(), None | Some(';')) {
                // `none`, or a bare word such as the recipient domain Exchange
                // Online once wrote; never a bare `dmarc`.
                if method.contains("dmarc") {
                    return Err(format!("{method:?} without a result"));
                }
                continue;
            }
            if self.peek() == Some('/') {
                // `method / version`, comments and spaces around (RFC 8601 appendix B.7).
                self.at += 1;
                self.cfws()?;
                self.word(false)?;
                self.cfws()?;
            }
            let method = method.split('/').next().unwrap_or_default().trim().to_string();
            if method.is_empty() {
                return Err("a result without a method".into());
            }
            if self.peek() != Some('=') {
                return Err(format!("no `=` after the method {method:?}"));
            }
            self.at += 1;
            self.cfws()?;
            let result = self.word(false)?.to_ascii_lowercase();
            if result.is_empty() {
                return Err(format!("no result for {method:?}"));
            }
            let mut props = Vec::new();
            loop {
                self.cfws()?;
                if matches!(self.peek(), None | Some(';')) {
                    break;
                }
                let name = self.word(false)?.to_ascii_lowercase();
                self.cfws()?;
                if name.is_empty() {
                    return Err(format!("{:?} where a property of {method:?} was expected", self.peek()));
                }
                if self.peek() != Some('=') {
                    // A bare word: a token a server folded in two (Coremail), say.
                    continue;
                }
                self.at += 1;
                self.cfws()?;
                props.push((name, self.value()?));
            }
            out.push(Resinfo { method, result, props });
        }
    }
}

#[cfg(test)]
mod tests;
