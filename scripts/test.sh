#!/usr/bin/env bash
# Runs every test: formatting and lints, the engine and CLI tests (with the AWS conformance
# scenarios), the JavaScript bindings under Node, and the browser tests in headless Chromium
# against a release build of the page. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "fetch crates"
cargo fetch --locked

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p iamtrace-web --target wasm32-unknown-unknown --tests --locked -- -D warnings

step "API docs (broken links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -p iamtrace-engine -p iamtrace-wasm -p iamtrace --no-deps --locked

step "build the page (trunk, release)"
trunk build --release --offline

step "build the JavaScript bindings"
bash scripts/build-js.sh

step "Rust tests: engine, conformance scenarios, CLI, browser tests"
IAMTRACE_DIST="$PWD/dist" cargo test --workspace --locked

step "In-browser component tests (wasm-bindgen-test, headless Chromium)"
cargo test -p iamtrace-web --target wasm32-unknown-unknown --test components --locked

step "JavaScript bindings under Node"
node --test crates/iamtrace-wasm/tests/node/

step "iamtrace check: conformance scenarios and gallery examples"
cargo run --quiet --release -p iamtrace --locked -- check tests/fixtures/conformance examples
