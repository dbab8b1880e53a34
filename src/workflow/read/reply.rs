//! The reply reader: the reply's own text (quotes and signatures cut) and the command words in it.
use super::quote;
use super::text::{fold, words};
use crate::domain::Locale;

/// Words that may stand beside a command word on its line (folded), in
/// every language the desk reads: yes, please, thanks, greetings, "I", "the
/// account", "my answer is"… ("sí"/"sì" are told from "si", if, before folding).
const COURTESY: &[&str] = &[
    // English
    "yes",
    "yeah",
    "yep",
    "ok",
    "okay",
    "i",
    "we",
    "please",
    "pls",
    "thanks",
    "thank",
    "you",
    "thx",
    "sure",
    "sorry",
    "actually",
    "hello",
    "hi",
    "dear",
    "desk",
    "all",
    "good",
    "fine",
    "regards",
    "best",
    "here",
    "is",
    "my",
    "answer",
    "the",
    "this",
    "a",
    "it",
    "our",
    "account",
    "smart",
    "request",
    "now",
    "today",
    // French
    "oui",
    "je",
    "j",
    "nous",
    "merci",
    "svp",
    "s",
    "il",
    "vous",
    "plait",
    "bonjour",
    "d",
    "accord",
    "daccord",
    "bien",
    "sa",
    "bonne",
    "journee",
    "cordialement",
    "ma",
    "reponse",
    "le",
    "la",
    "l",
    "ce",
    "cette",
    "mon",
    "notre",
    "compte",
    "demande",
    "maintenant",
    "aujourd",
    "hui",
    // German
    "ja",
    "ich",
    "wir",
    "bitte",
    "danke",
    "vielen",
    "dank",
    "hallo",
    "guten",
    "tag",
    "sehr",
    "geehrte",
    "geehrter",
    "geehrtes",
    "liebe",
    "lieber",
    "gern",
    "gerne",
    "gut",
    "in",
    "ordnung",
    "hiermit",
    "das",
    "die",
    "den",
    "der",
    "konto",
    "anfrage",
    "antrag",
    "meine",
    "unsere",
    "antwort",
    "jetzt",
    "heute",
    "mfg",
    "gruss",
    "grusse",
    "gruessen",
    "freundlichen",
    "beste",
    "viele",
    "hier",
    "ist",
    "einverstanden",
    // Spanish
    "yo",
    "nosotros",
    "por",
    "favor",
    "gracias",
    "muchas",
    "hola",
    "buenos",
    "buenas",
    "dias",
    "tardes",
    "saludos",
    "cordiales",
    "de",
    "del",
    "acuerdo",
    "vale",
    "claro",
    "perfecto",
    "el",
    "lo",
    "los",
    "las",
    "esta",
    "este",
    "cuenta",
    "solicitud",
    "mi",
    "nuestra",
    "nuestro",
    "respuesta",
    "ahora",
    "hoy",
    "es",
    "aqui",
    "estimado",
    "estimados",
    "estimada",
    "atentamente",
    "un",
    "una",
    "confirmo",
    // Italian
    "io",
    "noi",
    "per",
    "cortesia",
    "grazie",
    "mille",
    "ciao",
    "buongiorno",
    "buonasera",
    "salve",
    "gentile",
    "gentili",
    "saluti",
    "va",
    "bene",
    "certo",
    "perfetto",
    "il",
    "questo",
    "questa",
    "richiesta",
    "mio",
    "mia",
    "nostro",
    "risposta",
    "ora",
    "adesso",
    "oggi",
    "ecco",
    "e",
    "confermo",
    // Portuguese
    "sim",
    "eu",
    "nos",
    "obrigado",
    "obrigada",
    "ola",
    "bom",
    "boa",
    "dia",
    "tarde",
    "abracos",
    "tudo",
    "o",
    "os",
    "as",
    "conta",
    "solicitacao",
    "pedido",
    "minha",
    "nossa",
    "meu",
    "nosso",
    "agora",
    "hoje",
    "segue",
    "prezado",
    "prezados",
    "prezada",
];

/// Words that turn a command around ("do not", "don't", "ne … pas", "nicht",
/// "no acepto", "non accetto", "não aceito", "never").
const NEGATION: &[&str] = &[
    "not", "no", "never", "don", "doesn", "won", "can", "cannot", "t", "pas", "ne", "n", "jamais", "non", "sans",
    "without", "nicht", "kein", "keine", "keinen", "nie", "niemals", "ohne", "nein", "nunca", "jamas", "sin", "ni",
    "tampoco", "mai", "senza", "nao", "sem", "nem",
];

/// A command family: the step's two answers each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Submit,
    Cancel,
    Accept,
    Decline,
}

