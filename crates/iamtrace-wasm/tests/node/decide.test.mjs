// The compiled decision path from JavaScript: `decide` and `CompiledScenario` give the verdict
// `evaluate` gives, on every conformance scenario and gallery example and on action variants.
// Build first: scripts/build-js.sh (or set IAMTRACE_WASM_NODE to another build's .js).
// Run: node --test crates/iamtrace-wasm/tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(import.meta.url);
const iamtrace = require(process.env.IAMTRACE_WASM_NODE ?? `${root}target/iamtrace-wasm-node/iamtrace_wasm.js`);

const scenarios = (dir) => readdirSync(`${root}${dir}`)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(`${root}${dir}/${f}`, 'utf8'))]);
const all = [...scenarios('tests/fixtures/conformance'), ...scenarios('examples')];

const verdict = (r) => ({
  decision: r.decision,
  denied_by: r.denied_by,
  undecided: r.undecided && {
    most_restrictive: r.undecided.most_restrictive,
    most_permissive: r.undecided.most_permissive,
  },
});

test('decide gives evaluate\'s verdict on every conformance scenario and example', () => {
  assert.ok(all.length >= 90, `${all.length} scenarios`);
  const seen = new Set();
  for (const [name, s] of all) {
    const d = iamtrace.decide(s);
    assert.deepEqual(Object.keys(d), ['decision', 'denied_by', 'undecided'], name);
    assert.deepEqual(d, verdict(iamtrace.evaluate(s)), name);
    assert.equal(d.decision, s.expect.decision, name);
    assert.equal(d.denied_by, s.expect.denied_by ?? null, name);
    seen.add(d.decision);
  }
  assert.deepEqual([...seen].sort(), ['allowed', 'explicit_deny', 'implicit_deny']);
});

test('a CompiledScenario decides variants of its case that change the action', () => {
  const actions = ['s3:GetObject', 's3:PutObject', 'sts:AssumeRole', 'kms:Decrypt', 'iam:PassRole', 'sts:GetCallerIdentity'];
  let denied = 0;
  for (const [name, s] of all) {
    const compiled = new iamtrace.CompiledScenario(s);
    assert.deepEqual(compiled.decide(), iamtrace.decide(s), name);
    for (const action of actions) {
      const variant = structuredClone(s);
      variant.request.action = action;
      const d = compiled.decideAction(action);
      assert.deepEqual(d, verdict(iamtrace.evaluate(variant)), `${name} with ${action}`);
      denied += d.decision !== 'allowed';
    }
    compiled.free();
  }
  assert.ok(denied > 100, `${denied} denied variants`);
});

test('an undecided request stays undecided on the compiled path, with both results', () => {
  const s = {
    version: 1,
    request: { principal: 'arn:aws:iam::111122223333:user/ana', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
    policies: { identity: [{ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } },
    ] }] },
  };
  const d = iamtrace.decide(s);
  assert.equal(d.decision, 'allowed');
  assert.deepEqual(d.undecided, {
    most_restrictive: { decision: 'explicit_deny', denied_by: 'identity' },
    most_permissive: { decision: 'allowed', denied_by: null },
  });
});

test('decide and CompiledScenario refuse what evaluate refuses', () => {
  assert.throws(() => iamtrace.decide('{\n  "request": {"action": "s3:GetObject",\n  "resource": *}}'), (e) => {
    assert.match(e.message, /the scenario cannot be read/);
    assert.equal(e.line, 3);
    return true;
  });
  assert.throws(() => new iamtrace.CompiledScenario(42), /a scenario is a JSON object or its text/);
  const compiled = new iamtrace.CompiledScenario(all[0][1]);
  assert.throws(() => compiled.decideAction(7), TypeError);
});
