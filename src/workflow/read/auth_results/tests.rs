//! The reader on hand-made headers, on headers copied from real servers (tests/fixtures/auth-results), and fuzzed.
use proptest::prelude::*;

use super::*;

const OURS: &str = "mx.example.test";

fn ours() -> TrustedServer {
    TrustedServer::Id(OURS.into())
}

/// The verdict on `Authentication-Results` headers (topmost first) and nothing else.
fn verdict(values: &[&str]) -> DmarcVerdict {
    DmarcVerdict::read(values.iter().map(|v| ("Authentication-Results", *v)), Some(&ours()))
}

fn checked(result: Dmarc) -> DmarcVerdict {
    DmarcVerdict::Checked { result, by: OURS.into() }
}

fn unreadable(v: &DmarcVerdict) -> bool {
    matches!(v, DmarcVerdict::Unreadable { .. })
}

#[test]
fn a_plain_result_of_our_server_is_read() {
    assert_eq!(verdict(&["mx.example.test; dmarc=fail header.from=partner.test"]), checked(Dmarc::Fail));
    assert_eq!(verdict(&["MX.Example.Test; DMARC=Pass header.from=partner.test"]), checked(Dmarc::Pass));
    assert_eq!(verdict(&["mx.example.test 1; spf=pass smtp.mailfrom=a@b; dmarc=none"]), checked(Dmarc::None));
}

#[test]
fn headers_of_other_servers_are_ignored_whatever_they_say() {
    assert_eq!(verdict(&["evil.test; dmarc=pass", "mx.example.test; dmarc=fail"]), checked(Dmarc::Fail));
    let v = verdict(&["mx.example.test.evil.test; dmarc=fail"]);
    assert!(matches!(v, DmarcVerdict::NoResult { .. }), "{v:?}");
}

#[test]
fn our_block_is_the_topmost_header_of_ours_and_those_of_ours_right_below_it() {
    // OpenDKIM and OpenDMARC each write one, one above the other.
    let v = verdict(&["mx.example.test; dkim=pass header.d=partner.test", "mx.example.test; dmarc=pass header.from=x"]);
    assert_eq!(v, checked(Dmarc::Pass));
    // A fail in the block wins over a pass in it.
    assert_eq!(verdict(&["mx.example.test; dmarc=fail", "mx.example.test; dmarc=pass"]), checked(Dmarc::Fail));
    // Below another header (the sender's, under our server's Received), a header with our id has no say.
    let headers = [
        ("Authentication-Results", "mx.example.test; spf=pass smtp.mailfrom=x@y"),
        ("Received", "from x by mx.example.test"),
        ("Authentication-Results", "mx.example.test; dmarc=pass"),
    ];
    let v = DmarcVerdict::read(headers, Some(&ours()));
    assert!(matches!(v, DmarcVerdict::NoResult { .. }), "{v:?}");
}

#[test]
fn comments_are_not_results() {
    let v = verdict(&["mx.example.test (dmarc=pass; no really) ; dmarc=pass (p=reject dis=none) header.from=x"]);
    assert_eq!(v, checked(Dmarc::Pass));
    assert_eq!(verdict(&["mx.example.test; dmarc=(nested (comment)) fail header.from=x"]), checked(Dmarc::Fail));
    assert_eq!(verdict(&["(a comment first) mx.example.test; dmarc = fail"]), checked(Dmarc::Fail));
}

#[test]
fn quoted_strings_may_hold_semicolons_and_parentheses() {
    let v = verdict(&["mx.example.test; dkim=pass header.b=\"a;(b\"; dmarc=pass header.from=x"]);
    assert_eq!(v, checked(Dmarc::Pass));
}

#[test]
fn a_quoted_local_part_holding_parentheses_or_quotes_never_hides_our_fail() {
    // The findings: inside the comment (as Gmail and rspamd write it), and outside.
    for local in ["\"a)b\"", "\"a(b\"", "\"a\\\"b\"", "\"(\"", "\")\"", "\"a)(b\"", "\"\\\\\""] {
        let inside = format!(
            "mx.example.test; spf=pass (mx.example.test: domain of {local}@evil.test designates 192.0.2.1 as permitted sender) smtp.mailfrom={local}@evil.test; dmarc=fail (p=reject) header.from=partner.test"
        );
        let v = verdict(&[&inside]);
        assert!(v.failed(), "{inside}: {v:?}");
    }
    // Unquoted, as a careless server might write it: unreadable or fail, never "no result".
    for local in ["a)b", "a(b", "a\"b", "(", "\""] {
        let h = format!("mx.example.test; spf=pass smtp.mailfrom={local}@evil.test; dmarc=fail header.from=p.test");
        assert!(verdict(&[&h]).failed(), "{h}");
    }
}