/// Command words of the languages written with spaces, folded: SPEC's words
/// (SUBMIT/ENVOYER/SENDEN/ENVIAR/INVIA, …) with the infinitives, imperatives
/// and first persons people answer with ("j'accepte", "acepto", "accetto",
/// "aceito", "ich akzeptiere", "rechazamos"). Not the Italian infinitives:
/// "Per attivare l'account, risponda ACCETTA" opens with a courtesy (`per`,
/// as in "per favore") and would read as a command.
const COMMANDS: &[(&str, Family)] = {
    use Family::*;
    &[
        ("submit", Submit),
        ("envoyer", Submit),
        ("senden", Submit),
        ("absenden", Submit),
        ("abschicken", Submit),
        ("einreichen", Submit),
        ("enviar", Submit),
        ("invia", Submit),
        ("cancel", Cancel),
        ("annuler", Cancel),
        ("abbrechen", Cancel),
        ("stornieren", Cancel),
        ("cancelar", Cancel),
        ("annulla", Cancel),
        ("accept", Accept),
        ("activate", Accept),
        ("accepter", Accept),
        ("activer", Accept),
        ("accepte", Accept),
        ("akzeptieren", Accept),
        ("akzeptiere", Accept),
        ("akzeptiert", Accept),
        ("aktivieren", Accept),
        ("aceptar", Accept),
        ("acepto", Accept),
        ("aceptamos", Accept),
        ("activar", Accept),
        ("accetta", Accept),
        ("accetto", Accept),
        ("accettiamo", Accept),
        ("aceitar", Accept),
        ("aceito", Accept),
        ("aceitamos", Accept),
        ("ativar", Accept),
        ("decline", Decline),
        ("refuser", Decline),
        ("refuse", Decline),
        ("ablehnen", Decline),
        ("abgelehnt", Decline),
        ("rechazar", Decline),
        ("rechazo", Decline),
        ("rechazamos", Decline),
        ("rifiuta", Decline),
        ("rifiuto", Decline),
        ("rifiutiamo", Decline),
        ("recusar", Decline),
        ("recuso", Decline),
        ("recusamos", Decline),
    ]
};

/// The command words that only one language writes (folded), and that
/// language: what tells the language of a mail that names no request, so the
/// answer to it is in the sender's. English's words tell nothing (everyone
/// writes them: SPEC §2 reads them whatever the language), nor do Spanish and
/// Portuguese's shared `enviar` and `cancelar`.
const WORD_LANGUAGES: &[(&str, Locale)] = {
    use Locale::*;
    &[
        ("envoyer", Fr),
        ("annuler", Fr),
        ("accepter", Fr),
        ("activer", Fr),
        ("accepte", Fr),
        ("refuser", Fr),
        ("senden", De),
        ("absenden", De),
        ("abschicken", De),
        ("einreichen", De),
        ("abbrechen", De),
        ("stornieren", De),
        ("akzeptieren", De),
        ("akzeptiere", De),
        ("akzeptiert", De),
        ("aktivieren", De),
        ("ablehnen", De),
        ("abgelehnt", De),
        ("lehne", De),
        ("lehnen", De),
        ("aceptar", Es),
        ("acepto", Es),
        ("aceptamos", Es),
        ("activar", Es),
        ("rechazar", Es),
        ("rechazo", Es),
        ("rechazamos", Es),
        ("invia", It),
        ("annulla", It),
        ("accetta", It),
        ("accetto", It),
        ("accettiamo", It),
        ("rifiuta", It),
        ("rifiuto", It),
        ("rifiutiamo", It),
        ("aceitar", Pt),
        ("aceito", Pt),
        ("aceitamos", Pt),
        ("ativar", Pt),
        ("recusar", Pt),
        ("recuso", Pt),
        ("recusamos", Pt),
    ]
};

/// The language of the command words a text holds, when they are one
/// language's own ("AKZEPTIEREN", "Sì, accetto", "je refuse" tells nothing:
/// `refuse` is English too). Japanese and Chinese are told by their script.
pub fn words_language(text: &str) -> Option<Locale> {
    text.lines().find_map(|line| {
        let line = fold(line);
        words(&line).find_map(|w| WORD_LANGUAGES.iter().find(|(word, _)| *word == w).map(|(_, l)| *l))
    })
}

/// German verbs whose particle stands at the end: "Ich lehne ab", "Wir
/// lehnen das Konto ab", "Ich breche ab", "Ich stimme zu".
const SEPARABLE: &[(&str, &str, Family)] = &[
    ("lehne", "ab", Family::Decline),
    ("lehnen", "ab", Family::Decline),
    ("breche", "ab", Family::Cancel),
    ("brechen", "ab", Family::Cancel),
    ("stimme", "zu", Family::Accept),
    ("stimmen", "zu", Family::Accept),
];

/// Command words of Japanese and Chinese (SPEC's 送信/キャンセル/承認/拒否 and
/// 提交/取消/接受/拒绝, with 承諾, 同意, 辞退, 提出, 拒絕 as people also write them).
const CJK_COMMANDS: &[(&str, Family)] = {
    use Family::*;
    &[
        ("送信", Submit),
        ("提出", Submit),
        ("提交", Submit),
        ("キャンセル", Cancel),
        ("取り消し", Cancel),
        ("取消し", Cancel),
        ("取消", Cancel),
        ("承認", Accept),
        ("承諾", Accept),
        ("同意", Accept),
        ("接受", Accept),
        ("拒否", Decline),
        ("辞退", Decline),
        ("お断り", Decline),
        ("拒绝", Decline),
        ("拒絕", Decline),
    ]
};

