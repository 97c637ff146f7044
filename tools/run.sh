#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, and
# validate the spec's example documents of all 17 collections.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
printf '==> cargo run -p onelastai-models --example spec_examples\n'
cargo run -q -p onelastai-models --example spec_examples
