//! `State`: where a request is in the workflow of SPEC §1.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    AwaitingReview,
    PendingCustomerAcceptance,
    Active,
    Declined,
    Expired,
    Cancelled,
    ReviewExpired,
    Undeliverable,
}

impl State {
    pub const ALL: [State; 8] = [
        State::AwaitingReview,
        State::PendingCustomerAcceptance,
        State::Active,
        State::Declined,
        State::Expired,
        State::Cancelled,
        State::ReviewExpired,
        State::Undeliverable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::AwaitingReview => "awaiting_review",
            State::PendingCustomerAcceptance => "pending_customer_acceptance",
            State::Active => "active",
            State::Declined => "declined",
            State::Expired => "expired",
            State::Cancelled => "cancelled",
            State::ReviewExpired => "review_expired",
            State::Undeliverable => "undeliverable",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Live requests hold their domain: a second request for it is refused.
    pub fn is_live(self) -> bool {
        matches!(self, State::AwaitingReview | State::PendingCustomerAcceptance)
    }

    pub fn is_terminal(self) -> bool {
        !self.is_live()
    }
}