/// What may stand before a Japanese or Chinese command word inside one run
/// of characters ("はい", "我", "我们", "请", "好的"), or make up a run of
/// courtesy on its own ("よろしくお願いします", "谢谢"). Longest first where one starts another.
const CJK_BEFORE: &[&str] = &[
    "いつもお世話になっております",
    "お世話になっております",
    "よろしくお願いいたします",
    "よろしくお願い致します",
    "宜しくお願いいたします",
    "宜しくお願い致します",
    "よろしくお願いします",
    "宜しくお願いします",
    "ありがとうございます",
    "ありがとうございました",
    "お疲れ様です",
    "承知しました",
    "了解しました",
    "こんにちは",
    "それでは",
    "以上です",
    "以上",
    "はい",
    "では",
    "本件",
    "この",
    "こちら",
    "内容",
    "アカウント",
    "リクエスト",
    "申請",
    "依頼",
    "私",
    "弊社",
    "当社",
    "を",
    "は",
    "您好",
    "你好",
    "好的",
    "是的",
    "谢谢",
    "多谢",
    "感谢",
    "此致",
    "敬礼",
    "我们",
    "我方",
    "本人",
    "决定",
    "确认",
    "麻烦",
    "现在",
    "这个",
    "该",
    "此",
    "申请",
    "请求",
    "帐户",
    "账户",
    "请",
    "我",
    "好",
    "是",
    "的",
];

/// What may follow a Japanese or Chinese command word inside its run:
/// politeness ("します", "いたします", "をお願いします", "してください"),
/// "了" (done), and what is accepted ("此申请", "这个帐户").
const CJK_AFTER: &[&str] = &[
    "をお願いいたします",
    "をお願い致します",
    "をお願いします",
    "でお願いします",
    "お願いいたします",
    "お願い致します",
    "お願いします",
    "いたしました",
    "いたします",
    "致します",
    "しました",
    "します",
    "してください",
    "して下さい",
    "ください",
    "下さい",
    "する",
    "です",
    "で",
    "を",
    "谢谢",
    "这个",
    "此",
    "该",
    "申请",
    "请求",
    "帐户",
    "账户",
    "了",
    "吧",
    "啦",
    "的",
];

/// Inside a Japanese or Chinese run, what negates it ("承認しません",
/// "承認しない", "不接受", "没有", "请勿提交", "别取消").
const CJK_NEGATION: &[&str] = &["ません", "ない", "なし", "不", "没", "别", "勿", "未"];

/// Whether a character belongs to a script written without spaces (kana, CJK ideographs).
pub(crate) fn unspaced(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// What one word (or one run of Japanese or Chinese) of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Courtesy,
    Negation,
    Command(Family),
    /// A word that is none of these.
    Other,
}

/// Reads a run of Japanese or Chinese: courtesies before, one command word, politeness after.
fn cjk_token(run: &str) -> Token {
    if CJK_NEGATION.iter().any(|n| run.contains(n)) {
        return Token::Negation;
    }
    let mut rest = run;
    while let Some(r) = CJK_BEFORE.iter().find_map(|p| rest.strip_prefix(p)) {
        rest = r;
    }
    if rest.is_empty() {
        return Token::Courtesy;
    }
    let Some((mut rest, family)) = CJK_COMMANDS.iter().find_map(|(w, f)| Some((rest.strip_prefix(w)?, *f))) else {
        return Token::Other;
    };
    while let Some(r) = CJK_AFTER.iter().find_map(|p| rest.strip_prefix(p)) {
        rest = r;
    }
    if rest.is_empty() { Token::Command(family) } else { Token::Other }
}

/// `sí` and `sì` (yes in Spanish and Italian) are not `si` (if): they, and a
/// `si` followed by a comma or a full stop ("Si, acepto"), become `yes`
/// before the line is folded and loses its accents.
fn yes_words(line: &str) -> String {
    let chars: Vec<char> = line.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_alphanumeric();
        if starts_word && chars[i] == 's' && i + 1 < chars.len() {
            let next = chars.get(i + 2).copied();
            let yes = match chars[i + 1] {
                'í' | 'ì' => next.is_none_or(|c| !c.is_alphanumeric()),
                'i' => matches!(next, Some(',' | '.' | '!' | '，' | '。')),
                _ => false,
            };
            if yes {
                out.push_str("yes");
                i += 2;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The words of a folded line, each read: runs of Japanese or Chinese whole,
/// the rest word by word, the German separable verbs with their particle.
fn tokens(line: &str) -> Vec<Token> {
    let words: Vec<&str> = words(line).collect();
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        // A run may mix scripts ("OK承認します", "我们SUBMIT"): each part is read as its script is.
        let mut rest = *word;
        while !rest.is_empty() {
            let cjk = rest.starts_with(unspaced);
            let end = rest.find(|c: char| unspaced(c) != cjk).unwrap_or(rest.len());
            let (part, tail) = rest.split_at(end);
            out.push(if cjk { cjk_token(part) } else { spaced_token(part, &words[i + 1..]) });
            rest = tail;
        }
    }
    out
}

fn spaced_token(word: &str, after: &[&str]) -> Token {
    if let Some((_, family)) = COMMANDS.iter().find(|(w, _)| *w == word) {
        return Token::Command(*family);
    }
    if let Some((_, _, family)) = SEPARABLE.iter().find(|(verb, particle, _)| *verb == word && after.contains(particle))
    {
        return Token::Command(*family);
    }
    if NEGATION.contains(&word) {
        Token::Negation
    } else if COURTESY.contains(&word) || is_reference(word) {
        Token::Courtesy
    } else {
        Token::Other
    }
}

/// `SA-7K3QX9PD` splits into `sa` and the eight characters: allow the latter.
fn is_reference(word: &str) -> bool {
    word.len() == 8 && word.chars().all(|c| c.is_ascii_alphanumeric()) && word.chars().any(|c| c.is_ascii_digit())
}

/// A folded line's first sentence: up to the first `.` or `!` followed by a
/// space or the line's end, or the first `。` (Japanese and Chinese leave no
/// space after a sentence); the whole line when none ends it.
fn first_sentence(line: &str) -> &str {
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ends = match c {
            '。' => true,
            '.' | '!' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if ends {
            return &line[..i + c.len_utf8()];
        }
    }
    line
}

/// The sentence of a folded line that holds its command: the first one that is
/// not courtesies alone ("お世話になっております。SUBMIT?": the second).
fn command_sentence(line: &str) -> &str {
    let mut rest = line;
    loop {
        let sentence = first_sentence(rest);
        if sentence.len() == rest.len() || tokens(sentence).iter().any(|t| *t != Token::Courtesy) {
            return sentence;
        }
        rest = &rest[sentence.len()..];
    }
}

/// Whether a folded sentence asks: a question mark (`？` folds to `?`), Spanish's
/// opening `¿`, or the particle Japanese (か) or Chinese (吗, 嗎, 呢) ends a question with.
fn asks(sentence: &str) -> bool {
    let end = sentence.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '.' | '!' | '~' | '…'));
    sentence.contains(['?', '¿']) || end.ends_with(['か', '吗', '嗎', '呢'])
}

