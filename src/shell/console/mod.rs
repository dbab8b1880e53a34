//! The operator console (SPEC §12): an HTTP room beside the metrics listener, served by `run` on `[console] listen`.
//!
//! Its pages read the store; its forms (one POST each, no script) call the
//! same operator decisions as the command line (`shell/operator.rs`), under
//! the signed-in operator's name. Who is signed in comes from a signed
//! cookie (`session`), or from an authenticating proxy's header; what they
//! may do from the users file (`users`), read again on every request.
mod act;
mod charts;
mod html;
mod http;
mod limiter;
mod pages;
mod routes;
mod server;
mod session;
pub mod users;
mod words;

use std::net::SocketAddr;
use std::sync::Mutex;

use hyper::header::HeaderMap;
use tokio::net::TcpListener;

use crate::app::App;
use crate::configuration::ConsoleSettings;
use crate::store::StoreError;
use users::Role;

pub use server::serve;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("cannot listen on console.listen {addr}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot read the console's signing key from the database")]
    Key(#[source] StoreError),
}

/// The console's listener and key, made before the service says it is ready (a taken port fails the start).
pub struct Bound {
    listener: TcpListener,
    key: Vec<u8>,
}

pub async fn bind(app: &App, settings: &ConsoleSettings) -> Result<Bound, ConsoleError> {
    let key = app.store.console_key().await.map_err(ConsoleError::Key)?;
    let addr = settings.listen;
    let listener = TcpListener::bind(addr).await.map_err(|source| ConsoleError::Listen { addr, source })?;
    if settings.trusted_header.is_none() && !settings.users_file.exists() {
        tracing::warn!(
            users_file = %settings.users_file.display(),
            "console.users_file does not exist yet: nobody can sign in (add one with `smartacct console add-user NAME --role operator`)"
        );
    }
    Ok(Bound { listener, key })
}

/// What every request of the console shares.
pub(crate) struct Console<'a> {
    app: &'a App,
    settings: &'a ConsoleSettings,
    key: Vec<u8>,
    limiter: Mutex<limiter::Limiter>,
    /// What was last wrong with the users file, said once.
    users_problem: Mutex<Option<String>>,
    /// Wakes the service's senders after an action committed emails.
    committed: &'a (dyn Fn() + Sync),
}

/// The operator a request comes from.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    pub name: String,
    pub role: Role,
    /// What the forms' CSRF token is made from: the session's id, or the proxy-named operator's name.
    pub csrf_source: String,
    /// Named by the proxy's header (no cookie, no sign-out).
    pub by_proxy: bool,
}

impl Console<'_> {
    /// The users of the file, or none when it cannot be read. What is wrong
    /// with it is logged when it changes, not at every request.
    fn users(&self) -> Vec<users::User> {
        let (users, problem) = match users::read(&self.settings.users_file) {
            Ok((users, lines)) if lines.is_empty() => (users, None),
            Ok((users, lines)) => {
                let said = format!(
                    "console.users_file {}: {} (skipped)",
                    self.settings.users_file.display(),
                    lines.join("; ")
                );
                (users, Some(said))
            }
            Err(e) => (Vec::new(), Some(format!("console: nobody can sign in: {}", crate::telemetry::chain(&e)))),
        };
        let mut last = self.users_problem.lock().expect("no holder panics");
        if *last != problem {
            match &problem {
                Some(p) => tracing::error!("{p}"),
                None => tracing::info!("console.users_file reads well again"),
            }
            *last = problem;
        }
        users
    }

    /// Who sent this request: the trusted proxy's header, else a valid session cookie of a user still in the file.
    fn identify(&self, headers: &HeaderMap, client: &http::Client) -> Option<Who> {
        if let Some(name) = self.settings.trusted_header.as_deref().and_then(|h| http::header(headers, h))
            && client.proxied
        {
            let name = name.trim();
            if !users::valid_name(name) {
                tracing::warn!(name = %crate::domain::printable(name), "console: the proxy's header names nobody valid");
                return None;
            }
            // A name the file lists has its role; any other operator the proxy vouches for may read.
            let role = self.users().into_iter().find(|u| u.name == name).map_or(Role::Viewer, |u| u.role);
            return Some(Who { name: name.into(), role, csrf_source: format!("proxy:{name}"), by_proxy: true });
        }
        let cookie = http::cookie(headers, session::COOKIE)?;
        let s = session::open(&self.key, cookie, chrono::Utc::now().timestamp())?;
        let user = self.users().into_iter().find(|u| u.name == s.name)?;
        (session::password_tag(&user.hash) == s.tag).then_some(Who {
            name: user.name,
            role: user.role,
            csrf_source: s.id,
            by_proxy: false,
        })
    }

    fn csrf(&self, who: &Who) -> String {
        session::csrf(&self.key, &who.csrf_source)
    }
}
