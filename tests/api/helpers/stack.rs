//! The local mail stacks of scripts/mailstack.sh, started once per test run.
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// One local mail stack (Postfix + Dovecot) of scripts/mailstack.sh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stack {
    pub dir: &'static str,
    pub smtp: u16,
    pub submission: u16,
    pub imap: u16,
    pub imaps: u16,
    /// The token server of an XOAUTH2 stack (0: none).
    pub oauth2: u16,
    /// The DKIM-signing port of a milter stack (0: none, and no milters): it
    /// stands for the partners' and customers' own outbound server.
    pub signing: u16,
}

/// The shared stack every ordinary test uses.
pub const MAIN: Stack = Stack {
    dir: "/var/lib/smartacct-mailstack",
    smtp: 2525,
    submission: 2587,
    imap: 1143,
    imaps: 1993,
    oauth2: 0,
    signing: 0,
};
/// A second stack for the tests that stop and start servers, so they never disturb the others.
pub const FAULTS: Stack = Stack {
    dir: "/var/lib/smartacct-mailstack-faults",
    smtp: 2526,
    submission: 2588,
    imap: 1144,
    imaps: 1994,
    oauth2: 0,
    signing: 0,
};
/// A third stack with XOAUTH2 (scripts/oauth2_endpoint.py on `oauth2`): its
/// `oauth-*@example.test` mailboxes log in with a token only.
pub const OAUTH: Stack = Stack {
    dir: "/var/lib/smartacct-mailstack-oauth",
    smtp: 2527,
    submission: 2589,
    imap: 1145,
    imaps: 1995,
    oauth2: 8431,
    signing: 0,
};
/// A fourth stack that authenticates mail as a receiving MX does: its Postfix
/// is `mx.example.test`, real OpenDKIM and OpenDMARC milters verify what
/// reaches `smtp` and write `Authentication-Results: mx.example.test; ...`
/// (never rejecting), and mail From partner.test or customer.test sent to
/// `signing` is DKIM-signed first, as their own servers would. A local DNS
/// server (see [`dns_address`]) serves the keys and `p=reject` DMARC records.
pub const AUTH: Stack = Stack {
    dir: "/var/lib/smartacct-mailstack-auth",
    smtp: 2528,
    submission: 2590,
    imap: 1146,
    imaps: 1996,
    oauth2: 0,
    signing: 2628,
};
/// The authserv-id the AUTH stack's milters write.
pub const AUTH_SERV_ID: &str = "mx.example.test";

pub const SMTP_PORT: u16 = MAIN.smtp;
pub const IMAP_PORT: u16 = MAIN.imap;

impl Stack {
    /// Runs `scripts/mailstack.sh CMD` for this stack.
    pub fn script(&self, cmd: &str) {
        let status = std::process::Command::new("bash")
            .arg(repo().join("scripts/mailstack.sh"))
            .arg(cmd)
            .env("MAILSTACK_DIR", self.dir)
            .env("MAILSTACK_SMTP_PORT", self.smtp.to_string())
            .env("MAILSTACK_SUBMISSION_PORT", self.submission.to_string())
            .env("MAILSTACK_IMAP_PORT", self.imap.to_string())
            .env("MAILSTACK_IMAPS_PORT", self.imaps.to_string())
            .env("MAILSTACK_OAUTH2_PORT", if self.oauth2 == 0 { String::new() } else { self.oauth2.to_string() })
            .env("MAILSTACK_MILTERS", if self.signing == 0 { "" } else { "1" })
            .env("MAILSTACK_SIGNING_PORT", if self.signing == 0 { String::new() } else { self.signing.to_string() })
            .status()
            .expect("cannot run scripts/mailstack.sh");
        assert!(status.success(), "scripts/mailstack.sh {cmd} failed for {}", self.dir);
    }

    fn up(&self) {
        let up = |p: u16| std::net::TcpStream::connect(("127.0.0.1", p)).is_ok();
        if !(up(self.smtp)
            && up(self.imap)
            && up(self.imaps)
            && (self.oauth2 == 0 || up(self.oauth2))
            && (self.signing == 0 || (up(self.signing) && self.milters_answer())))
        {
            self.script("up");
        }
    }

    /// The milters' sockets and the DNS server of a milter stack take connections.
    fn milters_answer(&self) -> bool {
        let run = PathBuf::from(self.dir).join("run");
        let socket = |p: &str| std::os::unix::net::UnixStream::connect(run.join(p)).is_ok();
        socket("opendkim-verify/opendkim.sock")
            && socket("opendkim-sign/opendkim.sock")
            && socket("opendmarc/opendmarc.sock")
            && std::fs::read_to_string(PathBuf::from(self.dir).join("dns/address"))
                .ok()
                .and_then(|a| a.trim().parse::<std::net::SocketAddr>().ok())
                .is_some_and(|a| std::net::TcpStream::connect(a).is_ok())
    }
}

/// Held while a test stops and starts the fault stack's servers.
pub struct FaultStack {
    _in_process: std::sync::MutexGuard<'static, ()>,
    _across_processes: std::fs::File,
}

/// The fault stack, started once; its tests take this lock so they run one
/// at a time, in this test binary and in any other on the machine (an OS
/// file lock: two checkouts' suites never stop each other's servers).
pub fn fault_stack() -> FaultStack {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    static UP: OnceLock<()> = OnceLock::new();
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("smartacct-fault-stack.lock"))
        .expect("the fault stack's lock file opens");
    file.lock().expect("the fault stack's lock is taken");
    UP.get_or_init(|| FAULTS.up());
    // A test that failed half-way may have left a server stopped.
    FAULTS.up();
    FaultStack { _in_process: guard, _across_processes: file }
}
/// The XOAUTH2 stack, started once per test run.
pub fn oauth_stack() -> Stack {
    static UP: OnceLock<()> = OnceLock::new();
    UP.get_or_init(|| OAUTH.up());
    OAUTH
}

/// The milter stack, started once per test run.
pub fn auth_stack() -> Stack {
    static UP: OnceLock<()> = OnceLock::new();
    UP.get_or_init(|| AUTH.up());
    AUTH
}

/// `IP:PORT` of a milter stack's DNS server (UDP and TCP), as scripts/mailstack.sh wrote it.
pub fn dns_address(stack: Stack) -> String {
    let file = PathBuf::from(stack.dir).join("dns/address");
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())).trim().to_string()
}

pub const PASSWORD: &str = "secret";
/// How long a test waits for mail to arrive before it fails.
pub const MAIL_WAIT: Duration = Duration::from_secs(20);

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn mailstack_dir() -> PathBuf {
    std::env::var_os("MAILSTACK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/smartacct-mailstack"))
}

pub fn ca_file() -> PathBuf {
    mailstack_dir().join("tls/ca.crt")
}

pub fn stack_ca(stack: Stack) -> PathBuf {
    if stack == MAIN { ca_file() } else { PathBuf::from(stack.dir).join("tls/ca.crt") }
}

/// Starts the project's mail stack once per test run (it is idempotent).
pub fn mailstack() {
    static UP: OnceLock<()> = OnceLock::new();
    UP.get_or_init(|| MAIN.up());
}
