//! Every configuration key the reader accepts, with its type, default, allowed values and meaning: the one table that docs/configuration.md is generated from, held to the reader by tests.
use std::collections::BTreeSet;

/// One `[section]` of the file.
pub struct SectionDoc {
    pub name: &'static str,
    /// What the section is for, and what its absence means.
    pub doc: &'static str,
}

/// One key of a section.
pub struct Key {
    pub section: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    /// The default in Markdown, or what an absent key means ("required", "unset: …").
    pub default: &'static str,
    /// A variable that sets it besides `SMARTACCT__SECTION__KEY` (the secrets').
    pub env: Option<&'static str>,
    /// One line of TOML, as it would stand in its section.
    pub example: &'static str,
    pub doc: &'static str,
}

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Path,
    Integer { min: i64, max: i64 },
    Boolean,
    OneOf(&'static [&'static str]),
    Texts,
    Integers,
}

impl Kind {
    fn describe(self) -> String {
        match self {
            Kind::Text => "string".into(),
            Kind::Path => "string (a file path)".into(),
            Kind::Integer { min, max: i64::MAX } => format!("integer, at least {min}"),
            Kind::Integer { min, max } => format!("integer, from {min} to {max}"),
            Kind::Boolean => "boolean (`true` or `false`)".into(),
            Kind::OneOf(names) => {
                let names: Vec<String> = names.iter().map(|n| format!("`\"{n}\"`")).collect();
                format!("string, one of {}", names.join(", "))
            }
            Kind::Texts => "array of strings".into(),
            Kind::Integers => "array of integers".into(),
        }
    }
}

const SECURITY: Kind = Kind::OneOf(&["tls", "starttls", "none"]);
const AUTH: Kind = Kind::OneOf(&["password", "xoauth2"]);
/// `workflow.default_locale`: the codes of `Locale::ALL` (a test holds them together).
pub const LOCALES: &[&str] = &["en", "fr", "de", "es", "it", "pt", "ja", "zh"];
const SECONDS_IN_AN_HOUR: i64 = 3600;

pub const SECTIONS: &[SectionDoc] = &[
    SectionDoc { name: "mailbox", doc: "The desk's own address and how it signs its emails. Required." },
    SectionDoc {
        name: "imap",
        doc: "The mailbox the desk watches. Required, unless the desk takes its mail from the MTA over LMTP \
              (`[lmtp]`) only.",
    },
    SectionDoc { name: "smtp", doc: "The server the desk sends its emails through. Required." },
    SectionDoc {
        name: "database",
        doc: "Where the desk keeps its state: one SQLite file (the default) or a PostgreSQL database shared by \
              several hosts.",
    },
    SectionDoc { name: "partners", doc: "Who may request accounts, and how many." },
    SectionDoc { name: "workflow", doc: "The request's steps: review, acceptance, reminders, languages, links." },
    SectionDoc { name: "sweep", doc: "When the nightly sweep (expiry, reminders, closing unsubmitted reviews) runs." },
    SectionDoc { name: "templates", doc: "Where an operator's own templates and catalogs are." },
    SectionDoc { name: "hygiene", doc: "Caps that keep the desk from flooding anyone." },
    SectionDoc {
        name: "hooks",
        doc: "Events to the system that provisions accounts (see [events.md](events.md)). Off while absent: no \
              event is recorded. At least one of `webhook_url` and `command` is required.",
    },
    SectionDoc {
        name: "retention",
        doc: "How long personal data is kept once a request is closed. Absent: kept for ever.",
    },
    SectionDoc {
        name: "metrics",
        doc: "The HTTP listener for Prometheus and health checks (see [metrics.md](metrics.md)). Off while absent.",
    },
    SectionDoc { name: "log", doc: "How the log lines on stderr look." },
    SectionDoc {
        name: "lmtp",
        doc: "Mail straight from the MTA over LMTP, served by `run` beside the IMAP watcher or alone. Off while \
              absent.",
    },
    SectionDoc {
        name: "console",
        doc: "The operator console, served by `run` (see [security.md](security.md#the-operator-console)). Off \
              while absent.",
    },
    SectionDoc {
        name: "dkim",
        doc: "DKIM signing of every outgoing email. Off while absent; present, `selector` and `private_key_file` \
              are required.",
    },
    SectionDoc {
        name: "security",
        doc: "Which authentication results the desk trusts before a form or a command counts (see \
              [security.md](security.md#authenticated-senders)). Without `authserv_id` and `verify_dkim` nothing \
              is checked.",
    },
    SectionDoc {
        name: "oauth2",
        doc: "Where the access tokens for `auth = \"xoauth2\"` come from: a token endpoint, or a command. \
              Required whenever `imap.auth` or `smtp.auth` is `\"xoauth2\"`.",
    },
];

