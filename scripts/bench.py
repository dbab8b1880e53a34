#!/usr/bin/env python3
"""The throughput benchmark's driver (see scripts/bench.sh): smartacct against a bare-I/O client, in one run."""
import atexit, glob, imaplib, os, re, shutil, signal, smtplib, socket, statistics, subprocess, sys, tempfile, time, uuid
from email.message import EmailMessage
from email.utils import make_msgid

BIN, N, LATENCY = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
HOST, SMTP, IMAP, PW = "127.0.0.1", 2525, 1143, "secret"
run = uuid.uuid4().hex[:6]
work = tempfile.mkdtemp(prefix="smartacct-bench-")
MAIL = "/var/lib/smartacct-mailstack/mail"  # scripts/mailstack.sh's mailboxes, one folder each


def clean_up():
    """What a run leaves would pile up (a 2,000-form run makes about 20,000
    mailboxes): its mailboxes (every address it writes holds the run's id), its
    databases and its files go when it ends, however it ends."""
    for box in glob.glob(f"{MAIL}/*/*{run}*"):
        shutil.rmtree(box, ignore_errors=True)
    if PG:
        names = subprocess.run(["psql", "-X", "-A", "-t", PG, "-c", "SELECT datname FROM pg_database"],
                               capture_output=True, text=True).stdout.split()
        for name in (n for n in names if n.startswith(f"bench_{run}_")):  # only what db_url made
            subprocess.run(["psql", "-X", "-q", PG, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
    shutil.rmtree(work, ignore_errors=True)


atexit.register(clean_up)


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
        time.sleep(0.05)


def busy_cpu():
    """Core-seconds the whole machine has been busy (every process, kernel included) since boot."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu(pid):
    """Core-seconds one process (all its threads) has used so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CORES = os.cpu_count()


PG = os.environ.get("SMARTACCT_BENCH_POSTGRES")  # scripts/bench.sh ... postgres: the test cluster's URL


def db_url(name):
    """A fresh database: a SQLite file in the work folder, or a database on the PostgreSQL cluster."""
    if not PG:
        return "sqlite://" + os.path.join(work, name + ".db")
    db = f"bench_{run}_{name}"
    subprocess.run(["psql", "-X", "-q", PG, "-c", f"CREATE DATABASE {db}"], check=True)
    return PG.rsplit("/", 1)[0] + "/" + db


def config(desk, db, smtp_port=SMTP, review=False):
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
review = {"true" if review else "false"}
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
    started, cpu0 = time.time(), busy_cpu()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    sent = time.time() - started
    return sent, until_delivered(started), busy_cpu() - cpu0


open(os.path.join(work, "pw"), "w").write(PW)


QUEUE = "/var/lib/smartacct-mailstack/postfix-queue"


def postfix_queue_empty():
    """Nothing left in the stack's Postfix: every message handed on (to the door, or into Dovecot)."""
    for d in ("maildrop", "incoming", "active", "deferred"):
        for _, _, files in os.walk(os.path.join(QUEUE, d)):
            if files:
                return False
    return True


def until_delivered(started):
    """The seconds from `started` until Postfix has delivered everything it was handed."""
    deadline = time.time() + 600
    while not postfix_queue_empty():
        if time.time() > deadline:
            sys.exit("Postfix's queue did not empty within 600 s")
        time.sleep(0.02)
    return time.time() - started


def poll(cfg):
    """`poll --once`: its seconds, the seconds until Postfix delivered all it sent, its output, its peak RSS."""
    started, cpu0 = time.time(), busy_cpu()
    p = subprocess.run(["/usr/bin/time", "-v", BIN, "--config", cfg, "poll", "--once"], capture_output=True,
                       text=True, env={**os.environ, "RUST_LOG": "info"})
    took = time.time() - started
    delivered = until_delivered(started)
    p.machine_cpu = busy_cpu() - cpu0
    p.own_cpu = sum(float(re.search(rf"{k} time \(seconds\): ([0-9.]+)", p.stderr).group(1)) for k in ("User", "System"))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return p, took, rss, delivered


ONLY = os.environ.get("SMARTACCT_BENCH_ONLY")  # "lmtp": the LMTP door's figures alone; "poll": poll --once's
if ONLY != "lmtp":
    desk, bare_desk, split_desk = f"bench-{run}@example.test", f"bare-{run}@example.test", f"split-{run}@example.test"
    print(f"== backlog of {N} forms in each of three mailboxes", flush=True)
    for d in (desk, bare_desk, split_desk):
        count(d)  # the mailbox exists once logged into
    backlog(desk, f"{run}a", N)
    backlog(bare_desk, f"{run}b", N)
    backlog(split_desk, f"{run}c", N)

    print("== bare-I/O client", flush=True)
    bare_intake, bare_total = bare(bare_desk, N)
    until_delivered(time.time())  # its emails out of Postfix before the next client starts

    print("== smartacct poll --once (reading and delivering at once, as it runs)", flush=True)
    cfg = config(desk, db_url("bench"))
    subprocess.run([BIN, "--config", cfg, "migrate"], check=True, capture_output=True)
    p, total, rss, total_delivered = poll(cfg)
    if p.returncode != 0:
        sys.exit(p.stderr[-3000:])

    print("== the split, on the third backlog: intake alone (SMTP unreachable), then delivery alone", flush=True)
    db = db_url("split")
    p1, intake_s, _, _ = poll(config(split_desk, db, smtp_port=1))
    p2, delivery_s, _, _ = poll(config(split_desk, db))
    if p2.returncode != 0:
        sys.exit(p2.stderr[-3000:])
    print("== the SMTP server's own speed: a bare client on four connections", flush=True)
    server_s, server_delivered, server_cpu = bare_parallel(bare_desk, N)
    print(f"bare-I/O client: {bare_total:.2f} s (fetch+move {bare_intake:.2f} s, {2 * N} sends {bare_total - bare_intake:.2f} s)")
    t = re.search(r"intake_ms=(\d+) delivery_ms=(\d+)", p.stderr)
    print(f"smartacct poll --once: {total:.2f} s (reading {int(t.group(1)) / 1000:.2f} s while delivering, then "
          f"{int(t.group(2)) / 1000:.2f} s of delivery left), peak RSS {rss:.1f} MB")
    print(f"ratio smartacct / bare: {total / bare_total:.2f}x")
    print(f"split: intake alone {intake_s:.2f} s ({1000 * intake_s / N:.2f} ms a message); "
          f"delivery alone {delivery_s:.2f} s ({2 * N / delivery_s:.0f} emails/s)")
    print(f"SMTP server, bare client on 4 connections (4 processes): {server_s:.2f} s ({2 * N / server_s:.0f} emails/s); "
          f"smartacct's delivery at {server_s / delivery_s:.2f}x the server's speed")
    print(f"poll --once against the floor (the same {2 * N} sends from four bare clients): {total:.2f} s / "
          f"{server_s:.2f} s = {total / server_s:.2f}x; until Postfix delivered every email into its mailbox: "
          f"{total_delivered:.2f} s / {server_delivered:.2f} s = {total_delivered / server_delivered:.2f}x; "
          f"peak RSS {rss:.1f} MB")
    print(f"CPU, whole machine, until delivered: poll --once {p.machine_cpu:.1f} core-s (the desk itself "
          f"{p.own_cpu:.1f}), the four bare clients {server_cpu:.1f} core-s")


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



if LATENCY and ONLY not in ("lmtp", "poll"):
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


def lmtp_desk(port, name, smtp_port=SMTP, review=False):
    """A desk whose mail the stack's Postfix hands to its LMTP door (lmtp-PORT-… in 24000-24199)."""
    desk = f"lmtp-{port}-{run}{name}@example.test"
    db = db_url("lmtp" + name)
    cfg = config(desk, db, smtp_port, review)
    with open(cfg, "a") as f:
        f.write(f'[lmtp]\nlisten = "127.0.0.1:{port}"\n')
    svc = subprocess.Popen([BIN, "--config", cfg, "run"], stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return desk, db, svc
        except OSError:
            if time.time() > deadline:
                sys.exit(f"the LMTP door on {port} did not open")
            time.sleep(0.05)


def scalar(db, sql):
    """One number from the desk's database, read beside it (a cheap probe: no process of the
    desk's own is started while it is measured)."""
    if db.startswith("sqlite://"):
        import sqlite3
        with sqlite3.connect(f"file:{db[len('sqlite://'):]}?mode=ro", uri=True, timeout=30) as c:
            return c.execute(sql).fetchone()[0]
    out = subprocess.run(["psql", "-X", "-q", "-t", "-A", db, "-c", sql], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def lmtp_throughput(port, name, smtp_port=SMTP, review=False):
    """N forms through Postfix into a desk's LMTP door: the seconds until every one is taken
    (decided, committed, answered 250), and, with its SMTP server reachable, until every one
    is answered (its answers handed to Postfix, Postfix's queue empty, and a sample of the
    answers checked in their mailboxes; None otherwise)."""
    desk, db, svc = lmtp_desk(port, name, smtp_port, review)
    try:
        t0, cpu0, desk0 = time.time(), busy_cpu(), own_cpu(svc.pid)
        with smtplib.SMTP(HOST, SMTP) as s:
            for i in range(N):
                partner, m = form(i, f"{run}{name}")
                m["To"] = desk
                s.send_message(m, from_addr=partner, to_addrs=[desk])
        deadline = time.time() + 900
        while scalar(db, "SELECT count(*) FROM requests") < N:
            if time.time() > deadline:
                sys.exit("the LMTP forms were not all taken within 900 s")
            time.sleep(0.05)
        taken_s = time.time() - t0
        if smtp_port != SMTP:
            return None, taken_s, None
        emails = N if review else 2 * N  # the review email; or activation and "request complete"
        while (scalar(db, "SELECT count(*) FROM outbox WHERE status = 'sent'") < emails
               or not postfix_queue_empty()):
            if time.time() > deadline:
                sys.exit("the LMTP forms were not all answered within 900 s")
            time.sleep(0.05)
        answered_s = time.time() - t0
        cpu = (busy_cpu() - cpu0, own_cpu(svc.pid) - desk0)
        # Every partner has an answer: checked on a sample once the clock has stopped.
        for i in list(range(0, N, max(1, N // 20))) + [N - 1]:
            wait_count(f"p{i}-{run}{name}@partner.test", 1, limit=60)
        return answered_s, taken_s, cpu
    finally:
        svc.send_signal(signal.SIGTERM)
        svc.wait(timeout=60)


if LATENCY and ONLY != "poll":
    print(f"== LMTP door: latency over {LATENCY} forms, and {N} forms through Postfix", flush=True)
    desk, _, svc = lmtp_desk(24198, "l")
    try:
        p50, p95 = latency_samples(desk, f"{run}m", LATENCY)
        print(f"LMTP latency, Postfix's 250 -> activation in INBOX: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    finally:
        svc.send_signal(signal.SIGTERM)
        svc.wait(timeout=30)
    # The floor: the same Postfix delivering the same messages into a Dovecot mailbox over LMTP.
    floor_desk = f"floor-{run}@example.test"
    count(floor_desk)
    t0, cpu0 = time.time(), busy_cpu()
    backlog(floor_desk, f"{run}f", N)
    floor_s, floor_cpu = time.time() - t0, busy_cpu() - cpu0
    answered_s, taken_s, (door_cpu, desk_cpu) = lmtp_throughput(24199, "t", review=True)
    both_s, both_taken_s, _ = lmtp_throughput(24196, "b")
    _, held_s, _ = lmtp_throughput(24197, "h", smtp_port=1)
    print(f"{N} forms through Postfix: into a Dovecot mailbox {floor_s:.2f} s; into the LMTP door:")
    print(f"  answered (review on: each form's review email in its partner's mailbox, 2x the floor's mail "
          f"through Postfix) {answered_s:.2f} s = {answered_s / floor_s:.2f}x; all taken (decided, committed, 250) "
          f"{taken_s:.2f} s = {taken_s / floor_s:.2f}x")
    print(f"  answered with review off (activation and \"request complete\" each, 3x the floor's mail) "
          f"{both_s:.2f} s = {both_s / floor_s:.2f}x; all taken {both_taken_s:.2f} s = {both_taken_s / floor_s:.2f}x")
    print(f"  all taken with the answers held (SMTP unreachable: the door against Dovecot's) "
          f"{held_s:.2f} s = {held_s / floor_s:.2f}x")
    rest = door_cpu - desk_cpu
    print(f"  CPU, whole machine: the floor {floor_cpu:.1f} core-s; answered with review on {door_cpu:.1f} core-s, of "
          f"which the desk {desk_cpu:.1f} and everything else (Postfix, Dovecot, the sending client) {rest:.1f} = "
          f"{rest / floor_cpu:.2f}x the floor's: on {CORES} cores that alone takes at least {rest / CORES:.2f} s = "
          f"{rest / CORES / floor_s:.2f}x the floor's time, whatever the desk does")
print(f"(backend: {'PostgreSQL' if PG else 'SQLite'})")
