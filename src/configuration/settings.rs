//! The settings smartacct reads (SPEC §7, §9): their types, defaults and checks, from a TOML table.
use std::{path::PathBuf, str::FromStr, time::Duration};

use super::operations::{LogSettings, MetricsSettings};
use super::reader::{ConfigError, Section};
use crate::domain::{EmailAddress, Locale};
use crate::read::auth_results::{DmarcPolicy, TrustedServer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Tls,
    StartTls,
    None,
}

/// How smartacct logs in to the IMAP or SMTP server (SPEC §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Auth {
    #[default]
    Password,
    /// SASL XOAUTH2 with an access token from `[oauth2]`.
    Xoauth2,
}

const AUTH: &[(&str, Auth)] = &[("password", Auth::Password), ("xoauth2", Auth::Xoauth2)];

/// `[oauth2]`: where the access tokens for `auth = "xoauth2"` come from.
#[derive(Clone)]
pub enum OAuth2Settings {
    /// RFC 6749 against `token_url`: `client_credentials` (Microsoft 365) or,
    /// with `refresh_token_file`, `refresh_token` (Google).
    Endpoint {
        token_url: String,
        client_id: String,
        client_secret: Option<String>,
        scope: Option<String>,
        refresh_token_file: Option<PathBuf>,
        /// An extra CA (PEM) trusted for `token_url`'s https, beside the system's roots.
        ca_file: Option<PathBuf>,
    },
    /// A command that prints an access token (and nothing else) on stdout.
    Command { token_command: String },
}