const fn key(
    section: &'static str,
    name: &'static str,
    kind: Kind,
    default: &'static str,
    example: &'static str,
    doc: &'static str,
) -> Key {
    Key { section, name, kind, default, env: None, example, doc }
}

const fn secret(
    section: &'static str,
    name: &'static str,
    env: &'static str,
    example: &'static str,
    doc: &'static str,
) -> Key {
    Key { section, name, kind: Kind::Path, default: "unset", env: Some(env), example, doc }
}

pub const KEYS: &[Key] = &[
    // [mailbox]
    key(
        "mailbox",
        "address",
        Kind::Text,
        "required",
        "address = \"smartacct@example.com\"",
        "The desk's one address. Its plus forms (`+rev-…`, `+act-…`, `+bounce-…`) must reach the same mailbox; \
         where they do not (Exchange), replies are still matched by In-Reply-To and References. No `+tag` of its \
         own, and at most 33 characters before the `@`, so the reply addresses stay within the 64 that mail allows.",
    ),
    key(
        "mailbox",
        "display_name",
        Kind::Text,
        "`\"Smart Account Desk\"`",
        "display_name = \"Smart Account Desk\"",
        "The name in the From of every email. One line.",
    ),
    key(
        "mailbox",
        "organization",
        Kind::Text,
        "unset",
        "organization = \"Cisco Smart Accounts\"",
        "Who the desk speaks for, named in every email. One line of at most 100 characters.",
    ),
    // [imap]
    key("imap", "host", Kind::Text, "required", "host = \"imap.example.com\"", "The IMAP server."),
    key(
        "imap",
        "port",
        Kind::Integer { min: 1, max: 65535 },
        "`993` with `security = \"tls\"`, else `143`",
        "port = 993",
        "The IMAP server's port.",
    ),
    key(
        "imap",
        "security",
        SECURITY,
        "`\"tls\"`",
        "security = \"tls\"",
        "`\"tls\"`: TLS from the first byte; `\"starttls\"`: plain, then STARTTLS (refused if the server does not \
         offer it); `\"none\"`: plain text, for a server on this machine only.",
    ),
    key("imap", "username", Kind::Text, "required", "username = \"smartacct@example.com\"", "The login."),
    Key {
        section: "imap",
        name: "password",
        kind: Kind::Text,
        default: "unset",
        env: Some("SMARTACCT_IMAP_PASSWORD"),
        example: "password = \"…\"",
        doc: "The password, written in the file. Prefer `password_file` or the environment variable (which wins \
              over both). Setting `password` and `password_file` together is refused. One of the three is required \
              with `auth = \"password\"`.",
    },
    secret(
        "imap",
        "password_file",
        "SMARTACCT_IMAP_PASSWORD",
        "password_file = \"/etc/smartacct/imap-password\"",
        "A file holding the password (its trailing line break is dropped), readable by the service user only. \
         Commands that only read the database never read it.",
    ),
    key(
        "imap",
        "auth",
        AUTH,
        "`\"password\"`",
        "auth = \"xoauth2\"",
        "`\"password\"`: LOGIN with the password; `\"xoauth2\"`: SASL XOAUTH2 with an access token from \
         `[oauth2]` (Microsoft 365, Google Workspace), and no password.",
    ),
    key(
        "imap",
        "ca_file",
        Kind::Path,
        "unset: the system's roots only",
        "ca_file = \"/etc/smartacct/ca.pem\"",
        "An extra CA certificate (PEM) trusted for the IMAP server, beside the system's roots.",
    ),
    key("imap", "folder", Kind::Text, "`\"INBOX\"`", "folder = \"INBOX\"", "Where forms and replies arrive."),
    key(
        "imap",
        "processed_folder",
        Kind::Text,
        "`\"Processed\"`",
        "processed_folder = \"Processed\"",
        "Where a message goes once its decision is committed (created if missing). Must differ from `folder`.",
    ),
    key(
        "imap",
        "rejected_folder",
        Kind::Text,
        "`\"Rejected\"`",
        "rejected_folder = \"Rejected\"",
        "Where mail is set aside unread (too big, unreadable); `smartacct mail reprocess` takes it back from here.",
    ),
    key(
        "imap",
        "max_message_bytes",
        Kind::Integer { min: 1024, max: i64::MAX },
        "`10485760` (10 MiB)",
        "max_message_bytes = 10485760",
        "A bigger message is set aside unread.",
    ),
    key(
        "imap",
        "batch_size",
        Kind::Integer { min: 1, max: 1000 },
        "`50`",
        "batch_size = 50",
        "Messages fetched, decided and committed together.",
    ),
    key(
        "imap",
        "timeout_secs",
        Kind::Integer { min: 1, max: SECONDS_IN_AN_HOUR },
        "`60`",
        "timeout_secs = 60",
        "How long any IMAP command may take.",
    ),
    key(
        "imap",
        "poll_interval_secs",
        Kind::Integer { min: 1, max: 86400 },
        "`60`",
        "poll_interval_secs = 60",
        "How often `run` looks for mail on a server without IDLE.",
    ),
    key(
        "imap",
        "idle_secs",
        Kind::Integer { min: 5, max: 1740 },
        "`300`",
        "idle_secs = 300",
        "How long one IDLE waits before it is issued again (a dead connection is noticed within this).",
    ),
    // [smtp]
    key("smtp", "host", Kind::Text, "required", "host = \"smtp.example.com\"", "The SMTP server."),
    key(
        "smtp",
        "security",
        SECURITY,
        "`\"starttls\"`",
        "security = \"starttls\"",
        "As `imap.security`: `\"tls\"`, `\"starttls\"` or `\"none\"`.",
    ),
    key(
        "smtp",
        "port",
        Kind::Integer { min: 1, max: 65535 },
        "`587` with `\"starttls\"`, `465` with `\"tls\"`, `25` with `\"none\"`",
        "port = 587",
        "The SMTP server's port.",
    ),
    key(
        "smtp",
        "username",
        Kind::Text,
        "unset: no AUTH",
        "username = \"smartacct@example.com\"",
        "The login; with `auth = \"xoauth2\"`, the mailbox to send as (then required).",
    ),
    Key {
        section: "smtp",
        name: "password",
        kind: Kind::Text,
        default: "unset",
        env: Some("SMARTACCT_SMTP_PASSWORD"),
        example: "password = \"…\"",
        doc: "As `imap.password`; required when `username` is set with `auth = \"password\"`.",
    },
    secret(
        "smtp",
        "password_file",
        "SMARTACCT_SMTP_PASSWORD",
        "password_file = \"/etc/smartacct/smtp-password\"",
        "As `imap.password_file`.",
    ),
    key(
        "smtp",
        "auth",
        AUTH,
        "`\"password\"`",
        "auth = \"xoauth2\"",
        "`\"password\"`: AUTH with the password (when `username` is set); `\"xoauth2\"`: an access token from \
         `[oauth2]`.",
    ),
    key(
        "smtp",
        "ca_file",
        Kind::Path,
        "unset: the system's roots only",
        "ca_file = \"/etc/smartacct/ca.pem\"",
        "An extra CA certificate (PEM) trusted for the SMTP server.",
    ),
    key(
        "smtp",
        "pool_size",
        Kind::Integer { min: 1, max: 64 },
        "`4`",
        "pool_size = 4",
        "SMTP connections kept open and used at once.",
    ),
    key(
        "smtp",
        "timeout_secs",
        Kind::Integer { min: 1, max: SECONDS_IN_AN_HOUR },
        "`60`",
        "timeout_secs = 60",
        "How long one send may take.",
    ),
    key(
        "smtp",
        "max_retry_hours",
        Kind::Integer { min: 0, max: 8760 },
        "`48`",
        "max_retry_hours = 48",
        "How long an email that meets temporary failures (4xx, connection errors) is retried, with backoff, \
         before it is marked failed (`smartacct outbox list --failed`).",
    ),
    // [database]
    key(
        "database",
        "url",
        Kind::Text,
        "`\"sqlite://var/smartacct.db\"`",
        "url = \"sqlite:///var/lib/smartacct/smartacct.db\"",
        "`sqlite://PATH` (a relative path from the working directory, `sqlite:///ABSOLUTE` otherwise): the file is \
         created if missing (mode 0600), its directory never is. \
         `postgres://USER@HOST:PORT/DB` (PostgreSQL 13 or newer, `?sslmode=require` for TLS): several `run` \
         processes may share it.",
    ),
    secret(
        "database",
        "password_file",
        "SMARTACCT_DATABASE_PASSWORD",
        "password_file = \"/etc/smartacct/db-password\"",
        "PostgreSQL's password, when it is not in the URL.",
    ),
    key(
        "database",
        "max_connections",
        Kind::Integer { min: 2, max: 100 },
        "`4`",
        "max_connections = 4",
        "Pooled connections per process (PostgreSQL's locks take a few more).",
    ),
    key(
        "database",
        "claim_lease_secs",
        Kind::Integer { min: 1, max: 86400 },
        "`300`",
        "claim_lease_secs = 300",
        "PostgreSQL: how long an email claimed by a process that died waits before another sends it. Keep it \
         above four times `smtp.timeout_secs`.",
    ),
    // [partners]
    key(
        "partners",
        "allow",
        Kind::Texts,
        "`[]`: nobody (`check-config` warns)",
        "allow = [\"*@partner.example\", \"alice@reseller.example\"]",
        "Who may request accounts: addresses, or patterns where `*` stands for any run of characters. Compared \
         in lower case.",
    ),
    key(
        "partners",
        "unknown_sender",
        Kind::OneOf(&["reply", "ignore"]),
        "`\"reply\"`",
        "unknown_sender = \"ignore\"",
        "What a form from anyone else gets: `\"reply\"`, one short refusal (within the daily cap); `\"ignore\"`, \
         nothing.",
    ),
    key(
        "partners",
        "max_open_requests",
        Kind::Integer { min: 1, max: 1_000_000 },
        "`20`",
        "max_open_requests = 20",
        "Live requests (in review or awaiting the customer) one partner mailbox may hold.",
    ),
    key(
        "partners",
        "max_new_requests_per_day",
        Kind::Integer { min: 1, max: 1_000_000 },
        "`50`",
        "max_new_requests_per_day = 50",
        "New requests one partner mailbox may make in 24 hours.",
    ),
    // [workflow]
    key(
        "workflow",
        "review",
        Kind::Boolean,
        "`true`",
        "review = false",
        "`true`: the partner reviews the form and replies SUBMIT; `false`: a valid form is submitted at once.",
    ),
    key(
        "workflow",
        "acceptance_days",
        Kind::Integer { min: 1, max: 3650 },
        "`90`",
        "acceptance_days = 90",
        "The customer's time to accept, from the submission.",
    ),
    key(
        "workflow",
        "reminder_days_before",
        Kind::Integers,
        "`[30, 7]`",
        "reminder_days_before = [30, 7]",
        "Reminders to the customer, so many days before the acceptance expires; each from 1 to \
         `acceptance_days - 1`. `[]`: none.",
    ),
    key(
        "workflow",
        "review_days",
        Kind::Integer { min: 1, max: 3650 },
        "`14`",
        "review_days = 14",
        "The partner's time to SUBMIT; after it the request is closed as `review_expired`.",
    ),
    key(
        "workflow",
        "default_locale",
        Kind::OneOf(LOCALES),
        "`\"en\"`",
        "default_locale = \"fr\"",
        "The language of a form that does not tell, and of answers that concern no request.",
    ),
    key(
        "workflow",
        "support_url",
        Kind::Text,
        "`\"https://www.cisco.com/go/scm\"`",
        "support_url = \"https://www.cisco.com/go/scm\"",
        "Where a partner opens a case, named in refusals.",
    ),
    key(
        "workflow",
        "contact",
        Kind::Text,
        "unset",
        "contact = \"licensing-support@example.com\"",
        "A human to ask (an address or a URL), in every email to a customer. One line of at most 200 characters.",
    ),
    key(
        "workflow",
        "sign_in_url",
        Kind::Text,
        "unset",
        "sign_in_url = \"https://software.cisco.com\"",
        "Where added users go next, in their email. One line of at most 200 characters.",
    ),
    // [sweep]
    key(
        "sweep",
        "schedule",
        Kind::Text,
        "`\"0 0 2 * * *\"` (02:00 every day)",
        "schedule = \"0 30 1 * * *\"",
        "A cron expression with seconds: `sec min hour day month weekday` (prefer weekday names: numbers start \
         at Sunday = 1).",
    ),
    key(
        "sweep",
        "timezone",
        Kind::Text,
        "`\"UTC\"`",
        "timezone = \"Europe/Paris\"",
        "The IANA time zone of `schedule`. A local time that a DST change skips or repeats runs once.",
    ),
    // [templates]
    key(
        "templates",
        "dir",
        Kind::Path,
        "unset: the built-in templates",
        "dir = \"/etc/smartacct/templates\"",
        "Files here replace the built-in ones, file by file: `LANG/KIND.PART.hbs`, `KIND.PART.hbs`, \
         `catalogs/LANG.ftl` (see [templates.md](templates.md)).",
    ),
    // [hygiene]
    key(
        "hygiene",
        "max_auto_replies_per_day",
        Kind::Integer { min: 0, max: 100_000 },
        "`10`",
        "max_auto_replies_per_day = 10",
        "Refusals and error answers to one mailbox in 24 hours; past it, mail is still recorded, not answered.",
    ),
    key(
        "hygiene",
        "max_emails_per_recipient_per_day",
        Kind::Integer { min: 1, max: 1_000_000 },
        "`100`",
        "max_emails_per_recipient_per_day = 100",
        "Any email in answer to mail, to one mailbox in 24 hours (the sweep's notices aside); past it the email is \
         left out and the request's history says so. Keep it above twice `partners.max_new_requests_per_day`.",
    ),
    // [hooks]
    key(
        "hooks",
        "webhook_url",
        Kind::Text,
        "unset",
        "webhook_url = \"https://provisioning.example.com/smartacct\"",
        "An http(s) URL that receives one JSON POST per event. A user and password in it are sent as Basic \
         auth and never shown. Redirects are not followed.",
    ),
    secret(
        "hooks",
        "webhook_secret_file",
        "SMARTACCT_HOOKS_WEBHOOK_SECRET",
        "webhook_secret_file = \"/etc/smartacct/webhook-secret\"",
        "A file holding the shared secret that signs each POST (`X-Smartacct-Signature`).",
    ),
    key(
        "hooks",
        "command",
        Kind::Text,
        "unset",
        "command = \"/usr/local/bin/provision\"",
        "A command run with the event's JSON on stdin, through `sh -c`; exit status 0 means delivered.",
    ),
    key(
        "hooks",
        "max_retry_hours",
        Kind::Integer { min: 1, max: 8760 },
        "`48`",
        "max_retry_hours = 48",
        "How long an event is retried before it is marked failed (shown, and retryable).",
    ),
    key(
        "hooks",
        "timeout_secs",
        Kind::Integer { min: 1, max: 300 },
        "`10`",
        "timeout_secs = 10",
        "How long one POST or one run of the command may take.",
    ),
    key(
        "hooks",
        "ca_file",
        Kind::Path,
        "unset: the system's roots only",
        "ca_file = \"/etc/smartacct/provisioning-ca.pem\"",
        "An extra CA certificate (PEM) trusted for `webhook_url`.",
    ),
    // [retention]
    key(
        "retention",
        "closed_days",
        Kind::Integer { min: 1, max: 36_500 },
        "unset: kept",
        "closed_days = 730",
        "The sweep erases the personal data of requests closed longer ago (addresses, notes, names, the emails' \
         bytes, the raw messages); the reference, state and dates stay.",
    ),
    // [metrics]
    key(
        "metrics",
        "listen",
        Kind::Text,
        "unset: off",
        "listen = \"127.0.0.1:9187\"",
        "An address and port where `run` serves `/metrics`, `/healthz` and `/readyz`.",
    ),
    // [log]
    key(
        "log",
        "format",
        Kind::OneOf(&["text", "json"]),
        "`\"text\"`",
        "format = \"json\"",
        "`\"text\"`: lines for people (colour only on a terminal); `\"json\"`: one JSON object per line, for \
         journald, Loki or ELK. `RUST_LOG` sets the level.",
    ),
    // [lmtp]
    key(
        "lmtp",
        "listen",
        Kind::Text,
        "required in `[lmtp]`",
        "listen = \"127.0.0.1:8024\"",
        "An address and port, or `\"unix:/ABSOLUTE/PATH\"` for a socket (created mode 0666: its directory decides \
         who may connect).",
    ),
    key(
        "lmtp",
        "max_message_bytes",
        Kind::Integer { min: 1024, max: 1 << 30 },
        "`10485760` (10 MiB)",
        "max_message_bytes = 10485760",
        "Announced as SIZE; a bigger message is refused with 552.",
    ),
    key(
        "lmtp",
        "idle_timeout_secs",
        Kind::Integer { min: 1, max: SECONDS_IN_AN_HOUR },
        "`60`",
        "idle_timeout_secs = 60",
        "A connection that sends no command for this long is closed (421 4.4.2), so idle connections cannot \
         hold the door's places.",
    ),
    // [console]
    key(
        "console",
        "listen",
        Kind::Text,
        "required in `[console]`",
        "listen = \"127.0.0.1:8025\"",
        "An address and port. Keep it on loopback behind a TLS reverse proxy.",
    ),
    key(
        "console",
        "users_file",
        Kind::Path,
        "`\"/etc/smartacct/console-users\"`",
        "users_file = \"/etc/smartacct/console-users\"",
        "One operator a line, `NAME:ROLE:ARGON2ID-HASH`, written by `smartacct console add-user`; read at each \
         request.",
    ),
    key(
        "console",
        "session_hours",
        Kind::Integer { min: 1, max: 744 },
        "`12`",
        "session_hours = 12",
        "How long a sign-in lasts.",
    ),
    key(
        "console",
        "trusted_header",
        Kind::Text,
        "unset",
        "trusted_header = \"X-Remote-User\"",
        "A header in which an authenticating reverse proxy names the operator; believed only from \
         `trusted_proxies` (then required).",
    ),
    key(
        "console",
        "trusted_proxies",
        Kind::Texts,
        "`[]`",
        "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]",
        "Addresses or CIDR networks whose `trusted_header`, `X-Forwarded-For` and `X-Forwarded-Proto` are \
         believed.",
    ),
    // [dkim]
    key(
        "dkim",
        "domain",
        Kind::Text,
        "the domain of `mailbox.address`",
        "domain = \"example.com\"",
        "The signing domain (`d=`): the desk's domain or a parent of it, so DMARC aligns.",
    ),
    key(
        "dkim",
        "selector",
        Kind::Text,
        "required in `[dkim]`",
        "selector = \"smartacct\"",
        "The selector (`s=`): the key is published at `SELECTOR._domainkey.DOMAIN`.",
    ),
    key(
        "dkim",
        "private_key_file",
        Kind::Path,
        "required in `[dkim]`",
        "private_key_file = \"/etc/smartacct/dkim.pem\"",
        "RSA of 1024 bits or more (PKCS#1 or PKCS#8 PEM), or Ed25519 (PKCS#8 PEM). Read and checked at start.",
    ),
    // [security]
    key(
        "security",
        "authserv_id",
        Kind::Text,
        "unset: no header trusted",
        "authserv_id = \"mx.example.com\"",
        "Whose `Authentication-Results` to trust: the authserv-id your receiving server writes (Google: \
         `\"mx.google.com\"`), or `\"microsoft365\"` for Exchange Online's header, which has none.",
    ),
    key(
        "security",
        "dmarc",
        Kind::OneOf(&["refuse-fail", "require-pass", "off"]),
        "`\"refuse-fail\"`",
        "dmarc = \"require-pass\"",
        "`\"refuse-fail\"`: a form or command whose From fails DMARC is refused; `\"require-pass\"`: anything short \
         of a pass is refused (needs `authserv_id` or `verify_dkim`); `\"off\"`: the result is recorded only.",
    ),
    key(
        "security",
        "verify_dkim",
        Kind::Boolean,
        "`false`",
        "verify_dkim = true",
        "The desk verifies DKIM signatures and the From domain's DMARC policy itself, over DNS.",
    ),
    key(
        "security",
        "resolver",
        Kind::Text,
        "`\"system\"`",
        "resolver = \"127.0.0.1:53\"",
        "The DNS server `verify_dkim` asks: `\"system\"` (the host's), or an address and port.",
    ),
    // [oauth2]
    key(
        "oauth2",
        "token_url",
        Kind::Text,
        "required, unless `token_command`",
        "token_url = \"https://login.microsoftonline.com/TENANT-ID/oauth2/v2.0/token\"",
        "The identity provider's token endpoint: https (plain http to this machine's loopback only), without a \
         user or password in it.",
    ),
    key(
        "oauth2",
        "client_id",
        Kind::Text,
        "required with `token_url`",
        "client_id = \"APPLICATION-ID\"",
        "The application's client id.",
    ),
    secret(
        "oauth2",
        "client_secret_file",
        "SMARTACCT_OAUTH2_CLIENT_SECRET",
        "client_secret_file = \"/run/credentials/smartacct.service/oauth2-secret\"",
        "A file holding the client secret (a systemd credential works). Required by the `client_credentials` \
         grant, i.e. without `refresh_token_file`.",
    ),
    key(
        "oauth2",
        "scope",
        Kind::Text,
        "unset",
        "scope = \"https://outlook.office365.com/.default\"",
        "The scope asked for (Google: `\"https://mail.google.com/\"`).",
    ),
    key(
        "oauth2",
        "refresh_token_file",
        Kind::Path,
        "unset: the `client_credentials` grant",
        "refresh_token_file = \"/etc/smartacct/refresh-token\"",
        "Present: the `refresh_token` grant (Google), with the token alone on one line. Rotated tokens are kept in \
         the database; writing a new token into the file wins over them.",
    ),
    key(
        "oauth2",
        "token_command",
        Kind::Text,
        "unset",
        "token_command = \"/usr/local/bin/mail-token\"",
        "Instead of every other key: a command that prints an access token.",
    ),
    key(
        "oauth2",
        "ca_file",
        Kind::Path,
        "unset: the system's roots only",
        "ca_file = \"/etc/smartacct/idp-ca.pem\"",
        "An extra CA certificate (PEM) trusted for `token_url`.",
    ),
];

