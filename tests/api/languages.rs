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

/// A message of the desk's own catalog of `code` (templates/catalogs), up to its first
/// variable: what an email in that language says, and never what the English one says.
fn catalog(code: &str, id: &str) -> String {
    let read = |code: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/catalogs/{code}.ftl"));
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines().skip_while(|l| l.split('=').next().map(str::trim) != Some(id));
        let first = lines.next().unwrap_or_else(|| panic!("{code}: no {id}"));
        // The message: the rest of its line, then its indented lines.
        let mut value = first.split_once('=').unwrap().1.trim().to_string();
        for more in lines.take_while(|l| l.starts_with(' ')) {
            value = format!("{value} {}", more.trim());
        }
        value.split('{').next().unwrap().trim().to_string()
    };
    let (own, english) = (read(code), read("en"));
    assert!(!own.is_empty(), "{code}: {id} opens with a variable");
    if code != "en" {
        assert_ne!(own, english, "{code}: {id} is not translated");
    }
    own
}

/// Text without its whitespace: a wrapped line may break a date anywhere a space is, and
/// Japanese and Chinese between any two characters.
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn locale(code: &str) -> smartacct::domain::Locale {
    smartacct::domain::Locale::parse(code).unwrap()
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
        // The deadline as the language writes it (i18n's unit tests hold each format).
        let deadline = smartacct::i18n::date_time(r.expires_at.unwrap(), locale(l.code));
        for word in [l.accept_word, &deadline, "Note 1"] {
            assert!(
                flat(&activation.text).contains(&flat(word)),
                "{}: the activation lacks {word}:\n{}",
                l.code,
                activation.text
            );
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
        assert!(access.subject.starts_with(&catalog(l.code, "user-access-subject")), "{}: {}", l.code, access.subject);
        // The partner: the review, the request complete, the confirmation; the customer: the
        // activation and the acknowledgement. Each in the request's language.
        let partner = inbox_exactly(&p.partner, 3).await;
        let customer = inbox_exactly(&p.customer, 2).await;
        for (mails, id) in [
            (&partner, "request-complete-subject"),
            (&partner, "activated-partner-subject"),
            (&customer, "activated-customer-subject"),
        ] {
            let subject = catalog(l.code, id);
            let mail = mails.iter().find(|m| m.subject.starts_with(&subject));
            let mail = mail.unwrap_or_else(|| {
                panic!("{}: no {id} ({subject}) in {:?}", l.code, mails.iter().map(|m| &m.subject).collect::<Vec<_>>())
            });
            assert!(mail.subject.contains(r.reference.as_str()), "{}: {}", l.code, mail.subject);
            assert!(mail.header("Content-Language").unwrap().starts_with(l.code), "{}: {id}", l.code);
            assert!(mail.text.contains(&catalog(l.code, "automatic")), "{}: {id}:\n{}", l.code, mail.text);
        }
        let complete = partner.iter().find(|m| m.subject.starts_with(&catalog(l.code, "request-complete-subject")));
        let deadline = smartacct::i18n::date_time(r.expires_at.unwrap(), locale(l.code));
        assert!(flat(&complete.unwrap().text).contains(&flat(&deadline)), "{}: the deadline {deadline}", l.code);
    }
}

