//! The emails' sentences: one Fluent catalog per language (`templates/catalogs/LANG.ftl`),
//! built into the binary, each message replaceable from `templates.dir/catalogs/LANG.ftl`,
//! and every catalog held to the English one (same messages, same variables).
//!
//! The templates are one per kind and part; every sentence in them comes from
//! here through the `t` helper (`templates.rs`). Values are passed as Fluent
//! variables; in HTML they are escaped, and those named by the helper's
//! `strong`, `command` or `link` are wrapped in their markup after escaping,
//! so no catalog holds HTML and no value can add any.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::domain::Locale;
use crate::read::form::Field;
use crate::templates::TemplateError;

type Bundle = fluent_bundle::concurrent::FluentBundle<Arc<FluentResource>>;

/// The catalog every other one is checked against.
pub const REFERENCE: Locale = Locale::En;

/// The labels of the aligned tables of text emails: the widest sets the column of every value.
const TABLE_LABELS: &[&str] = &[
    "field-reference",
    "field-account-name",
    "field-customer-email",
    "field-account-domain",
    "field-partner-company",
    "field-language",
    "field-requested-by",
    "field-approved-by",
    "field-status",
];

/// One value given to a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

/// How an HTML value is set in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// `<strong>` (a reference, a date).
    Strong,
    /// A command word, in the monospace bold the buttons' words use.
    Command,
    /// A link to itself (a URL).
    Link,
}

/// The message id of a field's label.
pub fn field_message(field: Field) -> &'static str {
    match field {
        Field::AccountName => "field-account-name",
        Field::CustomerEmail => "field-customer-email",
        Field::AccountDomain => "field-account-domain",
        Field::NoteToCustomer => "field-note-to-customer",
        Field::UserEmails => "field-user-emails",
        Field::NoteToUsers => "field-note-to-users",
        Field::Language => "field-language",
        Field::PartnerCompany => "field-partner-company",
    }
}

/// Columns a text takes in a fixed-width font: East Asian wide and full-width characters take two.
pub fn columns(s: &str) -> usize {
    s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

/// East Asian wide and full-width characters (Hangul, CJK, kana, full-width forms).
pub fn wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{303e}'
        | '\u{3041}'..='\u{33ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{a000}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}')
}

/// Every language's catalog, ready to format.
pub struct Catalogs {
    bundles: HashMap<Locale, Bundle>,
    /// Each message's variables, per language (for the check against English).
    variables: HashMap<Locale, BTreeMap<String, BTreeSet<String>>>,
    /// Where each language's messages come from, for errors ("de.ftl", "templates.dir/catalogs/de.ftl + de.ftl").
    sources: HashMap<Locale, String>,
}

