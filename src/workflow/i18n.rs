//! What the emails' catalogs do not hold: state names (the console shows them too), dates,
//! the command words as the desk writes them (the reader must read them back), and how a
//! value a sender wrote is echoed.
use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::domain::{Locale, State};

/// The four command words of SPEC §3 as our emails write them in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandWords {
    pub submit: &'static str,
    pub cancel: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
}

pub fn command_words(locale: Locale) -> CommandWords {
    let (submit, cancel, accept, decline) = match locale {
        Locale::En => ("SUBMIT", "CANCEL", "ACCEPT", "DECLINE"),
        Locale::Fr => ("ENVOYER", "ANNULER", "ACCEPTER", "REFUSER"),
        Locale::De => ("SENDEN", "ABBRECHEN", "AKZEPTIEREN", "ABLEHNEN"),
        Locale::Es => ("ENVIAR", "CANCELAR", "ACEPTAR", "RECHAZAR"),
        Locale::It => ("INVIA", "ANNULLA", "ACCETTA", "RIFIUTA"),
        Locale::Pt => ("ENVIAR", "CANCELAR", "ACEITAR", "RECUSAR"),
        Locale::Ja => ("送信", "キャンセル", "承認", "拒否"),
        Locale::Zh => ("提交", "取消", "接受", "拒绝"),
    };
    CommandWords { submit, cancel, accept, decline }
}

/// Values are echoed back shortened, so a huge bad value does not make a huge answer.
pub fn clip(s: &str) -> String {
    let s = crate::domain::strip_controls(s);
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        format!("{}…", one_line.chars().take(80).collect::<String>())
    } else {
        one_line
    }
}

/// The state of a request as its reader's language says it (emails, the console).
pub fn state_label(state: State, locale: Locale) -> &'static str {
    use Locale::*;
    use State::*;
    match (state, locale) {
        (AwaitingReview, En) => "awaiting your review",
        (PendingCustomerAcceptance, En) => "pending customer acceptance",
        (Active, En) => "active",
        (Declined, En) => "declined by the customer",
        (Expired, En) => "expired",
        (Cancelled, En) => "cancelled",
        (ReviewExpired, En) => "closed (not submitted in time)",
        (Undeliverable, En) => "closed (activation email undeliverable)",
        (AwaitingReview, Fr) => "en attente de votre relecture",
        (PendingCustomerAcceptance, Fr) => "en attente d'acceptation par le client",
        (Active, Fr) => "active",
        (Declined, Fr) => "refusée par le client",
        (Expired, Fr) => "expirée",
        (Cancelled, Fr) => "annulée",
        (ReviewExpired, Fr) => "close (non envoyée à temps)",
        (Undeliverable, Fr) => "close (e-mail d'activation non distribuable)",
        (AwaitingReview, De) => "wartet auf Ihre Prüfung",
        (PendingCustomerAcceptance, De) => "wartet auf die Annahme durch den Kunden",
        (Active, De) => "aktiv",
        (Declined, De) => "vom Kunden abgelehnt",
        (Expired, De) => "abgelaufen",
        (Cancelled, De) => "abgebrochen",
        (ReviewExpired, De) => "geschlossen (nicht rechtzeitig gesendet)",
        (Undeliverable, De) => "geschlossen (Aktivierungs-E-Mail nicht zustellbar)",
        (AwaitingReview, Es) => "pendiente de su revisión",
        (PendingCustomerAcceptance, Es) => "pendiente de aceptación por el cliente",
        (Active, Es) => "activa",
        (Declined, Es) => "rechazada por el cliente",
        (Expired, Es) => "caducada",
        (Cancelled, Es) => "cancelada",
        (ReviewExpired, Es) => "cerrada (no enviada a tiempo)",
        (Undeliverable, Es) => "cerrada (correo de activación no entregable)",
        (AwaitingReview, It) => "in attesa della Sua verifica",
        (PendingCustomerAcceptance, It) => "in attesa di accettazione da parte del cliente",
        (Active, It) => "attiva",
        (Declined, It) => "rifiutata dal cliente",
        (Expired, It) => "scaduta",
        (Cancelled, It) => "annullata",
        (ReviewExpired, It) => "chiusa (non inviata in tempo)",
        (Undeliverable, It) => "chiusa (e-mail di attivazione non recapitabile)",
        (AwaitingReview, Pt) => "aguardando sua revisão",
        (PendingCustomerAcceptance, Pt) => "aguardando a aceitação do cliente",
        (Active, Pt) => "ativa",
        (Declined, Pt) => "recusada pelo cliente",
        (Expired, Pt) => "expirada",
        (Cancelled, Pt) => "cancelada",
        (ReviewExpired, Pt) => "encerrada (não enviada a tempo)",
        (Undeliverable, Pt) => "encerrada (e-mail de ativação não entregue)",
        (AwaitingReview, Ja) => "ご確認待ち",
        (PendingCustomerAcceptance, Ja) => "お客様の承認待ち",
        (Active, Ja) => "有効",
        (Declined, Ja) => "お客様により拒否",
        (Expired, Ja) => "期限切れ",
        (Cancelled, Ja) => "キャンセル済み",
        (ReviewExpired, Ja) => "終了（期限内に送信されず）",
        (Undeliverable, Ja) => "終了（有効化メールが配信不能）",
        (AwaitingReview, Zh) => "等待您的审核",
        (PendingCustomerAcceptance, Zh) => "等待客户接受",
        (Active, Zh) => "已激活",
        (Declined, Zh) => "已被客户拒绝",
        (Expired, Zh) => "已过期",
        (Cancelled, Zh) => "已取消",
        (ReviewExpired, Zh) => "已关闭（未按时提交）",
        (Undeliverable, Zh) => "已关闭（激活邮件无法送达）",
    }
}

