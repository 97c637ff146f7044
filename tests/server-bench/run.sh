#!/usr/bin/env bash
# Benchmark: onelastai-server vs Express + Mongoose, same machine, same database server.
#
#   bash tests/server-bench/run.sh [server-bench options: --posts N --gets N --concurrency N --warmup N]
#
# Builds onelastai-server and the load client in release, installs Express (npm ci),
# starts a devdb (FerretDB on SQLite) on a spare port with a temporary data dir, starts
# both servers on loopback (databases bench_rust and bench_express), runs the bounded
# load against each in turn and prints requests/s, p50/p99, server CPU-seconds per 10k
# requests, peak RSS and the ratios. Stops everything it started on exit.
# Printed figures, not a pass/fail test (it fails only if requests fail).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
step() { printf '\n==> %s\n' "$*"; }

source "$root/tools/devdb/ports.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/onelastai-bench.XXXXXX")"
db_port="$(spare_port)"
rust_pid="" express_pid=""
cleanup() {
  set +e
  [[ -n "$rust_pid" ]] && kill "$rust_pid" 2>/dev/null && wait "$rust_pid" 2>/dev/null
  [[ -n "$express_pid" ]] && kill "$express_pid" 2>/dev/null && wait "$express_pid" 2>/dev/null
  bash "$root/tools/devdb/stop.sh" --data-dir "$work/devdb" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step "building onelastai-server and the load client (release)"
cargo build --release -p onelastai-server -p onelastai-server-bench

step "installing Mongoose (tests/mongoose) and Express (tests/server-bench/express)"
[[ -d "$root/tests/mongoose/node_modules/mongoose" ]] || (cd "$root/tests/mongoose" && npm ci --no-audit --no-fund)
[[ -d "$here/express/node_modules/express" ]] || (cd "$here/express" && npm ci --no-audit --no-fund)

step "starting devdb on 127.0.0.1:$db_port (data in $work/devdb)"
uri="$(bash "$root/tools/devdb/start.sh" --port "$db_port" --data-dir "$work/devdb" | sed -n 's/^MONGODB_URI=//p' | tail -n 1)"
token="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

rust_port="$(spare_port)"
step "starting onelastai-server on 127.0.0.1:$rust_port (database bench_rust, RUST_LOG=${BENCH_RUST_LOG:-info}, log in $work/rust.log)"
MONGODB_URI="$uri" MONGODB_DB=bench_rust API_TOKEN="$token" LISTEN_ADDR="127.0.0.1:$rust_port" \
  RUST_LOG="${BENCH_RUST_LOG:-info}" "$root/target/release/onelastai-server" >"$work/rust.log" 2>&1 &
rust_pid=$!

express_port="$(spare_port)"
step "starting Express + Mongoose on 127.0.0.1:$express_port (database bench_express)"
(cd "$here/express" && MONGODB_URI="$uri" MONGODB_DB=bench_express API_TOKEN="$token" PORT="$express_port" \
  exec node server.js >"$work/express.log" 2>&1) &
express_pid=$!

wait_ready() {
  local url="$1" name="$2"
  for _ in $(seq 1 150); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$name did not become ready; its log:" >&2
  cat "$work/$name.log" >&2
  return 1
}
wait_ready "http://127.0.0.1:$rust_port/ready" rust
wait_ready "http://127.0.0.1:$express_port/health" express

step "load (loopback only)"
"$root/target/release/server-bench" --token "$token" "$@" \
  --target "onelastai=http://127.0.0.1:$rust_port@$rust_pid" \
  --target "express=http://127.0.0.1:$express_port@$express_pid"
