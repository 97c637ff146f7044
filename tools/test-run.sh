#!/usr/bin/env bash
# tools/run.sh's port check, without any build: `run.sh --check` must refuse
# (exit 1, a message naming the port) each port it needs that another process
# holds, and accept free ports. The holder is a plain Node TCP server.
#
#   bash tools/test-run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/devdb/ports.sh

passed=0
failed=0
holder=""
trap '[[ -z "$holder" ]] || kill "$holder" 2>/dev/null || true' EXIT

# Listens on 127.0.0.1:$1 until killed; returns once the port answers.
hold() {
  node -e "require('net').createServer(() => {}).listen($1, '127.0.0.1')" &
  holder=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "could not hold port $1" >&2
  exit 1
}
release() { kill "$holder"; wait "$holder" 2>/dev/null || true; holder=""; }

# expect <name> <exit code> <text the output must contain> -- env assignments...
expect() {
  local name="$1" want_rc="$2" want_text="$3" out rc=0
  shift 4
  out="$(env -u MONGODB_URI RUN_ENV_FILE=/dev/null "$@" bash tools/run.sh --check 2>&1)" || rc=$?
  if [[ "$rc" == "$want_rc" && "$out" == *"$want_text"* ]]; then
    passed=$((passed + 1))
    printf 'ok   %s\n' "$name"
  else
    failed=$((failed + 1))
    printf 'FAIL %s: exit %s (want %s), output:\n%s\n(want it to contain: %s)\n' "$name" "$rc" "$want_rc" "$out" "$want_text"
  fi
}

web=$(spare_port) api=$(spare_port) db=$(spare_port)
while [[ "$api" == "$web" ]]; do api=$(spare_port); done
while [[ "$db" == "$web" || "$db" == "$api" ]]; do db=$(spare_port); done

expect "free ports are accepted" 0 "ports free" -- WEB_PORT="$web" API_PORT="$api" DEVDB_PORT="$db"

hold "$web"
# With `ss` (iproute2) the message also names the process holding the port.
if command -v ss >/dev/null; then by="by pid $holder"; else by="by"; fi
expect "a held WEB_PORT is refused, naming the port" 1 "port $web (WEB_PORT) is already in use $by" -- WEB_PORT="$web" API_PORT="$api" DEVDB_PORT="$db"
release

hold "$api"
expect "a held API_PORT is refused, naming the port" 1 "port $api (API_PORT) is already in use" -- WEB_PORT="$web" API_PORT="$api" DEVDB_PORT="$db"
release

hold "$db"
expect "a DEVDB_PORT held by another process is refused" 1 "port $db (DEVDB_PORT, the local database) is already in use" -- WEB_PORT="$web" API_PORT="$api" DEVDB_PORT="$db"
expect "with MONGODB_URI the local database's port does not matter" 0 "ports free" -- MONGODB_URI="mongodb://127.0.0.1:$db/" WEB_PORT="$web" API_PORT="$api" DEVDB_PORT="$db"
release

expect "the same port twice is refused" 1 "WEB_PORT and API_PORT are both $web" -- WEB_PORT="$web" API_PORT="$web" DEVDB_PORT="$db"
expect "a port that is not a number is refused" 1 "API_PORT=http is not a port number" -- WEB_PORT="$web" API_PORT=http DEVDB_PORT="$db"

printf 'run.sh port check: %d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
