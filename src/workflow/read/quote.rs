//! The quote splitter: which lines of a reply its sender wrote, and which quote an earlier message.
//!
//! Real clients mark the quoted original in many ways, and the sender's own
//! text may stand above it (top posting), below it (bottom posting) or between
//! its pieces (inline answers). The splitter reads the body line by line:
//!
//! - `>` lines are quoted; text after a `>` run is the sender's again, so a
//!   bottom-posted or inline answer is found;
//! - an attribution (`On … wrote:`, `Le … a écrit :`, `Am … schrieb …:`,
//!   `---- On … wrote ----`, wrapped over up to three lines) introduces a
//!   quote: the `>` run under it when there is one, else the rest of the body
//!   (Yahoo and some mobile clients quote without `>`);
//! - a separator line (`-----Original Message-----`, `-------- Message
//!   d'origine --------`, underscores, dashes before a header block) or a
//!   header block (`From:`/`Sent:`, `*From:*`, `De :`/`Envoyé :`, `Von:`/
//!   `Gesendet:`) starts an unquoted original that runs to the end;
//! - a `-- ` signature is not the sender's answer; neither are "Sent from my
//!   iPhone" lines.
//!
//! When in doubt a line is counted as quote: a missed answer only gets the
//! choices sent again, a quote read as an answer could take a decision the
//! customer never took.
use super::text::fold;

/// Lines an attribution may be wrapped over (Gmail wraps long ones, mobile clients wrap `<addr<mailto:…>>`).
const ATTRIBUTION_LINES: usize = 3;
/// The longest attribution, folded, in bytes: past this it is a paragraph, not an attribution.
const MAX_ATTRIBUTION: usize = 400;
/// The longest line read as a header (`*From:* … *Sent:* … *Subject:* …` on one line included).
const MAX_HEADER_LINE: usize = 2000;
/// Lines a header block may span (values wrap).
const HEADER_BLOCK_LINES: usize = 12;
/// A quoted line at least this long, cut mid-sentence, was likely wrapped by
/// the quoting client, and an unquoted line right under it is its tail, not an answer.
const WRAP_WIDTH: usize = 60;
/// Lines read; a longer body's tail counts as quote. A reply is a few dozen lines.
const MAX_LINES: usize = 20_000;

/// A reply body cut into the sender's own lines and the quoted ones (both
/// trimmed). Blank lines of the own text are kept, one for a run, as they part
/// a form's values; quoted blank lines are not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split<'a> {
    pub own: Vec<&'a str>,
    pub quoted: Vec<&'a str>,
}

impl Split<'_> {
    /// The sender's own text, one line per line.
    pub fn own_text(&self) -> String {
        self.own.join("\n")
    }
}

/// Splits a reply body (text, or HTML already turned into `>`-marked text) into own and quoted lines.
pub fn split(body: &str) -> Split<'_> {
    let lines: Vec<&str> = body.lines().take(MAX_LINES).collect();
    let mut out = Split::default();
    // After a `-- ` line, unquoted lines are signature until an attributed
    // quote begins: an answer written below that quote still counts.
    let mut in_signature = false;
    // The previous line was a long `>` line: an unquoted line right under it is its wrapped tail.
    let mut after_long_quote = false;
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line = raw.trim();
        if line.starts_with('>') {
            out.quoted.push(line);
            // A long quoted line cut mid-sentence was wrapped by the quoting client.
            let text = line.trim_start_matches(['>', ' ']);
            after_long_quote = text.chars().count() >= WRAP_WIDTH && !text.ends_with(['.', '!', '?', ':', ';']);
            i += 1;
            continue;
        }
        if line.is_empty() {
            // Blank lines stay in the own text: they end a form's values.
            if !in_signature && out.own.last().is_some_and(|l| !l.is_empty()) {
                out.own.push(line);
            }
            after_long_quote = false;
            i += 1;
            continue;
        }
        if std::mem::take(&mut after_long_quote) {
            out.quoted.push(line);
            i += 1;
            continue;
        }
        if is_signature_delimiter(raw) {
            in_signature = true;
            i += 1;
            continue;
        }
        if let Some(n) = attribution(&lines, i) {
            out.quoted.extend(lines[i..i + n].iter().map(|l| l.trim()));
            i += n;
            if next_text(&lines, i).is_some_and(|l| l.starts_with('>')) {
                // The `>` run is the quote; what follows it is the sender's answer.
                in_signature = false;
                continue;
            }
            // An attribution over an unmarked original: the rest is quote.
            out.quoted.extend(lines[i..].iter().map(|l| l.trim()));
            break;
        }
        if is_separator(&lines, i) || is_header_block(&lines, i) {
            out.quoted.extend(lines[i..].iter().map(|l| l.trim()));
            break;
        }
        if !in_signature && !is_device_line(line) {
            out.own.push(line);
        }
        i += 1;
    }
    if lines.len() == MAX_LINES {
        out.quoted.extend(body.lines().skip(MAX_LINES).map(str::trim));
    }
    while out.own.last().is_some_and(|l| l.is_empty()) {
        out.own.pop();
    }
    out
}