impl Catalogs {
    /// The built-in catalogs, each with the messages of `dir/catalogs/LANG.ftl` put over its own where that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Catalogs, TemplateError> {
        let mut catalogs = Catalogs { bundles: HashMap::new(), variables: HashMap::new(), sources: HashMap::new() };
        for locale in Locale::ALL {
            let name = format!("catalogs/{}.ftl", locale.as_str());
            let built_in = crate::shell::embedded::TEMPLATES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, body)| body.to_string())
                .ok_or_else(|| TemplateError::Missing { name: name.clone() })?;
            let mut layers = vec![(name.clone(), built_in)];
            if let Some(dir) = dir {
                let path = dir.join(&name);
                if path.exists() {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|source| TemplateError::Read { path: path.display().to_string(), source })?;
                    layers.push((path.display().to_string(), text));
                }
            }
            let tag: unic_langid::LanguageIdentifier =
                locale.tag().parse().map_err(|e| catalog_error(&name, format!("language tag: {e}")))?;
            let mut bundle = Bundle::new_concurrent(vec![tag]);
            // Unicode isolation marks around values would reach plain-text mail as invisible characters.
            bundle.set_use_isolating(false);
            let mut variables = BTreeMap::new();
            let names: Vec<String> = layers.iter().map(|(n, _)| n.clone()).collect();
            for (source, text) in layers {
                let resource = match FluentResource::try_new(text) {
                    Ok(r) => r,
                    Err((r, errors)) => {
                        let first = &errors[0];
                        let line = r.source()[..first.pos.start.min(r.source().len())].lines().count().max(1);
                        return Err(catalog_error(&source, format!("line {line}: {first}")));
                    }
                };
                for entry in resource.entries() {
                    if let ast::Entry::Message(m) = entry {
                        let mut vars = BTreeSet::new();
                        if let Some(p) = &m.value {
                            pattern_variables(p, &mut vars);
                        }
                        variables.insert(m.id.name.to_string(), vars);
                    }
                }
                bundle.add_resource_overriding(Arc::new(resource));
            }
            let source = match &names[..] {
                [built_in, own] => format!("{own} (over the built-in {built_in})"),
                _ => format!("{} (built in)", names[0]),
            };
            catalogs.sources.insert(locale, source);
            catalogs.variables.insert(locale, variables);
            catalogs.bundles.insert(locale, bundle);
        }
        Ok(catalogs)
    }

    /// A message as plain text.
    pub fn text(&self, locale: Locale, id: &str, args: &[(&str, Arg)]) -> Result<String, TemplateError> {
        self.format(locale, id, args.iter().map(|(k, v)| (*k, v.clone(), None)).collect())
    }

    /// A message as HTML: its text and every value escaped, the values `markup` names wrapped.
    pub fn html(
        &self,
        locale: Locale,
        id: &str,
        args: &[(&str, Arg)],
        markup: &dyn Fn(&str) -> Option<Markup>,
    ) -> Result<String, TemplateError> {
        // Values that need escaping or markup go through Fluent as private-use
        // placeholders, put back after the sentence is escaped; plain ones (a
        // language code a selector reads, a number) go as they are.
        let mut values = Vec::new();
        let mut fluent = Vec::new();
        for (name, value) in args {
            let wrap = markup(name);
            match value {
                Arg::Text(t) if wrap.is_some() || t.contains(['&', '<', '>', '"', '\'', '`', '=', '\u{e000}']) => {
                    let token = format!("\u{e000}{}\u{e001}", values.len());
                    values.push((token.clone(), html_value(t, wrap)));
                    fluent.push((*name, Arg::Text(token), None));
                }
                Arg::Text(t) => fluent.push((*name, Arg::Text(t.clone()), None)),
                Arg::Number(n) => fluent.push((*name, Arg::Number(*n), None)),
            }
        }
        let mut out = handlebars::html_escape(&self.format(locale, id, fluent)?);
        for (token, html) in values {
            out = out.replace(&token, &html);
        }
        Ok(out)
    }

    fn format(
        &self,
        locale: Locale,
        id: &str,
        args: Vec<(&str, Arg, Option<Markup>)>,
    ) -> Result<String, TemplateError> {
        let bundle = &self.bundles[&locale];
        let source = &self.sources[&locale];
        let message = bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(|| catalog_error(source, format!("no message {id:?}")))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value, _) in args {
            match value {
                Arg::Text(t) => fluent_args.set(name.to_string(), FluentValue::from(t)),
                Arg::Number(n) => fluent_args.set(name.to_string(), FluentValue::from(n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(message, Some(&fluent_args), &mut errors).into_owned();
        match errors.first() {
            None => Ok(text),
            Some(e) => Err(catalog_error(source, format!("message {id:?}: {e}"))),
        }
    }

    /// A field's label as the form writes it in `locale`.
    pub fn label(&self, locale: Locale, field: Field) -> Result<String, TemplateError> {
        self.text(locale, field_message(field), &[])
    }

    /// The column where the values of a text email's tables start: the widest label, its colon, two spaces.
    pub fn table_width(&self, locale: Locale) -> usize {
        let colon = self.text(locale, "colon", &[]).unwrap_or_else(|_| ":".into());
        TABLE_LABELS
            .iter()
            .filter_map(|id| self.text(locale, id, &[]).ok())
            .map(|l| columns(&l) + columns(&colon) + 2)
            .max()
            .unwrap_or(20)
    }

    /// The blank form in `locale`: one `Label:` line a field, and `Language: CODE` last.
    pub fn blank_form(&self, locale: Locale) -> Result<String, TemplateError> {
        let colon = self.text(locale, "colon", &[])?;
        let mut out = String::new();
        // Every field in the form's order, but the `Language` line, which comes last with the language's code.
        for field in Field::ALL.into_iter().filter(|f| *f != Field::Language) {
            out.push_str(&format!("{}{colon}\n", self.label(locale, field)?));
        }
        out.push_str(&format!("{}{colon} {}\n", self.label(locale, Field::Language)?, locale.as_str()));
        Ok(out)
    }

    /// Every catalog has every message of the English one and no other, with
    /// the same variables; every message formats; every field label is one the
    /// form reader reads as that field in that language.
    pub fn check(&self) -> Result<(), TemplateError> {
        let reference = &self.variables[&REFERENCE];
        for locale in Locale::ALL {
            let source = &self.sources[&locale];
            let own = &self.variables[&locale];
            let missing: Vec<&str> = reference.keys().filter(|k| !own.contains_key(*k)).map(String::as_str).collect();
            if !missing.is_empty() {
                return Err(catalog_error(source, format!("the messages {} are missing", missing.join(", "))));
            }
            let unknown: Vec<&str> = own.keys().filter(|k| !reference.contains_key(*k)).map(String::as_str).collect();
            if !unknown.is_empty() {
                return Err(catalog_error(
                    source,
                    format!("no email uses the messages {} (misspelt?)", unknown.join(", ")),
                ));
            }
            for (id, want) in reference {
                let got = &own[id];
                if got != want {
                    let lacks: Vec<String> = want.difference(got).map(|v| format!("${v}")).collect();
                    let extra: Vec<String> = got.difference(want).map(|v| format!("${v}")).collect();
                    let mut said = Vec::new();
                    if !lacks.is_empty() {
                        said.push(format!("lacks {}", lacks.join(", ")));
                    }
                    if !extra.is_empty() {
                        said.push(format!("has {} that the email does not give", extra.join(", ")));
                    }
                    return Err(catalog_error(source, format!("message {id:?} {}", said.join(" and "))));
                }
                // Sample values: a word for text, 2 for numbers read by a plural selector.
                let args: Vec<(&str, Arg)> = want
                    .iter()
                    .map(|v| {
                        let numeric =
                            matches!(v.as_str(), "days" | "count" | "len" | "max" | "limit") || v.ends_with("_days");
                        (v.as_str(), if numeric { Arg::Number(2.0) } else { Arg::Text("x".into()) })
                    })
                    .collect();
                self.text(locale, id, &args)?;
            }
            for field in Field::ALL {
                let label = self.label(locale, field)?;
                let read = crate::read::form::read_label(&label);
                if !read.is_some_and(|(f, locales)| f == field && locales.contains(&locale)) {
                    return Err(catalog_error(
                        source,
                        format!(
                            "{}: the label {label:?} is not one the form reader takes as {} in {locale} \
                             (partners copy the blank form: its labels must read back)",
                            field_message(field),
                            field.key()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn catalog_error(source: &str, message: String) -> TemplateError {
    TemplateError::Catalog { name: source.to_string(), message }
}

fn html_value(text: &str, markup: Option<Markup>) -> String {
    let escaped = handlebars::html_escape(text);
    match markup {
        None => escaped,
        Some(Markup::Strong) => format!("<strong>{escaped}</strong>"),
        Some(Markup::Command) => format!("<strong style=\"font-family:monospace;font-size:15px\">{escaped}</strong>"),
        Some(Markup::Link) => format!("<a href=\"{escaped}\">{escaped}</a>"),
    }
}

/// The `$variables` a pattern reads, selectors and nested patterns included.
fn pattern_variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                pattern_variables(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_variables(i, out),
    }
}

fn inline_variables(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_variables(a, out);
            }
            for a in &arguments.named {
                inline_variables(&a.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_catalog_has_every_message_and_variable_of_the_english_one() {
        Catalogs::load(None).unwrap().check().unwrap();
    }

    #[test]
    fn html_escapes_the_sentence_and_its_values_and_wraps_only_the_named_ones() {
        let c = Catalogs::load(None).unwrap();
        let html = c
            .html(
                Locale::En,
                "activation-to-accept",
                &[("word", Arg::Text("ACCEPT".into())), ("alt", Arg::Text("<b>".into()))],
                &|name| (name == "word").then_some(Markup::Command),
            )
            .unwrap();
        assert_eq!(
            html,
            "To activate the account, reply <strong style=\"font-family:monospace;font-size:15px\">ACCEPT</strong> \
             (or &lt;b&gt;)."
        );
    }

    #[test]
    fn a_language_selector_reads_its_code_in_html_too() {
        let c = Catalogs::load(None).unwrap();
        let code = [("code", Arg::Text("de".into()))];
        assert_eq!(c.html(Locale::Fr, "language-name", &code, &|_| None).unwrap(), "allemand");
        assert_eq!(c.text(Locale::Ja, "language-name", &code).unwrap(), "ドイツ語");
    }

    #[test]
    fn the_blank_form_of_each_language_reads_back_as_a_form_in_that_language() {
        let c = Catalogs::load(None).unwrap();
        for locale in Locale::ALL {
            let form = c.blank_form(locale).unwrap();
            let raw = crate::read::form::scan(&form);
            assert_eq!(raw.label_locale(), Some(locale), "{form}");
            assert_eq!(crate::read::form::locale_of(&raw, Locale::En), locale);
        }
        assert_eq!(
            c.blank_form(Locale::Fr).unwrap(),
            "Nom du compte :\nE-mail du client :\nDomaine du compte :\nNote au client :\nE-mails des utilisateurs :\n\
             Remarque à l'intention des utilisateurs ajoutés :\nSociété du partenaire :\nLangue : fr\n"
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(columns("Kontoname:"), 10);
        assert_eq!(columns("アカウント名："), 14);
    }

    fn with_override(lang: &str, ftl: &str) -> (tempfile::TempDir, Result<Catalogs, TemplateError>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("catalogs")).unwrap();
        std::fs::write(dir.path().join(format!("catalogs/{lang}.ftl")), ftl).unwrap();
        let loaded = Catalogs::load(Some(dir.path()));
        (dir, loaded)
    }

    #[test]
    fn an_operators_catalog_replaces_the_messages_it_holds_and_keeps_the_others() {
        let (_dir, c) = with_override("de", "hello = Sehr geehrte Damen und Herren,\n");
        let c = c.unwrap();
        c.check().unwrap();
        assert_eq!(c.text(Locale::De, "hello", &[]).unwrap(), "Sehr geehrte Damen und Herren,");
        assert_eq!(c.text(Locale::De, "automatic", &[]).unwrap(), "Dies ist eine automatisch erstellte Nachricht.");
    }

    #[test]
    fn the_check_names_the_catalog_the_message_and_the_variable_that_is_wrong() {
        let (_dir, c) = with_override("de", "review-subject = Prüfen Sie [{ $ref }]\n");
        let e = c.unwrap().check().unwrap_err().to_string();
        assert!(e.contains("catalogs/de.ftl") && e.contains("review-subject") && e.contains("$reference"), "{e}");
        assert!(e.contains("$ref "), "the unknown variable is named: {e}");
        let (_dir, c) = with_override("es", "helo = Hola\n");
        let e = c.unwrap().check().unwrap_err().to_string();
        assert!(e.contains("helo") && e.contains("misspelt"), "{e}");
        let (_dir, c) = with_override("ja", "field-account-name = 口座名\n");
        let e = c.unwrap().check().unwrap_err().to_string();
        assert!(e.contains("field-account-name") && e.contains("口座名"), "{e}");
        let (_dir, c) = with_override("zh", "hello = { $\n");
        let e = c.err().expect("a syntax error is a load error").to_string();
        assert!(e.contains("zh.ftl") && e.contains("line 1"), "{e}");
    }

    /// What a translator's slip looks like to `check-config`: a message another catalog
    /// lacks (here one an operator added to the English catalog only), a variable the email
    /// does not give, a variable left out of one language, each named with its catalog.
    #[test]
    fn the_check_finds_a_missing_message_and_a_missing_or_extra_variable_in_any_language() {
        let (_dir, c) = with_override("en", "our-footer = Our own footer\n");
        let e = c.unwrap().check().unwrap_err().to_string();
        assert!(e.contains("our-footer") && e.contains("missing") && e.contains("fr.ftl"), "{e}");
        let (_dir, c) = with_override("it", "review-subject = Verifichi [{ $reference }] di { $partner }\n");
        let e = c.unwrap().check().unwrap_err().to_string();
        assert!(e.contains("it.ftl") && e.contains("review-subject") && e.contains("$partner"), "{e}");
        for lang in ["de", "es", "pt", "ja", "zh"] {
            // The deadline left out of the activation's sentence.
            let (_dir, c) = with_override(lang, "activation-provisional = Bitte antworten.\n");
            let e = c.unwrap().check().unwrap_err().to_string();
            assert!(
                e.contains(&format!("{lang}.ftl")) && e.contains("activation-provisional") && e.contains("$date"),
                "{e}"
            );
        }
    }
}
