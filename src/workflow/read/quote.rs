//! The quote splitter: which lines of a reply its sender wrote, and which quote an earlier message.
//!
//! Real clients mark the quoted original in many ways, and the sender's own
//! text may stand above it (top posting), below it (bottom posting) or between
//! its pieces (inline answers). The splitter reads the body line by line:
//!
//! - `>` lines are quoted; text after a `>` run is the sender's again, so a
//!   bottom-posted or inline answer is found;
//! - an attribution (`On … wrote:`, `Le … a écrit :`, `Am … schrieb …:`,
//!   `El … escribió:`, `Il giorno … ha scritto:`, `Em … escreveu:`, `… の
//!   メッセージ:`, `… さんは書きました:`, `… 写道：`, `---- On … wrote ----`,
//!   wrapped over up to three lines) introduces a quote: the `>` run under it
//!   when there is one, else the rest of the body (Yahoo and some mobile
//!   clients quote without `>`);
//! - a separator line (`-----Original Message-----`, `-------- Message
//!   d'origine --------`, `-----Ursprüngliche Nachricht-----`, `-----Mensaje
//!   original-----`, `-----Messaggio originale-----`, `-----Mensagem
//!   original-----`, `------------------ 原始邮件 ------------------`,
//!   underscores, dashes before a header block) or a header block in any of
//!   the languages (`From:`/`Sent:`, `*From:*`, `De :`/`Envoyé :`, `Von:`/
//!   `Gesendet:`, `De:`/`Enviado:`, `Da:`/`Inviato:`, `差出人:`/`送信日時:`,
//!   `发件人:`/`发送时间:`) starts an unquoted original that runs to the end;
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
        && ([
            "sent from my ",
            "sent from ",
            "envoye de mon ",
            "envoye depuis ",
            "von meinem ",
            "gesendet von ",
            "enviado desde ",
            "enviado do meu ",
            "enviado de meu ",
            "inviato da ",
            "inviato dal mio ",
            "get outlook for ",
            "obtenir outlook pour ",
            "telecharger outlook pour ",
            "outlook for android ",
            "outlook for ios ",
            "obtener outlook para ",
            "scarica outlook per ",
            "baixe o outlook para ",
            "发自我的",
            "从我的",
        ]
        .iter()
        .any(|p| f.starts_with(p))
            // "iPhoneから送信", "Android から送信" (Japanese), "发自我的iPhone" (Chinese).
            || f.ends_with("から送信")
            || f.ends_with("から送信しました"))
}

/// How an attribution opens (folded), in the languages the desk reads: `On`,
/// `Le`, `Am`, `El`, `Il giorno`/`Il`, `Em`, and the mobile clients' "Sent from".
const ATTRIBUTION_OPENINGS: &[&str] = &[
    "on ",
    "le ",
    "am ",
    "el ",
    "il ",
    "em ",
    "in data ",
    "sent from ",
    "envoye de ",
    "envoye depuis ",
    "enviado desde ",
    "enviado do ",
    "inviato da ",
];

/// How many lines (1 to 3) an attribution starting at line `i` spans, if one does.
///
/// `On <date>, <name> wrote:`, `Le <date>, <name> a écrit :`, `Am <date>
/// schrieb <name>:`, `El <date>, <name> escribió:`, `Il giorno <date> <name>
/// ha scritto:`, `Em <date>, <name> escreveu:`, Zoho's `---- On <date> <addr>
/// wrote ----`, Yandex's and Japanese Gmail's `<date> "Name" <addr>:`,
/// Samsung's `Sent from … <addr> wrote:`, and those that open with a name or
/// a date: `<name> 于<date>写道：` (Chinese Gmail), `在 <date>，<name> 写道：`
/// (NetEase), `<date> に <name> さんは書きました:` (Japanese Thunderbird),
/// `<date>、<name> のメッセージ:` (Japanese Apple Mail); each possibly
/// wrapped (`… Name <addr<` / `mailto:addr>> wrote:`).
fn attribution(lines: &[&str], i: usize) -> Option<usize> {
    if lines[i].len() > MAX_ATTRIBUTION {
        return None;
    }
    let first = fold(lines[i].trim());
    let first = first.trim_start_matches(['-', '*', ' ', '\t']);
    let opens =
        ATTRIBUTION_OPENINGS.iter().any(|p| first.starts_with(p)) || first.starts_with(|c: char| c.is_ascii_digit());
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
        let s = joined.trim_start_matches(['-', '*', ' ', '\t']);
        if (opens && attribution_ends(s)) || ends_as_unspaced_attribution(s) {
            return Some(n);
        }
    }
    None
}

