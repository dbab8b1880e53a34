//! Property tests over the pure readers and the workflow with arbitrary and
//! MIME-shaped input: never a panic, output bounded by input. A fixed budget
//! runs in CI; for a longer run: `PROPTEST_CASES=200000 cargo test --release --test api fuzz`.
use proptest::prelude::*;
use smartacct::configuration::Settings;
use smartacct::decide::{Env, Inbound, Known, decide};
use smartacct::domain::{EmailAddress, Reference};
use smartacct::read::{form, html, reply};

fn settings() -> Settings {
    let t: toml::Table = r#"
[mailbox]
address = "desk@example.test"
[imap]
host = "127.0.0.1"
username = "desk@example.test"
password = "x"
[smtp]
host = "127.0.0.1"
[partners]
allow = ["*@partner.test"]
"#
    .parse()
    .unwrap();
    Settings::from_table(&t, &|_| None).unwrap()
}

/// Reads and decides one message; the workflow must answer every input without panicking.
fn run(raw: &[u8]) {
    let s = settings();
    let inbound = Inbound::read(raw, &s.mailbox.address);
    assert!(inbound.mail.body.len() <= raw.len() * 4 + 64, "body grew out of proportion");
    let env = Env { settings: &s, now: chrono::Utc::now(), new_reference: Reference::generate() };
    let d = decide(&inbound, &Known::default(), &env);
    assert!(d.emails.len() <= 2);
}

fn text() -> impl Strategy<Value = String> {
    // Pieces that matter to the readers, mixed with anything at all.
    let piece = prop_oneof![
        Just("Account name: ".to_string()),
        Just("Customer email: ".to_string()),
        Just("Account domain = ".to_string()),
        Just("User emails:".to_string()),
        Just("Nom du compte\u{a0}: ".to_string()),
        Just("Remarque à l’intention des utilisateurs ajoutés : ".to_string()),
        Just("ACCEPT ".to_string()),
        Just("décliner REFUSER ".to_string()),
        Just("> ".to_string()),
        Just("On Mon, 23 Nov 2026, Desk wrote:\n".to_string()),
        Just("De : Desk\nEnvoyé : lundi\n".to_string()),
        Just("-- \n".to_string()),
        Just("<div>".to_string()),
        Just("</div><br>".to_string()),
        Just("<blockquote>".to_string()),
        Just("&amp;&#x1F600;&nbsp;&bogus;".to_string()),
        Just("a@b.test, c@d.test; ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn encode(body: &str, how: u8) -> (String, String) {
    match how % 4 {
        0 => ("8bit".into(), body.to_string()),
        1 => {
            let mut out = String::new();
            for b in body.bytes() {
                if b.is_ascii_alphanumeric() || b == b' ' || b == b'\n' {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("={b:02X}"));
                }
            }
            ("quoted-printable".into(), out.replace('\n', "=\n\n"))
        }
        2 => ("base64".into(), body.bytes().map(|b| format!("{b:02x}")).collect()), // deliberately not base64
        _ => ("base64".into(), crate::helpers::base64(body.as_bytes())),
    }
}

prop_compose! {
    fn mime()(
        from in prop_oneof![Just("p@partner.test".to_string()), Just("\"Odd, Name\" <x@customer.test>".to_string()), any::<String>()],
        subject in text(),
        ctype in 0u8..6,
        enc1 in any::<u8>(),
        enc2 in any::<u8>(),
        body1 in text(),
        body2 in text(),
        extra in prop::collection::vec((prop_oneof![Just("In-Reply-To"), Just("References"), Just("Delivered-To"), Just("Auto-Submitted"), Just("Content-Type")], text()), 0..4),
    ) -> Vec<u8> {
        let (e1, b1) = encode(&body1, enc1);
        let (e2, b2) = encode(&body2, enc2);
        let mut m = format!("From: {from}\r\nTo: desk+act-abcdefghijklmnopqrstuvwxyz@example.test\r\nSubject: {subject}\r\nMessage-ID: <{}@x>\r\nMIME-Version: 1.0\r\n", subject.len());
        for (k, v) in extra {
            m.push_str(&format!("{k}: {v}\r\n"));
        }
        match ctype {
            0 => m.push_str(&format!("Content-Type: text/plain; charset=utf-8; format=flowed\r\nContent-Transfer-Encoding: {e1}\r\n\r\n{b1}")),
            1 => m.push_str(&format!("Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: {e1}\r\n\r\n{b1}")),
            2 => m.push_str(&format!("Content-Type: multipart/alternative; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: {e1}\r\n\r\n{b1}\r\n--zz\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: {e2}\r\n\r\n{b2}\r\n--zz--\r\n")),
            3 => m.push_str(&format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n{b1}\r\n\r\n--r\r\nContent-Type: message/rfc822\r\n\r\n{b2}\r\n--r--\r\n")),
            4 => m.push_str(&format!("Content-Type: multipart/mixed; boundary=\"{}\"\r\n\r\n--x\r\n{b1}\r\n--x--", body2.chars().take(5).collect::<String>())),
            _ => m.push_str(&format!("\r\n{b1}")),
        }
        m.into_bytes()
    }
}

proptest! {
    // 1,500 cases each in CI; PROPTEST_CASES sets more for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(raw in prop::collection::vec(any::<u8>(), 0..4000)) {
        run(&raw);
    }

    #[test]
    fn mime_shaped_mail_never_panics(raw in mime()) {
        run(&raw);
    }

    #[test]
    fn the_form_reader_takes_any_text(body in text()) {
        let raw = form::scan(&body);
        let _ = form::validate(&raw, smartacct::domain::Locale::En);
        for v in raw.values.values() {
            prop_assert!(v.len() <= body.len());
        }
    }

    #[test]
    fn the_reply_and_html_readers_take_any_text(body in text()) {
        prop_assert!(reply::own_text(&body).len() <= body.len());
        let _ = reply::Words::read(&body);
        let t = html::to_text(&body);
        prop_assert!(t.len() <= body.len() * 4 + 64, "{} -> {}", body.len(), t.len());
    }

    #[test]
    fn addresses_and_domains_never_panic(s in any::<String>()) {
        let _ = EmailAddress::parse(&s);
        let _ = smartacct::domain::AccountDomain::parse(&s);
        let _ = Reference::find_in(&s);
    }
}
