# Sourced by the scripts: puts the project's pinned tools first on PATH.
# wasm-opt comes from npm's binaryen 132 (node_modules/.bin), never Debian's v108 (docs/toolchain.md).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
