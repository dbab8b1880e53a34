//! One pass over the mailbox: fetch in batches, read, decide and commit each batch in one transaction, and only then move its messages.
use std::panic::AssertUnwindSafe;

use anyhow::Context as _;
use chrono::{Duration, Utc};
use std::time::Instant;

use crate::app::App;
use crate::decide::{self, Env, Inbound, Known, Outcome};
use crate::domain::{AccountDomain, Reference};
use crate::imap::{Fetched, Imap};
use crate::read::form::Field;
use crate::store::{Batch, Committed, InboundRecord, Seen, StoreError};

/// Counts of one pass, for the log and tests.
#[derive(Debug, Default, Clone, Copy)]
pub struct PollReport {
    pub seen: usize,
    pub processed: usize,
    pub duplicates: usize,
    pub set_aside: usize,
    pub failed: usize,
    pub uidvalidity: u32,
    /// The highest UID the pass listed (0: none): mail above it came during the pass.
    pub highest_uid: u32,
}

/// `poll --once`: one pass over the mailbox, then every pending email sent (backoff ignored).
/// The outbox is delivered while the mailbox is read (a backlog's emails go
/// out at the SMTP server's speed while the rest is being read), then once
/// more, every pending email whatever its backoff (unless the server failed
/// during the pass). It is delivered even when
/// the pass failed half-way (a MOVE refused, the server gone): what was
/// committed is sent, then the failure is reported.
pub async fn poll_and_deliver(app: &App) -> anyhow::Result<(PollReport, crate::delivery::Delivered)> {
    let started = std::time::Instant::now();
    let (done, reading) = tokio::sync::watch::channel(false);
    let intake = async {
        let polled = poll_once(app).await;
        let _ = done.send(true);
        (polled, started.elapsed())
    };
    let sender = async {
        let mut total = crate::delivery::Delivered::default();
        let mut reading = reading;
        while !*reading.borrow() {
            total += crate::delivery::deliver(app, Utc::now(), false).await?;
            // New mail is committed a batch at a time: look again shortly.
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_millis(50)) => {}
                _ = reading.changed() => {}
            }
        }
        // Whatever its backoff, unless this pass found the server failing
        // already: the emails it just tried would only fail again at once.
        total += crate::delivery::deliver(app, Utc::now(), total.retrying == 0).await?;
        anyhow::Ok(total)
    };
    let ((polled, intake), delivered) = tokio::join!(intake, sender);
    let delivered = delivered?;
    tracing::info!(
        intake_ms = intake.as_millis() as u64,
        delivery_ms = (started.elapsed() - intake).as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "poll --once timings (delivery_ms: after the mailbox pass)"
    );
    crate::hooks::deliver_until(app, Utc::now(), true, None).await?;
    match polled {
        Ok(report) => Ok((report, delivered)),
        Err(e) => {
            if delivered.sent > 0 {
                tracing::info!(sent = delivered.sent, "outbox delivered although the mailbox pass failed");
            }
            Err(e)
        }
    }
}

/// Processes every message waiting in `imap.folder` now, on a new connection.
pub async fn poll_once(app: &App) -> anyhow::Result<PollReport> {
    let Some(settings) = &app.settings.imap else {
        tracing::info!("no [imap]: mail comes over LMTP; nothing to poll");
        return Ok(PollReport::default());
    };
    let mut imap = Imap::connect(settings, app.tokens.as_ref()).await?;
    let result = async {
        prepare(app, &mut imap).await?;
        process_waiting(app, &mut imap, None).await
    }
    .await;
    imap.logout().await;
    result
}

/// Creates the folders the desk moves mail to, once per connection.
pub async fn prepare(app: &App, imap: &mut Imap) -> anyhow::Result<()> {
    let s = app.settings.imap()?;
    imap.ensure_folder(&s.processed_folder).await?;
    imap.ensure_folder(&s.rejected_folder).await?;
    Ok(())
}

