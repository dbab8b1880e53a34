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
        let ascii = idna::domain_to_ascii(s).map_err(|_| "not a valid domain name".to_string())?;
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

    #[test]
    fn rejects_non_domains() {
        for bad in ["", "not a domain", "localhost", "https://acme.com", "a@b.com", "-x.com", "x.123", "a..b"] {
            assert!(AccountDomain::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
