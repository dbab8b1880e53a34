//! Text bodies wrapped after the values are filled in: prose reflowed to the width, no line over it but an unbreakable token.
//!
//! Widths are columns of a fixed-width font: Japanese and Chinese characters
//! take two, and their text, written without spaces, breaks between
//! characters, never before a closing mark (`。`, `、`, `）`) nor after an
//! opening one (`（`, `「`). A list item's continuation lines hang under its text.
use crate::shell::catalogs::{columns, wide};

/// The width lines are wrapped to; a token longer than this (an address, a URL) stays whole on its own line.
pub const WIDTH: usize = 76;

/// Words that must never open a line of our own emails: a reader that saw
/// our quoted text would take them for an answer (every language's, folded).
const COMMANDS: &[&str] = &[
    "accept",
    "accepter",
    "activate",
    "activer",
    "decline",
    "refuser",
    "submit",
    "envoyer",
    "cancel",
    "annuler",
    "senden",
    "abbrechen",
    "akzeptieren",
    "ablehnen",
    "enviar",
    "cancelar",
    "aceptar",
    "rechazar",
    "invia",
    "annulla",
    "accetta",
    "rifiuta",
    "aceitar",
    "recusar",
];

/// The same, for languages written without spaces: no line starts with these characters.
const UNSPACED_COMMANDS: &[&str] = &["送信", "キャンセル", "承認", "拒否", "提交", "取消", "接受", "拒绝"];

/// Marks that never open a line (Japanese and Chinese line breaking).
const NO_BREAK_BEFORE: &str =
    "、。，．・：；？！）」』】〉》〕］｝”’ー…‥ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.:;?!)]}%";
/// Marks that never close a line.
const NO_BREAK_AFTER: &str = "（「『【〈《〔［｛“‘([{";

/// Reflows `text`: a prose paragraph (plain lines, no list, table, quote or
/// indented block) with a line over the width is joined and wrapped; in any other paragraph only the
/// lines over the width are wrapped, keeping their indent. A paragraph that
/// ends in a line of its own after a colon (a reply address, a URL) keeps it there.
pub fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&reflow_paragraph(paragraph));
    }
    out
}

fn ends_with_colon(line: &str) -> bool {
    line.trim_end().ends_with([':', '：'])
}

fn reflow_paragraph(p: &str) -> String {
    let lines: Vec<&str> = p.split('\n').collect();
    let (body, tail) = match lines.split_last() {
        Some((last, rest)) if rest.last().is_some_and(|l| ends_with_colon(l)) && !last.trim().contains(' ') => {
            (rest, Some(*last))
        }
        _ => (&lines[..], None),
    };
    // Hand-wrapped template prose (and a note's own short lines) stays as
    // written; only a paragraph that a long value pushed over the width is reflowed.
    let mut out = if is_prose(body) && body.iter().any(|l| columns(l) > WIDTH) {
        wrap_units(&units(&body.join("\n")), "", "")
    } else {
        body.iter().map(|l| wrap_line(l)).collect::<Vec<_>>().join("\n")
    };
    if let Some(t) = tail {
        out.push('\n');
        out.push_str(t);
    }
    out
}

fn is_prose(lines: &[&str]) -> bool {
    !lines.is_empty()
        && lines.iter().all(|l| {
            let t = l.trim_end();
            !t.is_empty() && !t.starts_with(|c: char| c.is_whitespace() || "-*•>—|#".contains(c)) && !t.contains("  ")
        })
        && lines.iter().rev().skip(1).all(|l| !ends_with_colon(l))
}

/// One line, wrapped with its own indent when it is over the width; a list
/// item's (`- …`) continuation lines hang under its text.
fn wrap_line(line: &str) -> String {
    if columns(line) <= WIDTH {
        return line.to_string();
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let rest = &line[indent.len()..];
    if let Some((label, value)) = table_row(rest) {
        // A table row keeps its column: the value wraps under itself.
        let column = columns(&indent) + columns(label);
        let hang = " ".repeat(if column <= WIDTH / 2 { column } else { 4 });
        return wrap_units(&units(value), &format!("{indent}{label}"), &hang);
    }
    let hang = match rest.strip_prefix("- ") {
        Some(_) => format!("{indent}  "),
        None => indent.clone(),
    };
    wrap_units(&units(rest), &indent, &hang)
}

/// `Label:      value` (a label, its colon, two spaces or more): the label with its spaces, and the value.
fn table_row(line: &str) -> Option<(&str, &str)> {
    let colon = line.find([':', '：'])?;
    let after = colon + line[colon..].chars().next()?.len_utf8();
    let spaces = line[after..].len() - line[after..].trim_start_matches(' ').len();
    (spaces >= 2 && !line[..colon].contains("  ")).then(|| line.split_at(after + spaces))
}

/// A piece of text that is never broken: a word, or one character of a
/// language written without spaces (with the marks that may not be parted from it).
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    text: String,
    /// A space stands between it and the unit before (unless a line starts there).
    space_before: bool,
}