/// The rest of the workflow in each language: the reminders before the deadline and the
/// expiry after it, each email in the request's language with the deadline as that
/// language writes it, and the customer's answer to a reminder read in that language.
#[tokio::test]
async fn reminders_and_expiry_reach_the_customer_and_the_partner_in_each_language() {
    let desk = TestDesk::with(DeskOptions { review: false, ..Default::default() }).await;
    let people: Vec<People> = LANGUAGES.iter().map(|_| People::new()).collect();
    let address = desk.address.as_str();
    join_all(LANGUAGES.iter().zip(&people).map(|(l, p)| async move {
        Outgoing::text(&p.partner, address, "Smart Account", &form(l, p)).send().await;
    }))
    .await;
    desk.poll(LANGUAGES.len()).await;
    let requests = desk.requests().await;
    let request = |p: &People| requests.iter().find(|r| r.customer_email.as_str() == p.customer).unwrap().clone();
    let last = requests.iter().filter_map(|r| r.expires_at).max().unwrap();
    let first = requests.iter().filter_map(|r| r.expires_at).min().unwrap();
    assert!(last - first < chrono::Duration::days(1), "one poll submitted them all");

    // Seven days before the deadline: one reminder each, in the request's language.
    let report = desk.sweep(last - chrono::Duration::days(7) + chrono::Duration::minutes(1)).await;
    assert_eq!(report.reminded, LANGUAGES.len());
    let mut reminders = Vec::new();
    for (l, p) in LANGUAGES.iter().zip(&people) {
        let r = request(p);
        assert_eq!(r.locale.as_str(), l.code);
        let customer = inbox_exactly(&p.customer, 2).await;
        let subject = catalog(l.code, "reminder-subject");
        let reminder = customer.iter().find(|m| m.subject.starts_with(&subject)).unwrap_or_else(|| {
            panic!(
                "{}: no reminder ({subject}) in {:?}",
                l.code,
                customer.iter().map(|m| &m.subject).collect::<Vec<_>>()
            )
        });
        let activation = customer.iter().find(|m| m.subject.starts_with(&catalog(l.code, "activation-subject")));
        assert_eq!(
            reminder.reply_to,
            activation.unwrap().reply_to,
            "{}: the reminder answers as the activation",
            l.code
        );
        assert!(reminder.header("Content-Language").unwrap().starts_with(l.code));
        let deadline = smartacct::i18n::date_time(r.expires_at.unwrap(), locale(l.code));
        let text = flat(&reminder.text);
        for what in [flat(&deadline), flat(&catalog(l.code, "reminder-intro")), l.accept_word.to_string()] {
            assert!(text.contains(&what), "{}: the reminder lacks {what}:\n{}", l.code, reminder.text);
        }
        assert!(flat(&reminder.html).contains(&flat(&deadline)), "{}: the HTML reminder's deadline", l.code);
        reminders.push(reminder.clone());
    }

    // The first customer answers the reminder in their language; the others let it expire.
    let (l0, p0) = (&LANGUAGES[0], &people[0]);
    reminders[0].send_reply(&p0.customer, l0.accept_answer).await;
    desk.poll(LANGUAGES.len() + 1).await;
    let accepted = desk.requests().await.into_iter().find(|r| r.customer_email.as_str() == p0.customer).unwrap();
    assert_eq!(accepted.state, State::Active, "{}: {} answers the reminder", l0.code, l0.accept_answer);

    let report = desk.sweep(last + chrono::Duration::hours(1)).await;
    assert_eq!(report.expired, LANGUAGES.len() - 1);
    for (l, p) in LANGUAGES.iter().zip(&people).skip(1) {
        let r = request(p);
        let after = desk.requests().await.into_iter().find(|x| x.id == r.id).unwrap();
        assert_eq!(after.state, State::Expired, "{}", l.code);
        let deadline = flat(&smartacct::i18n::date_time(r.expires_at.unwrap(), locale(l.code)));
        let subject = catalog(l.code, "expired-subject");
        for (who, n, intro) in
            [(&p.customer, 3, "expired-customer-nothing"), (&p.partner, 2, "expired-partner-nothing")]
        {
            let mails = inbox_exactly(who, n).await;
            let notice = mails.iter().find(|m| m.subject.starts_with(&subject)).unwrap_or_else(|| {
                panic!(
                    "{}: no expiry notice ({subject}) in {:?}",
                    l.code,
                    mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
                )
            });
            assert!(notice.subject.contains(r.reference.as_str()));
            assert!(notice.header("Content-Language").unwrap().starts_with(l.code));
            let text = flat(&notice.text);
            assert!(text.contains(&deadline), "{}: the notice gives the deadline:\n{}", l.code, notice.text);
            assert!(text.contains(&flat(&catalog(l.code, intro))), "{}: {intro}:\n{}", l.code, notice.text);
        }
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

/// A mail that names no request is answered in the language its sender writes, told as the
/// help email tells it (the labels, the command words, the script, the client's
/// Content-Language); when nothing tells, in the desk's default language, as before.
#[tokio::test]
async fn answers_to_mail_that_names_no_request_are_in_the_language_the_sender_writes() {
    let desk = TestDesk::spawn().await;
    let address = desk.address.as_str();
    let (de, ja, pt, it, es, plain) =
        (People::new(), People::new(), People::new(), People::new(), People::new(), People::new());
    // Someone not among the partners: a form with German labels; an answer in Japanese that
    // names no request; English words from a client that says Brazilian Portuguese.
    Outgoing::text(&de.stranger, address, "Smart Account", &form(&LANGUAGES[0], &de)).send().await;
    Outgoing::text(&ja.stranger, address, "Smart Account", "はい、承認します。").send().await;
    Outgoing::text(&pt.stranger, address, "Smart Account", "Hello, can you help?")
        .header("Content-Language", "pt-BR")
        .send()
        .await;
    // A partner: an Italian answer naming a request that does not exist; a Spanish mail
    // without a form.
    Outgoing::text(&it.partner, address, "Re: [SA-7K3QX9PD] Attivi il Suo Smart Account", "Sì, accetto").send().await;
    Outgoing::text(&es.partner, address, "Smart Account", "Hola, necesitamos una cuenta para Acme.")
        .header("Content-Language", "es-ES")
        .send()
        .await;
    // Nothing tells.
    Outgoing::text(&plain.stranger, address, "Smart Account", "Hello, I would like an account.").send().await;
    desk.poll(6).await;
    assert!(desk.requests().await.is_empty(), "nothing is created");

    for (who, code, subject, says) in [
        (&de.stranger, "de", "not-authorized-subject", "nothing-created-or-changed"),
        (&ja.stranger, "ja", "not-authorized-subject", "nothing-created-or-changed"),
        (&pt.stranger, "pt", "not-authorized-subject", "nothing-created-or-changed"),
        (&it.partner, "it", "unmatched-subject", "nothing-changed"),
        (&es.partner, "es", "request-invalid-subject", "request-invalid-nothing"),
        (&plain.stranger, "en", "not-authorized-subject", "nothing-created-or-changed"),
    ] {
        let answer = inbox_exactly(who, 1).await.remove(0);
        let subject = catalog(code, subject);
        assert!(answer.subject.starts_with(&subject), "{code}: {} is not {subject}", answer.subject);
        assert!(answer.header("Content-Language").unwrap().starts_with(code), "{code}");
        let says = catalog(code, says);
        assert!(flat(&answer.text).contains(&flat(&says)), "{code}: the answer lacks {says}:\n{}", answer.text);
        assert!(answer.html.contains(&format!("lang=\"{code}")), "{code}: {}", answer.html);
    }
    // The reference that names no request is said back.
    let unmatched = inbox_exactly(&it.partner, 1).await.remove(0);
    assert!(unmatched.text.contains("SA-7K3QX9PD") && unmatched.html.contains("SA-7K3QX9PD"), "{}", unmatched.text);
}
