#!/usr/bin/env bash
# Runs every test: unit tests, the integration tests against the real mail
# stack (started here if it is not running), and the contract smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/mailstack.sh up
command -v cargo >/dev/null || { echo "test.sh: cargo is required (rustup)" >&2; exit 1; }

cargo build --locked --bins
cargo test --locked --all-targets

smoke=../shared/contract/smoke.py
if [ -f "$smoke" ]; then
    echo "== contract smoke test ($smoke)"
    python3 "$smoke" target/debug/smartacct
fi
