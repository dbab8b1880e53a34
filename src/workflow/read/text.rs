//! Text folding shared by the form and reply readers: case, accents, odd spaces and apostrophes,
//! full-width forms; and format=flowed (RFC 3676) undone.

/// Lower-case, accents removed, typographic spaces and apostrophes made plain,
/// full-width letters, digits and punctuation (as Japanese and Chinese input
/// methods type them) made ASCII, so `E-MAIL DU CLIENT`, `e-mail du client`,
/// `E‑mail du client` and `ＡＣＣＥＰＴ` compare as their plain forms.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // U+FF01..U+FF5E are ASCII's `!`..`~` at full width.
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        };
        match c {
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' | '\u{200a}' | '\u{3000}' => out.push(' '),
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' | '`' | '\u{b4}' => out.push('\''),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => {}
            _ => {
                for l in c.to_lowercase() {
                    match strip_accent(l) {
                        Some(s) => out.push_str(s),
                        None => out.push(l),
                    }
                }
            }
        }
    }
    out
}

fn strip_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// Only letters and digits of the folded text: what label matching compares.
pub fn squash(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Decodes RFC 3676 format=flowed text: a line ending in a space goes on
/// into the next one of the same quote depth (a change of depth ends the
/// paragraph, §4.5), the space stuffed after the quote marks or at the
/// start of a line is removed (§4.4), the `-- ` signature separator never
/// flows, and with DelSp=yes the space before a soft break is deleted
/// (§4.2). Quoted paragraphs come out as one `> ` line per paragraph, one
/// `>` per level, as the quote splitter reads them.
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // The paragraph being joined: its quote depth and text so far.
    let mut open: Option<(usize, String)> = None;
    let emit = |out: &mut String, depth: usize, text: &str| {
        if depth > 0 {
            out.push_str(&">".repeat(depth));
            if !text.is_empty() {
                out.push(' ');
            }
        }
        out.push_str(text);
        out.push('\n');
    };
    let ends_with_newline = text.ends_with('\n');
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let depth = line.bytes().take_while(|b| *b == b'>').count();
        let body = &line[depth..];
        let body = body.strip_prefix(' ').unwrap_or(body);
        let signature = body == "-- ";
        let flowed = body.ends_with(' ') && !signature;
        match open.take() {
            // The signature separator stands on its own line whatever flowed into it.
            Some((d, joined)) if signature => {
                emit(&mut out, d, &joined);
                open = Some((depth, body.to_string()));
            }
            Some((d, mut joined)) if d == depth => {
                joined.push_str(body);
                open = Some((d, joined));
            }
            Some((d, joined)) => {
                // A change of quote depth ends the paragraph however its line ended.
                emit(&mut out, d, &joined);
                open = Some((depth, body.to_string()));
            }
            None => open = Some((depth, body.to_string())),
        }
        if let Some((d, joined)) = open.take() {
            if flowed {
                let joined = if delsp { joined[..joined.len() - 1].to_string() } else { joined };
                open = Some((d, joined));
            } else {
                emit(&mut out, d, &joined);
            }
        }
    }
    if let Some((d, joined)) = open {
        emit(&mut out, d, &joined);
    }
    // `split` gave one empty piece after the last line break: it was no line.
    if (ends_with_newline && out.ends_with("\n\n")) || (!ends_with_newline && out.ends_with('\n')) {
        out.pop();
    }
    out
}

/// Words of a folded text, split on anything that is not a letter or digit.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_typography() {
        assert_eq!(
            fold("Remarque À l’intention des utilisateurs AJOUTÉS"),
            "remarque a l'intention des utilisateurs ajoutes"
        );
        assert_eq!(squash("E-mail du client\u{a0}"), "emailduclient");
        assert_eq!(fold("Œuvre"), "oeuvre");
        assert_eq!(fold("ＡＣＣＥＰＴ？"), "accept?");
        assert_eq!(squash("顧客のメールアドレス："), "顧客のメールアドレス");
        assert_eq!(squash("Kontodomäne"), "kontodomane");
    }

    #[test]
    fn flowed_lines_are_joined() {
        assert_eq!(unflow("Note to customer: a long \nline\nnext\n", false), "Note to customer: a long line\nnext\n");
        assert_eq!(unflow("-- \nsig\n", false), "-- \nsig\n");
    }

    #[test]
    fn flowed_quotes_join_within_one_depth_and_a_change_of_depth_ends_the_paragraph() {
        // RFC 3676 §4.5: the flowed line at depth 2 does not run into depth 1, nor that into the answer.
        let text = ">> Reply ACCEPT to activate, or \n>> DECLINE to refuse.\n> I am not sure \nACCEPT\n";
        assert_eq!(
            unflow(text, false),
            ">> Reply ACCEPT to activate, or DECLINE to refuse.\n> I am not sure \nACCEPT\n"
        );
        assert_eq!(unflow("> a flowed line \n\nAccept\n", false), "> a flowed line \n\nAccept\n");
    }

    #[test]
    fn space_stuffing_is_undone_and_delsp_deletes_the_soft_break_space() {
        assert_eq!(unflow(" >not a quote\n From here\n", false), ">not a quote\nFrom here\n");
        assert_eq!(unflow("> > quoted\n", false), "> > quoted\n", "`> >` is depth 1 holding `> quoted`");
        assert_eq!(unflow(">>  two spaces\n", false), ">>  two spaces\n");
        assert_eq!(unflow("承認しま \nす。\n", true), "承認します。\n");
        assert_eq!(unflow("Accep \nt\n", false), "Accep t\n");
        assert_eq!(unflow("Accept \n-- \nJane\n", false), "Accept \n-- \nJane\n");
    }
}