/// Attributions that open with a name or a date, told by how they end:
/// Japanese and Chinese (`写道:`, `さんは書きました:`, `のメッセージ:`,
/// `のメール:`), and Gmail for Android's name-first ones (`Desk <addr>
/// schrieb am <date>:`, `… escribió el <date>:`, `… escreveu em <date>:`,
/// `… ha scritto il <date>:`), which carry the writer's address.
fn ends_as_unspaced_attribution(joined: &str) -> bool {
    let s = joined.trim_end_matches(['-', '*', ' ', '\t']);
    ["写道:", "寫道:", "書きました:", "のメッセージ:", "のメール:"].iter().any(|w| s.ends_with(w))
        || (s.ends_with(':')
            && s.contains('@')
            && [" schrieb am ", " escribio el ", " escreveu em ", " ha scritto il ", " a ecrit le ", " wrote on "]
                .iter()
                .any(|w| s.contains(w)))
}

fn attribution_ends(joined: &str) -> bool {
    let s = joined.trim_end_matches(['-', '*', ' ', '\t']);
    let wrote = [
        "wrote:",
        "wrote :",
        "wrote",
        "a ecrit :",
        "a ecrit:",
        "a ecrit",
        "schrieb:",
        "schrieb :",
        "escribio:",
        "escribio :",
        "escribio",
        "ha scritto:",
        "ha scritto :",
        "ha scritto",
        "escreveu:",
        "escreveu :",
        "escreveu",
    ]
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
    [
        "begin forwarded message",
        "debut du message reexpedie",
        "anfang der weitergeleiteten nachricht",
        "beginn der weitergeleiteten nachricht",
        "inicio del mensaje reenviado",
        "comienzo del mensaje reenviado",
        "inizio messaggio inoltrato",
        "inicio da mensagem reencaminhada",
        "inicio da mensagem encaminhada",
        "転送されたメッセージ",
        "开始转发的邮件",
    ]
    .iter()
    .any(|p| s.starts_with(p))
        || [
            "original message",
            "message d'origine",
            "forwarded message",
            "message transfere",
            "ursprungliche nachricht",
            "original-nachricht",
            "weitergeleitete nachricht",
            "mensaje original",
            "mensaje reenviado",
            "messaggio originale",
            "messaggio inoltrato",
            "mensagem original",
            "mensagem encaminhada",
            "元のメッセージ",
            "転送メッセージ",
            "原始邮件",
            "原邮件",
            "回复的原邮件",
            "转发邮件",
        ]
        .iter()
        .any(|p| s.trim_matches(['-', ' ']) == *p)
}

