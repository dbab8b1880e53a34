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

/// Undoes RFC 3676 format=flowed soft breaks (a line ending in a space goes on).
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare.ends_with(' ') && bare != "-- " && line.ends_with('\n') {
            out.push_str(if delsp { &bare[..bare.len() - 1] } else { bare });
        } else {
            out.push_str(bare);
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
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
}
