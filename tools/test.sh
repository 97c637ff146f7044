#!/usr/bin/env bash
# Every test suite of the project; the command .ci/run calls and README.md shows.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash tools/setup.sh

step "format: cargo fmt --check"
cargo fmt --all -- --check

step "lint: cargo clippy (all targets, and the models crate's server feature)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p onelastai-models --features server --all-targets -- -D warnings

step "the models crate builds for WebAssembly without the server feature"
cargo build -q -p onelastai-models --target wasm32-unknown-unknown
if cargo tree -p onelastai-models --target wasm32-unknown-unknown -e normal | grep -q mongodb; then
  echo "the models crate depends on mongodb without the server feature" >&2
  exit 1
fi

step "native tests: unit, vectors, indexes, property tests, doc tests"
cargo test --workspace

step "vectors equal what Mongoose says (tests/mongoose)"
(cd tests/mongoose && npm run --silent check)

step "run: the spec's example documents"
cargo run -q -p onelastai-models --example spec_examples >/dev/null

printf '\nall suites passed\n'