/// Header names of a quoted message's header block, folded; `true` for those that name its sender.
/// English, French, German (Outlook, GMX/Web.de), Spanish, Italian (Outlook, Libero),
/// Portuguese (Outlook, UOL/Terra), Japanese and Chinese (Outlook, QQ Mail, NetEase).
const HEADER_KEYS: &[(&str, bool)] = &[
    ("from", true),
    ("de", true),
    ("von", true),
    ("da", true),
    ("expediteur", true),
    ("remitente", true),
    ("mittente", true),
    ("remetente", true),
    ("差出人", true),
    ("送信者", true),
    ("发件人", true),
    ("寄件者", true),
    ("sent", false),
    ("date", false),
    ("envoye", false),
    ("envoye le", false),
    ("gesendet", false),
    ("datum", false),
    ("enviado", false),
    ("enviada", false),
    ("enviado el", false),
    ("enviado em", false),
    ("enviada em", false),
    ("fecha", false),
    ("inviato", false),
    ("data", false),
    ("送信日時", false),
    ("日付", false),
    ("发送时间", false),
    ("日期", false),
    ("时间", false),
    ("to", false),
    ("a", false),
    ("an", false),
    ("para", false),
    ("destinataire", false),
    ("宛先", false),
    ("收件人", false),
    ("cc", false),
    ("cci", false),
    ("bcc", false),
    ("cco", false),
    ("ccn", false),
    ("kopie", false),
    ("抄送", false),
    ("subject", false),
    ("objet", false),
    ("betreff", false),
    ("asunto", false),
    ("oggetto", false),
    ("assunto", false),
    ("件名", false),
    ("主题", false),
    ("主旨", false),
    ("reply-to", false),
    ("repondre a", false),
    ("responder a", false),
    ("rispondi a", false),
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
    [
        "sent",
        "date",
        "envoye",
        "gesendet",
        "subject",
        "objet",
        "betreff",
        "enviado",
        "enviada",
        "fecha",
        "asunto",
        "inviato",
        "data",
        "oggetto",
        "assunto",
        "送信日時",
        "件名",
        "发送时间",
        "日期",
        "主题",
    ]
    .iter()
    .any(|key| {
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

    /// Each language's attributions, on one line and wrapped as their clients write them.
    #[test]
    fn every_languages_attributions_are_found_on_one_line_and_wrapped() {
        for attribution in [
            "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Smart Account Desk <desk@example.test>:",
            "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Smart Account Desk <\ndesk@example.test>:",
            "Am 07.12.26 um 10:00 schrieb Desk:",
            "El lun, 7 dic 2026 a las 10:00, Smart Account Desk (<desk@example.test>) escribió:",
            "El lun, 7 dic 2026 a las 10:00, Smart Account Desk (<\ndesk@example.test>) escribió:",
            "El 7 dic 2026, a las 10:00, Desk <desk@example.test> escribió:",
            "Il giorno lun 7 dic 2026 alle ore 10:00 Smart Account Desk <desk@example.test> ha scritto:",
            "Il giorno lun 7 dic 2026 alle ore 10:00 Smart Account Desk <\ndesk@example.test> ha scritto:",
            "Il 07/12/26 10:00, Desk ha scritto:",
            "Em seg., 7 de dez. de 2026 às 10:00, Smart Account Desk <desk@example.test> escreveu:",
            "Em seg., 7 de dez. de 2026 às 10:00, Smart Account Desk <\ndesk@example.test> escreveu:",
            "Em 07/12/2026 10:00, Desk escreveu:",
            "2026年12月7日(月) 10:00 Smart Account Desk <desk@example.test>:",
            "2026/12/07 10:00、Smart Account Desk <desk@example.test>のメッセージ:",
            "2026/12/07 10:00 に Smart Account Desk さんは書きました:",
            "2026/12/07 10:00 に Smart Account Desk\nさんは書きました:",
            "Smart Account Desk <desk@example.test> 于2026年12月7日周一 10:00写道：",
            "Smart Account Desk <desk@example.test>\n于2026年12月7日周一 10:00写道：",
            "在 2026-12-07 10:00:00，\"Smart Account Desk\" <desk@example.test> 写道：",
            "Smart Account Desk <desk@example.test> schrieb am Mo., 7. Dez. 2026, 10:00:",
            "Smart Account Desk <desk@example.test> escribió el lun., 7 dic. 2026 10:00:",
            "Smart Account Desk <desk@example.test> escreveu em seg., 7 de dez. de 2026 10:00:",
        ] {
            let body = format!("Accept\n\n{attribution}\n> DECLINE\n");
            assert_eq!(own(&body), "Accept", "{attribution}");
            let unmarked = format!("Accept\n\n{attribution}\n\nDECLINE\n");
            assert_eq!(own(&unmarked), "Accept", "unmarked original under {attribution}");
        }
    }

    #[test]
    fn every_languages_separators_start_the_original() {
        for sep in [
            "-----Ursprüngliche Nachricht-----",
            "-------- Original-Nachricht --------",
            "-----Mensaje original-----",
            "-----Messaggio originale-----",
            "----Messaggio originale----",
            "-----Mensagem original-----",
            "-----元のメッセージ-----",
            "------------------\u{a0}原始邮件\u{a0}------------------",
            "---- 回复的原邮件 ----",
            "Inicio del mensaje reenviado:",
            "Inizio messaggio inoltrato:",
        ] {
            let body = format!("Akzeptieren\n\n{sep}\nHallo\nABLEHNEN\n");
            assert_eq!(own(&body), "Akzeptieren", "{sep}");
        }
    }

    #[test]
    fn every_languages_header_blocks_plain_and_bold_start_the_original() {
        for block in [
            "Von: Smart Account Desk <desk@example.test>\nGesendet: Montag, 7. Dezember 2026 10:00\nAn: Jane\nBetreff: Aktivieren",
            "*Von:* Smart Account Desk\n*Gesendet:* Montag, 7. Dezember 2026 10:00\n*An:* Jane",
            "De: Smart Account Desk <desk@example.test>\nEnviado: lunes, 7 de diciembre de 2026 10:00\nPara: Jane\nAsunto: Active",
            "*De:* Smart Account Desk *Enviado:* lunes *Para:* Jane *Asunto:* Active",
            "Da: Smart Account Desk <desk@example.test>\nInviato: lunedì 7 dicembre 2026 10:00\nA: Jane\nOggetto: Attivi",
            "Da: desk@example.test\nData: 7-dic-2026 10.00\nA: jane@customer.test\nOggetto: Attivi",
            "De: Smart Account Desk <desk@example.test>\nEnviada em: segunda-feira, 7 de dezembro de 2026 10:00\nPara: Jane\nAssunto: Ative",
            "差出人: Smart Account Desk <desk@example.test>\n送信日時: 2026年12月7日 10:00\n宛先: Jane\n件名: 有効化",
            "发件人: \"Smart Account Desk\"<desk@example.test>;\n发送时间: 2026年12月7日(星期一) 上午10:00\n收件人: Jane\n主题: 激活",
            "*发件人:* Smart Account Desk\n*发送时间:* 2026年12月7日 10:00\n*收件人:* Jane",
            "发件人：Smart Account Desk <desk@example.test>\n日期：2026年12月7日 10:00",
        ] {
            let body = format!("承認します。\n\n{block}\n\n拒否\n");
            assert_eq!(own(&body), "承認します。", "{block}");
        }
    }

    #[test]
    fn every_languages_mobile_footers_are_not_the_answer() {
        for footer in [
            "Von meinem iPhone gesendet",
            "Enviado desde mi iPhone",
            "Inviato da iPhone",
            "Enviado do meu iPhone",
            "iPhoneから送信",
            "发自我的iPhone",
            "Obtener Outlook para Android",
        ] {
            assert_eq!(own(&format!("Accept\n\n{footer}\n")), "Accept", "{footer}");
        }
    }
}