#[test]
fn a_trusted_header_that_cannot_be_read_is_a_fail() {
    for h in [
        "mx.example.test; spf=pass smtp.mailfrom=\"unterminated@x; dmarc=pass",
        "mx.example.test; dmarc=pass (unclosed comment",
        "mx.example.test; dmarc",
        "mx.example.test; =pass",
        "mx.example.test dmarc=pass",
        "mx.example.test; dmarc; spf=pass",
    ] {
        let v = verdict(&[h]);
        assert!(unreadable(&v) && v.failed(), "{h}: {v:?}");
        assert!(v.describe().contains("counted as dmarc=fail"), "{}", v.describe());
    }
    // Not ours at all: another server's unreadable header changes nothing.
    assert!(matches!(verdict(&["other.test; dmarc=(("]), DmarcVerdict::NoResult { .. }));
}

#[test]
fn folded_headers_versions_and_several_results_read_as_one() {
    let v = verdict(&[
        "mx.example.test;\r\n\tspf=pass smtp.mailfrom=a@partner.test;\r\n\tdkim=pass header.d=partner.test;\r\n\tdmarc=pass header.from=partner.test",
    ]);
    assert_eq!(v, checked(Dmarc::Pass));
    let v = verdict(&["mx.example.test; dmarc=pass header.from=a.test; dmarc=fail header.from=b.test"]);
    assert_eq!(v, checked(Dmarc::Fail), "a fail among several results wins");
    assert_eq!(verdict(&["mx.example.test; dmarc/1=temperror"]), checked(Dmarc::Other("temperror".into())));
    assert_eq!(verdict(&["mx.example.test; dmarc/1 = fail"]), checked(Dmarc::Fail));
}

#[test]
fn microsoft_365_is_trusted_in_its_own_form_and_only_topmost() {
    let ms = |values: &[&str]| {
        DmarcVerdict::read(values.iter().map(|v| ("Authentication-Results", *v)), Some(&TrustedServer::Microsoft365))
    };
    let by = || "Microsoft 365".to_string();
    let pass = "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=contoso.com; dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100";
    assert_eq!(ms(&[pass]), DmarcVerdict::Checked { result: Dmarc::Pass, by: by() });
    let fail = "spf=fail (sender IP is 192.0.2.1) smtp.mailfrom=contoso.com; dkim=none (message not signed) header.d=none;dmarc=fail action=oreject header.from=contoso.com;compauth=fail reason=000";
    assert_eq!(
        ms(&[fail, pass]),
        DmarcVerdict::Checked { result: Dmarc::Fail, by: by() },
        "the sender's below has no say"
    );
    let guess =
        "spf=pass smtp.mailfrom=c.test; dkim=none header.d=none;dmarc=bestguesspass action=none header.from=c.test;";
    assert_eq!(ms(&[guess]), DmarcVerdict::Checked { result: Dmarc::Other("bestguesspass".into()), by: by() });
    // A topmost header with an authserv-id is another server's: Microsoft wrote none.
    assert!(matches!(ms(&["evil.test; dmarc=pass", pass]), DmarcVerdict::NoResult { .. }));
}

#[test]
fn a_pass_needs_every_result_in_our_block_to_pass() {
    assert_eq!(verdict(&["mx.example.test; dmarc=none; dmarc=pass"]), checked(Dmarc::None));
    assert!(!verdict(&["mx.example.test; dmarc=pass", "mx.example.test; dmarc=temperror"]).passed());
    assert_eq!(verdict(&["mx.example.test; dmarc=pass; dmarc=pass"]), checked(Dmarc::Pass));
}

#[test]
fn a_result_for_another_domain_than_the_from_is_a_fail() {
    let read =
        |h: &str, from: &str| DmarcVerdict::read_for([("Authentication-Results", h)], Some(&ours()), Some(from)).0;
    assert_eq!(read("mx.example.test; dmarc=pass header.from=evil.test", "partner.test"), checked(Dmarc::Fail));
    assert_eq!(read("mx.example.test; dmarc=pass header.from=partner.test", "partner.test"), checked(Dmarc::Pass));
    // rspamd names the organizational domain.
    assert_eq!(read("mx.example.test; dmarc=pass header.from=qualcomm.com", "oss.qualcomm.com"), checked(Dmarc::Pass));
}

#[test]
fn spf_proves_an_envelope_only_by_one_plain_pass_of_ours() {
    let spf =
        |h: &[&str]| DmarcVerdict::read_for(h.iter().map(|v| ("Authentication-Results", *v)), Some(&ours()), None).1;
    assert_eq!(spf(&["mx.example.test; spf=pass smtp.mailfrom=a@b.test; dmarc=fail"]).as_deref(), Some("a@b.test"));
    // Our fail, then a pass text the sender slipped in: no proof.
    assert_eq!(
        spf(&["mx.example.test; spf=fail smtp.mailfrom=a@b.test", "mx.example.test; spf=pass smtp.mailfrom=a@b.test"]),
        None
    );
    assert_eq!(spf(&["mx.example.test; spf=pass smtp.mailfrom=a@b.test; spf=pass smtp.mailfrom=c@d.test"]), None);
    assert_eq!(spf(&["mx.example.test; spf=softfail smtp.mailfrom=a@b.test"]), None);
}

