#!/usr/bin/env bash
# Every test suite of the project; the command .ci/run calls and README.md shows.
#
#   bash tools/test.sh
#
# Native Rust (format, lint, unit, vectors, property tests), the vectors
# against real Mongoose, the npm package in Node and Chromium, the server
# against the local database, and the product end to end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

passed=0
step() { printf '\n==> %s\n' "$*"; }
# Counts a suite; called on its own line after the suite's commands, so that
# `set -e` stops the run at the first failing command.
ok() { passed=$((passed + 1)); }

step "setup (Rust components, wasm target, Chromium, Mongoose)"
bash tools/setup.sh --browser

step "tools/run.sh refuses ports that other processes hold (run.sh --check; no build)"
bash tools/test-run.sh
ok

step "format: cargo fmt --check"
cargo fmt --all -- --check
ok

step "lint: cargo clippy -D warnings (workspace, the models crate's server feature, the wasm crate on its target)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p onelastai-models --features server --all-targets -- -D warnings
# The allocator and the JavaScript boundary compile only for wasm32.
cargo clippy -p onelastai-models-wasm --target wasm32-unknown-unknown -- -D warnings
ok

step "the models crate builds for WebAssembly without the server feature"
cargo build -q -p onelastai-models --target wasm32-unknown-unknown
if cargo tree -p onelastai-models --target wasm32-unknown-unknown -e normal | grep -q mongodb; then
  echo "the models crate depends on mongodb without the server feature" >&2
  exit 1
fi
ok

step "native tests: unit, vectors, indexes, property tests, doc tests"
cargo test --workspace --exclude onelastai-server
ok

step "fuzz smoke (cargo fuzz, a few seconds per target)"
bash tools/fuzz.sh --smoke
ok

step "vectors equal what Mongoose says (tests/mongoose)"
(cd tests/mongoose && npm run --silent check)
ok

step "parity: fixed-seed differential slices against Mongoose, V8's Date.parse and util.inspect; wasm-bindgen-test in Node and Chromium"
bash tools/differential.sh --count 3400 --seed 1
bash tools/date-differential.sh --count 5000 --seed 1
(cd tests/mongoose && node inspect-values.js --count 3000 --seed 1)
bash tools/test-wasm.sh
ok

step "the npm package: vectors in Node and Chromium, shapes, tsc --strict, .d.ts snapshot"
bash tools/test-pkg.sh
ok

step "the server against the local database (FerretDB)"
bash tools/test-server.sh
ok

step "end to end: database, server and web app in Chromium"
E2E_REBUILD_PKG=0 bash tools/test-e2e.sh
ok

step "run: the spec's example documents"
cargo run -q -p onelastai-models --example spec_examples >/dev/null
ok

printf '\nsuites: %d passed, 0 failed\n' "$passed"
