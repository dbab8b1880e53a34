//! `[console]` (SPEC §12): where the operator console listens, who may sign in, and which proxies are believed.
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use super::reader::{ConfigError, Section};

/// `[console]`: present, `run` serves the operator console on `listen`.
#[derive(Debug, Clone)]
pub struct ConsoleSettings {
    pub listen: SocketAddr,
    /// Written by `console add-user`: `NAME:ROLE:ARGON2ID-HASH`, one operator a line.
    pub users_file: PathBuf,
    /// How long a signed-in session lasts.
    pub session: Duration,
    /// A header in which an authenticating reverse proxy names the operator.
    pub trusted_header: Option<String>,
    /// The only peers whose `trusted_header`, `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<Network>,
}

/// An address, or a network in CIDR form (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Option<Network> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Network { addr, prefix })
    }

    /// Whether `ip` is in this network (an IPv4 peer seen as `::ffff:a.b.c.d` counts as itself).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32) == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128) == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, prefix: u8, width: u32) -> u128 {
    if prefix == 0 { 0 } else { bits >> (width - u32::from(prefix)) }
}

/// What `users_file` is when the key is absent (SPEC §12's example).
pub const DEFAULT_USERS_FILE: &str = "/etc/smartacct/console-users";

pub(super) fn read(root: &toml::Table) -> Result<Option<ConsoleSettings>, ConfigError> {
    if !root.contains_key("console") {
        return Ok(None);
    }
    let mut s = Section::new(root, "console")?;
    let text = s.required("listen")?;
    let listen = text.parse().map_err(|_| {
        ConfigError::new("console.listen", format!("{text:?} is not an address and port like \"127.0.0.1:8025\""))
    })?;
    let users_file = s.path("users_file")?.unwrap_or_else(|| PathBuf::from(DEFAULT_USERS_FILE));
    if users_file.as_os_str().is_empty() {
        return Err(ConfigError::new("console.users_file", "must not be empty"));
    }
    let hours = s.int("session_hours", 12, 1, 24 * 31)?;
    let trusted_header = s.string("trusted_header")?;
    if let Some(h) = &trusted_header
        && (h.is_empty() || !h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        return Err(ConfigError::new(
            "console.trusted_header",
            format!("{h:?} is not a header name like \"X-Remote-User\""),
        ));
    }
    let proxies = s.strings("trusted_proxies")?.unwrap_or_default();
    let trusted_proxies = proxies
        .iter()
        .map(|p| {
            Network::parse(p.trim()).ok_or_else(|| {
                ConfigError::new(
                    "console.trusted_proxies",
                    format!("{p:?} is not an IP address or a network like \"10.0.0.0/8\""),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // A header believed from anyone would let anyone name themselves.
    if trusted_header.is_some() && trusted_proxies.is_empty() {
        return Err(ConfigError::new(
            "console.trusted_proxies",
            "required with console.trusted_header: the addresses of the proxies that set it",
        ));
    }
    s.finish()?;
    Ok(Some(ConsoleSettings {
        listen,
        users_file,
        session: Duration::from_secs(hours as u64 * 3600),
        trusted_header,
        trusted_proxies,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console(text: &str) -> Result<Option<ConsoleSettings>, ConfigError> {
        read(&text.parse().unwrap())
    }

    #[test]
    fn the_console_is_off_without_its_section_and_gets_its_defaults_with_it() {
        assert!(console("").unwrap().is_none());
        let c = console("[console]\nlisten = \"127.0.0.1:8025\"").unwrap().unwrap();
        assert_eq!(c.listen, "127.0.0.1:8025".parse().unwrap());
        assert_eq!(c.users_file, PathBuf::from(DEFAULT_USERS_FILE));
        assert_eq!(c.session, Duration::from_secs(12 * 3600));
        assert!(c.trusted_header.is_none() && c.trusted_proxies.is_empty());
    }

    #[test]
    fn a_bad_console_key_is_named() {
        for (text, key) in [
            ("[console]\nusers_file = \"/x\"", "console.listen"),
            ("[console]\nlisten = \"localhost\"", "console.listen"),
            ("[console]\nlisten = \"127.0.0.1:1\"\nsession_hours = 0", "console.session_hours"),
            (
                "[console]\nlisten = \"127.0.0.1:1\"\ntrusted_header = \"X Remote\"\ntrusted_proxies = [\"127.0.0.1\"]",
                "console.trusted_header",
            ),
            ("[console]\nlisten = \"127.0.0.1:1\"\ntrusted_header = \"X-Remote-User\"", "console.trusted_proxies"),
            ("[console]\nlisten = \"127.0.0.1:1\"\ntrusted_proxies = [\"proxy.example\"]", "console.trusted_proxies"),
            ("[console]\nlisten = \"127.0.0.1:1\"\ntrusted_proxies = [\"10.0.0.0/33\"]", "console.trusted_proxies"),
            ("[console]\nlisten = \"127.0.0.1:1\"\nsesion_hours = 3", "console.sesion_hours"),
        ] {
            assert_eq!(console(text).unwrap_err().key, key, "{text}");
        }
    }

    #[test]
    fn a_trusted_network_holds_its_addresses_and_no_others() {
        let net = Network::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()), "an IPv4 peer on a dual-stack socket");
        let one = Network::parse("127.0.0.1").unwrap();
        assert!(one.contains("127.0.0.1".parse().unwrap()));
        assert!(!one.contains("127.0.0.2".parse().unwrap()));
        let v6 = Network::parse("fd00::/8").unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("fe80::1".parse().unwrap()));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains("192.0.2.1".parse().unwrap()));
    }
}
