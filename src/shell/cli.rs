//! The command line of SPEC §6: parse arguments, run a command, map failures to exit statuses.
mod ops;
mod service_user;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{App, Loaded};
use crate::domain::{Reference, State, printable};
use crate::request::{RequestJson, rfc3339};
use crate::store::Queue;

#[derive(Debug, Parser)]
#[command(name = "smartacct", version, about = "The Smart Account request desk, run over email")]
pub struct Cli {
    /// Configuration file (default: $SMARTACCT_CONFIG, else /etc/smartacct/smartacct.toml if it exists, else config/smartacct.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The service: watch the mailbox, deliver the outbox; stops cleanly on SIGTERM/SIGINT
    Run,
    /// Process the mail waiting now, deliver the outbox (every pending email), exit
    Poll {
        /// Required: one pass, then exit
        #[arg(long)]
        once: bool,
    },
    /// Run the sweep once as if at that time (default: now), deliver the outbox, exit
    Sweep {
        /// The time to sweep as, RFC 3339 (e.g. 2027-03-01T02:00:00Z)
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
    },
    /// Requests: list, show, cancel, resend, and the evidence of their decisions
    Requests {
        #[command(subcommand)]
        command: RequestsCommand,
    },
    /// Outgoing emails and events: list, or put a failed one back in the queue
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
    /// Inbound mail as recorded; set-aside mail read again
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Load and validate the configuration and templates, then exit
    CheckConfig {
        /// Also log in to IMAP and SMTP (TLS, authentication, the folders) and say what works
        #[arg(long)]
        connect: bool,
    },
    /// Print every email kind and the variables its templates receive (docs/templates.md)
    Templates,
    /// Write a consistent copy of the database to PATH (safe while `run` is working)
    Backup {
        /// Where the copy goes; it must not exist yet
        path: PathBuf,
    },
    /// Apply database migrations, then exit
    Migrate,
    /// The operator console's users
    Console {
        #[command(subcommand)]
        command: ConsoleCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConsoleCommand {
    /// Add an operator to console.users_file, or give them a new password and role; the password is read from stdin
    AddUser {
        /// The name they sign in with (letters, digits, '.', '_', '@', '+', '-')
        name: String,
        /// viewer: reads every page; operator: also cancels, resends, retries and reprocesses
        #[arg(long, value_parser = ["viewer", "operator"])]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RequestsCommand {
    /// One line per request (or a JSON array with --json)
    List {
        /// Only requests in this state
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(State::ALL.map(State::as_str)))]
        state: Option<String>,
        /// A JSON array on stdout (its fields: docs/commands.md)
        #[arg(long)]
        json: bool,
    },
    /// One request with its history, emails and the verdicts of its decisions
    Show {
        /// The request's reference, e.g. SA-7K3QX9PD
        reference: String,
        /// A JSON object on stdout, with `history` and `emails`
        #[arg(long)]
        json: bool,
    },
    /// Close a live request as `cancelled`; the partner is told, with the reason
    Cancel {
        /// The request's reference, e.g. SA-7K3QX9PD
        reference: String,
        /// Why, in the partner's email and the history
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Send the email the request waits on again (review or activation), same reply address
    Resend {
        /// The request's reference, e.g. SA-7K3QX9PD
        reference: String,
    },
    /// The raw messages that made the request's decisions, as an mbox on stdout
    Evidence {
        /// The request's reference, e.g. SA-7K3QX9PD
        reference: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Every email the desk queued, with its delivery status
    List {
        /// Only emails that failed permanently
        #[arg(long)]
        failed: bool,
        /// A JSON array on stdout
        #[arg(long)]
        json: bool,
    },
    /// Put a failed email (or, with --event, a failed event) back in the queue
    Retry {
        /// The email's (or event's) id, from `outbox list`
        id: i64,
        /// ID is an event to the provisioning system (`outbox list` shows them as `event #ID`)
        #[arg(long)]
        event: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Every inbound message recorded, with its outcome (or a JSON array with --json)
    List {
        /// Only mail moved aside unread (oversized, unreadable, a reader failure)
        #[arg(long)]
        set_aside: bool,
        /// A JSON array on stdout
        #[arg(long)]
        json: bool,
    },
    /// The raw message behind one mail's decision, as an mbox (a refused form's too)
    Evidence {
        /// The mail's id, from `mail list`
        id: i64,
    },
    /// Read a set-aside mail again, from the rejected folder (after fixing the cause)
    Reprocess {
        /// The mail's id, from `mail list --set-aside`
        id: i64,
    },
}

/// A failure with its exit status: 2 for usage and configuration, 1 at run time.
pub struct Failure {
    pub status: u8,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure { status: 1, error: e.into() }
    }
}

fn usage(msg: String) -> Failure {
    Failure { status: 2, error: anyhow::anyhow!(msg) }
}

fn parse_reference(reference: &str) -> Result<Reference, Failure> {
    Reference::parse(reference).ok_or_else(|| usage(format!("{reference:?} is not a reference like SA-7K3QX9PD")))
}

pub async fn run(cli: Cli) -> ExitCode {
    match dispatch(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // Once, with each cause once: no error's own message repeats its source.
            eprintln!("smartacct: {}", printable(&crate::telemetry::chain(f.error.as_ref())));
            ExitCode::from(f.status)
        }
    }
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    let path = crate::configuration::config_path(cli.config.as_deref());
    // Commands that only read the database need no mail server secret.
    let read_only = matches!(
        cli.command,
        Command::Requests { command: RequestsCommand::List { .. } | RequestsCommand::Show { .. } }
            | Command::Outbox { command: OutboxCommand::List { .. } }
            | Command::Mail { command: MailCommand::List { .. } | MailCommand::Evidence { .. } }
            | Command::Templates
            | Command::Backup { .. }
            | Command::Console { .. }
    );
    let loaded = if read_only { Loaded::read_only(&path) } else { Loaded::from_path(&path) }
        .map_err(|e| Failure { status: 2, error: e.into() })?;
    crate::telemetry::use_format(loaded.settings.log.format);
    // Before anything opens the database: as root, on the service's, nothing is
    // created. Every command opens it but these (check-config --connect keeps
    // an OAuth2 provider's rotated refresh token there).
    let opens_database = match cli.command {
        // `console add-user` writes the users file only (root may run it for a file in /etc).
        Command::Templates | Command::Console { .. } => false,
        Command::CheckConfig { connect } => connect && loaded.settings.oauth2.is_some(),
        _ => true,
    };
    if opens_database {
        service_user::check(&loaded.settings.database.url).map_err(|e| Failure { status: 2, error: e.into() })?;
    }
    if let Command::Templates = cli.command {
        print!("{}", crate::compose::template_reference(&loaded.settings, &loaded.templates));
        return Ok(());
    }
    if let Command::Console { command: ConsoleCommand::AddUser { name, role } } = &cli.command {
        return add_user(&loaded.settings, name, role);
    }
    if let Command::CheckConfig { connect } = cli.command {
        println!("{}: configuration and templates are valid", path.display());
        if loaded.settings.partners.allow.is_empty() {
            tracing::warn!("partners.allow is empty: nobody can request an account");
        }
        return if connect { ops::check_connect(&loaded.settings).await } else { Ok(()) };
    }
    let app = App::open(loaded).await?;
    let result = command(&app, cli.command).await;
    app.store.close().await;
    result
}

async fn command(app: &App, command: Command) -> Result<(), Failure> {
    match command {
        Command::CheckConfig { .. } | Command::Templates | Command::Console { .. } => Ok(()),
        Command::Backup { path } => {
            app.store.backup(&path).await?;
            println!(
                "database copied to {} (it holds the reply-token secret: keep it as safe as the original)",
                path.display()
            );
            Ok(())
        }
        Command::Migrate => {
            println!("database migrated");
            Ok(())
        }
        Command::Poll { once } => {
            if !once {
                return Err(usage("poll needs --once (the service is `smartacct run`)".into()));
            }
            let (report, delivered) = crate::intake::poll_and_deliver(app).await?;
            tracing::info!(
                processed = report.processed,
                duplicates = report.duplicates,
                set_aside = report.set_aside,
                failed = report.failed,
                sent = delivered.sent,
                retrying = delivered.retrying,
                send_failed = delivered.failed,
                "poll done"
            );
            if report.failed > 0 {
                return Err(anyhow::anyhow!(
                    "{} message(s) could not be processed and stay in {} for the next pass",
                    report.failed,
                    app.settings.imap.as_ref().map_or("the mailbox", |i| i.folder.as_str())
                )
                .into());
            }
            Ok(())
        }
        Command::Run => crate::service::run(app).await.map_err(Failure::from),
        Command::Sweep { now } => {
            let now = match now {
                None => chrono::Utc::now(),
                Some(t) => chrono::DateTime::parse_from_rfc3339(&t)
                    .map_err(|e| usage(format!("--now: {t:?} is not an RFC 3339 time like 2027-03-01T02:00:00Z: {e}")))?
                    .with_timezone(&chrono::Utc),
            };
            let (report, delivered) = crate::sweep::sweep_and_deliver(app, now).await?;
            tracing::info!(
                expired = report.expired,
                reminded = report.reminded,
                review_expired = report.review_expired,
                sent = delivered.sent,
                "sweep command done"
            );
            Ok(())
        }
        Command::Requests { command: RequestsCommand::List { state, json } } => {
            let state = match state {
                None => None,
                Some(s) => Some(State::parse(&s).ok_or_else(|| {
                    let names: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
                    usage(format!("--state: {s:?} is not one of {}", names.join(", ")))
                })?),
            };
            let requests = app.store.list_requests(state).await?;
            if json {
                let out: Vec<RequestJson> = requests.iter().map(RequestJson::from).collect();
                println!("{}", serde_json::to_string_pretty(&out).expect("JSON"));
            } else {
                println!("{:<11}  {:<28} {:<30}  {:<30}  EXPIRES", "REFERENCE", "STATE", "DOMAIN", "CUSTOMER");
                for r in &requests {
                    println!(
                        "{}  {:<28} {:<30}  {:<30}  {}",
                        r.reference,
                        r.state.as_str(),
                        r.account_domain.for_people(),
                        r.customer_email,
                        r.expires_at.map(rfc3339).unwrap_or_else(|| "-".into())
                    );
                }
            }
            Ok(())
        }
        Command::Requests { command: RequestsCommand::Show { reference, json } } => {
            let r = Reference::parse(&reference)
                .ok_or_else(|| usage(format!("{reference:?} is not a reference like SA-7K3QX9PD")))?;
            let request = app.store.request_by_reference(&r).await?.ok_or_else(|| anyhow::anyhow!("no request {r}"))?;
            let id = request.id.expect("stored requests have ids");
            let events = app.store.events(id).await?;
            let emails = app.store.outbox_for_request(id).await?;
            let proofs = app.store.evidence(id).await?;
            if json {
                let mut v = serde_json::to_value(RequestJson::from(&request)).expect("JSON");
                v["history"] = events
                    .iter()
                    .map(|e| serde_json::json!({"at": rfc3339(e.at), "event": e.kind.name(), "detail": e.detail}))
                    .collect();
                v["emails"] = emails.iter().map(outbox_json).collect();
                v["events"] = app.store.hooks_for_request(id).await?.iter().map(hook_json).collect();
                v["decisions"] = proofs
                    .iter()
                    .map(|e| {
                        serde_json::json!({"at": rfc3339(e.at), "command": e.command, "applied": e.applied,
                            "from": e.sender, "verdict": e.verdict})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v).expect("JSON"));
            } else {
                // Everything a sender wrote is shown with its control characters escaped.
                let p = |s: &str| printable(s).into_owned();
                let j = RequestJson::from(&request);
                println!("{}  {}", j.reference, j.state);
                println!("  account name      {}", p(&j.account_name));
                println!("  account domain    {}", request.account_domain.for_people());
                println!("  customer email    {}", j.customer_email);
                println!("  partner email     {}", j.partner_email);
                println!(
                    "  user emails       {}",
                    if j.user_emails.is_empty() { "-".into() } else { j.user_emails.join(", ") }
                );
                println!("  language          {}", j.locale);
                for (label, note) in
                    [("note to customer", &request.note_to_customer), ("note to users", &request.note_to_users)]
                {
                    println!("  {label:<17} {}", note.as_deref().map_or_else(|| "-".into(), p));
                }
                for (label, v) in [
                    ("created", Some(j.created_at.clone())),
                    ("submitted", j.submitted_at.clone()),
                    ("expires", j.expires_at.clone()),
                    ("activated", j.activated_at.clone()),
                    ("closed", j.closed_at.clone()),
                ] {
                    println!("  {label:<17} {}", v.unwrap_or_else(|| "-".into()));
                }
                if let Some(at) = &j.erased_at {
                    println!("  personal data     erased {at} (retention.closed_days): addresses, notes and messages");
                }
                println!("history:");
                for e in &events {
                    println!("  {}  {:<16} {}", rfc3339(e.at), e.kind, p(&e.detail));
                }
                let hooks = app.store.hooks_for_request(id).await?;
                if !hooks.is_empty() {
                    println!("events:");
                    print_hooks(&hooks);
                }
                println!("emails:");
                for o in &emails {
                    println!(
                        "  #{:<5} {:<19} {:<32} {:<8} {}",
                        o.id,
                        o.kind,
                        o.recipient,
                        o.status.as_str(),
                        p(o.last_error.as_deref().unwrap_or(""))
                    );
                }
                println!("decisions (raw messages: `smartacct requests evidence {}`):", j.reference);
                for e in &proofs {
                    println!("  {}  from {}: {}", rfc3339(e.at), p(&e.sender), p(&e.verdict));
                }
            }
            Ok(())
        }
        Command::Requests { command: RequestsCommand::Cancel { reference, reason } } => {
            ops::cancel(app, &parse_reference(&reference)?, reason.as_deref()).await
        }
        Command::Requests { command: RequestsCommand::Resend { reference } } => {
            ops::resend(app, &parse_reference(&reference)?).await
        }
        Command::Mail { command: MailCommand::List { set_aside, json } } => ops::mail_list(app, set_aside, json).await,
        Command::Mail { command: MailCommand::Reprocess { id } } => ops::reprocess(app, id).await,
        Command::Mail { command: MailCommand::Evidence { id } } => {
            let proofs = app.store.evidence_of_mail(id).await?;
            if proofs.is_empty() {
                return Err(
                    anyhow::anyhow!("mail {id} has no evidence kept (only forms and commands keep theirs)").into()
                );
            }
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&mbox(&proofs)).and_then(|()| out.flush()).map_err(anyhow::Error::from)?;
            Ok(())
        }
        Command::Requests { command: RequestsCommand::Evidence { reference } } => {
            let r = Reference::parse(&reference)
                .ok_or_else(|| usage(format!("{reference:?} is not a reference like SA-7K3QX9PD")))?;
            let request = app.store.request_by_reference(&r).await?.ok_or_else(|| anyhow::anyhow!("no request {r}"))?;
            let proofs = app.store.evidence(request.id.expect("stored requests have ids")).await?;
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&mbox(&proofs)).and_then(|()| out.flush()).map_err(anyhow::Error::from)?;
            Ok(())
        }
        Command::Outbox { command: OutboxCommand::List { failed, json } } => {
            let rows = app.store.list_outbox(failed).await?;
            let hooks = app.store.list_hooks(failed).await?;
            if json {
                let out: Vec<serde_json::Value> =
                    rows.iter().map(outbox_json).chain(hooks.iter().map(hook_json)).collect();
                println!("{}", serde_json::to_string_pretty(&out).expect("JSON"));
            } else {
                print_hooks(&hooks);
                for o in &rows {
                    println!(
                        "#{:<5} {}  {:<19} {:<32} {:<8} attempts={} {}",
                        o.id,
                        rfc3339(o.created_at),
                        o.kind,
                        o.recipient,
                        o.status.as_str(),
                        o.attempts,
                        printable(o.last_error.as_deref().unwrap_or(""))
                    );
                }
            }
            Ok(())
        }
        Command::Outbox { command: OutboxCommand::Retry { id, event } } => {
            let (queue, what) = if event { (Queue::Hook, "event") } else { (Queue::Email, "email") };
            match crate::operator::retry(app, queue, id, &ops::unix_user(), chrono::Utc::now()).await {
                Ok(()) => {
                    println!("{what} #{id} is queued again");
                    Ok(())
                }
                Err(crate::operator::RetryError::Store(e)) => Err(e.into()),
                Err(e) => Err(usage(e.to_string())),
            }
        }
    }
}

