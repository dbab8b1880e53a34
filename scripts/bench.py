#!/usr/bin/env python3
"""The throughput benchmark's driver (see scripts/bench.sh): smartacct against a bare-I/O client, in one run."""
import imaplib, json, os, re, signal, smtplib, socket, statistics, subprocess, sys, tempfile, time, uuid
from email.message import EmailMessage
from email.utils import make_msgid

BIN, N, LATENCY = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
HOST, SMTP, IMAP, PW = "127.0.0.1", 2525, 1143, "secret"
run = uuid.uuid4().hex[:6]
work = tempfile.mkdtemp(prefix="smartacct-bench-")


def form(i, tag):
    m = EmailMessage()
    partner = f"p{i}-{tag}@partner.test"
    m["From"], m["Subject"] = partner, "Smart Account request"
    m["Message-ID"] = make_msgid(domain="partner.test")
    m.set_content(f"Account name: Bench {i}\nCustomer email: c{i}-{tag}@customer.test\n"
                  f"Account domain: bench-{i}-{tag}.example\nNote to customer: Please accept.\n")
    return partner, m


def backlog(desk, tag, n):
    with smtplib.SMTP(HOST, SMTP) as s:
        for i in range(n):
            partner, m = form(i, tag)
            m["To"] = desk
            s.send_message(m, from_addr=partner, to_addrs=[desk])
    wait_count(desk, n)


def count(user, folder="INBOX"):
    with imaplib.IMAP4(HOST, IMAP) as im:
        im.login(user, PW)
        typ, data = im.status(folder, "(MESSAGES)")
        return int(re.search(rb"MESSAGES (\d+)", data[0]).group(1)) if typ == "OK" else 0


def wait_count(user, n, limit=600):
    deadline = time.time() + limit
    while count(user) < n:
        if time.time() > deadline:
            sys.exit(f"timed out waiting for {n} messages in {user}")
        time.sleep(0.2)


PG = os.environ.get("SMARTACCT_BENCH_POSTGRES")  # scripts/bench.sh ... postgres: the test cluster's URL


def db_url(name):
    """A fresh database: a SQLite file in the work folder, or a database on the PostgreSQL cluster."""
    if not PG:
        return "sqlite://" + os.path.join(work, name + ".db")
    db = f"bench_{run}_{name}"
    subprocess.run(["psql", "-X", "-q", PG, "-c", f"CREATE DATABASE {db}"], check=True)
    return PG.rsplit("/", 1)[0] + "/" + db


def config(desk, db, smtp_port=SMTP):
    path = os.path.join(work, f"{desk.split('@')[0]}.toml")
    with open(path, "w") as f:
        f.write(f"""[mailbox]
address = "{desk}"
[imap]
host = "{HOST}"
port = {IMAP}
security = "none"
username = "{desk}"
password_file = "{work}/pw"
[smtp]
host = "{HOST}"
port = {smtp_port}
security = "none"
[database]
url = "{db}"
[partners]
allow = ["*@partner.test"]
[workflow]
review = false
""")
    return path


def bare(desk, n):
    """Only the I/O smartacct must do: one fetch of everything, one move, 2n sends on one connection."""
    started = time.time()
    with imaplib.IMAP4(HOST, IMAP) as im:
        im.login(desk, PW)
        im.create("Processed")
        im.select("INBOX")
        im.uid("FETCH", "1:*", "(BODY.PEEK[])")
        im.uid("MOVE", "1:*", "Processed")
    intake = time.time() - started
    body = "x" * 6000
    with smtplib.SMTP(HOST, SMTP) as s:
        for i in range(2 * n):
            m = EmailMessage()
            m["From"], m["To"], m["Subject"] = desk, f"sink-{run}@customer.test", f"bench {i}"
            m.set_content(body)
            s.send_message(m)
    return intake, time.time() - started


