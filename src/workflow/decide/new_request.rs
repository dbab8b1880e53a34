//! A partner's mail that is not a reply: the blank form, a refused form, a limit, or a new request.
use super::{
    Authentication, Decision, EventKind, Inbound, Known, Outcome, Verdict, answer, expiry, queue_capped,
    refuse_unauthenticated,
};
use crate::domain::{EmailAddress, Locale, State};
use crate::email::{Content, EmailPlan, Origin, Refusal};
use crate::read::form::{self, Field, Own, Problem, RequestForm};
use crate::request::Request;

pub(super) fn from_form(
    inbound: &Inbound,
    sender: &EmailAddress,
    auth: &Authentication,
    known: &Known,
    env: &super::Env<'_>,
) -> Decision {
    let s = env.settings;
    let verdict = |applied| Verdict {
        command: "FORM",
        step: None,
        key: "none".into(),
        sender: format!("{sender} is in partners.allow"),
        auth: auth.clone(),
        applied,
    };
    if auth.refused(s.security.dmarc) {
        // Checked before anything is read or held: a forged form creates
        // nothing, holds no domain and uses none of the partner's quota.
        let mut d = Decision::new(Outcome::Refused, format!("form from {sender} refused: {}", auth.describe()));
        d.verdict = Some(verdict(false));
        return refuse_unauthenticated(d, inbound, auth, None, known, env);
    }
    // The sender's own words first: a corrected form above a quoted answer
    // must not be mixed with the quote. A forwarded form has no own labels.
    let raw = if inbound.own_form.is_empty() { &inbound.form } else { &inbound.own_form };
    if form::is_help_subject(&inbound.mail.subject) || (raw.is_empty() && inbound.own_text_empty) {
        let languages = help_languages(inbound.language, s.workflow.default_locale);
        let mut d = Decision::new(Outcome::Help, "sent the blank form");
        let plan = answer(inbound, Content::FormHelp { languages: languages.to_vec() }, languages[0]);
        queue_capped(&mut d, plan, known, env);
        return d;
    }

    // A form that does not tell its language is answered in the sender's, when their mail tells it.
    let default = super::senders_language(inbound, env);
    let locale = form::locale_of(raw, default);
    let valid = match form::validate(raw, default) {
        Ok(valid) => valid,
        Err(problems) => return invalid(inbound, locale, &problems, known, env),
    };
    let own = own_addresses(&valid, sender, &s.mailbox.address);
    if !own.is_empty() {
        return invalid(inbound, locale, &own, known, env);
    }
    if let Some(live) = &known.live_for_domain {
        let problem =
            Problem::DomainBusy { domain: valid.account_domain.to_string(), reference: live.reference.to_string() };
        return invalid(inbound, locale, &[problem], known, env);
    }
    let p = &s.partners;
    let limit = if known.partner_open >= p.max_open_requests {
        Some((Refusal::TooManyOpen { max: p.max_open_requests }, "partners.max_open_requests"))
    } else if known.partner_created_today >= p.max_new_requests_per_day {
        Some((Refusal::DailyLimit { max: p.max_new_requests_per_day }, "partners.max_new_requests_per_day"))
    } else {
        None
    };
    if let Some((refusal, key)) = limit {
        let mut d = Decision::new(
            Outcome::Refused,
            format!(
                "{sender} is at {key} ({}); form for {} refused",
                refusal.limit().unwrap_or(0),
                valid.account_domain
            ),
        );
        let content = Content::NotAuthorized { refusal, sender: sender.to_string(), request: None };
        queue_capped(&mut d, answer(inbound, content, locale), known, env);
        return d;
    }

    let mut request = Request {
        id: None,
        reference: env.new_reference.clone(),
        state: State::AwaitingReview,
        account_name: valid.account_name,
        account_domain: valid.account_domain,
        customer_email: valid.customer_email,
        partner_email: sender.clone(),
        user_emails: valid.user_emails,
        note_to_customer: valid.note_to_customer,
        note_to_users: valid.note_to_users,
        locale: valid.locale,
        created_at: env.now,
        submitted_at: None,
        expires_at: None,
        activated_at: None,
        closed_at: None,
        last_reminder_days: None,
        partner_name: inbound.mail.from_name.clone(),
        partner_company: valid.partner_company,
        erased_at: None,
    };
    let mut d = Decision::new(Outcome::RequestCreated, format!("{} for {}", request.reference, request.account_domain));
    d.event(
        EventKind::Received,
        format!("request form from {sender} (Message-ID {}; {})", inbound.mail.message_id, auth.describe()),
    );
    d.verdict = Some(verdict(true));
    if s.workflow.review {
        d.emails.push(answer(inbound, Content::Review { request: request.clone() }, request.locale));
        d.event(EventKind::ReviewSent, format!("review email to {sender}"));
    } else {
        submit(&mut request, env);
        d.event(EventKind::Submitted, "workflow.review = false: submitted on receipt");
        submitted_emails(&mut d, inbound, &request);
    }
    d.change = Some(super::Change::Create(Box::new(request)));
    d
}

