//! One request through the console: the static stylesheet, signing in and out, then who asks and what they may
//! see (GET: a page) or do (POST: an action, with its CSRF token, by an operator only).
use std::net::SocketAddr;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};

use super::html::{self, Signed};
use super::http::{self, Answer, Client, FormError};
use super::limiter::Verdict;
use super::users::{self, Role};
use super::words::{self, Words};
use super::{Console, Who, act, pages, session};

const CSS: &str = include_str!("console.css");

/// What a page or an action knows of its request.
pub(crate) struct Req<'r> {
    pub w: &'static Words,
    pub who: &'r Who,
    /// The CSRF token for this operator's forms.
    pub csrf: String,
    pub path: &'r str,
    pub query: &'r [(String, String)],
}

impl Req<'_> {
    pub fn param(&self, key: &str) -> Option<&str> {
        http::value(self.query, key).map(str::trim).filter(|v| !v.is_empty())
    }

    /// A page in the frame, with the flash message an action left in the query, if any.
    pub fn page(&self, status: StatusCode, title: &str, body: &str) -> Answer {
        let w = self.w;
        let flash = self.param("done").and_then(|d| match d {
            "cancelled" => Some(w.flash_cancelled),
            "resent" => Some(w.flash_resent),
            "retried" => Some(w.flash_retried),
            "reprocessed" => Some(w.flash_reprocessed),
            _ => None,
        });
        let signed = Signed { name: &self.who.name, role: self.who.role, csrf: &self.csrf };
        http::html(status, html::page(w, title, Some(&signed), flash, body))
    }

    /// A page that says what went wrong, with a way back.
    pub fn problem(&self, status: StatusCode, title: &str, message: &str, back: &str) -> Answer {
        let body = format!(
            "<p class=\"problem\">{}</p>\n<p><a href=\"{}\">{}</a></p>",
            html::esc(message),
            html::esc(back),
            self.w.back
        );
        self.page(status, title, &body)
    }

    pub fn not_found(&self) -> Answer {
        self.problem(StatusCode::NOT_FOUND, self.w.not_found_title, self.w.not_found, "/")
    }

    pub fn is_operator(&self) -> bool {
        self.who.role == Role::Operator
    }
}

/// A page outside the frame (nobody signed in).
fn bare(w: &Words, status: StatusCode, title: &str, message: &str) -> Answer {
    let body =
        format!("<p class=\"problem\">{}</p>\n<p><a href=\"/login\">{}</a></p>", html::esc(message), w.login_title);
    http::html(status, html::page(w, title, None, None, &body))
}

