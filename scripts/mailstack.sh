#!/usr/bin/env bash
# A real mail stack on loopback for development and tests: Postfix takes SMTP
# on 127.0.0.1:2525 (and authenticated submission on 2587, which does not
# offer PIPELINING, so the tests cover both ways of talking to a server) and
# hands every message to Dovecot over LMTP; Dovecot serves IMAP on 1143 (STARTTLS) and
# IMAPS on 1993 with a CA generated here. Any address in example.test,
# partner.test or customer.test has a mailbox, password "secret"; plus tags
# are kept. Nothing leaves the machine. No systemd, no syslog.
#
#   scripts/mailstack.sh up      install (Debian packages) if missing, start
#   scripts/mailstack.sh down    stop
#   scripts/mailstack.sh reset   stop, wipe every mailbox and queue, start
#   scripts/mailstack.sh status  say whether it answers
#   scripts/mailstack.sh stop-smtp | start-smtp | restart-imap | stop-imap | start-imap   (fault tests)
#
# Mail to any address at nowhere.test is accepted and then bounced (a DSN
# goes back to the envelope sender), like a remote unknown mailbox.
# A second, independent stack for tests that stop servers:
#   MAILSTACK_DIR=/var/lib/smartacct-mailstack-faults MAILSTACK_SMTP_PORT=2526 \
#   MAILSTACK_SUBMISSION_PORT=2588 MAILSTACK_IMAP_PORT=1144 MAILSTACK_IMAPS_PORT=1994 scripts/mailstack.sh up
#
# With MAILSTACK_OAUTH2_PORT set, the stack also takes XOAUTH2 and OAUTHBEARER
# (IMAP and submission): scripts/oauth2_endpoint.py serves tokens on that port
# and Dovecot's oauth2 passdb checks them there (introspection); mailboxes
# oauth-*@example.test log in with a token only, never a password. The XOAUTH2
# tests' stack:
#   MAILSTACK_DIR=/var/lib/smartacct-mailstack-oauth MAILSTACK_SMTP_PORT=2527 MAILSTACK_SUBMISSION_PORT=2589 \
#   MAILSTACK_IMAP_PORT=1145 MAILSTACK_IMAPS_PORT=1995 MAILSTACK_OAUTH2_PORT=8431 scripts/mailstack.sh up
#
# With MAILSTACK_MILTERS=1 the stack authenticates mail as a receiving MX
# does: Postfix is mx.example.test, and real OpenDKIM and OpenDMARC milters
# (Debian's opendkim, opendmarc) verify what reaches the SMTP port and write
# `Authentication-Results: mx.example.test; ...` (OpenDMARC never rejects: a
# failing message is delivered with dmarc=fail, the reader decides). A local
# DNS server (dnsmasq, on $MAILSTACK_DNS_ADDR port 53, default 127.0.53.1; its
# address is written in $MAILSTACK_DIR/dns/address) serves the test domains'
# records: DKIM keys (selector s2026) of partner.test and customer.test,
# `_dmarc` = `v=DMARC1; p=reject` for both, `v=DMARC1; p=none` for
# monitor.test, and `v=spf1 -all` everywhere, so SPF never passes and DMARC
# rests on the DKIM signature alone. MAILSTACK_SIGNING_PORT stands for the
# partners' and customers' own outbound server: mail From partner.test or
# customer.test sent there is DKIM-signed (keys made here by opendkim-genkey,
# under $MAILSTACK_DIR/dkim), then handed to the SMTP port, where it is
# verified like any other mail. Mail sent straight to the SMTP port is what a
# forger sends. Delivered, a message starts: Return-Path, Delivered-To,
# Dovecot's Received, OpenDMARC's Authentication-Results (dmarc=), OpenDKIM's
# (dkim=, on every message), Postfix's Received, then what the sender wrote.
# A sender's own "Authentication-Results: mx.example.test" stays where the
# sender put it, below our Received, unless it carries a dkim= result (OpenDKIM
# removes those); MAILSTACK_STRIP_FORGED_AR removes them all without touching
# the milters' own: "opendkim" (OpenDKIM's RemoveARFrom + RemoveARAll),
# "postfix" (header_checks in the SMTP port's cleanup) or "1" (both). Off by
# default: whoever reads the results must not trust a sender's. OpenDMARC
# reads /etc/resolv.conf only, so it runs in a private mount namespace where a
# resolv.conf naming the local DNS server is bind-mounted over the machine's
# (which is never changed). The tests' authenticating stack:
#   MAILSTACK_DIR=/var/lib/smartacct-mailstack-auth MAILSTACK_SMTP_PORT=2528 MAILSTACK_SUBMISSION_PORT=2590 \
#   MAILSTACK_IMAP_PORT=1146 MAILSTACK_IMAPS_PORT=1996 MAILSTACK_MILTERS=1 MAILSTACK_SIGNING_PORT=2628 \
#   scripts/mailstack.sh up
#
# Everything lives under $MAILSTACK_DIR (default /var/lib/smartacct-mailstack);
# the CA the clients must trust is $MAILSTACK_DIR/tls/ca.crt.
set -euo pipefail

