#!/usr/bin/env bash
# Builds the @onelastai/models package (tools/build-pkg.sh) and runs its
# suites: the vectors and the API in Node, the JSON Schemas against the
# vectors with Ajv, error params and formatError, the Standard Schemas, the
# vectors in headless Chromium, the runtime shapes, the TypeScript consumers
# (consumer.ts, types/standard.ts) and the real outputs under `tsc --strict`,
# the .d.ts snapshot, the runnable README snippets, and pkg/README.md's Vite
# snippet built by real Vite at its default target (tests/pkg/vite). Prints a closing line per suite and
# the package size; exits non-zero if any suite fails.
#
#   bash tools/test-pkg.sh                    build and test
#   bash tools/test-pkg.sh --update-snapshot  build, then rewrite tests/pkg/snapshot/
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '==> %s\n' "$*"; }

bash tools/build-pkg.sh

if [ "${1:-}" = "--update-snapshot" ]; then
  step "update the .d.ts snapshot"
  node tests/pkg/dts-snapshot.mjs --update
  exit 0
fi

if [ ! -x /usr/bin/chromium ]; then
  bash tools/setup.sh --browser
fi
# `npm ci` in directory $1 when its lockfile changed since the last install ($2 says what for).
npm_ci_when_changed() {
  if ! cmp -s "$1/package-lock.json" "$1/node_modules/.installed-lock.json"; then
    step "npm ci ($1: $2)"
    npm ci --prefix "$1" --no-audit --no-fund --loglevel=error
    cp "$1/package-lock.json" "$1/node_modules/.installed-lock.json"
  fi
}
npm_ci_when_changed tests/pkg "the package's test tools: tsc, Ajv, playwright-core"
# Vite pinned 6.x, whose default target refuses top-level await.
npm_ci_when_changed tests/pkg/vite "Vite"

failed_suites=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs `node --test` on files and prints "<suite>: N passed, N failed" from its counts.
node_suite() {
  local suite=$1
  shift
  step "$suite: node --test $*"
  local status=0
  (cd tests/pkg && node --test --test-reporter=spec "$@") 2>&1 | tee "$log" || status=$?
  local pass fail
  pass=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)
  fail=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)
  printf '%s: %s passed, %s failed\n' "$suite" "${pass:-0}" "${fail:-?}"
  if [ "$status" -ne 0 ] || [ "${fail:-1}" != 0 ]; then failed_suites+=("$suite"); fi
}

node_suite node vectors.test.mjs api.test.mjs shape.test.mjs json-schema.test.mjs errors.test.mjs standard.test.mjs verdict-many.test.mjs
node_suite chromium browser.test.mjs
node_suite vite vite/vite.test.mjs

step "typescript: tsc --strict --noEmit (consumer.ts; every vector answer as its declared type)"
ts_pass=0
ts_fail=0
if node tests/pkg/types/generate-outputs.mjs; then
  for project in tests/pkg/types/tsconfig.json tests/pkg/types/tsconfig.nodenext.json; do
    if tests/pkg/node_modules/.bin/tsc -p "$project"; then
      ts_pass=$((ts_pass + 1))
    else
      ts_fail=$((ts_fail + 1))
    fi
  done
else
  ts_fail=1
fi
printf 'typescript: %s passed, %s failed\n' "$ts_pass" "$ts_fail"
if [ "$ts_fail" -ne 0 ]; then failed_suites+=(typescript); fi

step "snapshot: pkg/*.d.ts against tests/pkg/snapshot/"
node tests/pkg/dts-snapshot.mjs || failed_suites+=(snapshot)

step "readme: every \`\`\`js runnable block of README.md and pkg/README.md, as written"
node tools/check-readme-snippets.mjs || failed_suites+=(readme)

step "size (benchmark, no budget assertion)"
node tests/pkg/bench/size.mjs

if [ "${#failed_suites[@]}" -ne 0 ]; then
  echo "test-pkg: FAILED: ${failed_suites[*]}"
  exit 1
fi
echo "test-pkg: all suites passed"