/// `console add-user NAME --role ROLE`: the password from stdin, hashed into `console.users_file`. Needs
/// neither the database nor the mail servers' secrets.
fn add_user(settings: &crate::configuration::Settings, name: &str, role: &str) -> Result<(), Failure> {
    use crate::console::users;
    let Some(console) = &settings.console else {
        return Err(usage("console: there is no [console] section (listen, users_file) in the configuration".into()));
    };
    let role = users::Role::parse(role).ok_or_else(|| usage(format!("--role: {role:?} is not viewer or operator")))?;
    if !users::valid_name(name) {
        return Err(usage(users::UsersError::BadName(name.to_string()).to_string()));
    }
    use std::io::{BufRead as _, IsTerminal as _};
    if std::io::stdin().is_terminal() {
        eprintln!(
            "password for {name} (the first line; it shows as you type: prefer `read -rs PW; printf '%s\\n' \"$PW\" | smartacct console add-user …`):"
        );
    }
    let mut input = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut input)
        .map_err(|e| usage(format!("cannot read the password from stdin: {e}")))?;
    let password = users::password_from(&input).map_err(|e| usage(e.to_string()))?;
    let path = &console.users_file;
    let replaced = users::add(path, name, role, &password)?;
    println!(
        "{name} {} as {} in {} (the console reads it at each sign-in: no restart needed)",
        if replaced { "changed" } else { "added" },
        role.name(),
        path.display()
    );
    Ok(())
}

