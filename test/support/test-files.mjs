// The test files `npm test` hands to `node --test`, one per line, longest first (plain node, no tsx:
// it runs before the suite). node --test starts one process per file, and on Node 20 (no
// --experimental-test-isolation=none) every process that starts a Verity loads the whole app through
// tsx again (~3 s of CPU on 2 cores). So the files named in a test/groups/*.test.ts (one
// `import '../x/y.test.ts';` a line) run inside that group's process instead, and are left out here.
// A grouped file must not use top-level beforeEach/afterEach or change process-wide state (umask,
// env, cwd): its neighbours in the group would see it. Every other *.test.ts runs on its own.
// Order: longest first, so a long file never starts last (LPT scheduling): the files and groups
// that took longest in the full run of 2026-12-06, then the slow folders, then the rest (the
// unit-test groups test/groups/units-* take a few seconds each and go with the rest).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// test/integration/ holds only the long files left out of the groups (lock-out races, operations, voice).
const FIRST = [
  'test/interop/sip-calls.test.ts',
  'test/cluster/kill-node.test.ts',
  'test/groups/handoff-a.test.ts',
  'test/interop/sip-signalling.test.ts',
  'test/store/store-contract.test.ts',
  'test/integration/lockout-races.test.ts',
  'test/groups/integration-b.test.ts',
  'test/authenticator/authenticator-e2e.test.ts',
  'test/groups/',
  'test/integration/',
  'test/browser/',
  'test/store/',
  'test/authenticator/',
  'demo/',
];
const SHORT_GROUPS = 'test/groups/units-';

function testFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const all = ['src', 'test', 'demo'].flatMap(testFiles).sort();
const grouped = new Set();
for (const group of all.filter((f) => f.startsWith('test/groups/'))) {
  for (const [, target] of readFileSync(join(root, group), 'utf8').matchAll(/^import '(\.[^']+\.test\.ts)';$/gm)) {
    grouped.add(relative(root, join(root, dirname(group), target)));
  }
}
const rank = (file) => {
  const i = file.startsWith(SHORT_GROUPS) ? -1 : FIRST.findIndex((prefix) => file.startsWith(prefix));
  return i === -1 ? FIRST.length : i;
};
const files = all.filter((f) => !grouped.has(f)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
process.stdout.write(files.join('\n') + '\n');
