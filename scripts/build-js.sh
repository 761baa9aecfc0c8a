#!/usr/bin/env bash
# Builds the engine's JavaScript bindings (crates/iamtrace-wasm) for Node and for the web:
#   target/iamtrace-wasm-node/  (wasm-bindgen --target nodejs: `require` it, or `import` from ESM)
#   target/iamtrace-wasm-web/   (wasm-bindgen --target web: `import init, {evaluate} from …`)
# and prints the size of the wasm (raw and gzip). Needs the wasm32 target and wasm-bindgen-cli of
# the version in Cargo.lock (scripts/setup.sh installs both); uses wasm-opt -Oz when the pinned
# npm binaryen is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-js: wasm-bindgen-cli $want is needed (found '${have:-none}'); run scripts/setup.sh" >&2
  exit 2
fi

nice cargo build --quiet --locked -p iamtrace-wasm --target wasm32-unknown-unknown --release
wasm=target/wasm32-unknown-unknown/release/iamtrace_wasm.wasm

for target in nodejs web; do
  out=target/iamtrace-wasm-${target%js}
  rm -rf "$out"
  wasm-bindgen --target "$target" --out-dir "$out" "$wasm"
  if wasm-opt --version 2>/dev/null | grep -q "version 1[2-9][0-9]"; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      -o "$out/iamtrace_wasm_bg.wasm" "$out/iamtrace_wasm_bg.wasm"
  else
    echo "build-js: pinned wasm-opt not found (npm ci installs it); the wasm is not optimised" >&2
  fi
done

bg=target/iamtrace-wasm-web/iamtrace_wasm_bg.wasm
printf 'iamtrace-wasm: %s bytes raw, %s bytes gzip (%s)\n' \
  "$(wc -c <"$bg")" "$(gzip -9c "$bg" | wc -c)" "$bg"