// The client secret is never printed, whatever the log level, nor the token URL's query.
impl std::fmt::Debug for OAuth2Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OAuth2Settings::Endpoint { token_url, client_id, scope, refresh_token_file, ca_file, .. } => f
                .debug_struct("Endpoint")
                .field("token_url", &crate::telemetry::redacted(token_url))
                .field("client_id", client_id)
                .field("scope", scope)
                .field("refresh_token_file", refresh_token_file)
                .field("ca_file", ca_file)
                .finish_non_exhaustive(),
            OAuth2Settings::Command { .. } => f.write_str("Command"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownSender {
    Reply,
    Ignore,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub mailbox: MailboxSettings,
    /// `[imap]`: absent when the desk takes its mail over LMTP only (SPEC §13).
    pub imap: Option<ImapSettings>,
    pub smtp: SmtpSettings,
    pub database: DatabaseSettings,
    pub partners: PartnerSettings,
    pub workflow: WorkflowSettings,
    pub sweep: SweepSettings,
    pub templates: TemplateSettings,
    pub hygiene: HygieneSettings,
    /// `[hooks]`: absent, no events are recorded or sent.
    pub hooks: Option<HookSettings>,
    pub retention: RetentionSettings,
    pub metrics: Option<MetricsSettings>,
    /// `[lmtp]`: present, `run` takes mail straight from the MTA (SPEC §13).
    pub lmtp: Option<super::lmtp::LmtpSettings>,
    /// `[console]`: present, `run` serves the operator console (SPEC §12).
    pub console: Option<super::console::ConsoleSettings>,
    pub log: LogSettings,
    /// `[dkim]`: every outgoing email signed when present.
    pub dkim: Option<std::sync::Arc<crate::dkim::DkimSigner>>,
    pub security: SecuritySettings,
    /// `[oauth2]`: present whenever `imap.auth` or `smtp.auth` is `"xoauth2"`.
    pub oauth2: Option<OAuth2Settings>,
}

/// `[security]` (SPEC §9).
#[derive(Debug, Clone, Default)]
pub struct SecuritySettings {
    /// Our own receiving server (`authserv_id`): only its `Authentication-Results` are read.
    pub trusted: Option<TrustedServer>,
    /// What a fail (or no pass) does to a form or a command.
    pub dmarc: DmarcPolicy,
    /// The desk verifies DKIM and the From domain's DMARC policy itself, over DNS.
    pub verify_dkim: bool,
    /// Where those DNS queries go.
    pub resolver: crate::dns_auth::Resolver,
}

#[derive(Debug, Clone)]
pub struct MailboxSettings {
    pub address: EmailAddress,
    pub display_name: String,
    /// Who the desk speaks for, in every email (`mailbox.organization`).
    pub organization: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    /// Empty with `auth = "xoauth2"`.
    pub password: String,
    pub auth: Auth,
    pub ca_file: Option<PathBuf>,
    pub folder: String,
    pub processed_folder: String,
    pub rejected_folder: String,
    pub max_message_bytes: u64,
    pub batch_size: usize,
    pub timeout: Duration,
    pub poll_interval: Duration,
    pub idle_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    pub auth: Auth,
    pub ca_file: Option<PathBuf>,
    pub pool_size: u32,
    pub timeout: Duration,
    pub max_retry_hours: u32,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: String,
    /// PostgreSQL's password, if not in the URL (`password_file`, `SMARTACCT_DATABASE_PASSWORD`).
    pub password: Option<String>,
    /// Connections per process in the pool (`max_connections`); PostgreSQL's
    /// locks add one each for the leader and the events sender.
    pub max_connections: u32,
    /// How long an email claimed by a process that died stays unsent (`claim_lease_secs`, PostgreSQL).
    pub claim_lease: Duration,
}

impl DatabaseSettings {
    /// `url` with every other key at its default.
    pub fn new(url: &str) -> DatabaseSettings {
        DatabaseSettings {
            url: url.to_string(),
            password: None,
            max_connections: 4,
            claim_lease: Duration::from_secs(300),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PartnerSettings {
    pub allow: Vec<String>,
    pub unknown_sender: UnknownSender,
    /// Live requests (awaiting review or acceptance) one partner address may hold.
    pub max_open_requests: u32,
    /// New requests one partner address may make in 24 hours.
    pub max_new_requests_per_day: u32,
}

#[derive(Debug, Clone)]
pub struct WorkflowSettings {
    pub review: bool,
    pub acceptance_days: u32,
    pub reminder_days_before: Vec<u32>,
    pub review_days: u32,
    pub default_locale: Locale,
    pub support_url: String,
    /// A human to ask (an address or a URL), in every email to a customer.
    pub contact: Option<String>,
    /// Where added users go next.
    pub sign_in_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SweepSettings {
    pub schedule: cron::Schedule,
    pub schedule_text: String,
    pub timezone: chrono_tz::Tz,
}

#[derive(Debug, Clone)]
pub struct TemplateSettings {
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct HygieneSettings {
    pub max_auto_replies_per_day: u32,
    /// Emails sent in answer to mail to one mailbox in 24 hours, whatever
    /// their kind (the sweep's notices aside): past it, the email is not sent.
    pub max_emails_per_recipient_per_day: u32,
}

/// Where state-change events go (SPEC §11): a webhook, a command, or both.
#[derive(Clone)]
pub struct HookSettings {
    pub webhook_url: Option<String>,
    /// Signs each body: `X-Smartacct-Signature: sha256=<hex HMAC-SHA256>`.
    pub webhook_secret: Option<String>,
    pub command: Option<String>,
    pub max_retry_hours: u32,
    pub timeout: Duration,
    /// An extra CA (PEM) trusted for the webhook's https, beside the system's roots.
    pub ca_file: Option<PathBuf>,
}

// Neither the signing secret nor the URL's userinfo or query is printed, whatever the log level.
impl std::fmt::Debug for HookSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookSettings")
            .field("webhook_url", &self.webhook_url.as_deref().map(crate::telemetry::redacted))
            .field("command", &self.command)
            .field("max_retry_hours", &self.max_retry_hours)
            .field("timeout", &self.timeout)
            .field("ca_file", &self.ca_file)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct RetentionSettings {
    /// Personal data of requests closed longer ago is erased by the sweep; `None` keeps it.
    pub closed_days: Option<u32>,
}

/// An optional one-line text of at most `max` characters.
fn one_line(s: &mut Section<'_>, key: &'static str, max: usize) -> Result<Option<String>, ConfigError> {
    let Some(v) = s.string(key)? else { return Ok(None) };
    let v = v.trim().to_string();
    if v.chars().any(char::is_control) || v.chars().count() > max {
        return Err(ConfigError::new(s.key(key), format!("must be one line of at most {max} characters")));
    }
    Ok(Some(v).filter(|v| !v.is_empty()))
}

/// 64 (the limit of a local part) less `+act-` and a 26-character token.
const MAX_DESK_LOCAL: usize = 33;

const SECURITY: &[(&str, Security)] =
    &[("tls", Security::Tls), ("starttls", Security::StartTls), ("none", Security::None)];
pub(super) const SECTIONS: &[&str] = &[
    "mailbox",
    "imap",
    "smtp",
    "database",
    "partners",
    "workflow",
    "sweep",
    "templates",
    "hygiene",
    "hooks",
    "retention",
    "dkim",
    "security",
    "oauth2",
    "lmtp",
    "console",
];

impl Settings {
    pub fn from_table(root: &toml::Table, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        if let Some(extra) =
            root.keys().find(|k| !SECTIONS.contains(&k.as_str()) && !super::operations::SECTIONS.contains(&k.as_str()))
        {
            return Err(ConfigError::new(extra, "unknown section (misspelt?)"));
        }

        let mut s = Section::new(root, "mailbox")?;
        let raw = s.required("address")?;
        let address =
            EmailAddress::parse(&raw).map_err(|e| ConfigError::new("mailbox.address", format!("{raw:?}: {e}")))?;
        if address.split_plus().1.is_some() {
            return Err(ConfigError::new("mailbox.address", "must not carry a +tag: the desk adds its own"));
        }
        if address.local_part().len() > MAX_DESK_LOCAL {
            return Err(ConfigError::new(
                "mailbox.address",
                format!(
                    "the part before @ must be at most {MAX_DESK_LOCAL} characters, so the desk's reply addresses (+act-<26 characters>) stay within the 64 that mail allows"
                ),
            ));
        }
        let display_name = s.string("display_name")?.unwrap_or_else(|| "Smart Account Desk".into());
        if display_name.chars().any(char::is_control) {
            return Err(ConfigError::new("mailbox.display_name", "must be one line"));
        }
        let organization = one_line(&mut s, "organization", 100)?;
        s.finish()?;
        let mailbox = MailboxSettings { address, display_name, organization };

        // [imap] is required, unless the desk takes its mail over LMTP only (SPEC §13).
        let imap = match root.contains_key("imap") || !root.contains_key("lmtp") {
            true => Some(imap_section(root, env)?),
            false => None,
        };

        let mut s = Section::new(root, "smtp")?;
        let host = s.required("host")?;
        let security = s.choice("security", Security::StartTls, SECURITY)?;
        let default_port = match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::None => 25,
        };
        let smtp = SmtpSettings {
            host,
            port: s.int("port", default_port, 1, 65535)? as u16,
            security,
            username: s.string("username")?.filter(|u| !u.is_empty()),
            password: s.secret("SMARTACCT_SMTP_PASSWORD", env)?,
            auth: s.choice("auth", Auth::Password, AUTH)?,
            ca_file: s.path("ca_file")?,
            pool_size: s.int("pool_size", 4, 1, 64)? as u32,
            timeout: Duration::from_secs(s.int("timeout_secs", 60, 1, 3600)? as u64),
            max_retry_hours: s.int("max_retry_hours", 48, 0, 24 * 365)? as u32,
        };
        if smtp.auth == Auth::Xoauth2 && smtp.username.is_none() {
            return Err(ConfigError::new(
                "smtp.username",
                "missing while smtp.auth is \"xoauth2\" (the mailbox to send as)",
            ));
        }
        if smtp.auth == Auth::Password && smtp.username.is_some() && smtp.password.is_none() {
            return Err(ConfigError::new(
                "smtp.password",
                "missing while smtp.username is set (or SMARTACCT_SMTP_PASSWORD)",
            ));
        }
        check_ca(&smtp.ca_file, "smtp.ca_file")?;
        s.finish()?;

        let mut s = Section::new(root, "database")?;
        let url = s.string("url")?.unwrap_or_else(|| "sqlite://var/smartacct.db".into());
        if crate::store::Backend::of_url(&url).is_none() {
            return Err(ConfigError::new(
                "database.url",
                format!("{:?} must start with sqlite:// or postgres://", crate::telemetry::redacted(&url)),
            ));
        }
        let password = s.secret_file("password_file", "SMARTACCT_DATABASE_PASSWORD", env)?;
        let database = DatabaseSettings {
            password,
            max_connections: s.int("max_connections", 4, 2, 100)? as u32,
            claim_lease: Duration::from_secs(s.int("claim_lease_secs", 300, 1, 86400)? as u64),
            url,
        };
        s.finish()?;

        let mut s = Section::new(root, "partners")?;
        let allow = s.strings("allow")?.unwrap_or_default();
        for pattern in &allow {
            if !pattern.contains('@') || pattern.chars().any(char::is_whitespace) {
                return Err(ConfigError::new(
                    "partners.allow",
                    format!("{pattern:?} is not an address or *@domain pattern"),
                ));
            }
        }
        let unknown_sender = s.choice(
            "unknown_sender",
            UnknownSender::Reply,
            &[("reply", UnknownSender::Reply), ("ignore", UnknownSender::Ignore)],
        )?;
        let max_open_requests = s.int("max_open_requests", 20, 1, 1_000_000)? as u32;
        let max_new_requests_per_day = s.int("max_new_requests_per_day", 50, 1, 1_000_000)? as u32;
        s.finish()?;
        let partners = PartnerSettings {
            allow: allow.iter().map(|p| p.to_lowercase()).collect(),
            unknown_sender,
            max_open_requests,
            max_new_requests_per_day,
        };

        let mut s = Section::new(root, "workflow")?;
        let review = s.boolean("review", true)?;
        let acceptance_days = s.int("acceptance_days", 90, 1, 3650)? as u32;
        let reminder_days_before = match s.get("reminder_days_before") {
            None => vec![30, 7],
            Some(toml::Value::Array(items)) => {
                let mut days = Vec::new();
                for v in items {
                    match v {
                        toml::Value::Integer(n) if *n >= 1 && (*n as u32) < acceptance_days => days.push(*n as u32),
                        _ => {
                            return Err(ConfigError::new(
                                "workflow.reminder_days_before",
                                format!(
                                    "each entry must be a whole number of days from 1 to {} (below workflow.acceptance_days)",
                                    acceptance_days - 1
                                ),
                            ));
                        }
                    }
                }
                days.sort_unstable_by(|a, b| b.cmp(a));
                days.dedup();
                days
            }
            Some(v) => {
                return Err(ConfigError::new(
                    "workflow.reminder_days_before",
                    format!("expected an array of integers, got {}", v.type_str()),
                ));
            }
        };
        let review_days = s.int("review_days", 14, 1, 3650)? as u32;
        let default_locale = match s.string("default_locale")? {
            None => Locale::En,
            // The codes only: a name ("Deutsch") belongs in a form, not in a configuration.
            Some(l) => match Locale::ALL.into_iter().find(|loc| loc.as_str() == l) {
                Some(locale) => locale,
                None => {
                    let codes: Vec<String> = Locale::ALL.iter().map(|l| format!("{:?}", l.as_str())).collect();
                    return Err(ConfigError::new(
                        "workflow.default_locale",
                        format!("{l:?} is not one of {}", codes.join(", ")),
                    ));
                }
            },
        };
        let support_url = s.string("support_url")?.unwrap_or_else(|| "https://www.cisco.com/go/scm".into());
        let contact = one_line(&mut s, "contact", 200)?;
        let sign_in_url = one_line(&mut s, "sign_in_url", 200)?;
        s.finish()?;
        let workflow = WorkflowSettings {
            review,
            acceptance_days,
            reminder_days_before,
            review_days,
            default_locale,
            support_url,
            contact,
            sign_in_url,
        };

        let mut s = Section::new(root, "sweep")?;
        let schedule_text = s.string("schedule")?.unwrap_or_else(|| "0 0 2 * * *".into());
        let schedule = cron::Schedule::from_str(&schedule_text).map_err(|e| {
            ConfigError::new(
                "sweep.schedule",
                format!("{schedule_text:?} is not a cron expression with seconds (like \"0 0 2 * * *\"): {e}"),
            )
        })?;
        let tz_text = s.string("timezone")?.unwrap_or_else(|| "UTC".into());
        let timezone = chrono_tz::Tz::from_str(&tz_text).map_err(|_| {
            ConfigError::new("sweep.timezone", format!("{tz_text:?} is not an IANA time zone (like \"Europe/Paris\")"))
        })?;
        s.finish()?;
        let sweep = SweepSettings { schedule, schedule_text, timezone };

        let mut s = Section::new(root, "templates")?;
        let dir = s.path("dir")?;
        s.finish()?;
        let templates = TemplateSettings { dir };

        let mut s = Section::new(root, "hygiene")?;
        let hygiene = HygieneSettings {
            max_auto_replies_per_day: s.int("max_auto_replies_per_day", 10, 0, 100_000)? as u32,
            max_emails_per_recipient_per_day: s.int("max_emails_per_recipient_per_day", 100, 1, 1_000_000)? as u32,
        };
        s.finish()?;

        let hooks = match root.get("hooks") {
            None => None,
            Some(_) => {
                let mut s = Section::new(root, "hooks")?;
                let webhook_url = s.string("webhook_url")?;
                if let Some(url) = &webhook_url {
                    // A user and password here are the receiver's Basic auth: allowed, and never shown.
                    let parsed = parsed_url("hooks.webhook_url", url)?;
                    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                        return Err(ConfigError::new(
                            "hooks.webhook_url",
                            format!("{:?} must be an http(s):// URL", crate::telemetry::redacted(url)),
                        ));
                    }
                }
                let webhook_secret = s.secret_file("webhook_secret_file", "SMARTACCT_HOOKS_WEBHOOK_SECRET", env)?;
                let command = s.string("command")?.filter(|c| !c.trim().is_empty());
                let max_retry_hours = s.int("max_retry_hours", 48, 1, 24 * 365)? as u32;
                let timeout = Duration::from_secs(s.int("timeout_secs", 10, 1, 300)? as u64);
                let ca_file = s.path("ca_file")?;
                s.finish()?;
                if webhook_url.is_none() && command.is_none() {
                    return Err(ConfigError::new("hooks", "set hooks.webhook_url, hooks.command or both"));
                }
                check_ca(&ca_file, "hooks.ca_file")?;
                Some(HookSettings { webhook_url, webhook_secret, command, max_retry_hours, timeout, ca_file })
            }
        };

        let mut s = Section::new(root, "retention")?;
        let closed_days = match s.get("closed_days") {
            None => None,
            Some(_) => Some(s.int("closed_days", 730, 1, 36_500)? as u32),
        };
        s.finish()?;
        let retention = RetentionSettings { closed_days };

        let (metrics, log) = super::operations::read(root)?;
        let lmtp = super::lmtp::read(root)?;
        let console = super::console::read(root)?;
        let dkim = dkim_section(root, &mailbox.address)?;
        let security = security_section(root)?;
        let oauth2 = oauth2_section(
            root,
            env,
            imap.as_ref().is_some_and(|i| i.auth == Auth::Xoauth2) || smtp.auth == Auth::Xoauth2,
        )?;

        Ok(Settings {
            mailbox,
            imap,
            smtp,
            database,
            partners,
            workflow,
            sweep,
            templates,
            hygiene,
            dkim,
            security,
            oauth2,
            hooks,
            retention,
            metrics,
            lmtp,
            console,
            log,
        })
    }

    /// Whether `sender` may request accounts: an exact address or a `*` pattern of `partners.allow`.
    /// `[imap]`, for what reads the mailbox; an error naming the key when the
    /// desk takes its mail over LMTP only.
    pub fn imap(&self) -> Result<&ImapSettings, ConfigError> {
        self.imap.as_ref().ok_or_else(|| {
            ConfigError::new("imap", "not set: this desk takes its mail over LMTP ([lmtp]), not from a mailbox")
        })
    }

    pub fn is_partner(&self, sender: &EmailAddress) -> bool {
        self.partners.allow.iter().any(|p| glob(p.as_bytes(), sender.as_str().as_bytes()))
    }
}

/// `[imap]`: the watched mailbox.
fn imap_section(root: &toml::Table, env: &dyn Fn(&str) -> Option<String>) -> Result<ImapSettings, ConfigError> {
    let mut s = Section::new(root, "imap")?;
    let host = s.required("host")?;
    let security = s.choice("security", Security::Tls, SECURITY)?;
    let default_port = if security == Security::Tls { 993 } else { 143 };
    let imap_auth = s.choice("auth", Auth::Password, AUTH)?;
    let imap_password = s.secret("SMARTACCT_IMAP_PASSWORD", env)?;
    let imap = ImapSettings {
        host,
        port: s.int("port", default_port, 1, 65535)? as u16,
        security,
        username: s.required("username")?,
        password: match (imap_auth, imap_password) {
            (Auth::Xoauth2, p) => p.unwrap_or_default(),
            (Auth::Password, Some(p)) => p,
            (Auth::Password, None) => {
                return Err(ConfigError::new(
                    "imap.password",
                    "missing (set imap.password, imap.password_file or SMARTACCT_IMAP_PASSWORD)",
                ));
            }
        },
        auth: imap_auth,
        ca_file: s.path("ca_file")?,
        folder: s.string("folder")?.unwrap_or_else(|| "INBOX".into()),
        processed_folder: s.string("processed_folder")?.unwrap_or_else(|| "Processed".into()),
        rejected_folder: s.string("rejected_folder")?.unwrap_or_else(|| "Rejected".into()),
        max_message_bytes: s.int("max_message_bytes", 10 * 1024 * 1024, 1024, i64::MAX)? as u64,
        batch_size: s.int("batch_size", 50, 1, 1000)? as usize,
        timeout: Duration::from_secs(s.int("timeout_secs", 60, 1, 3600)? as u64),
        poll_interval: Duration::from_secs(s.int("poll_interval_secs", 60, 1, 86400)? as u64),
        idle_timeout: Duration::from_secs(s.int("idle_secs", 300, 5, 1740)? as u64),
    };
    for (key, folder) in [
        ("imap.folder", &imap.folder),
        ("imap.processed_folder", &imap.processed_folder),
        ("imap.rejected_folder", &imap.rejected_folder),
    ] {
        if folder.trim().is_empty() || folder.chars().any(|c| c.is_control() || c == '"' || c == '\\') {
            return Err(ConfigError::new(key, format!("{folder:?} is not a usable folder name")));
        }
    }
    if imap.processed_folder == imap.folder {
        return Err(ConfigError::new("imap.processed_folder", "must differ from imap.folder"));
    }
    check_ca(&imap.ca_file, "imap.ca_file")?;
    s.finish()?;
    Ok(imap)
}

/// `[dkim]`: the key is read and parsed here, so `check-config` names a bad one.
fn dkim_section(
    root: &toml::Table,
    desk: &EmailAddress,
) -> Result<Option<std::sync::Arc<crate::dkim::DkimSigner>>, ConfigError> {
    if !root.contains_key("dkim") {
        return Ok(None);
    }
    let mut s = Section::new(root, "dkim")?;
    let domain = s.string("domain")?.unwrap_or_else(|| desk.domain().to_string()).to_ascii_lowercase();
    // DMARC passes on DKIM only when d= is the From domain or a parent of it.
    let from = desk.domain().to_ascii_lowercase();
    if domain.is_empty() || !(from == domain || from.ends_with(&format!(".{domain}"))) {
        return Err(ConfigError::new(
            "dkim.domain",
            format!("{domain:?} must be {from} (mailbox.address's domain) or a parent of it, or DMARC will not align"),
        ));
    }
    let selector = s.required("selector")?;
    if selector.is_empty()
        || !selector.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return Err(ConfigError::new("dkim.selector", format!("{selector:?} is not a DNS label (letters, digits, -)")));
    }
    let path = s.path("private_key_file")?.ok_or_else(|| ConfigError::new("dkim.private_key_file", "missing"))?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ConfigError::new("dkim.private_key_file", format!("cannot read {}: {e}", path.display())))?;
    let key = crate::dkim::DkimKey::parse(&text)
        .map_err(|e| ConfigError::new("dkim.private_key_file", format!("{} {e}", path.display())))?;
    s.finish()?;
    Ok(Some(std::sync::Arc::new(crate::dkim::DkimSigner { domain, selector, key })))
}

/// `[oauth2]`: required by any `auth = "xoauth2"`; the client secret from a file or the environment only.
fn oauth2_section(
    root: &toml::Table,
    env: &dyn Fn(&str) -> Option<String>,
    needed: bool,
) -> Result<Option<OAuth2Settings>, ConfigError> {
    if !root.contains_key("oauth2") {
        return if needed {
            Err(ConfigError::new("oauth2", "missing while imap.auth or smtp.auth is \"xoauth2\""))
        } else {
            Ok(None)
        };
    }
    let mut s = Section::new(root, "oauth2")?;
    let token_command = s.string("token_command")?.filter(|c| !c.trim().is_empty());
    let token_url = s.string("token_url")?;
    let client_id = s.string("client_id")?;
    let secret_file = s.path("client_secret_file")?;
    let scope = s.string("scope")?.filter(|c| !c.trim().is_empty());
    let refresh_token_file = s.path("refresh_token_file")?;
    let ca_file = s.path("ca_file")?;
    s.finish()?;
    if let Some(token_command) = token_command {
        if let Some(key) = [
            ("oauth2.token_url", token_url.is_some()),
            ("oauth2.client_id", client_id.is_some()),
            ("oauth2.client_secret_file", secret_file.is_some()),
            ("oauth2.refresh_token_file", refresh_token_file.is_some()),
            ("oauth2.ca_file", ca_file.is_some()),
        ]
        .iter()
        .find_map(|(k, set)| set.then_some(*k))
        {
            return Err(ConfigError::new(
                key,
                "cannot be used with oauth2.token_command (the command gives the token)",
            ));
        }
        return Ok(Some(OAuth2Settings::Command { token_command }));
    }
    let token_url =
        token_url.ok_or_else(|| ConfigError::new("oauth2.token_url", "missing (or set oauth2.token_command)"))?;
    check_token_url(&token_url)?;
    check_ca(&ca_file, "oauth2.ca_file")?;
    let client_id =
        client_id.filter(|c| !c.is_empty()).ok_or_else(|| ConfigError::new("oauth2.client_id", "missing"))?;
    let client_secret = match (env("SMARTACCT_OAUTH2_CLIENT_SECRET").filter(|v| !v.is_empty()), &secret_file) {
        (Some(v), _) => Some(v),
        (None, Some(path)) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| {
                    ConfigError::new("oauth2.client_secret_file", format!("cannot read {}: {e}", path.display()))
                })?
                .trim()
                .to_string(),
        ),
        (None, None) => None,
    };
    // client_credentials needs a secret; a refresh_token grant may do without (a public client).
    if client_secret.is_none() && refresh_token_file.is_none() {
        return Err(ConfigError::new(
            "oauth2.client_secret_file",
            "missing (or env SMARTACCT_OAUTH2_CLIENT_SECRET): the client_credentials grant needs the client secret",
        ));
    }
    if let Some(path) = &refresh_token_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new("oauth2.refresh_token_file", format!("cannot read {}: {e}", path.display()))
        })?;
        if text.trim().is_empty() || text.trim().chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ConfigError::new(
                "oauth2.refresh_token_file",
                format!("{} must hold one refresh token on one line", path.display()),
            ));
        }
    }
    Ok(Some(OAuth2Settings::Endpoint { token_url, client_id, client_secret, scope, refresh_token_file, ca_file }))
}