BASE=${MAILSTACK_DIR:-/var/lib/smartacct-mailstack}
SMTP_PORT=${MAILSTACK_SMTP_PORT:-2525}
SUBMISSION_PORT=${MAILSTACK_SUBMISSION_PORT:-2587}
IMAP_PORT=${MAILSTACK_IMAP_PORT:-1143}
IMAPS_PORT=${MAILSTACK_IMAPS_PORT:-1993}
OAUTH2_PORT=${MAILSTACK_OAUTH2_PORT:-}
MILTERS=${MAILSTACK_MILTERS:-}
SIGNING_PORT=${MAILSTACK_SIGNING_PORT:-2628}
DNS_ADDR=${MAILSTACK_DNS_ADDR:-127.0.53.1}
STRIP_FORGED_AR=${MAILSTACK_STRIP_FORGED_AR:-}
[ "$MILTERS" = 0 ] && MILTERS=""
# The authserv-id the milters write, and so the MTA's name, on a milter stack.
AUTHSERV_ID=mx.example.test
MYHOSTNAME=${MILTERS:+$AUTHSERV_ID}
MYHOSTNAME=${MYHOSTNAME:-mail.example.test}
SELECTOR=s2026
SIGNED_DOMAINS="partner.test customer.test"
HERE=$(cd "$(dirname "$0")" && pwd)
DOMAINS="example.test partner.test customer.test"

