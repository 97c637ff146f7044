#!/usr/bin/env bash
# The main job on a fresh machine: installs what running needs, builds the
# package, the server and the web app, starts the local database (unless
# MONGODB_URI is set), the server and the web app, and prints where they are.
# Ctrl-C stops everything it started.
#
#   bash tools/run.sh           production builds (release server, next build + next start)
#   bash tools/run.sh --dev     development: debug server, `next dev` (hot reload)
#   bash tools/run.sh --check   only check that the ports it needs are free, then exit
#
# Settings come from the environment, then from `.env` at the repository root
# (see .env.example: every variable, with its default). The ones this script
# reads: WEB_PORT (3000), API_PORT (8080), DEVDB_PORT (27017), MONGODB_URI
# (use that database instead of the local one), MONGODB_DB, API_TOKEN /
# API_TOKEN_FILE (default: a generated token in target/dev/api-token),
# TOTP_ENCRYPTION_KEY (default: a generated key in target/dev/totp-key),
# MAIL_OUTBOX_DIR (without SMTP; default target/dev/outbox).
#
# Before starting anything it refuses (exit 1, naming the port) a port that
# another process listens on; after starting, it checks that the processes it
# started are the ones answering. Test tools are not installed here: the test
# scripts install their own.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
export NEXT_TELEMETRY_DISABLED=1

mode=release
case "${1:-}" in
  "") ;;
  --dev) mode=dev ;;
  --check) mode=check ;;
  -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "run.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

# `.env` fills what the environment leaves unset (the environment wins).
env_file="${RUN_ENV_FILE:-.env}"
if [[ -f "$env_file" ]]; then
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    value="${value%\"}" value="${value#\"}"
    [[ -n "${!key:-}" || -z "$value" ]] || export "$key=$value"
  done <"$env_file"
fi

api_port="${API_PORT:-8080}"
web_port="${WEB_PORT:-3000}"
db_port="${DEVDB_PORT:-27017}"
started_at=$SECONDS
step() { printf '\n==> %s   [%d s]\n' "$*" "$((SECONDS - started_at))"; }
fail() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# --- ports -----------------------------------------------------------------

# The pids listening on TCP port $1 (any address), one per line; empty if none
# or if `ss` cannot say.
listeners() {
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# Whether something accepts connections on TCP port $1 (any address `ss` sees,
# or 127.0.0.1).
port_taken() {
  if command -v ss >/dev/null && [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]; then return 0; fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A short description of who listens on port $1: "pid 123 (node ...)".
who_listens() {
  local pid out=""
  for pid in $(listeners "$1"); do
    out+="${out:+, }pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-60 | sed 's/ *$//'))"
  done
  printf '%s' "${out:-a process this user cannot see}"
}

# Whether port $1 is held by the local database that tools/devdb/start.sh
# started from target/devdb/data (which this script then uses as it is).
our_devdb_on() {
  local pid_file="$root/target/devdb/data/devdb.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(tr -d '[:space:]' <"$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"--listen 127.0.0.1:$1 "* ]]
}