/// mboxrd: a `From ` line per message (sender, time), LF line ends, `>`
/// added before any line that starts with `>*From `, a blank line after each.
pub(crate) fn mbox(rows: &[crate::store::EvidenceRow]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in rows {
        let envelope: String = e.sender.chars().filter(|c| c.is_ascii_graphic()).collect();
        let envelope = if envelope.is_empty() { "MAILER-DAEMON".to_string() } else { envelope };
        out.extend_from_slice(format!("From {envelope} {}\n", e.at.format("%a %b %e %H:%M:%S %Y")).as_bytes());
        let raw = e.raw.strip_suffix(b"\n").unwrap_or(&e.raw);
        for line in raw.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().skip_while(|&&b| b == b'>').take(5).eq(b"From ".iter()) {
                out.push(b'>');
            }
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

/// One outbox row as JSON (`outbox list --json`, `requests show --json`).
/// Events to the provisioning system, one line each.
fn print_hooks(hooks: &[crate::store::HookRow]) {
    for h in hooks {
        println!(
            "event #{:<5} {}  {:<36} {:<8} attempts={} {}",
            h.id,
            rfc3339(h.created_at),
            h.event_id,
            h.status.as_str(),
            h.attempts,
            printable(h.last_error.as_deref().unwrap_or(""))
        );
    }
}

/// One event row as JSON (`outbox list --json`, `requests show --json`).
fn hook_json(h: &crate::store::HookRow) -> serde_json::Value {
    serde_json::json!({
        "channel": "event",
        "id": h.id,
        "event_id": h.event_id,
        "type": h.kind,
        "status": h.status.as_str(),
        "attempts": h.attempts,
        "last_error": h.last_error,
        "created_at": rfc3339(h.created_at),
        "next_attempt_at": rfc3339(h.next_attempt_at),
        "sent_at": h.sent_at.map(rfc3339),
    })
}

fn outbox_json(o: &crate::store::OutboxRow) -> serde_json::Value {
    serde_json::json!({
        "channel": "email",
        "id": o.id,
        "kind": o.kind.name(),
        "recipient": o.recipient,
        "subject": o.subject,
        "message_id": o.message_id,
        "status": o.status.as_str(),
        "attempts": o.attempts,
        "last_error": o.last_error,
        "created_at": rfc3339(o.created_at),
        "next_attempt_at": rfc3339(o.next_attempt_at),
        "sent_at": o.sent_at.map(rfc3339),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mbox_quotes_from_lines_and_keeps_each_message_whole() {
        let row = |raw: &[u8]| crate::store::EvidenceRow {
            at: chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().to_utc(),
            command: "ACCEPT".into(),
            applied: true,
            verdict: "v".into(),
            sender: "jane@customer.test".into(),
            raw: raw.to_vec(),
        };
        let out = mbox(&[row(b"Subject: a\r\n\r\nFrom here\r\n>From there\r\n"), row(b"Subject: b\r\n\r\nok\r\n")]);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "From jane@customer.test Mon Nov 23 10:00:00 2026\nSubject: a\n\n>From here\n>>From there\n\n\
             From jane@customer.test Mon Nov 23 10:00:00 2026\nSubject: b\n\nok\n\n"
        );
    }
}