/// Which command families the reply's own text contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Words {
    pub submit: bool,
    pub cancel: bool,
    pub accept: bool,
    pub decline: bool,
}

/// What a reply asks for, once the step it answers is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Submit,
    Cancel,
    Accept,
    Decline,
    /// No command word of the step.
    None,
    /// Both words of the step.
    Ambiguous,
}

impl Words {
    /// The command words of the reply's own text. A word counts only on a line
    /// that opens with it, after courtesies ("Yes, I accept.", "ENVOYER,
    /// merci", "Accept the account"), that asks nothing and negates nothing:
    /// in "Before I accept, who is this?", "Please do not submit yet", "je
    /// vais vous envoyer une version corrigée" or a footer that "décline toute
    /// responsabilité" it is not a command, and the reply is answered with the
    /// choices instead.
    pub fn read(body: &str) -> Words {
        Words::in_text(&own_text(body))
    }

    /// The command words of text taken as the sender's own, every line of it
    /// (what [`Words::read`] does after cutting the quote).
    pub fn in_text(text: &str) -> Words {
        let mut w = Words::default();
        for line in text.lines() {
            let line = fold(&yes_words(line));
            let tokens = tokens(&line);
            // The line must open with the command (after courtesies), its sentence
            // ask nothing ("SUBMIT?!", "Accept? Yes", "¿ACEPTAR?", "我们ACCEPT吗",
            // "承認しますか。"; a question in a later sentence is another matter:
            // "Accept, thanks! When will it be live?" counts) and the line hold no
            // negation: "I accept the terms" counts, "Before I accept, who…?" and
            // "do not submit" do not.
            let Some(Token::Command(_)) = tokens.iter().find(|t| **t != Token::Courtesy) else { continue };
            if asks(command_sentence(&line)) || tokens.contains(&Token::Negation) {
                continue;
            }
            for token in &tokens {
                match token {
                    Token::Command(Family::Submit) => w.submit = true,
                    Token::Command(Family::Cancel) => w.cancel = true,
                    Token::Command(Family::Accept) => w.accept = true,
                    Token::Command(Family::Decline) => w.decline = true,
                    _ => {}
                }
            }
        }
        w
    }

    pub fn for_review(self) -> Command {
        match (self.submit, self.cancel) {
            (true, true) => Command::Ambiguous,
            (true, false) => Command::Submit,
            (false, true) => Command::Cancel,
            (false, false) => Command::None,
        }
    }

    pub fn for_activation(self) -> Command {
        match (self.accept, self.decline) {
            (true, true) => Command::Ambiguous,
            (true, false) => Command::Accept,
            (false, true) => Command::Decline,
            (false, false) => Command::None,
        }
    }
}

