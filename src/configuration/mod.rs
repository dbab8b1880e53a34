//! Settings (SPEC §7): a TOML file layered with environment overrides, checked once; every error names its key.
mod console;
pub mod keys;
mod lmtp;
mod operations;
mod reader;
mod settings;

use std::path::{Path, PathBuf};

pub use console::{ConsoleSettings, DEFAULT_USERS_FILE, Network};
pub use operations::{LogFormat, LogSettings, MetricsSettings};
pub use reader::ConfigError;
use reader::{apply_env_overrides, error_key};
pub use settings::*;

/// The installed server's file (the Debian package's conffile).
pub const INSTALLED: &str = "/etc/smartacct/smartacct.toml";

/// Where the configuration file is: `--config`, else `$SMARTACCT_CONFIG`,
/// else `/etc/smartacct/smartacct.toml` when it exists (an installed
/// server), else `config/smartacct.toml` (a checkout).
pub fn config_path(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os("SMARTACCT_CONFIG").map(PathBuf::from))
        .or_else(|| Path::new(INSTALLED).exists().then(|| PathBuf::from(INSTALLED)))
        .unwrap_or_else(|| PathBuf::from("config/smartacct.toml"))
}

/// The variables that hold the mail servers' secrets.
const SECRET_VARS: [&str; 2] = ["SMARTACCT_IMAP_PASSWORD", "SMARTACCT_SMTP_PASSWORD"];

/// `load` for commands that only read the database (`requests list`, …):
/// the IMAP and SMTP secrets are neither needed nor read (an operator may
/// not be allowed to read the service's credential files).
pub fn load_without_secrets(path: &Path) -> Result<Settings, ConfigError> {
    load_with(path, &|name| {
        let real = std::env::var(name).ok();
        if SECRET_VARS.contains(&name) { Some("(not read by this command)".to_string()) } else { real }
    })
}

/// Reads the file, applies `SMARTACCT__SECTION__KEY=value` overrides and the
/// password variables, and checks every key.
pub fn load(path: &Path) -> Result<Settings, ConfigError> {
    load_with(path, &|name| std::env::var(name).ok())
}