def bare_parallel(desk, n, connections=4):
    """The SMTP server's own speed with as many connections as smartacct's default
    pool: 2n sends of ready-made bytes, one process per connection (so the
    client's own CPU, not the GIL, is never what is measured), each to a
    mailbox of its own (Dovecot's work per email as for smartacct's)."""
    import multiprocessing
    body = "x" * 6000

    def sender(k):
        with smtplib.SMTP(HOST, SMTP) as s:
            for i in range(k, 2 * n, connections):
                # A mailbox per email, as smartacct's go to a customer or partner each.
                to = f"sink{i}-{run}@customer.test"
                raw = (f"From: {desk}\r\nTo: {to}\r\nContent-Type: text/plain\r\nSubject: bench {i}\r\n"
                       f"Message-ID: <{i}.{run}@bench.test>\r\n\r\n{body}\r\n")
                s.sendmail(desk, [to], raw.encode())

    procs = [multiprocessing.Process(target=sender, args=(k,)) for k in range(connections)]
    started = time.time()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return time.time() - started


open(os.path.join(work, "pw"), "w").write(PW)
desk, bare_desk, split_desk = f"bench-{run}@example.test", f"bare-{run}@example.test", f"split-{run}@example.test"
print(f"== backlog of {N} forms in each of three mailboxes", flush=True)
for d in (desk, bare_desk, split_desk):
    count(d)  # the mailbox exists once logged into
backlog(desk, f"{run}a", N)
backlog(bare_desk, f"{run}b", N)
backlog(split_desk, f"{run}c", N)

print("== bare-I/O client", flush=True)
bare_intake, bare_total = bare(bare_desk, N)

def poll(cfg):
    started = time.time()
    p = subprocess.run(["/usr/bin/time", "-v", BIN, "--config", cfg, "poll", "--once"], capture_output=True,
                       text=True, env={**os.environ, "RUST_LOG": "info"})
    took = time.time() - started
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return p, took, rss


print("== smartacct poll --once (reading and delivering at once, as it runs)", flush=True)
cfg = config(desk, db_url("bench"))
subprocess.run([BIN, "--config", cfg, "migrate"], check=True, capture_output=True)
p, total, rss = poll(cfg)
if p.returncode != 0:
    sys.exit(p.stderr[-3000:])

print("== the split, on the third backlog: intake alone (SMTP unreachable), then delivery alone", flush=True)
db = db_url("split")
p1, intake_s, _ = poll(config(split_desk, db, smtp_port=1))
p2, delivery_s, _ = poll(config(split_desk, db))
if p2.returncode != 0:
    sys.exit(p2.stderr[-3000:])
print("== the SMTP server's own speed: a bare client on four connections", flush=True)
server_s = bare_parallel(bare_desk, N)
print(f"bare-I/O client: {bare_total:.2f} s (fetch+move {bare_intake:.2f} s, {2 * N} sends {bare_total - bare_intake:.2f} s)")
t = re.search(r"intake_ms=(\d+) delivery_ms=(\d+)", p.stderr)
print(f"smartacct poll --once: {total:.2f} s (reading {int(t.group(1)) / 1000:.2f} s while delivering, then "
      f"{int(t.group(2)) / 1000:.2f} s of delivery left), peak RSS {rss:.1f} MB")
print(f"ratio smartacct / bare: {total / bare_total:.2f}x")
print(f"split: intake alone {intake_s:.2f} s ({1000 * intake_s / N:.2f} ms a message); "
      f"delivery alone {delivery_s:.2f} s ({2 * N / delivery_s:.0f} emails/s)")
print(f"SMTP server, bare client on 4 connections (4 processes): {server_s:.2f} s ({2 * N / server_s:.0f} emails/s); "
      f"smartacct's delivery at {server_s / delivery_s:.2f}x the server's speed")

def latency_samples(desk, tag, n):
    """Postfix's 250 for each form, one at a time, to the activation in the customer's INBOX."""
    samples = []
    with smtplib.SMTP(HOST, SMTP) as s:
        for i in range(n):
            partner, m = form(i, tag)
            m["To"] = desk
            customer = f"c{i}-{tag}@customer.test"
            count(customer)
            t0 = time.time()
            s.send_message(m, from_addr=partner, to_addrs=[desk])
            deadline = t0 + 30
            while count(customer) < 1:
                if time.time() > deadline:
                    sys.exit(f"no activation email for form {i} within 30 s")
                time.sleep(0.002)
            samples.append(time.time() - t0)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]



