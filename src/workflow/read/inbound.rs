//! `Inbound`: every fact `decide` needs from one raw message, read once (pure).
use super::form::{self, RawForm};
use super::reply::Words;
use super::{Mail, automatic};
use crate::domain::{EmailAddress, Key, Reference};

/// The facts read from one inbound message.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub mail: Mail,
    /// Step keys from plus tags (first) and from the desk's Message-IDs in In-Reply-To/References.
    pub keys: Vec<Key>,
    pub subject_reference: Option<Reference>,
    pub words: Words,
    /// The form read from the whole body (forwarded forms included).
    pub form: RawForm,
    /// The form read from the sender's own text only (quotes cut).
    pub own_form: RawForm,
    pub own_text_empty: bool,
    /// The delivery status notification, when the mail is one.
    pub dsn: Option<super::dsn::Dsn>,
}

impl Inbound {
    pub fn read(raw: &[u8], desk: &EmailAddress) -> Inbound {
        let mail = Mail::parse(raw);
        let mut keys: Vec<Key> = Vec::new();
        for r in &mail.recipients {
            if let (true, (_, Some(tag))) = (r.same_mailbox(desk), r.split_plus()) {
                keys.extend(Key::parse_prefix(tag).filter(|k| !keys.contains(k)));
            }
        }
        for id in &mail.thread_ids {
            if let Some((local, domain)) = id.rsplit_once('@')
                && domain.eq_ignore_ascii_case(desk.domain())
            {
                keys.extend(Key::parse_prefix(local).filter(|k| !keys.contains(k)));
            }
        }
        let own = super::reply::own_text(&mail.body);
        let dsn = automatic::is_bounce(&mail).then(|| super::dsn::parse(raw, &mail.recipients, desk));
        Inbound {
            dsn,
            keys,
            subject_reference: Reference::find_in(&mail.subject),
            words: Words::read(&mail.body),
            form: form::scan(&mail.body),
            own_form: form::scan(&own),
            own_text_empty: own.trim().is_empty(),
            mail,
        }
    }
}
