# Sourced by the server benchmarks (run.sh, soak.sh, stats.sh): the steps they
# share. Needs `root` (the repository) and `step`; brings tools/devdb/ports.sh's
# spare_port.
source "$root/tools/devdb/ports.sh"

# start_devdb DIR: a devdb (FerretDB 1.24 on SQLite) on a spare port, its data in
# DIR; sets `uri` to its MONGODB_URI. `tools/devdb/stop.sh --data-dir DIR` stops it.
start_devdb() {
  local port
  port="$(spare_port)"
  step "starting devdb on 127.0.0.1:$port (data in $1)"
  uri="$(bash "$root/tools/devdb/start.sh" --port "$port" --data-dir "$1" | sed -n 's/^MONGODB_URI=//p' | tail -n 1)"
}

# bench_token PREFIX: a fresh API token for one run (PREFIX-32 hex digits).
bench_token() { printf '%s-%s' "$1" "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }

# wait_ready URL PID LOG: waits up to 30 s for URL to answer. Fails, printing LOG,
# when the process PID exits first or the time runs out.
wait_ready() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 150); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$url did not answer; the log ($log):" >&2
  cat "$log" >&2
  return 1
}
