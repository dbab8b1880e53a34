//! Pure reading of inbound mail: bytes in, typed facts out. No I/O, no clock.
pub mod auth_results;
pub mod automatic;
pub mod dsn;
pub mod form;
pub mod html;
mod inbound;
pub mod mail;
pub mod quote;
pub mod reply;
pub mod text;

pub use inbound::Inbound;
pub use mail::Mail;
