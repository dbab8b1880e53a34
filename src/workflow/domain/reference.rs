//! `Reference`: the public name of a request, `SA-` and eight characters.
use std::fmt;

/// Upper-case letters and digits without look-alikes (no 0/O, 1/I/L, U).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

impl Reference {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        let s: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
        Self(format!("SA-{s}"))
    }

    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim().to_ascii_uppercase();
        let rest = s.strip_prefix("SA-")?;
        (rest.len() == 8 && rest.bytes().all(|b| ALPHABET.contains(&b))).then_some(Self(s))
    }

    /// The first `SA-XXXXXXXX` in a text such as a subject line.
    pub fn find_in(text: &str) -> Option<Self> {
        let upper = text.to_ascii_uppercase();
        let bytes = upper.as_bytes();
        let mut from = 0;
        while let Some(i) = upper[from..].find("SA-") {
            let start = from + i;
            let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
            let end = start + 11;
            let after_ok = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
            if let Some(r) = upper.get(start..end).filter(|_| before_ok && after_ok).and_then(Reference::parse) {
                return Some(r);
            }
            from = start + 3;
        }
        None
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_references_parse_back() {
        for _ in 0..100 {
            let r = Reference::generate();
            assert_eq!(Reference::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn finds_the_reference_in_a_subject() {
        assert_eq!(Reference::find_in("Re: [SA-7K3QX9PD] Activate").unwrap().as_str(), "SA-7K3QX9PD");
        assert_eq!(Reference::find_in("re: sa-7k3qx9pd").unwrap().as_str(), "SA-7K3QX9PD");
        assert!(Reference::find_in("SA-7K3QX9PDX").is_none());
        assert!(Reference::find_in("nothing here").is_none());
        assert!(Reference::find_in("SA-1234567é and SA-é").is_none());
    }
}
