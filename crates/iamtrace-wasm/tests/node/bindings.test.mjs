// The engine's JavaScript bindings, called from Node as any script would call them.
// Build first: scripts/build-js.sh (or set IAMTRACE_WASM_NODE to another build's .js).
// Run: node --test crates/iamtrace-wasm/tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(import.meta.url);
const iamtrace = require(process.env.IAMTRACE_WASM_NODE ?? `${root}target/iamtrace-wasm-node/iamtrace_wasm.js`);
const example = (name) => readFileSync(`${root}examples/${name}.json`, 'utf8');

test('evaluates a scenario object: verdict, blamed layer and the AWS text', () => {
  const r = iamtrace.evaluate(JSON.parse(example('10-bucket-policy-names-role')));
  assert.equal(r.decision, 'implicit_deny');
  assert.equal(r.denied_by, 'permissions_boundary');
  assert.match(r.message, /^User: arn:aws:sts::111122223333:assumed-role\/DataPipeline\/nightly-export is not authorized to perform: s3:PutObject/);
  assert.match(r.message, /because no permissions boundary allows the s3:PutObject action/);
  assert.ok(Array.isArray(r.gates) && r.gates.length > 0);
  const decisive = r.gates.filter((g) => g.decisive);
  assert.deepEqual(decisive.map((g) => g.kind), ['permissions_boundary']);
  assert.deepEqual(r.warnings, []);
});

test('evaluates scenario text the same way, and names the SCP by its ARN', () => {
  const r = iamtrace.evaluate(example('06-scp-region-deny'));
  assert.equal(r.decision, 'explicit_deny');
  assert.equal(r.denied_by, 'scp');
  assert.match(r.message, /with an explicit deny in a service control policy/);
  assert.ok(r.message.endsWith('arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/p-examplepolicyid111'), r.message);

  const allowed = iamtrace.evaluate(example('01-cross-account-assume-role-allowed'));
  assert.equal(allowed.decision, 'allowed');
  assert.equal(allowed.denied_by, null);
  assert.equal(allowed.message, null);
  assert.equal(allowed.cross_account, true);
});

test('an unreadable scenario throws an Error with line and column', () => {
  assert.throws(() => iamtrace.evaluate('{\n  "request": {"action": "s3:GetObject",\n  "resource": *}}'), (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /the scenario cannot be read/);
    assert.equal(e.line, 3);
    assert.equal(e.column, 15);
    return true;
  });
  assert.throws(() => iamtrace.evaluate(42), /a scenario is a JSON object or its text/);
  assert.throws(() => iamtrace.evaluate({ policies: {} }), /no 'request'/);
});

test('imports an AccessDenied error text, and evaluating it compares with what AWS said', () => {
  const text = 'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::111122223333:assumed-role/DataPipeline/nightly-export is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket/exports/2026-11-28.csv" because no permissions boundary allows the s3:PutObject action';
  const imp = iamtrace.importArtefact(text);
  assert.equal(imp.kind, 'error_text');
  assert.equal(imp.scenario.request.principal, 'arn:aws:sts::111122223333:assumed-role/DataPipeline/nightly-export');
  assert.equal(imp.scenario.request.action, 's3:PutObject');
  assert.equal(imp.scenario.request.resource, 'arn:aws:s3:::amzn-s3-demo-bucket/exports/2026-11-28.csv');
  assert.equal(imp.scenario.observed.decision, 'implicit_deny');
  assert.equal(imp.scenario.observed.layer, 'permissions_boundary');
  assert.ok(imp.recognised.length > 0);

  // The same claim on the gallery case that reproduces it: the reproduction agrees.
  const scenario = JSON.parse(example('10-bucket-policy-names-role'));
  scenario.observed = imp.scenario.observed;
  const r = iamtrace.evaluate(scenario);
  assert.equal(r.agreement.agrees, true, JSON.stringify(r.agreement));

  assert.throws(() => iamtrace.importArtefact('hello, world'), (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /not recognised/i);
    return true;
  });
});

