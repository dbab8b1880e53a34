//! The email templates (SPEC §8): one per kind and part, built into the binary, their
//! sentences from the catalogs (`catalogs.rs`); overridable file by file from `templates.dir`.
//!
//! For a language L, kind K and part P (`subject`, `txt`, `html`) the template is the
//! first of `templates.dir/L/K.P.hbs` (an operator's own email in one language, as
//! before the catalogs: it keeps working), `templates.dir/K.P.hbs` (an operator's
//! layout for every language) and the built-in `K.P.hbs`. The helpers:
//!
//! - `{{t "message-id" name=value …}}`: a sentence of the email's language (`lang=`
//!   another one's); in HTML escaped, with `strong="name"`, `command="name"` or
//!   `link="name"` wrapping those values in their markup;
//! - `{{row "field-…"}}`: a table row's label, its colon and the spaces up to
//!   the column of the language's tables (text);
//! - `{{blank_form lang}}`: the blank form in a language (the partial `form_L`,
//!   `templates.dir/L/form.txt.hbs` where an operator wrote one).
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError, RenderErrorReason,
    Renderable,
};
use serde::Serialize;

use crate::domain::Locale;
use crate::email::Kind;
use crate::shell::catalogs::{Arg, Catalogs, Markup};

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("templates.dir: cannot read {path}")]
    Read { path: String, source: std::io::Error },
    #[error("template {name} is missing")]
    Missing { name: String },
    #[error("template {name} does not parse: {message}")]
    Parse { name: String, message: String },
    #[error("cannot render template {name}: {message}")]
    Render { name: String, message: String },
    #[error("catalog {name}: {message}")]
    Catalog { name: String, message: String },
}

/// A render error as an operator editing a template needs it: where, and
/// which variable the email does not have (docs/templates.md lists them).
fn render_problem(e: &handlebars::RenderError) -> String {
    let place = match (e.line_no, e.column_no) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        _ => String::new(),
    };
    match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(var)) => {
            format!("{place}this email has no variable {var:?} (docs/templates.md lists the variables of each email)")
        }
        other => format!("{place}{other}"),
    }
}

/// Subject, text and HTML of one email, rendered.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Two registries: plain text (subjects, text bodies) without escaping, and
/// HTML with every value escaped. Both strict, so a misspelt variable is an error.
pub struct Templates {
    text: Handlebars<'static>,
    html: Handlebars<'static>,
    catalogs: Arc<Catalogs>,
    /// The file each registered template came from, for errors.
    sources: HashMap<String, String>,
}

impl Templates {
    /// Built-in templates and catalogs, each replaced by `dir/…` where that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let catalogs = Arc::new(Catalogs::load(dir)?);
        let mut text = Handlebars::new();
        text.register_escape_fn(handlebars::no_escape);
        text.set_strict_mode(true);
        let mut html = Handlebars::new();
        html.set_strict_mode(true);
        for (registry, is_html) in [(&mut text, false), (&mut html, true)] {
            registry.register_helper("t", Box::new(Translate { catalogs: catalogs.clone(), html: is_html }));
            registry.register_helper("row", Box::new(Row { catalogs: catalogs.clone(), html: is_html }));
            registry.register_helper("blank_form", Box::new(BlankForm));
        }

        // (the file's text, where it came from)
        let source = |candidates: &[String]| -> Result<(String, String), TemplateError> {
            if let Some(dir) = dir {
                for rel in candidates {
                    let path = dir.join(rel);
                    if path.exists() {
                        return std::fs::read_to_string(&path)
                            .map(|t| (t, format!("templates.dir/{rel}")))
                            .map_err(|source| TemplateError::Read { path: path.display().to_string(), source });
                    }
                }
            }
            let built_in = candidates.last().expect("a built-in name");
            crate::shell::embedded::TEMPLATES
                .iter()
                .find(|(name, _)| name == built_in)
                .map(|(_, body)| (body.to_string(), built_in.clone()))
                .ok_or_else(|| TemplateError::Missing { name: built_in.clone() })
        };
        let parse_err = |name: &str, e: handlebars::TemplateError| TemplateError::Parse {
            name: name.to_string(),
            message: e.to_string(),
        };

