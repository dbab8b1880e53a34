#!/usr/bin/env bash
# What the console's browser tests (tests/api/browser.rs) drive: Debian's
# Chromium and its WebDriver (chromedriver), and axe-core from npm, which the
# tests load into each page to check its accessibility. The tests start
# chromedriver themselves, on a port of their own, and stop it at the end.
#
#   scripts/browser.sh up       install what is missing (root, no stdin)
#   scripts/browser.sh status   say what is there
#
# axe-core goes to $BROWSER_AXE_DIR (default var/axe in the work tree, which
# git ignores); the tests read $BROWSER_AXE_DIR/node_modules/axe-core/axe.min.js.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_DIR=${BROWSER_AXE_DIR:-var/axe}
AXE_VERSION=4.11.0
AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"

log() { echo "browser.sh: $*" >&2; }
die() { log "$*"; exit 1; }

have_browser() { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }
have_axe() {
    [ -f "$AXE_JS" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json" 2>/dev/null
}

up() {
    [ "$(id -u)" = 0 ] || die "must run as root (it installs packages)"
    local packages=""
    have_browser || packages="chromium chromium-driver"
    { command -v npm >/dev/null && command -v node >/dev/null; } || packages="$packages nodejs npm"
    if [ -n "$packages" ]; then
        log "installing $packages"
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null; } </dev/null
    fi
    have_browser || die "chromium or chromedriver missing after the install"
    if ! have_axe; then
        log "installing axe-core@$AXE_VERSION from npm into $AXE_DIR"
        mkdir -p "$AXE_DIR"
        [ -f "$AXE_DIR/package.json" ] || echo '{"private": true}' >"$AXE_DIR/package.json"
        npm install --prefix "$AXE_DIR" --no-audit --no-fund --silent "axe-core@$AXE_VERSION" </dev/null >/dev/null
    fi
    have_axe || die "$AXE_JS missing after npm install"
}

status() {
    if have_browser; then echo "chromium: $(chromium --version 2>/dev/null | head -1)"; else echo "chromium: missing"; fi
    if have_axe; then echo "axe-core: $AXE_VERSION ($AXE_JS)"; else echo "axe-core: missing"; fi
}

case "${1:-}" in
up) up ;;
status) status ;;
*) die "usage: $0 up|status" ;;
esac
