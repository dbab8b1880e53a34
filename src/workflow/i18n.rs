//! The few sentences that are data rather than templates: problem messages, state names, dates.
use chrono::{DateTime, Datelike, Utc};

use crate::domain::{Locale, State};
use crate::read::form::{Own, Problem};

pub fn problem_message(p: &Problem, locale: Locale) -> String {
    use Locale::*;
    match (p, locale) {
        (Problem::Missing(_), En) => "missing: this field is required".into(),
        (Problem::Missing(_), Fr) => "manquant : ce champ est obligatoire".into(),
        (Problem::TooLong { max, len, .. }, En) => {
            format!("too long: {len} characters, at most {max}")
        }
        (Problem::TooLong { max, len, .. }, Fr) => {
            format!("trop long : {len} caractères, {max} au plus")
        }
        (Problem::BadEmail { value, .. }, En) => {
            format!("\"{}\" is not a valid email address", clip(value))
        }
        (Problem::BadEmail { value, .. }, Fr) => {
            format!("« {} » n'est pas une adresse e-mail valide", clip(value))
        }
        (Problem::OneEmailOnly { value }, En) => {
            format!("give exactly one address (found \"{}\")", clip(value))
        }
        (Problem::OneEmailOnly { value }, Fr) => {
            format!("indiquez une seule adresse (trouvé « {} »)", clip(value))
        }
        (Problem::BadDomain { value }, En) => {
            format!("\"{}\" is not a valid domain name (like example.com)", clip(value))
        }
        (Problem::BadDomain { value }, Fr) => {
            format!("« {} » n'est pas un nom de domaine valide (comme exemple.fr)", clip(value))
        }
        (Problem::TooManyUsers { count }, En) => {
            format!("{count} users listed, at most {}", crate::read::form::MAX_USERS)
        }
        (Problem::TooManyUsers { count }, Fr) => {
            format!("{count} utilisateurs indiqués, {} au plus", crate::read::form::MAX_USERS)
        }
        (Problem::MoreBadEmails { count }, En) => format!("and {count} more invalid addresses"),
        (Problem::MoreBadEmails { count }, Fr) => format!("et {count} autres adresses non valides"),
        (Problem::BadLanguage { value }, En) => {
            format!("\"{}\" is not a language we offer: write en or fr", clip(value))
        }
        (Problem::BadLanguage { value }, Fr) => {
            format!("« {} » n'est pas une langue proposée : écrivez fr ou en", clip(value))
        }
        (Problem::DomainBusy { domain, reference }, En) => {
            format!(
                "{domain} already has a request in progress, {reference}; answer that request, or wait until it is closed"
            )
        }
        (Problem::OwnAddress { value, own: Own::Partner, .. }, En) => format!(
            "{} is your own address: the customer and the users must be other people (a partner cannot approve their own request)",
            clip(value)
        ),
        (Problem::OwnAddress { value, own: Own::Partner, .. }, Fr) => format!(
            "{} est votre propre adresse : le client et les utilisateurs doivent être d'autres personnes (un partenaire ne peut pas approuver sa propre demande)",
            clip(value)
        ),
        (Problem::OwnAddress { value, own: Own::Desk, .. }, En) => {
            format!("{} is this desk's own address: give the address of a person", clip(value))
        }
        (Problem::OwnAddress { value, own: Own::Desk, .. }, Fr) => {
            format!("{} est l'adresse de ce service : indiquez l'adresse d'une personne", clip(value))
        }
        (Problem::DomainBusy { domain, reference }, Fr) => {
            format!(
                "{domain} a déjà une demande en cours, {reference} ; répondez à cette demande ou attendez sa clôture"
            )
        }
    }
}

/// Values are echoed back shortened, so a huge bad value does not make a huge answer.
fn clip(s: &str) -> String {
    let s = crate::domain::strip_controls(s);
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        format!("{}…", one_line.chars().take(80).collect::<String>())
    } else {
        one_line
    }
}

pub fn state_label(state: State, locale: Locale) -> &'static str {
    match (state, locale) {
        (State::AwaitingReview, Locale::En) => "awaiting your review",
        (State::PendingCustomerAcceptance, Locale::En) => "pending customer acceptance",
        (State::Active, Locale::En) => "active",
        (State::Declined, Locale::En) => "declined by the customer",
        (State::Expired, Locale::En) => "expired",
        (State::Cancelled, Locale::En) => "cancelled",
        (State::ReviewExpired, Locale::En) => "closed (not submitted in time)",
        (State::Undeliverable, Locale::En) => "closed (activation email undeliverable)",
        (State::AwaitingReview, Locale::Fr) => "en attente de votre relecture",
        (State::PendingCustomerAcceptance, Locale::Fr) => "en attente d'acceptation par le client",
        (State::Active, Locale::Fr) => "active",
        (State::Declined, Locale::Fr) => "refusée par le client",
        (State::Expired, Locale::Fr) => "expirée",
        (State::Cancelled, Locale::Fr) => "annulée",
        (State::ReviewExpired, Locale::Fr) => "close (non envoyée à temps)",
        (State::Undeliverable, Locale::Fr) => "close (e-mail d'activation non distribuable)",
    }
}

/// "21 February 2027 (UTC)" / "21 février 2027 (UTC)".
pub fn date(at: DateTime<Utc>, locale: Locale) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = match locale {
        Locale::En => EN[at.month0() as usize],
        Locale::Fr => FR[at.month0() as usize],
    };
    format!("{} {} {} (UTC)", at.day(), month, at.year())
}
