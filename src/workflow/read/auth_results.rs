//! `Authentication-Results` (RFC 8601): the DMARC result that our own receiving server wrote, and nobody else's.
//!
//! Anyone can write an `Authentication-Results` header into a mail. Only the
//! topmost one carrying the configured authserv-id (`security.authserv_id`)
//! is read: our server adds its own above everything the sender wrote (and
//! should strip forged ones with its id). Headers of other ids are ignored.

/// A `dmarc=` result (RFC 7489 §11.2), lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dmarc {
    Pass,
    Fail,
    None,
    /// `temperror`, `permerror`, `policy`, … : behave as without a result.
    Other(String),
}

impl Dmarc {
    fn parse(word: &str) -> Dmarc {
        match word {
            "pass" => Dmarc::Pass,
            "fail" => Dmarc::Fail,
            "none" => Dmarc::None,
            other => Dmarc::Other(other.to_string()),
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

/// What the desk knows of a mail's DMARC standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DmarcVerdict {
    /// `security.authserv_id` is not set: nothing is read.
    NotChecked,
    /// No `Authentication-Results` of ours, or ours without a `dmarc` result.
    NoResult {
        authserv_id: String,
    },
    Checked {
        result: Dmarc,
        authserv_id: String,
    },
}

impl DmarcVerdict {
    /// Reads the headers' values (topmost first) for `authserv_id`, if set.
    pub fn read<'a>(values: impl IntoIterator<Item = &'a str>, authserv_id: Option<&str>) -> DmarcVerdict {
        let Some(id) = authserv_id else {
            return DmarcVerdict::NotChecked;
        };
        let ours = values.into_iter().map(parse).find(|h| h.as_ref().is_some_and(|h| h.id.eq_ignore_ascii_case(id)));
        match ours.flatten().and_then(|h| h.dmarc) {
            Some(result) => DmarcVerdict::Checked { result, authserv_id: id.to_string() },
            None => DmarcVerdict::NoResult { authserv_id: id.to_string() },
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self, DmarcVerdict::Checked { result: Dmarc::Fail, .. })
    }

    /// One line for the history and `requests show`.
    pub fn describe(&self) -> String {
        match self {
            DmarcVerdict::NotChecked => "DMARC not checked (security.authserv_id unset)".into(),
            DmarcVerdict::NoResult { authserv_id } => format!("no DMARC result from {authserv_id}"),
            DmarcVerdict::Checked { result, authserv_id } => format!("dmarc={} by {authserv_id}", result.as_str()),
        }
    }
}

/// One header: its authserv-id and its DMARC result, if it has one.
#[derive(Debug, PartialEq)]
struct Header {
    id: String,
    dmarc: Option<Dmarc>,
}

/// The header's authserv-id and `dmarc` result; `None` when it has no id.
/// Several `dmarc` results (several From domains): a `fail` among them wins.
fn parse(value: &str) -> Option<Header> {
    let text = without_comments(value);
    let mut parts = split_outside_quotes(&text, ';').into_iter();
    let id = unquote(parts.next()?.split_whitespace().next()?);
    if id.is_empty() {
        return None;
    }
    let mut dmarc: Option<Dmarc> = None;
    for part in parts {
        let Some((method, rest)) = part.split_once('=') else { continue };
        // method [ "/" version ]
        let method = method.trim().split('/').next().unwrap_or("").trim().to_ascii_lowercase();
        if method != "dmarc" {
            continue;
        }
        let Some(word) = rest.split_whitespace().next() else { continue };
        let result = Dmarc::parse(&word.to_ascii_lowercase());
        if dmarc.as_ref() != Some(&Dmarc::Fail) && (dmarc.is_none() || result == Dmarc::Fail) {
            dmarc = Some(result);
        }
    }
    Some(Header { id, dmarc })
}

/// Comments (nested, with quoted-pairs) become a space; quoted strings are
/// kept; folding and tabs become spaces.
fn without_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in value.chars() {
        let c = if c.is_control() { ' ' } else { c };
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
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn unquote(word: &str) -> String {
    match word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(headers: &[&str]) -> DmarcVerdict {
        DmarcVerdict::read(headers.iter().copied(), Some("mx.example.test"))
    }

    fn checked(result: Dmarc) -> DmarcVerdict {
        DmarcVerdict::Checked { result, authserv_id: "mx.example.test".into() }
    }

    #[test]
    fn a_plain_result_of_our_server_is_read() {
        assert_eq!(verdict(&["mx.example.test; dmarc=fail header.from=partner.test"]), checked(Dmarc::Fail));
        assert_eq!(verdict(&["MX.Example.Test; DMARC=Pass header.from=partner.test"]), checked(Dmarc::Pass));
        assert_eq!(verdict(&["mx.example.test 1; spf=pass smtp.mailfrom=a@b; dmarc=none"]), checked(Dmarc::None));
    }

    #[test]
    fn headers_of_other_servers_are_ignored_whatever_they_say() {
        let v = verdict(&["evil.test; dmarc=pass", "mx.example.test; dmarc=fail"]);
        assert_eq!(v, checked(Dmarc::Fail));
        let v = verdict(&["mx.example.test.evil.test; dmarc=fail"]);
        assert!(matches!(v, DmarcVerdict::NoResult { .. }), "{v:?}");
    }

    #[test]
    fn only_the_topmost_header_of_ours_counts() {
        // A sender can write one with our id below the one our server adds.
        assert_eq!(verdict(&["mx.example.test; dmarc=fail", "mx.example.test; dmarc=pass"]), checked(Dmarc::Fail));
        let v = verdict(&["mx.example.test; spf=pass smtp.mailfrom=x@y", "mx.example.test; dmarc=fail"]);
        assert!(matches!(v, DmarcVerdict::NoResult { .. }), "the topmost of ours has no dmarc result: {v:?}");
    }

    #[test]
    fn comments_are_not_results() {
        let v = verdict(&["mx.example.test (dmarc=fail; no really) ; dmarc=pass (p=reject dis=none) header.from=x"]);
        assert_eq!(v, checked(Dmarc::Pass));
        let v = verdict(&["mx.example.test; dmarc=(nested (comment)) fail header.from=x"]);
        assert_eq!(v, checked(Dmarc::Fail));
        let v = verdict(&["(a comment first) mx.example.test; dmarc = fail"]);
        assert_eq!(v, checked(Dmarc::Fail));
    }

    #[test]
    fn quoted_strings_may_hold_semicolons_and_parentheses() {
        let v = verdict(&["mx.example.test; dkim=pass header.b=\"a;(b\"; dmarc=fail header.from=x"]);
        assert_eq!(v, checked(Dmarc::Fail));
    }

    #[test]
    fn folded_headers_and_several_results_read_as_one() {
        let v = verdict(&[
            "mx.example.test;\r\n\tspf=pass smtp.mailfrom=a@partner.test;\r\n\tdkim=pass header.d=partner.test;\r\n\tdmarc=pass header.from=partner.test",
        ]);
        assert_eq!(v, checked(Dmarc::Pass));
        let v = verdict(&["mx.example.test; dmarc=pass header.from=a.test; dmarc=fail header.from=b.test"]);
        assert_eq!(v, checked(Dmarc::Fail), "a fail among several results wins");
        assert_eq!(verdict(&["mx.example.test; dmarc/1=temperror"]), checked(Dmarc::Other("temperror".into())));
    }

    #[test]
    fn no_result_and_no_setting() {
        assert!(matches!(verdict(&["mx.example.test; none"]), DmarcVerdict::NoResult { .. }));
        assert!(matches!(verdict(&[]), DmarcVerdict::NoResult { .. }));
        assert_eq!(DmarcVerdict::read(["mx.example.test; dmarc=fail"], None), DmarcVerdict::NotChecked);
    }

    #[test]
    fn hostile_input_never_panics() {
        for h in [
            "",
            ";",
            "\"",
            "(",
            ")",
            "\\",
            "x; dmarc",
            "x; =",
            "x; dmarc=",
            "é; dmarc=fail",
            "\"unterminated; dmarc=fail",
        ] {
            let _ = verdict(&[h]);
        }
        assert_eq!(verdict(&["\"mx.example.test\"; dmarc=fail"]), checked(Dmarc::Fail));
    }
}