/// The sender's own text of a reply body.
pub fn own_text(body: &str) -> String {
    split(body).own_text()
}

/// `-- ` (RFC 3676), or `--` as clients that trim trailing spaces write it.
fn is_signature_delimiter(raw: &str) -> bool {
    raw.trim_end() == "--"
}

/// The next non-blank line at or after `i`, trimmed.
fn next_text<'a>(lines: &[&'a str], i: usize) -> Option<&'a str> {
    lines.get(i..)?.iter().map(|l| l.trim()).find(|l| !l.is_empty())
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// "Sent from my iPhone", "Envoyé de mon iPhone", "Get Outlook for Android":
/// client footers, never an answer.
fn is_device_line(line: &str) -> bool {
    if line.len() > 200 {
        return false;
    }
    let f = fold(line);
    f.len() < 100
        && [
            "sent from my ",
            "sent from ",
            "envoye de mon ",
            "envoye depuis ",
            "von meinem ",
            "gesendet von ",
            "get outlook for ",
            "obtenir outlook pour ",
            "telecharger outlook pour ",
        ]
        .iter()
        .any(|p| f.starts_with(p))
}

/// How many lines (1 to 3) an attribution starting at line `i` spans, if one does.
///
/// `On <date>, <name> wrote:`, `Le <date>, <name> a écrit :`, `Am <date>
/// schrieb <name>:`, Zoho's `---- On <date> <addr> wrote ----`, Yandex's
/// `23.11.2026, 10:00, "Name" <addr>:`, and Samsung's `Sent from … <addr> wrote:`,
/// each possibly wrapped (`… Name <addr<` / `mailto:addr>> wrote:`).
fn attribution(lines: &[&str], i: usize) -> Option<usize> {
    if lines[i].len() > MAX_ATTRIBUTION {
        return None;
    }
    let first = fold(lines[i].trim());
    let first = first.trim_start_matches(['-', '*', ' ', '\t']);
    let opens =
        ["on ", "le ", "am ", "sent from ", "envoye de ", "envoye depuis "].iter().any(|p| first.starts_with(p))
            || first.starts_with(|c: char| c.is_ascii_digit());
    if !opens {
        return None;
    }
    let mut joined = String::new();
    for n in 1..=ATTRIBUTION_LINES {
        let Some(line) = lines.get(i + n - 1).map(|l| l.trim()) else { break };
        if line.is_empty() || (n > 1 && line.starts_with('>')) || joined.len() + line.len() > MAX_ATTRIBUTION {
            break;
        }
        if n > 1 {
            joined.push(' ');
        }
        joined.push_str(&fold(line));
        if joined.len() > MAX_ATTRIBUTION {
            break;
        }
        if attribution_ends(joined.trim_start_matches(['-', '*', ' ', '\t'])) {
            return Some(n);
        }
    }
    None
}

