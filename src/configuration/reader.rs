//! The generic TOML reader: typed getters per `[section]` whose errors name `section.key`, unknown keys refused, `SMARTACCT__SECTION__KEY` overrides.
use std::{cell::RefCell, collections::BTreeSet, path::PathBuf};

/// A configuration problem; `key` is the dotted TOML key the operator must fix.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl ConfigError {
    pub(super) fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self { key: key.into(), message: message.into() }
    }
}

/// What the reader asked of one key: its range, default or choices when the
/// getter knows them. Recorded only inside `recording`, which holds the key
/// table (`keys.rs`) to the code.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Asked {
    Any,
    Int { default: i64, min: i64, max: i64 },
    Bool(bool),
    Choice { default: String, names: Vec<String> },
}

thread_local! {
    static ASKED: RefCell<Option<Vec<(String, Asked)>>> = const { RefCell::new(None) };
}

fn record(section: &str, key: &str, asked: impl FnOnce() -> Asked) {
    ASKED.with(|a| {
        if let Some(seen) = a.borrow_mut().as_mut() {
            seen.push((format!("{section}.{key}"), asked()));
        }
    });
}

/// Runs `f`, returning every `section.key` the reader asked for meanwhile (on this thread).
pub(super) fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<(String, Asked)>) {
    ASKED.with(|a| *a.borrow_mut() = Some(Vec::new()));
    let out = f();
    (out, ASKED.with(|a| a.borrow_mut().take().unwrap_or_default()))
}

pub(super) fn error_key(e: &toml::de::Error) -> String {
    e.span().map(|s| format!("at bytes {}..{}", s.start, s.end)).unwrap_or_else(|| "config".into())
}

/// `SMARTACCT__IMAP__PORT=1993` sets `imap.port`; the value is read as TOML, else as a string.
pub(super) fn apply_env_overrides(
    table: &mut toml::Table,
    vars: impl Iterator<Item = (String, String)>,
) -> Result<(), ConfigError> {
    for (name, value) in vars {
        let Some(rest) = name.strip_prefix("SMARTACCT__") else {
            continue;
        };
        let parts: Vec<String> = rest.split("__").map(str::to_lowercase).collect();
        let [section, key] = parts.as_slice() else {
            return Err(ConfigError::new(&name, "expected SMARTACCT__SECTION__KEY"));
        };
        let value = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or(toml::Value::String(value));
        let entry = table.entry(section.clone()).or_insert_with(|| toml::Value::Table(Default::default()));
        let toml::Value::Table(t) = entry else {
            return Err(ConfigError::new(section, "must be a table"));
        };
        t.insert(key.clone(), value);
    }
    Ok(())
}

/// One `[section]` being read: typed getters that name `section.key` in
/// errors, and `finish` refuses keys nobody asked for (typos).
pub(super) struct Section<'a> {
    name: &'static str,
    table: Option<&'a toml::Table>,
    seen: BTreeSet<&'static str>,
}

impl<'a> Section<'a> {
    pub(super) fn new(root: &'a toml::Table, name: &'static str) -> Result<Self, ConfigError> {
        let table = match root.get(name) {
            None => None,
            Some(toml::Value::Table(t)) => Some(t),
            Some(_) => return Err(ConfigError::new(name, "must be a table ([section])")),
        };
        Ok(Self { name, table, seen: BTreeSet::new() })
    }

    pub(super) fn key(&self, key: &str) -> String {
        format!("{}.{}", self.name, key)
    }

    pub(super) fn get(&mut self, key: &'static str) -> Option<&'a toml::Value> {
        self.seen.insert(key);
        record(self.name, key, || Asked::Any);
        self.table.and_then(|t| t.get(key))
    }

    pub(super) fn string(&mut self, key: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(ConfigError::new(self.key(key), format!("expected a string, got {}", v.type_str()))),
        }
    }

    pub(super) fn required(&mut self, key: &'static str) -> Result<String, ConfigError> {
        match self.string(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(ConfigError::new(self.key(key), "missing (required)")),
        }
    }