test('validate: a syntax error and a grammar error each come with line and column', () => {
  const broken = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow" "Action": "s3:*"}]\n}';
  const r = iamtrace.validate(broken, 'identity');
  assert.equal(r.valid, false);
  assert.equal(r.findings.length, 1);
  assert.deepEqual([r.findings[0].code, r.findings[0].line, r.findings[0].column], ['invalid-json', 3, 36]);

  const noEffect = '{"Version": "2012-10-17",\n "Statement": [\n   {"Action": "s3:*", "Resource": "*"}]}';
  const g = iamtrace.validate(noEffect, 'identity');
  assert.equal(g.valid, false);
  const f = g.findings.find((x) => x.code === 'missing-effect');
  assert.ok(f, JSON.stringify(g.findings));
  assert.deepEqual([f.severity, f.line, f.column], ['error', 3, 4]);

  const ok = iamtrace.validate('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', 'identity');
  assert.equal(ok.valid, true);
  assert.equal(ok.policy_type, 'identity');
  assert.throws(() => iamtrace.validate('{}', 'bucket'), /unknown policy type 'bucket'/);
});

test('permalinks round-trip and refuse future and damaged links', () => {
  const scenario = JSON.parse(example('09-bucket-policy-names-role-session'));
  const link = iamtrace.encodePermalink(scenario);
  // The data, then the version of AWS's catalog the link was made with.
  assert.match(link, /^s=v1\.[A-Za-z0-9_-]+&c=[0-9.]+$/);
  assert.equal(link.split('&c=')[1], iamtrace.catalogVersion().split('@').pop().split(' ')[0]);
  const back = iamtrace.decodePermalink(`https://example.test/#${link}`);
  assert.equal(back.title, scenario.title);
  assert.deepEqual(back.request, scenario.request);
  // Policy documents keep the user's key order.
  assert.deepEqual(Object.keys(back.policies.resource.Statement[0]), Object.keys(scenario.policies.resource.Statement[0]));
  assert.equal(iamtrace.evaluate(back).decision, 'allowed');

  assert.throws(() => iamtrace.decodePermalink('#s=v9.AAAA'), (e) => {
    assert.equal(e.kind, 'newer_version');
    assert.match(e.message, /newer iamtrace \(format v9\)/);
    return true;
  });
  // Damage the data itself (the catalog version after it is optional).
  assert.throws(() => iamtrace.decodePermalink(`#${link.split('&c=')[0].slice(0, -10)}`), (e) => {
    assert.equal(e.kind, 'damaged');
    assert.match(e.message, /^this link is damaged: /);
    return true;
  });
});

test('a decompression bomb link is refused', () => {
  // 40 MB of spaces, deflated with standard zlib: a 54 kB link that must not be unpacked.
  const bomb = deflateRawSync(Buffer.alloc(40 << 20, 0x20), { level: 9 });
  const link = `#s=v1.${Buffer.concat([bomb, Buffer.alloc(4)]).toString('base64url')}`;
  assert.throws(() => iamtrace.decodePermalink(link), (e) => {
    assert.equal(e.kind, 'too_large', e.message);
    assert.match(e.message, /more than 1024 KiB/);
    return true;
  });
  assert.throws(() => iamtrace.decodePermalink(`${link}${'A'.repeat(70000)}`), (e) => e.kind === 'too_long');
});

test('an unknown-operator Deny makes the evaluation undecided, with both results and the statement', () => {
  const r = iamtrace.evaluate({
    version: 1,
    request: { principal: 'arn:aws:iam::111122223333:user/jane', action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', resource_account: '111122223333' },
    policies: { identity: [{ Version: '2012-10-17', Statement: [
      { Sid: 'AllowS3', Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Sid: 'DenyJane', Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'jane' } } },
    ] }] },
  });
  assert.equal(r.undecided.most_permissive.decision, 'allowed');
  assert.equal(r.undecided.most_restrictive.decision, 'explicit_deny');
  assert.match(r.undecided.summary, /^undecided: allowed unless Deny statement 'DenyJane'/);
  assert.equal(r.unknown_statements[0].label, 'DenyJane');
  assert.equal(r.gates[0].outcome, 'unknown');
  // A certain result carries `undecided: null`.
  assert.equal(iamtrace.evaluate(example('06-scp-region-deny')).undecided, null);
});

