// fix(scenario) and counterfactuals(scenario), called from Node as any script would call them.
// Build first: scripts/build-js.sh (or set IAMTRACE_WASM_NODE to another build's .js).
// Run: node --test crates/iamtrace-wasm/tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(import.meta.url);
const iamtrace = require(process.env.IAMTRACE_WASM_NODE ?? `${root}target/iamtrace-wasm-node/iamtrace_wasm.js`);
const example = (name) => readFileSync(`${root}examples/${name}.json`, 'utf8');

test('fix: the first fix of a boundary denial, applied, is allowed', () => {
  const r = iamtrace.fix(JSON.parse(example('07-permissions-boundary-implicit-deny')));
  assert.equal(r.decision, 'implicit_deny');
  assert.ok(r.fixes.length >= 1 && r.candidates >= r.fixes.length);
  const f = r.fixes[0];
  assert.equal(f.layer, 'permissions_boundary');
  assert.ok(['edit_statement', 'add_statement'].includes(f.kind), f.kind);
  assert.deepEqual(f.policy, { layer: 'permissions_boundary', index: 0 });
  assert.match(f.diff, /^--- a\/policies\.permissions_boundary\n\+\+\+ b\/policies\.permissions_boundary\n/);
  assert.match(f.diff, /\+\s+"Action": "dynamodb:PutItem"/);
  assert.equal(typeof f.scenario, 'object');
  assert.equal(iamtrace.evaluate(f.scenario).decision, 'allowed');
});

test('fix: an SCP explicit deny is outside your control, with no scenario', () => {
  const r = iamtrace.fix(example('06-scp-region-deny'));
  const f = r.fixes[0];
  assert.equal(f.kind, 'outside_control');
  assert.equal(f.scenario, null);
  assert.equal(f.organization.level_name, 'OU');
  assert.equal(f.organization.statement, 'DenyAllOutsideEU');
  assert.match(f.summary, /organization's administrators/);
});

test('fix: an allowed scenario has nothing to fix, and bad input throws', () => {
  const r = iamtrace.fix(example('01-cross-account-assume-role-allowed'));
  assert.equal(r.decision, 'allowed');
  assert.deepEqual(r.fixes, []);
  assert.throws(() => iamtrace.fix('{"request": '), (e) => e instanceof Error && typeof e.line === 'number');
});

test('counterfactuals: the SCP a denial rests on, and the statements that grant an allowed case', () => {
  const c = iamtrace.counterfactuals(example('06-scp-region-deny'));
  assert.ok(c.flips.some((f) => f.summary === 'allowed but for the SCP DenyAllOutsideEU at the OU (level 2 of 3)'), JSON.stringify(c.flips));
  const a = iamtrace.counterfactuals(example('01-cross-account-assume-role-allowed'));
  assert.equal(a.decision, 'allowed');
  assert.ok(a.grants.length >= 1);
  assert.ok(a.grants.every((g) => typeof g.still_allowed_without === 'boolean'));
});