fn attribution_ends(joined: &str) -> bool {
    let s = joined.trim_end_matches(['-', '*', ' ', '\t']);
    let wrote = ["wrote:", "wrote :", "wrote", "a ecrit :", "a ecrit:", "a ecrit", "schrieb:", "schrieb :"]
        .iter()
        .any(|w| s.ends_with(w));
    // German clients name the writer after the verb: "Am 23.11.2026 um 10:00 schrieb Desk <d@x>:".
    let german = s.starts_with("am ") && s.contains(" schrieb ") && s.ends_with(':');
    // Date first, address last: "23.11.2026, 10:00, "Desk" <desk@example.test>:".
    let dated = s.starts_with(|c: char| c.is_ascii_digit()) && s.contains('@') && s.ends_with(':');
    wrote || german || dated
}

/// A line that starts an unquoted original: `-----Original Message-----`,
/// `-------- Message d'origine --------`, `---------- Forwarded message
/// ---------`, "Begin forwarded message:", a line of underscores (Outlook), or
/// a line of dashes (a rule rendered as text) followed by a header block,
/// attribution or quote.
fn is_separator(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    if line.len() > MAX_HEADER_LINE {
        // No separator is this long but a rule of underscores.
        return line.bytes().all(|b| b == b'_');
    }
    let f = fold(line);
    let s = f.trim_matches(['*', ' ', '\t']);
    if s.len() >= 2 && s.chars().all(|c| c == '_') {
        return true;
    }
    if s.len() >= 3 && s.chars().all(|c| c == '-') {
        // A bare rule counts only over something quote-like: the blank form the
        // desk sends has a rule between its two languages.
        let next = (i + 1..lines.len().min(i + 4)).find(|&j| !lines[j].trim().is_empty());
        return next.is_some_and(|j| {
            lines[j].trim().starts_with('>') || attribution(lines, j).is_some() || is_header_block(lines, j)
        });
    }
    // Words between runs of dashes: "-----Original Message-----", "-------- Message d'origine --------".
    if s.starts_with("--") && s.trim_end().ends_with("--") && s.chars().any(char::is_alphabetic) {
        return true;
    }
    ["begin forwarded message", "debut du message reexpedie", "anfang der weitergeleiteten nachricht"]
        .iter()
        .any(|p| s.starts_with(p))
        || [
            "original message",
            "message d'origine",
            "forwarded message",
            "message transfere",
            "ursprungliche nachricht",
            "weitergeleitete nachricht",
        ]
        .iter()
        .any(|p| s.trim_matches(['-', ' ']) == *p)
}

/// Header names of a quoted message's header block, folded; `true` for those that name its sender.
const HEADER_KEYS: &[(&str, bool)] = &[
    ("from", true),
    ("de", true),
    ("von", true),
    ("expediteur", true),
    ("sent", false),
    ("date", false),
    ("envoye", false),
    ("envoye le", false),
    ("gesendet", false),
    ("datum", false),
    ("to", false),
    ("a", false),
    ("an", false),
    ("destinataire", false),
    ("cc", false),
    ("cci", false),
    ("bcc", false),
    ("subject", false),
    ("objet", false),
    ("betreff", false),
    ("reply-to", false),
    ("repondre a", false),
];

/// The header a folded line opens with (`from:`, `*de :*`, `envoye :`), and whether it names the sender.
fn header_key(folded: &str) -> Option<(&'static str, bool)> {
    let s = folded.trim_start_matches(['*', ' ', '\t']);
    HEADER_KEYS.iter().copied().find(|(key, _)| {
        s.strip_prefix(key).is_some_and(|rest| rest.trim_start_matches(['*', ' ', '\t']).starts_with(':'))
    })
}

