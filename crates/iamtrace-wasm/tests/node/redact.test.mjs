// redact(scenario): the case with its identifying values replaced by AWS documentation
// placeholders, still deciding as the original; the mapping beside it, never in a link.
// Build first: scripts/build-js.sh (or set IAMTRACE_WASM_NODE to another build's .js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(import.meta.url);
const iamtrace = require(process.env.IAMTRACE_WASM_NODE ?? `${root}target/iamtrace-wasm-node/iamtrace_wasm.js`);

const policy = (Statement) => ({ Version: '2012-10-17', Statement });
const acmeCase = {
  title: 'deployer cannot read acme-prod-logs',
  request: {
    principal: 'arn:aws:sts::210987654321:assumed-role/deployer/ci-run',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::acme-prod-logs/app.log',
    resource_account: '309876543210',
    context: { 'aws:SourceIp': '54.240.143.7' },
  },
  policies: {
    identity: [policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-prod-*',
      Condition: { IpAddress: { 'aws:SourceIp': '54.240.143.0/24' } } }])],
    resource: policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-prod-logs/*',
      Principal: { AWS: 'arn:aws:iam::210987654321:role/deployer' } }]),
  },
};

test('redact replaces ids and names everywhere and the case still decides the same', () => {
  const r = iamtrace.redact(acmeCase);
  assert.equal(r.verified, true);
  const text = JSON.stringify(r.scenario);
  for (const secret of ['210987654321', '309876543210', 'deployer', 'ci-run', 'acme', '54.240.143']) {
    assert.ok(!text.includes(secret), `${secret} survives in ${text}`);
  }
  assert.equal(r.scenario.request.principal, 'arn:aws:sts::111122223333:assumed-role/ExampleRole/my-role-session');
  assert.equal(r.scenario.policies.identity[0].Statement[0].Resource, 'arn:aws:s3:::amzn-s3-demo-prefix01-*');
  assert.equal(r.scenario.request.context['aws:SourceIp'], '192.0.2.7');
  assert.equal(iamtrace.evaluate(r.scenario).decision, iamtrace.evaluate(acmeCase).decision);
  assert.equal(iamtrace.evaluate(r.scenario).decision, 'allowed');
  const account = r.replaced.find((x) => x.original === '210987654321');
  assert.deepEqual(account, { kind: 'account', original: '210987654321', replacement: '111122223333' });
  assert.deepEqual(r.kept, []);
});

test('a link made from the redacted case carries none of the replaced values', () => {
  const r = iamtrace.redact(JSON.stringify(acmeCase));
  const link = iamtrace.encodePermalink(r.scenario);
  const back = JSON.stringify(iamtrace.decodePermalink(link));
  for (const { original } of r.replaced) {
    assert.ok(!back.includes(original.replace(/\*$/, '')), `${original} is in the link`);
  }
});

test('what cannot be replaced is kept with the reason; placeholders already there are kept', () => {
  // A policy variable's default spells the end of the bucket name: the bucket cannot be rewritten.
  const r = iamtrace.redact(readFileSync(`${root}tests/fixtures/conformance/092-variable-default-value-used.json`, 'utf8'));
  assert.equal(r.verified, true);
  const kept = r.kept.find((k) => k.value === 'DOC-EXAMPLE-BUCKET-company-wide');
  assert.equal(kept.kind, 'bucket');
  assert.match(kept.reason, /replacing it changes an outcome: the decision would become implicit_deny instead of allowed/);
  assert.equal(iamtrace.evaluate(r.scenario).decision, 'allowed');
  assert.ok(r.kept.some((k) => k.value === '111122223333' && /already an AWS documentation placeholder/.test(k.reason)));
  assert.throws(() => iamtrace.redact(42), /a scenario is a JSON object or its text/);
});