if LATENCY:
    print(f"== latency of run over {LATENCY} forms", flush=True)
    ldesk = f"lat-{run}@example.test"
    count(ldesk)
    lcfg = config(ldesk, db_url("latency"))
    svc = subprocess.Popen([BIN, "--config", lcfg, "run"], stderr=subprocess.DEVNULL)
    try:
        # The watcher connects on its own; the first form waits for it like any other.
        p50, p95 = latency_samples(ldesk, f"{run}l", LATENCY)
        print(f"run latency, form accepted -> activation in INBOX: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    finally:
        svc.send_signal(signal.SIGTERM)
        svc.wait(timeout=30)


def lmtp_desk(port, name, smtp_port=SMTP):
    """A desk whose mail the stack's Postfix hands to its LMTP door (lmtp-PORT-… in 24000-24199)."""
    desk = f"lmtp-{port}-{run}{name}@example.test"
    cfg = config(desk, db_url("lmtp" + name), smtp_port)
    with open(cfg, "a") as f:
        f.write(f'[lmtp]\nlisten = "127.0.0.1:{port}"\n')
    svc = subprocess.Popen([BIN, "--config", cfg, "run"], stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return desk, svc
        except OSError:
            if time.time() > deadline:
                sys.exit(f"the LMTP door on {port} did not open")
            time.sleep(0.05)


def lmtp_throughput(port, name, smtp_port=SMTP):
    """N forms through Postfix into a desk's LMTP door: the seconds until every one is taken
    (decided, committed, answered 250), and, with its SMTP server reachable, until every one
    is answered (both emails in their mailboxes; None otherwise)."""
    desk, svc = lmtp_desk(port, name, smtp_port)
    try:
        t0 = time.time()
        with smtplib.SMTP(HOST, SMTP) as s:
            for i in range(N):
                partner, m = form(i, f"{run}{name}")
                m["To"] = desk
                s.send_message(m, from_addr=partner, to_addrs=[desk])
        cfg = os.path.join(work, f"{desk.split('@')[0]}.toml")
        deadline = time.time() + 900
        while len(json.loads(subprocess.run([BIN, "--config", cfg, "requests", "list", "--json"],
                                            capture_output=True, check=True).stdout)) < N:
            if time.time() > deadline:
                sys.exit("the LMTP forms were not all taken within 900 s")
            time.sleep(0.1)
        taken_s = time.time() - t0
        if smtp_port != SMTP:
            return None, taken_s
        # Answered: every form's partner has its "request complete" (review = false).
        sample = range(0, N, max(1, N // 20))
        deadline = time.time() + 900
        while sum(count(f"p{i}-{run}{name}@partner.test") for i in sample) < len(sample):
            if time.time() > deadline:
                sys.exit("the LMTP forms were not all answered within 900 s")
            time.sleep(0.2)
        wait_count(f"p{N - 1}-{run}{name}@partner.test", 1)
        return time.time() - t0, taken_s
    finally:
        svc.send_signal(signal.SIGTERM)
        svc.wait(timeout=60)


if LATENCY:
    print(f"== LMTP door: latency over {LATENCY} forms, and {N} forms through Postfix", flush=True)
    desk, svc = lmtp_desk(24198, "l")
    try:
        p50, p95 = latency_samples(desk, f"{run}m", LATENCY)
        print(f"LMTP latency, Postfix's 250 -> activation in INBOX: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    finally:
        svc.send_signal(signal.SIGTERM)
        svc.wait(timeout=30)
    # The floor: the same Postfix delivering the same messages into a Dovecot mailbox over LMTP.
    floor_desk = f"floor-{run}@example.test"
    count(floor_desk)
    t0 = time.time()
    backlog(floor_desk, f"{run}f", N)
    floor_s = time.time() - t0
    lmtp_s, taken_s = lmtp_throughput(24199, "t")
    _, held_s = lmtp_throughput(24197, "h", smtp_port=1)
    print(f"{N} forms through Postfix: into a Dovecot mailbox {floor_s:.2f} s; into the LMTP door, all taken "
          f"(decided, committed, 250) {taken_s:.2f} s = {taken_s / floor_s:.2f}x, all answered (both emails of "
          f"each in their mailboxes, 3x the mail through Postfix) {lmtp_s:.2f} s = {lmtp_s / floor_s:.2f}x; "
          f"all taken with the answers held (SMTP unreachable: the door against Dovecot's, Postfix doing "
          f"the same work) {held_s:.2f} s = {held_s / floor_s:.2f}x")
print(f"(backend: {'PostgreSQL' if PG else 'SQLite'}; files in {work})")
