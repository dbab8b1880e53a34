//! HTML to text for HTML-only mail: block elements end lines, quotes become `>` lines.
//!
//! mail-parser's own converter only breaks at `<br>` and `</p>`; Gmail writes a
//! form as `<div>` lines and Outlook as table rows, so this one knows blocks.
//! A reply is read from its structure before it is flattened: every client's
//! quote container (`blockquote`, Gmail's `gmail_quote`, Thunderbird's
//! `moz-cite-prefix`, Yahoo's `yahoo_quoted`, …) marks its lines with `>`, and
//! where Outlook-style clients put the original after the answer with nothing
//! around it (`divRplyFwdMsg`, `appendonsend`, `OLK_SRC_BODY_SECTION`, a
//! rule) everything from there on is marked. Text after a closed container
//! (a bottom-posted answer) stays unmarked.

/// Characters of HTML converted; the rest is dropped.
const MAX_HTML: usize = 1 << 20;
/// Quote levels marked with `>`; deeper levels are marked as this deep.
const MAX_DEPTH: usize = 8;
/// Elements tracked open at once. Past this the structure is lost, and the
/// rest of the document counts as quote: a reply is never this deep.
const MAX_OPEN: usize = 256;

/// Elements that never have content or an end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements that end a line where they open and where they close.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "body",
    "html",
    "center",
    "address",
    "aside",
    "nav",
    "main",
    "dl",
];

/// What a quote marker on an element means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// The element holds quoted text (or the attribution over it) and ends where it closes.
    Quote,
    /// The quoted original starts here and runs to the end of the document.
    Rest,
}

/// The quote container an element is, from its name and (lower-cased) attributes.
fn container(name: &str, attrs: &str) -> Option<Container> {
    if name == "blockquote" {
        return Some(Container::Quote);
    }
    // Outlook (desktop, web, Mac, mobile), Thunderbird forwards, Zimbra,
    // Exchange and NetEase (163/126) put the original after the answer, unwrapped, to the end.
    let rest = [
        "isreplycontent",
        "isforwardcontent",
        "divrplyfwdmsg",
        "appendonsend",
        "olk_src_body_section",
        "outlookmessageheader",
        "mail-editor-reference-message-container",
        "messagereplysection",
        "moz-forward-container",
        "__quoted_text__",
        "__headers__",
        "__divider__",
    ];
    if rest.iter().any(|m| attrs.contains(m)) {
        return Some(Container::Rest);
    }
    // Outlook desktop's header block is a div with a top border and no id.
    if name == "div" && attrs.contains("border-top") {
        let style: String = attrs.chars().filter(|c| !c.is_whitespace()).collect();
        if style.contains("border:none;border-top:solid") || style.contains("border-top-style:solid") {
            return Some(Container::Rest);
        }
    }
    // Gmail, Thunderbird's attribution, Yahoo/AOL, ProtonMail, Zoho, GMX/web.de.
    let quote = ["gmail_quote", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote", "zmail_extra", "name=\"quote\""];
    quote.iter().any(|m| attrs.contains(m)).then_some(Container::Quote)
}