    pub(super) fn int(&mut self, key: &'static str, default: i64, min: i64, max: i64) -> Result<i64, ConfigError> {
        record(self.name, key, || Asked::Int { default, min, max });
        match self.get(key) {
            None => Ok(default),
            Some(toml::Value::Integer(n)) if (min..=max).contains(n) => Ok(*n),
            Some(toml::Value::Integer(n)) => {
                Err(ConfigError::new(self.key(key), format!("{n} is out of range ({min}..={max})")))
            }
            Some(v) => Err(ConfigError::new(self.key(key), format!("expected an integer, got {}", v.type_str()))),
        }
    }

    pub(super) fn boolean(&mut self, key: &'static str, default: bool) -> Result<bool, ConfigError> {
        record(self.name, key, || Asked::Bool(default));
        match self.get(key) {
            None => Ok(default),
            Some(toml::Value::Boolean(b)) => Ok(*b),
            Some(v) => Err(ConfigError::new(self.key(key), format!("expected true or false, got {}", v.type_str()))),
        }
    }

    pub(super) fn strings(&mut self, key: &'static str) -> Result<Option<Vec<String>>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    toml::Value::String(s) => Ok(s.clone()),
                    other => {
                        Err(ConfigError::new(self.key(key), format!("expected strings, found {}", other.type_str())))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => {
                Err(ConfigError::new(self.key(key), format!("expected an array of strings, got {}", v.type_str())))
            }
        }
    }

    pub(super) fn choice<T: Copy + PartialEq>(
        &mut self,
        key: &'static str,
        default: T,
        choices: &[(&str, T)],
    ) -> Result<T, ConfigError> {
        record(self.name, key, || Asked::Choice {
            default: choices.iter().find(|(_, v)| *v == default).map(|(n, _)| n.to_string()).unwrap_or_default(),
            names: choices.iter().map(|(n, _)| n.to_string()).collect(),
        });
        let Some(value) = self.string(key)? else {
            return Ok(default);
        };
        choices.iter().find(|(name, _)| *name == value).map(|(_, v)| *v).ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|(n, _)| format!("{n:?}")).collect();
            ConfigError::new(self.key(key), format!("{value:?} is not one of {}", names.join(", ")))
        })
    }

    pub(super) fn path(&mut self, key: &'static str) -> Result<Option<PathBuf>, ConfigError> {
        Ok(self.string(key)?.map(PathBuf::from))
    }

    /// The secret from `$env_var`, else `password`, else `password_file`.
    /// A secret kept in a file (`key`, e.g. `webhook_secret_file`) or in the
    /// environment (`env_var`, which wins); never inline in the config file.
    pub(super) fn secret_file(
        &mut self,
        key: &'static str,
        env_var: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<String>, ConfigError> {
        let file = self.path(key)?;
        if let Some(v) = env(env_var).filter(|v| !v.is_empty()) {
            return Ok(Some(v));
        }
        let Some(path) = file else { return Ok(None) };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError::new(self.key(key), format!("cannot read {}: {e}", path.display())))?;
        let secret = text.trim_end_matches(['\r', '\n']).to_string();
        if secret.is_empty() {
            return Err(ConfigError::new(self.key(key), format!("{} is empty", path.display())));
        }
        Ok(Some(secret))
    }

    pub(super) fn secret(
        &mut self,
        env_var: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<String>, ConfigError> {
        let inline = self.string("password")?;
        let file = self.path("password_file")?;
        // Which one would win is a trap (a forgotten `password = "change-me"`): refuse both.
        if inline.is_some() && file.is_some() {
            return Err(ConfigError::new(
                self.key("password"),
                format!("set together with {}: keep one", self.key("password_file")),
            ));
        }
        if let Some(v) = env(env_var).filter(|v| !v.is_empty()) {
            return Ok(Some(v));
        }
        if let Some(p) = inline {
            return Ok(Some(p));
        }
        match file {
            None => Ok(None),
            Some(path) => {
                std::fs::read_to_string(&path).map(|s| Some(s.trim_end_matches(['\r', '\n']).to_string())).map_err(
                    |e| ConfigError::new(self.key("password_file"), format!("cannot read {}: {e}", path.display())),
                )
            }
        }
    }

    pub(super) fn finish(self) -> Result<(), ConfigError> {
        if let Some(t) = self.table
            && let Some(extra) = t.keys().find(|k| !self.seen.contains(k.as_str()))
        {
            return Err(ConfigError::new(self.key(extra), "unknown key (misspelt?)"));
        }
        Ok(())
    }
}
