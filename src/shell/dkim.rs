//! DKIM signing (RFC 6376, RFC 8463): the finished bytes of an email get a `DKIM-Signature`, relaxed/relaxed.
//!
//! The signature is computed over the exact bytes the outbox keeps and SMTP
//! sends, after composing is over: nothing changes them afterwards, so it
//! verifies at the recipient.
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

/// The headers signed when present. A name listed but absent is signed as
/// absent (RFC 6376 §5.4), so nobody can add it later without breaking the signature.
const SIGNED: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "reply-to",
    "in-reply-to",
    "references",
    "auto-submitted",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-language",
    "x-smartacct-loop",
];

/// RFC 8301: verifiers must refuse RSA keys under 1024 bits.
const MIN_RSA_BITS: usize = 1024;

/// A private key that can sign, read once from `dkim.private_key_file`.
pub enum DkimKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

// Never print key material, whatever the log level.
impl std::fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.algorithm())
    }
}

impl DkimKey {
    /// Reads RSA (PKCS#1 or PKCS#8 PEM) or Ed25519 (PKCS#8 PEM, or the 32
    /// raw bytes in base64); the message says what was found instead.
    pub fn parse(text: &str) -> Result<DkimKey, String> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::traits::PublicKeyParts;
        let text = text.trim();
        let rsa = if text.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            Some(rsa::RsaPrivateKey::from_pkcs1_pem(text).map_err(|e| format!("not a PKCS#1 RSA key: {e}"))?)
        } else if text.starts_with("-----BEGIN PRIVATE KEY-----") {
            match rsa::RsaPrivateKey::from_pkcs8_pem(text) {
                Ok(k) => Some(k),
                Err(_) => {
                    let k = ed25519_dalek::SigningKey::from_pkcs8_pem(text)
                        .map_err(|e| format!("a PKCS#8 key that is neither RSA nor Ed25519: {e}"))?;
                    return Ok(DkimKey::Ed25519(Box::new(k)));
                }
            }
        } else if text.starts_with("-----BEGIN") {
            return Err(
                "holds a PEM block that is not a private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)".into()
            );
        } else {
            let raw = BASE64.decode(text).map_err(|_| "is neither PEM nor a base64 Ed25519 key".to_string())?;
            let bytes: [u8; 32] = raw.try_into().map_err(|_| "a base64 Ed25519 key must be 32 bytes".to_string())?;
            return Ok(DkimKey::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&bytes))));
        };
        let key = rsa.expect("every other branch returned");
        let bits = key.size() * 8;
        if bits < MIN_RSA_BITS {
            return Err(format!("an RSA key of {bits} bits: receivers refuse keys under {MIN_RSA_BITS} (use 2048)"));
        }
        Ok(DkimKey::Rsa(Box::new(key)))
    }

    pub fn algorithm(&self) -> &'static str {
        match self {
            DkimKey::Rsa(_) => "rsa-sha256",
            DkimKey::Ed25519(_) => "ed25519-sha256",
        }
    }

    /// The `p=` value of the DNS record (`selector._domainkey.domain TXT "v=DKIM1; k=…; p=…"`).
    pub fn public_record(&self) -> String {
        match self {
            DkimKey::Rsa(k) => {
                use rsa::pkcs8::EncodePublicKey;
                let der = k.to_public_key().to_public_key_der().expect("an RSA public key encodes");
                format!("v=DKIM1; k=rsa; p={}", BASE64.encode(der.as_bytes()))
            }
            DkimKey::Ed25519(k) => format!("v=DKIM1; k=ed25519; p={}", BASE64.encode(k.verifying_key().as_bytes())),
        }
    }

    fn sign(&self, digest: &[u8]) -> Vec<u8> {
        match self {
            DkimKey::Rsa(k) => k
                .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), digest)
                .expect("PKCS#1 v1.5 signing of a SHA-256 digest fits any key of 1024 bits or more"),
            // RFC 8463: Ed25519 signs the SHA-256 hash of the header data.
            DkimKey::Ed25519(k) => {
                use ed25519_dalek::Signer;
                k.sign(digest).to_bytes().to_vec()
            }
        }
    }
}

/// What signs: `d=`, `s=` and the key.
#[derive(Debug)]
pub struct DkimSigner {
    pub domain: String,
    pub selector: String,
    pub key: DkimKey,
}

