//! The core without a server: tables of (state, step, sender, words, timing) and of sweep moments, each row a sentence.
use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::domain::{AccountDomain, EmailAddress, Locale};
use crate::email::Kind;

fn settings() -> Settings {
    let t: toml::Table = r#"
[mailbox]
address = "desk@example.test"
[imap]
host = "h"
username = "u"
password = "p"
[smtp]
host = "h"
[partners]
allow = ["*@partner.test"]
"#
    .parse()
    .unwrap();
    Settings::from_table(&t, &|_| None).unwrap()
}

fn a(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

const PARTNER: &str = "bob@partner.test";
const CUSTOMER: &str = "jane@customer.test";
const STRANGER: &str = "mallory@customer.test";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Timing {
    InTime,
    PastDeadline,
}
use Timing::*;

/// A stored request in `state`, in time or past its deadline at `now`.
fn request(state: State, timing: Timing, now: DateTime<Utc>) -> Request {
    let days = |n: i64| now + Duration::days(n);
    let (created, expires) = match (state, timing) {
        (State::AwaitingReview, InTime) => (days(-1), None),
        (State::AwaitingReview, PastDeadline) => (days(-20), None),
        (_, InTime) => (days(-10), Some(days(10))),
        (_, PastDeadline) => (days(-91), Some(days(-1))),
    };
    Request {
        id: Some(7),
        reference: Reference::parse("SA-7K3QX9PD").unwrap(),
        state,
        account_name: "Acme".into(),
        account_domain: AccountDomain::parse("acme.example").unwrap(),
        customer_email: a(CUSTOMER),
        partner_email: a(PARTNER),
        user_emails: vec![a("u@customer.test")],
        note_to_customer: None,
        note_to_users: None,
        locale: Locale::En,
        created_at: created,
        submitted_at: expires.map(|_| created),
        expires_at: expires,
        activated_at: None,
        closed_at: None,
        last_reminder_days: None,
        partner_name: None,
        partner_company: None,
        erased_at: None,
    }
}

fn mail(from: &str, to: &str, body: &str) -> Inbound {
    let raw = format!("From: {from}\r\nTo: {to}\r\nSubject: Re: x\r\nMessage-ID: <m@x.test>\r\n\r\n{body}\r\n");
    Inbound::read(raw.as_bytes(), &a("desk@example.test"))
}

fn env(s: &Settings, now: DateTime<Utc>) -> Env<'_> {
    Env { settings: s, now, new_reference: Reference::generate() }
}