        let mut sources = HashMap::new();
        for locale in Locale::ALL {
            let l = locale.as_str();
            let partial = format!("form_{l}");
            let own_form = dir.map(|d| d.join(format!("{l}/form.txt.hbs"))).filter(|p| p.exists());
            let (form_text, form_html) = match own_form {
                Some(path) => {
                    let t = std::fs::read_to_string(&path)
                        .map_err(|source| TemplateError::Read { path: path.display().to_string(), source })?;
                    (t.clone(), t)
                }
                // Generated from the catalog: its labels are literal text in the
                // partial, escaped for HTML and kept from reading as handlebars.
                None => {
                    let form = catalogs.blank_form(locale)?.replace("{{", "\\{{");
                    (form.clone(), handlebars::html_escape(&form))
                }
            };
            text.register_partial(&partial, &form_text).map_err(|e| parse_err(&partial, e))?;
            html.register_partial(&partial, &form_html).map_err(|e| parse_err(&partial, e))?;
            for kind in Kind::ALL {
                for part in ["subject", "txt", "html"] {
                    let file = format!("{}.{part}.hbs", kind.name());
                    let name = format!("{l}/{file}");
                    let (body, from) = source(&[name.clone(), file.clone(), file])?;
                    let registry = if part == "html" { &mut html } else { &mut text };
                    registry.register_template_string(&name, body).map_err(|e| parse_err(&from, e))?;
                    sources.insert(name, from);
                }
            }
        }
        Ok(Templates { text, html, catalogs, sources })
    }

    /// The catalogs the templates take their sentences from.
    pub fn catalogs(&self) -> &Catalogs {
        &self.catalogs
    }

    pub fn render<C: Serialize>(&self, kind: Kind, locale: Locale, ctx: &C) -> Result<Rendered, TemplateError> {
        let name = |part: &str| format!("{}/{}.{part}.hbs", locale.as_str(), kind.name());
        let render = |reg: &Handlebars<'static>, n: String| {
            reg.render(&n, ctx).map_err(|e| {
                let from = self.sources.get(&n).cloned().unwrap_or_else(|| n.clone());
                // A template shared by every language: say which language failed.
                let l = locale.as_str();
                let name = if from.starts_with(&format!("{l}/")) || from.contains(&format!("/{l}/")) {
                    from
                } else {
                    format!("{from} ({l})")
                };
                TemplateError::Render { name, message: render_problem(&e) }
            })
        };
        let subject = render(&self.text, name("subject"))?;
        Ok(Rendered {
            // One line, whatever a value held: nothing a sender wrote can start a header.
            subject: subject
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .filter(|c| !c.is_control())
                .collect(),
            text: render(&self.text, name("txt"))?,
            html: render(&self.html, name("html"))?,
        })
    }
}

/// The language a helper writes in: its `lang=` (a help email's other
/// section), else the email's (`lang` in the context).
fn helper_locale(h: &Helper<'_>, ctx: &Context) -> Result<Locale, RenderError> {
    let code = h
        .hash_get("lang")
        .and_then(|v| v.value().as_str())
        .or_else(|| ctx.data().get("lang").and_then(|v| v.as_str()))
        .ok_or_else(|| RenderErrorReason::Other("the email has no language (`lang`)".into()))?;
    Locale::ALL
        .into_iter()
        .find(|l| l.as_str() == code)
        .ok_or_else(|| RenderErrorReason::Other(format!("{code:?} is not a language of the desk")).into())
}

fn catalog_problem(e: TemplateError) -> RenderError {
    RenderErrorReason::Other(e.to_string()).into()
}

/// `{{t "message-id" name=value …}}`.
struct Translate {
    catalogs: Arc<Catalogs>,
    html: bool,
}

/// The helper's own words among its hash keys; every other key is a value for the message.
const OWN_KEYS: [&str; 4] = ["lang", "strong", "command", "link"];

