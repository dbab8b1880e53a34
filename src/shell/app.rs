//! `App`: the loaded settings, templates, store and SMTP transport every command works with.
use std::path::Path;

use crate::configuration::{self, ConfigError, Settings};
use crate::smtp::Smtp;
use crate::store::Store;
use crate::templates::{TemplateError, Templates};

/// Configuration problems stop a command with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("config")]
    Config(#[from] ConfigError),
    #[error("templates")]
    Templates(#[from] TemplateError),
    #[error(transparent)]
    Smtp(#[from] crate::smtp::SmtpError),
}

/// Settings and templates, checked: what `check-config` validates.
pub struct Loaded {
    pub settings: Settings,
    pub templates: Templates,
}

impl Loaded {
    pub fn from_path(path: &Path) -> Result<Loaded, SetupError> {
        Self::from_settings(configuration::load(path)?)
    }

    /// For commands that only read the database: the mail servers' secrets are not read.
    pub fn read_only(path: &Path) -> Result<Loaded, SetupError> {
        Self::from_settings(configuration::load_without_secrets(path)?)
    }

    fn from_settings(settings: Settings) -> Result<Loaded, SetupError> {
        let templates = Templates::load(settings.templates.dir.as_deref())?;
        crate::compose::check_templates(&settings, &templates)?;
        Smtp::check(&settings.smtp)?;
        Ok(Loaded { settings, templates })
    }
}

pub struct App {
    pub settings: Settings,
    pub templates: Templates,
    pub store: Store,
    pub smtp: Smtp,
    /// The secret reply keys are derived from (kept in the database).
    pub secret: Vec<u8>,
    /// Access tokens for `auth = "xoauth2"`.
    pub tokens: Option<crate::oauth2::Tokens>,
    /// The desk's own DKIM and DMARC check (`security.verify_dkim`).
    pub own_checker: Option<crate::dns_auth::OwnChecker>,
}

impl App {
    pub async fn open(loaded: Loaded) -> anyhow::Result<App> {
        let store = Store::connect(&loaded.settings.database).await?.recording_events(loaded.settings.hooks.is_some());
        let tokens = loaded.settings.oauth2.clone().map(|o| crate::oauth2::Tokens::new(o, Some(store.clone())));
        let smtp = Smtp::new(&loaded.settings.smtp, tokens.as_ref())?;
        let secret = store.token_secret().await?;
        let own_checker = match loaded.settings.security.verify_dkim {
            true => Some(crate::dns_auth::OwnChecker::new(loaded.settings.security.resolver)?),
            false => None,
        };
        Ok(App { settings: loaded.settings, templates: loaded.templates, store, smtp, secret, tokens, own_checker })
    }

    pub fn composer(&self) -> crate::compose::Composer<'_> {
        crate::compose::Composer { settings: &self.settings, templates: &self.templates, secret: &self.secret }
    }
}
