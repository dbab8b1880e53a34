//! The pure core: the workflow's types, readers and decisions. No I/O, no clock, no randomness: time and new references are passed in.
pub mod decide;
pub mod domain;
pub mod email;
pub mod hook_event;
pub mod i18n;
pub mod read;
pub mod request;
