#!/usr/bin/env bash
# The differential fuzzer against real Mongoose: generated and mutated
# documents for every collection, answered by Mongoose (tests/mongoose, with
# the deviations COMPATIBILITY.md lists applied) and by the models crate
# (crates/models/examples/differential.rs), compared. Prints per collection
# the documents, the agreements and each class of difference with a shrunk
# example; exits 1 when any difference is left.
#
#   bash tools/differential.sh [--count N] [--seed S] [--collections users,tools] [--examples K]
#
# Defaults: 1000 documents, seed 1. CI runs a fixed-seed slice (tools/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d tests/mongoose/node_modules/mongoose ]; then
  bash tools/setup.sh
fi
echo "==> cargo build --release --example differential"
cargo build -q --release -p onelastai-models --example differential
echo "==> node tests/mongoose/differential.js $*"
TZ=UTC node tests/mongoose/differential.js "$@"
