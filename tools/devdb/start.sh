#!/usr/bin/env bash
# Start the local MongoDB-compatible dev/test server (FerretDB 1.24 on SQLite) in the background.
#
#   tools/devdb/start.sh [--port N] [--data-dir D] [--log-level L]
#
# Builds target/devdb/devdb when missing or older than its sources, starts it with
# a pid file and a log file in the data dir (default target/devdb/data, port 27017),
# waits until it answers a MongoDB ping, and prints MONGODB_URI=... on the last line.
# Already running from that data dir on that port: says so and exits 0.
# Environment: DEVDB_START_TIMEOUT (seconds, default 30).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/target/devdb/devdb"

port=27017
data_dir="$root/target/devdb/data"
log_level=error
timeout="${DEVDB_START_TIMEOUT:-30}"

usage() { echo "usage: $0 [--port N] [--data-dir D] [--log-level debug|info|warn|error]" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) [[ $# -ge 2 ]] || usage; port="$2"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    --data-dir) [[ $# -ge 2 ]] || usage; data_dir="$2"; shift 2 ;;
    --data-dir=*) data_dir="${1#*=}"; shift ;;
    --log-level) [[ $# -ge 2 ]] || usage; log_level="$2"; shift 2 ;;
    --log-level=*) log_level="${1#*=}"; shift ;;
    -h|--help) usage ;;
    *) echo "devdb start: unknown argument: $1" >&2; usage ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || { echo "devdb start: bad port: $port" >&2; exit 2; }

mkdir -p "$data_dir"
data_dir="$(cd "$data_dir" && pwd)"
pid_file="$data_dir/devdb.pid"
log_file="$data_dir/devdb.log"
addr="127.0.0.1:$port"
uri="mongodb://$addr/"

# Build when the binary is missing or any source is newer than it.
if [[ ! -x "$bin" ]] || [[ -n "$(find "$here" -maxdepth 1 \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$bin" -print -quit)" ]]; then
  echo "devdb start: building $bin (go build in tools/devdb)"
  mkdir -p "$(dirname "$bin")"
  started=$SECONDS
  (cd "$here" && go build -o "$bin" .)
  echo "devdb start: built in $((SECONDS - started)) s"
fi

# The command line of a live devdb process, or nothing.
devdb_cmdline() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 0
  local cmd
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *devdb* ]] && printf '%s' "$cmd"
  return 0
}

if [[ -f "$pid_file" ]]; then
  old_pid="$(tr -d '[:space:]' < "$pid_file")"
  cmd="$(devdb_cmdline "$old_pid")"
  if [[ -n "$cmd" ]]; then
    if [[ "$cmd" == *"--listen $addr "* ]]; then
      echo "devdb start: already running (pid $old_pid, data $data_dir)"
      echo "MONGODB_URI=$uri"
      exit 0
    fi
    echo "devdb start: another devdb already uses $data_dir (pid $old_pid: $cmd); run tools/devdb/stop.sh --data-dir $data_dir first" >&2
    exit 1
  fi
  echo "devdb start: removing stale pid file $pid_file (pid $old_pid not running)"
  rm -f "$pid_file"
fi

# Refuse a port that something else already answers on.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "devdb start: port $port is already in use by another process" >&2
  exit 1
fi

echo "devdb start: starting $bin --listen $addr --data-dir $data_dir (log $log_file)"
# setsid: detached from the caller's terminal, so a Ctrl-C there does not stop it.
setsid "$bin" --listen "$addr" --data-dir "$data_dir" --log-level "$log_level" \
  </dev/null >>"$log_file" 2>&1 &
pid=$!
echo "$pid" > "$pid_file"

deadline=$((SECONDS + timeout))
until "$bin" ping --uri "$uri" --timeout 2s --quiet 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "devdb start: devdb (pid $pid) exited; last log lines:" >&2
    tail -n 20 "$log_file" >&2 || true
    rm -f "$pid_file"
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "devdb start: no ping answer on $uri within ${timeout} s; stopping pid $pid; last log lines:" >&2
    tail -n 20 "$log_file" >&2 || true
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    exit 1
  fi
  sleep 0.2
done

echo "devdb start: ready (pid $pid)"
echo "MONGODB_URI=$uri"