impl Console<'_> {
    pub(super) async fn handle(&self, req: Request<Incoming>, peer: SocketAddr) -> Answer {
        let (parts, body) = req.into_parts();
        let client = http::client(peer, &parts.headers, &self.settings.trusted_proxies);
        let w = words::words(words::negotiate(http::header(&parts.headers, "accept-language")));
        let path = parts.uri.path();
        let query = http::pairs(parts.uri.query().unwrap_or("").as_bytes());
        let post = match parts.method {
            Method::GET | Method::HEAD => false,
            Method::POST => true,
            _ => {
                let r = http::answer(StatusCode::METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "GET or POST\n");
                return http::with_header(r, "allow", "GET, HEAD, POST");
            }
        };
        if !post && path == "/static/console.css" {
            let r = http::answer(StatusCode::OK, "text/css; charset=utf-8", CSS);
            return http::with_header(r, "cache-control", "max-age=3600");
        }
        // A browser says when a form comes from another site: never acted on, signing in included.
        if post && http::header(&parts.headers, "sec-fetch-site").is_some_and(|s| s.eq_ignore_ascii_case("cross-site"))
        {
            return bare(w, StatusCode::FORBIDDEN, w.forbidden_title, w.cross_site);
        }
        let who = self.identify(&parts.headers, &client);
        if path == "/login" {
            return match (post, who) {
                (true, _) => self.sign_in(body, &client, w).await,
                (false, Some(_)) => {
                    http::see_other(http::value(&query, "next").and_then(http::local_next).unwrap_or("/"))
                }
                (false, None) => sign_in_page(w, StatusCode::OK, http::value(&query, "next"), "", None),
            };
        }
        let Some(who) = who else {
            if post {
                return bare(w, StatusCode::FORBIDDEN, w.forbidden_title, w.no_session);
            }
            let asked = match parts.uri.query() {
                Some(q) => format!("{path}?{q}"),
                None => path.to_string(),
            };
            let next = http::local_next(&asked).unwrap_or("/");
            return http::see_other(&format!("/login?next={}", http::encode(next)));
        };
        let r = Req { w, csrf: self.csrf(&who), who: &who, path, query: &query };
        if !post {
            return match pages::get(self, &r).await {
                Ok(answer) => answer,
                Err(e) => self.unavailable(&r, &e),
            };
        }
        let form = match http::read_form(body).await {
            Ok(form) => form,
            Err(FormError::TooLarge) => {
                return r.problem(StatusCode::PAYLOAD_TOO_LARGE, w.bad_request_title, "form too large", path);
            }
            Err(FormError::Unreadable) => {
                return r.problem(StatusCode::BAD_REQUEST, w.bad_request_title, "form unreadable", path);
            }
        };
        let token = http::value(&form, "csrf").unwrap_or("");
        if !session::csrf_ok(&self.key, &who.csrf_source, token) {
            tracing::warn!(operator = %who.name, path, "console: a form without a valid CSRF token; nothing done");
            return r.problem(StatusCode::FORBIDDEN, w.forbidden_title, w.bad_csrf, "/");
        }
        if path == "/logout" {
            return sign_out(&who);
        }
        if !r.is_operator() {
            tracing::warn!(operator = %who.name, path, "console: a viewer's form; nothing done");
            return r.problem(StatusCode::FORBIDDEN, w.forbidden_title, w.viewer_only, "/");
        }
        match act::post(self, &r, &form).await {
            Ok(answer) => answer,
            Err(e) => self.unavailable(&r, &e),
        }
    }

    fn unavailable(&self, r: &Req<'_>, e: &anyhow::Error) -> Answer {
        tracing::error!(error = crate::telemetry::chain(e.as_ref()), path = r.path, "console: cannot answer");
        r.problem(StatusCode::SERVICE_UNAVAILABLE, r.w.unavailable_title, r.w.unavailable, r.path)
    }

    /// `POST /login`: refused outright while the address is locked out; a wrong
    /// name or password is answered late, and counted; the right one opens a session.
    async fn sign_in(&self, body: Incoming, client: &Client, w: &'static Words) -> Answer {
        let Ok(form) = http::read_form(body).await else {
            return sign_in_page(w, StatusCode::BAD_REQUEST, None, "", Some(w.login_wrong));
        };
        let name = http::value(&form, "user").unwrap_or("").trim().to_string();
        let password = http::value(&form, "password").unwrap_or("").to_string();
        let next = http::value(&form, "next");
        let now = Instant::now();
        let verdict = self.limiter.lock().expect("no holder panics").check(client.ip, now);
        if let Verdict::Refused(left) = verdict {
            tracing::warn!(client = %client.ip, "console: sign-in refused, too many wrong passwords from this address");
            let minutes = left.as_secs().div_ceil(60).max(1).to_string();
            let message = html::fill(w.login_locked, &[("minutes", &minutes)]);
            let page = sign_in_page(w, StatusCode::TOO_MANY_REQUESTS, next, &name, Some(&message));
            return http::with_header(page, "retry-after", &left.as_secs().max(1).to_string());
        }
        let user = self.users().into_iter().find(|u| u.name == name);
        let hash = user.as_ref().map(|u| u.hash.clone());
        // Off the runtime's threads: a hash takes tens of milliseconds. An unknown name is checked
        // against a decoy, so it takes as long to refuse as a wrong password.
        let checked = tokio::task::spawn_blocking(move || {
            let hash = hash.as_deref().unwrap_or_else(|| users::decoy_hash());
            users::verify(hash, &password)
        })
        .await
        .unwrap_or(false);
        match user {
            Some(user) if checked => {
                self.limiter.lock().expect("no holder panics").succeeded(client.ip);
                tracing::info!(operator = %user.name, client = %client.ip, "console: signed in");
                let hours = self.settings.session.as_secs();
                let s = session::Session {
                    name: user.name.clone(),
                    id: session::new_id(),
                    expires: chrono::Utc::now().timestamp() + hours as i64,
                    tag: session::password_tag(&user.hash),
                };
                let secure = if client.tls { "; Secure" } else { "" };
                let cookie = format!(
                    "{}={}; Path=/; Max-Age={hours}; HttpOnly; SameSite=Strict{secure}",
                    session::COOKIE,
                    session::seal(&self.key, &s)
                );
                let to = next.and_then(http::local_next).unwrap_or("/");
                http::with_header(http::see_other(to), "set-cookie", &cookie)
            }
            _ => {
                let delay = self.limiter.lock().expect("no holder panics").failed(client.ip, now);
                tracing::warn!(name = %crate::domain::printable(&name), client = %client.ip, "console: wrong name or password");
                tokio::time::sleep(delay).await;
                sign_in_page(w, StatusCode::UNAUTHORIZED, next, &name, Some(w.login_wrong))
            }
        }
    }
}

/// `GET /login`: the form of SPEC §12.
fn sign_in_page(w: &Words, status: StatusCode, next: Option<&str>, name: &str, problem: Option<&str>) -> Answer {
    let next = next.and_then(http::local_next).unwrap_or("/");
    let mut body = String::new();
    if let Some(p) = problem {
        body.push_str(&format!("<p class=\"problem\" role=\"alert\">{}</p>\n", html::esc(p)));
    }
    body.push_str(&format!(
        "<form action=\"/login\" method=\"post\">\n<input type=\"hidden\" name=\"next\" value=\"{}\">\n\
         <p><label for=\"user\">{}</label><input id=\"user\" name=\"user\" value=\"{}\" autocomplete=\"username\" \
         required autofocus></p>\n<p><label for=\"password\">{}</label><input id=\"password\" type=\"password\" \
         name=\"password\" autocomplete=\"current-password\" required></p>\n<p><button type=\"submit\">{}</button></p>\n</form>",
        html::esc(next),
        w.login_name,
        html::esc(name),
        w.login_password,
        w.login_button
    ));
    http::html(status, html::page(w, w.login_title, None, None, &body))
}

/// `POST /logout`: the cookie is dropped (a proxy-named operator signs out at the proxy).
fn sign_out(who: &Who) -> Answer {
    tracing::info!(operator = %who.name, "console: signed out");
    let gone = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", session::COOKIE);
    http::with_header(http::see_other(if who.by_proxy { "/" } else { "/login" }), "set-cookie", &gone)
}