/// The text the replier wrote, wherever it stands around the quote: see
/// [`super::quote`] for the forms of quoting that are recognised.
pub fn own_text(body: &str) -> String {
    quote::own_text(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quoted_original_is_ignored() {
        let body = "Accept\n\nOn Mon, 23 Nov 2026 at 10:00, Desk wrote:\n> reply ACCEPT to activate, or DECLINE\n";
        assert_eq!(Words::read(body).for_activation(), Command::Accept);
    }

    #[test]
    fn outlook_blocks_and_signatures_are_cut() {
        let body = "ACCEPTER\n\n-- \nJean, Decline Corp\n";
        assert_eq!(Words::read(body).for_activation(), Command::Accept);
        let body = "Yes, I accept.\n\nFrom: Desk <desk@example.test>\nSent: Monday\nTo: Jane\nSubject: Activate\n\nreply DECLINE to refuse\n";
        assert_eq!(Words::read(body).for_activation(), Command::Accept);
        let body = "refuser\n\nDe : Desk\nEnvoyé : lundi\nÀ : Jean\nObjet : Activez\n\nrépondez ACCEPTER\n";
        assert_eq!(Words::read(body).for_activation(), Command::Decline);
        let body = "Envoyer\n\nLe lun. 23 nov. 2026 à 10:00, Desk <d@example.test> a écrit :\n> ANNULER\n";
        assert_eq!(Words::read(body).for_review(), Command::Submit);
    }

    #[test]
    fn a_command_word_inside_a_sentence_is_not_a_command() {
        for body in [
            "Before I accept, who is this partner?",
            "Please do NOT submit yet",
            "Je vais vous envoyer une version corrigée demain.",
            "D'accord.\nLa société décline toute responsabilité quant au contenu.",
        ] {
            let w = Words::read(body);
            assert_eq!((w.for_review(), w.for_activation()), (Command::None, Command::None), "{body}");
        }
        assert_eq!(Words::read("Hi,\n\nACCEPT SA-7K3QX9PD\n\nJane").for_activation(), Command::Accept);
        assert_eq!(Words::read("Envoyer, merci").for_review(), Command::Submit);
        assert_eq!(Words::read("Yes, I accept.").for_activation(), Command::Accept);
        assert_eq!(Words::read("I accept the Smart Account request").for_activation(), Command::Accept);
        assert_eq!(Words::read("Oui, j'accepte le compte").for_activation(), Command::Accept);
        assert_eq!(Words::read("I ACCEPT the terms and conditions").for_activation(), Command::Accept);
        assert_eq!(Words::read("Accept? Not sure").for_activation(), Command::None);
        assert_eq!(Words::read("We don't accept").for_activation(), Command::None);
    }

    #[test]
    fn both_or_no_words() {
        assert_eq!(Words::read("accept\ndecline").for_activation(), Command::Ambiguous);
        assert_eq!(Words::read("Thanks, will look at it").for_activation(), Command::None);
        assert_eq!(Words::read("SUBMIT").for_activation(), Command::None);
        assert_eq!(Words::read("Accepté").for_activation(), Command::Accept);
    }

    /// SPEC §3's third-release command words, word for word.
    const SPEC_WORDS: [(&str, [&str; 4]); 6] = [
        ("de", ["SENDEN", "ABBRECHEN", "AKZEPTIEREN", "ABLEHNEN"]),
        ("es", ["ENVIAR", "CANCELAR", "ACEPTAR", "RECHAZAR"]),
        ("it", ["INVIA", "ANNULLA", "ACCETTA", "RIFIUTA"]),
        ("pt", ["ENVIAR", "CANCELAR", "ACEITAR", "RECUSAR"]),
        ("ja", ["送信", "キャンセル", "承認", "拒否"]),
        ("zh", ["提交", "取消", "接受", "拒绝"]),
    ];

    fn review(body: &str) -> Command {
        Words::read(body).for_review()
    }

    fn activation(body: &str) -> Command {
        Words::read(body).for_activation()
    }

    #[test]
    fn the_third_release_command_words_of_spec_section_3_are_read() {
        for (lang, [submit, cancel, accept, decline]) in SPEC_WORDS {
            assert_eq!(review(submit), Command::Submit, "{lang}");
            assert_eq!(review(cancel), Command::Cancel, "{lang}");
            assert_eq!(activation(accept), Command::Accept, "{lang}");
            assert_eq!(activation(decline), Command::Decline, "{lang}");
            for word in [submit, cancel, accept, decline] {
                assert_eq!(activation(&word.to_lowercase()), activation(word), "{lang} {word} in lower case");
            }
        }
    }

    #[test]
    fn full_width_letters_and_the_languages_own_punctuation_are_read() {
        assert_eq!(activation("ＡＣＣＥＰＴ"), Command::Accept);
        assert_eq!(activation("ａｃｃｅｔｔａ！"), Command::Accept);
        assert_eq!(review("ＳＥＮＤＥＮ"), Command::Submit);
        assert_eq!(activation("はい、承認します。"), Command::Accept);
        assert_eq!(activation("好的，我接受。谢谢！"), Command::Accept);
        assert_eq!(activation("拒否します。\nよろしくお願いいたします。"), Command::Decline);
        assert_eq!(review("キャンセルをお願いします"), Command::Cancel);
        assert_eq!(review("请提交"), Command::Submit);
        assert_eq!(review("送信してください。"), Command::Submit);
        assert_eq!(activation("拒絕"), Command::Decline);
    }

    #[test]
    fn accents_may_be_left_out_and_answers_take_each_languages_courtesies() {
        for (body, want) in [
            ("Ja, ich akzeptiere.", Command::Accept),
            ("Hiermit akzeptieren wir das Konto, danke", Command::Accept),
            ("Ich lehne ab.", Command::Decline),
            ("Wir lehnen das Konto ab", Command::Decline),
            ("Sí, acepto", Command::Accept),
            ("Si, acepto la cuenta", Command::Accept),
            ("Rechazamos, gracias", Command::Decline),
            ("Sì, accetto", Command::Accept),
            ("Va bene, accetto la richiesta", Command::Accept),
            ("Rifiuto, grazie", Command::Decline),
            ("Sim, aceito", Command::Accept),
            ("Recuso a solicitação", Command::Decline),
            ("Recuso a solicitacao", Command::Decline),
            ("Obrigado, aceito", Command::Accept),
        ] {
            assert_eq!(activation(body), want, "{body}");
        }
        for (body, want) in [
            ("Bitte senden", Command::Submit),
            ("Por favor, enviar", Command::Submit),
            ("Annulla, grazie", Command::Cancel),
            ("Cancelar, por favor", Command::Cancel),
        ] {
            assert_eq!(review(body), want, "{body}");
        }
    }

    #[test]
    fn negations_questions_and_sentences_are_no_command_in_any_language() {
        for body in [
            "Ich akzeptiere nicht",
            "Nein, wir akzeptieren das nicht.",
            "No acepto",
            "Si acepto, ¿qué pasa después?",
            "Si acepto la cuenta entonces",
            "Non accetto",
            "Não aceito",
            "Nunca aceitamos",
            "承認しません",
            "承認しないでください",
            "我不接受",
            "我们没有接受",
            "接受吗？",
            "Vorher akzeptieren? Wer ist das?",
            "Wir werden das Konto später akzeptieren",
            "Prima di accettare vorrei sapere chi siete",
            "Per attivare l'account, risponda ACCETTA (o ACCEPT).",
            "Per inviare la richiesta, risponda INVIA (o SUBMIT).",
        ] {
            let w = Words::read(body);
            assert_eq!((w.for_review(), w.for_activation()), (Command::None, Command::None), "{body}");
        }
        assert_eq!(review("请勿提交"), Command::None);
    }

    #[test]
    fn one_language_may_answer_another_languages_request() {
        // A German customer of a French request answers in German: the words of every language count.
        assert_eq!(activation("AKZEPTIEREN\n\nLe lun. 23 nov. 2026, Desk a écrit :\n> REFUSER\n"), Command::Accept);
        assert_eq!(activation("accepter\nrechazar"), Command::Ambiguous);
    }
}

/// No wrong decision, as properties over every language's words: a word only in a quote
/// never counts, however the quote is introduced; a question or a negation in any language
/// is no decision; and (so the others are not empty) the same words standing alone are one.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// How people answer, per family: SPEC §3's words of every language, and the first
    /// persons and courtesy forms they also write.
    const SUBMIT: &[&str] = &[
        "SUBMIT",
        "ENVOYER",
        "SENDEN",
        "Absenden",
        "ENVIAR",
        "INVIA",
        "送信",
        "送信します",
        "送信してください",
        "提交",
        "请提交",
    ];
    const CANCEL: &[&str] = &[
        "CANCEL",
        "ANNULER",
        "ABBRECHEN",
        "Stornieren",
        "CANCELAR",
        "ANNULLA",
        "キャンセル",
        "キャンセルします",
        "取消",
    ];
    const ACCEPT: &[&str] = &[
        "ACCEPT",
        "ACCEPTER",
        "J'accepte",
        "AKZEPTIEREN",
        "Ich akzeptiere",
        "Ich stimme zu",
        "ACEPTAR",
        "Acepto",
        "ACCETTA",
        "Accetto",
        "ACEITAR",
        "Aceito",
        "承認",
        "承認します",
        "承諾いたします",
        "接受",
        "我接受",
        "同意",
    ];
    const DECLINE: &[&str] = &[
        "DECLINE",
        "REFUSER",
        "ABLEHNEN",
        "Ich lehne ab",
        "RECHAZAR",
        "Rechazo",
        "RIFIUTA",
        "Rifiuto",
        "RECUSAR",
        "Recuso",
        "拒否",
        "拒否します",
        "辞退します",
        "拒绝",
        "我们拒绝",
    ];

    /// What may stand before and after an answer on its line, in every language.
    const BEFORE: &[&str] = &[
        "",
        "Vielen Dank. ",
        "Muchas gracias, ",
        "Grazie mille, ",
        "Obrigada, ",
        "お世話になっております。",
        "谢谢。",
        "Yes, ",
        "Oui, ",
        "Ja, ",
        "Sí, ",
        "Sì, ",
        "Sim, ",
        "Hallo, ",
        "Bonjour, ",
        "Olá, ",
        "はい、",
        "好的，",
        "我们",
    ];
    const AFTER: &[&str] = &[
        "",
        ".",
        "!",
        ", thanks",
        ", merci",
        ", danke",
        ", gracias",
        ", grazie",
        ", obrigado",
        "。",
        "！",
        "。よろしくお願いします",
        "，谢谢",
    ];

    /// Negations of every language, and whether they stand before the answer or after it.
    const NEGATIONS: &[(&str, bool)] = &[
        ("do not", true),
        ("don't", true),
        ("never", true),
        ("not", false),
        ("ne", true),
        ("pas", false),
        ("jamais", true),
        ("nicht", false),
        ("kein", true),
        ("nein,", true),
        ("no", true),
        ("nunca", true),
        ("sin", true),
        ("non", true),
        ("mai", true),
        ("senza", true),
        ("não", true),
        ("nem", true),
        ("sem", true),
        ("不", true),
        ("没有", true),
        ("请勿", true),
        ("别", true),
        ("しません", false),
        ("しないでください", false),
        ("ません", false),
    ];

    /// Sentences of every language that answer nothing.
    const NEUTRAL: &[&str] = &[
        "",
        "Thanks for your email.",
        "Merci pour votre message.",
        "Danke für Ihre Nachricht.",
        "Gracias por su mensaje.",
        "Grazie del messaggio.",
        "Obrigado pela mensagem.",
        "ご連絡ありがとうございます。",
        "谢谢您的邮件。",
    ];

    /// What introduces a quote in every language's clients (see [`super::quote`]).
    const INTRODUCTIONS: &[&str] = &[
        "On Mon, 7 Dec 2026 at 10:00, Smart Account Desk <desk@example.test> wrote:",
        "On Mon, 7 Dec 2026 at 10:00, Smart Account Desk <\ndesk@example.test> wrote:",
        "Le lun. 7 déc. 2026 à 10:00, Smart Account Desk <desk@example.test> a écrit :",
        "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Smart Account Desk <desk@example.test>:",
        "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Smart Account Desk <\ndesk@example.test>:",
        "El lun, 7 dic 2026 a las 10:00, Smart Account Desk (<desk@example.test>) escribió:",
        "Il giorno lun 7 dic 2026 alle ore 10:00 Smart Account Desk <desk@example.test> ha scritto:",
        "Em seg., 7 de dez. de 2026 às 10:00, Smart Account Desk <desk@example.test> escreveu:",
        "2026年12月7日(月) 10:00 Smart Account Desk <desk@example.test>:",
        "2026/12/07 10:00 に Smart Account Desk\nさんは書きました:",
        "Smart Account Desk <desk@example.test> 于2026年12月7日周一 10:00写道：",
        "-----Original Message-----",
        "-------- Message d'origine --------",
        "-----Ursprüngliche Nachricht-----",
        "-----Mensaje original-----",
        "-----Messaggio originale-----",
        "-----Mensagem original-----",
        "-----元のメッセージ-----",
        "------------------\u{a0}原始邮件\u{a0}------------------",
        "From: Smart Account Desk <desk@example.test>\nSent: Monday, 7 December 2026 10:00\nTo: Jane\nSubject: Activate",
        "*De :* Smart Account Desk\n*Envoyé :* lundi 7 décembre 2026 10:00\n*À :* Jane",
        "Von: Smart Account Desk <desk@example.test>\nGesendet: Montag, 7. Dezember 2026 10:00\nAn: Jane\nBetreff: Aktivieren",
        "De: Smart Account Desk <desk@example.test>\nEnviado: lunes, 7 de diciembre de 2026 10:00\nPara: Jane\nAsunto: Active",
        "Da: Smart Account Desk <desk@example.test>\nInviato: lunedì 7 dicembre 2026 10:00\nA: Jane\nOggetto: Attivi",
        "De: Smart Account Desk <desk@example.test>\nEnviada em: segunda-feira, 7 de dezembro de 2026 10:00\nPara: Jane\nAssunto: Ative",
        "差出人: Smart Account Desk <desk@example.test>\n送信日時: 2026年12月7日 10:00\n宛先: Jane\n件名: 有効化",
        "发件人: \"Smart Account Desk\"<desk@example.test>;\n发送时间: 2026年12月7日(星期一) 上午10:00\n收件人: Jane\n主题: 激活",
    ];

    /// The answers of a family: the ones above, and every word the reader's own tables
    /// hold (so a word added to them is held to these properties at once).
    fn family_words(f: Family) -> Vec<&'static str> {
        let written = match f {
            Family::Submit => SUBMIT,
            Family::Cancel => CANCEL,
            Family::Accept => ACCEPT,
            Family::Decline => DECLINE,
        };
        let tables = COMMANDS.iter().chain(CJK_COMMANDS).filter(|(_, g)| *g == f).map(|(w, _)| *w);
        written.iter().copied().chain(tables).collect()
    }

    fn family() -> impl Strategy<Value = Family> {
        prop_oneof![Just(Family::Submit), Just(Family::Cancel), Just(Family::Accept), Just(Family::Decline)]
    }

    /// How a word may be typed: as written, in capitals, in small letters, without its
    /// accents, or in the full-width letters of a Japanese or Chinese input method.
    fn typed(word: &str, how: u8) -> String {
        match how % 5 {
            0 => word.to_string(),
            1 => word.to_uppercase(),
            2 => word.to_lowercase(),
            3 => fold(word),
            _ => word
                .chars()
                .map(|c| match c {
                    '!'..='~' => char::from_u32(c as u32 + 0xfee0).unwrap_or(c),
                    ' ' => '\u{3000}',
                    c => c,
                })
                .collect(),
        }
    }

    /// An answer of `f` as one line: a courtesy, the word as typed, a courtesy.
    fn answer(f: Family) -> impl Strategy<Value = String> {
        (prop::sample::select(family_words(f)), any::<u8>(), prop::sample::select(BEFORE), prop::sample::select(AFTER))
            .prop_map(|(word, how, before, after)| format!("{before}{}{after}", typed(word, how)))
    }

    fn any_answer() -> impl Strategy<Value = (Family, String)> {
        family().prop_flat_map(|f| answer(f).prop_map(move |line| (f, line)))
    }

    fn only(f: Family) -> Words {
        Words {
            submit: f == Family::Submit,
            cancel: f == Family::Cancel,
            accept: f == Family::Accept,
            decline: f == Family::Decline,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// The control: each answer alone is that answer, and only it.
        #[test]
        fn an_answer_alone_in_any_language_is_that_answer((f, line) in any_answer()) {
            prop_assert_eq!(Words::read(&line), only(f), "{:?}", line);
        }

        /// Above a quote that holds every other answer, an answer is still that answer alone.
        #[test]
        fn the_own_answer_counts_and_the_quoted_ones_never(
            (f, line) in any_answer(),
            intro in prop::sample::select(INTRODUCTIONS),
            quoted in prop::collection::vec(any_answer(), 1..4),
            marked in any::<bool>(),
        ) {
            let quote: Vec<String> =
                quoted.iter().map(|(_, q)| if marked { format!("> {q}") } else { q.clone() }).collect();
            let body = format!("{line}\n\n{intro}\n{}\n", quote.join("\n"));
            prop_assert_eq!(Words::read(&body), only(f), "{}", body);
        }

        /// A word only in a quote never counts: above or below it stands text that answers nothing.
        #[test]
        fn a_word_only_in_a_quote_never_counts(
            own in prop::sample::select(NEUTRAL),
            intro in prop::sample::select(INTRODUCTIONS),
            quoted in prop::collection::vec(any_answer(), 1..4),
            marked in any::<bool>(),
            below in any::<bool>(),
        ) {
            let lines: Vec<String> =
                quoted.iter().map(|(_, q)| if marked || below { format!("> {q}") } else { q.clone() }).collect();
            let quote = format!("{intro}\n{}\n", lines.join("\n"));
            let body = if below { format!("{quote}\n{own}\n") } else { format!("{own}\n\n{quote}") };
            prop_assert_eq!(Words::read(&body), Words::default(), "{}", body);
            // A quote of `>` lines alone, with no introduction, is a quote too.
            let bare = format!("{}\n\n{own}\n", quoted.iter().map(|(_, q)| format!("> {q}")).collect::<Vec<_>>().join("\n"));
            prop_assert_eq!(Words::read(&bare), Words::default(), "{}", bare);
        }

        /// A question is no decision, in any language and any punctuation.
        #[test]
        fn a_question_in_any_language_is_no_decision(
            (_, line) in any_answer(),
            mark in prop::sample::select(&["?", " ?", "？", "?!", "? "][..]),
            opening in any::<bool>(),
        ) {
            let line = line.trim_end_matches(['.', '!', '。', '！']);
            let question = format!("{}{line}{mark}", if opening { "¿" } else { "" });
            // The mark asks in the command's own sentence (a courtesy sentence after it,
            // "SUBMIT。よろしくお願いします?", is another sentence; see the examples below).
            let folded = fold(&yes_words(&question));
            prop_assume!(command_sentence(&folded).len() == folded.len());
            prop_assert_eq!(Words::read(&question), Words::default(), "{}", question);
        }

        /// The particle Japanese or Chinese ends a question with makes one, without a mark.
        #[test]
        fn a_question_without_a_mark_in_japanese_or_chinese_is_no_decision(
            f in family(),
            word in any::<prop::sample::Index>(),
            particle in prop::sample::select(&["か", "ですか", "吗", "嗎", "呢", "か。", "吗。"][..]),
        ) {
            let word = word.get::<&str>(&family_words(f)).to_string();
            let question = format!("{word}{particle}");
            prop_assert_eq!(Words::read(&question), Words::default(), "{}", question);
        }

        /// A negation is no decision, wherever it stands and whatever the language of the word.
        #[test]
        fn a_negation_in_any_language_is_no_decision(
            f in family(),
            word in any::<prop::sample::Index>(),
            how in any::<u8>(),
            (negation, before) in prop::sample::select(NEGATIONS),
            courtesy in prop::sample::select(BEFORE),
        ) {
            let word = typed(word.get::<&str>(&family_words(f)), how);
            let line = if before { format!("{courtesy}{negation} {word}") } else { format!("{courtesy}{word} {negation}") };
            prop_assert_eq!(Words::read(&line), Words::default(), "{}", line);
            // Written without a space, as Japanese and Chinese write it.
            let joined = if before { format!("{negation}{word}") } else { format!("{word}{negation}") };
            if joined.chars().any(unspaced) {
                prop_assert_eq!(Words::read(&joined), Words::default(), "{}", joined);
            }
        }
    }

    #[test]
    fn a_question_asks_in_the_commands_sentence_and_one_in_a_later_sentence_leaves_the_command() {
        for counts in [
            "Accept, thanks! Any idea when it will be live? Cheers",
            "ACCEPT. Why so many emails?",
            "Acepto. ¿Cuándo estará activa?",
            "承認します。いつ有効になりますか？",
            "お世話になっております。承認します。",
        ] {
            assert_ne!(Words::read(counts), Words::default(), "{counts}");
        }
        for asks in [
            "SUBMIT?!",
            "Accept? Yes",
            "ACCEPT...?",
            "¿ACEPTAR?",
            "我们ACCEPT吗",
            "ACCEPTでよろしいですか。",
            "承認しますか",
            "お世話になっております。SUBMIT?",
        ] {
            assert_eq!(Words::read(asks), Words::default(), "{asks}");
        }
    }
}
