//! `Locale`: the languages the desk speaks, and how people name them in a form.
use serde::{Deserialize, Serialize};

/// A request's language: its emails are written in it, its form was (most
/// likely) filled in it. Portuguese is Brazil's, Chinese is Simplified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    En,
    Fr,
    De,
    Es,
    It,
    Pt,
    Ja,
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 8] =
        [Locale::En, Locale::Fr, Locale::De, Locale::Es, Locale::It, Locale::Pt, Locale::Ja, Locale::Zh];

    /// The code stored, shown and written in a form's `Language` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Es => "es",
            Locale::It => "it",
            Locale::Pt => "pt",
            Locale::Ja => "ja",
            Locale::Zh => "zh",
        }
    }

    /// The BCP 47 tag of what is written: the `Content-Language` and `lang` of our emails.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Pt => "pt-BR",
            Locale::Zh => "zh-Hans",
            other => other.as_str(),
        }
    }

    /// The language's name in itself ("Deutsch", "日本語").
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "français",
            Locale::De => "Deutsch",
            Locale::Es => "español",
            Locale::It => "italiano",
            Locale::Pt => "português",
            Locale::Ja => "日本語",
            Locale::Zh => "简体中文",
        }
    }

    /// Whether the language is written without spaces between words: its
    /// text is wrapped between characters, and its command words are found
    /// inside runs of letters.
    pub fn unspaced(self) -> bool {
        matches!(self, Locale::Ja | Locale::Zh)
    }

    /// A code (`de`, `pt-BR`, `zh_CN`, `ja-JP`), or the language's name as
    /// people write it in a form: in English, in French, or in itself.
    /// Regional variants are the language (a `pt-PT` or `zh-TW` partner reads
    /// Brazilian Portuguese or Simplified Chinese better than a refused form).
    pub fn parse(input: &str) -> Option<Locale> {
        let folded = crate::read::text::fold(input);
        let s = folded.trim().trim_end_matches(['.', ')']).trim();
        // "de (Deutsch)", "Deutsch (de)": the first word decides.
        let s = s.split(['(', ',', ';', '/']).next().unwrap_or("").trim();
        // `de-DE`, `pt_BR`, `zh-Hans-CN`: the language subtag.
        let word = match s.split_once(['-', '_']) {
            Some((head, tail)) if tail.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') => head,
            _ => s,
        };
        Some(match word {
            "en" | "eng" | "english" | "anglais" | "englisch" | "ingles" | "inglese" | "英語" | "英语" => {
                Locale::En
            }
            "fr" | "fra" | "fre" | "french" | "francais" | "franzosisch" | "frances" | "francese" | "フランス語"
            | "法语" => Locale::Fr,
            "de" | "deu" | "ger" | "german" | "allemand" | "deutsch" | "aleman" | "tedesco" | "alemao" | "ドイツ語"
            | "德语" => Locale::De,
            "es" | "spa" | "spanish" | "espagnol" | "espanol" | "castellano" | "spanisch" | "spagnolo" | "espanhol"
            | "スペイン語" | "西班牙语" => Locale::Es,
            "it" | "ita" | "italian" | "italien" | "italiano" | "italienisch" | "イタリア語" | "意大利语" => {
                Locale::It
            }
            "pt" | "por" | "portuguese" | "portugais" | "portugues" | "portugiesisch" | "portoghese" | "brasileiro"
            | "ポルトガル語" | "葡萄牙语" => Locale::Pt,
            "ja" | "jpn" | "japanese" | "japonais" | "japanisch" | "japones" | "giapponese" | "日本語" | "にほんご"
            | "日语" | "日文" => Locale::Ja,
            "zh" | "zho" | "chi" | "chinese" | "chinois" | "chinesisch" | "chino" | "cinese" | "chines" | "中文"
            | "简体中文" | "简体" | "汉语" | "漢語" | "普通话" | "中国語" | "中國語" | "繁體中文" => {
                Locale::Zh
            }
            _ => return None,
        })
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_locale() {
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.as_str()), Some(l));
            assert_eq!(Locale::parse(&l.as_str().to_uppercase()), Some(l));
            assert_eq!(Locale::parse(l.tag()), Some(l));
            assert_eq!(Locale::parse(l.endonym()), Some(l), "{}", l.endonym());
        }
    }

    #[test]
    fn regional_codes_and_names_as_people_write_them_are_read() {
        for (input, want) in [
            ("pt-BR", Locale::Pt),
            ("pt_br", Locale::Pt),
            ("Português (Brasil)", Locale::Pt),
            ("zh-CN", Locale::Zh),
            ("zh-Hans", Locale::Zh),
            ("中文", Locale::Zh),
            ("ja-JP", Locale::Ja),
            ("日本語", Locale::Ja),
            ("ｊａ", Locale::Ja),
            ("Deutsch", Locale::De),
            ("de-DE", Locale::De),
            ("Español", Locale::Es),
            ("es-MX", Locale::Es),
            ("Italiano", Locale::It),
            ("French", Locale::Fr),
            ("de (Deutsch)", Locale::De),
        ] {
            assert_eq!(Locale::parse(input), Some(want), "{input}");
        }
        for bad in ["", "xx", "klingon", "ko-KR", "en fr"] {
            assert_eq!(Locale::parse(bad), None, "{bad}");
        }
    }
}
