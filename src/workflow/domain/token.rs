//! `Token` and `Key`: the secret in a reply address that binds a reply to one step of one request.
use std::fmt;

use sha2::{Digest, Sha256};

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// 128 bits in lower-case base32 without padding.
const TOKEN_LEN: usize = 26;

/// The step a token authorises: answering the review (partner) or the activation (customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Review,
    Activation,
}

impl Step {
    pub fn prefix(self) -> &'static str {
        match self {
            Step::Review => "rev",
            Step::Activation => "act",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Step::Review => "review",
            Step::Activation => "activation",
        }
    }

    pub fn parse_prefix(s: &str) -> Option<Step> {
        match s {
            "rev" => Some(Step::Review),
            "act" => Some(Step::Activation),
            _ => None,
        }
    }
}

/// 128 bits, from the OS CSPRNG or derived from the service's secret
/// (`Key::derive`). Lookups go by its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        Self(base32(&bytes))
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.to_ascii_lowercase();
        (s.len() == TOKEN_LEN && s.bytes().all(|b| BASE32.contains(&b))).then_some(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// A step and its token, as written in a plus tag (`act-<token>`) or at the
/// start of a Message-ID's local part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub step: Step,
    pub token: Token,
}

impl Key {
    /// The key of one step of one request: HMAC-SHA256 of the service's
    /// secret over `step:reference`, cut to 128 bits. The same request and
    /// step always give the same key, so a reminder repeats the activation
    /// email's reply address; without the secret it cannot be guessed.
    pub fn derive(secret: &[u8], step: Step, reference: &super::Reference) -> Self {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(step.prefix().as_bytes());
        mac.update(b":");
        mac.update(reference.as_str().as_bytes());
        let digest = mac.finalize().into_bytes();
        Self { step, token: Token(base32(&digest[..16])) }
    }

    pub fn new(step: Step) -> Self {
        Self { step, token: Token::generate() }
    }

    pub fn tag(&self) -> String {
        format!("{}-{}", self.step.prefix(), self.token.as_str())
    }

    /// Reads `rev-<token>` / `act-<token>` at the start of `s` (case-insensitive);
    /// anything after the token must not continue it.
    pub fn parse_prefix(s: &str) -> Option<Key> {
        let s = s.trim();
        let (prefix, rest) = s.split_once('-')?;
        let step = Step::parse_prefix(&prefix.to_ascii_lowercase())?;
        let token = rest.get(..TOKEN_LEN)?;
        if rest[TOKEN_LEN..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some(Key { step, token: Token::parse(token)? })
    }
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0);
    for &b in bytes {
        buf = (buf << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_26_lowercase_base32_characters() {
        let t = Token::generate();
        assert_eq!(t.as_str().len(), 26);
        assert_eq!(Token::parse(&t.as_str().to_uppercase()), Some(t.clone()));
        assert_ne!(Token::generate(), t);
    }

    #[test]
    fn derived_keys_are_stable_per_step_and_secret() {
        let r = super::super::Reference::parse("SA-7K3QX9PD").unwrap();
        let a = Key::derive(b"secret-one", Step::Activation, &r);
        assert_eq!(a, Key::derive(b"secret-one", Step::Activation, &r));
        assert_ne!(a.token, Key::derive(b"secret-one", Step::Review, &r).token);
        assert_ne!(a, Key::derive(b"secret-two", Step::Activation, &r));
        assert_eq!(a.token.as_str().len(), 26);
    }

    #[test]
    fn keys_round_trip_through_tags_and_message_ids() {
        let k = Key::new(Step::Activation);
        assert_eq!(Key::parse_prefix(&k.tag()), Some(k.clone()));
        assert_eq!(Key::parse_prefix(&format!("{}.x1y2@example.test", k.tag().to_uppercase())), Some(k));
        assert_eq!(Key::parse_prefix("bounce-abc"), None);
        assert_eq!(Key::parse_prefix("act-short"), None);
    }
}
