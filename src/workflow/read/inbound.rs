//! `Inbound`: every fact `decide` needs from one raw message, read once (pure).
use super::form::{self, RawForm};
use super::reply::Words;
use super::{Mail, automatic};
use crate::domain::{EmailAddress, Key, Locale, Reference};

/// The facts read from one inbound message.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub mail: Mail,
    /// Step keys from plus tags (first) and from the desk's Message-IDs in In-Reply-To/References.
    pub keys: Vec<Key>,
    pub subject_reference: Option<Reference>,
    pub words: Words,
    /// The form read from the whole body (forwarded forms included).
    pub form: RawForm,
    /// The form read from the sender's own text only (quotes cut).
    pub own_form: RawForm,
    pub own_text_empty: bool,
    /// The language the sender writes in, when the mail tells (see [`told_language`]).
    pub language: Option<Locale>,
    /// The delivery status notification, when the mail is one.
    pub dsn: Option<super::dsn::Dsn>,
}

impl Inbound {
    pub fn read(raw: &[u8], desk: &EmailAddress) -> Inbound {
        let mail = Mail::parse(raw);
        let mut keys: Vec<Key> = Vec::new();
        for r in &mail.recipients {
            if let (true, (_, Some(tag))) = (r.same_mailbox(desk), r.split_plus()) {
                keys.extend(Key::parse_prefix(tag).filter(|k| !keys.contains(k)));
            }
        }
        for id in &mail.thread_ids {
            if let Some((local, domain)) = id.rsplit_once('@')
                && domain.eq_ignore_ascii_case(desk.domain())
            {
                keys.extend(Key::parse_prefix(local).filter(|k| !keys.contains(k)));
            }
        }
        let own = super::reply::own_text(&mail.body);
        let dsn = automatic::is_bounce(&mail).then(|| super::dsn::parse(raw, &mail.recipients, desk));
        let own_form = form::scan(&own);
        Inbound {
            dsn,
            keys,
            subject_reference: Reference::find_in(&mail.subject),
            words: Words::read(&mail.body),
            form: form::scan(&mail.body),
            language: told_language(&mail, &own_form, &own),
            own_form,
            own_text_empty: own.trim().is_empty(),
            mail,
        }
    }
}

/// The language a sender writes in, when their mail tells: a help word in
/// the subject ("Hilfe", "ayuda"), the labels of their own text, the
/// command words of their own text that are one language's ("AKZEPTIEREN",
/// "rifiuto"), the script of what they wrote (kana, or a command word only
/// Japanese writes in Chinese characters such as 承認: Japanese; other
/// Chinese characters: Chinese), else their client's `Content-Language` or
/// `Accept-Language` (Outlook writes both: the client's language, not
/// always the writer's, so what they wrote comes first). `help`, `?`,
/// English's command words and other Latin text tell nothing.
pub fn told_language(mail: &super::Mail, own_form: &RawForm, own_text: &str) -> Option<Locale> {
    let header = |name: &str| {
        mail.header_values(name).find_map(|v| {
            let first = v.split([',', ';']).next()?.trim();
            Locale::parse(first)
        })
    };
    form::help_language(&mail.subject)
        .or_else(|| own_form.label_locale())
        .or_else(|| super::reply::words_language(own_text))
        .or_else(|| script_language(&format!("{}\n{own_text}", mail.subject), header("content-language")))
        .or_else(|| header("content-language"))
        .or_else(|| header("accept-language"))
}

/// Command words Japanese writes in Chinese characters alone, that Chinese does not write so.
const JAPANESE_KANJI_WORDS: &[&str] = &["承認", "承諾", "拒否", "辞退", "送信"];