/// A header block of a quoted message starts at line `i`: a sender line with
/// an address (`From: Desk <desk@example.test>`, `*De :* …`), or two header
/// lines or more, one of them naming the sender (`Gesendet:` then `Von:`).
/// Outlook's bold block flattened onto one line (`*From:* … *Sent:* …`) counts too.
fn is_header_block(lines: &[&str], i: usize) -> bool {
    if lines[i].len() > MAX_HEADER_LINE {
        return false;
    }
    let first = fold(lines[i].trim());
    let Some((_, names_sender)) = header_key(&first) else { return false };
    let rest = &first[first.find(':').map_or(0, |c| c + 1)..];
    if names_sender && (rest.contains('@') || inline_header_keys(rest)) {
        return true;
    }
    let (mut headers, mut sender, mut others) = (1, names_sender, 0);
    for line in lines.iter().skip(i + 1).take(HEADER_BLOCK_LINES).map(|l| l.trim()) {
        if line.is_empty() || line.starts_with('>') {
            break;
        }
        match header_key(&fold(&line[..floor_char_boundary(line, MAX_HEADER_LINE)])) {
            Some((_, s)) => {
                headers += 1;
                sender |= s;
            }
            // A wrapped value (a long To: list) continues the block.
            None if others < 2 => others += 1,
            None => break,
        }
    }
    headers >= 2 && sender
}

