#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo fuzz, libFuzzer, nightly Rust) of the JSON
# reader, validation of every collection, and the server's body and
# list-query parsing. The targets are in fuzz/fuzz_targets/ (issue 9).
#
#   bash tools/fuzz.sh                      every target, 1,000,000 executions each
#   bash tools/fuzz.sh --runs 5000000       as many executions per target as asked
#   bash tools/fuzz.sh --smoke              10 seconds per target (tools/test.sh, CI)
#   bash tools/fuzz.sh --target json_reader one target (repeat for several)
#
# Installs what it needs when missing (the nightly toolchain through rustup,
# cargo-fuzz through cargo install), writes the seed corpora from
# tests/vectors (node fuzz/seed.mjs; they are committed), builds the targets
# once, runs each from its seeds and the inputs earlier runs kept
# (fuzz/corpus-run/, not committed), then prints target, executions, crashes
# and peak RSS. Exits 1 when any target crashed: the input is in
# fuzz/artifacts/<target>/, the log in fuzz/logs/<target>.log; replay it with
#   (cd fuzz && cargo +nightly fuzz run -a <target> artifacts/<target>/<file>)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
TOOLCHAIN=nightly
ALL_TARGETS=(json_reader validate_json server_body server_cursor)

runs=1000000
smoke=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --target) targets+=("${2:?--target needs a name}"); shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: no target $t (${ALL_TARGETS[*]})" >&2; exit 2; }
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --runs takes a positive number" >&2; exit 2; }

started=$SECONDS
step() { printf '==> [%ss] %s\n' "$((SECONDS - started))" "$*"; }

if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1; then
  step "rustup toolchain install $TOOLCHAIN --profile minimal --no-self-update"
  rustup toolchain install "$TOOLCHAIN" --profile minimal --no-self-update
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  step "cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION --locked"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

step "seed corpora from tests/vectors (node fuzz/seed.mjs)"
node fuzz/seed.mjs

# -a: debug assertions, so an integer overflow is a crash too. The default
# sanitizer (AddressSanitizer) stays on.
step "cargo +$TOOLCHAIN fuzz build -a ($(rustup run "$TOOLCHAIN" rustc --version))"
(cd fuzz && cargo "+$TOOLCHAIN" fuzz build -a)

if [ "$smoke" = 1 ]; then
  limit=(-max_total_time=10)
  what="10 seconds each"
else
  limit=("-runs=$runs")
  what="$runs executions each"
fi
step "fuzz ${targets[*]}: $what"
mkdir -p fuzz/logs
rows=()
failed=0
for t in "${targets[@]}"; do
  case "$t" in
    json_reader | server_body) seeds=seeds/json ;;
    *) seeds="seeds/$t" ;;
  esac
  mkdir -p "fuzz/corpus-run/$t" "fuzz/artifacts/$t"
  log="fuzz/logs/$t.log"
  t0=$SECONDS
  set +e
  (cd fuzz && cargo "+$TOOLCHAIN" fuzz run -a "$t" "corpus-run/$t" "$seeds" -- \
    "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  crashes=$(grep -c 'Test unit written to' "$log" || true)
  if [ "$rc" != 0 ]; then
    failed=1
    [ "$crashes" -gt 0 ] || crashes=1
    echo "--- $t exited $rc; the end of $log:"
    grep -v '^#' "$log" | tail -40
  fi
  printf '%s: %s executions, %s crashes, peak RSS %s MB, %ss\n' \
    "$t" "${execs:-?}" "$crashes" "${rss:-?}" "$((SECONDS - t0))"
  rows+=("$(printf '%-15s %12s %8s %15s %8s' "$t" "${execs:-?}" "$crashes" "${rss:-?}" "$((SECONDS - t0))")")
done

printf '\n%-15s %12s %8s %15s %8s\n' target executions crashes "peak RSS (MB)" seconds
printf '%s\n' "${rows[@]}"
printf 'total %ss (%s)\n' "$((SECONDS - started))" "$what"
if [ "$failed" = 1 ]; then
  echo "fuzz.sh: a target crashed; its input is in fuzz/artifacts/<target>/" >&2
  exit 1
fi