/// One pass over the folder: every message in it, in batches. With `stop`
/// set, the message in hand is finished and committed, the finished ones are
/// moved, and the rest stay for the next start.
pub async fn process_waiting(
    app: &App,
    imap: &mut Imap,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> anyhow::Result<PollReport> {
    let s = app.settings.imap()?;
    let stopped = || stop.is_some_and(|s| *s.borrow());
    let selected = imap.select(&s.folder).await?;
    if let Some(before) = app.store.last_uidvalidity(&s.folder).await?.filter(|v| *v != selected.uidvalidity) {
        tracing::warn!(
            folder = %s.folder,
            before,
            now = selected.uidvalidity,
            "UIDVALIDITY changed: the folder was rebuilt; every message in it is read again, and Message-IDs keep any from being processed twice"
        );
    }
    let uids = imap.all_uids().await?;
    let mut report = PollReport {
        seen: uids.len(),
        uidvalidity: selected.uidvalidity,
        highest_uid: uids.last().copied().unwrap_or(0),
        ..Default::default()
    };
    if !uids.is_empty() {
        tracing::info!(folder = %s.folder, messages = uids.len(), "mail waiting");
    }
    for chunk in uids.chunks(s.batch_size) {
        if stopped() {
            break;
        }
        // Oversized mail is moved aside unread; the rest is fetched in one round trip.
        let sizes = imap.sizes(chunk).await?;
        let (big, small): (Vec<_>, Vec<_>) =
            sizes.into_iter().partition(|(_, size)| *size as u64 > s.max_message_bytes);
        if !big.is_empty() {
            let mut batch = app.store.begin_batch().await?;
            for (uid, size) in &big {
                let record = InboundRecord {
                    message_id: format!("oversized:{}:{}:{uid}", s.folder, selected.uidvalidity),
                    content_hash: String::new(),
                    folder: s.folder.clone(),
                    uidvalidity: selected.uidvalidity,
                    uid: *uid,
                    sender: None,
                    subject: String::new(),
                };
                let detail = format!(
                    "{size} bytes, over imap.max_message_bytes ({}); moved unread to {}",
                    s.max_message_bytes, s.rejected_folder
                );
                batch.record_set_aside(&record, "oversized", &detail, None, Utc::now()).await?;
            }
            batch.commit().await?;
            for (uid, size) in &big {
                tracing::warn!(uid, size, folder = %s.rejected_folder, "message too large; moved aside unread");
            }
            let big_uids: Vec<u32> = big.iter().map(|(u, _)| *u).collect();
            mark_aside(imap, &big_uids, selected.uidvalidity).await;
            imap.move_to(&big_uids, &s.rejected_folder).await?;
            report.set_aside += big.len();
        }
        // Several smaller fetches when the mail is large, so one command never carries too much.
        for group in by_size(&small, FETCH_BYTES) {
            let fetched = imap.fetch(&group).await?;
            crate::faults::checkpoint("fetched").await;
            let (mut done, mut aside) = (Vec::new(), Vec::new());
            for (uid, result) in
                process_batch(app, &fetched, Door::Mailbox { uidvalidity: selected.uidvalidity }, &stopped).await
            {
                match result {
                    Ok(Committed::Applied { .. }) => {
                        report.processed += 1;
                        done.push(uid);
                    }
                    Ok(Committed::Duplicate) => {
                        report.duplicates += 1;
                        done.push(uid);
                    }
                    Ok(Committed::SetAside) => {
                        report.set_aside += 1;
                        aside.push(uid);
                    }
                    Err(e) => {
                        // Left in the folder: the next pass reads it again.
                        report.failed += 1;
                        tracing::error!(
                            uid,
                            error = crate::telemetry::chain(e.as_ref()),
                            "cannot process message; left in place for the next pass"
                        );
                    }
                }
            }
            // Only committed messages move: a crash before this line re-reads them,
            // and the Message-ID check makes that harmless.
            let processed = crate::faults::move_target_override().unwrap_or_else(|| s.processed_folder.clone());
            imap.move_to(&done, &processed).await?;
            mark_aside(imap, &aside, selected.uidvalidity).await;
            imap.move_to(&aside, &s.rejected_folder).await?;
            crate::faults::checkpoint("moved").await;
            if stopped() {
                break;
            }
        }
    }
    Ok(report)
}

/// The IMAP keyword a set-aside mail carries into the rejected folder, named
/// after where it was read (the inbound record's uidvalidity and uid), so
/// `mail reprocess` finds it there again.
pub fn aside_keyword(uidvalidity: u32, uid: u32) -> String {
    format!("smartacct-aside-{uidvalidity}-{uid}")
}

/// Flags mail about to be set aside; a server without keywords only costs the operator `mail reprocess`.
async fn mark_aside(imap: &mut Imap, uids: &[u32], uidvalidity: u32) {
    for &uid in uids {
        if let Err(e) = imap.add_keyword(uid, &aside_keyword(uidvalidity, uid)).await {
            tracing::warn!(
                uid,
                error = crate::telemetry::chain(&e),
                "cannot flag a set-aside mail; `mail reprocess` will not find it"
            );
        }
    }
}

/// Bytes of mail fetched in one command at most (a single larger message goes alone).
const FETCH_BYTES: u64 = 16 * 1024 * 1024;

/// Consecutive groups of UIDs whose sizes add up to at most `limit` each.
fn by_size(sizes: &[(u32, u32)], limit: u64) -> Vec<Vec<u32>> {
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut total = u64::MAX;
    for &(uid, size) in sizes {
        if total.saturating_add(size as u64) > limit {
            groups.push(Vec::new());
            total = 0;
        }
        total += size as u64;
        groups.last_mut().expect("pushed above").push(uid);
    }
    groups
}

/// The desk's own DKIM and DMARC check of each message (`security.verify_dkim`), by UID:
/// its result, or why it could not be made now.
type OwnChecks = std::collections::HashMap<u32, Result<crate::decide::OwnCheck, String>>;

/// Made before the batch's transaction begins: DNS never holds the database.
/// Mail no decision will authenticate (automatic mail, bounces, no From) is
/// not checked; each check is bounded in time.
async fn own_checks(app: &App, fetched: &[Fetched]) -> OwnChecks {
    let mut checks = OwnChecks::new();
    let Some(checker) = &app.own_checker else {
        return checks;
    };
    for f in fetched {
        let Some(raw) = f.body.as_deref() else { continue };
        let Ok(mail) = std::panic::catch_unwind(AssertUnwindSafe(|| crate::read::Mail::parse(raw))) else { continue };
        let desk = &app.settings.mailbox.address;
        if mail.from.is_none()
            || mail.sender_problem.is_some()
            || crate::read::automatic::is_bounce(&mail)
            || crate::read::automatic::reason(&mail, desk, false).is_some()
        {
            continue;
        }
        let envelope = mail.return_path.as_ref().map(|a| a.domain());
        let result = match tokio::time::timeout(OWN_CHECK_LIMIT, checker.check(raw, envelope)).await {
            Ok(Ok(check)) => Ok(check),
            Ok(Err(e)) => Err(crate::telemetry::chain(&e)),
            Err(_) => Err(format!(
                "cannot check DKIM and DMARC over DNS within {} s; the mail is left for the next pass",
                OWN_CHECK_LIMIT.as_secs()
            )),
        };
        checks.insert(f.uid, result);
    }
    checks
}

/// The most one message's own check may take (every DNS query of it).
const OWN_CHECK_LIMIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Reads, decides and applies `fetched` in order in one transaction, then
/// commits it (SPEC §5 per batch: nothing moves before its commit). Once
/// `stopped`, the message in hand is finished and the rest are left. A failure
/// undoes the batch, and its messages are then committed one at a time, so a
/// message that cannot be processed costs only itself.
async fn process_batch(
    app: &App,
    fetched: &[Fetched],
    door: Door,
    stopped: &dyn Fn() -> bool,
) -> Vec<(u32, anyhow::Result<Committed>)> {
    let checks = own_checks(app, fetched).await;
    if fetched.len() > 1 {
        match commit_batch(app, fetched, door, stopped, &checks).await {
            Ok(handled) => return handled.into_iter().map(|h| (h.uid, Ok(h.finish()))).collect(),
            // Said here too: a cause that depends on timing (a conflict, a
            // busy database) may not come back when the messages go alone.
            Err(e) => tracing::warn!(
                messages = fetched.len(),
                error = crate::telemetry::chain(e.as_ref()),
                "a batch failed and was undone; its messages are committed one at a time"
            ),
        }
    }
    let mut results = Vec::with_capacity(fetched.len());
    for f in fetched {
        if stopped() {
            break;
        }
        match commit_batch(app, std::slice::from_ref(f), door, stopped, &checks).await {
            Ok(handled) => results.extend(handled.into_iter().map(|h| (h.uid, Ok(h.finish())))),
            Err(e) => results.push((f.uid, Err(e))),
        }
    }
    results
}

/// One transaction over `fetched` (at least the first, then until `stopped`).
async fn commit_batch(
    app: &App,
    fetched: &[Fetched],
    door: Door,
    stopped: &dyn Fn() -> bool,
    checks: &OwnChecks,
) -> anyhow::Result<Vec<Handled>> {
    let mut batch = app.store.begin_batch().await?;
    let mut handled = Vec::with_capacity(fetched.len());
    for (i, f) in fetched.iter().enumerate() {
        if i > 0 && stopped() {
            break;
        }
        match process(app, &mut batch, f, door, checks).await {
            Ok(h) => handled.push(h),
            Err(e) => {
                // Undone now, before the messages are tried again alone.
                batch.rollback().await;
                return Err(e);
            }
        }
        crate::faults::checkpoint("applied").await;
    }
    batch.commit().await?;
    crate::faults::checkpoint("committed").await;
    Ok(handled)
}

/// Where a message came in: one intake, two doors.
#[derive(Debug, Clone, Copy)]
enum Door {
    /// Fetched from the watched folder (its UIDVALIDITY).
    Mailbox { uidvalidity: u32 },
    /// Handed over by the MTA (SPEC §13).
    Lmtp,
}

impl Door {
    fn folder(self, settings: &crate::configuration::Settings) -> String {
        match self {
            Door::Mailbox { .. } => settings.imap.as_ref().map_or_else(String::new, |i| i.folder.clone()),
            Door::Lmtp => LMTP_FOLDER.to_string(),
        }
    }

    fn uidvalidity(self) -> u32 {
        match self {
            Door::Mailbox { uidvalidity } => uidvalidity,
            Door::Lmtp => 0,
        }
    }

    /// Where a message set aside unread waits for the operator.
    fn aside(self, settings: &crate::configuration::Settings) -> String {
        match self {
            Door::Mailbox { .. } => {
                format!("moved to {}", settings.imap.as_ref().map_or("", |i| i.rejected_folder.as_str()))
            }
            Door::Lmtp => "kept in the database for `smartacct mail reprocess`".to_string(),
        }
    }
}

/// The folder name the inbound records of LMTP mail carry.
pub const LMTP_FOLDER: &str = "lmtp";

fn hex_digest(raw: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(raw).iter().map(|b| format!("{b:02x}")).collect()
}

/// What became of a message handed over by the LMTP door, once committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Decided,
    /// The same message was decided before (the MTA delivered it twice).
    Duplicate,
    /// Read as no mail (a reader failure): recorded and kept for the operator.
    SetAside,
}