test('evaluate carries the reproduction status, with what to paste and the command', () => {
  const text = 'User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket/k" with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123';
  const { scenario } = iamtrace.importArtefact(text);
  const r = iamtrace.evaluate(scenario);
  assert.equal(r.reproduction.status, 'incomplete');
  assert.equal(r.reproduction.missing[0].layer, 'scp');
  assert.equal(r.reproduction.missing[0].policy_id, 'p-abc123');
  assert.equal(r.reproduction.missing[0].command, 'aws organizations describe-policy --policy-id p-abc123 --output json');
  assert.equal(iamtrace.layerCommand(scenario, 'resource'), 'aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket --output json');
  const c = iamtrace.collectSnippet(scenario);
  assert.ok(c.permissions.includes('s3:GetBucketPolicy'), c.permissions);
});

test('unwrapCliOutput reads a get-bucket-policy output and leaves a bare document alone', () => {
  const doc = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}';
  const u = iamtrace.unwrapCliOutput(JSON.stringify({ Policy: doc }));
  assert.equal(u.source_command, 'aws s3api get-bucket-policy');
  assert.equal(u.layer, 'resource');
  assert.equal(u.document_text, doc);
  assert.equal(iamtrace.unwrapCliOutput(doc), null);
});

test('a string parameter given something else throws a TypeError, never a wasm trap', () => {
  const calls = [
    ['decodePermalink', () => iamtrace.decodePermalink(42), /decodePermalink: argument 1 \(link\) must be a string, got number/],
    ['validate', () => iamtrace.validate(42, 'identity'), /validate: argument 1 \(policyText\) must be a string, got number/],
    ['validate type', () => iamtrace.validate('{}', {}), /validate: argument 2 \(policyType\) must be a string, got object/],
    ['importArtefact', () => iamtrace.importArtefact('x', 42), /importArtefact: argument 2 \(principal\) must be a string, got number/],
    ['importArtefact text', () => iamtrace.importArtefact(true), /got boolean/],
    ['unwrapCliOutput', () => iamtrace.unwrapCliOutput(Symbol('s')), /got symbol/],
    ['unwrapCliOutput bigint', () => iamtrace.unwrapCliOutput(10n), /got bigint/],
    ['layerCommand', () => iamtrace.layerCommand(example('06-scp-region-deny'), ['scp']), /got an array/],
    ['decodePermalink null', () => iamtrace.decodePermalink(null), /got null/],
  ];
  for (const [what, call, message] of calls) {
    assert.throws(call, (e) => e instanceof TypeError && message.test(e.message), what);
  }
  // Optional parameters still accept undefined and null.
  assert.doesNotThrow(() => {
    try { iamtrace.importArtefact('not an artefact', null); } catch (e) { if (e instanceof TypeError) throw e; }
  });
});

test('lint: a typo in an action is an error with a suggestion, at its line and column', () => {
  const policy = '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow",\n   "Action": "s3:GetObjects", "Resource": "*"}]}';
  const r = iamtrace.lint(policy, 'identity');
  assert.equal(r.valid, false);
  assert.match(r.catalog, /@cloud-copilot\/iam-data@/);
  const f = r.findings.find((x) => x.code === 'unknown-action');
  assert.ok(f, JSON.stringify(r.findings));
  assert.deepEqual([f.severity, f.line, f.column], ['error', 3, 14]);
  assert.match(f.message, /Did you mean `s3:GetObject`\?/);
  assert.equal(iamtrace.lint(policy.replace('GetObjects', 'Get*'), 'identity').findings.length, 0);
  assert.equal(iamtrace.catalogVersion(), r.catalog);
  assert.throws(() => iamtrace.lint(42, 'identity'), /lint: argument 1 \(policyJson\) must be a string, got number/);
});
