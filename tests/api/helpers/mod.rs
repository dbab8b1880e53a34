//! `TestDesk`: a desk with its own addresses and database on the real mail
//! stack, plus mail helpers that send as a partner would and read what the
//! desk sent from the recipients' mailboxes over IMAP.
mod desk;
mod process;
mod reading;
mod receiver;
mod sending;
mod stack;

pub use desk::*;
pub use reading::*;
pub use receiver::*;
pub use sending::*;
pub use stack::*;