fn load_with(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new("--config", format!("cannot read {}: {e}", path.display())))?;
    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        ConfigError::new(error_key(&e), format!("{} is not valid TOML: {e}", path.display()))
    })?;
    apply_env_overrides(&mut table, std::env::vars())?;
    Settings::from_table(&table, env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EmailAddress;

    const MINIMAL: &str = r#"
[mailbox]
address = "desk@example.test"
[imap]
host = "127.0.0.1"
username = "desk@example.test"
password = "secret"
[smtp]
host = "127.0.0.1"
"#;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        Settings::from_table(&text.parse().unwrap(), &|_| None)
    }

    #[test]
    fn a_short_config_gets_every_default() {
        let s = parse(MINIMAL).unwrap();
        assert_eq!(s.imap().unwrap().port, 993);
        assert_eq!(s.imap().unwrap().security, Security::Tls);
        assert_eq!(s.smtp.port, 587);
        assert_eq!(s.workflow.acceptance_days, 90);
        assert_eq!(s.workflow.reminder_days_before, vec![30, 7]);
        assert_eq!(s.imap().unwrap().processed_folder, "Processed");
        assert_eq!(s.hygiene.max_auto_replies_per_day, 10);
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (MINIMAL.replace("[smtp]", "[smtp]\nsecurity = \"sometimes\""), "smtp.security"),
            (MINIMAL.replace("host = \"127.0.0.1\"\nusername", "username"), "imap.host"),
            (MINIMAL.replace("password = \"secret\"", ""), "imap.password"),
            (format!("{MINIMAL}[sweep]\nschedule = \"0 2 * * *\""), "sweep.schedule"),
            (format!("{MINIMAL}[sweep]\ntimezone = \"Mars/Olympus\""), "sweep.timezone"),
            (format!("{MINIMAL}[workflow]\nacceptence_days = 3"), "workflow.acceptence_days"),
            (format!("{MINIMAL}[workflow]\nacceptance_days = \"ninety\""), "workflow.acceptance_days"),
            (format!("{MINIMAL}[workflow]\ndefault_locale = \"ko\""), "workflow.default_locale"),
            (MINIMAL.replace("desk@example.test\"\n[imap]", "not-an-address\"\n[imap]"), "mailbox.address"),
            (format!("{MINIMAL}[security]\nauthserv_id = \"mx example\""), "security.authserv_id"),
            (format!("{MINIMAL}[security]\nauthserv_id = \"mx.test\"\ndmarc = \"strict\""), "security.dmarc"),
            (format!("{MINIMAL}[security]\ndmarc = \"require-pass\""), "security.dmarc"),
            (format!("{MINIMAL}[security]\nverify_dkim = true\nresolver = \"dns.example\""), "security.resolver"),
            (format!("{MINIMAL}[security]\nverify_dkim = \"yes\""), "security.verify_dkim"),
            (MINIMAL.replace("[smtp]", "[smtp]\nauth = \"oauth\""), "smtp.auth"),
            (MINIMAL.replace("password = \"secret\"", "auth = \"xoauth2\""), "oauth2"),
            (MINIMAL.replace("[smtp]", "[smtp]\nauth = \"xoauth2\""), "smtp.username"),
            (
                format!(
                    "{}[oauth2]\nclient_id = \"c\"",
                    MINIMAL.replace("password = \"secret\"", "auth = \"xoauth2\"")
                ),
                "oauth2.token_url",
            ),
            (
                format!("{MINIMAL}[oauth2]\ntoken_url = \"http://login.example/token\"\nclient_id = \"c\""),
                "oauth2.token_url",
            ),
            (format!("{MINIMAL}[oauth2]\ntoken_url = \"https://login.example/token\""), "oauth2.client_id"),
            (
                format!("{MINIMAL}[oauth2]\ntoken_url = \"https://login.example/token\"\nclient_id = \"c\""),
                "oauth2.client_secret_file",
            ),
            (
                format!(
                    "{MINIMAL}[oauth2]\ntoken_url = \"https://l.example/t\"\nclient_id = \"c\"\nclient_secret_file = \"/nonexistent\""
                ),
                "oauth2.client_secret_file",
            ),
            (
                format!(
                    "{MINIMAL}[oauth2]\ntoken_url = \"https://l.example/t\"\nclient_id = \"c\"\nrefresh_token_file = \"/nonexistent\""
                ),
                "oauth2.refresh_token_file",
            ),
            (format!("{MINIMAL}[oauth2]\ntoken_command = \"x\"\nclient_id = \"c\""), "oauth2.client_id"),
            (format!("{MINIMAL}[oauth2]\ntoken_comand = \"x\""), "oauth2.token_comand"),
            (format!("{MINIMAL}[security]\nauthserv = \"mx\""), "security.authserv"),
            (format!("{MINIMAL}[dkim]\nselector = \"s\""), "dkim.private_key_file"),
            (format!("{MINIMAL}[dkim]\nprivate_key_file = \"k\""), "dkim.selector"),
            (format!("{MINIMAL}[dkim]\ndomain = \"other.test\"\nselector = \"s\""), "dkim.domain"),
            (format!("{MINIMAL}[dkim]\nselector = \"a b\"\nprivate_key_file = \"k\""), "dkim.selector"),
            (
                format!("{MINIMAL}[dkim]\nselector = \"s\"\nprivate_key_file = \"/nonexistent/k.pem\""),
                "dkim.private_key_file",
            ),
        ];
        for (text, key) in cases {
            let err = parse(&text).unwrap_err();
            assert_eq!(err.key, key, "{err}");
        }
    }

    #[test]
    fn a_token_url_is_parsed_plain_http_only_to_a_loopback_host_and_never_with_userinfo() {
        let with = |url: &str| {
            format!("{MINIMAL}[oauth2]\ntoken_url = {url:?}\nclient_id = \"c\"\nclient_secret_file = \"/dev/null\"")
        };
        for url in [
            // Each starts as a loopback URL would, and goes elsewhere.
            "http://127.0.0.1:@attacker.example/token",
            "http://localhost:@attacker.example/token",
            "http://[::1]:80@attacker.example/token",
            "http://127.0.0.1.attacker.example/token",
            "http://localhost.attacker.example/token",
            "http://login.example/token",
            "https://desk:pw-s3cret@login.example/token",
            "https://desk@login.example/token",
            "ftp://127.0.0.1/token",
            "login.example/token",
            "http://",
        ] {
            let err = parse(&with(url)).map(|_| ()).expect_err(url);
            assert_eq!(err.key, "oauth2.token_url", "{url}: {err}");
            assert!(!err.to_string().contains("pw-s3cret"), "{err}");
        }
        for url in [
            "http://127.0.0.1:8431/token",
            "http://127.1.2.3/token",
            "http://localhost/token",
            "http://LocalHost:8080/token",
            "http://[::1]:8080/token",
            "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token",
            "HTTPS://Login.Example/token?tenant=x",
        ] {
            assert!(parse(&with(url)).is_ok(), "{url}: {:?}", parse(&with(url)).err());
        }
    }

    #[test]
    fn a_webhook_url_is_parsed_and_its_secrets_stay_out_of_the_error() {
        let with = |url: &str| format!("{MINIMAL}[hooks]\nwebhook_url = {url:?}");
        for url in ["ftp://hooks:pw-s3cret@provisioning.example/x", "provisioning.example/x", "http://", "https://"] {
            let err = parse(&with(url)).map(|_| ()).expect_err(url);
            assert_eq!(err.key, "hooks.webhook_url", "{url}: {err}");
            assert!(!err.to_string().contains("pw-s3cret"), "{err}");
        }
        for url in ["https://hooks:pw@provisioning.example/smartacct?token=t", "http://127.0.0.1:9/smartacct"] {
            assert!(parse(&with(url)).is_ok(), "{url}: {:?}", parse(&with(url)).err());
        }
    }

    #[test]
    fn the_password_comes_from_the_environment_first() {
        let s = Settings::from_table(&MINIMAL.parse().unwrap(), &|n| {
            (n == "SMARTACCT_IMAP_PASSWORD").then(|| "from-env".to_string())
        })
        .unwrap();
        assert_eq!(s.imap().unwrap().password, "from-env");
    }

    #[test]
    fn password_and_password_file_together_are_refused_naming_both() {
        let text = MINIMAL.replace("password = \"secret\"", "password = \"secret\"\npassword_file = \"/x\"");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.key, "imap.password");
        assert!(err.to_string().contains("imap.password_file"), "{err}");
    }

    #[test]
    fn xoauth2_needs_no_password_and_takes_the_secret_from_the_environment() {
        let text = format!(
            "{}[oauth2]\ntoken_url = \"https://login.example/token\"\nclient_id = \"c\"\nscope = \"https://outlook.office365.com/.default\"\n",
            MINIMAL.replace("password = \"secret\"", "auth = \"xoauth2\"")
        );
        let s = Settings::from_table(&text.parse().unwrap(), &|n| {
            (n == "SMARTACCT_OAUTH2_CLIENT_SECRET").then(|| "from-env".to_string())
        })
        .unwrap();
        assert_eq!(s.imap().unwrap().auth, Auth::Xoauth2);
        match s.oauth2.unwrap() {
            OAuth2Settings::Endpoint { client_secret, refresh_token_file, .. } => {
                assert_eq!(client_secret.as_deref(), Some("from-env"));
                assert!(refresh_token_file.is_none(), "client_credentials");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn env_overrides_set_nested_keys() {
        let mut t: toml::Table = MINIMAL.parse().unwrap();
        apply_env_overrides(&mut t, [("SMARTACCT__IMAP__PORT".to_string(), "1993".to_string())].into_iter()).unwrap();
        let s = Settings::from_table(&t, &|_| None).unwrap();
        assert_eq!(s.imap().unwrap().port, 1993);
    }

    #[test]
    fn partner_patterns_match_addresses() {
        let mut s = parse(MINIMAL).unwrap();
        s.partners.allow = vec!["*@partner.test".into(), "alice@reseller.test".into()];
        let is = |a: &str| s.is_partner(&EmailAddress::parse(a).unwrap());
        assert!(is("P-1@Partner.test"));
        assert!(is("alice@reseller.test"));
        assert!(!is("bob@reseller.test"));
        assert!(!is("x@evilpartner.test"));
    }
}