/// A day as each language writes it: "21 February 2027", "21 février 2027",
/// "21. Februar 2027", "21 de febrero de 2027", "21 febbraio 2027", "21 de
/// fevereiro de 2027", "2027年2月21日" (Japanese and Chinese alike); the
/// first of a month in French, Italian and Brazilian Portuguese as an
/// ordinal ("1er mars", "1º marzo", "1º de março").
pub fn date(at: DateTime<Utc>, locale: Locale) -> String {
    let (d, m, y) = (at.day(), at.month0() as usize, at.year());
    match locale {
        Locale::En => format!("{d} {} {y}", MONTHS_EN[m]),
        Locale::Fr if d == 1 => format!("1er {} {y}", MONTHS_FR[m]),
        Locale::Fr => format!("{d} {} {y}", MONTHS_FR[m]),
        Locale::De => format!("{d}. {} {y}", MONTHS_DE[m]),
        Locale::Es => format!("{d} de {} de {y}", MONTHS_ES[m]),
        Locale::It if d == 1 => format!("1º {} {y}", MONTHS_IT[m]),
        Locale::It => format!("{d} {} {y}", MONTHS_IT[m]),
        Locale::Pt if d == 1 => format!("1º de {} de {y}", MONTHS_PT[m]),
        Locale::Pt => format!("{d} de {} de {y}", MONTHS_PT[m]),
        Locale::Ja | Locale::Zh => format!("{y}年{}月{d}日", m + 1),
    }
}

/// A moment as each language writes it: the day, the time of day on the
/// 24-hour clock and the time zone (UTC: the readers are in every zone, and
/// a deadline is to the minute, so the day alone could mislead a reader
/// east or west of it): "7 December 2026 at 23:30 UTC", "7 décembre 2026 à
/// 23:30 UTC", "7. Dezember 2026 um 23:30 Uhr UTC", "7 de diciembre de 2026
/// a las 23:30 UTC", "7 dicembre 2026 alle ore 23:30 UTC", "7 de dezembro de
/// 2026 às 23:30 UTC", "2026年12月7日 23:30（UTC）".
pub fn date_time(at: DateTime<Utc>, locale: Locale) -> String {
    let day = date(at, locale);
    let (h, min) = (at.hour(), at.minute());
    let time = format!("{h:02}:{min:02}");
    match locale {
        Locale::En => format!("{day} at {time} UTC"),
        Locale::Fr => format!("{day} à {time} UTC"),
        Locale::De => format!("{day} um {time} Uhr UTC"),
        // "a la una", "a las dos": the article agrees with the hour.
        Locale::Es if h == 1 => format!("{day} a la {time} UTC"),
        Locale::Es => format!("{day} a las {time} UTC"),
        Locale::It => format!("{day} alle ore {time} UTC"),
        // "à zero hora", "à uma", "às duas".
        Locale::Pt if h <= 1 => format!("{day} à {time} UTC"),
        Locale::Pt => format!("{day} às {time} UTC"),
        Locale::Ja | Locale::Zh => format!("{day} {time}（UTC）"),
    }
}