/// The units of a text; line breaks are spaces, except between two characters of an unspaced language.
fn units(text: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut word = String::new();
    let mut word_space = false;
    // Whitespace since the last character, and whether all of it was line breaks.
    let (mut space, mut only_newlines) = (false, true);
    for c in text.chars() {
        if c.is_whitespace() {
            if !word.is_empty() {
                out.push(Unit { text: std::mem::take(&mut word), space_before: word_space });
            }
            only_newlines = if space { only_newlines && c == '\n' } else { c == '\n' };
            space = true;
            continue;
        }
        let after_wide = word.is_empty() && out.last().is_some_and(|u| u.text.chars().last().is_some_and(wide));
        // A line break between two characters of an unspaced language joins them without a space.
        let space_before = space && !(only_newlines && after_wide && wide(c));
        space = false;
        if word.is_empty() && !space_before && !out.is_empty() && NO_BREAK_BEFORE.contains(c) {
            out.last_mut().expect("not empty").text.push(c);
            continue;
        }
        if wide(c) {
            // A closing mark stays with what it closes ("（UTC）", "SENDEN」").
            if !space_before && !word.is_empty() && NO_BREAK_BEFORE.contains(c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                out.push(Unit { text: std::mem::take(&mut word), space_before: word_space });
            }
            out.push(Unit { text: c.to_string(), space_before });
            continue;
        }
        if word.is_empty() {
            word_space = space_before;
        }
        word.push(c);
    }
    if !word.is_empty() {
        out.push(Unit { text: word, space_before: word_space });
    }
    // An opening mark never ends a line: the unit after it is glued to it.
    let mut glued: Vec<Unit> = Vec::with_capacity(out.len());
    for u in out {
        match glued.last_mut() {
            Some(last) if !u.space_before && last.text.chars().last().is_some_and(|l| NO_BREAK_AFTER.contains(l)) => {
                last.text.push_str(&u.text)
            }
            _ => glued.push(u),
        }
    }
    glued
}

/// Whether a line starting at unit `i` would open with a command word, or
/// read as one to the reply reader ("lo accetta." after a courtesy).
fn opens_with_command(units: &[Unit], i: usize) -> bool {
    let word: String = units[i].text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    if COMMANDS.contains(&word.as_str()) {
        return true;
    }
    let ahead: String = units[i..].iter().take(6).map(|u| u.text.as_str()).collect();
    if UNSPACED_COMMANDS.iter().any(|c| ahead.starts_with(c)) {
        return true;
    }
    // The reader decides on a line's opening words: read the next few as it would.
    let mut opening = String::new();
    for (k, u) in units[i..].iter().take(8).enumerate() {
        if k > 0 && u.space_before {
            opening.push(' ');
        }
        opening.push_str(&u.text);
    }
    crate::read::reply::Words::in_text(&opening) != crate::read::reply::Words::default()
}

