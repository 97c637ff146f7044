#!/usr/bin/env bash
# Statistics benchmark (issue 13): a report, not a timed test.
#
#   bash tests/server-bench/stats.sh [--small 10000] [--large 100000] [--runs 3]
#
# Builds onelastai-server in release, starts a devdb (FerretDB 1.24 on SQLite) on a spare
# port with a temporary data dir and the server on loopback, seeds `--small` documents
# over the ten collections the statistics read (stats-seed.mjs, straight into the
# database), times every /api/stats endpoint over the last 90 days (median of --runs,
# interval=day; revenue by month) and reads the server's RSS and peak RSS (VmHWM) from
# /proc; then grows the data set to `--large` documents and does it again. The server's
# memory should not grow with the data: the work is done in the database, and what the
# server folds is bounded by buckets, countries, agents, tools and distinct per-user counts.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
step() { printf '\n==> %s\n' "$*"; }
source "$here/lib.sh"

small=10000
large=100000
runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small="$2"; shift 2 ;;
    --large) large="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "stats.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/onelastai-stats-bench.XXXXXX")"
server_pid=""
cleanup() {
  set +e
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash "$root/tools/devdb/stop.sh" --data-dir "$work/devdb" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -d "$root/tests/e2e/node_modules/mongodb" ]]; then
  step "installing the MongoDB driver for the seeder (npm ci in tests/e2e)"
  (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
step "building onelastai-server (release)"
cargo build --release -q -p onelastai-server

start_devdb "$work/devdb"
token="$(bench_token bench)"
port="$(spare_port)"
step "starting onelastai-server on 127.0.0.1:$port"
MONGODB_URI="$uri" MONGODB_DB=statsbench API_TOKEN="$token" LISTEN_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  "$root/target/release/onelastai-server" >"$work/server.log" 2>&1 &
server_pid=$!
wait_ready "http://127.0.0.1:$port/ready" "$server_pid" "$work/server.log"

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$server_pid/status"; }
to="$(date -u -d tomorrow +%Y-%m-%dT00:00:00Z)"
from="$(date -u -d '89 days ago' +%Y-%m-%dT00:00:00Z)"
q="from=$from&to=$to"
endpoints=(
  "users/activity?$q&interval=day"
  "users/geography?$q"
  "users/engagement?$q"
  "auth?$q&interval=day"
  "chat?$q"
  "tools?$q"
  "revenue?$q&interval=month"
)

measure() {
  local size="$1"
  printf '\n%-28s %10s %10s %8s %s\n' "endpoint ($size docs)" "median ms" "max ms" "status" "engine"
  for e in "${endpoints[@]}"; do
    local times=() code=""
    for _ in $(seq 1 "$runs"); do
      local out
      out="$(curl -sS -o "$work/answer.json" -w '%{http_code} %{time_total}' -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/stats/$e")"
      code="${out%% *}"
      times+=("$(awk -v t="${out##* }" 'BEGIN { printf "%.1f", t * 1000 }')")
    done
    local sorted median max engine
    sorted="$(printf '%s\n' "${times[@]}" | sort -n)"
    median="$(printf '%s\n' "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")"
    max="$(printf '%s\n' "$sorted" | tail -n 1)"
    engine="$(sed -n 's/.*"engine":"\([a-z]*\)".*/\1/p' "$work/answer.json")"
    printf '%-28s %10s %10s %8s %s\n' "${e%%\?*}" "$median" "$max" "$code" "$engine"
  done
  printf 'server RSS %s KiB, peak RSS (VmHWM) %s KiB after the %s-document runs\n' "$(kib VmRSS)" "$(kib VmHWM)" "$size"
}

step "seeding $small documents"
node "$here/stats-seed.mjs" "$uri" statsbench "$small" 0
printf 'server RSS before any statistics: %s KiB (peak %s KiB)\n' "$(kib VmRSS)" "$(kib VmHWM)"
measure "$small"
step "growing to $large documents"
node "$here/stats-seed.mjs" "$uri" statsbench "$((large - small))" "$small"
measure "$large"
