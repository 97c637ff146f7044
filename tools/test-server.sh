#!/usr/bin/env bash
# The server's tests against a real local database, as CI runs them.
#
#   bash tools/test-server.sh [extra cargo test arguments]
#
# Starts a devdb (FerretDB 1.24 on SQLite, built from tools/devdb on first use) on a
# spare loopback port with a temporary data dir, installs Mongoose for the interop test
# when missing (npm ci in tests/mongoose), runs `cargo test -p onelastai-server` (unit
# tests, then the HTTP integration tests in crates/server/tests/api, which include the
# Mongoose interop script tests/interop/interop.js, the outage test with its own
# devdb, the OpenAPI checks with Redocly and Ajv from tests/openapi, the statistics'
# MongoDB pipelines run in mingo from tests/mingo, and the 422 messages'
# parity with the package, built by tools/build-pkg.sh when pkg/ lacks it), and stops the
# database on exit. Exit status: the tests'.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
step() { printf '\n==> %s\n' "$*"; }

source "$root/tools/devdb/ports.sh"

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/onelastai-test-devdb.XXXXXX")"
cleanup() {
  local status=$?
  step "stopping devdb"
  bash "$root/tools/devdb/stop.sh" --data-dir "$data_dir" || true
  rm -rf "$data_dir"
  exit "$status"
}
trap cleanup EXIT

if [[ ! -d "$root/tests/mongoose/node_modules/mongoose" ]]; then
  step "installing Mongoose for the interop test (npm ci in tests/mongoose)"
  (cd "$root/tests/mongoose" && npm ci --no-audit --no-fund)
fi
if [[ ! -d "$root/tests/openapi/node_modules/@redocly/openapi-core" || ! -d "$root/tests/openapi/node_modules/ajv-formats" ]]; then
  step "installing the OpenAPI checkers, Redocly and Ajv (npm ci in tests/openapi)"
  (cd "$root/tests/openapi" && npm ci --no-audit --no-fund)
fi
if [[ ! -d "$root/tests/mingo/node_modules/mingo" ]]; then
  step "installing mingo for the statistics pipelines test (npm ci in tests/mingo)"
  (cd "$root/tests/mingo" && npm ci --no-audit --no-fund)
fi

if [[ ! -f "$root/pkg/node/models_bg.wasm" || ! -f "$root/pkg/messages.js" ]]; then
  # tests/api/messages.rs compares the 422's messages with the built package's.
  step "building the package for the messages parity test (tools/build-pkg.sh)"
  bash "$root/tools/build-pkg.sh"
fi

port="$(spare_port)"
step "starting devdb on 127.0.0.1:$port (data in $data_dir)"
# Not `tee /dev/stderr`: when stderr is a file (CI logs), tee reopens it with
# truncation and wipes what the run printed before.
out="$(bash "$root/tools/devdb/start.sh" --port "$port" --data-dir "$data_dir")"
printf '%s\n' "$out"
uri="$(printf '%s\n' "$out" | sed -n 's/^MONGODB_URI=//p' | tail -n 1)"
[[ -n "$uri" ]] || { echo "test-server: devdb printed no MONGODB_URI" >&2; exit 1; }

step "cargo test -p onelastai-server (MONGODB_URI=$uri)"
cd "$root"
MONGODB_URI="$uri" cargo test -p onelastai-server "$@" -- --nocapture
