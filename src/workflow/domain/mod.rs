//! Domain types parsed once at the edge, so inner code never sees an unchecked string.
mod account_domain;
mod email_address;
mod locale;
mod printable;
mod reference;
mod state;
mod token;

pub use account_domain::AccountDomain;
pub use email_address::EmailAddress;
pub use locale::Locale;
pub use printable::{printable, strip_controls, strip_invisible};
pub use reference::Reference;
pub use state::State;
pub use token::{Key, Step, Token};
