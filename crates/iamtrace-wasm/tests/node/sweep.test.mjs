// sweep(scenario, service?): every action of a service (or of the whole catalog) decided for the
// case's principal, resource and context; each row agrees with evaluate() on that one request.
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

const reader = {
  version: 1,
  request: {
    principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject',
    resource: 'arn:aws:s3:::amzn-s3-demo-bucket/report.csv', resource_account: '444455556666',
  },
  policies: {
    identity: [{ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
    ] }],
    resource: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' },
        Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' },
    ] },
  },
};

/** The one request a row stands for, as the sweep documents it. */
function caseOf(s, row, crossAccount) {
  const c = structuredClone(s);
  c.request.action = row.action;
  if (row.scope === 'all_resources') {
    c.request.resource = '*';
    delete c.request.resource_account;
    delete c.policies.resource;
    if (crossAccount) delete c.policies.rcp;
    c.options = { ...(c.options ?? {}), resource_in_management_account: !!c.options?.caller_is_management_account };
  }
  return c;
}

function expected(s, row, crossAccount) {
  const e = iamtrace.evaluate(caseOf(s, row, crossAccount));
  if (e.undecided) return { decision: 'undecided', denied_by: e.undecided.most_restrictive.denied_by };
  return { decision: e.decision, denied_by: e.denied_by };
}

test('sweep returns one row per action with the counts, the catalog and the notes', () => {
  const r = iamtrace.sweep(reader, 's3');
  assert.deepEqual(Object.keys(r), ['catalog', 'service', 'resource', 'counts', 'notes', 'actions']);
  assert.equal(r.service, 's3');
  assert.equal(r.catalog, iamtrace.catalogVersion());
  assert.ok(r.actions.length > 100);
  const row = (name) => r.actions.find((a) => a.action === name);
  assert.deepEqual(row('s3:GetObject'), {
    action: 's3:GetObject', access_level: 'Read', decision: 'allowed', denied_by: null,
    resource: reader.request.resource, scope: 'case_resource', undecided: null, authorized_on: [],
  });
  assert.deepEqual([row('s3:DeleteObject').decision, row('s3:DeleteObject').denied_by], ['explicit_deny', 'identity']);
  assert.deepEqual([row('s3:GetObjectAcl').decision, row('s3:GetObjectAcl').denied_by], ['implicit_deny', 'resource']);
  assert.equal(row('s3:ListBucket').decision, 'not_applicable');
  assert.ok(row('s3:ListBucket').authorized_on.includes('bucket'));
  assert.deepEqual([row('s3:ListAllMyBuckets').decision, row('s3:ListAllMyBuckets').resource], ['allowed', '*']);
  const c = r.counts;
  assert.equal(c.total, r.actions.length);
  assert.equal(c.allowed + c.explicit_deny + c.implicit_deny + c.undecided + c.not_applicable, c.total);
  assert.ok(r.notes.some((n) => n.includes('AWS does not document')));
});

test('each row agrees with evaluate on its own request, on every gallery example', () => {
  let compared = 0;
  for (const [name, s] of scenarios('examples')) {
    const service = s.request.action.split(':')[0];
    const crossAccount = iamtrace.evaluate(s).cross_account;
    const r = iamtrace.sweep(JSON.stringify(s), service);
    for (const row of r.actions.filter((a) => a.decision !== 'not_applicable')) {
      assert.deepEqual({ decision: row.decision, denied_by: row.denied_by }, expected(s, row, crossAccount), `${name}: ${row.action}`);
      compared++;
    }
  }
  assert.ok(compared > 500, `${compared} rows compared`);
});

test('without a service the whole catalog is swept', () => {
  const r = iamtrace.sweep(reader);
  assert.equal(r.service, null);
  assert.ok(r.actions.length > 20000, `${r.actions.length} actions`);
  assert.equal(new Set(r.actions.map((a) => a.action)).size, r.actions.length);
  const describe = r.actions.find((a) => a.action === 'ec2:DescribeInstances');
  assert.deepEqual([describe.decision, describe.denied_by, describe.resource], ['implicit_deny', 'identity', '*']);
  assert.deepEqual(iamtrace.sweep(reader, null).counts, r.counts);
});

test('an undecided action carries both results', () => {
  const s = structuredClone(reader);
  s.policies.identity[0].Statement.push({ Effect: 'Deny', Action: 's3:Put*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } });
  const put = iamtrace.sweep(s, 's3').actions.find((a) => a.action === 's3:PutObject');
  assert.equal(put.decision, 'undecided');
  assert.deepEqual(put.undecided.most_restrictive, { decision: 'explicit_deny', denied_by: 'identity' });
  assert.equal(put.undecided.most_permissive.decision, 'implicit_deny');
});

test('sweep refuses an unknown service, a bad scenario and a service that is not a string', () => {
  assert.throws(() => iamtrace.sweep(reader, 's4'), (e) => e instanceof Error && /'s4' is not a service prefix.*did you mean 's3'/.test(e.message));
  assert.throws(() => iamtrace.sweep('{"request": ', 's3'), (e) => e instanceof Error && typeof e.line === 'number');
  assert.throws(() => iamtrace.sweep(reader, 3), (e) => e instanceof TypeError && /sweep: argument 2 \(service\) must be a string, got number/.test(e.message));
});
