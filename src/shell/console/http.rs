//! HTTP for the console: answers with the security headers every response carries, who the client is
//! behind a trusted proxy, cookies, query strings and form bodies.
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Response, StatusCode};

use crate::configuration::Network;

pub type Answer = Response<Full<Bytes>>;

/// No script, no inline style, nothing from elsewhere, never in a frame.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// A form body larger than this is refused: the largest field is a cancel's reason.
pub const MAX_FORM: usize = 16 * 1024;
/// How long a client may take to send a form.
pub const FORM_WAIT: Duration = Duration::from_secs(10);

/// Every answer: the status, the body, and the headers that keep a browser from misusing it.
pub fn answer(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_static(content_type));
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    r
}

/// A page: HTML, never cached (it shows personal data), and different per language and operator.
pub fn html(status: StatusCode, body: String) -> Answer {
    let mut r = answer(status, "text/html; charset=utf-8", body);
    r.headers_mut().insert("cache-control", HeaderValue::from_static("no-store"));
    r.headers_mut().insert("vary", HeaderValue::from_static("Accept-Language, Cookie"));
    r
}

/// 303 See Other to a local path (the client's next request is a GET).
pub fn see_other(location: &str) -> Answer {
    let mut r = answer(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", format!("See {location}\n"));
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert("location", v);
    }
    r.headers_mut().insert("cache-control", HeaderValue::from_static("no-store"));
    r
}

pub fn with_header(mut r: Answer, name: &'static str, value: &str) -> Answer {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().append(name, v);
    }
    r
}

/// Who sent a request, as far as the console can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address: the peer's, or behind a trusted proxy the one it says it forwarded for.
    pub ip: IpAddr,
    /// The peer is one of `console.trusted_proxies`: its headers are believed.
    pub proxied: bool,
    /// The browser reached the proxy over TLS (`X-Forwarded-Proto: https`).
    pub tls: bool,
}

pub fn client(peer: SocketAddr, headers: &HeaderMap, trusted: &[Network]) -> Client {
    let proxied = trusted.iter().any(|n| n.contains(peer.ip()));
    if !proxied {
        return Client { ip: peer.ip(), proxied, tls: false };
    }
    // The proxy appends the address it saw: the last entry is the one it vouches for.
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .next_back();
    let tls = header(headers, "x-forwarded-proto").is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Client { ip: forwarded.unwrap_or(peer.ip()), proxied, tls }
}

pub fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A cookie's value from the `Cookie` headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// `key=value` pairs of a query string or a form body, decoded.
pub fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(encoded).into_owned().collect()
}

pub fn value<'p>(pairs: &'p [(String, String)], key: &str) -> Option<&'p str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Why a form body was not read.
#[derive(Debug)]
pub enum FormError {
    TooLarge,
    Unreadable,
}

/// A form body (`application/x-www-form-urlencoded`), at most `MAX_FORM` bytes, within `FORM_WAIT`.
pub async fn read_form(body: Incoming) -> Result<Vec<(String, String)>, FormError> {
    let collected = tokio::time::timeout(FORM_WAIT, Limited::new(body, MAX_FORM).collect()).await;
    match collected {
        Ok(Ok(c)) => Ok(pairs(&c.to_bytes())),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(FormError::TooLarge),
        _ => Err(FormError::Unreadable),
    }
}

/// Where to go back to after signing in: only a path of this console, never
/// another site (`//evil.example`, `/\evil.example`, a scheme) nor the sign-in itself.
pub fn local_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2000
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !next.starts_with("/login")
        && !next.starts_with("/logout");
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn every_answer_carries_the_security_headers() {
        for r in [answer(StatusCode::OK, "text/css", "x"), html(StatusCode::FORBIDDEN, "x".into()), see_other("/")] {
            let h = r.headers();
            assert_eq!(h["content-security-policy"], CSP);
            assert_eq!(h["x-frame-options"], "DENY");
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(h["referrer-policy"], "no-referrer");
        }
    }

    #[test]
    fn a_proxys_headers_are_believed_only_from_a_trusted_address() {
        let trusted = [Network::parse("10.0.0.1").unwrap()];
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 198.51.100.4"), ("x-forwarded-proto", "https")]);
        let c = client("10.0.0.1:4000".parse().unwrap(), &h, &trusted);
        assert_eq!(c, Client { ip: "198.51.100.4".parse().unwrap(), proxied: true, tls: true });
        let c = client("10.0.0.2:4000".parse().unwrap(), &h, &trusted);
        assert_eq!(c, Client { ip: "10.0.0.2".parse().unwrap(), proxied: false, tls: false });
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let h = headers(&[("cookie", "a=1; smartacct_console=abc.def"), ("cookie", "b=2")]);
        assert_eq!(cookie(&h, "smartacct_console"), Some("abc.def"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn only_a_local_path_is_a_place_to_go_back_to() {
        for ok in ["/", "/requests?q=acme.example&state=active", "/requests/SA-7K3QX9PD"] {
            assert_eq!(local_next(ok), Some(ok));
        }
        for bad in
            ["https://evil.example/", "//evil.example", "/\\evil.example", "evil", "", "/login?next=/", "/a\r\nb"]
        {
            assert_eq!(local_next(bad), None, "{bad:?}");
        }
    }
}