/// Converts HTML to plain text. Quoted text (inside a quote container, or
/// after the start of an Outlook-style original) comes out as `>` lines, one
/// `>` per level.
pub fn to_text(html: &str) -> String {
    let mut out = Out { cap: html.len().saturating_mul(3).saturating_add(64), ..Out::default() };
    // A form or a reply is a few kilobytes; past this much HTML the rest is noise (or an attack).
    let mut rest = match html.char_indices().nth(MAX_HTML) {
        Some((i, _)) => &html[..i],
        None => html,
    };
    // Open elements: name, and whether it is a quote container.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut quotes = 0usize;
    let mut cut = false;
    let mut pre = 0usize;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        if let Some(end) = skip_until {
            match find_ci(rest, end) {
                Some(i) => {
                    let after = &rest[i + end.len()..];
                    rest = after.find('>').map_or("", |j| &after[j + 1..]);
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
            if name.is_empty() {
                continue;
            }
            let block = BLOCK.contains(&name.as_str());
            if closing {
                if block {
                    out.newline();
                }
                if let Some(at) = open.iter().rposition(|(n, _)| *n == name) {
                    let closed = open.split_off(at);
                    let ended = closed.iter().filter(|(_, q)| *q).count();
                    if ended > 0 {
                        quotes -= ended;
                        out.set_depth(quotes + usize::from(cut));
                    }
                    pre -= closed.iter().filter(|(n, _)| n == "pre").count();
                }
                continue;
            }
            match name.as_str() {
                "head" | "style" | "script" | "title" | "template" | "xml" => {
                    skip_until = Some(match name.as_str() {
                        "head" => "</head",
                        "style" => "</style",
                        "script" => "</script",
                        "title" => "</title",
                        "xml" => "</xml",
                        _ => "</template",
                    });
                    continue;
                }
                "br" => out.newline(),
                // A rule in the answer's own level starts the original (Outlook's
                // `<hr>` over its header block, Zimbra's divider); inside a quote it is the quote's.
                "hr" if quotes == 0 && !cut => {
                    cut = true;
                    out.set_depth(1);
                }
                "td" | "th" => out.space(),
                _ => {}
            }
            if block {
                out.newline();
            }
            if VOID.contains(&name.as_str()) || tag.ends_with('/') {
                continue;
            }
            // Browsers end an open paragraph (or list item, row, cell) where the next one starts.
            if let Some((top, false)) = open.last()
                && (*top == name && ["p", "li", "tr", "td", "th", "dt", "dd", "option"].contains(&top.as_str())
                    || (top == "p" && block))
            {
                open.pop();
            }
            let attrs = tag.to_ascii_lowercase();
            let kind = container(&name, &attrs);
            if kind == Some(Container::Rest) && quotes == 0 && !cut {
                cut = true;
                out.set_depth(1);
            }
            if open.len() >= MAX_OPEN {
                // Too deep to follow where quotes end: the rest is quote.
                if !cut {
                    cut = true;
                    out.set_depth(quotes + 1);
                }
                continue;
            }
            let is_quote = kind == Some(Container::Quote);
            if is_quote {
                quotes += 1;
                out.set_depth(quotes + usize::from(cut));
            }
            if name == "pre" {
                pre += 1;
            }
            open.push((name, is_quote));
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let chunk = decode_entities(&rest[..next]);
        if pre > 0 {
            let mut first = true;
            for piece in chunk.split('\n') {
                if !first {
                    out.newline();
                }
                first = false;
                out.text(piece);
            }
        } else {
            out.text(&chunk);
        }
        rest = &rest[next..];
    }
    out.finish()
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
    /// Quote level of the text now being written.
    depth: usize,
    pending_space: bool,
    /// Bytes written so far, and the most that will be: output stays proportional to input.
    len: usize,
    cap: usize,
}

impl Out {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if self.len + self.line.len() >= self.cap {
                return;
            }
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
        let line = std::mem::take(&mut self.line);
        self.pending_space = false;
        let text = line.trim_end();
        if self.len >= self.cap {
            return;
        }
        // `>>> text`: one mark per level and one space, as mail clients quote.
        let depth = self.depth.min(MAX_DEPTH);
        let out =
            if depth == 0 || text.is_empty() { text.to_string() } else { format!("{} {text}", ">".repeat(depth)) };
        self.len += out.len() + 1;
        self.lines.push(out);
    }

    /// Text written from now on is at this quote level; a line begun at
    /// another level ends first, and a blank line parts the levels as a mail
    /// client parts an answer from the quote.
    fn set_depth(&mut self, depth: usize) {
        if depth != self.depth {
            if !self.line.is_empty() {
                self.newline();
            }
            self.lines.push(String::new());
            self.len += 1;
            self.depth = depth;
        }
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
    fn quote_containers_mark_their_lines() {
        let t =
            to_text("<div>Accept</div><div class=\"gmail_quote\">On Mon wrote:<blockquote>DECLINE</blockquote></div>");
        assert_eq!(t.trim(), "Accept\n\n> On Mon wrote:\n\n>> DECLINE", "{t}");
    }

    #[test]
    fn text_after_a_closed_quote_is_the_senders_again() {
        let t = to_text(
            "<div class=\"moz-cite-prefix\">On 23/11/2026, Desk wrote:<br></div><blockquote type=\"cite\"><p>Hello</p><hr><p>DECLINE</p></blockquote><p>ACCEPT</p><pre class=\"moz-signature\">-- \nJane</pre>",
        );
        let lines: Vec<&str> = t.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["> On 23/11/2026, Desk wrote:", "> Hello", "> DECLINE", "ACCEPT", "--", "Jane"], "{t}");
    }

    #[test]
    fn an_outlook_original_runs_to_the_end() {
        for start in [
            "<div id=\"appendonsend\"></div>",
            "<hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">",
            "<div id=\"divRplyFwdMsg\" dir=\"ltr\">",
            "<span id=\"OLK_SRC_BODY_SECTION\">",
            "<div id=\"isReplyContent\" style=\"padding-left:1ex\">",
            "<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>",
        ] {
            let t = to_text(&format!(
                "<div>Accept</div>{start}<b>From:</b> Desk<br><b>Sent:</b> Monday</div><div><p>DECLINE</p></div></div></span>"
            ));
            let lines: Vec<&str> = t.lines().filter(|l| !l.is_empty()).collect();
            assert_eq!(lines[0], "Accept", "{start}: {t}");
            assert!(lines[1..].iter().all(|l| l.starts_with('>')), "{start}: {t}");
        }
    }

    #[test]
    fn stray_end_tags_and_unclosed_paragraphs_keep_the_quote_open() {
        let t = to_text("<blockquote><p>one<p>two</span></p></td><p>DECLINE</blockquote><p>ACCEPT");
        let lines: Vec<&str> = t.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["> one", "> two", "> DECLINE", "ACCEPT"], "{t}");
    }

    #[test]
    fn too_deep_a_document_is_quote_from_where_it_is_lost() {
        let html = format!("<p>ACCEPT</p>{}DECLINE", "<div>".repeat(MAX_OPEN + 1));
        let t = to_text(&html);
        assert!(t.contains("> DECLINE"), "{t}");
        assert!(t.trim_start().starts_with("ACCEPT"), "{t}");
    }

    #[test]
    fn output_stays_proportional_to_input() {
        for html in ["<blockquote><p>x".repeat(10_000), "<hr>x<br>".repeat(10_000), "<q>".repeat(100_000)] {
            assert!(to_text(&html).len() <= html.len() * 3 + 64);
        }
    }
}
