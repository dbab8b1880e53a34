#!/usr/bin/env python3
"""Drives one sample request through smartacct on the local mail stack,
playing the partner and the customer with ordinary SMTP and IMAP."""
import email, email.policy, hashlib, hmac, http.server, imaplib, json, os, smtplib, subprocess, sys, tempfile, threading, time, uuid
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

BIN = os.path.abspath(sys.argv[1])
HOST, SMTP, IMAP, PW = "127.0.0.1", 2525, 1143, "secret"
run_id = uuid.uuid4().hex[:6]
desk = f"smartacct-{run_id}@example.test"
partner, customer = f"partner-{run_id}@partner.test", f"jane-{run_id}@customer.test"
users = [f"ops-{run_id}@customer.test", f"finance-{run_id}@customer.test"]
work = tempfile.mkdtemp(prefix="smartacct-demo-")
config = os.path.join(work, "smartacct.toml")
SECRET = "demo-webhook-secret"


class Provisioning(http.server.BaseHTTPRequestHandler):
    """The provisioning system's side: each state change arrives as a signed JSON POST."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, self.headers.get("X-Smartacct-Signature", ""))
        event = json.loads(body)
        print(f"    [provisioning system] event {event['type']} for {event['request']['reference']}"
              f" (id {event['id']}, signature {'valid' if ok else 'INVALID'})", flush=True)
        self.send_response(200 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


receiver = http.server.HTTPServer(("127.0.0.1", 0), Provisioning)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
with open(os.path.join(work, "webhook.secret"), "w") as f:
    f.write(SECRET)
with open(config, "w") as f:
    f.write(open("config/smartacct.toml").read()
            .replace("smartacct@example.test", desk)
            .replace("sqlite://var/smartacct.db", f"sqlite://{work}/smartacct.db")
            + f"\n[hooks]\nwebhook_url = \"http://127.0.0.1:{receiver.server_port}/smartacct\"\n"
            + f"webhook_secret_file = \"{work}/webhook.secret\"\n")


def say(text):
    print(f"\n\033[1m== {text}\033[0m", flush=True)


def smartacct(*args):
    p = subprocess.run([BIN, "--config", config, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"smartacct {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def send(frm, to, subject, body, reply_to=None):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = frm, to, subject
    m["Message-ID"] = make_msgid(domain=frm.split("@")[1])
    if reply_to is not None:
        m["In-Reply-To"] = m["References"] = reply_to["Message-ID"]
    m.set_content(body)
    with smtplib.SMTP(HOST, SMTP) as s:
        s.send_message(m)
    print(f"{frm} -> {to}: {subject}\n" + "\n".join("    " + l for l in body.splitlines()))


def mailbox(user, n, folder="INBOX"):
    deadline = time.time() + 30
    while True:
        with imaplib.IMAP4(HOST, IMAP) as im:
            im.login(user, PW)
            im.select(folder, readonly=True)
            _, data = im.uid("SEARCH", None, "ALL")
            uids = data[0].split()
            if len(uids) >= n or time.time() > deadline:
                msgs = []
                for u in uids:
                    _, d = im.uid("FETCH", u.decode(), "(BODY.PEEK[])")
                    msgs.append(email.message_from_bytes(d[0][1], policy=email.policy.default))
                return msgs
        time.sleep(0.2)


def show(m):
    body = m.get_body(("plain",)).get_content()
    print(f"From: {m['From']}\nTo: {m['To']}\nReply-To: {m.get('Reply-To', '-')}\nSubject: {m['Subject']}\n")
    print("\n".join("    " + l for l in body.rstrip().splitlines()))


def poll(expect_in_desk):
    mailbox(desk, 0)
    deadline = time.time() + 30
    while time.time() < deadline:
        with imaplib.IMAP4(HOST, IMAP) as im:
            im.login(desk, PW)
            if int(im.select("INBOX", readonly=True)[1][0]) >= expect_in_desk:
                break
        time.sleep(0.1)
    print(f"$ smartacct poll --once")
    smartacct("poll", "--once")


smartacct("check-config")
say(f"The partner mails the request form to the desk ({desk})")
form = (f"Hello,\n\nAccount name: Acme Robotics\nCustomer email: {customer}\n"
        f"Account domain: acme-{run_id}.example\nNote to customer: Jane, this is the account we discussed.\n"
        f"User emails: {', '.join(users)}\nNote to users: Welcome to the Acme Smart Account.\n\nThanks,\nPat\n")
mailbox(desk, 0)
send(partner, desk, "Smart Account request for Acme", form)
poll(1)

say("The partner receives the review email")
review = mailbox(partner, 1)[-1]
show(review)

say("The partner replies SUBMIT")
send(partner, parseaddr(review["Reply-To"])[1], "Re: " + review["Subject"], "SUBMIT\n\nOn Monday the desk wrote:\n> ...", review)
poll(1)

say("The partner is told the request is complete")
show(mailbox(partner, 2)[-1])
say("The customer receives the activation email")
activation = mailbox(customer, 1)[-1]
show(activation)

say("The customer replies ACCEPT")
send(customer, parseaddr(activation["Reply-To"])[1], "Re: " + activation["Subject"], "Accept\n\n> (the activation email)", activation)
poll(1)

say("The partner gets the confirmation")
show(mailbox(partner, 3)[-1])
for u in users:
    say(f"{u} is told they have access")
    show(mailbox(u, 1)[-1])
say("The customer gets an acknowledgement")
show(mailbox(customer, 2)[-1])

say("What the operator sees")
print("$ smartacct requests list")
print(smartacct("requests", "list"))
ref = review["Subject"].split("[")[1].split("]")[0]
print(f"$ smartacct requests show {ref}")
print(smartacct("requests", "show", ref))
print(f"(demo files in {work})")