/// Japanese for kana; for one of [`JAPANESE_KANJI_WORDS`] only as a line of
/// its own ("承認。"), since Chinese writes those characters inside other words
/// ("发送信息") and Traditional Chinese writes 承認 itself, and never when the
/// client says Chinese; Chinese for other Chinese characters.
fn script_language(text: &str, client: Option<Locale>) -> Option<Locale> {
    let alone = |line: &str| line.trim().trim_end_matches(['。', '.', '!', '！', '、', ',']).trim().to_string();
    let kanji_word =
        client != Some(Locale::Zh) && text.lines().any(|line| JAPANESE_KANJI_WORDS.contains(&alone(line).as_str()));
    let kana = text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}')) || kanji_word;
    let han = text.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}'));
    if kana {
        Some(Locale::Ja)
    } else if han {
        Some(Locale::Zh)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language_of(raw: &str) -> Option<Locale> {
        Inbound::read(raw.as_bytes(), &EmailAddress::parse("desk@example.test").unwrap()).language
    }

    #[test]
    fn the_senders_language_is_told_by_the_subject_the_labels_the_headers_or_the_script() {
        let mail = |headers: &str, subject: &str, body: &str| {
            format!(
                "From: p@partner.test\r\nTo: desk@example.test\r\nSubject: {subject}\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
            )
        };
        assert_eq!(language_of(&mail("", "Hilfe", "")), Some(Locale::De));
        assert_eq!(language_of(&mail("Content-Language: es-ES\r\n", "help", "")), Some(Locale::Es));
        assert_eq!(language_of(&mail("Accept-Language: pt-BR, en-US\r\n", "help", "")), Some(Locale::Pt));
        assert_eq!(language_of(&mail("", "help", "Nome dell'account:\n")), Some(Locale::It));
        assert_eq!(language_of(&mail("", "フォーム", "")), Some(Locale::Ja));
        assert_eq!(language_of(&mail("", "申请表", "")), Some(Locale::Zh));
        assert_eq!(language_of(&mail("", "help", "")), None);
        assert_eq!(language_of(&mail("Content-Language: ko\r\n", "help", "")), None);
    }

    #[test]
    fn the_command_words_one_language_writes_tell_the_senders_language_and_english_ones_do_not() {
        let mail = |headers: &str, body: &str| {
            format!(
                "From: c@customer.test\r\nTo: desk@example.test\r\nSubject: Smart Account\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
            )
        };
        for (body, locale) in [
            ("AKZEPTIEREN", Locale::De),
            ("Ich lehne ab.", Locale::De),
            ("Oui, j'accepte", Locale::Fr),
            ("ANNULER", Locale::Fr),
            ("Sí, acepto.", Locale::Es),
            ("RECHAZAR", Locale::Es),
            ("Sì, accetto", Locale::It),
            ("ＩＮＶＩＡ", Locale::It),
            ("ACEITAR", Locale::Pt),
            ("Recuso, obrigado.", Locale::Pt),
            ("はい、承認します。", Locale::Ja),
            // Chinese characters alone: Japanese when the word is one only Japanese writes so.
            ("承認", Locale::Ja),
            ("拒否", Locale::Ja),
            ("接受", Locale::Zh),
            ("拒绝", Locale::Zh),
            // Inside a Chinese word, those characters are Chinese: 发送信息 is "send a message".
            ("我会发送信息", Locale::Zh),
            ("他辞退了工作", Locale::Zh),
        ] {
            assert_eq!(language_of(&mail("", body)), Some(locale), "{body}");
        }
        // English's words, and the words Spanish and Portuguese share, tell nothing.
        for body in ["ACCEPT", "SUBMIT, thanks", "ENVIAR", "CANCELAR", "Hello, I have a question"] {
            assert_eq!(language_of(&mail("", body)), None, "{body}");
        }
        // What the sender wrote comes before what their client says.
        assert_eq!(language_of(&mail("Content-Language: en-US\r\n", "AKZEPTIEREN")), Some(Locale::De));
        assert_eq!(language_of(&mail("Content-Language: en-US\r\n", "承認します")), Some(Locale::Ja));
        assert_eq!(language_of(&mail("Content-Language: it\r\n", "ACCEPT")), Some(Locale::It));
        // Traditional Chinese writes 承認 too: a client that says Chinese is believed.
        assert_eq!(language_of(&mail("Content-Language: zh-TW\r\n", "承認")), Some(Locale::Zh));
        // A word only in the quote tells nothing.
        let quoted = "Hello\n\nOn Mon, 7 Dec 2026 at 10:00, Desk <desk@example.test> wrote:\n> AKZEPTIEREN\n";
        assert_eq!(language_of(&mail("", quoted)), None);
    }
}