/// `oauth2.token_url`: parsed, never prefix-matched (`http://127.0.0.1:@attacker.example/`
/// starts as a loopback URL does, and goes to attacker.example). https anywhere; plain
/// http only to this machine (a loopback address, or `localhost`), since the form
/// carries the client secret; no user or password (the client's credentials are
/// `client_id` and `client_secret_file`, and a URL's are shown in logs and errors).
fn check_token_url(text: &str) -> Result<(), ConfigError> {
    let url = parsed_url("oauth2.token_url", text)?;
    let shown = crate::telemetry::redacted(text);
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            "oauth2.token_url",
            format!(
                "{shown:?} must not carry a user or password (the client's credentials are oauth2.client_id and oauth2.client_secret_file)"
            ),
        ));
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(ConfigError::new(
            "oauth2.token_url",
            format!("{shown:?} must be an https:// URL (plain http only to this machine's loopback)"),
        )),
    }
}

/// A URL setting, parsed; the error shows it without credentials.
fn parsed_url(key: &str, text: &str) -> Result<url::Url, ConfigError> {
    url::Url::parse(text)
        .map_err(|e| ConfigError::new(key, format!("{:?} is not a URL ({e})", crate::telemetry::redacted(text))))
}

/// `[security]`.
fn security_section(root: &toml::Table) -> Result<SecuritySettings, ConfigError> {
    let mut s = Section::new(root, "security")?;
    let trusted = match s.string("authserv_id")? {
        None => None,
        Some(id) if id.eq_ignore_ascii_case("microsoft365") => Some(TrustedServer::Microsoft365),
        Some(id)
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b)) =>
        {
            Some(TrustedServer::Id(id))
        }
        Some(id) => {
            return Err(ConfigError::new(
                "security.authserv_id",
                format!("{id:?} is not an authserv-id (a host name like mx.example.com, or \"microsoft365\")"),
            ));
        }
    };
    let dmarc = s.choice("dmarc", DmarcPolicy::RefuseFail, DmarcPolicy::CHOICES)?;
    let verify_dkim = s.boolean("verify_dkim", false)?;
    let resolver = match s.string("resolver")?.as_deref() {
        None | Some("system") => crate::dns_auth::Resolver::System,
        Some(text) => match text.parse::<std::net::SocketAddr>() {
            Ok(addr) => crate::dns_auth::Resolver::At(addr),
            Err(_) => {
                return Err(ConfigError::new(
                    "security.resolver",
                    format!("{text:?} is neither \"system\" nor an address and port like \"127.0.0.1:53\""),
                ));
            }
        },
    };
    if dmarc == DmarcPolicy::RequirePass && trusted.is_none() && !verify_dkim {
        return Err(ConfigError::new(
            "security.dmarc",
            "\"require-pass\" needs security.authserv_id or security.verify_dkim: without a check nothing could pass",
        ));
    }
    s.finish()?;
    Ok(SecuritySettings { trusted, dmarc, verify_dkim, resolver })
}

fn check_ca(path: &Option<PathBuf>, key: &str) -> Result<(), ConfigError> {
    if let Some(p) = path {
        let pem = std::fs::read(p).map_err(|e| ConfigError::new(key, format!("cannot read {}: {e}", p.display())))?;
        if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
            return Err(ConfigError::new(key, format!("{} holds no PEM certificate", p.display())));
        }
    }
    Ok(())
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}