/// The variable that sets `section.key` from the environment.
pub fn env_override(section: &str, name: &str) -> String {
    format!("SMARTACCT__{}__{}", section.to_uppercase(), name.to_uppercase())
}

/// Every `section.key` of the table.
pub fn known_keys() -> BTreeSet<String> {
    KEYS.iter().map(|k| format!("{}.{}", k.section, k.name)).collect()
}

/// Every `section.key` the reader itself asks for, found by reading
/// configurations in which every section is present (see `read_everything`).
pub fn read_by_the_code() -> BTreeSet<String> {
    read_everything().into_iter().map(|(key, _)| key).collect()
}

/// What the reader asks of each key, over configurations that reach every
/// section: one with every optional section but `[dkim]` (which fails only
/// once its key file is opened, after every key was asked), and one with it.
pub(super) fn read_everything() -> Vec<(String, super::reader::Asked)> {
    const BASE: &str = "[mailbox]\naddress = \"desk@example.test\"\n\
        [imap]\nhost = \"127.0.0.1\"\nusername = \"desk@example.test\"\npassword = \"secret\"\n\
        [smtp]\nhost = \"127.0.0.1\"\n";
    let every = format!(
        "{BASE}[hooks]\ncommand = \"true\"\n[retention]\nclosed_days = 730\n[metrics]\nlisten = \"127.0.0.1:9187\"\n\
         [lmtp]\nlisten = \"127.0.0.1:8024\"\n[console]\nlisten = \"127.0.0.1:8025\"\n\
         [oauth2]\ntoken_command = \"true\"\n"
    );
    let dkim = format!("{BASE}[dkim]\nselector = \"s\"\nprivate_key_file = \"/nonexistent/dkim.pem\"\n");
    let mut asked = Vec::new();
    for text in [every, dkim] {
        let table: toml::Table = text.parse().expect("the sample configurations are TOML");
        let (_, seen) = super::reader::recording(|| super::Settings::from_table(&table, &|_| None).map(drop));
        asked.extend(seen);
    }
    asked
}