log() { echo "mailstack: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages and starts the servers)"

answers() { # port [address] -> 0 when something listens on address:port (default 127.0.0.1)
    (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

install_packages() {
    local milter_packages=""
    # A milter stack's OpenDKIM (signing and verifying), opendkim-genkey,
    # OpenDMARC, and dnsmasq (the binary only: no service of its own starts).
    if [ -n "$MILTERS" ] && ! { command -v opendkim >/dev/null && command -v opendkim-genkey >/dev/null \
        && command -v opendmarc >/dev/null && command -v dnsmasq >/dev/null && command -v unshare >/dev/null; }; then
        milter_packages="opendkim opendkim-tools opendmarc dnsmasq-base util-linux publicsuffix"
    fi
    if [ -z "$milter_packages" ] && command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/lmtp ] \
        && command -v postfix >/dev/null && command -v openssl >/dev/null \
        && /usr/bin/python3 -c 'import dkim, nacl' 2>/dev/null; then
        return
    fi
    # python3-dkim (dkimpy, with python3-nacl for Ed25519): the independent
    # verifier the DKIM tests check the received copies with (run by /usr/bin/python3,
    # whatever python3 comes first on PATH).
    log "installing dovecot-imapd dovecot-lmtpd postfix python3-dkim $milter_packages"
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-lmtpd postfix openssl ca-certificates \
        python3-dkim python3-nacl $milter_packages >/dev/null
}

ensure_vmail() {
    getent group vmail >/dev/null || groupadd --system vmail
    getent passwd vmail >/dev/null || useradd --system --gid vmail --home-dir "$BASE/mail" --shell /usr/sbin/nologin vmail
}

make_tls() {
    local d="$BASE/tls"
    [ -s "$d/server.crt" ] && return
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=smartacct test CA" \
        -keyout "$d/ca.key" -out "$d/ca.crt" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
        -extfile "$d/ext.cnf" -out "$d/server.crt" 2>/dev/null
    chmod 600 "$d/server.key" "$d/ca.key"
    chmod 644 "$d/ca.crt" "$d/server.crt"
}

write_dovecot_conf() {
    local uid
    uid=$(id -u vmail)
    mkdir -p "$BASE/dovecot" "$BASE/run/dovecot" "$BASE/log" "$BASE/mail" "$BASE/state/dovecot"
    chown vmail:vmail "$BASE/mail"
    cat >"$BASE/dovecot/dovecot.conf" <<EOF
# generated by scripts/mailstack.sh
base_dir = $BASE/run/dovecot
state_dir = $BASE/state/dovecot
log_path = $BASE/log/dovecot.log
info_log_path = $BASE/log/dovecot.log
listen = 127.0.0.1
protocols = imap lmtp
ssl = yes
ssl_cert = <$BASE/tls/server.crt
ssl_key = <$BASE/tls/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login${OAUTH2_PORT:+ xoauth2 oauthbearer}
auth_username_format = %Lu
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
mail_location = sdbox:~/sdbox
mail_fsync = never
mail_uid = vmail
mail_gid = vmail
first_valid_uid = $uid
last_valid_uid = $uid
mail_max_userip_connections = 1000
recipient_delimiter = +
lmtp_hdr_delivery_address = final
postmaster_address = postmaster@example.test
default_internal_user = dovecot
default_login_user = dovenull
namespace inbox {
  inbox = yes
  separator = /
}
$(oauth2_passdb)
passdb {
  driver = static
  args = password=secret
  username_filter = $(for d in $DOMAINS; do printf '*@%s ' "$d"; done)${OAUTH2_PORT:+!oauth-*@example.test}
}
passdb {
  driver = static
  args = password=never-matches
  deny = yes
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=$BASE/mail/%d/%n allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  unix_listener lmtp {
    user = postfix
    group = postfix
    mode = 0600
  }
}
service auth {
  unix_listener auth-client {
    user = postfix
    group = postfix
    mode = 0660
  }
}
EOF
}

# With MAILSTACK_OAUTH2_PORT: tokens of oauth-*@example.test checked by the
# token server (RFC 7662 introspection), for XOAUTH2 and OAUTHBEARER only.
oauth2_passdb() {
    [ -n "$OAUTH2_PORT" ] || return 0
    cat >"$BASE/dovecot/oauth2.conf.ext" <<EOF2
introspection_mode = post
introspection_url = http://127.0.0.1:$OAUTH2_PORT/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
EOF2
    cat <<EOF2
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $BASE/dovecot/oauth2.conf.ext
  username_filter = oauth-*@example.test
}
EOF2
}

start_oauth2() {
    [ -n "$OAUTH2_PORT" ] || return 0
    answers "$OAUTH2_PORT" && return 0
    mkdir -p "$BASE/run" "$BASE/log"
    setsid /usr/bin/python3 "$HERE/oauth2_endpoint.py" "$OAUTH2_PORT" </dev/null >>"$BASE/log/oauth2.log" 2>&1 &
    echo $! >"$BASE/run/oauth2.pid"
    local i
    for i in $(seq 1 100); do answers "$OAUTH2_PORT" && return 0; sleep 0.1; done
    die "the token server did not start; log in $BASE/log/oauth2.log"
}

stop_oauth2() {
    [ -f "$BASE/run/oauth2.pid" ] || return 0
    kill "$(cat "$BASE/run/oauth2.pid")" 2>/dev/null || true
    rm -f "$BASE/run/oauth2.pid"
}

# --- The milter stack (MAILSTACK_MILTERS=1): DNS, DKIM keys, OpenDKIM, OpenDMARC ---

# The DKIM keys of the signing domains, made once (opendkim-genkey, RSA 2048)
# and kept across resets, readable by the opendkim user only.
make_dkim_keys() {
    local d
    mkdir -p "$BASE/dkim"
    for d in $SIGNED_DOMAINS; do
        [ -s "$BASE/dkim/$d/$SELECTOR.private" ] && continue
        mkdir -p "$BASE/dkim/$d"
        opendkim-genkey -b 2048 -h sha256 -d "$d" -s "$SELECTOR" -D "$BASE/dkim/$d" \
            || die "opendkim-genkey failed for $d"
    done
    : >"$BASE/dkim/key.table.new"
    : >"$BASE/dkim/signing.table.new"
    for d in $SIGNED_DOMAINS; do
        echo "$SELECTOR._domainkey.$d $d:$SELECTOR:$BASE/dkim/$d/$SELECTOR.private" >>"$BASE/dkim/key.table.new"
        echo "*@$d $SELECTOR._domainkey.$d" >>"$BASE/dkim/signing.table.new"
    done
    mv "$BASE/dkim/key.table.new" "$BASE/dkim/key.table"
    mv "$BASE/dkim/signing.table.new" "$BASE/dkim/signing.table"
    chown -R opendkim:opendkim "$BASE/dkim"
    chmod 700 "$BASE/dkim"/*/
    chmod 600 "$BASE/dkim"/*/*.private
}

# The public key of a signing domain as a DKIM record's p= (base64 of the DER SubjectPublicKeyInfo).
dkim_public_key() {
    openssl pkey -in "$BASE/dkim/$1/$SELECTOR.private" -pubout -outform DER 2>/dev/null | base64 -w0
}

# dnsmasq: authoritative-looking answers for *.test from this file only (no
# upstream, no /etc/hosts), UDP and TCP on $DNS_ADDR:53. A TXT value longer
# than 255 bytes is split into several strings, as DNS requires.
write_dns_conf() {
    local d="$BASE/dns" dom key chunks i
    mkdir -p "$d" "$BASE/run" "$BASE/log"
    {
        echo "# generated by scripts/mailstack.sh"
        echo "listen-address=$DNS_ADDR"
        echo "port=53"
        echo "bind-interfaces"
        echo "no-resolv"
        echo "no-hosts"
        echo "no-poll"
        echo "no-negcache"
        echo "local=/test/"
        echo "user=root"
        echo "pid-file=$BASE/run/dnsmasq.pid"
        echo "log-facility=$BASE/log/dnsmasq.log"
        echo "log-queries"
        for dom in $SIGNED_DOMAINS; do
            key=$(dkim_public_key "$dom")
            [ -n "$key" ] || die "no public key for $dom"
            chunks=""
            for ((i = 0; i < ${#key}; i += 240)); do chunks="$chunks,\"${key:i:240}\""; done
            chunks=${chunks/#,\"/,\"p=}
            echo "txt-record=$SELECTOR._domainkey.$dom,\"v=DKIM1; h=sha256; k=rsa; \"$chunks"
            echo "txt-record=_dmarc.$dom,\"v=DMARC1; p=reject\""
            echo "txt-record=$dom,\"v=spf1 -all\""
        done
        # A domain that only monitors: DMARC fails, the policy says do nothing.
        echo "txt-record=_dmarc.monitor.test,\"v=DMARC1; p=none\""
        echo "txt-record=monitor.test,\"v=spf1 -all\""
        echo "txt-record=example.test,\"v=spf1 -all\""
    } >"$d/dnsmasq.conf"
    printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$DNS_ADDR" >"$d/resolv.conf"
    echo "$DNS_ADDR:53" >"$d/address"
}

# OpenDKIM twice (the partners' signer, our verifier) and OpenDMARC, each
# with its own directory under run/ (socket and pid file, owned by its user).
write_milter_conf() {
    mkdir -p "$BASE/opendkim" "$BASE/opendmarc"
    # No SMTP client is "internal" to our MX: mail from 127.0.0.1 is verified, not skipped.
    echo "192.0.2.1" >"$BASE/opendkim/internal-hosts"
    echo "192.0.2.1" >"$BASE/opendmarc/ignore-hosts"
    # OpenDKIM resolves with libunbound, which by default never queries a
    # loopback address and answers NXDOMAIN itself for the special-use test.
    # domain (RFC 6761): allow both, and forward every query to our DNS server.
    cat >"$BASE/opendkim/unbound.conf" <<EOF
server:
    do-not-query-localhost: no
    local-zone: "test." nodefault
forward-zone:
    name: "."
    forward-addr: $DNS_ADDR
EOF
    cat >"$BASE/opendkim/verify.conf" <<EOF
# generated by scripts/mailstack.sh: the receiving MX's DKIM verifier
Mode v
AuthservID $AUTHSERV_ID
AlwaysAddARHeader yes
InternalHosts $BASE/opendkim/internal-hosts
Nameservers $DNS_ADDR
ResolverConfiguration $BASE/opendkim/unbound.conf
DNSTimeout 5
Socket local:$BASE/run/opendkim-verify/opendkim.sock
PidFile $BASE/run/opendkim-verify/opendkim.pid
UserID opendkim:opendkim
UMask 0111
Syslog no
# Debian's opendkim has crashed under the test suite (a general protection
# fault in libc, once in many runs): its parent process starts a new filter
# at once instead of leaving every later message tempfailed.
AutoRestart yes
AutoRestartRate 10/1m
$(verify_strip_ar)
EOF
    cat >"$BASE/opendkim/sign.conf" <<EOF
# generated by scripts/mailstack.sh: the partners' and customers' outbound signer
Mode s
KeyTable file:$BASE/dkim/key.table
SigningTable refile:$BASE/dkim/signing.table
InternalHosts 127.0.0.1
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
OversignHeaders From
Socket local:$BASE/run/opendkim-sign/opendkim.sock
PidFile $BASE/run/opendkim-sign/opendkim.pid
UserID opendkim:opendkim
UMask 0111
Syslog no
# Debian's opendkim has crashed under the test suite (a general protection
# fault in libc, once in many runs): its parent process starts a new filter
# at once instead of leaving every later message tempfailed.
AutoRestart yes
AutoRestartRate 10/1m
EOF
    local psl=/usr/share/publicsuffix/public_suffix_list.dat
    cat >"$BASE/opendmarc/opendmarc.conf" <<EOF
# generated by scripts/mailstack.sh: the receiving MX's DMARC evaluation; it
# reads the DKIM result from OpenDKIM's Authentication-Results (same authserv-id)
AuthservID $AUTHSERV_ID
TrustedAuthservIDs $AUTHSERV_ID
IgnoreHosts $BASE/opendmarc/ignore-hosts
RejectFailures false
SPFSelfValidate false
SPFIgnoreResults true
FailureReports false
RequiredHeaders false
$([ -f "$psl" ] && echo "PublicSuffixList $psl")
Socket local:$BASE/run/opendmarc/opendmarc.sock
PidFile $BASE/run/opendmarc/opendmarc.pid
UserID opendmarc:opendmarc
AutoRestart yes
AutoRestartRate 10/1m
UMask 0111
Syslog false
EOF
}

# MAILSTACK_STRIP_FORGED_AR=opendkim (or 1): OpenDKIM removes every
# Authentication-Results naming us that the message arrived with (by default
# only those with a dkim= result); it never sees OpenDMARC's, added after.
verify_strip_ar() {
    case $STRIP_FORGED_AR in 1 | opendkim) ;; *) return 0 ;; esac
    echo "RemoveARFrom $AUTHSERV_ID"
    echo "RemoveARAll yes"
}

alive() { # pidfile -> 0 when its process runs
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Stops the process of a pid file (ours: under $BASE) and waits until it is gone.
stop_pidfile() {
    local pidfile=$1 pid i
    [ -s "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

# Starts (or restarts, when its configuration files changed since) one
# daemon: NAME READY-TEST CONFIG-FILE... -- COMMAND...
run_daemon() {
    local name=$1 ready=$2 pidfile sum i
    shift 2
    local files=()
    while [ "$1" != -- ]; do files+=("$1"); shift; done
    shift
    pidfile=$(daemon_pidfile "$name")
    sum=$(cat "${files[@]}" | md5sum)
    if alive "$pidfile" && [ "$sum" = "$(cat "$BASE/run/$name.config-sum" 2>/dev/null)" ] && $ready; then
        return 0
    fi
    stop_pidfile "$pidfile"
    "$@" </dev/null >>"$BASE/log/$name.log" 2>&1 || { tail -n 5 "$BASE/log/$name.log" >&2; die "$name did not start"; }
    for i in $(seq 1 100); do
        if alive "$pidfile" && $ready; then
            echo "$sum" >"$BASE/run/$name.config-sum"
            return 0
        fi
        sleep 0.05
    done
    tail -n 5 "$BASE/log/$name.log" >&2 || true
    die "$name did not start; log in $BASE/log/$name.log"
}

daemon_pidfile() {
    case $1 in
        dnsmasq) echo "$BASE/run/dnsmasq.pid" ;;
        *) echo "$BASE/run/$1/${1%-*}.pid" ;;
    esac
}

dns_ready() { answers 53 "$DNS_ADDR"; }
opendkim_verify_ready() { [ -S "$BASE/run/opendkim-verify/opendkim.sock" ]; }
opendkim_sign_ready() { [ -S "$BASE/run/opendkim-sign/opendkim.sock" ]; }
opendmarc_ready() { [ -S "$BASE/run/opendmarc/opendmarc.sock" ]; }

start_milters() {
    [ -n "$MILTERS" ] || return 0
    mkdir -p "$BASE/run" "$BASE/log"
    make_dkim_keys
    write_dns_conf
    write_milter_conf
    local d
    for d in opendkim-verify opendkim-sign; do
        mkdir -p "$BASE/run/$d"
        chown opendkim:opendkim "$BASE/run/$d"
    done
    mkdir -p "$BASE/run/opendmarc"
    chown opendmarc:opendmarc "$BASE/run/opendmarc"
    local k="$BASE/opendkim" m="$BASE/opendmarc"
    run_daemon dnsmasq dns_ready "$BASE/dns/dnsmasq.conf" -- dnsmasq --conf-file="$BASE/dns/dnsmasq.conf"
    run_daemon opendkim-verify opendkim_verify_ready "$k/verify.conf" "$k/unbound.conf" "$k/internal-hosts" -- \
        opendkim -x "$k/verify.conf"
    run_daemon opendkim-sign opendkim_sign_ready "$k/sign.conf" "$BASE/dkim/key.table" "$BASE/dkim/signing.table" -- \
        opendkim -x "$k/sign.conf"
    # OpenDMARC (and libspf2) resolve through /etc/resolv.conf only: in a
    # private mount namespace, ours is bind-mounted over it.
    run_daemon opendmarc opendmarc_ready "$m/opendmarc.conf" "$m/ignore-hosts" "$BASE/dns/resolv.conf" -- \
        unshare --mount --propagation private -- sh -c 'mount --bind "$1" /etc/resolv.conf && exec opendmarc -c "$2"' \
        sh "$BASE/dns/resolv.conf" "$m/opendmarc.conf"
}

stop_milters() {
    local name
    for name in opendmarc opendkim-sign opendkim-verify dnsmasq; do
        stop_pidfile "$(daemon_pidfile "$name")"
        rm -f "$BASE/run/$name.config-sum"
    done
}

milters_up() {
    [ -n "$MILTERS" ] || return 0
    answers "$SIGNING_PORT" && alive "$(daemon_pidfile dnsmasq)" && dns_ready \
        && alive "$(daemon_pidfile opendkim-verify)" && alive "$(daemon_pidfile opendkim-sign)" \
        && alive "$(daemon_pidfile opendmarc)"
}

# master.cf on a milter stack: the SMTP port's verifying milters, and the
# signing port, whose signed mail goes on to the SMTP port through the
# "outbound" client (named outbound.partner.test: Postfix would otherwise see
# its own name in the greeting and call it a loop).
milter_smtpd_options() {
    [ -n "$MILTERS" ] || return 0
    echo "  -o smtpd_milters=unix:$BASE/run/opendkim-verify/opendkim.sock,unix:$BASE/run/opendmarc/opendmarc.sock"
    case $STRIP_FORGED_AR in 1 | postfix) echo "  -o cleanup_service_name=cleanup-inbound" ;; esac
}

milter_services() {
    [ -n "$MILTERS" ] || return 0
    cat <<EOF
127.0.0.1:$SIGNING_PORT inet n - n - - smtpd
  -o syslog_name=postfix/signing
  -o myhostname=outbound.partner.test
  -o smtpd_milters=unix:$BASE/run/opendkim-sign/opendkim.sock
  -o content_filter=outbound:[127.0.0.1]:$SMTP_PORT
outbound  unix  -       -       n       -       -       smtp
  -o syslog_name=postfix/outbound
  -o myhostname=outbound.partner.test
EOF
    case $STRIP_FORGED_AR in 1 | postfix) ;; *) return 0 ;; esac
    # MAILSTACK_STRIP_FORGED_AR=postfix (or 1): the sender's own
    # "Authentication-Results: mx.example.test" headers go in the SMTP port's
    # cleanup; header_checks never see the milters' headers (milter_header_checks would).
    printf '/^Authentication-Results:[[:space:]]*%s([[:space:];]|$)/ IGNORE\n' "${AUTHSERV_ID//./\\.}" \
        >"$BASE/postfix/forged-ar.regexp"
    cat <<EOF
cleanup-inbound unix n  -       n       -       0       cleanup
  -o header_checks=regexp:$BASE/postfix/forged-ar.regexp
EOF
}

write_postfix_conf() {
    local cfg="$BASE/postfix"
    mkdir -p "$cfg" "$BASE/postfix-queue" "$BASE/postfix-data" "$BASE/log"
    chown postfix "$BASE/postfix-data"
    # Postfix allows no $1 in a transport map's result: one line per port of
    # the range the LMTP tests listen in, in blocks of ten behind an `if`, so
    # every other address Postfix resolves (each answer's recipient) is
    # tested against one pattern, not two hundred.
    local port block
    {
        echo 'if /^lmtp-24[0-9]{3}-[^@]*@example\.test$/'
        for block in $(seq 2400 2419); do
            echo "if /^lmtp-$block[0-9]-/"
            for port in $(seq "${block}0" "${block}9"); do
                echo "/^lmtp-$port-[^@]*@example\\.test\$/ lmtp:inet:127.0.0.1:$port"
            done
            echo endif
        done
        echo endif
    } >"$cfg/lmtp-desks.regexp"
    cat >"$cfg/main.cf" <<EOF
# generated by scripts/mailstack.sh
compatibility_level = 3.6
queue_directory = $BASE/postfix-queue
data_directory = $BASE/postfix-data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = $MYHOSTNAME
mydomain = example.test
myorigin = example.test
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:no local delivery on this test stack
virtual_mailbox_domains = $DOMAINS
# Mail to nowhere.test is accepted, then bounced with a DSN to its envelope
# sender, the way a remote server reports an unknown mailbox.
relay_domains = nowhere.test
# A desk that takes its mail over LMTP is lmtp-PORT-…@example.test
# (PORT in 24000-24199): Postfix hands its mail (plus tags too) to
# smartacct's LMTP door on 127.0.0.1:PORT.
transport_maps = inline:{ nowhere.test=nouser: }, regexp:$cfg/lmtp-desks.regexp
virtual_mailbox_maps =
virtual_transport = lmtp:unix:$BASE/run/dovecot/lmtp
lmtp_destination_recipient_limit = 1
recipient_delimiter = +
smtputf8_enable = no
smtpd_relay_restrictions = reject_unauth_destination
default_transport = error:mail outside the test domains is not delivered
relay_transport = error:mail outside the test domains is not delivered
in_flow_delay = 0
# Dovecot can refuse the first deliveries to a brand-new mailbox that arrive
# at the same instant ("Mailbox already exists", 4.2.0): retry within seconds.
queue_run_delay = 1s
# Mail no test will take (for a desk that is gone) is bounced within minutes,
# not retried for days into later runs.
maximal_queue_lifetime = 3m
bounce_queue_lifetime = 3m
minimal_backoff_time = 1s
maximal_backoff_time = 5s
message_size_limit = 52428800
biff = no
maillog_file = $BASE/log/postfix.log
maillog_file_prefixes = $BASE/log
smtpd_sasl_type = dovecot
smtpd_sasl_path = $BASE/run/dovecot/auth-client
EOF
    # A milter that does not answer defers the mail: nothing arrives unchecked.
    [ -z "$MILTERS" ] || echo "milter_default_action = tempfail" >>"$cfg/main.cf"
    local nl=$'\n' inbound_options
    inbound_options=$(milter_smtpd_options)
    cat >"$cfg/master.cf" <<EOF
# generated by scripts/mailstack.sh
127.0.0.1:$SMTP_PORT inet n - n - - smtpd${inbound_options:+$nl$inbound_options}
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
  -o smtpd_discard_ehlo_keywords=pipelining
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
nouser    unix  -       n       n       -       -       pipe
  flags= user=nobody argv=/bin/false
EOF
    [ -z "$MILTERS" ] || milter_services >>"$cfg/master.cf"
    # Postfix only accepts a non-default config directory that the default
    # main.cf names; it also sleeps when main.cf looks newer than now.
    touch /etc/postfix/main.cf
    local alt
    alt=$(postconf -h alternate_config_directories 2>/dev/null || true)
    case " $alt " in
        *" $cfg "*) ;;
        *) postconf -e "alternate_config_directories = ${alt:+$alt }$cfg" ;;
    esac
    touch -d '1 min ago' "$cfg/main.cf" "$cfg/master.cf" /etc/postfix/main.cf
}

