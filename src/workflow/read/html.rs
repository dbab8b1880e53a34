//! HTML to text for HTML-only mail: block elements end lines, quotes become `>` lines.
//!
//! mail-parser's own converter only breaks at `<br>` and `</p>`; Gmail writes a
//! form as `<div>` lines and Outlook as table rows, so this one knows blocks.

/// Characters of HTML converted; the rest is dropped.
const MAX_HTML: usize = 1 << 20;
/// Quote levels marked with `>`; deeper levels are marked as this deep.
const MAX_DEPTH: usize = 8;

/// Converts HTML to plain text. Blockquotes come out as `> ` lines and the
/// reply-header containers that Gmail, Outlook and Thunderbird put above the
/// quoted original come out as a `-----Original Message-----` line, so the
/// reply reader can cut there.
pub fn to_text(html: &str) -> String {
    let mut out = Out::default();
    // A form or a reply is a few kilobytes; past this much HTML the rest is noise (or an attack).
    let mut rest = match html.char_indices().nth(MAX_HTML) {
        Some((i, _)) => &html[..i],
        None => html,
    };
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        if let Some(end) = skip_until {
            match find_ci(rest, end) {
                Some(i) => {
                    rest = &rest[i + end.len()..];
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |i| &body[i + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            let Some(end) = tag_end(rest) else {
                out.text(rest);
                break;
            };
            let tag = &rest[1..end];
            rest = &rest[end + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
                .collect::<String>()
                .to_ascii_lowercase();
            let attrs = tag.to_ascii_lowercase();
            match name.as_str() {
                "head" | "style" | "script" | "title" | "template" if !closing => {
                    skip_until = Some(match name.as_str() {
                        "head" => "</head",
                        "style" => "</style",
                        "script" => "</script",
                        "title" => "</title",
                        _ => "</template",
                    });
                }
                "br" => out.newline(),
                "blockquote" => {
                    out.newline();
                    if closing {
                        out.depth = out.depth.saturating_sub(1);
                    } else {
                        out.depth += 1;
                    }
                }
                "hr" => out.marker(),
                "div" if !closing && is_quote_container(&attrs) => out.marker(),
                "p" | "div" | "tr" | "li" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre"
                | "dt" | "dd" | "section" | "article" | "header" | "footer" => out.newline(),
                "td" | "th" if !closing => out.space(),
                _ => {}
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        out.text(&decode_entities(&rest[..next]));
        rest = &rest[next..];
    }
    out.finish()
}

fn is_quote_container(attrs: &str) -> bool {
    [
        "gmail_quote",
        "divrplyfwdmsg",
        "appendonsend",
        "moz-cite-prefix",
        "yahoo_quoted",
        "protonmail_quote",
        "outlookmessageheader",
    ]
    .iter()
    .any(|m| attrs.contains(m))
}

fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[derive(Default)]
struct Out {
    lines: Vec<String>,
    line: String,
    depth: usize,
    pending_space: bool,
}

impl Out {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = !self.line.is_empty();
            } else {
                if self.pending_space {
                    self.line.push(' ');
                    self.pending_space = false;
                }
                self.line.push(c);
            }
        }
    }

    fn space(&mut self) {
        self.pending_space = !self.line.is_empty();
    }

    fn newline(&mut self) {
        let prefix = "> ".repeat(self.depth.min(MAX_DEPTH));
        self.lines.push(format!("{prefix}{}", std::mem::take(&mut self.line).trim_end()));
        self.pending_space = false;
    }

    fn marker(&mut self) {
        if !self.line.is_empty() {
            self.newline();
        }
        self.lines.push("-----Original Message-----".into());
    }

    fn finish(mut self) -> String {
        if !self.line.is_empty() {
            self.newline();
        }
        // Collapse runs of blank lines that nested blocks leave behind.
        let mut out = String::new();
        let mut blank = 0;
        for l in &self.lines {
            if l.trim().is_empty() || l.trim_end_matches([' ', '>']).is_empty() {
                blank += 1;
                if blank > 1 {
                    continue;
                }
            } else {
                blank = 0;
            }
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// Named entities that matter in mail, plus every numeric one.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map(|e| e + 1);
        let Some(end) = end.filter(|&e| rest[e..].starts_with(';') && e > 1) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            named_entity(name)
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "rsquo" | "lsquo" => '\u{2019}',
        "ldquo" | "rdquo" => '"',
        "laquo" => '«',
        "raquo" => '»',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "euro" => '€',
        "copy" => '©',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "oelig" => 'œ',
        "Agrave" => 'À',
        "Eacute" => 'É',
        "Egrave" => 'È',
        "Ecirc" => 'Ê',
        "Ccedil" => 'Ç',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_lines_and_entities_decode() {
        let t = to_text(
            "<html><head><style>p{}</style></head><body><div>Account name: A&amp;B</div><div>Customer email: x@y.test<br></div><p>Note&nbsp;: caf&eacute;</p></body></html>",
        );
        assert!(t.contains("Account name: A&B\n"), "{t}");
        assert!(t.contains("Customer email: x@y.test\n"), "{t}");
        assert!(t.contains("Note\u{a0}: café"), "{t}");
        assert!(!t.contains("p{}"));
    }

    #[test]
    fn table_cells_share_a_line() {
        let t = to_text(
            "<table><tr><td>Account name:</td><td>Acme</td></tr><tr><td>Account domain:</td><td>acme.example</td></tr></table>",
        );
        assert!(t.contains("Account name: Acme\n"), "{t}");
        assert!(t.contains("Account domain: acme.example\n"), "{t}");
    }

    #[test]
    fn deep_nesting_stays_small() {
        let html = "<blockquote>x".repeat(50_000);
        assert!(to_text(&html).len() < 2 * html.len());
    }

    #[test]
    fn quotes_are_marked() {
        let t =
            to_text("<div>Accept</div><div class=\"gmail_quote\">On Mon wrote:<blockquote>DECLINE</blockquote></div>");
        assert!(t.trim_start().starts_with("Accept\n-----Original Message-----"), "{t}");
        assert!(t.contains("> DECLINE"), "{t}");
    }
}
