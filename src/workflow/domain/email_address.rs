//! `EmailAddress`: one syntactically valid address, stored lower-case.
use std::fmt;

use super::AccountDomain;

/// A mailbox address (`local@domain`), lower-cased so comparisons are
/// case-insensitive everywhere. Display names and angle brackets are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `a@b.c`, `<a@b.c>` and `Name <a@b.c>`; the reason is a short
    /// English phrase for logs (forms localise their own messages).
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let s = match (s.rfind('<'), s.ends_with('>')) {
            (Some(i), true) => &s[i + 1..s.len() - 1],
            _ => s,
        };
        let s = s.trim().trim_start_matches("mailto:");
        if s.is_empty() {
            return Err("empty address".into());
        }
        if s.len() > 254 {
            return Err("address longer than 254 characters".into());
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("no @".into());
        };
        if local.is_empty() || local.len() > 64 {
            return Err("bad local part".into());
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err("bad dots in local part".into());
        }
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
        if !local.chars().all(atext) {
            return Err("bad character in local part".into());
        }
        let domain = AccountDomain::parse(domain).map_err(|e| format!("bad domain: {e}"))?;
        // The limit applies to the stored form: an IDN domain grows when it
        // is written in punycode, and a stored address must read back.
        let stored = format!("{}@{}", local.to_lowercase(), domain.ascii());
        if stored.len() > 254 {
            return Err("address longer than 254 characters once its domain is in ASCII (punycode)".into());
        }
        Ok(Self(stored))
    }

    /// What an address becomes once retention erased it (`.invalid` never routes).
    pub fn erased() -> EmailAddress {
        EmailAddress("erased@erased.invalid".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map(|(l, _)| l).unwrap_or("")
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    /// The local part without a `+tag`, and the tag if any.
    pub fn split_plus(&self) -> (&str, Option<&str>) {
        match self.local_part().split_once('+') {
            Some((base, tag)) => (base, Some(tag)),
            None => (self.local_part(), None),
        }
    }

    /// This address with `+tag` added to its local part.
    pub fn with_tag(&self, tag: &str) -> EmailAddress {
        let (base, _) = self.split_plus();
        EmailAddress(format!("{base}+{tag}@{}", self.domain()))
    }

    /// The mailbox this address delivers to, the one notion every cap and
    /// limit counts (SPEC §4): lower-case (as stored) and without a `+tag`.
    pub fn mailbox(&self) -> String {
        format!("{}@{}", self.split_plus().0, self.domain())
    }

    /// Same mailbox, ignoring any plus tag.
    pub fn same_mailbox(&self, other: &EmailAddress) -> bool {
        self.split_plus().0 == other.split_plus().0 && self.domain() == other.domain()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_shapes_and_lowercases() {
        assert_eq!(EmailAddress::parse("Jane.Doe@Customer.TEST").unwrap().as_str(), "jane.doe@customer.test");
        assert_eq!(EmailAddress::parse("Jane <jane@x.test>").unwrap().as_str(), "jane@x.test");
        assert_eq!(EmailAddress::parse(" <a+b@x.test> ").unwrap().as_str(), "a+b@x.test");
    }

    #[test]
    fn rejects_broken_addresses() {
        for bad in [
            "",
            "jane",
            "jane@",
            "@x.test",
            "a..b@x.test",
            "a b@x.test",
            "a@x",
            "a@-x.test",
            "a@x..test",
            "<script>@x.test",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn an_address_too_long_once_its_domain_is_in_punycode_is_refused() {
        // 201 bytes as typed, 265 once the domain is in ASCII (each label 15 -> 23 bytes).
        let typed = format!("{}@{}example", "a".repeat(64), "갯íκü丨각.".repeat(8));
        assert!(typed.len() < 254);
        let err = EmailAddress::parse(&typed).unwrap_err();
        assert!(err.contains("punycode"), "{err}");
    }

    #[test]
    fn plus_tags_split_and_join() {
        let desk = EmailAddress::parse("desk@example.test").unwrap();
        let tagged = desk.with_tag("act-abc");
        assert_eq!(tagged.as_str(), "desk+act-abc@example.test");
        assert_eq!(tagged.split_plus(), ("desk", Some("act-abc")));
        assert!(tagged.same_mailbox(&desk));
        assert_eq!(EmailAddress::parse("Victim+42@X.test").unwrap().mailbox(), "victim@x.test");
        assert_eq!(tagged.mailbox(), desk.as_str());
    }
}
