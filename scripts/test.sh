#!/usr/bin/env bash
# Runs every test: unit tests, the integration tests against the real mail
# stack and a real PostgreSQL (both started here if they are not running),
# on both backends, and the contract smoke test.
#
#   pass 1: everything, each desk on SQLite (the tests of several hosts and
#           of the database going away use PostgreSQL whatever the pass);
#   pass 2: the integration tests that touch the store again, each desk on a
#           database of its own on PostgreSQL (SMARTACCT_TEST_POSTGRES).
#           Backend-independent ones (packaging, parsing, signing) run once.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/mailstack.sh up
bash scripts/pgstack.sh up
# lintian judges the Debian package (tests/api/package.rs); a fresh Debian has none.
command -v lintian >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lintian >/dev/null; }
bash scripts/browser.sh up
command -v cargo >/dev/null || { echo "test.sh: cargo is required (rustup)" >&2; exit 1; }

cargo build --locked --bins
echo "== pass 1: unit tests and integration tests on SQLite"
cargo test --locked --all-targets

echo "== pass 2: integration tests on PostgreSQL"
pg=$(bash scripts/pgstack.sh url)
# Databases left by an earlier run's desks.
psql -X -q "$pg" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'smartacct\_t\_%'" |
    while read -r db; do psql -X -q "$pg" -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done
SMARTACCT_TEST_POSTGRES="$pg" cargo test --locked --test api -- \
    --skip package:: --skip installed:: --skip fuzz:: --skip dkim:: --skip bench:: --skip several_hosts:: \
    --skip database_outage::

smoke=../shared/contract/smoke.py
if [ -f "$smoke" ]; then
    echo "== contract smoke test ($smoke)"
    python3 "$smoke" target/debug/smartacct
fi
