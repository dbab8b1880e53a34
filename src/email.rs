//! What the workflow asks to send: an `EmailPlan` names a kind, a reader and the facts; `compose` renders it.
use crate::domain::{EmailAddress, Locale, Step};
use crate::request::Request;

/// Every kind of email of SPEC §8, plus `cancelled` (the partner's CANCEL acknowledged)
/// `review_expired` (no SUBMIT within `workflow.review_days`) and
/// `declined_customer` (the customer's DECLINE acknowledged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    RequestInvalid,
    Review,
    RequestComplete,
    Activation,
    ActivatedPartner,
    ActivatedCustomer,
    UserAccess,
    Declined,
    Reminder,
    ExpiredCustomer,
    ExpiredPartner,
    NotAuthorized,
    UnmatchedReply,
    FormHelp,
    Undeliverable,
    Cancelled,
    ReviewExpired,
    DeclinedCustomer,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::RequestInvalid,
        Kind::Review,
        Kind::RequestComplete,
        Kind::Activation,
        Kind::ActivatedPartner,
        Kind::ActivatedCustomer,
        Kind::UserAccess,
        Kind::Declined,
        Kind::Reminder,
        Kind::ExpiredCustomer,
        Kind::ExpiredPartner,
        Kind::NotAuthorized,
        Kind::UnmatchedReply,
        Kind::FormHelp,
        Kind::Undeliverable,
        Kind::Cancelled,
        Kind::ReviewExpired,
        Kind::DeclinedCustomer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::RequestInvalid => "request_invalid",
            Kind::Review => "review",
            Kind::RequestComplete => "request_complete",
            Kind::Activation => "activation",
            Kind::ActivatedPartner => "activated_partner",
            Kind::ActivatedCustomer => "activated_customer",
            Kind::UserAccess => "user_access",
            Kind::Declined => "declined",
            Kind::Reminder => "reminder",
            Kind::ExpiredCustomer => "expired_customer",
            Kind::ExpiredPartner => "expired_partner",
            Kind::NotAuthorized => "not_authorized",
            Kind::UnmatchedReply => "unmatched_reply",
            Kind::FormHelp => "form_help",
            Kind::Undeliverable => "undeliverable",
            Kind::Cancelled => "cancelled",
            Kind::ReviewExpired => "review_expired",
            Kind::DeclinedCustomer => "declined_customer",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Refusals and error answers: capped per sender and day (SPEC §4).
    pub fn is_refusal(self) -> bool {
        matches!(self, Kind::RequestInvalid | Kind::NotAuthorized | Kind::UnmatchedReply | Kind::FormHelp)
    }

    /// The kinds that expect an answer carry a reply address for this step.
    pub fn reply_step(self) -> Option<Step> {
        match self {
            Kind::Review => Some(Step::Review),
            Kind::Activation | Kind::Reminder => Some(Step::Activation),
            _ => None,
        }
    }
}

/// `Auto-Submitted` value: answers to mail are `auto-replied`, the sweep's notices `auto-generated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Reply,
    Sweep,
}

/// One email the workflow decided to send. Rendering and the reply token are the composer's job.
#[derive(Debug, Clone)]
pub struct EmailPlan {
    pub kind: Kind,
    pub to: EmailAddress,
    pub locale: Locale,
    /// The request as it is after the decision (its id may be `None` when it is new).
    pub request: Option<Request>,
    /// The message this one answers: its Message-ID and References chain.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub origin: Origin,
    /// Give the reader the reply address of `step` again (only ever set when
    /// the reader is the party of that step, for a request waiting on it).
    pub offer_reply: bool,
    pub reason: Option<&'static str>,
    pub step: Option<Step>,
    pub sender: Option<String>,
    pub problems: Vec<(String, String)>,
    pub days_left: Option<i64>,
    pub bounce_detail: Option<String>,
    /// The limit a refusal names (`partners.max_open_requests`, …).
    pub limit: Option<u32>,
}

impl EmailPlan {
    pub fn new(kind: Kind, to: EmailAddress, locale: Locale, origin: Origin) -> Self {
        EmailPlan {
            kind,
            to,
            locale,
            request: None,
            in_reply_to: None,
            references: Vec::new(),
            origin,
            offer_reply: false,
            reason: None,
            step: None,
            sender: None,
            problems: Vec::new(),
            days_left: None,
            bounce_detail: None,
            limit: None,
        }
    }
}
