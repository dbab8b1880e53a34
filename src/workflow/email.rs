//! What the workflow asks to send: an `EmailPlan` names a reader, a language and the `Content`, kind by kind; `compose` renders it.
use crate::domain::{EmailAddress, Locale, Reference, Step};
use crate::read::form::{Field, Problem};
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

    pub fn parse(name: &str) -> Option<Kind> {
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

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

impl PartialEq<&str> for Kind {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// Why the desk refused to act on a message (`not_authorized`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The sender is not in `partners.allow`.
    UnknownSender,
    /// Someone other than the partner answered the review.
    NotPartner,
    /// Someone other than the customer answered the activation.
    NotCustomer,
    /// The partner holds `partners.max_open_requests` live requests.
    TooManyOpen { max: u32 },
    /// The partner made `partners.max_new_requests_per_day` requests in 24 hours.
    DailyLimit { max: u32 },
    /// A command whose From failed DMARC at our own server (`security.authserv_id`).
    DmarcFailed,
}

impl Refusal {
    /// The word the templates branch on.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::UnknownSender => "unknown_sender",
            Refusal::NotPartner => "not_partner",
            Refusal::NotCustomer => "not_customer",
            Refusal::TooManyOpen { .. } => "too_many_open",
            Refusal::DailyLimit { .. } => "daily_limit",
            Refusal::DmarcFailed => "dmarc_failed",
        }
    }

    pub fn limit(self) -> Option<u32> {
        match self {
            Refusal::TooManyOpen { max } | Refusal::DailyLimit { max } => Some(max),
            _ => None,
        }
    }
}

/// Who closed a request as `cancelled`: the partner's CANCEL, or an operator (with their reason, if given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelledBy {
    Partner,
    Operator { reason: Option<String> },
}

/// Why a reply changed nothing (`unmatched_reply`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmatched {
    /// The request is no longer waiting on this step.
    WrongState,
    /// The mail names a request but carries no key of it.
    NotLinked,
    /// The subject names no request the desk knows.
    UnknownReference,
    /// The reply's own text holds no command word.
    NoCommand,
    /// The reply's own text holds both command words.
    Ambiguous,
}

impl Unmatched {
    pub fn name(self) -> &'static str {
        match self {
            Unmatched::WrongState => "wrong_state",
            Unmatched::NotLinked => "not_linked",
            Unmatched::UnknownReference => "unknown_reference",
            Unmatched::NoCommand => "no_command",
            Unmatched::Ambiguous => "ambiguous",
        }
    }
}

/// What one email says: each kind carries exactly the values its template needs.
#[derive(Debug, Clone)]
pub enum Content {
    /// Every problem of the form, field by field; the composer writes them in the reader's language.
    RequestInvalid {
        problems: Vec<Problem>,
    },
    Review {
        request: Request,
    },
    RequestComplete {
        request: Request,
    },
    Activation {
        request: Request,
    },
    ActivatedPartner {
        request: Request,
    },
    ActivatedCustomer {
        request: Request,
    },
    UserAccess {
        request: Request,
    },
    Declined {
        request: Request,
    },
    DeclinedCustomer {
        request: Request,
    },
    Cancelled {
        request: Request,
        by: CancelledBy,
    },
    Reminder {
        request: Request,
        days_left: i64,
    },
    ExpiredCustomer {
        request: Request,
    },
    ExpiredPartner {
        request: Request,
    },
    ReviewExpired {
        request: Request,
    },
    Undeliverable {
        request: Request,
        bounce_detail: String,
    },
    NotAuthorized {
        refusal: Refusal,
        sender: String,
        request: Option<Request>,
    },
    /// `step`: the step the reply was about; with `offer_reply` the reader is
    /// given that step's reply address again (only ever the party the request waits on).
    UnmatchedReply {
        why: Unmatched,
        sender: String,
        request: Option<Request>,
        step: Option<Step>,
        offer_reply: bool,
        /// The reference the mail named when the desk has no request of that name: said back to the sender.
        unknown_reference: Option<Reference>,
    },
    /// The blank form, explained in each of `languages` (the first is the email's own).
    FormHelp {
        languages: Vec<Locale>,
    },
}