/// The LMTP door: one message read, decided and committed in its own
/// transaction, the same path as a fetched batch. `Ok` only once committed:
/// the MTA is told 250 then, and an error (the store down) is its 451.
pub async fn take(app: &App, raw: &[u8]) -> anyhow::Result<Taken> {
    take_all(app, vec![raw.to_vec()]).await.pop().context("a batch of one message handled none")?
}

/// Several messages from the LMTP door in one transaction (group commit), as
/// a fetched batch: a message that fails costs only itself. One result each, in order.
pub async fn take_all(app: &App, raws: Vec<Vec<u8>>) -> Vec<anyhow::Result<Taken>> {
    let fetched: Vec<Fetched> = raws
        .into_iter()
        .enumerate()
        .map(|(i, raw)| Fetched { uid: i as u32 + 1, size: raw.len() as u32, body: Some(raw) })
        .collect();
    let mut results = process_batch(app, &fetched, Door::Lmtp, &|| false).await;
    fetched
        .iter()
        .map(|f| match results.iter().position(|(uid, _)| *uid == f.uid) {
            Some(i) => results.swap_remove(i).1.map(|c| match c {
                Committed::Applied { .. } => Taken::Decided,
                Committed::Duplicate => Taken::Duplicate,
                Committed::SetAside => Taken::SetAside,
            }),
            None => Err(anyhow::anyhow!("not processed")),
        })
        .collect()
}

