//! Signed session cookies and CSRF tokens: HMAC-SHA256 under the console's key (kept in the database).
//!
//! A session is its cookie: the operator's name, when it ends, a random id
//! and a tag of the password hash it was opened with, signed. Nothing is kept
//! on the server, so every process of a desk accepts it; a changed password
//! (or a user removed from the file) ends it at the next request, since the
//! file is read again each time.
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The cookie's name.
pub const COOKIE: &str = "smartacct_console";

/// An open session, as its cookie carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub name: String,
    /// Random, 128 bits: what the CSRF token is made from.
    pub id: String,
    /// Unix time after which the cookie is refused.
    pub expires: i64,
    /// Which password hash it was opened with (see `password_tag`).
    pub tag: String,
}

fn mac(key: &[u8], purpose: &str, data: &str) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    m.update(purpose.as_bytes());
    m.update(b"\n");
    m.update(data.as_bytes());
    m
}

/// A new session id from the OS CSPRNG.
pub fn new_id() -> String {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).expect("the OS random source works");
    B64.encode(id)
}

/// A short fingerprint of a password hash: a session opened with an older password no longer matches.
pub fn password_tag(hash: &str) -> String {
    B64.encode(&Sha256::digest(hash.as_bytes())[..9])
}

/// The cookie value: the session, and its signature.
pub fn seal(key: &[u8], s: &Session) -> String {
    let payload = format!("v1|{}|{}|{}|{}", s.name, s.expires, s.id, s.tag);
    let sig = mac(key, "session", &payload).finalize().into_bytes();
    format!("{}.{}", B64.encode(payload), B64.encode(sig))
}

/// The session a cookie value carries, if its signature holds and it has not ended by `now` (Unix time).
pub fn open(key: &[u8], value: &str, now: i64) -> Option<Session> {
    let (payload, sig) = value.split_once('.')?;
    let payload = String::from_utf8(B64.decode(payload).ok()?).ok()?;
    let sig = B64.decode(sig).ok()?;
    mac(key, "session", &payload).verify_slice(&sig).ok()?;
    let mut parts = payload.split('|');
    if parts.next()? != "v1" {
        return None;
    }
    let (name, expires, id, tag) = (parts.next()?, parts.next()?.parse().ok()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || now >= expires {
        return None;
    }
    Some(Session { name: name.into(), id: id.into(), expires, tag: tag.into() })
}

/// The CSRF token of a session's forms: an HMAC of its id (a proxy-named operator's: of the name).
pub fn csrf(key: &[u8], session_id: &str) -> String {
    B64.encode(mac(key, "csrf", session_id).finalize().into_bytes())
}

/// Whether `token` is the session's, compared in constant time.
pub fn csrf_ok(key: &[u8], session_id: &str, token: &str) -> bool {
    B64.decode(token.trim()).is_ok_and(|t| mac(key, "csrf", session_id).verify_slice(&t).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn alice() -> Session {
        Session { name: "alice".into(), id: new_id(), expires: 1_000_000, tag: password_tag("$argon2id$x") }
    }

    #[test]
    fn a_sealed_session_opens_with_its_key_until_it_ends() {
        let s = alice();
        let cookie = seal(KEY, &s);
        assert!(cookie.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "cookie-safe: {cookie}");
        assert_eq!(open(KEY, &cookie, 999_999), Some(s));
        assert_eq!(open(KEY, &cookie, 1_000_000), None, "ended");
        assert_eq!(open(b"another key of the same length!!", &cookie, 0), None);
    }

    #[test]
    fn a_session_changed_by_its_holder_is_refused() {
        let cookie = seal(KEY, &alice());
        let (payload, sig) = cookie.split_once('.').unwrap();
        let text = String::from_utf8(B64.decode(payload).unwrap()).unwrap();
        for forged in [text.replace("alice", "admin"), text.replace("1000000", "9999999999")] {
            assert_eq!(open(KEY, &format!("{}.{sig}", B64.encode(forged)), 0), None);
        }
        for junk in ["", ".", "x.y", &cookie[1..], &format!("{cookie}x")] {
            assert_eq!(open(KEY, junk, 0), None, "{junk}");
        }
    }

    #[test]
    fn a_csrf_token_belongs_to_one_session() {
        let (a, b) = (new_id(), new_id());
        let token = csrf(KEY, &a);
        assert!(csrf_ok(KEY, &a, &token));
        assert!(!csrf_ok(KEY, &b, &token));
        assert!(!csrf_ok(KEY, &a, ""));
        assert!(!csrf_ok(KEY, &a, &token[..token.len() - 2]));
        assert!(!csrf_ok(b"another key of the same length!!", &a, &token));
        assert_ne!(csrf(KEY, &a), seal(KEY, &alice()), "a token is never a session's signature");
    }

    #[test]
    fn a_new_password_has_a_new_tag() {
        assert_ne!(password_tag("$argon2id$one"), password_tag("$argon2id$two"));
        assert_eq!(password_tag("$argon2id$one"), password_tag("$argon2id$one"));
    }
}