impl Content {
    pub fn kind(&self) -> Kind {
        match self {
            Content::RequestInvalid { .. } => Kind::RequestInvalid,
            Content::Review { .. } => Kind::Review,
            Content::RequestComplete { .. } => Kind::RequestComplete,
            Content::Activation { .. } => Kind::Activation,
            Content::ActivatedPartner { .. } => Kind::ActivatedPartner,
            Content::ActivatedCustomer { .. } => Kind::ActivatedCustomer,
            Content::UserAccess { .. } => Kind::UserAccess,
            Content::Declined { .. } => Kind::Declined,
            Content::DeclinedCustomer { .. } => Kind::DeclinedCustomer,
            Content::Cancelled { .. } => Kind::Cancelled,
            Content::Reminder { .. } => Kind::Reminder,
            Content::ExpiredCustomer { .. } => Kind::ExpiredCustomer,
            Content::ExpiredPartner { .. } => Kind::ExpiredPartner,
            Content::ReviewExpired { .. } => Kind::ReviewExpired,
            Content::Undeliverable { .. } => Kind::Undeliverable,
            Content::NotAuthorized { .. } => Kind::NotAuthorized,
            Content::UnmatchedReply { .. } => Kind::UnmatchedReply,
            Content::FormHelp { .. } => Kind::FormHelp,
        }
    }

    /// The request the email is about, if any.
    pub fn request(&self) -> Option<&Request> {
        match self {
            Content::Review { request }
            | Content::RequestComplete { request }
            | Content::Activation { request }
            | Content::ActivatedPartner { request }
            | Content::ActivatedCustomer { request }
            | Content::UserAccess { request }
            | Content::Declined { request }
            | Content::DeclinedCustomer { request }
            | Content::Cancelled { request, .. }
            | Content::Reminder { request, .. }
            | Content::ExpiredCustomer { request }
            | Content::ExpiredPartner { request }
            | Content::ReviewExpired { request }
            | Content::Undeliverable { request, .. } => Some(request),
            Content::NotAuthorized { request, .. } | Content::UnmatchedReply { request, .. } => request.as_ref(),
            Content::RequestInvalid { .. } | Content::FormHelp { .. } => None,
        }
    }

    /// The step whose reply address this email hands out, if any.
    pub fn reply_step(&self) -> Option<Step> {
        match self {
            Content::UnmatchedReply { step, offer_reply: true, .. } => *step,
            other => other.kind().reply_step(),
        }
    }

    /// A content of `kind` with sample values, for checking templates.
    pub fn sample(kind: Kind, request: Request, sender: &str) -> Content {
        let request_of = || request.clone();
        match kind {
            Kind::RequestInvalid => Content::RequestInvalid {
                problems: vec![
                    Problem::Missing(Field::CustomerEmail),
                    Problem::BadDomain { value: "not a <domain>".into() },
                    Problem::TooLong { field: Field::NoteToUsers, max: 2000, len: 2001 },
                ],
            },
            Kind::Review => Content::Review { request: request_of() },
            Kind::RequestComplete => Content::RequestComplete { request: request_of() },
            Kind::Activation => Content::Activation { request: request_of() },
            Kind::ActivatedPartner => Content::ActivatedPartner { request: request_of() },
            Kind::ActivatedCustomer => Content::ActivatedCustomer { request: request_of() },
            Kind::UserAccess => Content::UserAccess { request: request_of() },
            Kind::Declined => Content::Declined { request: request_of() },
            Kind::DeclinedCustomer => Content::DeclinedCustomer { request: request_of() },
            Kind::Cancelled => Content::Cancelled {
                request: request_of(),
                by: CancelledBy::Operator { reason: Some("Duplicate of <SA-2> & co".into()) },
            },
            Kind::Reminder => Content::Reminder { request: request_of(), days_left: 7 },
            Kind::ExpiredCustomer => Content::ExpiredCustomer { request: request_of() },
            Kind::ExpiredPartner => Content::ExpiredPartner { request: request_of() },
            Kind::ReviewExpired => Content::ReviewExpired { request: request_of() },
            Kind::Undeliverable => {
                Content::Undeliverable { request: request_of(), bounce_detail: "550 5.1.1 user unknown".into() }
            }
            Kind::NotAuthorized => {
                Content::NotAuthorized { refusal: Refusal::NotCustomer, sender: sender.into(), request: Some(request) }
            }
            Kind::UnmatchedReply => Content::UnmatchedReply {
                why: Unmatched::NoCommand,
                sender: sender.into(),
                request: Some(request),
                step: Some(Step::Activation),
                offer_reply: true,
                unknown_reference: None,
            },
            Kind::FormHelp => Content::FormHelp { languages: vec![Locale::En, Locale::Fr] },
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
    pub to: EmailAddress,
    pub locale: Locale,
    pub origin: Origin,
    /// The message this one answers: its Message-ID and References chain.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub content: Content,
}

impl EmailPlan {
    pub fn new(content: Content, to: EmailAddress, locale: Locale, origin: Origin) -> Self {
        EmailPlan { to, locale, origin, in_reply_to: None, references: Vec::new(), content }
    }

    pub fn kind(&self) -> Kind {
        self.content.kind()
    }

    pub fn request(&self) -> Option<&Request> {
        self.content.request()
    }
}
