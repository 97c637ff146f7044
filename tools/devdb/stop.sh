#!/usr/bin/env bash
# Stop the devdb started by tools/devdb/start.sh, through the pid file in its data dir.
#
#   tools/devdb/stop.sh [--data-dir D] [--port N]
#
# SIGTERM, then waits (DEVDB_STOP_TIMEOUT seconds, default 10) before SIGKILL.
# --port is accepted so the same arguments work for start.sh and stop.sh; when
# given, a devdb listening on another port is left alone. Not running: exits 0.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

data_dir="$root/target/devdb/data"
port=""
timeout="${DEVDB_STOP_TIMEOUT:-10}"

usage() { echo "usage: $0 [--data-dir D] [--port N]" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data-dir) [[ $# -ge 2 ]] || usage; data_dir="$2"; shift 2 ;;
    --data-dir=*) data_dir="${1#*=}"; shift ;;
    --port) [[ $# -ge 2 ]] || usage; port="$2"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    -h|--help) usage ;;
    *) echo "devdb stop: unknown argument: $1" >&2; usage ;;
  esac
done

if [[ ! -d "$data_dir" ]]; then
  echo "devdb stop: no data dir $data_dir; nothing to stop"
  exit 0
fi
data_dir="$(cd "$data_dir" && pwd)"
pid_file="$data_dir/devdb.pid"

if [[ ! -f "$pid_file" ]]; then
  echo "devdb stop: no pid file $pid_file; not running"
  exit 0
fi

# Alive and not a zombie (an orphan waits for its reaper; it is gone for our purposes).
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)"
  [[ "$state" != Z ]]
}

pid="$(tr -d '[:space:]' < "$pid_file")"
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! alive "$pid"; then
  echo "devdb stop: pid ${pid:-?} not running; removing stale $pid_file"
  rm -f "$pid_file"
  exit 0
fi

cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
if [[ "$cmd" != *devdb* ]]; then
  echo "devdb stop: pid $pid is not a devdb ($cmd); removing stale $pid_file"
  rm -f "$pid_file"
  exit 0
fi
if [[ -n "$port" && "$cmd" != *"--listen 127.0.0.1:$port "* ]]; then
  echo "devdb stop: pid $pid does not listen on port $port ($cmd); left running" >&2
  exit 1
fi

echo "devdb stop: sending SIGTERM to pid $pid"
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + timeout))
while alive "$pid"; do
  if (( SECONDS >= deadline )); then
    echo "devdb stop: pid $pid still running after ${timeout} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
    break
  fi
  sleep 0.1
done
rm -f "$pid_file"
echo "devdb stop: stopped (pid $pid)"
