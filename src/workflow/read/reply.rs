//! The reply reader: the reply's own text (quotes and signatures cut) and the command words in it.
use super::quote;
use super::text::{fold, words};

/// Words that may stand beside a command word on its line (folded).
const COURTESY: &[&str] = &[
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
    "regards",
    "best",
    "here",
    "is",
    "my",
    "answer",
    "ma",
    "reponse",
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
];

/// Words that turn a command around ("do not", "don't", "ne … pas", "never").
const NEGATION: &[&str] = &[
    "not", "no", "never", "don", "doesn", "won", "can", "cannot", "t", "pas", "ne", "n", "jamais", "non", "sans",
    "without",
];

fn is_command(word: &str) -> bool {
    matches!(
        word,
        "submit"
            | "envoyer"
            | "cancel"
            | "annuler"
            | "accept"
            | "activate"
            | "accepter"
            | "activer"
            | "accepte"
            | "decline"
            | "refuser"
            | "refuse"
    )
}

/// `SA-7K3QX9PD` splits into `sa` and the eight characters: allow the latter.
fn is_reference(word: &str) -> bool {
    word.len() == 8 && word.chars().all(|c| c.is_ascii_alphanumeric()) && word.chars().any(|c| c.is_ascii_digit())
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
            let line = fold(line);
            let tokens: Vec<&str> = words(&line).collect();
            // The line must open with the command (after courtesies), be no
            // question and hold no negation: "I accept the terms" counts,
            // "Before I accept, who…?" and "do not submit" do not.
            let Some(first) = tokens.iter().find(|t| !COURTESY.contains(t) && !is_reference(t)) else { continue };
            if line.trim_end().ends_with('?') || tokens.iter().any(|t| NEGATION.contains(t)) {
                continue;
            }
            let mut found = Words::default();
            for word in &tokens {
                match *word {
                    "submit" | "envoyer" => found.submit = true,
                    "cancel" | "annuler" => found.cancel = true,
                    // "accepte"/"refuse": how French writers conjugate them (j'accepte, je refuse).
                    "accept" | "activate" | "accepter" | "activer" | "accepte" => found.accept = true,
                    "decline" | "refuser" | "refuse" => found.decline = true,
                    _ => {}
                }
            }
            if !is_command(first) {
                continue;
            }
            w.submit |= found.submit;
            w.cancel |= found.cancel;
            w.accept |= found.accept;
            w.decline |= found.decline;
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
}