impl DkimSigner {
    /// `raw` with a `DKIM-Signature` header in front. Bytes without a header/body
    /// separator are signed with an empty body (they never come from `compose`).
    pub fn sign(&self, raw: &[u8], timestamp: i64) -> Vec<u8> {
        let (head, body) = match find(raw, b"\r\n\r\n") {
            Some(i) => (&raw[..i + 2], &raw[i + 4..]),
            None => (raw, &[][..]),
        };
        let fields = header_fields(head);
        let present: Vec<&str> = SIGNED.to_vec();
        let bh = BASE64.encode(Sha256::digest(relaxed_body(body)));
        let unsigned = format!(
            "v=1; a={}; c=relaxed/relaxed; d={}; s={};\r\n\tt={timestamp}; h={};\r\n\tbh={bh};\r\n\tb=",
            self.key.algorithm(),
            self.domain,
            self.selector,
            present.join(":"),
        );
        let mut hash = Sha256::new();
        for name in &present {
            // Each of our headers appears once; take the last instance as RFC 6376 §5.4.2 says.
            if let Some((_, field)) = fields.iter().rev().find(|(n, _)| n == name) {
                hash.update(relaxed_header(field).as_bytes());
            }
        }
        let own = relaxed_header(&format!("DKIM-Signature: {unsigned}"));
        hash.update(own.trim_end_matches("\r\n").as_bytes());
        let b = BASE64.encode(self.key.sign(&hash.finalize()));
        let mut out = Vec::with_capacity(raw.len() + 600);
        out.extend_from_slice(b"DKIM-Signature: ");
        out.extend_from_slice(unsigned.as_bytes());
        // Folded every 72 characters: whitespace inside b= is ignored by verifiers.
        for (i, chunk) in b.as_bytes().chunks(72).enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\r\n\t");
            }
            out.extend_from_slice(chunk);
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(raw);
        out
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The header block as (lower-case name, whole field with its folding and CRLF).
fn header_fields(head: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(head);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some((_, f)) = fields.last_mut() {
                f.push_str(line);
            }
        } else if let Some((name, _)) = line.split_once(':') {
            fields.push((name.trim().to_ascii_lowercase(), line.to_string()));
        }
    }
    fields
}

/// RFC 6376 §3.4.2: lower-case name, unfolded, runs of whitespace as one space, none at the ends.
fn relaxed_header(field: &str) -> String {
    let (name, value) = field.split_once(':').unwrap_or((field, ""));
    let unfolded = value.replace("\r\n", "");
    let value = unfolded.split([' ', '\t']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    format!("{}:{value}\r\n", name.trim_end_matches([' ', '\t']).to_ascii_lowercase())
}

/// RFC 6376 §3.4.4: whitespace runs as one space, none at line ends, no empty lines at the end.
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (line, next) = match find(rest, b"\r\n") {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest, &[][..]),
        };
        let mut l = Vec::with_capacity(line.len());
        let mut space = false;
        for &c in line {
            if c == b' ' || c == b'\t' {
                space = true;
            } else {
                if space {
                    l.push(b' ');
                }
                space = false;
                l.push(c);
            }
        }
        lines.push(l);
        rest = next;
    }
    while lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    for l in lines {
        out.extend_from_slice(&l);
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_headers_unfold_and_squeeze_whitespace() {
        assert_eq!(relaxed_header("Subject:  Hello \r\n\t world  \r\n"), "subject:Hello world\r\n");
        assert_eq!(relaxed_header("FROM : a@b\r\n"), "from:a@b\r\n");
    }

    #[test]
    fn relaxed_bodies_drop_trailing_space_and_empty_lines() {
        assert_eq!(relaxed_body(b"a  b \r\n\r\nc\t\r\n\r\n\r\n"), b"a b\r\n\r\nc\r\n");
        assert_eq!(relaxed_body(b""), b"");
        assert_eq!(relaxed_body(b"\r\n\r\n"), b"");
    }

    #[test]
    fn unusable_keys_say_what_they_are() {
        assert!(DkimKey::parse("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").is_err());
        assert!(DkimKey::parse("not a key").is_err());
        assert!(DkimKey::parse(&BASE64.encode([7u8; 31])).is_err());
        let k = DkimKey::parse(&BASE64.encode([7u8; 32])).unwrap();
        assert_eq!(k.algorithm(), "ed25519-sha256");
        assert_eq!(format!("{k:?}"), "ed25519-sha256", "no key material in Debug");
    }

    #[test]
    fn the_signature_header_comes_first_and_the_message_is_unchanged() {
        let signer = DkimSigner {
            domain: "example.test".into(),
            selector: "s1".into(),
            key: DkimKey::parse(&BASE64.encode([9u8; 32])).unwrap(),
        };
        let raw = b"From: a@example.test\r\nSubject: x\r\n\r\nbody\r\n";
        let signed = signer.sign(raw, 1_700_000_000);
        assert!(signed.starts_with(b"DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.test; s=s1;"));
        assert!(signed.ends_with(raw));
    }
}
