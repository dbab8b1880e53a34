//! The email templates (SPEC §8): built into the binary, overridable file by file from `templates.dir`.
use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;

use crate::domain::Locale;
use crate::email::Kind;

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
}

impl Templates {
    /// Built-in templates, each replaced by `dir/<locale>/<file>` where that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut text = Handlebars::new();
        text.register_escape_fn(handlebars::no_escape);
        text.set_strict_mode(true);
        let mut html = Handlebars::new();
        html.set_strict_mode(true);

        let source = |rel: &str| -> Result<String, TemplateError> {
            if let Some(dir) = dir {
                let path = dir.join(rel);
                if path.exists() {
                    return std::fs::read_to_string(&path)
                        .map_err(|source| TemplateError::Read { path: path.display().to_string(), source });
                }
            }
            let built_in = |rel: &str| {
                crate::shell::embedded::TEMPLATES.iter().find(|(name, _)| *name == rel).map(|(_, body)| body.to_string())
            };
            // The languages of the third release speak English until their catalogs land.
            built_in(rel)
                .or_else(|| built_in(&format!("en/{}", rel.split_once('/').map_or(rel, |(_, r)| r))))
                .ok_or_else(|| TemplateError::Missing { name: rel.to_string() })
        };
        let parse_err = |name: &str, e: handlebars::TemplateError| TemplateError::Parse {
            name: name.to_string(),
            message: e.to_string(),
        };

        for locale in Locale::ALL {
            let l = locale.as_str();
            let form = source(&format!("{l}/form.txt.hbs"))?;
            let partial = format!("form_{l}");
            text.register_partial(&partial, &form).map_err(|e| parse_err(&partial, e))?;
            html.register_partial(&partial, &form).map_err(|e| parse_err(&partial, e))?;
            for kind in Kind::ALL {
                for part in ["subject", "txt", "html"] {
                    let rel = format!("{l}/{}.{part}.hbs", kind.name());
                    let body = source(&rel)?;
                    let registry = if part == "html" { &mut html } else { &mut text };
                    registry.register_template_string(&rel, body).map_err(|e| parse_err(&rel, e))?;
                }
            }
        }
        Ok(Templates { text, html })
    }

    pub fn render<C: Serialize>(&self, kind: Kind, locale: Locale, ctx: &C) -> Result<Rendered, TemplateError> {
        let name = |part: &str| format!("{}/{}.{part}.hbs", locale.as_str(), kind.name());
        let render = |reg: &Handlebars<'static>, n: String| {
            reg.render(&n, ctx).map_err(|e| TemplateError::Render { name: n.clone(), message: render_problem(&e) })
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
