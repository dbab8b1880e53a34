//! What the emails' catalogs do not hold: state names (the console shows them too), dates,
//! the command words as the desk writes them (the reader must read them back), and how a
//! value a sender wrote is echoed.
use chrono::{DateTime, Datelike, Utc};

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

/// A day as each language writes it, with its time zone: "21 February 2027
/// (UTC)", "21 février 2027 (UTC)", "21. Februar 2027 (UTC)", "21 de febrero
/// de 2027 (UTC)", "21 febbraio 2027 (UTC)", "21 de fevereiro de 2027 (UTC)",
/// "2027年2月21日 (UTC)", "2027年2月21日（UTC）".
pub fn date(at: DateTime<Utc>, locale: Locale) -> String {
    let (d, m, y) = (at.day(), at.month0() as usize, at.year());
    match locale {
        Locale::En => format!("{d} {} {y} (UTC)", MONTHS_EN[m]),
        Locale::Fr => format!("{d} {} {y} (UTC)", MONTHS_FR[m]),
        Locale::De => format!("{d}. {} {y} (UTC)", MONTHS_DE[m]),
        Locale::Es => format!("{d} de {} de {y} (UTC)", MONTHS_ES[m]),
        Locale::It => format!("{d} {} {y} (UTC)", MONTHS_IT[m]),
        Locale::Pt => format!("{d} de {} de {y} (UTC)", MONTHS_PT[m]),
        Locale::Ja => format!("{y}年{}月{d}日 (UTC)", m + 1),
        Locale::Zh => format!("{y}年{}月{d}日（UTC）", m + 1),
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
                "7 December 2026 (UTC)",
                "7 décembre 2026 (UTC)",
                "7. Dezember 2026 (UTC)",
                "7 de diciembre de 2026 (UTC)",
                "7 dicembre 2026 (UTC)",
                "7 de dezembro de 2026 (UTC)",
                "2026年12月7日 (UTC)",
                "2026年12月7日（UTC）",
            ]
        );
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
