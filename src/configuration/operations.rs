//! The operations keys of SPEC §9 beside the workflow's: `[metrics] listen` and `[log] format`.
use std::net::SocketAddr;

use super::reader::{ConfigError, Section};

/// `[metrics]`: present, the service serves /metrics, /healthz and /readyz.
#[derive(Debug, Clone)]
pub struct MetricsSettings {
    pub listen: SocketAddr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    /// One JSON object per line (journald, Loki, ELK).
    Json,
}

#[derive(Debug, Clone, Default)]
pub struct LogSettings {
    pub format: LogFormat,
}

pub(super) const SECTIONS: &[&str] = &["metrics", "log"];

pub(super) fn read(root: &toml::Table) -> Result<(Option<MetricsSettings>, LogSettings), ConfigError> {
    let mut s = Section::new(root, "metrics")?;
    let metrics = match s.string("listen")? {
        None => None,
        Some(text) => Some(MetricsSettings {
            listen: text.parse().map_err(|_| {
                ConfigError::new(
                    "metrics.listen",
                    format!("{text:?} is not an address and port like \"127.0.0.1:9187\""),
                )
            })?,
        }),
    };
    s.finish()?;
    let mut s = Section::new(root, "log")?;
    let format = s.choice("format", LogFormat::Text, &[("text", LogFormat::Text), ("json", LogFormat::Json)])?;
    s.finish()?;
    Ok((metrics, LogSettings { format }))
}
