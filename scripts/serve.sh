#!/usr/bin/env bash
# Serves the playground at http://127.0.0.1:8080 (installs what is missing first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh
cargo fetch --locked
exec trunk serve --release --offline --port "${PORT:-8080}" "$@"
