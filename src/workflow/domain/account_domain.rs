//! `AccountDomain`: a valid DNS name (IDN accepted), stored lower-case.
use std::fmt;

/// A DNS domain. Kept in its Unicode lower-case form (what people read and
/// what duplicate checks compare); `ascii()` gives the A-label form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountDomain {
    unicode: String,
    ascii: String,
}

impl AccountDomain {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().trim_end_matches('.');
        if s.is_empty() {
            return Err("empty".into());
        }
        if s.contains("://") || s.contains('/') || s.contains('@') || s.chars().any(char::is_whitespace) {
            return Err("not a bare domain name".into());
        }
        let plain = plain_ascii(s);
        let ascii = if plain {
            s.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(s).map_err(|_| "not a valid domain name".to_string())?
        };
        if ascii.len() > 253 {
            return Err("longer than 253 characters".into());
        }
        let labels: Vec<&str> = ascii.split('.').collect();
        if labels.len() < 2 {
            return Err("needs at least two labels (like example.com)".into());
        }
        for label in &labels {
            let ok = !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !ok {
                return Err(format!("bad label {label:?}"));
            }
        }
        if labels.last().is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit())) {
            return Err("the last label is numeric".into());
        }
        if plain {
            return Ok(Self { unicode: ascii.clone(), ascii });
        }
        let (unicode, res) = idna::domain_to_unicode(&ascii);
        res.map_err(|_| "not a valid domain name".to_string())?;
        Ok(Self { unicode: unicode.to_lowercase(), ascii })
    }

    pub fn as_str(&self) -> &str {
        &self.unicode
    }

    pub fn ascii(&self) -> &str {
        &self.ascii
    }

    /// The domain as a person should see it: an IDN also in its ASCII form,
    /// so a look-alike (`аррӏе.com`, Cyrillic) cannot pass for another
    /// (`аррӏе.com (xn--80ak6aa92e.com)`).
    pub fn for_people(&self) -> String {
        if self.unicode == self.ascii { self.unicode.clone() } else { format!("{} ({})", self.unicode, self.ascii) }
    }
}

/// Whether `s` can skip IDNA: labels of ASCII letters, digits and hyphens,
/// none empty and none an A-label (`xn--`). IDNA would give its lower case,
/// both forms alike; `parse`'s checks then apply as to any name, so answers
/// and messages are the same either way. (IDNA's two passes were most of
/// reading a request row: the sweep reads 100,000.)
fn plain_ascii(s: &str) -> bool {
    s.split('.').all(|label| {
        !label.is_empty()
            && label.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !label.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
    })
}

impl fmt::Display for AccountDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unicode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_and_keeps_unicode() {
        assert_eq!(AccountDomain::parse("Acme.Example").unwrap().as_str(), "acme.example");
        let d = AccountDomain::parse("Café-Crème.example").unwrap();
        assert_eq!(d.as_str(), "café-crème.example");
        assert!(d.ascii().starts_with("xn--"));
        assert_eq!(AccountDomain::parse(d.ascii()).unwrap(), d);
    }

    #[test]
    fn a_look_alike_domain_is_shown_with_its_ascii_form() {
        assert_eq!(AccountDomain::parse("аррӏе.com").unwrap().for_people(), "аррӏе.com (xn--80ak6aa92e.com)");
        assert_eq!(AccountDomain::parse("apple.com").unwrap().for_people(), "apple.com");
    }

    /// The ASCII shortcut answers exactly as the IDNA path would.
    #[test]
    fn plain_ascii_names_read_as_idna_reads_them() {
        let full = |s: &str| {
            let ascii = idna::domain_to_ascii(s).ok()?;
            let (unicode, res) = idna::domain_to_unicode(&ascii);
            res.ok()?;
            Some(AccountDomain { unicode: unicode.to_lowercase(), ascii })
        };
        for s in
            ["acme.example", "Acme.EXAMPLE", "a-b.c-d.example", "x1.y2", "a.b.c.d.e.f", "0.example", "ab--cd.example"]
        {
            assert_eq!(AccountDomain::parse(s).ok(), full(s), "{s}");
            assert!(plain_ascii(s), "{s} takes the shortcut");
        }
        for s in ["xn--80ak6aa92e.com", "XN--80ak6aa92e.com", "a..b", "a_b.example", "café.example", ""] {
            assert!(!plain_ascii(s), "{s} takes the full path");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_shortcut_never_disagrees_with_the_full_path(s in "[a-zA-Z0-9.-]{0,40}") {
            if let (true, Ok(plain)) = (plain_ascii(&s), AccountDomain::parse(&s)) {
                let ascii = idna::domain_to_ascii(&s).expect("IDNA takes what the shortcut took");
                proptest::prop_assert_eq!(&plain.ascii, &ascii);
                proptest::prop_assert_eq!(&plain.unicode, &idna::domain_to_unicode(&ascii).0.to_lowercase());
            }
        }
    }

    #[test]
    fn rejects_non_domains() {
        for bad in ["", "not a domain", "localhost", "https://acme.com", "a@b.com", "-x.com", "x.123", "a..b"] {
            assert!(AccountDomain::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