fn wrap_units(units: &[Unit], indent: &str, hang: &str) -> String {
    let mut lines: Vec<Vec<usize>> = vec![Vec::new()];
    let mut len = columns(indent);
    for (i, unit) in units.iter().enumerate() {
        let w = columns(&unit.text);
        let current = lines.last_mut().expect("never empty");
        let gap = usize::from(unit.space_before && !current.is_empty());
        if !current.is_empty() && len + gap + w > WIDTH {
            // Never open a line with a command word: take the units before along
            // until the line no longer reads as one (a reference is no word).
            let mut next = vec![i];
            while current.len() > 1 && opens_with_command(units, next[0]) {
                next.insert(0, current.pop().expect("more than one"));
            }
            len = columns(hang) + line_width(units, &next);
            lines.push(next);
        } else {
            len += gap + w;
            current.push(i);
        }
    }
    lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let mut s = String::from(if n == 0 { indent } else { hang });
            for (k, &i) in l.iter().enumerate() {
                if k > 0 && units[i].space_before {
                    s.push(' ');
                }
                s.push_str(&units[i].text);
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_width(units: &[Unit], line: &[usize]) -> usize {
    line.iter().enumerate().map(|(k, &i)| columns(&units[i].text) + usize::from(k > 0 && units[i].space_before)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_command(word: &str) -> bool {
        let w: String = word.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
        COMMANDS.contains(&w.as_str())
    }

    #[test]
    fn prose_is_reflowed_to_the_width_after_the_values_are_in() {
        let text = "Bob Smith <bob@partner.example>, of partner.example, has asked Cisco Smart Accounts to create\na Smart Account for\nyour organization.";
        let out = reflow(text);
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH), "{out}");
        assert_eq!(out.split_whitespace().collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
        assert!(out.lines().count() == 2, "no ragged short line: {out}");
    }

    #[test]
    fn tables_lists_notes_and_a_reply_address_keep_their_lines() {
        let text = "Account name:      Acme\nAccount domain:    acme.example\n\n- To activate, reply ACCEPT.\n- To refuse, reply DECLINE.\n\nNote from Bob:\nline one\nline two\n\nkeep the reply address as it is:\ndesk+act-abcdefghijklmnopqrstuvwxyz@example.com";
        let out = reflow(text);
        assert_eq!(out, text);
    }

    #[test]
    fn an_unbreakable_token_stays_whole_and_no_line_opens_with_a_command() {
        let url = format!("https://example.com/{}", "x".repeat(90));
        let out = reflow(&format!("Sign in at {url} now."));
        assert!(out.lines().any(|l| l.contains(&url)), "{out}");
        let text =
            "If you do not recognise this request, or if you do not want it at all, reply DECLINE, or do nothing.";
        let out = reflow(text);
        assert!(out.lines().all(|l| !is_command(l.split_whitespace().next().unwrap())), "{out}");
        let text = "Wenn Sie diese Anfrage nicht kennen oder nicht wollen, antworten Sie bitte mit ABLEHNEN, oder tun Sie nichts.";
        let out = reflow(text);
        assert!(out.lines().all(|l| !is_command(l.split_whitespace().next().unwrap())), "{out}");
    }

    #[test]
    fn a_list_items_continuation_lines_hang_under_its_text() {
        let out = reflow("- Wenn alles stimmt, antworten Sie mit SENDEN (oder SUBMIT), um die Anfrage zu senden.");
        assert_eq!(out, "- Wenn alles stimmt, antworten Sie mit SENDEN (oder SUBMIT), um die Anfrage\n  zu senden.");
    }

    #[test]
    fn japanese_and_chinese_break_between_characters_at_double_width() {
        let ja = "顧客が拒否した場合、または上記の期限までに承認しなかった場合はお知らせします。その後、新しいリクエストをお送りいただけます。";
        let out = reflow(ja);
        assert!(out.lines().count() > 1, "{out}");
        assert!(out.lines().all(|l| columns(l) <= WIDTH), "{out}");
        assert_eq!(out.replace('\n', ""), ja, "no space is added between characters");
        assert!(out.lines().all(|l| !l.starts_with(['、', '。'])), "{out}");
        let zh = "如有信息不正确，请回复 取消，然后用新邮件将更正后的新表单发送至以下地址，我们会尽快处理您的申请并与您联系：\ndesk@example.com";
        let out = reflow(zh);
        assert!(out.ends_with("：\ndesk@example.com"), "the address stays under its colon: {out}");
        assert!(out.lines().all(|l| !l.starts_with("取消")), "{out}");
    }

    #[test]
    fn a_long_table_row_keeps_its_column() {
        let row = "Solicitado por:                  Bob Smith <bob@partner.example> (Reseller & Co, Sociedad Limitada)";
        let out = reflow(row);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("Solicitado por:                  Bob Smith"), "{out}");
        assert!(lines[1..].iter().all(|l| l.starts_with(&" ".repeat(33)) && !l.starts_with(&" ".repeat(34))), "{out}");
        let zh = reflow(
            "特此提醒：以下 Smart Account 申请仍在等待您的回复。它将于 2026年12月2日（UTC） 过期（还剩 7 天）。",
        );
        assert!(zh.contains("（UTC）"), "{zh}");
    }

    #[test]
    fn a_list_item_in_japanese_wraps_under_its_text() {
        let out = reflow(
            "- 顧客が拒否した場合、または上記の期限までに承認しなかった場合はお知らせします。その後、新しいリクエストをお送りいただけます。",
        );
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1 && lines[1..].iter().all(|l| l.starts_with("  ") && !l.starts_with("   ")), "{out}");
    }
}
