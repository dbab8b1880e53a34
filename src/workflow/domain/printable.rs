//! Text from strangers made safe for a terminal, a log line or an email: control characters never pass.
use std::borrow::Cow;

/// `s` with every control character (ESC, BEL, NUL, C1, DEL, bidi overrides…)
/// shown as a `\u{..}` escape, so a Message-ID or a subject cannot change a
/// terminal's title, move its cursor or hide text. Newlines are escaped too:
/// one value stays on one line.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Multi-line text a sender wrote (a note), kept readable: line breaks and
/// tabs stay (a tab becomes a space), every other control character is dropped.
pub fn strip_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// `s` without the invisible formatting characters a sender can hide in a
/// form field: bidirectional controls (U+202A–202E, U+2066–2069, the marks
/// U+200E, U+200F, U+061C) and zero-width characters (U+200B–200D, U+2060–2064,
/// U+FEFF, U+180E) and the soft hyphen. Everything else, controls included, is
/// left to the field's own rules.
pub fn strip_invisible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|c| !is_invisible(*c)).collect())
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2060}'..='\u{2064}'
            | '\u{061c}'
            | '\u{feff}'
            | '\u{180e}'
            | '\u{00ad}'
    )
}

/// C0 and C1 controls, DEL, and the invisible bidirectional overrides that can reorder what a reader sees.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_shown_not_obeyed() {
        assert_eq!(printable("plain"), "plain");
        let evil = "id\u{1b}]0;pwned\u{7}@x";
        let shown = printable(evil);
        assert!(!shown.chars().any(char::is_control), "{shown}");
        assert!(shown.contains("\\u{1b}"), "{shown}");
    }

    #[test]
    fn notes_keep_their_lines_and_lose_their_controls() {
        assert_eq!(strip_controls("a\nb\tc\u{0}\u{1b}[31m\u{7}"), "a\nb c[31m");
    }
}