const MONTHS_EN: [&str; 12] = [
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
const MONTHS_FR: [&str; 12] = [
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
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const MONTHS_PT: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_language_writes_a_day_its_own_way() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 23, 30, 0).unwrap();
        let got: Vec<String> = Locale::ALL.iter().map(|l| date(at, *l)).collect();
        assert_eq!(
            got,
            [
                "7 December 2026",
                "7 décembre 2026",
                "7. Dezember 2026",
                "7 de diciembre de 2026",
                "7 dicembre 2026",
                "7 de dezembro de 2026",
                "2026年12月7日",
                "2026年12月7日",
            ]
        );
    }

    #[test]
    fn each_language_writes_every_month_and_the_first_of_it_its_own_way() {
        let first = |m| Utc.with_ymd_and_hms(2027, m, 1, 0, 0, 0).unwrap();
        assert_eq!(date(first(3), Locale::Fr), "1er mars 2027");
        assert_eq!(date(first(3), Locale::En), "1 March 2027");
        assert_eq!(date(first(3), Locale::De), "1. März 2027");
        assert_eq!(date(first(8), Locale::Fr), "1er août 2027");
        assert_eq!(date(first(2), Locale::Pt), "1º de fevereiro de 2027");
        assert_eq!(date(first(9), Locale::It), "1º settembre 2027");
        assert_eq!(date(first(9), Locale::Es), "1 de septiembre de 2027");
        assert_eq!(date(first(10), Locale::Ja), "2027年10月1日");
        // Every month has its own name in each language, and the names are the language's own.
        for locale in [Locale::En, Locale::Fr, Locale::De, Locale::Es, Locale::It, Locale::Pt] {
            let names: std::collections::BTreeSet<String> = (1..=12).map(|m| date(first(m), locale)).collect();
            assert_eq!(names.len(), 12, "{locale}");
        }
        assert_eq!(date(Utc.with_ymd_and_hms(2027, 5, 31, 12, 0, 0).unwrap(), Locale::Es), "31 de mayo de 2027");
        assert_eq!(date(Utc.with_ymd_and_hms(2027, 3, 2, 12, 0, 0).unwrap(), Locale::De), "2. März 2027");
    }

    #[test]
    fn each_language_writes_a_moment_with_its_time_of_day_on_the_24_hour_clock_and_the_zone() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 23, 30, 59).unwrap();
        let got: Vec<String> = Locale::ALL.iter().map(|l| date_time(at, *l)).collect();
        assert_eq!(
            got,
            [
                "7 December 2026 at 23:30 UTC",
                "7 décembre 2026 à 23:30 UTC",
                "7. Dezember 2026 um 23:30 Uhr UTC",
                "7 de diciembre de 2026 a las 23:30 UTC",
                "7 dicembre 2026 alle ore 23:30 UTC",
                "7 de dezembro de 2026 às 23:30 UTC",
                "2026年12月7日 23:30（UTC）",
                "2026年12月7日 23:30（UTC）",
            ]
        );
        // Hours and minutes take two digits; the article of Spanish and Portuguese agrees with the hour.
        let early = |h| Utc.with_ymd_and_hms(2027, 1, 1, h, 5, 0).unwrap();
        assert_eq!(date_time(early(1), Locale::Es), "1 de enero de 2027 a la 01:05 UTC");
        assert_eq!(date_time(early(0), Locale::Es), "1 de enero de 2027 a las 00:05 UTC");
        assert_eq!(date_time(early(0), Locale::Pt), "1º de janeiro de 2027 à 00:05 UTC");
        assert_eq!(date_time(early(1), Locale::Pt), "1º de janeiro de 2027 à 01:05 UTC");
        assert_eq!(date_time(early(2), Locale::Pt), "1º de janeiro de 2027 às 02:05 UTC");
        assert_eq!(date_time(early(9), Locale::En), "1 January 2027 at 09:05 UTC");
        assert_eq!(date_time(early(9), Locale::Fr), "1er janvier 2027 à 09:05 UTC");
        assert_eq!(date_time(early(13), Locale::Ja), "2027年1月1日 13:05（UTC）");
    }

    #[test]
    fn the_command_words_our_emails_write_are_read_back_as_those_commands() {
        use crate::read::reply::{Command, Words};
        for l in Locale::ALL {
            let w = command_words(l);
            assert_eq!(Words::in_text(w.submit).for_review(), Command::Submit, "{l}");
            assert_eq!(Words::in_text(w.cancel).for_review(), Command::Cancel, "{l}");
            assert_eq!(Words::in_text(w.accept).for_activation(), Command::Accept, "{l}");
            assert_eq!(Words::in_text(w.decline).for_activation(), Command::Decline, "{l}");
        }
    }
}
