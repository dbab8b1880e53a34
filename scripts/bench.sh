#!/usr/bin/env bash
# Throughput benchmark on the local mail stack, every figure beside its floor
# in one run (the README's "Throughput" section says what each one means):
#   1. `smartacct poll --once` on an N-request backlog (review = false: one
#      message in, two emails out each) against the same sends from four bare
#      clients, to the SMTP server's acceptance and until Postfix delivered
#      them; the split (intake alone, delivery alone); peak RSS; CPU used;
#   2. the latency of `run` over IMAP and over the LMTP door;
#   3. N forms through Postfix into the LMTP door against the same Postfix
#      delivering them into Dovecot, with the machine's CPU accounted;
#   4. the sweep of 100,000 due requests against a bare UPDATE, and the
#      console's pages over 100,000 requests (the two ignored benchmark tests).
#   scripts/bench.sh [N] [LATENCY_FORMS] [sqlite|postgres]   (defaults 2000, 50, sqlite)
# With `postgres` the desks' databases are on the test cluster (scripts/pgstack.sh).
# SMARTACCT_BENCH_ONLY=lmtp runs part 3 alone; =poll part 1 alone; =mail parts 1-3 (no test build).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/mailstack.sh up >/dev/null
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked --bin smartacct 2>&1 | tail -1
if [ "${3:-sqlite}" = postgres ]; then
    bash scripts/pgstack.sh up >/dev/null
    SMARTACCT_BENCH_POSTGRES=$(bash scripts/pgstack.sh url)
    export SMARTACCT_BENCH_POSTGRES SMARTACCT_TEST_POSTGRES="$SMARTACCT_BENCH_POSTGRES"
fi
python3 scripts/bench.py "${CARGO_TARGET_DIR:-target}/release/smartacct" "${1:-2000}" "${2:-50}"
[ -z "${SMARTACCT_BENCH_ONLY:-}" ] || exit 0
echo "== the sweep and the console (cargo test --release --test api -- --ignored)"
cargo test --release --locked --test api -- --ignored --nocapture --test-threads 1 \
    sweep_benchmark console_benchmark 2>&1 \
    | sed -e 's/^test [^ ]* \.\.\. //' | grep -v '^\(running .*\|test result: .*\|ok\|\)$'
