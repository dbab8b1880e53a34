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
    fn each_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        let e = anyhow::Error::new(io).context("cannot connect to IMAP server 127.0.0.1:1");
        let e: &(dyn std::error::Error + 'static) = e.as_ref();
        assert_eq!(super::chain(e), "cannot connect to IMAP server 127.0.0.1:1: Connection refused (os error 111)");
    }
}