/// Another header name later on the same line: `*From:* Desk *Sent:* Monday *To:* …`.
fn inline_header_keys(rest: &str) -> bool {
    ["sent", "date", "envoye", "gesendet", "subject", "objet", "betreff"].iter().any(|key| {
        rest.match_indices(key).any(|(at, _)| {
            let before_ok = rest[..at].ends_with([' ', '*']);
            let after = rest[at + key.len()..].trim_start_matches(['*', ' ']);
            before_ok && after.starts_with(':')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(body: &str) -> String {
        own_text(body)
    }

    #[test]
    fn a_top_posted_answer_stands_above_the_quote() {
        let body = "ACCEPT\n\nOn Mon, 23 Nov 2026 at 10:00, Desk <d@example.test> wrote:\n\n> DECLINE\n";
        assert_eq!(own(body), "ACCEPT");
    }

    #[test]
    fn a_bottom_posted_answer_stands_below_the_quote() {
        let body = "On 23/11/2026 10:00, Desk wrote:\n> Hello\n> DECLINE (or REFUSER).\n\nACCEPT\n\n-- \nJane\n";
        assert_eq!(own(body), "ACCEPT");
    }

    #[test]
    fn inline_answers_between_quoted_blocks_are_kept() {
        let body = "Le lun. 23 nov. 2026, Desk a écrit :\n> Bonjour\n\nRefuser\n\n> ACCEPTER (ou ACCEPT).\n\nMerci\n";
        assert_eq!(own(body), "Refuser\n\nMerci");
    }

    #[test]
    fn attributions_wrapped_over_several_lines_are_found() {
        let gmail = "Accepter\n\nLe mer. 2 déc. 2026 à 10:15, Desk <desk@example.test>\na écrit\u{a0}:\n\nREFUSER\n";
        assert_eq!(own(gmail), "Accepter");
        let mobile = "Accept\n\nSent from my iPhone\n\nOn 23 Nov 2026, at 10:00, Desk <desk@example.test<\nmailto:desk@example.test>> wrote:\n\nDECLINE\n";
        assert_eq!(own(mobile), "Accept");
        let three = "Accept\n\nOn Mon, Nov 23, 2026, 10:00 Smart Account Desk (Example\nLtd) <desk@example.test>\nwrote:\n> DECLINE\n";
        assert_eq!(own(three), "Accept");
    }

    #[test]
    fn separator_lines_start_the_original() {
        for sep in [
            "-----Original Message-----",
            "-------- Message d'origine --------",
            "---- On Mon, 23 Nov 2026 10:00:00 +0100 Desk <desk@example.test> wrote ----",
            "---- Le lun., 23 nov. 2026 10:00:00 +0100 Desk <desk@example.test> a écrit ----",
            "________________________________",
            "-----Ursprüngliche Nachricht-----",
        ] {
            let body = format!("Accept\n\n{sep}\nHello\nDECLINE (or REFUSER).\n");
            assert_eq!(own(&body), "Accept", "{sep}");
        }
        let dashes = "Accept\n\n------------------------------------------------------------------------\nFrom: Desk\nSent: Monday\n\nDECLINE\n";
        assert_eq!(own(dashes), "Accept");
    }

    #[test]
    fn a_bare_rule_over_ordinary_text_is_not_a_separator() {
        assert_eq!(
            own("Account name: A\n\n----------\n\nNom du compte : B\n"),
            "Account name: A\n\n----------\n\nNom du compte : B"
        );
    }

    #[test]
    fn header_blocks_plain_bold_and_localized_start_the_original() {
        for block in [
            "From: Desk <desk@example.test>\nSent: Monday\nTo: Jane\nSubject: Activate",
            "*From:* Smart Account Desk\n*Sent:* Monday\n*To:* Jane\n*Subject:* Activate",
            "*From:* Desk *Sent:* Monday *To:* Jane *Subject:* Activate",
            "De\u{a0}: Desk\nEnvoyé\u{a0}: lundi\nÀ\u{a0}: Jane\nObjet\u{a0}: Activez",
            "*De :* Desk\n*Envoyé :* lundi 23 novembre 2026\n*À :* Jane",
            "Gesendet: Montag, 23. November 2026\nVon: Desk\nAn: Jane\nBetreff: Aktivieren",
            "Von: Desk <desk@example.test>\nGesendet: Montag",
        ] {
            let body = format!("Accept\n\n{block}\n\nDECLINE\n");
            assert_eq!(own(&body), "Accept", "{block}");
        }
    }

    #[test]
    fn one_header_like_line_alone_is_the_senders_text() {
        assert_eq!(own("Subject: renewal\nAccept\n"), "Subject: renewal\nAccept");
    }

    #[test]
    fn an_attribution_over_an_unmarked_original_ends_the_answer() {
        let yahoo = "ACCEPT\n\n    On Monday, November 23, 2026 at 10:00:00 AM GMT+1, Desk <desk@example.test> wrote:  \n \n Hello,\nDECLINE (or REFUSER).\n";
        assert_eq!(own(yahoo), "ACCEPT");
        let yandex = "ACCEPT\n\n23.11.2026, 10:00, \"Desk\" <desk@example.test>:\n> DECLINE\n";
        assert_eq!(own(yandex), "ACCEPT");
        let german = "Accept\n\nAm 23.11.2026 um 10:00 schrieb Desk <desk@example.test>:\n> DECLINE\n";
        assert_eq!(own(german), "Accept");
    }

    #[test]
    fn a_signature_above_the_quote_hides_nothing_below_it() {
        let body = "-- \nJane\nDecline Corp\n\nOn 23/11/2026 10:00, Desk wrote:\n> DECLINE\n\nACCEPT\n";
        assert_eq!(own(body), "ACCEPT");
        assert_eq!(own("ACCEPT\n-- \nDecline any meeting without agenda\n"), "ACCEPT");
    }

    #[test]
    fn the_wrapped_tail_of_a_long_quoted_line_stays_quoted() {
        let body = "On Mon, Desk wrote:\n> If you do not recognise this request, please reply to this email with\nDECLINE, or simply do nothing.\n\nACCEPT\n";
        assert_eq!(own(body), "ACCEPT");
    }

    #[test]
    fn an_answer_right_under_a_finished_quoted_sentence_is_kept() {
        let body =
            "On Mon, Desk wrote:\n> Reply ACCEPT to activate, or DECLINE to refuse, before 21 February 2027.\nAccept\n";
        assert_eq!(own(body), "Accept");
    }

    #[test]
    fn blank_lines_of_the_own_text_are_kept_once() {
        assert_eq!(own("\n\nUser emails: a@b.test\n\n\nThanks\n\n"), "User emails: a@b.test\n\nThanks");
    }

    #[test]
    fn device_footers_are_not_the_answer() {
        assert_eq!(own("Accept\n\nSent from my iPhone\n"), "Accept");
        assert_eq!(own("Refuser\n\nEnvoyé de mon iPhone\n"), "Refuser");
    }

    #[test]
    fn huge_input_stays_bounded() {
        let body = "x\n".repeat(MAX_LINES + 10);
        let s = split(&body);
        assert_eq!(s.own.len(), MAX_LINES);
        assert_eq!(s.quoted.len(), 10);
        let long = format!("On {}", "a ".repeat(1 << 20));
        assert_eq!(own(&long).len(), long.trim().len());
    }
}
