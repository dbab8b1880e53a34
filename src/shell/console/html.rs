//! Server-rendered HTML: escaping (every value passes through it), the frame every page shares, small pieces.
use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::users::Role;
use super::words::Words;
use crate::domain::{printable, strip_controls};

/// `s` safe inside an element or a quoted attribute.
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line a stranger may have written (a subject, a sender): control characters shown as escapes, then escaped.
pub fn text(s: &str) -> String {
    esc(&printable(s)).into_owned()
}

/// Text of several lines (a note, an email's body): line breaks kept, other controls dropped, escaped.
pub fn block(s: &str) -> String {
    esc(&strip_controls(s)).into_owned()
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
    }
}

/// A time as every page shows it: UTC, to the minute.
pub fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// `template` with each `{name}` replaced by its (already escaped) value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Who is signed in, as the frame shows them.
pub struct Signed<'a> {
    pub name: &'a str,
    pub role: Role,
    pub csrf: &'a str,
}

/// A hidden field with the form's CSRF token.
pub fn csrf_field(token: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(token))
}

/// The whole page: head (the one stylesheet, no script), the navigation and sign-out for a signed-in
/// operator, a flash message, the title, the body.
pub fn page(w: &Words, title: &str, signed: Option<&Signed<'_>>, flash: Option<&str>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · smartacct</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head><body>\n<header>\
         <a class=\"brand\" href=\"/\">smartacct</a>",
        w.lang,
        esc(title)
    );
    if let Some(s) = signed {
        let _ = write!(
            out,
            "<nav><a href=\"/\">{}</a><a href=\"/requests\">{}</a><a href=\"/outbox\">{}</a>\
             <a href=\"/mail\">{}</a><a href=\"/actions\">{}</a></nav>\
             <form class=\"signout\" method=\"post\" action=\"/logout\">{}<span>{} ({})</span> \
             <button type=\"submit\">{}</button></form>",
            w.nav_overview,
            w.nav_requests,
            w.nav_outbox,
            w.nav_mail,
            w.nav_actions,
            csrf_field(s.csrf),
            esc(s.name),
            match s.role {
                Role::Viewer => w.role_viewer,
                Role::Operator => w.role_operator,
            },
            w.sign_out
        );
    }
    out.push_str("</header>\n<main>\n");
    if let Some(f) = flash {
        let _ = writeln!(out, "<p class=\"flash\" role=\"status\">{}</p>", esc(f));
    }
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    out.push_str(body);
    out.push_str("\n</main></body></html>\n");
    out
}

/// A table: a header row and rows of cells already rendered.
pub fn table(head: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::console::words::EN;

    #[test]
    fn markup_in_a_value_is_shown_never_run() {
        assert_eq!(esc("<b title=\"x\">O'Neil & co</b>"), "&lt;b title=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/b&gt;");
        assert_eq!(text("a\u{1b}[2Jb\u{202e}"), "a\\u{1b}[2Jb\\u{202e}");
        assert_eq!(block("line 1\nline <2>\u{7}"), "line 1\nline &lt;2&gt;");
    }

    #[test]
    fn a_page_links_only_its_own_stylesheet_and_carries_no_script() {
        let signed = Signed { name: "alice", role: Role::Operator, csrf: "tok\"en" };
        let p = page(&EN, "A <title>", Some(&signed), Some("done"), "<p>body</p>");
        assert!(p.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{p}");
        assert!(p.contains("<link rel=\"stylesheet\" href=\"/static/console.css\">"));
        assert!(p.contains("<title>A &lt;title&gt; · smartacct</title>"));
        assert!(p.contains("value=\"tok&quot;en\""));
        assert!(!p.contains("<script") && !p.contains("style="), "{p}");
    }

    #[test]
    fn a_long_value_is_cut_on_a_character() {
        assert_eq!(cut("été", 2), "ét…");
        assert_eq!(cut("abc", 3), "abc");
    }
}