impl HelperDef for Translate {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let id = h.param(0).and_then(|p| p.value().as_str()).ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let locale = helper_locale(h, ctx)?;
        let mut args = Vec::new();
        for (name, value) in h.hash() {
            if OWN_KEYS.contains(name) {
                continue;
            }
            if value.is_value_missing() && r.strict_mode() {
                return Err(RenderErrorReason::MissingVariable(value.relative_path().cloned()).into());
            }
            let arg = match value.value() {
                serde_json::Value::Number(n) => Arg::Number(n.as_f64().unwrap_or(0.0)),
                serde_json::Value::String(s) => Arg::Text(s.clone()),
                serde_json::Value::Bool(b) => Arg::Text(b.to_string()),
                other => {
                    return Err(RenderErrorReason::Other(format!(
                        "the value {name} of {id:?} is {other}, not a text or a number"
                    ))
                    .into());
                }
            };
            args.push((*name, arg));
        }
        let text = if self.html {
            let named = |key: &str| -> Vec<&str> {
                h.hash_get(key)
                    .and_then(|v| v.value().as_str())
                    .map(|s| s.split_whitespace().collect())
                    .unwrap_or_default()
            };
            let (strong, command, link) = (named("strong"), named("command"), named("link"));
            let markup = |name: &str| {
                if command.contains(&name) {
                    Some(Markup::Command)
                } else if link.contains(&name) {
                    Some(Markup::Link)
                } else if strong.contains(&name) {
                    Some(Markup::Strong)
                } else {
                    None
                }
            };
            self.catalogs.html(locale, id, &args, &markup)
        } else {
            self.catalogs.text(locale, id, &args)
        }
        .map_err(catalog_problem)?;
        out.write(&text)?;
        Ok(())
    }
}

/// `{{row "field-…"}}`: in text, the label, its colon and spaces up to the table's column.
/// (Not `label`: the problems of `request_invalid` have a `{{label}}` of their own.)
struct Row {
    catalogs: Arc<Catalogs>,
    html: bool,
}

impl HelperDef for Row {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let id =
            h.param(0).and_then(|p| p.value().as_str()).ok_or(RenderErrorReason::ParamNotFoundForIndex("row", 0))?;
        let locale = helper_locale(h, ctx)?;
        let label = self.catalogs.text(locale, id, &[]).map_err(catalog_problem)?;
        if self.html {
            out.write(&handlebars::html_escape(&label))?;
            return Ok(());
        }
        let colon = self.catalogs.text(locale, "colon", &[]).map_err(catalog_problem)?;
        let head = format!("{label}{colon}");
        let pad = self.catalogs.table_width(locale).saturating_sub(crate::shell::catalogs::columns(&head)).max(1);
        out.write(&format!("{head}{}", " ".repeat(pad)))?;
        Ok(())
    }
}

/// `{{blank_form lang}}`: the partial `form_LANG`.
struct BlankForm;

impl HelperDef for BlankForm {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let code = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("blank_form", 0))?;
        let name = format!("form_{code}");
        let template = r.get_template(&name).ok_or_else(|| RenderErrorReason::PartialNotFound(name.clone()))?;
        // The partial ends its last line; the template's own line break follows the helper.
        let mut form = handlebars::StringOutput::new();
        template.render(r, ctx, rc, &mut form)?;
        let form = form.into_string()?;
        out.write(form.strip_suffix('\n').unwrap_or(&form))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &Templates, locale: Locale) -> Rendered {
        t.render(Kind::FormHelp, locale, &context(locale)).unwrap()
    }

    fn context(locale: Locale) -> serde_json::Value {
        serde_json::json!({
            "lang": locale.as_str(), "lang_tag": locale.tag(), "language_codes": "en, fr",
            "sections": [{"lang": locale.as_str(), "lang_tag": locale.tag()}],
            "desk": {"name": "Desk", "address": "desk@example.test", "organization": null, "contact": null, "speaks_for": "Desk"},
            "support_url": "https://support.example.test",
        })
    }

    #[test]
    fn an_operators_templates_win_per_language_then_for_every_language() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en")).unwrap();
        // As before the catalogs: plain text, the blank form by its partial.
        std::fs::write(dir.path().join("en/form_help.txt.hbs"), "Our own words.\n{{> form_en}}").unwrap();
        std::fs::write(dir.path().join("form_help.subject.hbs"), "{{t \"form-help-subject\"}} (Example Corp)").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let en = render(&t, Locale::En);
        assert!(en.text.starts_with("Our own words.\nAccount name:\n"), "{}", en.text);
        assert_eq!(en.subject, "Smart Account request form (Example Corp)");
        let de = render(&t, Locale::De);
        assert!(de.text.contains("Kontoname:"), "the built-in text for German: {}", de.text);
        assert_eq!(de.subject, "Formular für Smart-Account-Anfragen (Example Corp)");
    }

    #[test]
    fn a_shared_template_that_fails_says_which_language() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("form_help.txt.hbs"), "{{t \"no-such-message\"}}").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let e = t.render(Kind::FormHelp, Locale::It, &context(Locale::It)).unwrap_err().to_string();
        assert!(e.contains("form_help.txt.hbs (it)") && e.contains("no-such-message"), "{e}");
    }
}
