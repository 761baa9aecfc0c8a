// Time per decision, in one Node process, over the conformance scenarios: `evaluate` (the whole
// explanation, as a JS object), `decide` (the compiled path from a scenario object or its text:
// read + compile + decide), and a `CompiledScenario` built once (`decide()` and `decideAction`).
// Build first: scripts/build-js.sh. Run: node crates/iamtrace-wasm/bench/decide.mjs
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const iamtrace = require(process.env.IAMTRACE_WASM_NODE ?? `${root}target/iamtrace-wasm-node/iamtrace_wasm.js`);

const dir = `${root}tests/fixtures/conformance`;
const texts = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
const objects = texts.map((t) => JSON.parse(t));
const compiled = objects.map((o) => new iamtrace.CompiledScenario(o));
const actions = objects.map((o) => o.request.action);

/** Mean microseconds per call of `run(i)` over every scenario, best of `rounds`. */
function perDecision(run, rounds = 7, minMs = 300) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      for (let i = 0; i < objects.length; i++) run(i);
      n += objects.length;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    } while (elapsed < minMs);
    best = Math.min(best, (elapsed * 1000) / n);
  }
  return best;
}

const rows = [
  ['evaluate(object)', (i) => iamtrace.evaluate(objects[i])],
  ['evaluate(text)', (i) => iamtrace.evaluate(texts[i])],
  ['decide(object)', (i) => iamtrace.decide(objects[i])],
  ['decide(text)', (i) => iamtrace.decide(texts[i])],
  ['CompiledScenario.decide()', (i) => compiled[i].decide()],
  ['CompiledScenario.decideAction(a)', (i) => compiled[i].decideAction(actions[i])],
  ['JSON.stringify(object) alone', (i) => JSON.stringify(objects[i])],
];
console.log(`${objects.length} conformance scenarios, Node ${process.version}`);
for (const [name, run] of rows) {
  console.log(`${name.padEnd(36)} ${perDecision(run).toFixed(2).padStart(9)} µs per decision`);
}