/// What a row expects: the outcome, the state after (`None`: unchanged) and the emails' kinds.
struct Expect(Outcome, Option<State>, &'static [Kind]);

impl Expect {
    fn check(&self, d: &Decision) -> Result<(), String> {
        let after = match &d.change {
            Some(Change::Update { after, .. }) => Some(after.state),
            _ => None,
        };
        let kinds: Vec<Kind> = d.emails.iter().map(EmailPlan::kind).collect();
        let Expect(outcome, state, emails) = self;
        if (d.outcome, after, kinds.as_slice()) == (*outcome, *state, *emails) {
            Ok(())
        } else {
            Err(format!("got {:?} {after:?} {kinds:?}", d.outcome))
        }
    }
}

struct Reply {
    says: &'static str,
    state: State,
    step: Step,
    from: &'static str,
    words: &'static str,
    timing: Timing,
    expect: Expect,
}

const BOTH_REVIEW: &str = "SUBMIT\nCANCEL";
const BOTH_ACTIVATION: &str = "ACCEPT\nDECLINE";

#[rustfmt::skip]
fn replies() -> Vec<Reply> {
    use Kind as K;
    use Outcome as O;
    use State as S;
    use Step::{Activation as Act, Review as Rev};
    let r = |says, state, step, from, words, timing, expect| Reply { says, state, step, from, words, timing, expect };
    let mut rows = vec![
        r("the partner's SUBMIT in time sends the request to the customer", S::AwaitingReview, Rev, PARTNER, "SUBMIT", InTime,
          Expect(O::Submitted, Some(S::PendingCustomerAcceptance), &[K::RequestComplete, K::Activation])),
        r("the partner's CANCEL in time closes the request", S::AwaitingReview, Rev, PARTNER, "CANCEL", InTime,
          Expect(O::Cancelled, Some(S::Cancelled), &[K::Cancelled])),
        r("the partner's reply without a command gets the choices again", S::AwaitingReview, Rev, PARTNER, "Thanks!", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the partner's reply with both commands changes nothing", S::AwaitingReview, Rev, PARTNER, BOTH_REVIEW, InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the partner's ACCEPT is no command of the review", S::AwaitingReview, Rev, PARTNER, "ACCEPT", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the customer cannot submit the review", S::AwaitingReview, Rev, CUSTOMER, "SUBMIT", InTime,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("a stranger cannot submit the review", S::AwaitingReview, Rev, STRANGER, "SUBMIT", InTime,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("a stranger cannot cancel the review", S::AwaitingReview, Rev, STRANGER, "CANCEL", InTime,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("a SUBMIT past the review deadline closes the review instead", S::AwaitingReview, Rev, PARTNER, "SUBMIT", PastDeadline,
          Expect(O::ReviewExpired, Some(S::ReviewExpired), &[K::ReviewExpired])),
        r("a CANCEL past the review deadline closes the review as expired", S::AwaitingReview, Rev, PARTNER, "CANCEL", PastDeadline,
          Expect(O::ReviewExpired, Some(S::ReviewExpired), &[K::ReviewExpired])),
        r("a SUBMIT once submitted is answered with where the request stands", S::PendingCustomerAcceptance, Rev, PARTNER, "SUBMIT", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the customer's ACCEPT in time activates the account and tells everyone", S::PendingCustomerAcceptance, Act, CUSTOMER, "ACCEPT", InTime,
          Expect(O::Activated, Some(S::Active), &[K::ActivatedPartner, K::UserAccess, K::ActivatedCustomer])),
        r("the customer's DECLINE in time declines and tells the partner", S::PendingCustomerAcceptance, Act, CUSTOMER, "DECLINE", InTime,
          Expect(O::Declined, Some(S::Declined), &[K::Declined, K::DeclinedCustomer])),
        r("the customer's reply without a command gets the choices again", S::PendingCustomerAcceptance, Act, CUSTOMER, "Who is Bob?", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the customer's reply with both commands changes nothing", S::PendingCustomerAcceptance, Act, CUSTOMER, BOTH_ACTIVATION, InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the customer's SUBMIT is no command of the activation", S::PendingCustomerAcceptance, Act, CUSTOMER, "SUBMIT", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("the partner cannot accept for the customer", S::PendingCustomerAcceptance, Act, PARTNER, "ACCEPT", InTime,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("the partner cannot decline for the customer", S::PendingCustomerAcceptance, Act, PARTNER, "DECLINE", InTime,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("a stranger cannot accept", S::PendingCustomerAcceptance, Act, STRANGER, "ACCEPT", InTime,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("an ACCEPT past the deadline expires the request even before the sweep", S::PendingCustomerAcceptance, Act, CUSTOMER, "ACCEPT", PastDeadline,
          Expect(O::Expired, Some(S::Expired), &[K::ExpiredCustomer, K::ExpiredPartner])),
        r("a DECLINE past the deadline expires the request too", S::PendingCustomerAcceptance, Act, CUSTOMER, "DECLINE", PastDeadline,
          Expect(O::Expired, Some(S::Expired), &[K::ExpiredCustomer, K::ExpiredPartner])),
        r("a stranger past the deadline is still only refused", S::PendingCustomerAcceptance, Act, STRANGER, "ACCEPT", PastDeadline,
          Expect(O::Refused, None, &[K::NotAuthorized])),
        r("an ACCEPT before the partner submitted changes nothing", S::AwaitingReview, Act, CUSTOMER, "ACCEPT", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("a German partner's SENDEN submits", S::AwaitingReview, Rev, PARTNER, "SENDEN", InTime,
          Expect(O::Submitted, Some(S::PendingCustomerAcceptance), &[K::RequestComplete, K::Activation])),
        r("an Italian partner's ANNULLA cancels", S::AwaitingReview, Rev, PARTNER, "Annulla, grazie", InTime,
          Expect(O::Cancelled, Some(S::Cancelled), &[K::Cancelled])),
        r("a Chinese partner's 提交 submits", S::AwaitingReview, Rev, PARTNER, "提交。谢谢！", InTime,
          Expect(O::Submitted, Some(S::PendingCustomerAcceptance), &[K::RequestComplete, K::Activation])),
        r("a Spanish customer's \"Sí, acepto\" activates", S::PendingCustomerAcceptance, Act, CUSTOMER, "Sí, acepto", InTime,
          Expect(O::Activated, Some(S::Active), &[K::ActivatedPartner, K::UserAccess, K::ActivatedCustomer])),
        r("a Japanese customer's 承認します activates", S::PendingCustomerAcceptance, Act, CUSTOMER, "承認します。", InTime,
          Expect(O::Activated, Some(S::Active), &[K::ActivatedPartner, K::UserAccess, K::ActivatedCustomer])),
        r("a Portuguese customer's RECUSAR declines", S::PendingCustomerAcceptance, Act, CUSTOMER, "RECUSAR", InTime,
          Expect(O::Declined, Some(S::Declined), &[K::Declined, K::DeclinedCustomer])),
        r("a Portuguese customer's \"Não aceito\" is no answer and gets the choices again", S::PendingCustomerAcceptance, Act, CUSTOMER, "Não aceito", InTime,
          Expect(O::Unmatched, None, &[K::UnmatchedReply])),
        r("a German customer's \"Ich lehne ab\" declines", S::PendingCustomerAcceptance, Act, CUSTOMER, "Ich lehne ab.", InTime,
          Expect(O::Declined, Some(S::Declined), &[K::Declined, K::DeclinedCustomer])),
    ];
    for state in [S::Active, S::Declined, S::Expired, S::Cancelled, S::ReviewExpired, S::Undeliverable] {
        rows.push(r("a SUBMIT on a closed request is answered with its state", state, Rev, PARTNER, "SUBMIT", InTime,
                    Expect(O::Unmatched, None, &[K::UnmatchedReply])));
        rows.push(r("an ACCEPT on a closed request is answered with its state", state, Act, CUSTOMER, "ACCEPT", InTime,
                    Expect(O::Unmatched, None, &[K::UnmatchedReply])));
        rows.push(r("a DECLINE on a closed request, even late, changes nothing", state, Act, CUSTOMER, "DECLINE", PastDeadline,
                    Expect(O::Unmatched, None, &[K::UnmatchedReply])));
    }
    rows
}

fn run(
    row_state: State,
    step: Step,
    from: &str,
    words: &str,
    timing: Timing,
    s: &Settings,
    now: DateTime<Utc>,
) -> Decision {
    let known = Known { keyed: Some((request(row_state, timing, now), step)), ..Known::default() };
    decide(&mail(from, "desk+x@example.test", words), &known, &env(s, now))
}

#[test]
fn every_reply_on_a_step_decides_as_its_row_says() {
    let (s, now) = (settings(), Utc::now());
    let mut failures = Vec::new();
    for row in replies() {
        let d = run(row.state, row.step, row.from, row.words, row.timing, &s, now);
        if let Err(got) = row.expect.check(&d) {
            let Reply { says, state, step, from, words, timing, .. } = row;
            failures.push(format!("{says} ({state:?}, {step:?}, {from}, {words:?}, {timing:?}): {got}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn no_stranger_and_no_closed_request_ever_changes_whatever_the_words_and_the_time() {
    let (s, now) = (settings(), Utc::now());
    for state in State::ALL {
        for step in [Step::Review, Step::Activation] {
            for from in [PARTNER, CUSTOMER, STRANGER] {
                for words in ["SUBMIT", "CANCEL", "ACCEPT", "DECLINE", "Thanks", BOTH_REVIEW, BOTH_ACTIVATION] {
                    for timing in [InTime, PastDeadline] {
                        let d = run(state, step, from, words, timing, &s, now);
                        let party = match step {
                            Step::Review => PARTNER,
                            Step::Activation => CUSTOMER,
                        };
                        if from != party || state.is_terminal() {
                            assert!(d.change.is_none(), "{state:?} {step:?} {from} {words:?} {timing:?}: {d:?}");
                        }
                        assert!(d.emails.len() <= 3, "never more than the activation's three emails");
                    }
                }
            }
        }
    }
}

struct SweepRow {
    says: &'static str,
    step: SweepStep,
    request: Request,
    expect: Expect,
}

#[test]
fn the_sweep_decides_as_its_rows_say() {
    let (s, now) = (settings(), Utc::now());
    let pending = |expires_in_days: i64, last_reminder: Option<u32>| Request {
        expires_at: Some(now + Duration::days(expires_in_days)),
        last_reminder_days: last_reminder,
        ..request(State::PendingCustomerAcceptance, InTime, now)
    };
    use Kind as K;
    use Outcome as O;
    let rows = [
        SweepRow {
            says: "a request past its expiry expires and both are told",
            step: SweepStep::Expire,
            request: pending(-1, None),
            expect: Expect(O::Expired, Some(State::Expired), &[K::ExpiredCustomer, K::ExpiredPartner]),
        },
        SweepRow {
            says: "a request not yet expired is left alone",
            step: SweepStep::Expire,
            request: pending(3, None),
            expect: Expect(O::NothingDue, None, &[]),
        },
        SweepRow {
            says: "30 days out, the first reminder goes",
            step: SweepStep::Remind { days: 30 },
            request: pending(29, None),
            expect: Expect(O::Reminded, Some(State::PendingCustomerAcceptance), &[K::Reminder]),
        },
        SweepRow {
            says: "7 days out after the 30-day reminder, the 7-day one goes",
            step: SweepStep::Remind { days: 7 },
            request: pending(6, Some(30)),
            expect: Expect(O::Reminded, Some(State::PendingCustomerAcceptance), &[K::Reminder]),
        },
        SweepRow {
            says: "a reminder already sent is not sent again",
            step: SweepStep::Remind { days: 7 },
            request: pending(6, Some(7)),
            expect: Expect(O::NothingDue, None, &[]),
        },
        SweepRow {
            says: "60 days out, no reminder is due",
            step: SweepStep::Remind { days: 30 },
            request: pending(60, None),
            expect: Expect(O::NothingDue, None, &[]),
        },
        SweepRow {
            says: "an expired request gets no reminder",
            step: SweepStep::Remind { days: 7 },
            request: pending(-1, None),
            expect: Expect(O::NothingDue, None, &[]),
        },
        SweepRow {
            says: "a review older than review_days closes and the partner is told",
            step: SweepStep::ExpireReview,
            request: request(State::AwaitingReview, PastDeadline, now),
            expect: Expect(O::ReviewExpired, Some(State::ReviewExpired), &[K::ReviewExpired]),
        },
        SweepRow {
            says: "a review in time is left alone",
            step: SweepStep::ExpireReview,
            request: request(State::AwaitingReview, InTime, now),
            expect: Expect(O::NothingDue, None, &[]),
        },
        SweepRow {
            says: "an active account never expires",
            step: SweepStep::Expire,
            request: request(State::Active, PastDeadline, now),
            expect: Expect(O::NothingDue, None, &[]),
        },
    ];
    let mut failures = Vec::new();
    for row in rows {
        let d = sweep(row.step, &row.request, &env(&s, now));
        if let Err(got) = row.expect.check(&d) {
            failures.push(format!("{}: {got}", row.says));
        }
        // The store selects with the same rule the core decides with.
        let selected = row.step.due(now, &s).matches(&row.request);
        assert_eq!(selected, d.outcome != O::NothingDue, "{}", row.says);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_question_is_answered_with_the_choices_and_the_reply_address_again() {
    let (s, now) = (settings(), Utc::now());
    let d = run(
        State::PendingCustomerAcceptance,
        Step::Activation,
        CUSTOMER,
        "Before I accept, who is Bob?",
        InTime,
        &s,
        now,
    );
    assert!(d.change.is_none());
    let Content::UnmatchedReply { why, offer_reply, .. } = &d.emails[0].content else { panic!("{d:?}") };
    assert_eq!((*why, *offer_reply), (crate::email::Unmatched::NoCommand, true));
    assert_eq!(d.emails[0].content.reply_step(), Some(Step::Activation));
}

#[test]
fn a_partner_answering_a_closed_thread_with_a_new_form_makes_a_new_request() {
    let (s, now) = (settings(), Utc::now());
    let known = Known { keyed: Some((request(State::Cancelled, InTime, now), Step::Review)), ..Known::default() };
    let form = "Account name: Acme 2\r\nCustomer email: jane@customer.test\r\nAccount domain: acme.example";
    let d = decide(&mail(PARTNER, "desk+rev-x@example.test", form), &known, &env(&s, now));
    assert_eq!(d.outcome, Outcome::RequestCreated);
}

#[test]
fn a_thanks_to_a_desk_email_is_answered_with_where_the_request_stands() {
    let (s, now) = (settings(), Utc::now());
    let known = Known { by_thread: Some(request(State::Active, InTime, now)), ..Known::default() };
    let d = decide(&mail(PARTNER, "desk@example.test", "Thanks!"), &known, &env(&s, now));
    assert!(d.change.is_none());
    let Content::UnmatchedReply { why, offer_reply, .. } = &d.emails[0].content else { panic!("{d:?}") };
    assert_eq!((*why, *offer_reply), (crate::email::Unmatched::WrongState, false));
}

#[test]
fn the_blank_form_goes_in_the_language_the_sender_writes_else_in_english_and_french() {
    let (s, now) = (settings(), Utc::now());
    let help = |subject: &str, headers: &str| {
        let raw = format!(
            "From: {PARTNER}\r\nTo: desk@example.test\r\nSubject: {subject}\r\n{headers}Message-ID: <h@x.test>\r\n\r\n\r\n"
        );
        let d = decide(&Inbound::read(raw.as_bytes(), &a("desk@example.test")), &Known::default(), &env(&s, now));
        assert_eq!(d.outcome, Outcome::Help, "{subject}");
        let Content::FormHelp { languages } = &d.emails[0].content else { panic!("{d:?}") };
        assert_eq!(d.emails[0].locale, languages[0]);
        languages.clone()
    };
    assert_eq!(help("help", ""), [Locale::En, Locale::Fr]);
    assert_eq!(help("aide", ""), [Locale::Fr, Locale::En]);
    assert_eq!(help("Hilfe", ""), [Locale::De, Locale::En]);
    assert_eq!(help("ayuda", ""), [Locale::Es, Locale::En]);
    assert_eq!(help("help", "Content-Language: it-IT\r\n"), [Locale::It, Locale::En]);
    assert_eq!(help("ヘルプ", ""), [Locale::Ja, Locale::En]);
    assert_eq!(help("帮助", ""), [Locale::Zh, Locale::En]);
    assert_eq!(help("", "Accept-Language: pt-BR\r\n"), [Locale::Pt, Locale::En]);
}

#[test]
fn a_form_in_german_makes_a_german_request_and_its_review_in_german() {
    let (s, now) = (settings(), Utc::now());
    let form = "Kontoname: Acme GmbH\r\nE-Mail des Kunden: jane@customer.test\r\nKontodomäne: acme.example";
    let d = decide(&mail(PARTNER, "desk@example.test", form), &Known::default(), &env(&s, now));
    let Some(Change::Create(request)) = &d.change else { panic!("{d:?}") };
    assert_eq!(request.locale, Locale::De);
    assert_eq!((d.emails[0].kind(), d.emails[0].locale), (Kind::Review, Locale::De));
}

#[test]
fn a_partner_naming_themselves_as_customer_is_refused() {
    let (s, now) = (settings(), Utc::now());
    let form = "Account name: Acme\r\nCustomer email: Bob+x@partner.test\r\nAccount domain: acme.example";
    let d = decide(&mail(PARTNER, "desk@example.test", form), &Known::default(), &env(&s, now));
    assert_eq!(d.outcome, Outcome::Invalid);
    assert!(d.change.is_none());
}

#[test]
fn a_partner_at_the_limit_of_open_requests_is_refused_with_the_limit() {
    let (s, now) = (settings(), Utc::now());
    let form = "Account name: Acme\r\nCustomer email: jane@customer.test\r\nAccount domain: acme.example";
    let known = Known { partner_open: 20, ..Known::default() };
    let d = decide(&mail(PARTNER, "desk@example.test", form), &known, &env(&s, now));
    assert_eq!(d.outcome, Outcome::Refused);
    let Content::NotAuthorized { refusal, .. } = &d.emails[0].content else { panic!("{d:?}") };
    assert_eq!(*refusal, crate::email::Refusal::TooManyOpen { max: 20 });
}

/// An operator signed in to the console.
fn alice() -> crate::decide::Actor {
    crate::decide::Actor { name: "alice".into(), via: crate::decide::Via::Console }
}

/// The operator's commands: (state, timing) -> applies, with the email kind and its reader.
#[test]
fn an_operator_cancels_a_live_request_and_the_partner_gets_the_reason() {
    let (s, now) = (settings(), Utc::now());
    for state in [State::AwaitingReview, State::PendingCustomerAcceptance] {
        for timing in [InTime, PastDeadline] {
            let r = request(state, timing, now);
            let d = cancel(&r, Some("  duplicate of SA-2  "), &alice(), &env(&s, now)).unwrap();
            assert_eq!(d.outcome, Outcome::Cancelled);
            let Some(Change::Update { after, .. }) = &d.change else { panic!("{d:?}") };
            assert_eq!((after.state, after.closed_at), (State::Cancelled, Some(now)));
            assert_eq!(d.emails.len(), 1);
            assert_eq!(d.emails[0].to, a(PARTNER));
            let Content::Cancelled { by, .. } = &d.emails[0].content else { panic!("{d:?}") };
            assert_eq!(*by, crate::email::CancelledBy::Operator { reason: Some("duplicate of SA-2".into()) });
            assert_eq!(
                d.events[0].detail,
                format!("cancelled by the operator alice on the console (was {}): duplicate of SA-2", state.as_str())
            );
        }
    }
}

#[test]
fn an_operator_cannot_cancel_a_closed_request_and_is_told_its_state() {
    let (s, now) = (settings(), Utc::now());
    for state in
        [State::Active, State::Declined, State::Expired, State::Cancelled, State::ReviewExpired, State::Undeliverable]
    {
        let e = cancel(&request(state, InTime, now), None, &alice(), &env(&s, now)).unwrap_err();
        assert!(e.to_string().contains(state.as_str()), "{e}");
        assert!(resend(&request(state, InTime, now), &alice(), &env(&s, now)).is_err());
    }
}

#[test]
fn a_resend_is_the_email_the_request_waits_on_with_the_same_reply_step() {
    let (s, now) = (settings(), Utc::now());
    for (state, kind, to, step) in [
        (State::AwaitingReview, Kind::Review, PARTNER, Step::Review),
        (State::PendingCustomerAcceptance, Kind::Activation, CUSTOMER, Step::Activation),
    ] {
        let d = resend(&request(state, InTime, now), &alice(), &env(&s, now)).unwrap();
        assert_eq!(d.outcome, Outcome::Resent);
        let Some(Change::Update { before, after }) = &d.change else { panic!("{d:?}") };
        assert_eq!(before, after, "nothing changes but the history; the commit is guarded by the state read");
        assert_eq!((d.emails[0].kind(), d.emails[0].to.as_str()), (kind, to));
        assert_eq!(d.emails[0].content.reply_step(), Some(step));
        assert!(
            d.events[0].detail.ends_with("sent again by the operator alice on the console"),
            "{}",
            d.events[0].detail
        );
    }
}

#[test]
fn a_resend_past_the_deadline_is_refused_for_the_sweep_closes_it() {
    let (s, now) = (settings(), Utc::now());
    for state in [State::AwaitingReview, State::PendingCustomerAcceptance] {
        let e = resend(&request(state, PastDeadline, now), &alice(), &env(&s, now)).unwrap_err();
        assert!(matches!(e, NotApplicable::PastDeadline { .. }), "{e}");
    }
}

/// A reply as our server delivers it: its `Authentication-Results` on top.
fn mail_with_results(from: &str, body: &str, results: &[&str]) -> Inbound {
    mail_with_headers(from, body, results, "")
}

fn mail_with_headers(from: &str, body: &str, results: &[&str], more: &str) -> Inbound {
    let headers: String = results.iter().map(|r| format!("Authentication-Results: {r}\r\n")).collect();
    let raw = format!(
        "{more}{headers}From: {from}\r\nTo: desk+x@example.test\r\nSubject: Re: x\r\nMessage-ID: <m@x.test>\r\n\r\n{body}\r\n"
    );
    Inbound::read(raw.as_bytes(), &a("desk@example.test"))
}

fn checking(policy: &str) -> Settings {
    let mut s = settings();
    s.security.trusted = Some(TrustedServer::Id("mx.example.test".into()));
    s.security.dmarc = DmarcPolicy::CHOICES.iter().find(|(n, _)| *n == policy).unwrap().1;
    s
}

const COMMANDS: [(State, Step, &str, &str); 4] = [
    (State::AwaitingReview, Step::Review, PARTNER, "SUBMIT"),
    (State::AwaitingReview, Step::Review, PARTNER, "CANCEL"),
    (State::PendingCustomerAcceptance, Step::Activation, CUSTOMER, "ACCEPT"),
    (State::PendingCustomerAcceptance, Step::Activation, CUSTOMER, "DECLINE"),
];

#[test]
fn a_command_that_fails_dmarc_at_our_server_is_refused_changes_nothing_and_answers_no_unproven_address() {
    let now = Utc::now();
    let s = checking("refuse-fail");
    for (state, step, from, word) in COMMANDS {
        let known = Known { keyed: Some((request(state, InTime, now), step)), ..Known::default() };
        let inbound = mail_with_results(from, word, &["mx.example.test; dmarc=fail header.from=x"]);
        let d = decide(&inbound, &known, &env(&s, now));
        assert_eq!((d.outcome, d.change.is_some()), (Outcome::Refused, false), "{word}: {d:?}");
        assert!(d.emails.is_empty(), "the From may be forged: no answer to it: {:?}", d.emails);
        assert!(d.detail.contains("the sender proved no address"), "{}", d.detail);
        assert_eq!(d.events[0].kind, EventKind::Refused);
        assert!(d.events[0].detail.contains("dmarc=fail by mx.example.test"), "{:?}", d.events);
        let v = d.verdict.expect("a refused command keeps its verdict");
        assert!(!v.applied && v.auth.failed() && v.command == word && v.step == Some(step));

        // Pass, none, another server's fail or no header: as without the check.
        for results in
            [&["mx.example.test; dmarc=pass"][..], &["mx.example.test; dmarc=none"], &["other.test; dmarc=fail"], &[]]
        {
            let d = decide(&mail_with_results(from, word, results), &known, &env(&s, now));
            assert!(d.change.is_some(), "{word} with {results:?} applies: {d:?}");
            assert!(d.verdict.as_ref().is_some_and(|v| v.applied));
        }
    }
}

#[test]
fn a_mail_that_fails_dmarc_changes_nothing_and_answers_no_from_whatever_it_asks() {
    let now = Utc::now();
    let s = checking("refuse-fail");
    let fail = ["mx.example.test; dmarc=fail header.from=customer.test"];
    let keyed =
        |state, timing| Known { keyed: Some((request(state, timing, now), Step::Activation)), ..Known::default() };
    for (what, body, known) in [
        ("no command word", "thanks!", keyed(State::PendingCustomerAcceptance, InTime)),
        ("past its deadline", "ACCEPT", keyed(State::PendingCustomerAcceptance, PastDeadline)),
        ("no longer waiting", "ACCEPT", keyed(State::Active, InTime)),
        (
            "a subject reference only",
            "ACCEPT",
            Known { by_subject: Some(request(State::PendingCustomerAcceptance, InTime, now)), ..Known::default() },
        ),
        (
            "the customer writing afresh",
            "hello",
            Known {
                pending_for_customer: Some(request(State::PendingCustomerAcceptance, InTime, now)),
                ..Known::default()
            },
        ),
    ] {
        let d = decide(&mail_with_results(CUSTOMER, body, &fail), &known, &env(&s, now));
        assert_eq!((d.outcome, d.change.is_none()), (Outcome::Refused, true), "{what}: {d:?}");
        assert!(d.emails.is_empty(), "{what}: nothing to the From: {:?}", d.emails);
    }
}

#[test]
fn a_refusal_goes_once_a_day_to_the_envelope_sender_our_servers_spf_vouched_for() {
    let now = Utc::now();
    let s = checking("refuse-fail");
    let (state, step, from, word) = COMMANDS[2];
    let mut known = Known { keyed: Some((request(state, InTime, now), step)), ..Known::default() };
    let results =
        ["mx.example.test; spf=pass smtp.mailfrom=bounces@lists.customer.test; dmarc=fail header.from=customer.test"];
    let inbound = mail_with_headers(from, word, &results, "Return-Path: <bounces@lists.customer.test>\r\n");
    let d = decide(&inbound, &known, &env(&s, now));
    assert_eq!(d.outcome, Outcome::Refused);
    assert_eq!(d.emails.len(), 1, "{d:?}");
    assert_eq!((d.emails[0].kind(), d.emails[0].to.as_str()), (Kind::NotAuthorized, "bounces@lists.customer.test"));

    known.envelope_answers_today = 1;
    let d = decide(&inbound, &known, &env(&s, now));
    assert!(d.emails.is_empty() && d.detail.contains("had an answer today already"), "{d:?}");

    // SPF for another envelope than the one delivered, or no SPF pass: no address is proven.
    known.envelope_answers_today = 0;
    for (results, rp) in [
        (["mx.example.test; spf=pass smtp.mailfrom=x@evil.test; dmarc=fail"], "<bounces@lists.customer.test>"),
        (
            ["mx.example.test; spf=softfail smtp.mailfrom=bounces@lists.customer.test; dmarc=fail"],
            "<bounces@lists.customer.test>",
        ),
    ] {
        let inbound = mail_with_headers(from, word, &results, &format!("Return-Path: {rp}\r\n"));
        assert!(decide(&inbound, &known, &env(&s, now)).emails.is_empty(), "{results:?}");
    }
    // Microsoft 365 writes the envelope's domain only.
    let mut s = s;
    s.security.trusted = Some(TrustedServer::Microsoft365);
    let results = [
        "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=lists.customer.test; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=customer.test;compauth=fail reason=001",
    ];
    let inbound = mail_with_headers(from, word, &results, "Return-Path: <bounces@lists.customer.test>\r\n");
    let d = decide(&inbound, &known, &env(&s, now));
    assert_eq!(d.emails.iter().map(|e| e.to.as_str()).collect::<Vec<_>>(), ["bounces@lists.customer.test"]);
}

#[test]
fn a_form_that_fails_dmarc_creates_nothing_and_keeps_its_verdict() {
    let now = Utc::now();
    let s = checking("refuse-fail");
    let form = "Account name: Acme\nCustomer email: jane@customer.test\nAccount domain: acme.example\n";
    let inbound =
        mail_with_results(PARTNER, form, &["mx.example.test; dmarc=fail (p=reject) header.from=partner.test"]);
    let d = decide(&inbound, &Known::default(), &env(&s, now));
    assert_eq!((d.outcome, d.change.is_none(), d.emails.len()), (Outcome::Refused, true, 0), "{d:?}");
    let v = d.verdict.expect("a refused form keeps its verdict");
    assert!(!v.applied && v.command == "FORM" && v.step.is_none(), "{v:?}");
    assert!(v.describe().starts_with("FORM refused: key none;"), "{}", v.describe());

    let inbound = mail_with_results(PARTNER, form, &["mx.example.test; dmarc=pass header.from=partner.test"]);
    let d = decide(&inbound, &Known::default(), &env(&s, now));
    assert_eq!(d.outcome, Outcome::RequestCreated);
    assert!(d.verdict.is_some_and(|v| v.applied && v.auth.passed()));
    assert!(d.events[0].detail.contains("dmarc=pass by mx.example.test"), "{:?}", d.events);
}

#[test]
fn the_policy_decides_what_no_result_and_a_fail_do() {
    let now = Utc::now();
    let form = "Account name: Acme\nCustomer email: jane@customer.test\nAccount domain: acme.example\n";
    for (policy, results, created) in [
        ("refuse-fail", &["mx.example.test; dmarc=none"][..], true),
        ("refuse-fail", &[], true),
        ("require-pass", &["mx.example.test; dmarc=none"], false),
        ("require-pass", &["mx.example.test; dmarc=temperror"], false),
        ("require-pass", &[], false),
        ("require-pass", &["mx.example.test; dmarc=pass"], true),
        ("off", &["mx.example.test; dmarc=fail"], true),
        ("refuse-fail", &["mx.example.test; spf=pass smtp.mailfrom=\"a)b\"@x; dmarc=fail"], false),
        ("refuse-fail", &["mx.example.test; spf=pass smtp.mailfrom=a(b@x; dmarc=fail"], false),
    ] {
        let s = checking(policy);
        let d = decide(&mail_with_results(PARTNER, form, results), &Known::default(), &env(&s, now));
        assert_eq!(d.outcome == Outcome::RequestCreated, created, "{policy} {results:?}: {d:?}");
    }
}

#[test]
fn without_an_authserv_id_a_dmarc_fail_is_not_read() {
    let (s, now) = (settings(), Utc::now());
    let known = Known { keyed: Some((request(State::AwaitingReview, InTime, now), Step::Review)), ..Known::default() };
    let d = decide(&mail_with_results(PARTNER, "SUBMIT", &["mx.example.test; dmarc=fail"]), &known, &env(&s, now));
    assert!(d.change.is_some());
    let v = d.verdict.unwrap();
    assert_eq!(v.auth.dmarc, DmarcVerdict::NotChecked);
    assert!(v.describe().contains("not checked"), "{}", v.describe());
}

#[test]
fn answers_to_mail_that_names_no_request_are_in_the_senders_language_and_about_one_in_its_own() {
    let now = Utc::now();
    let s = settings();
    let raw = |from: &str, subject: &str, headers: &str, body: &str| {
        let raw = format!(
            "From: {from}\r\nTo: desk@example.test\r\nSubject: {subject}\r\n{headers}Message-ID: <m@x.test>\r\n\r\n{body}\r\n"
        );
        Inbound::read(raw.as_bytes(), &a("desk@example.test"))
    };
    let answer = |inbound: &Inbound, known: &Known, s: &Settings| {
        let d = decide(inbound, known, &env(s, now));
        assert_eq!(d.emails.len(), 1, "{d:?}");
        (d.emails[0].kind(), d.emails[0].locale)
    };
    let none = Known::default();
    // An unknown sender, told by their words, their labels, their script, their client.
    for (body, headers, locale) in [
        ("AKZEPTIEREN", "", Locale::De),
        ("Kontoname: Acme\nKontodomäne: acme.example", "", Locale::De),
        ("はい、承認します。", "", Locale::Ja),
        ("拒绝", "", Locale::Zh),
        ("Hello", "Content-Language: pt-BR\r\n", Locale::Pt),
        ("Hello", "", Locale::En),
    ] {
        let inbound = raw(STRANGER, "Smart Account", headers, body);
        assert_eq!(answer(&inbound, &none, &s), (Kind::NotAuthorized, locale), "{body} {headers}");
    }
    // Nothing tells: the desk's default language.
    let mut french = settings();
    french.workflow.default_locale = Locale::Fr;
    assert_eq!(answer(&raw(STRANGER, "Smart Account", "", "Hello"), &none, &french), (Kind::NotAuthorized, Locale::Fr));
    // A partner: a reference the desk does not know, a mail without a form.
    let inbound = raw(PARTNER, "Re: [SA-7K3QX9PD] Attivi", "", "Sì, accetto");
    assert_eq!(answer(&inbound, &none, &s), (Kind::UnmatchedReply, Locale::It));
    let d = decide(&inbound, &none, &env(&s, now));
    let Content::UnmatchedReply { unknown_reference, .. } = &d.emails[0].content else { panic!("{d:?}") };
    assert_eq!(unknown_reference.as_ref().map(Reference::as_str), Some("SA-7K3QX9PD"), "said back to the sender");
    let inbound = raw(PARTNER, "Smart Account", "Content-Language: es-ES\r\n", "Hola, necesitamos una cuenta.");
    assert_eq!(answer(&inbound, &none, &s), (Kind::RequestInvalid, Locale::Es));
    // A refused forgery that names no request, to the envelope sender our server vouched for.
    let s_dmarc = checking("refuse-fail");
    let results =
        ["mx.example.test; spf=pass smtp.mailfrom=bounces@lists.customer.test; dmarc=fail header.from=customer.test"];
    let more = "Return-Path: <bounces@lists.customer.test>\r\nContent-Language: ja\r\n";
    let inbound = mail_with_headers(STRANGER, "ACCEPT", &results, more);
    assert_eq!(answer(&inbound, &none, &s_dmarc), (Kind::NotAuthorized, Locale::Ja));
    // About a request: its language, whoever writes and however.
    let mut pending = request(State::PendingCustomerAcceptance, InTime, now);
    pending.locale = Locale::Fr;
    let keyed = Known { keyed: Some((pending.clone(), Step::Activation)), ..Known::default() };
    assert_eq!(
        answer(&mail(STRANGER, "desk+act-x@example.test", "AKZEPTIEREN"), &keyed, &s),
        (Kind::NotAuthorized, Locale::Fr)
    );
    let by_subject = Known { by_subject: Some(pending), ..Known::default() };
    let inbound = raw(CUSTOMER, "Re: [SA-7K3QX9PD]", "", "AKZEPTIEREN");
    assert_eq!(answer(&inbound, &by_subject, &s), (Kind::UnmatchedReply, Locale::Fr));
}
