// Time of sweep(scenario) over the whole catalog (about 22,000 actions) in one Node process,
// including building the JS result, for each gallery example; best of several runs.
// Build first: scripts/build-js.sh. Run: node crates/iamtrace-wasm/bench/sweep.mjs
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const iamtrace = require(process.env.IAMTRACE_WASM_NODE ?? `${root}target/iamtrace-wasm-node/iamtrace_wasm.js`);

const dir = `${root}examples`;
const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => [f, JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'))]);

iamtrace.sweep(cases[0][1], 's3'); // decodes the catalog once
console.log(`whole-catalog sweep per gallery example, Node ${process.version}`);
for (const [name, s] of cases) {
  let best = Infinity;
  let total = 0;
  for (let i = 0; i < 15; i++) {
    const start = process.hrtime.bigint();
    total = iamtrace.sweep(s).counts.total;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`${name.padEnd(58)} ${total} actions ${best.toFixed(1).padStart(7)} ms`);
}