#[test]
fn a_senders_header_below_our_servers_received_is_never_ours_even_when_ours_wrote_none() {
    let headers = [
        ("Received", "from mx.example.test by vm with LMTP"),
        ("Received", "from evil.test (evil.test [192.0.2.1]) by mx.example.test (Postfix) with ESMTP id 1"),
        ("Authentication-Results", "mx.example.test; dmarc=pass header.from=partner.test"),
    ];
    let v = DmarcVerdict::read(headers, Some(&ours()));
    assert!(matches!(v, DmarcVerdict::NoResult { .. }), "{v:?}");
}

#[test]
fn without_a_trusted_server_nothing_is_read() {
    let v = DmarcVerdict::read([("Authentication-Results", "mx.example.test; dmarc=fail")], None);
    assert_eq!(v, DmarcVerdict::NotChecked);
}

#[test]
fn hostile_input_never_panics() {
    for h in
        ["", ";", "\"", "(", ")", "\\", "x; dmarc", "x; =", "x; dmarc=", "é; dmarc=fail", "\"unterminated; dmarc=fail"]
    {
        let _ = verdict(&[h]);
    }
    assert_eq!(verdict(&["\"mx.example.test\"; dmarc=fail"]), checked(Dmarc::Fail));
}

/// One fixture of tests/fixtures/auth-results: a header copied from a real server, with what it says.
struct Fixture {
    name: String,
    authserv_id: String,
    dmarc: String,
    value: String,
}

fn fixtures() -> Vec<Fixture> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/auth-results");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures/auth-results") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("# {name}:")))
                .unwrap_or_else(|| panic!("{} has no `# {name}:` line", path.display()))
                .trim()
                .to_string()
        };
        let value: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        out.push(Fixture {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            authserv_id: field("authserv-id"),
            dmarc: field("dmarc"),
            value: value.join("\r\n").trim().to_string(),
        });
    }
    assert!(out.len() >= 10, "the fixtures are there: {}", out.len());
    out
}

#[test]
fn every_header_copied_from_a_real_server_reads_as_it_says() {
    for f in fixtures() {
        let trusted = if f.authserv_id == "microsoft365" {
            TrustedServer::Microsoft365
        } else {
            TrustedServer::Id(f.authserv_id.clone())
        };
        let v = DmarcVerdict::read([("Authentication-Results", f.value.as_str())], Some(&trusted));
        let got = match &v {
            DmarcVerdict::Checked { result: Dmarc::Pass, .. } => "pass",
            DmarcVerdict::Checked { result: Dmarc::Fail, .. } => "fail",
            DmarcVerdict::Checked { result: Dmarc::None, .. } => "none",
            DmarcVerdict::Checked { result: Dmarc::Other(_), .. } => "other",
            DmarcVerdict::NoResult { .. } => "absent",
            DmarcVerdict::Unreadable { .. } | DmarcVerdict::NotChecked => "unreadable",
        };
        assert_eq!(got, f.dmarc, "{}: {v:?}\n{}", f.name, f.value);
        // The same header under another id is not ours.
        let other = DmarcVerdict::read(
            [("Authentication-Results", f.value.as_str())],
            Some(&TrustedServer::Id("other.invalid".into())),
        );
        if f.authserv_id != "microsoft365" {
            assert!(matches!(other, DmarcVerdict::NoResult { .. }), "{}: {other:?}", f.name);
        }
    }
}

/// Text a sender controls: an envelope local part, a From domain, a DKIM
/// domain; weighted towards what breaks readers (parentheses, quotes,
/// backslashes, semicolons, folding, words of the grammar).
fn sender_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z0-9.+_-]{1,6}",
        1 => Just("(".to_string()),
        1 => Just(")".to_string()),
        1 => Just("\"".to_string()),
        1 => Just("\\".to_string()),
        1 => Just(";".to_string()),
        1 => Just("=".to_string()),
        1 => Just(" ".to_string()),
        1 => Just("\r\n\t".to_string()),
        1 => Just("dmarc".to_string()),
        1 => Just("pass".to_string()),
        1 => Just("none".to_string()),
        1 => Just("=?utf-8?q?=28?=".to_string()),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

