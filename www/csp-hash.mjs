// Trunk post-build hook: puts the SHA-256 hash of every inline <script> of the built index.html
// into its Content-Security-Policy (replacing TRUNK_INLINE_SCRIPT_HASHES), so the page runs with
// no 'unsafe-inline'. Runs under Node (already needed for wasm-opt from npm).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("TRUNK_STAGING_DIR is not set: run through trunk");
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}
if (!html.includes("TRUNK_INLINE_SCRIPT_HASHES")) throw new Error("CSP placeholder missing in index.html");
html = html.replace("TRUNK_INLINE_SCRIPT_HASHES", hashes.join(" "));
writeFileSync(file, html);