/// A message applied in a batch, and what the log and metrics say of it once the batch commits.
struct Handled {
    uid: u32,
    committed: Committed,
    said: Said,
}

enum Said {
    Processed {
        from: String,
        outcome: Outcome,
        detail: String,
        emails: usize,
        clash: bool,
        /// Reading, deciding and applying it (not its wait for the batch's commit).
        took: std::time::Duration,
    },
    /// Processed before (with that outcome): nothing applied.
    Duplicate { message_id: String, outcome: String },
    /// Recorded unread, and why.
    SetAside(String),
}

impl Handled {
    /// Logs what became of the message, now that it is committed.
    fn finish(self) -> Committed {
        let uid = self.uid;
        match self.said {
            Said::Processed { from, outcome, detail, emails, clash, took } => {
                if clash {
                    tracing::warn!(
                        uid,
                        "a different message reused a Message-ID already processed; read as a new message"
                    );
                }
                if let Committed::Applied { .. } = self.committed {
                    crate::metrics::message(outcome, took);
                }
                tracing::info!(uid, from, outcome = outcome.name(), detail, emails, "message processed");
            }
            Said::Duplicate { message_id, outcome } => {
                tracing::info!(uid, message_id, outcome, "already processed; not read again");
            }
            Said::SetAside(detail) => tracing::error!(uid, "{detail}"),
        }
        self.committed
    }
}

