#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds the
# package, the server and the web app, starts the local database (unless
# MONGODB_URI is set), the server and the web app, and prints where they are.
# Ctrl-C stops everything it started.
#
# Environment: MONGODB_URI (use that database instead of the local one),
# MONGODB_DB, API_TOKEN / API_TOKEN_FILE (default: a generated token in
# target/dev/api-token), API_PORT (8080), WEB_PORT (3000), DEVDB_PORT (27017).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
export NEXT_TELEMETRY_DISABLED=1

api_port="${API_PORT:-8080}"
web_port="${WEB_PORT:-3000}"
step() { printf '\n==> %s\n' "$*"; }

started_db=0
pids=()
cleanup() {
  set +e
  trap - EXIT INT TERM
  trap '' PIPE # the terminal (or a pipe) may be gone already: keep stopping
  printf '\nstopping...\n'
  for pid in "${pids[@]}"; do
    kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if (( started_db )); then bash tools/devdb/stop.sh; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "set up the machine"
bash tools/setup.sh

step "the spec's example documents, validated by the models crate"
cargo run -q -p onelastai-models --example spec_examples

step "build the npm package (pkg/)"
bash tools/build-pkg.sh

step "build the server (release)"
cargo build -q --release -p onelastai-server

step "build the web app (production)"
(cd www && npm ci --no-audit --no-fund --loglevel=error && npx next build)

if [[ -z "${API_TOKEN:-}" ]]; then
  export API_TOKEN_FILE="${API_TOKEN_FILE:-$root/target/dev/api-token}"
  if [[ ! -s "$API_TOKEN_FILE" ]]; then
    mkdir -p "$(dirname "$API_TOKEN_FILE")"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$API_TOKEN_FILE")
  fi
  chmod 600 "$API_TOKEN_FILE"
fi

if [[ -z "${MONGODB_URI:-}" ]]; then
  step "start the local database (FerretDB on SQLite, data in target/devdb/data)"
  out="$(bash tools/devdb/start.sh --port "${DEVDB_PORT:-27017}")"
  printf '%s\n' "$out"
  [[ "$out" == *"already running"* ]] || started_db=1
  MONGODB_URI="$(printf '%s\n' "$out" | sed -n 's/^MONGODB_URI=//p' | tail -n 1)"
  export MONGODB_URI
fi

step "start the server on 127.0.0.1:$api_port"
LISTEN_ADDR="127.0.0.1:$api_port" setsid target/release/onelastai-server &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$api_port/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$api_port/ready" >/dev/null || { echo "the server did not become ready" >&2; exit 1; }

step "subscription plans (www/scripts/seed-plans.mjs, with the API token)"
API_URL="http://127.0.0.1:$api_port" node www/scripts/seed-plans.mjs

step "start the web app on 127.0.0.1:$web_port"
# Without the API token: the app acts only with each person's session.
(cd www && API_URL="http://127.0.0.1:$api_port" exec env -u API_TOKEN -u API_TOKEN_FILE setsid npx next start -p "$web_port" -H 127.0.0.1) &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$web_port/" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$web_port/" >/dev/null || { echo "the web app did not start" >&2; exit 1; }

cat <<INFO

  Web app     http://127.0.0.1:$web_port/   (sign up, subscribe, publish a tool, browse)
  Server API  http://127.0.0.1:$api_port/api/<collection>   (health: /health, /ready)
  API token   ${API_TOKEN_FILE:-from \$API_TOKEN}   (Authorization: Bearer <token>; admin tooling only, the web app has none)
  Database    $MONGODB_URI

  Make an admin (sees /admin): in another terminal, with the same environment,
    MONGODB_URI='$MONGODB_URI' ${MONGODB_DB:+MONGODB_DB='$MONGODB_DB' }API_TOKEN_FILE='${API_TOKEN_FILE:-<file with the token>}' \\
      target/release/onelastai-server create-admin --email you@example.com
  (it promotes that account, or creates it with the password typed on standard input)

Press Ctrl-C to stop.
INFO
wait
