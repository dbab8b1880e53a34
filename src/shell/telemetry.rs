//! Logging: tracing to stderr, filtered by `RUST_LOG` (default `info`); stdout is for data. Text, or one JSON object per line (`[log] format`).
use std::io::{IsTerminal as _, Write as _};
use std::sync::OnceLock;

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer, Registry, reload};

use crate::configuration::LogFormat;

type Boxed = Box<dyn Layer<Registry> + Send + Sync>;
static RELOAD: OnceLock<reload::Handle<Boxed, Registry>> = OnceLock::new();

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,async_imap=warn,lettre=error"))
}

fn layer(format: LogFormat) -> Boxed {
    match format {
        // Colour only for a person at a terminal: escape codes in the journal or a
        // log file are noise, and would hide a stranger's own escapes among ours.
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .boxed(),
        LogFormat::Json => JsonLines.boxed(),
    }
}

/// Text logging from the start; the configuration may switch it to JSON (`use_format`).
pub fn init() {
    // Known before descriptors could run out, when it can no longer be read.
    let _ = open_files_limit();
    let (layer, handle) = reload::Layer::new(layer(LogFormat::Text));
    // Libraries that log what they write on the wire say no more than `info`.
    let no_secrets =
        tracing_subscriber::filter::filter_fn(|m| *m.level() <= tracing::Level::INFO || !says_secrets(m.target()));
    if tracing_subscriber::registry().with(layer).with(filter()).with(no_secrets).try_init().is_ok() {
        let _ = RELOAD.set(handle);
    }
}

/// `[log] format`, once the configuration is read.
pub fn use_format(format: LogFormat) {
    if let (LogFormat::Json, Some(handle)) = (format, RELOAD.get()) {
        let _ = handle.reload(layer(format));
    }
}

/// One JSON object per event on stderr: `time` (RFC 3339 UTC), `level`,
/// `message`, and the event's other `fields` as an object.
struct JsonLines;

impl<S: tracing::Subscriber> Layer<S> for JsonLines {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut fields = Fields(serde_json::Map::new());
        event.record(&mut fields);
        let message = fields.0.remove("message").unwrap_or(serde_json::Value::String(String::new()));
        let line = serde_json::json!({
            "time": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "level": event.metadata().level().as_str().to_lowercase(),
            "message": message,
            "fields": fields.0,
        });
        // One write per line, so lines from several threads never interleave.
        let _ = std::io::stderr().lock().write_all(format!("{line}\n").as_bytes());
    }
}

struct Fields(serde_json::Map<String, serde_json::Value>);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}").into());
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &tracing::field::Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &tracing::field::Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        self.0.insert(field.name().into(), value.into());
    }
}

/// An error and its causes, each said once: "cannot open the database X:
/// unable to open database file". A cause whose text the message already
/// holds (some libraries repeat their source in their own message) is skipped.
/// A cause that is the OS running out of descriptors is named as such, with
/// what to do: otherwise the message blames whatever could not be opened.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    let shortage = std::iter::successors(Some(e), |c| c.source())
        .find_map(|c| c.downcast_ref::<std::io::Error>().and_then(out_of_descriptors));
    if let Some(hint) = shortage
        && !out.contains(&hint)
    {
        out.push_str(" (");
        out.push_str(&hint);
        out.push(')');
    }
    out
}

/// What to do when the OS has no descriptor left for this process (EMFILE) or
/// for anyone (ENFILE); `None` for any other error.
pub fn out_of_descriptors(e: &std::io::Error) -> Option<String> {
    match e.raw_os_error() {
        Some(24) => Some(match open_files_limit() {
            Some(n) => format!("too many open files: raise LimitNOFILE (the service's limit is {n})"),
            None => "too many open files: raise LimitNOFILE".to_string(),
        }),
        Some(23) => Some("the system's table of open files is full: raise fs.file-max".to_string()),
        _ => None,
    }
}

/// This process's limit on open files: read afresh when it can be, else as it
/// was at start (with no descriptor left, /proc/self/limits cannot be opened).
fn open_files_limit() -> Option<u64> {
    static AT_START: OnceLock<Option<u64>> = OnceLock::new();
    let fresh = read_open_files_limit();
    let at_start = *AT_START.get_or_init(|| fresh);
    fresh.or(at_start)
}

/// The soft limit: "Max open files  1024  524288  files" in /proc/self/limits.
fn read_open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    limits.lines().find(|l| l.starts_with("Max open files"))?.split_whitespace().nth(3)?.parse().ok()
}

