#!/usr/bin/env bash
# The main job, end to end on this machine: bring up the local mail stack,
# build smartacct, and walk one sample request through intake, review,
# SUBMIT, the activation email and the customer's ACCEPT, printing each
# email as it goes. Safe to run again: every run uses fresh addresses.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/mailstack.sh up
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
cargo build --locked --bin smartacct
exec python3 scripts/demo.py target/debug/smartacct
