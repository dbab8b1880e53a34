//! `TestDesk`: a desk with its own addresses, config and database; `People` with addresses nobody else uses.
use std::path::{Path, PathBuf};

use smartacct::app::{App, Loaded};
use smartacct::request::Request;

use super::*;

pub fn uid() -> String {
    let mut b = [0u8; 5];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The people of one test, with addresses nobody else uses.
#[derive(Debug, Clone)]
pub struct People {
    pub partner: String,
    pub other_partner: String,
    pub customer: String,
    pub user1: String,
    pub user2: String,
    pub stranger: String,
    pub domain: String,
}

impl People {
    pub fn new() -> People {
        let i = uid();
        People {
            partner: format!("p-{i}@partner.test"),
            other_partner: format!("q-{i}@partner.test"),
            customer: format!("c-{i}@customer.test"),
            user1: format!("u1-{i}@customer.test"),
            user2: format!("u2-{i}@customer.test"),
            stranger: format!("s-{i}@customer.test"),
            domain: format!("acme-{i}.example"),
        }
    }

    pub fn form_en(&self) -> String {
        format!(
            "Hello desk,\n\nAccount name: Acme Corp\nCustomer email: {}\nAccount domain: {}\nNote to customer: Please accept, thanks.\nUser emails: {}, {}\nNote to users: Welcome aboard.\n\nRegards,\nPartner\n",
            self.customer, self.domain, self.user1, self.user2
        )
    }

    pub fn form_fr(&self) -> String {
        format!(
            "Bonjour,\n\nNom du compte : Société Générale\nE-mail du client : {}\nDomaine du compte : {}\nNote au client : Merci d’accepter.\nE-mails des utilisateurs : {}\nRemarque à l’intention des utilisateurs ajoutés : Bienvenue !\n\nCordialement\n",
            self.customer, self.domain, self.user1
        )
    }
}

/// Options of a desk's configuration.
#[derive(Clone)]
pub struct DeskOptions {
    pub review: bool,
    /// Lines added to [imap] (e.g. `max_message_bytes = 2048`).
    pub imap_extra: String,
    /// Lines added to [smtp] (e.g. `pool_size = 1`).
    pub smtp_extra: String,
    /// Whole sections appended to the file (e.g. `[hygiene]` …).
    pub extra: String,
    /// Lines added to [partners] (e.g. `max_open_requests = 2`).
    pub partners_extra: String,
    /// Lines added to [database] (e.g. `claim_lease_secs = 5`).
    pub database_extra: String,
    /// A PostgreSQL cluster's admin URL: the desk's database is there, whatever the pass.
    pub postgres: Option<String>,
    /// Lines added to [mailbox] and [workflow].
    pub mailbox_extra: String,
    pub workflow_extra: String,
    pub imap_security: &'static str,
    pub smtp_port: u16,
    pub stack: Stack,
    /// The desk's address is `PREFIX-<random>@example.test` (`oauth` on the XOAUTH2 stack).
    pub address_prefix: &'static str,
}

impl Default for DeskOptions {
    fn default() -> Self {
        DeskOptions {
            review: true,
            imap_extra: String::new(),
            smtp_extra: String::new(),
            extra: String::new(),
            partners_extra: String::new(),
            database_extra: String::new(),
            postgres: None,
            mailbox_extra: String::new(),
            workflow_extra: String::new(),
            imap_security: "none",
            smtp_port: SMTP_PORT,
            stack: MAIN,
            address_prefix: "desk",
        }
    }
}

impl DeskOptions {
    pub fn on(stack: Stack) -> Self {
        DeskOptions { stack, smtp_port: stack.smtp, ..Default::default() }
    }
}

pub struct TestDesk {
    pub address: String,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub app: App,
    pub options: DeskOptions,
}

impl TestDesk {
    pub async fn spawn() -> TestDesk {
        Self::with(DeskOptions::default()).await
    }

    pub async fn with(options: DeskOptions) -> TestDesk {
        mailstack();
        let address = format!("{}-{}@example.test", options.address_prefix, uid());
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("smartacct.toml");
        prepare_database(dir.path(), options.postgres.as_deref()).await;
        write_config(&config, &address, dir.path(), &options);
        let app = App::open(Loaded::from_path(&config).expect("test config loads")).await.expect("app opens");
        // The desk's mailbox exists once it has been logged into.
        count_on(options.stack, &address, "INBOX").await;
        TestDesk { address, dir, config, app, options }
    }

    /// The same desk (same addresses, same database) with other options, as after an operator's change and a restart.
    pub async fn reconfigure(self, options: DeskOptions) -> TestDesk {
        self.app.store.close().await;
        write_config(&self.config, &self.address, self.dir.path(), &options);
        let app = App::open(Loaded::from_path(&self.config).expect("test config loads")).await.expect("app opens");
        TestDesk { app, options, ..self }
    }

    /// Reloads the config file as it is now (after a test edited it).
    pub async fn reconfigure_keep_file(self) -> TestDesk {
        self.app.store.close().await;
        let app = App::open(Loaded::from_path(&self.config).expect("test config loads")).await.expect("app opens");
        TestDesk { app, ..self }
    }

    /// `poll --once`, after `delivered` messages in all reached the desk's mailbox.
    pub async fn poll(&self, delivered: usize) {
        wait_total_on(self.options.stack, &self.address, delivered).await;
        smartacct::intake::poll_and_deliver(&self.app).await.expect("poll --once");
    }

    /// `sweep --now NOW`.
    pub async fn sweep(&self, now: chrono::DateTime<chrono::Utc>) -> smartacct::sweep::SweepReport {
        smartacct::sweep::sweep_and_deliver(&self.app, now).await.expect("sweep").0
    }

    pub async fn requests(&self) -> Vec<Request> {
        self.app.store.list_requests(None).await.unwrap()
    }

    pub async fn one(&self) -> Request {
        let mut all = self.requests().await;
        assert_eq!(all.len(), 1, "expected exactly one request: {:?}", all.iter().map(|r| r.state).collect::<Vec<_>>());
        all.remove(0)
    }

    pub fn bin(&self) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_smartacct"));
        c.arg("--config").arg(&self.config);
        c
    }
}