/// The languages of the blank form's email: the sender's, when their mail
/// tells it, then English (or French for an English writer: SPEC §3's two
/// languages stay together); when it does not tell, the desk's own and the
/// other of English and French, as the first releases did.
pub(super) fn help_languages(told: Option<Locale>, default: Locale) -> [Locale; 2] {
    let first = told.unwrap_or(default);
    [first, if first == Locale::En { Locale::Fr } else { Locale::En }]
}

/// SUBMIT: the request waits on the customer until `acceptance_days` from now.
pub(super) fn submit(request: &mut Request, env: &super::Env<'_>) {
    request.state = State::PendingCustomerAcceptance;
    request.submitted_at = Some(env.now);
    request.expires_at = Some(expiry::acceptance_deadline(env.now, env.settings));
}

/// `request complete` to the partner (threaded under their mail) and the activation to the customer.
pub(super) fn submitted_emails(d: &mut Decision, inbound: &Inbound, request: &Request) {
    d.emails.push(answer(inbound, Content::RequestComplete { request: request.clone() }, request.locale));
    d.emails.push(EmailPlan::new(
        Content::Activation { request: request.clone() },
        request.customer_email.clone(),
        request.locale,
        Origin::Reply,
    ));
    d.event(EventKind::ActivationSent, format!("activation email to {}", request.customer_email));
}

/// The customer and the users may be neither the partner (who would then
/// approve their own request) nor the desk, plus forms included.
fn own_addresses(valid: &RequestForm, partner: &EmailAddress, desk: &EmailAddress) -> Vec<Problem> {
    let whose = |a: &EmailAddress| {
        if a.same_mailbox(partner) {
            Some(Own::Partner)
        } else if a.same_mailbox(desk) {
            Some(Own::Desk)
        } else {
            None
        }
    };
    let mut problems = Vec::new();
    if let Some(own) = whose(&valid.customer_email) {
        problems.push(Problem::OwnAddress {
            field: Field::CustomerEmail,
            value: valid.customer_email.to_string(),
            own,
        });
    }
    if let Some((user, own)) = valid.user_emails.iter().find_map(|u| Some((u, whose(u)?))) {
        problems.push(Problem::OwnAddress { field: Field::UserEmails, value: user.to_string(), own });
    }
    problems
}

fn invalid(inbound: &Inbound, locale: Locale, problems: &[Problem], known: &Known, env: &super::Env<'_>) -> Decision {
    let fields: Vec<&str> = problems.iter().map(|p| p.field().key()).collect();
    let mut d = Decision::new(Outcome::Invalid, format!("form refused: {}", fields.join(", ")));
    let content = Content::RequestInvalid { problems: problems.to_vec() };
    queue_capped(&mut d, answer(inbound, content, locale), known, env);
    d
}
