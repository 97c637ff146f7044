#!/usr/bin/env bash
# Soak: minutes of mixed traffic against onelastai-server, then a report (issue 9).
#
#   bash tests/server-bench/soak.sh [--duration 10m] [--clients 32] [server-soak options]
#
# Builds onelastai-server and the load clients in release, starts a devdb (FerretDB on
# SQLite) on a spare port with a temporary data dir and the server on loopback, and runs
# server-soak (src/bin/soak.rs) against it: valid creates, reads, list walks and deletes
# over five collections, invalid documents (422), oversized bodies (413), many-errors
# bodies (422), and slow clients on raw TCP (a trickled body, unfinished headers, an idle
# connection: 408 or a closed connection expected). Prints total requests, throughput,
# p50/p99 of the normal requests, counts by status, the 5xx count, and the server's RSS at
# start (after a warm-up), peak and end (after the load stops and a settle).
# Exit status: 0 when the run passed, 1 when it did not (any 5xx, a normal request
# without an answer, the server gone, end RSS more than 20% above the start).
#
# The server gets the environment: set BODY_LIMIT (default 1048576 here), REQUEST_TIMEOUT_MS
# or any other server setting to soak that configuration. SOAK_RUST_LOG (default warn)
# is its RUST_LOG; its log is kept in target/server-soak/server.log. SOAK_SERVER_BIN runs
# another build of the server (e.g. of an older commit) instead of building this one.
# Other server-soak options: --slow-clients N, --warmup 15s, --settle 10s, --keep N,
# --many-errors-items N, --slow-interval 2s, --slow-give-up 30s, --progress 10s.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
step() { printf '\n==> %s\n' "$*"; }

source "$here/lib.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/onelastai-soak.XXXXXX")"
logs="$root/target/server-soak"
server_pid=""
cleanup() {
  set +e
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash "$root/tools/devdb/stop.sh" --data-dir "$work/devdb" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n "${SOAK_SERVER_BIN:-}" ]]; then
  step "building the load client (release); the server is $SOAK_SERVER_BIN"
  cargo build --release -p onelastai-server-bench
  server_bin="$SOAK_SERVER_BIN"
else
  step "building onelastai-server and the load clients (release)"
  cargo build --release -p onelastai-server -p onelastai-server-bench
  server_bin="$root/target/release/onelastai-server"
fi

start_devdb "$work/devdb"
token="$(bench_token soak)"

export BODY_LIMIT="${BODY_LIMIT:-1048576}"
port="$(spare_port)"
mkdir -p "$logs"
step "starting onelastai-server on 127.0.0.1:$port (database soak, BODY_LIMIT=$BODY_LIMIT, RUST_LOG=${SOAK_RUST_LOG:-warn}, log in $logs/server.log)"
MONGODB_URI="$uri" MONGODB_DB=soak API_TOKEN="$token" LISTEN_ADDR="127.0.0.1:$port" \
  RUST_LOG="${SOAK_RUST_LOG:-warn}" "$server_bin" >"$logs/server.log" 2>&1 &
server_pid=$!

wait_ready "http://127.0.0.1:$port/ready" "$server_pid" "$logs/server.log"

step "soak (loopback only; server pid $server_pid)"
status=0
"$root/target/release/server-soak" --url "http://127.0.0.1:$port" --pid "$server_pid" --token "$token" \
  --body-limit "$BODY_LIMIT" "$@" || status=$?
printf 'server log: %s (%s lines at WARN or ERROR)\n' "$logs/server.log" "$(grep -cE 'WARN|ERROR' "$logs/server.log" || true)"
exit "$status"
