#!/usr/bin/env bash
# End-to-end: builds the package, the server, the database launcher and the
# web app (Turbopack and webpack builds), type-checks the app, then drives the
# product in headless Chromium (tests/e2e): two people, an administrator and a
# hostile site; every tests/e2e/*.test.mjs file, one after another, each
# starting its own stack. Screenshots land in target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n==> %s\n' "$*"; }

bash tools/setup.sh --browser

if [ ! -f pkg/web/models_bg.wasm ] || [ "${E2E_REBUILD_PKG:-1}" = 1 ]; then
  step "build the package (pkg/)"
  bash tools/build-pkg.sh
fi

step "build the server"
cargo build -q -p onelastai-server

step "web app: npm ci"
(cd www && npm ci --no-audit --no-fund --loglevel=error)

step "web app: next build (Turbopack)"
(cd www && npx next build)

step "web app: next build --webpack (into .next-webpack)"
(cd www && NEXT_DIST_DIR=.next-webpack npx next build --webpack)

step "web app: tsc --noEmit (strict)"
(cd www && npx tsc --noEmit)

step "end-to-end tests in headless Chromium"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && node --test --test-concurrency=1 ./*.test.mjs)
echo "screenshots: target/screenshots/"
