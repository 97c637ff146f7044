#!/usr/bin/env bash
# Builds the @onelastai/models npm package into pkg/ from crates/wasm:
# the WebAssembly module (a pinned nightly rebuilding std without panic
# messages, then wasm-opt -O3), wasm-bindgen's
# `web` output (browsers, bundlers) and its Node ESM output, the generated
# .d.ts, and from native builds of the models crate the collections data,
# the JSON Schemas, the typed paths and the validators' error params. Installs what is missing first; downloads
# nothing beyond the registries (crates.io, npm, rustup's target).
#
#   bash tools/build-pkg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

WASM_BINDGEN_VERSION=0.2.130
TARGET=wasm32-unknown-unknown
OUT_NAME=models
# The module is built by a pinned nightly that rebuilds std with
# `-Cpanic=immediate-abort`: no panic machinery, messages or `Debug`
# formatting in the .wasm (nothing here panics on input; a bug traps, as
# `panic = "abort"` did). Measured 2026-11-30 on the same source, gzip -9
# after wasm-opt -O3: stable opt-level "z" 84,783 bytes; nightly
# immediate-abort "z" 73,222, "s" 78,926, the one kept, for speed (see
# Cargo.toml's wasm-release profile). Without the nightly (no network to
# static.rust-lang.org) the stable toolchain builds it, larger and slower.
NIGHTLY=nightly-2026-05-20
PKG_TARGET_DIR=target/pkg
BUILT="$PKG_TARGET_DIR/$TARGET/wasm-release/onelastai_models_wasm.wasm"
TOOLS=tools/wasm-opt   # its node_modules holds wasm-opt (npm binaryen; Debian's is broken), nothing else

step() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx "$TARGET"; then
  step "rustup target add $TARGET"
  rustup target add "$TARGET"
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Not --locked: one of its locked dependency versions is gone from the registry.
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# Reinstalled when the lockfile changed since the last install.
if ! cmp -s "$TOOLS/package-lock.json" "$TOOLS/node_modules/.installed-lock.json"; then
  step "npm ci ($TOOLS: binaryen for wasm-opt)"
  npm ci --prefix "$TOOLS" --no-audit --no-fund --loglevel=error
  cp "$TOOLS/package-lock.json" "$TOOLS/node_modules/.installed-lock.json"
fi

if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 ||
   ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
  step "rustup toolchain install $NIGHTLY --profile minimal --component rust-src (about 20 s)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src || true
fi
if rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
  step "cargo +$NIGHTLY build -p onelastai-models-wasm --target $TARGET --profile wasm-release -Z build-std (std without panic messages)"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    cargo "+$NIGHTLY" build -p onelastai-models-wasm --target "$TARGET" --profile wasm-release \
    --target-dir "$PKG_TARGET_DIR" -Z build-std=std,panic_abort
else
  step "WARNING: $NIGHTLY is not available; building with the stable toolchain (a larger, slower .wasm)"
  cargo build -p onelastai-models-wasm --target "$TARGET" --profile wasm-release --target-dir "$PKG_TARGET_DIR"
fi

step "wasm-bindgen --target web, --target experimental-nodejs-module"
rm -rf pkg/web pkg/node pkg/models.d.ts pkg/collections.js pkg/json-schemas.js pkg/generated.d.ts pkg/messages.js
wasm-bindgen --target web --out-dir pkg/web --out-name "$OUT_NAME" "$BUILT"
wasm-bindgen --target experimental-nodejs-module --out-dir pkg/node --out-name "$OUT_NAME" "$BUILT"
printf '{\n  "type": "module"\n}\n' > pkg/node/package.json

# -O3, not -Oz: on the module rustc already built for size (opt-level "z"),
# measured 2026-11-30 (binaryen 132), gzip -9 bytes: -Oz 81,582, -Os 81,532,
# -O3 81,509, -O2 81,919; and -O3 about 2% faster in tests/pkg/bench/speed.mjs.
step "wasm-opt -O3"
for dir in pkg/web pkg/node; do
  "$TOOLS/node_modules/.bin/wasm-opt" -O3 --strip-debug --strip-producers \
    "$dir/${OUT_NAME}_bg.wasm" -o "$dir/${OUT_NAME}_bg.wasm"
done

step "pkg/models.d.ts; collections, JSON Schemas, messages, wrapped validators, typed paths (tools/build-pkg-codegen.mjs)"
# The declarations are the same for both outputs, less web's init functions,
# which pkg/index.d.ts replaces with init().
cp pkg/node/$OUT_NAME.d.ts pkg/models.d.ts
# The data comes from a native build of the models crate: code only the build
# runs (the JSON Schema generator, the form metadata) stays out of the .wasm.
cargo run -q -p onelastai-models --example collections_data > target/collections-data.json
cargo run -q -p onelastai-models --example json_schemas > target/json-schemas.json
cargo run -q -p onelastai-models --example messages_data > target/messages.json
node tools/build-pkg-codegen.mjs

wasm_bytes=$(stat -c %s "pkg/web/${OUT_NAME}_bg.wasm")
wasm_gzip=$(gzip -9 -c "pkg/web/${OUT_NAME}_bg.wasm" | wc -c)
step "pkg/ ready: ${OUT_NAME}_bg.wasm $wasm_bytes bytes, $wasm_gzip gzip -9"
