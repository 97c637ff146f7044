#!/usr/bin/env bash
# wasm-bindgen-test: the wasm crate's Rust-level tests (its allocator and its
# JavaScript boundary, crates/wasm/tests) inside Node, then inside headless
# Chromium through Debian's chromedriver (installed here when missing).
#
#   bash tools/test-wasm.sh [--node-only]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

run() {
  cargo test -p onelastai-models-wasm --target wasm32-unknown-unknown --test wasm
}

echo "==> wasm-bindgen-test in Node"
run
if [[ " $* " == *" --node-only "* ]]; then
  exit 0
fi
if ! command -v chromedriver >/dev/null; then
  echo "==> apt-get install chromium-driver"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium-driver >/dev/null
fi
echo "==> wasm-bindgen-test in headless Chromium (chromedriver)"
WASM_BINDGEN_USE_BROWSER=1 run
