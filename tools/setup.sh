#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh machine of this kind
# (Rust via rustup, Node 20, Go are there already). Idempotent and quiet when
# everything is in place.
#
#   bash tools/setup.sh [--browser]   the build and the tests (Chromium with --browser)
#   bash tools/setup.sh --run         only what tools/run.sh needs to build and run
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }

for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is required but not installed" >&2; exit 1; }
done

if [[ " $* " == *" --run "* ]]; then
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    step "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown
  fi
  exit 0
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^rustfmt'; then
  step "rustup component add rustfmt"; rustup component add rustfmt
fi
if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
  step "rustup component add clippy"; rustup component add clippy
fi
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  step "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown
fi

# Headless Chromium for the browser suites (`setup.sh --browser`): Debian's
# package; playwright-core drives it, nothing is downloaded by Playwright.
if [[ " $* " == *" --browser "* ]] && [ ! -x /usr/bin/chromium ]; then
  step "apt-get install chromium"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# The Mongoose oracle that generates and checks tests/vectors.
if [ ! -d tests/mongoose/node_modules/mongoose ]; then
  step "npm ci (tests/mongoose)"
  (cd tests/mongoose && npm ci --no-audit --no-fund --loglevel=error)
fi
