/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): the functions with the most
 * self time, and the most inclusive time, optionally restricted to a window of the run.
 *
 *   npx tsx bench/cpuprofile-top.ts PROFILE.cpuprofile [--from US --to US] [--top 30] [--match TEXT]
 *
 * --from/--to are CLOCK_MONOTONIC microseconds, as `--json` of bench/verify.ts records for each
 * phase (monoStartUs/monoEndUs) and as V8 stamps profile samples on Linux. --phase NAME with
 * --results FILE picks the window of that phase from the bench JSON.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    top: { type: 'string', default: '30' },
    match: { type: 'string' },
    results: { type: 'string' },
    phase: { type: 'string' },
    database: { type: 'string' },
  },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: cpuprofile-top.ts PROFILE.cpuprofile [--from US --to US | --results bench.json --phase check] [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
let from = values.from ? Number(values.from) : -Infinity;
let to = values.to ? Number(values.to) : Infinity;
if (values.results && values.phase) {
  const results = JSON.parse(readFileSync(values.results, 'utf8')) as { runs: Array<{ database: string; phases: Array<{ name: string; monoStartUs: number; monoEndUs: number }> }> };
  const run = results.runs.find((r) => !values.database || r.database === values.database);
  const phase = run?.phases.find((p) => p.name.startsWith(values.phase as string));
  if (!phase) throw new Error(`no phase ${values.phase} in ${values.results}`);
  from = phase.monoStartUs;
  to = phase.monoEndUs;
}
const top = Number(values.top);

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}

const label = (f: CallFrame): string => {
  const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/src\//, 'src/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < from || t > to) continue;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const id = profile.samples[i] as number;
  const node = byId.get(id);
  if (!node) continue;
  const name = node.callFrame.functionName;
  if (name === '(idle)') continue;
  total += dt;
  const l = label(node.callFrame);
  self.set(l, (self.get(l) ?? 0) + dt);
  const area = areaOf(node.callFrame);
  byArea.set(area, (byArea.get(area) ?? 0) + dt);
  // Inclusive: every distinct frame on the stack.
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const frame = byId.get(n);
    if (!frame) break;
    const fl = label(frame.callFrame);
    if (seen.has(fl)) continue;
    seen.add(fl);
    inclusive.set(fl, (inclusive.get(fl) ?? 0) + dt);
  }
}

function areaOf(f: CallFrame): string {
  const url = f.url;
  if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native/builtin)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `nm:${nm[1]}`;
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  const src = /\/src\/(.*)$/.exec(url);
  if (src) return `src/${src[1]}`;
  return url;
}

const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
const list = (m: Map<string, number>, n: number, filter?: string) =>
  [...m.entries()]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
    .join('\n');

process.stdout.write(`busy samples ${(total / 1000).toFixed(0)} ms (idle excluded)\n\n== self time by area ==\n${list(byArea, top)}\n\n== self time ==\n${list(self, top, values.match)}\n\n== inclusive time ==\n${list(inclusive, top, values.match)}\n`);
