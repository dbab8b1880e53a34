//! `TestDesk`: a desk with its own addresses and database on the real mail
//! stack, plus mail helpers that send as a partner would and read what the
//! desk sent from the recipients' mailboxes over IMAP.
mod database;
mod desk;
pub mod process;
mod reading;
mod receiver;
mod sending;
mod stack;

pub use database::*;
pub use desk::*;
pub use reading::*;
pub use receiver::*;
pub use sending::*;
pub use stack::*;

/// The fields SPEC §6 promises in every request object (`requests list --json`, events).
pub const REQUEST_JSON_FIELDS: [&str; 13] = [
    "reference",
    "state",
    "account_name",
    "account_domain",
    "customer_email",
    "partner_email",
    "user_emails",
    "locale",
    "created_at",
    "submitted_at",
    "expires_at",
    "activated_at",
    "closed_at",
];