# Refuses (exit 1) when a port this script needs is taken by another process.
check_ports() {
  local name port problems=()
  for name in WEB_PORT:$web_port API_PORT:$api_port; do
    port="${name#*:}"
    [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || fail "${name%%:*}=$port is not a port number"
    if port_taken "$port"; then
      problems+=("port $port (${name%%:*}) is already in use by $(who_listens "$port")")
    fi
  done
  [[ "$web_port" != "$api_port" ]] || problems+=("WEB_PORT and API_PORT are both $web_port")
  if [[ -z "${MONGODB_URI:-}" ]] && port_taken "$db_port" && ! our_devdb_on "$db_port"; then
    problems+=("port $db_port (DEVDB_PORT, the local database) is already in use by $(who_listens "$db_port")")
  fi
  if ((${#problems[@]})); then
    printf 'run.sh: cannot start: %s\n' "${problems[@]}" >&2
    echo "run.sh: stop that process, or choose other ports, e.g. WEB_PORT=3001 API_PORT=8081 bash tools/run.sh" >&2
    exit 1
  fi
}

check_ports
if [[ "$mode" == check ]]; then
  if [[ -n "${MONGODB_URI:-}" ]]; then db="the database at MONGODB_URI"; else db="DEVDB_PORT $db_port (free, or the local database this script starts)"; fi
  echo "run.sh: ports free: WEB_PORT $web_port, API_PORT $api_port; $db"
  exit 0
fi

# --- progress ----------------------------------------------------------------

# Runs a command; while it runs, prints a line with the elapsed time every
# 15 s (some builds are silent for minutes: linking, next build's compile).
with_progress() {
  local label="$1" start=$SECONDS ticker status=0
  shift
  (while sleep 15; do printf '    ... %s: %d s\n' "$label" "$((SECONDS - start))"; done) &
  ticker=$!
  "$@" || status=$?
  kill "$ticker" 2>/dev/null
  wait "$ticker" 2>/dev/null || true
  ((status == 0)) && printf '    %s: done in %d s\n' "$label" "$((SECONDS - start))"
  return "$status"
}

# Whether any file under the given paths is newer than $1 (or $1 is missing).
newer_than() {
  local stamp="$1"
  shift
  [[ -e "$stamp" ]] || return 0
  [[ -n "$(find "$@" \( -name node_modules -o -name '.next*' -o -name '*.tsbuildinfo' \) -prune -o -type f -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

# --- processes ---------------------------------------------------------------

mkdir -p target/run
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
  if ((started_db)); then bash tools/devdb/stop.sh; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until `url` answers 2xx, while the process `pid` (a session leader
# started with setsid) lives; then checks that what listens on `port` belongs
# to that process group, not to someone else.
await_own() {
  local what="$1" pid="$2" port="$3" url="$4" log="$5" timeout="$6" deadline=$((SECONDS + $6)) owner
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: $what exited before answering on port $port; last lines of $log:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    ((SECONDS < deadline)) || { echo "run.sh: $what did not answer $url within $timeout s; last lines of $log:" >&2; tail -n 20 "$log" >&2; exit 1; }
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null || fail "$what exited, yet something else answers on port $port: $(who_listens "$port")"
  for owner in $(listeners "$port"); do
    [[ "$(ps -o pgid= -p "$owner" 2>/dev/null | tr -d ' ')" == "$pid" ]] ||
      fail "port $port is answered by $(who_listens "$port"), not by the $what this script started (pid $pid)"
  done
}

# --- install and build ---------------------------------------------------------

step "set up the machine (what running needs: Rust's wasm target)"
bash tools/setup.sh --run

if [[ ! -f pkg/web/models_bg.wasm ]] || newer_than pkg/web/models_bg.wasm crates/models crates/models-derive crates/wasm Cargo.toml Cargo.lock tools/build-pkg.sh; then
  step "build the npm package (pkg/)"
  with_progress "package" bash tools/build-pkg.sh
else
  step "the npm package (pkg/) is up to date"
fi

if [[ "$mode" == dev ]]; then
  server_bin=target/debug/onelastai-server
  step "build the server (debug)"
  with_progress "cargo build" cargo build -p onelastai-server
else
  server_bin=target/release/onelastai-server
  step "build the server (release; a first build takes a few minutes)"
  with_progress "cargo build --release" cargo build --release -p onelastai-server
fi

# npm ci only when package-lock.json changed since the last install.
if ! cmp -s www/package-lock.json www/node_modules/.installed-lock.json; then
  step "install the web app's packages (npm ci in www/)"
  with_progress "npm ci" npm ci --prefix www --no-audit --no-fund --loglevel=error
  cp www/package-lock.json www/node_modules/.installed-lock.json
else
  step "the web app's packages are installed (www/package-lock.json unchanged)"
fi

if [[ "$mode" == release ]]; then
  if newer_than www/.next/BUILD_ID www/app www/components www/lib www/next.config.ts www/package-lock.json www/tsconfig.json pkg; then
    step "build the web app (next build)"
    (cd www && with_progress "next build" npx next build)
  else
    step "the web app's build (www/.next) is up to date"
  fi
fi

# --- start ---------------------------------------------------------------------

if [[ -z "${API_TOKEN:-}" ]]; then
  export API_TOKEN_FILE="${API_TOKEN_FILE:-$root/target/dev/api-token}"
  if [[ ! -s "$API_TOKEN_FILE" ]]; then
    mkdir -p "$(dirname "$API_TOKEN_FILE")"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$API_TOKEN_FILE")
  fi
  chmod 600 "$API_TOKEN_FILE"
fi

# Two-factor needs a key to seal its secrets: a local one, kept with the token
# (the server reads only the variable; production sets it from its secrets).
if [[ -z "${TOTP_ENCRYPTION_KEY:-}" ]]; then
  totp_key_file="$root/target/dev/totp-key"
  if [[ ! -s "$totp_key_file" ]]; then
    mkdir -p "$(dirname "$totp_key_file")"
    (umask 077 && printf 'dev1:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$totp_key_file")
  fi
  chmod 600 "$totp_key_file"
  TOTP_ENCRYPTION_KEY="$(head -n 1 "$totp_key_file")"
  export TOTP_ENCRYPTION_KEY
fi
# Without SMTP, mail (password resets, sign-in links) lands in this outbox.
if [[ -z "${SMTP_URL:-}${SMTP_HOST:-}" ]]; then
  export MAIL_OUTBOX_DIR="${MAIL_OUTBOX_DIR:-$root/target/dev/outbox}"
fi

if [[ -z "${MONGODB_URI:-}" ]]; then
  step "start the local database (FerretDB on SQLite, data in target/devdb/data)"
  out="$(bash tools/devdb/start.sh --port "$db_port")"
  printf '%s\n' "$out"
  [[ "$out" == *"already running"* ]] || started_db=1
  MONGODB_URI="$(printf '%s\n' "$out" | sed -n 's/^MONGODB_URI=//p' | tail -n 1)"
  export MONGODB_URI
fi

# The ports were free at the start; check again right before each start.
check_ports

step "start the server on 127.0.0.1:$api_port (log: target/run/server.log)"
LISTEN_ADDR="127.0.0.1:$api_port" setsid "$server_bin" >target/run/server.log 2>&1 </dev/null &
pids+=($!)
await_own "the server" "${pids[-1]}" "$api_port" "http://127.0.0.1:$api_port/ready" target/run/server.log 60

step "subscription plans (www/scripts/seed-plans.mjs, with the API token)"
API_URL="http://127.0.0.1:$api_port" node www/scripts/seed-plans.mjs

if [[ "$mode" == dev ]]; then
  step "start the web app with hot reload (next dev) on 127.0.0.1:$web_port (log: target/run/web.log)"
  web_cmd=(npx next dev -p "$web_port" -H 127.0.0.1)
  web_timeout=180 # the first request compiles the page
else
  step "start the web app on 127.0.0.1:$web_port (log: target/run/web.log)"
  web_cmd=(npx next start -p "$web_port" -H 127.0.0.1)
  web_timeout=60
fi
# Without the API token: the app acts only with each person's session.
(cd www && API_URL="http://127.0.0.1:$api_port" exec env -u API_TOKEN -u API_TOKEN_FILE setsid "${web_cmd[@]}" >"$root/target/run/web.log" 2>&1 </dev/null) &
pids+=($!)
await_own "the web app" "${pids[-1]}" "$web_port" "http://127.0.0.1:$web_port/" target/run/web.log "$web_timeout"

cat <<INFO

  Web app     http://127.0.0.1:$web_port/   (sign up, subscribe, publish a tool, browse)$([[ "$mode" == dev ]] && printf '\n              development mode: edits under www/ reload in the browser')
  Server API  http://127.0.0.1:$api_port/api/<collection>   (health: /health, /ready)
  API token   ${API_TOKEN_FILE:-from \$API_TOKEN}   (Authorization: Bearer <token>; admin tooling only, the web app has none)
  Database    $MONGODB_URI
  Logs        target/run/server.log, target/run/web.log$([[ -n "${MAIL_OUTBOX_DIR:-}" ]] && printf '\n  Mail        %s   (development outbox: password resets, sign-in links; also GET /api/dev/outbox)' "$MAIL_OUTBOX_DIR")
  API docs    http://127.0.0.1:$web_port/api-docs   (the document: http://127.0.0.1:$api_port/openapi.json)

  Make an admin (sees /admin): in another terminal, with the same environment,
    MONGODB_URI='$MONGODB_URI' ${MONGODB_DB:+MONGODB_DB='$MONGODB_DB' }API_TOKEN_FILE='${API_TOKEN_FILE:-<file with the token>}' \\
      $server_bin create-admin --email you@example.com
  (it promotes that account, or creates it with the password typed on standard input)

Ready in $((SECONDS - started_at)) s. Press Ctrl-C to stop.
INFO
# Stops (and so stops the rest) as soon as either process ends.
wait -n || true
echo "run.sh: a process it started ended; last lines of target/run/*.log:" >&2
tail -n 10 target/run/server.log target/run/web.log >&2
exit 1