fn write_config(path: &Path, address: &str, dir: &Path, o: &DeskOptions) {
    let ca_line = format!("ca_file = {:?}", stack_ca(o.stack).display().to_string());
    let (port, ca) = match o.imap_security {
        "tls" => (o.stack.imaps, ca_line),
        "starttls" => (o.stack.imap, ca_line),
        _ => (o.stack.imap, String::new()),
    };
    let text = format!(
        r#"
[mailbox]
address = "{address}"
display_name = "Smart Account Desk"
{mailbox_extra}

[imap]
host = "127.0.0.1"
port = {port}
security = "{sec}"
username = "{address}"
password = "{PASSWORD}"
{ca}
timeout_secs = 20
{imap_extra}

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
timeout_secs = 10
{smtp_extra}

[database]
url = "{db}"
{database_extra}

[partners]
allow = ["*@partner.test"]
{partners_extra}

[workflow]
review = {review}
acceptance_days = 90
reminder_days_before = [30, 7]
default_locale = "en"
support_url = "https://www.cisco.com/go/scm"
{workflow_extra}
{extra}
"#,
        sec = o.imap_security,
        smtp_port = o.smtp_port,
        db = database_url(dir, o.postgres.as_deref()),
        database_extra = o.database_extra,
        review = o.review,
        // `{desk}` in the extra lines stands for the desk's address.
        extra = o.extra.replace("{desk}", address),
        imap_extra = o.imap_extra.replace("{desk}", address),
        smtp_extra = o.smtp_extra.replace("{desk}", address),
        partners_extra = o.partners_extra,
        mailbox_extra = o.mailbox_extra,
        workflow_extra = o.workflow_extra,
    );
    std::fs::write(path, text).unwrap();
}
