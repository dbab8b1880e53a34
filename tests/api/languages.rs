//! Partners and customers in their own language, through the real stack: a form with SPEC §3's
//! labels of each third-release language, the review, SUBMIT and ACCEPT in that language's words,
//! every email in that language; the help email in the language the sender writes.
use futures::future::join_all;
use smartacct::domain::State;

use crate::helpers::*;

/// One language of SPEC §3's third release: its code, the form's labels
/// (account name, customer email, account domain, note to customer, user
/// emails, note to users, language), the words the desk writes (submit,
/// accept) and words a person answers with, and what its emails must say.
struct Language {
    code: &'static str,
    labels: [&'static str; 7],
    colon: &'static str,
    submit_word: &'static str,
    accept_word: &'static str,
    submit_answer: &'static str,
    accept_answer: &'static str,
    /// The review's subject starts so.
    review_subject: &'static str,
    /// A day as the language writes it, from the activation's deadline (year, month, day).
    date: fn(i32, u32, u32) -> String,
}

const LANGUAGES: [Language; 6] = [
    Language {
        code: "de",
        labels: [
            "Kontoname",
            "E-Mail des Kunden",
            "Kontodomäne",
            "Hinweis für den Kunden",
            "E-Mails der Benutzer",
            "Hinweis für die Benutzer",
            "Sprache",
        ],
        colon: ":",
        submit_word: "SENDEN",
        accept_word: "AKZEPTIEREN",
        submit_answer: "Bitte senden, danke.",
        accept_answer: "Ja, ich akzeptiere.",
        review_subject: "Prüfen Sie Ihre Anfrage",
        date: |y, m, d| {
            let months = [
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
            format!("{d}. {} {y}", months[m as usize - 1])
        },
    },
    Language {
        code: "es",
        labels: [
            "Nombre de la cuenta",
            "Correo electrónico del cliente",
            "Dominio de la cuenta",
            "Nota para el cliente",
            "Correos electrónicos de los usuarios",
            "Nota para los usuarios",
            "Idioma",
        ],
        colon: ":",
        submit_word: "ENVIAR",
        accept_word: "ACEPTAR",
        submit_answer: "ENVIAR",
        accept_answer: "Sí, acepto.",
        review_subject: "Revise su solicitud",
        date: |y, m, d| {
            let months = [
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
            format!("{d} de {} de {y}", months[m as usize - 1])
        },
    },
    Language {
        code: "it",
        labels: [
            "Nome dell'account",
            "E-mail del cliente",
            "Dominio dell'account",
            "Nota per il cliente",
            "E-mail degli utenti",
            "Nota per gli utenti",
            "Lingua",
        ],
        colon: ":",
        submit_word: "INVIA",
        accept_word: "ACCETTA",
        submit_answer: "INVIA",
        accept_answer: "Sì, accetto",
        review_subject: "Verifichi la Sua richiesta",
        date: |y, m, d| {
            let months = [
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
            format!("{d} {} {y}", months[m as usize - 1])
        },
    },
    Language {
        code: "pt",
        labels: [
            "Nome da conta",
            "E-mail do cliente",
            "Domínio da conta",
            "Nota para o cliente",
            "E-mails dos usuários",
            "Nota para os usuários",
            "Idioma",
        ],
        colon: ":",
        submit_word: "ENVIAR",
        accept_word: "ACEITAR",
        submit_answer: "Enviar, obrigado.",
        accept_answer: "ACEITAR",
        review_subject: "Revise sua solicitação",
        date: |y, m, d| {
            let months = [
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
            format!("{d} de {} de {y}", months[m as usize - 1])
        },
    },
    Language {
        code: "ja",
        labels: [
            "アカウント名",
            "顧客のメールアドレス",
            "アカウントドメイン",
            "顧客へのメモ",
            "ユーザーのメールアドレス",
            "ユーザーへのメモ",
            "言語",
        ],
        colon: "：",
        submit_word: "送信",
        accept_word: "承認",
        submit_answer: "送信してください。",
        accept_answer: "はい、承認します。",
        review_subject: "リクエスト内容のご確認",
        date: |y, m, d| format!("{y}年{m}月{d}日"),
    },
    Language {
        code: "zh",
        labels: ["帐户名称", "客户电子邮件", "帐户域", "给客户的备注", "用户电子邮件", "给用户的备注", "语言"],
        colon: "：",
        submit_word: "提交",
        accept_word: "接受",
        submit_answer: "提交",
        accept_answer: "好的，我接受。",
        review_subject: "请核对您的申请",
        date: |y, m, d| format!("{y}年{m}月{d}日"),
    },
];

fn form(l: &Language, p: &People) -> String {
    let values = [
        "Acme 国際 GmbH".to_string(),
        p.customer.clone(),
        p.domain.clone(),
        "Note 1".to_string(),
        p.user1.clone(),
        "Note 2".to_string(),
        l.code.to_string(),
    ];
    let lines: Vec<String> = l.labels.iter().zip(&values).map(|(label, v)| format!("{label}{} {v}", l.colon)).collect();
    format!("{}\n", lines.join("\n"))
}

#[tokio::test]
async fn a_form_in_each_language_is_reviewed_submitted_and_accepted_in_that_language() {
    let desk = TestDesk::spawn().await;
    let people: Vec<People> = LANGUAGES.iter().map(|_| People::new()).collect();
    let address = desk.address.as_str();
    join_all(LANGUAGES.iter().zip(&people).map(|(l, p)| async move {
        let form = form(l, p);
        Outgoing::text(&p.partner, address, "Smart Account", &form).send().await;
    }))
    .await;
    desk.poll(LANGUAGES.len()).await;

    let reviews = join_all(people.iter().map(|p| async move { inbox_exactly(&p.partner, 1).await.remove(0) })).await;
    for ((l, p), review) in LANGUAGES.iter().zip(&people).zip(&reviews) {
        let r = desk.requests().await.into_iter().find(|r| r.customer_email.as_str() == p.customer).unwrap();
        assert_eq!(r.locale.as_str(), l.code);
        assert_eq!(r.account_name, "Acme 国際 GmbH");
        assert!(review.subject.starts_with(l.review_subject), "{}: {}", l.code, review.subject);
        let tag = review.header("Content-Language").unwrap();
        assert!(tag.starts_with(l.code), "{}: Content-Language {tag}", l.code);
        for word in [l.submit_word, l.labels[0], l.labels[1], &p.customer, "Note 1"] {
            assert!(review.text.contains(word), "{}: the review lacks {word}:\n{}", l.code, review.text);
        }
        assert!(review.html.contains(&format!("lang=\"{}", l.code)), "{}: {}", l.code, review.html);
    }

    join_all(LANGUAGES.iter().zip(&people).zip(&reviews).map(|((l, p), review)| async move {
        review.send_reply(&p.partner, l.submit_answer).await;
    }))
    .await;
    desk.poll(2 * LANGUAGES.len()).await;

    let activations =
        join_all(people.iter().map(|p| async move { inbox_exactly(&p.customer, 1).await.remove(0) })).await;
    for ((l, p), activation) in LANGUAGES.iter().zip(&people).zip(&activations) {
        let r = desk.requests().await.into_iter().find(|r| r.customer_email.as_str() == p.customer).unwrap();
        assert_eq!(r.state, State::PendingCustomerAcceptance, "{}: {} submits", l.code, l.submit_answer);
        let expires = r.expires_at.unwrap();
        use chrono::Datelike;
        let date = (l.date)(expires.year(), expires.month(), expires.day());
        for word in [l.accept_word, &date, "Note 1"] {
            assert!(activation.text.contains(word), "{}: the activation lacks {word}:\n{}", l.code, activation.text);
        }
    }

    join_all(LANGUAGES.iter().zip(&people).zip(&activations).map(|((l, p), activation)| async move {
        activation.send_reply(&p.customer, l.accept_answer).await;
    }))
    .await;
    desk.poll(3 * LANGUAGES.len()).await;

    for (l, p) in LANGUAGES.iter().zip(&people) {
        let r = desk.requests().await.into_iter().find(|r| r.customer_email.as_str() == p.customer).unwrap();
        assert_eq!(r.state, State::Active, "{}: {} accepts", l.code, l.accept_answer);
        let access = inbox_exactly(&p.user1, 1).await.remove(0);
        assert!(access.text.contains("Note 2"), "{}: the user's email has the note: {}", l.code, access.text);
        assert!(access.header("Content-Language").unwrap().starts_with(l.code));
    }
}

#[tokio::test]
async fn the_help_email_is_in_the_language_the_sender_writes_then_in_english() {
    let desk = TestDesk::spawn().await;
    let (de, ja, plain) = (People::new(), People::new(), People::new());
    Outgoing::text(&de.partner, &desk.address, "Hilfe", "").send().await;
    Outgoing::text(&ja.partner, &desk.address, "help", "").header("Content-Language", "ja-JP").send().await;
    Outgoing::text(&plain.partner, &desk.address, "help", "").send().await;
    desk.poll(3).await;

    let help = inbox_exactly(&de.partner, 1).await.remove(0);
    assert!(help.subject.starts_with("Formular für Smart-Account-Anfragen"), "{}", help.subject);
    let (german, english) = (help.text.find("Kontoname:").unwrap(), help.text.find("Account name:").unwrap());
    assert!(german < english, "German first, then English:\n{}", help.text);
    assert!(help.text.contains("Sprache: de"), "{}", help.text);

    let help = inbox_exactly(&ja.partner, 1).await.remove(0);
    assert!(help.text.contains("アカウント名：") && help.text.contains("Account name:"), "{}", help.text);
    assert!(help.header("Content-Language").unwrap().starts_with("ja"));

    // Nothing tells: English and French, as before.
    let help = inbox_exactly(&plain.partner, 1).await.remove(0);
    assert!(help.text.contains("Account name:") && help.text.contains("Nom du compte :"), "{}", help.text);
}
