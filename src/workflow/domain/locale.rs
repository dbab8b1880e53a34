//! `Locale`: the two languages the desk speaks.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// `en`/`fr`, also the languages' names as people write them in a form.
    pub fn parse(input: &str) -> Option<Locale> {
        match crate::read::text::fold(input).trim() {
            "en" | "eng" | "english" | "anglais" => Some(Locale::En),
            "fr" | "fra" | "fre" | "french" | "francais" => Some(Locale::Fr),
            _ => None,
        }
    }
}