/// Reads, decides and applies one message inside `batch`.
async fn process(app: &App, batch: &mut Batch, f: &Fetched, door: Door, checks: &OwnChecks) -> anyhow::Result<Handled> {
    let started = Instant::now();
    let settings = &app.settings;
    let raw = f.body.as_deref().context("the server returned no body")?;
    let record_of = |message_id: String, content_hash: String, sender: Option<String>, subject: String| InboundRecord {
        message_id,
        content_hash,
        folder: door.folder(settings),
        uidvalidity: door.uidvalidity(),
        uid: f.uid,
        sender,
        subject,
    };
    let handled = |committed, said| Handled { uid: f.uid, committed, said };
    // A message that makes the reader panic must not stop the desk, nor come
    // back on every pass: it is recorded and set aside, unanswered.
    let unreadable = |what: &str| {
        let id = match door {
            Door::Mailbox { uidvalidity } => format!("unreadable:{}:{uidvalidity}:{}", door.folder(settings), f.uid),
            Door::Lmtp => format!("unreadable:lmtp:{}", hex_digest(raw)),
        };
        let record = record_of(id, String::new(), None, String::new());
        (record, format!("{what} failed on this message; {}", door.aside(settings)))
    };
    // Mail from the LMTP door has no folder to wait in: its bytes are kept with its record.
    let kept = matches!(door, Door::Lmtp).then_some(raw);
    let Ok(inbound) = std::panic::catch_unwind(AssertUnwindSafe(|| Inbound::read(raw, &settings.mailbox.address)))
    else {
        let (record, detail) = unreadable("reading");
        batch.record_set_aside(&record, "unreadable", &detail, kept, Utc::now()).await?;
        return Ok(handled(Committed::SetAside, Said::SetAside(detail)));
    };
    let mail = &inbound.mail;
    let record = record_of(
        mail.message_id.clone(),
        mail.content_hash.clone(),
        mail.from.as_ref().map(ToString::to_string).or_else(|| Some(mail.from_raw.clone())),
        mail.subject.clone(),
    );
    let (seen, own_message_id) = batch.seen_inbound(&mail.message_id, &mail.content_hash).await?;
    let clash = match seen {
        Seen::Duplicate(outcome) => {
            let said = Said::Duplicate { message_id: mail.message_id.clone(), outcome };
            return Ok(handled(Committed::Duplicate, said));
        }
        Seen::Clash => true,
        Seen::New => false,
    };

    let now = Utc::now();
    let mut known = match load_known(app, batch, &inbound, own_message_id, now).await {
        Ok(known) => known,
        // A request that no longer reads must not hold the mailbox hostage,
        // nor lose this mail: it is recorded and set aside for the operator.
        Err(e) if is_unreadable(&e) => {
            let detail = format!("{}; {}", crate::telemetry::chain(e.as_ref()), door.aside(settings));
            batch.record_set_aside(&record, "unreadable_request", &detail, kept, now).await?;
            return Ok(handled(Committed::SetAside, Said::SetAside(detail)));
        }
        Err(e) => return Err(e),
    };
    match checks.get(&f.uid) {
        Some(Ok(check)) => known.own_check = Some(check.clone()),
        // A DNS failure leaves the mail for the next pass: nothing is decided on it.
        Some(Err(why)) => anyhow::bail!("{why}"),
        None => {}
    }
    let env = Env { settings, now, new_reference: Reference::generate() };
    let Ok(mut decision) = std::panic::catch_unwind(AssertUnwindSafe(|| decide::decide(&inbound, &known, &env))) else {
        let (record, detail) = unreadable("deciding");
        batch.record_set_aside(&record, "unreadable", &detail, kept, now).await?;
        return Ok(handled(Committed::SetAside, Said::SetAside(detail)));
    };
    if clash {
        decision.detail.push_str(" (its Message-ID was used before by a different message)");
    }
    let composer = app.composer();
    let outgoing = decision
        .emails
        .iter()
        .map(|plan| composer.compose(plan, now))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot render an email")?;
    let committed = batch.apply_inbound(&record, raw, &decision, &outgoing, now).await?;
    crate::faults::fail_on_subject(&record.subject)?;
    let said = Said::Processed {
        from: record.sender.unwrap_or_default(),
        outcome: decision.outcome,
        detail: decision.detail,
        emails: outgoing.len(),
        clash,
        took: started.elapsed(),
    };
    Ok(handled(committed, said))
}

