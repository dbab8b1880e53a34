//! Text bodies wrapped after the values are filled in: prose reflowed to the width, no line over it but an unbreakable token.
/// The width lines are wrapped to; a token longer than this (an address, a URL) stays whole on its own line.
pub const WIDTH: usize = 76;

/// Words that must never open a line of our own emails: a reader that saw
/// our quoted text would take them for an answer.
const COMMANDS: &[&str] =
    &["accept", "accepter", "activate", "activer", "decline", "refuser", "submit", "envoyer", "cancel", "annuler"];

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

fn reflow_paragraph(p: &str) -> String {
    let lines: Vec<&str> = p.split('\n').collect();
    let (body, tail) = match lines.split_last() {
        Some((last, rest))
            if rest.last().is_some_and(|l| l.trim_end().ends_with(':')) && !last.trim().contains(' ') =>
        {
            (rest, Some(*last))
        }
        _ => (&lines[..], None),
    };
    // Hand-wrapped template prose (and a note's own short lines) stays as
    // written; only a paragraph that a long value pushed over the width is reflowed.
    let mut out = if is_prose(body) && body.iter().any(|l| l.chars().count() > WIDTH) {
        let words: Vec<&str> = body.iter().flat_map(|l| l.split_whitespace()).collect();
        wrap_words(&words, "")
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
        && lines.iter().rev().skip(1).all(|l| !l.trim_end().ends_with(':'))
}

/// One line, wrapped with its own indent when it is over the width.
fn wrap_line(line: &str) -> String {
    if line.chars().count() <= WIDTH {
        return line.to_string();
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let words: Vec<&str> = line.split_whitespace().collect();
    wrap_words(&words, &indent)
}

fn wrap_words(words: &[&str], indent: &str) -> String {
    let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
    let mut len = indent.chars().count();
    for word in words {
        let w = word.chars().count();
        let current = lines.last_mut().expect("never empty");
        if !current.is_empty() && len + 1 + w > WIDTH {
            // Never open a line with a command word: take the word before along.
            let carried = if is_command(word) && current.len() > 1 { current.pop() } else { None };
            let mut next = Vec::new();
            next.extend(carried);
            next.push(*word);
            len = indent.chars().count() + next.iter().map(|x| x.chars().count()).sum::<usize>() + next.len() - 1;
            lines.push(next);
        } else {
            len += if current.is_empty() { w } else { 1 + w };
            current.push(word);
        }
    }
    lines.iter().map(|l| format!("{indent}{}", l.join(" "))).collect::<Vec<_>>().join("\n")
}

fn is_command(word: &str) -> bool {
    let w: String = word.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    COMMANDS.contains(&w.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
