#!/usr/bin/env bash
# Runs onelastai-server in the foreground for local use.
#
#   bash tools/run-server.sh
#
# - Without MONGODB_URI: starts the local database (tools/devdb/start.sh: FerretDB on
#   SQLite, 127.0.0.1:${DEVDB_PORT:-27017}, data in target/devdb/data) and uses it.
# - Without API_TOKEN: uses the token in ${API_TOKEN_FILE:-target/dev/api-token},
#   generating it (mode 600) when absent, and prints where it is.
# - Builds and runs the server (LISTEN_ADDR defaults to 127.0.0.1:8080; see
#   `onelastai-server --help` for every setting). Ctrl-C stops the server and the
#   database this script started (a database that was already running is left alone).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'run-server: %s\n' "$*"; }

started_db=0
server_pid=""
cleanup() {
  set +e
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if (( started_db )); then
    say "stopping the database it started"
    bash "$root/tools/devdb/stop.sh"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${API_TOKEN:-}" ]]; then
  token_file="${API_TOKEN_FILE:-$root/target/dev/api-token}"
  if [[ ! -s "$token_file" ]]; then
    mkdir -p "$(dirname "$token_file")"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token_file")
    say "generated a new API token"
  fi
  chmod 600 "$token_file"
  export API_TOKEN_FILE="$token_file"
  say "API token in $token_file (send: Authorization: Bearer \$(cat $token_file))"
fi

if [[ -z "${MONGODB_URI:-}" ]]; then
  out="$(bash "$root/tools/devdb/start.sh" --port "${DEVDB_PORT:-27017}")"
  printf '%s\n' "$out"
  [[ "$out" == *"already running"* ]] || started_db=1
  MONGODB_URI="$(printf '%s\n' "$out" | sed -n 's/^MONGODB_URI=//p' | tail -n 1)"
  export MONGODB_URI
fi

say "building onelastai-server"
cargo build --quiet -p onelastai-server --manifest-path "$root/Cargo.toml"
say "starting on ${LISTEN_ADDR:-127.0.0.1:8080} (Ctrl-C to stop)"
"$root/target/debug/onelastai-server" &
server_pid=$!
wait "$server_pid"