/// What the store knows that `decide` needs for this mail: each query only when the mail can use its answer.
async fn load_known(
    app: &App,
    batch: &mut Batch,
    inbound: &Inbound,
    own_message_id: bool,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<Known> {
    let mut known = Known { own_message_id, ..Known::default() };
    for key in &inbound.keys {
        if let Some(found) = batch.request_by_key(key).await? {
            known.keyed = Some(found);
            break;
        }
    }
    if let Some(r) = &inbound.subject_reference {
        known.by_subject = batch.request_by_reference(r).await?;
    }
    if known.keyed.is_none() {
        known.by_thread = batch.request_by_sent_message(&inbound.mail.thread_ids).await?;
        // Only a customer's fresh mail is matched to their pending request.
        if let Some(sender) = inbound.mail.from.as_ref().filter(|s| !app.settings.is_partner(s)) {
            known.pending_for_customer = batch.pending_for_customer(sender).await?;
        }
    }
    let domain = [&inbound.form, &inbound.own_form]
        .iter()
        .find_map(|f| f.get(Field::AccountDomain).and_then(|d| AccountDomain::parse(d).ok()));
    if let Some(d) = domain {
        known.live_for_domain = batch.live_request_for_domain(&d).await?;
    }
    if let Some(dsn) = &inbound.dsn
        && let Some(row) = batch.outbox_for_bounce(dsn.verp_id.as_deref(), dsn.original_message_id.as_deref()).await?
    {
        let request = match row.request_id {
            Some(id) => batch.request_by_id(id).await?,
            None => None,
        };
        known.bounced =
            Some(crate::decide::Bounced { outbox_id: row.id, kind: row.kind, recipient: row.recipient, request });
    }
    // A sender's answers and the emails to every mailbox this mail may be
    // answered at, in one round trip (the recipients depend only on what is known above).
    let since = now - Duration::hours(24);
    let mailboxes: Vec<String> = crate::decide::recipients_of(inbound, &known).iter().map(|a| a.mailbox()).collect();
    let sender = inbound.mail.from.as_ref();
    let partner = sender.is_some_and(|s| app.settings.is_partner(s));
    let answers = batch.answers_since(sender, since, partner, &mailboxes).await?;
    (known.answers_today, known.answered_today) = (answers.count, answers.refusals);
    if let Some(counts) = answers.partner {
        (known.partner_open, known.partner_created_today) = counts;
    }
    known.emails_today = answers.emails;
    // Where a refusal of a mail that failed authentication may go (the envelope sender, once a day).
    if let Some(envelope) = inbound.mail.return_path.as_ref().filter(|_| app.settings.security.trusted.is_some()) {
        known.envelope_answers_today = batch.answers_since(Some(envelope), since, false, &[]).await?.count;
    }
    Ok(known)
}

fn is_unreadable(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StoreError>().is_some_and(|e| matches!(e, StoreError::Unreadable { .. }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn large_mail_is_fetched_in_several_commands() {
        let sizes = [(1, 10), (2, 10), (3, 30), (4, 5), (5, 100)];
        assert_eq!(super::by_size(&sizes, 25), vec![vec![1, 2], vec![3], vec![4], vec![5]]);
        assert_eq!(super::by_size(&sizes, 1000), vec![vec![1, 2, 3, 4, 5]]);
        assert!(super::by_size(&[], 10).is_empty());
    }
}
