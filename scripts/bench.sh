#!/usr/bin/env bash
# Throughput benchmark on the local mail stack (issue "throughput"): builds an
# N-request backlog (review = false: one message in, two emails out each),
# times `smartacct poll --once` on it and a bare-I/O client doing only the
# same IMAP fetch+move and SMTP sends on an identical backlog, in the same
# run, and prints both, the ratio, the split, smartacct's peak RSS, and the
# latency of `run` (form accepted -> activation in the customer's INBOX).
# Then the LMTP door: latency (Postfix's 250 -> activation) and N forms through
# Postfix into the door against the same Postfix delivering them into Dovecot.
#   scripts/bench.sh [N] [LATENCY_FORMS] [sqlite|postgres]   (defaults 2000, 50, sqlite)
# With `postgres` the desks' databases are on the test cluster (scripts/pgstack.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/mailstack.sh up >/dev/null
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked --bin smartacct 2>&1 | tail -1
if [ "${3:-sqlite}" = postgres ]; then
    bash scripts/pgstack.sh up >/dev/null
    SMARTACCT_BENCH_POSTGRES=$(bash scripts/pgstack.sh url)
    export SMARTACCT_BENCH_POSTGRES
fi
exec python3 scripts/bench.py "${CARGO_TARGET_DIR:-target}/release/smartacct" "${1:-2000}" "${2:-50}"
