#!/usr/bin/env bash
# Benchmark: onelastai-server vs Express + Mongoose, same machine, same database server.
#
#   bash tests/server-bench/run.sh [server-bench options: --gets N --lists N --posts N --signups N --warmup N --concurrency N]
#   BENCH_LOG=none bash tests/server-bench/run.sh    # neither server logs per request
#
# Builds onelastai-server and the load client in release, installs Express and
# @node-rs/argon2 (npm ci), starts a devdb (FerretDB on SQLite) on a spare port with a
# temporary data dir, starts both servers on loopback (databases bench_rust and
# bench_express) and runs the same bounded load against each, phase by phase: GET by
# id and list walks (a filter, a sort, two more pages through nextCursor) over
# users, tools, chat-sessions, subscriptions and analytics-events, then POSTs to
# those collections, then sign-ups (POST /api/users with a password).
#
# Made fair on purpose: both servers hash passwords with argon2id m=19456 KiB, t=2,
# p=1 (the argon2 crate's defaults; set explicitly in express/server.js, checked in
# its start-up line); both log one line per request (RUST_LOG=info, LOG_REQUESTS=1),
# or neither with BENCH_LOG=none; both have the same body limit (1 MiB) and serve the
# same routes with the same list semantics (express/server.js says how).
#
# Prints, per phase and server: requests/s, p50/p99, the server's CPU-seconds per
# 10k requests and the database process's beside it, then peak RSS and the ratios.
# Stops everything it started on exit. Printed figures, not a pass/fail test (it
# fails only if requests fail).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
step() { printf '\n==> %s\n' "$*"; }

source "$here/lib.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/onelastai-bench.XXXXXX")"
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
[[ -d "$here/express/node_modules/express" && -d "$here/express/node_modules/@node-rs/argon2" ]] ||
  (cd "$here/express" && npm ci --no-audit --no-fund)

start_devdb "$work/devdb"
db_pid="$(tr -d '[:space:]' < "$work/devdb/devdb.pid")"
token="$(bench_token bench)"

case "${BENCH_LOG:-request}" in
  request) rust_log=info log_requests=1 log_note="request log: one line per request on both servers (onelastai RUST_LOG=info, express LOG_REQUESTS=1), each to a file" ;;
  none) rust_log=warn log_requests=0 log_note="request log: none on either server (onelastai RUST_LOG=warn, express LOG_REQUESTS=0)" ;;
  *) echo "BENCH_LOG must be request or none" >&2; exit 2 ;;
esac

rust_port="$(spare_port)"
step "starting onelastai-server on 127.0.0.1:$rust_port (database bench_rust, RUST_LOG=$rust_log, log in $work/rust.log)"
MONGODB_URI="$uri" MONGODB_DB=bench_rust API_TOKEN="$token" LISTEN_ADDR="127.0.0.1:$rust_port" BODY_LIMIT=1048576 \
  RUST_LOG="$rust_log" "$root/target/release/onelastai-server" >"$work/rust.log" 2>&1 &
rust_pid=$!

express_port="$(spare_port)"
step "starting Express + Mongoose on 127.0.0.1:$express_port (database bench_express, LOG_REQUESTS=$log_requests)"
(cd "$here/express" && MONGODB_URI="$uri" MONGODB_DB=bench_express API_TOKEN="$token" PORT="$express_port" \
  BODY_LIMIT=1048576 LOG_REQUESTS="$log_requests" exec node server.js >"$work/express.log" 2>&1) &
express_pid=$!

wait_ready "http://127.0.0.1:$rust_port/ready" "$rust_pid" "$work/rust.log"
wait_ready "http://127.0.0.1:$express_port/health" "$express_pid" "$work/express.log"

# The Express server checks its own hash at start and says so in its first line.
argon2="argon2id m=19456,t=2,p=1"
grep -q "passwords hashed with $argon2" "$work/express.log" ||
  { echo "express did not report hashing with $argon2; its log:" >&2; cat "$work/express.log" >&2; exit 1; }

step "load (loopback only; devdb pid $db_pid)"
"$root/target/release/server-bench" --token "$token" --db-pid "$db_pid" "$@" \
  --note "passwords: both servers hash with $argon2 (onelastai: the argon2 crate's Argon2::default(); express: @node-rs/argon2 with these parameters set explicitly)" \
  --note "$log_note" \
  --note "CPU: utime+stime from /proc/<pid>/stat of each server, and of the devdb (FerretDB) process over each server's run of a phase" \
  --target "onelastai=http://127.0.0.1:$rust_port@$rust_pid" \
  --target "express=http://127.0.0.1:$express_port@$express_pid"