start() {
    # Even with the servers up: the tests' own tools (python3-dkim) may be new.
    install_packages
    if answers "$SMTP_PORT" && answers "$IMAP_PORT" && answers "$IMAPS_PORT" \
        && { [ -z "$OAUTH2_PORT" ] || answers "$OAUTH2_PORT"; } && { [ -z "$MILTERS" ] || answers "$SIGNING_PORT"; }; then
        log "already running (SMTP $SMTP_PORT, IMAP $IMAP_PORT, IMAPS $IMAPS_PORT)"
        # The milters and the DNS server: started if one stopped, restarted on a new configuration.
        start_milters
        # Started by an earlier version of this script: Postfix takes today's configuration.
        local before
        before=$({ cat "$BASE/postfix/main.cf" "$BASE/postfix/master.cf" "$BASE/postfix/lmtp-desks.regexp" 2>/dev/null || true; } | md5sum)
        write_postfix_conf
        if [ "$before" != "$(cat "$BASE/postfix/main.cf" "$BASE/postfix/master.cf" "$BASE/postfix/lmtp-desks.regexp" | md5sum)" ]; then
            postfix -c "$BASE/postfix" reload >>"$BASE/log/postfix-start.log" 2>&1 || true
            log "Postfix reloaded with the current configuration"
        fi
        return
    fi
    ensure_vmail
    mkdir -p "$BASE"
    make_tls
    write_dovecot_conf
    write_postfix_conf
    start_oauth2
    start_milters
    dovecot -c "$BASE/dovecot/dovecot.conf" </dev/null >>"$BASE/log/dovecot-start.log" 2>&1 || true
    postfix -c "$BASE/postfix" check >>"$BASE/log/postfix-start.log" 2>&1 || true
    if postfix -c "$BASE/postfix" status >/dev/null 2>&1; then
        # Running without a port asked for now (e.g. started before without milters).
        postfix -c "$BASE/postfix" reload >>"$BASE/log/postfix-start.log" 2>&1 || true
    else
        postfix -c "$BASE/postfix" start </dev/null >>"$BASE/log/postfix-start.log" 2>&1 || true
    fi
    local i
    for i in $(seq 1 100); do
        if answers "$SMTP_PORT" && answers "$IMAP_PORT" && answers "$IMAPS_PORT" \
            && [ -S "$BASE/run/dovecot/lmtp" ] && milters_up; then
            log "up: SMTP 127.0.0.1:$SMTP_PORT, submission $SUBMISSION_PORT, IMAP $IMAP_PORT (STARTTLS), IMAPS $IMAPS_PORT; CA $BASE/tls/ca.crt"
            [ -z "$MILTERS" ] || log "milters: OpenDKIM and OpenDMARC on SMTP $SMTP_PORT as $AUTHSERV_ID; DKIM signing port $SIGNING_PORT ($SIGNED_DOMAINS, selector $SELECTOR); DNS $(cat "$BASE/dns/address") (UDP and TCP)${STRIP_FORGED_AR:+; forged Authentication-Results stripped ($STRIP_FORGED_AR)}"
            return
        fi
        sleep 0.1
    done
    tail -n 20 "$BASE"/log/*.log >&2 || true
    die "the mail stack did not come up; logs in $BASE/log"
}

stop() {
    stop_oauth2
    if [ -f "$BASE/postfix/main.cf" ]; then
        postfix -c "$BASE/postfix" stop >/dev/null 2>&1 || true
    fi
    if [ -f "$BASE/dovecot/dovecot.conf" ]; then
        doveadm -c "$BASE/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
    fi
    stop_milters
    local i
    for i in $(seq 1 100); do
        if ! answers "$SMTP_PORT" && ! answers "$IMAP_PORT"; then
            log "down"
            return
        fi
        sleep 0.1
    done
    die "the mail stack did not stop"
}

case "${1:-}" in
    up) start ;;
    down) stop ;;
    reset)
        stop
        rm -rf "$BASE/mail" "$BASE/postfix-queue" "$BASE/postfix-data" "$BASE/log"
        start
        ;;
    stop-smtp)
        postfix -c "$BASE/postfix" stop >/dev/null 2>&1 || true
        for _ in $(seq 1 100); do answers "$SMTP_PORT" || exit 0; sleep 0.1; done
        die "Postfix did not stop"
        ;;
    start-smtp)
        postfix -c "$BASE/postfix" start </dev/null >>"$BASE/log/postfix-start.log" 2>&1 || true
        for _ in $(seq 1 100); do answers "$SMTP_PORT" && exit 0; sleep 0.1; done
        die "Postfix did not start"
        ;;
    restart-imap)
        # A real restart drops every client: the session processes, too, go.
        children=""
        [ -f "$BASE/run/dovecot/master.pid" ] && children=$(pgrep -P "$(cat "$BASE/run/dovecot/master.pid")" || true)
        doveadm -c "$BASE/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
        [ -n "$children" ] && kill $children 2>/dev/null || true
        for _ in $(seq 1 100); do answers "$IMAP_PORT" || break; sleep 0.1; done
        dovecot -c "$BASE/dovecot/dovecot.conf" </dev/null >>"$BASE/log/dovecot-start.log" 2>&1
        for _ in $(seq 1 100); do answers "$IMAP_PORT" && [ -S "$BASE/run/dovecot/lmtp" ] && exit 0; sleep 0.1; done
        die "Dovecot did not restart"
        ;;
    stop-imap)
        # As restart-imap, without the start: every client is dropped.
        children=""
        [ -f "$BASE/run/dovecot/master.pid" ] && children=$(pgrep -P "$(cat "$BASE/run/dovecot/master.pid")" || true)
        doveadm -c "$BASE/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
        [ -n "$children" ] && kill $children 2>/dev/null || true
        for _ in $(seq 1 100); do answers "$IMAP_PORT" || exit 0; sleep 0.1; done
        die "Dovecot did not stop"
        ;;
    start-imap)
        dovecot -c "$BASE/dovecot/dovecot.conf" </dev/null >>"$BASE/log/dovecot-start.log" 2>&1
        for _ in $(seq 1 100); do answers "$IMAP_PORT" && [ -S "$BASE/run/dovecot/lmtp" ] && exit 0; sleep 0.1; done
        die "Dovecot did not start"
        ;;
    status)
        if answers "$SMTP_PORT" && answers "$IMAP_PORT" && milters_up; then echo up; else echo down; exit 1; fi
        ;;
    *)
        echo "usage: $0 up|down|reset|status|stop-smtp|start-smtp|restart-imap|stop-imap|start-imap" >&2
        exit 2
        ;;
esac