/// Where the generated reference starts in docs/configuration.md.
pub const BEGIN: &str =
    "<!-- BEGIN REFERENCE: made from src/configuration/keys.rs by `cargo xtask docs`; do not edit by hand -->";
/// Where it ends.
pub const END: &str = "<!-- END REFERENCE -->";

/// `markdown` (docs/configuration.md) with the part between `BEGIN` and `END`
/// made anew from the table; `None` when the markers are missing.
pub fn with_reference(markdown: &str) -> Option<String> {
    let (head, rest) = markdown.split_once(BEGIN)?;
    let (_, tail) = rest.split_once(END)?;
    Some(format!("{head}{BEGIN}\n\n{}\n{END}{tail}", reference()))
}

/// The reference part of docs/configuration.md, made from the table.
pub fn reference() -> String {
    let mut out = String::new();
    for section in SECTIONS {
        out.push_str(&format!("## `[{}]`\n\n{}\n\n", section.name, section.doc));
        for k in KEYS.iter().filter(|k| k.section == section.name) {
            out.push_str(&format!("### `{}.{}`\n\n{}\n\n", k.section, k.name, k.doc));
            out.push_str(&format!("- Type: {}\n", k.kind.describe()));
            out.push_str(&format!("- Default: {}\n", k.default));
            let mut env = format!("`{}`", env_override(k.section, k.name));
            if let Some(var) = k.env {
                env = format!("`{var}` (the secret itself, which wins over this key), or {env}");
            }
            out.push_str(&format!("- Environment: {env}\n"));
            out.push_str(&format!("- Example: `{}`\n\n", k.example));
        }
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::super::reader::Asked;
    use super::*;

    #[test]
    fn every_key_the_reader_asks_for_is_in_the_table_and_every_key_of_the_table_is_asked_for() {
        let code = read_by_the_code();
        let table = known_keys();
        let missing: Vec<&String> = code.difference(&table).collect();
        assert!(missing.is_empty(), "read by the code, not in keys.rs (nor in docs/configuration.md): {missing:?}");
        let unread: Vec<&String> = table.difference(&code).collect();
        assert!(unread.is_empty(), "in keys.rs, never read by the code: {unread:?}");
        assert_eq!(KEYS.len(), table.len(), "a key is listed twice");
    }

    #[test]
    fn the_table_gives_the_ranges_defaults_and_choices_the_reader_uses() {
        let find = |dotted: &str| {
            KEYS.iter()
                .find(|k| format!("{}.{}", k.section, k.name) == dotted)
                .unwrap_or_else(|| panic!("{dotted} is not in the table"))
        };
        for (dotted, asked) in read_everything() {
            let k = find(&dotted);
            match asked {
                Asked::Any => {}
                Asked::Int { default, min, max } => {
                    assert_eq!(k.kind, Kind::Integer { min, max }, "{dotted}'s range");
                    if k.default.bytes().any(|b| b.is_ascii_digit()) {
                        assert!(k.default.contains(&format!("`{default}`")), "{dotted}'s default is {default}");
                    }
                }
                Asked::Bool(default) => assert_eq!(k.default, format!("`{default}`"), "{dotted}'s default"),
                Asked::Choice { default, names } => {
                    let Kind::OneOf(documented) = k.kind else { panic!("{dotted} is a choice in the code") };
                    assert_eq!(documented, names, "{dotted}'s choices");
                    assert!(k.default.contains(&format!("`\"{default}\"`")), "{dotted}'s default is {default:?}");
                }
            }
        }
    }

    #[test]
    fn the_sections_of_the_table_are_the_sections_the_reader_knows() {
        let documented: BTreeSet<&str> = SECTIONS.iter().map(|s| s.name).collect();
        let keyed: BTreeSet<&str> = KEYS.iter().map(|k| k.section).collect();
        assert_eq!(documented, keyed, "a section without keys, or keys without their section");
        let read: BTreeSet<&str> =
            super::super::settings::SECTIONS.iter().chain(super::super::operations::SECTIONS).copied().collect();
        assert_eq!(documented, read);
    }

    #[test]
    fn the_default_locale_choices_are_every_language_of_the_desk() {
        let codes: Vec<&str> = crate::domain::Locale::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(codes, LOCALES);
    }

    #[test]
    fn every_example_is_a_line_of_toml_for_its_own_key() {
        for k in KEYS {
            let table: toml::Table = k.example.parse().unwrap_or_else(|e| panic!("{}: {e}", k.example));
            assert_eq!(table.keys().collect::<Vec<_>>(), [k.name], "{}.{}'s example", k.section, k.name);
        }
    }
}