/// Our server's header in `FAIL_LAYOUTS[layout]` saying `dmarc=RESULT`, with the sender's text in it, and below
/// our server's Received the sender's own header claiming a pass.
fn ours_then_a_forgery(layout: usize, result: &str, a: &str, b: &str, forged: &str) -> DmarcVerdict {
    let (template, microsoft) = FAIL_LAYOUTS[layout];
    let ours = template.replace("dmarc=fail", &format!("dmarc={result}")).replace("{A}", a).replace("{B}", b);
    let trusted = if microsoft { TrustedServer::Microsoft365 } else { self::ours() };
    let forged = format!("mx.example.test; dmarc=pass {forged}");
    let headers = [
        ("Authentication-Results", ours.as_str()),
        ("Received", "from evil.test by mx.example.test"),
        ("Authentication-Results", forged.as_str()),
    ];
    DmarcVerdict::read(headers, Some(&trusted))
}

/// Real servers' header layouts with `dmarc=fail`, `{A}` a local part and `{B}` a domain the sender chose.
const FAIL_LAYOUTS: [(&str, bool); 6] = [
    ("mx.example.test; dmarc=fail (p=reject dis=none) header.from={B}", false),
    (
        "mx.example.test;\r\n       dkim=pass header.i=@{B} header.s=s1 header.b=AbCd;\r\n       spf=pass (google.com: domain of {A}@{B} designates 192.0.2.1 as permitted sender) smtp.mailfrom={A}@{B};\r\n       dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from={B}",
        false,
    ),
    (
        "mx.example.test; dkim=none; spf=pass (mx.example.test: domain of \"{A}\"@{B} designates 192.0.2.1 as permitted sender) smtp.mailfrom=\"{A}\"@{B}; dmarc=fail reason=\"No valid SPF, No valid DKIM\" header.from={B} (policy=reject)",
        false,
    ),
    (
        "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom={B}; dkim=none (message not signed) header.d=none;dmarc=fail action=oreject header.from={B};compauth=fail reason=000",
        true,
    ),
    (
        "mx.example.test; dkim=pass header.d={B} header.s=s header.b=x; spf=pass (mx.example.test: domain of {A}@{B} designates 192.0.2.1 as permitted sender) smtp.mailfrom={A}@{B}; dmarc=fail header.from={B} policy.dmarc=reject",
        false,
    ),
    ("mx.example.test; spf=pass smtp.mailfrom={A}@{B}; dkim=fail header.d={B}; dmarc=fail header.from={B}", false),
];

/// 100,000 cases of each property by default, as CI runs them (SMARTACCT_FUZZ_CASES to change it).
fn fuzz_cases() -> u32 {
    std::env::var("SMARTACCT_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever a sender writes where our server copies its text, our `dmarc=fail` is read as a fail.
    #[test]
    fn no_text_a_sender_controls_turns_our_dmarc_fail_into_anything_else(
        layout in 0..FAIL_LAYOUTS.len(),
        a in sender_text(),
        b in sender_text(),
        forged in sender_text(),
    ) {
        let v = ours_then_a_forgery(layout, "fail", &a, &b, &forged);
        prop_assert!(v.failed(), "{v:?}");
    }

    /// Nor can it turn our server's `none` (a domain without DMARC) into a pass, which `require-pass` relies on.
    #[test]
    fn no_text_a_sender_controls_turns_our_dmarc_none_into_a_pass(
        layout in 0..FAIL_LAYOUTS.len(),
        a in sender_text(),
        b in sender_text(),
        forged in sender_text(),
    ) {
        let v = ours_then_a_forgery(layout, "none", &a, &b, &forged);
        prop_assert!(!v.passed(), "{v:?}");
    }

    /// Any header text at all: no panic, and a verdict that describes itself.
    #[test]
    fn any_header_text_reads_without_panicking(text in sender_text(), more in ".{0,40}") {
        let value = format!("{text}{more}");
        for trusted in [super::tests::ours(), TrustedServer::Microsoft365] {
            let v = DmarcVerdict::read([("Authentication-Results", value.as_str())], Some(&trusted));
            prop_assert!(!v.describe().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The other way round: ordinary local parts and domains never turn a pass into a fail.
    #[test]
    fn ordinary_addresses_leave_our_pass_a_pass(a in "[a-z0-9][a-z0-9.+_=-]{0,12}", b in "[a-z0-9]{1,8}\\.[a-z]{2,4}") {
        let layouts = [
            "mx.example.test; dkim=pass header.i=@{B}; spf=pass (google.com: domain of {A}@{B} designates 192.0.2.1 as permitted sender) smtp.mailfrom={A}@{B}; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from={B}",
            "mx.example.test; spf=pass smtp.mailfrom=\"{A}\"@{B}; dmarc=pass (policy=reject) header.from={B}",
        ];
        for template in layouts {
            let h = template.replace("{A}", &a).replace("{B}", &b);
            prop_assert_eq!(verdict(&[&h]), checked(Dmarc::Pass), "{}", h);
        }
    }
}