/// A URL as a log line, an error or the database may show it (SPEC §9: no
/// secret, not even "the userinfo or query of a URL"): the user and password
/// become `***` (a user name can be a token too), each query value `***` (the
/// names stay, to say which parameter), the fragment goes. Scheme, host, port
/// and path stay, so the text still says where. Every URL that reaches a log,
/// an error or a stored `last_error` goes through here.
pub fn redacted(url: &str) -> String {
    const HIDDEN: &str = "***";
    let Ok(mut parsed) = url::Url::parse(url) else { return redacted_text(url) };
    if !parsed.username().is_empty() {
        let _ = parsed.set_username(HIDDEN);
    }
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some(HIDDEN));
    }
    if let Some(query) = parsed.query() {
        let hidden: Vec<String> = query.split('&').map(redacted_parameter).collect();
        parsed.set_query(Some(&hidden.join("&")));
    }
    parsed.set_fragment(None);
    parsed.to_string()
}

/// `name=***` for a plain parameter name, `***` for anything else (a bare token).
fn redacted_parameter(pair: &str) -> String {
    match pair.split_once('=') {
        Some((name, _))
            if !name.is_empty()
                && name.len() <= 40
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.[]".contains(&b)) =>
        {
            format!("{name}=***")
        }
        _ => "***".to_string(),
    }
}

/// What `url::Url` cannot parse is cut the same way by hand: no query or
/// fragment, no userinfo before the host.
fn redacted_text(text: &str) -> String {
    let (mut out, cut) = match text.find(['?', '#']) {
        Some(i) => (text[..i].to_string(), true),
        None => (text.to_string(), false),
    };
    let start = out.find("://").map_or(0, |i| i + 3);
    let end = out[start..].find('/').map_or(out.len(), |i| start + i);
    if let Some(at) = out[start..end].rfind('@') {
        out.replace_range(start..start + at, "***");
    }
    if cut {
        out.push_str("?***");
    }
    out
}

/// Libraries whose debug and trace lines carry what was written on the wire:
/// `AUTH` lines (a password, an access token), token endpoint answers. They
/// say no more than `info`, whatever `RUST_LOG` asks.
const SECRET_TARGETS: &[&str] = &["lettre", "async_imap", "imap_proto", "reqwest", "hyper", "hyper_util", "h2"];

fn says_secrets(target: &str) -> bool {
    SECRET_TARGETS.iter().any(|t| target == *t || target.starts_with(&format!("{t}::")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn running_out_of_descriptors_is_named_with_the_limit_instead_of_blaming_the_file() {
        let emfile = std::io::Error::from_raw_os_error(24);
        let e = anyhow::Error::new(emfile).context("cannot use the outbox lock file /var/lib/smartacct/x.db.send-lock");
        let said = super::chain(e.as_ref());
        assert!(said.starts_with("cannot use the outbox lock file"), "{said}");
        let limit = super::read_open_files_limit().expect("Linux has /proc/self/limits");
        assert!(
            said.ends_with(&format!("(too many open files: raise LimitNOFILE (the service's limit is {limit}))")),
            "{said}"
        );
        assert_eq!(said.matches("LimitNOFILE").count(), 1, "{said}");
        let enfile = anyhow::Error::new(std::io::Error::from_raw_os_error(23)).context("cannot accept");
        assert!(super::chain(enfile.as_ref()).contains("fs.file-max"));
        let other = anyhow::Error::new(std::io::Error::from_raw_os_error(13)).context("cannot open x");
        assert!(!super::chain(other.as_ref()).contains("open files"));
    }

    #[test]
    fn a_url_shows_where_it_goes_and_none_of_its_credentials() {
        for (url, shown) in [
            (
                "https://hooks:pa55@provisioning.example/smartacct?token=t0k&tenant=acme#frag",
                "https://***:***@provisioning.example/smartacct?token=***&tenant=***",
            ),
            ("https://t0ken@provisioning.example/x", "https://***@provisioning.example/x"),
            ("https://provisioning.example/x?t0k3n", "https://provisioning.example/x?***"),
            ("https://provisioning.example/x?a%20b=c", "https://provisioning.example/x?***"),
            (
                "postgres://smartacct:pa55@db.example:5432/desk?sslmode=require",
                "postgres://***:***@db.example:5432/desk?sslmode=***",
            ),
            ("http://127.0.0.1:8431/token", "http://127.0.0.1:8431/token"),
            ("sqlite://var/smartacct.db", "sqlite://var/smartacct.db"),
            // Not a URL to the parser (a bad port, a bad IPv6 address): cut by hand.
            ("http://hooks:pa55@provisioning.example:99999/x?token=t0k", "http://***@provisioning.example:99999/x?***"),
            ("http://u:pa55@[::1/x", "http://***@[::1/x"),
        ] {
            assert_eq!(super::redacted(url), shown, "{url}");
        }
    }

    #[test]
    fn each_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        let e = anyhow::Error::new(io).context("cannot connect to IMAP server 127.0.0.1:1");
        let e: &(dyn std::error::Error + 'static) = e.as_ref();
        assert_eq!(super::chain(e), "cannot connect to IMAP server 127.0.0.1:1: Connection refused (os error 111)");
    }
}
