#!/usr/bin/env bash
# The date-string differential: generated strings of every shape `new Date()`
# meets, read by V8 (node, TZ=UTC) and by the models crate's Date::parse
# (crates/models/examples/date_parse.rs), compared value by value.
#
#   bash tools/date-differential.sh [--count N] [--seed S] [--min-agreement P] [--show K]
#
# Defaults: 5000 strings, seed 1, at least 99.5% agreement.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> cargo build --release --example date_parse"
cargo build -q --release -p onelastai-models --example date_parse
echo "==> node tests/mongoose/date-strings.js $*"
TZ=UTC node tests/mongoose/date-strings.js "$@"
