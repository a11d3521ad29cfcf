/**
 * Builds the speech corpus used to train and evaluate the voiceprint factor.
 *
 *   npm run corpus                      # cache in $VERITY_CORPUS_DIR or ~/.cache/verity-corpus
 *
 * 1. `apt-get download` the Debian packages of CORPUS_PACKAGES (no root needed) into <cache>/debs;
 * 2. `dpkg -x` each into <cache>/root/<package>;
 * 3. picks the spoken clips and their speaker (corpus-sources.ts), drops duplicates and clips shorter
 *    than 1.0 s or longer than 15 s;
 * 4. converts every clip with sox (one process per CPU) to mono 16-bit WAV, peak-normalised to −3 dBFS:
 *      <cache>/16k/<speaker>/<clip>.wav   16 kHz, for sources recorded above 8 kHz (not Asterisk);
 *      <cache>/8k/<speaker>/<clip>.wav    8 kHz, telephone band (sinc 300-3400) for every source;
 *    and, for held-out speakers (evaluation and dev), their recording chains, full band at 8 kHz:
 *      <cache>/chains/<chain>/<speaker>/<clip>.wav   chain 8k (the clip as an 8 kHz recording), gsm, alaw,
 *                                                    g722 (16 kHz; decoded by g722.ts, then sox);
 * 5. writes <cache>/manifest.json (speakers, roles, languages, clip counts, seconds, packages, licences, the split).
 *
 * Idempotent: downloaded packages, unpacked trees and converted clips are reused; clips that are no
 * longer selected are removed. sox must read ogg and gsm (Debian: `apt-get install sox libsox-fmt-all`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import { CORPUS_PACKAGES, MIN_MINOR_CLIPS, type Candidate } from './corpus-sources.ts';
import { decodeG722 } from './g722.ts';
import { corpusDir, EXCLUDED_SPEAKERS, isHeldOut, speakerRole, type CorpusManifest, type RecordingChain } from './corpus-split.ts';
import { mapPool, runProcess } from './run-process.ts';

const MIN_SECONDS = 1.0;
const MAX_SECONDS = 15.0;
const RATES = { '16k': 16_000, '8k': 8_000 } as const;
type RateKey = keyof typeof RATES;
/** An output: a rate of the corpus proper, or a recording chain of a held-out speaker. */
type OutputKind = RateKey | `chain:${RecordingChain}`;

class CorpusError extends Error {}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Fails early, with the fix, when a tool or a sox format handler is missing. */
async function checkTools(): Promise<string> {
  for (const tool of ['apt-get', 'dpkg', 'sox', 'soxi']) {
    const found = await runProcess('sh', ['-c', `command -v ${tool}`]);
    if (found.code !== 0) throw new CorpusError(`${tool} not found. On Debian/Ubuntu: sudo apt-get install sox libsox-fmt-all`);
  }
  const help = await runProcess('sox', ['-h']);
  const formats = /AUDIO FILE FORMATS:(.*)/.exec(help.stdout)?.[1]?.trim().split(/\s+/) ?? [];
  const missing = ['ogg', 'gsm', 'wav'].filter((f) => !formats.includes(f));
  if (missing.length > 0) {
    throw new CorpusError(`sox cannot read ${missing.join(', ')}: install the format handlers with  sudo apt-get install libsox-fmt-all`);
  }
  return (await runProcess('sox', ['--version'])).stdout.trim().replace(/^sox:\s*/, '');
}

/** <cache>/debs/<name>_<version>_<arch>.deb for every package, downloading the missing ones. */
async function downloadPackages(debDir: string): Promise<Map<string, string>> {
  mkdirSync(debDir, { recursive: true });
  const find = (name: string): string | undefined => readdirSync(debDir).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  const missing = CORPUS_PACKAGES.map((p) => p.name).filter((name) => find(name) === undefined);
  if (missing.length > 0) {
    log(`downloading ${missing.join(', ')}`);
    const scratch = mkdtempSync(join(tmpdir(), 'verity-corpus-'));
    try {
      const result = await runProcess('apt-get', ['download', ...missing], { cwd: scratch });
      if (result.code !== 0) {
        throw new CorpusError(
          `apt-get download failed (exit ${result.code}):\n${result.stderr.trim()}\n` +
            'Check that Debian main is in the apt sources and run `sudo apt-get update`.',
        );
      }
      for (const file of readdirSync(scratch)) if (file.endsWith('.deb')) copyFileSync(join(scratch, file), join(debDir, file));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const debs = new Map<string, string>();
  for (const { name } of CORPUS_PACKAGES) {
    const deb = find(name);
    if (deb === undefined) throw new CorpusError(`${name}: no .deb after apt-get download`);
    debs.set(name, deb);
  }
  return debs;
}

/** `dpkg -x` each package into <cache>/root/<name>; a marker naming the .deb makes it idempotent. */
async function unpackPackages(debDir: string, rootDir: string, debs: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const roots = new Map<string, string>();
  for (const [name, deb] of debs) {
    const root = join(rootDir, name);
    const marker = join(root, '.unpacked');
    if (!existsSync(marker) || readFileSync(marker, 'utf8') !== deb) {
      log(`unpacking ${deb}`);
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      const result = await runProcess('dpkg', ['-x', join(debDir, deb), root]);
      if (result.code !== 0) throw new CorpusError(`dpkg -x ${deb} failed: ${result.stderr.trim()}`);
      writeFileSync(marker, deb);
    }
    roots.set(name, root);
  }
  return roots;
}

/** Source durations from `soxi -D`, cached in <cache>/durations.json (the sources never change). */
async function measureDurations(cache: string, candidates: readonly Candidate[], jobs: number): Promise<Map<string, number>> {
  const file = join(cache, 'durations.json');
  const known = new Map<string, number>(
    (existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : []).filter(([, s]) => s > 0),
  );
  const todo = candidates.filter((c) => !known.has(c.path));
  if (todo.length > 0) log(`measuring ${todo.length} clips`);
  const results = await mapPool(todo, jobs, async (c) => {
    if (/\.gsm$/i.test(c.path)) return gsmSeconds(c.path);
    if (/\.alaw$/i.test(c.path)) return statSync(c.path).size / 8000;
    const r = await runProcess('soxi', ['-D', c.path]);
    const seconds = Number(r.stdout.trim());
    if (r.code !== 0 || !Number.isFinite(seconds)) throw new Error(`soxi ${c.path}: ${r.stderr.trim()}`);
    return seconds;
  });
  results.forEach((r, i) => {
    if (r instanceof Error) log(`  warning: ${r.message}`);
    else known.set((todo[i] as Candidate).path, r);
  });
  writeFileSync(file, JSON.stringify(Object.fromEntries(known)));
  return known;
}

/**
 * Raw GSM 06.10 has no header, so `soxi -D` says 0: each 33-byte frame holds 160 samples at 8 kHz.
 */
function gsmSeconds(path: string): number {
  return (Math.floor(statSync(path).size / 33) * 160) / 8000;
}

/** The sox effect chain for one output. */
function soxArgs(source: string, target: string, kind: OutputKind): string[] {
  // -R: repeatable dither; remix -: mix to mono; gain -n -3: peak at −3 dBFS (level normalisation).
  // Raw A-law has no header and no extension sox knows.
  const input = /\.alaw$/i.test(source) ? ['-t', 'al', '-r', '8000', '-c', '1', source] : [source];
  const band = kind === '8k' ? ['sinc', '300-3400'] : [];
  const rate = kind === '16k' || kind === 'chain:g722' ? RATES['16k'] : RATES['8k'];
  return ['-R', '-V1', ...input, '-b', '16', '-e', 'signed-integer', target, 'remix', '-', ...band, 'rate', '-v', String(rate), 'gain', '-n', '-3'];
}

function outputPath(cache: string, kind: OutputKind, speaker: string, clip: string): string {
  const folder = kind.startsWith('chain:') ? join(cache, 'chains', kind.slice('chain:'.length)) : join(cache, kind);
  return join(folder, speaker, `${clip}.wav`);
}

interface Job {
  readonly clip: Candidate;
  readonly kind: OutputKind;
  readonly target: string;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

async function main(): Promise<void> {
  const started = performance.now();
  const cache = corpusDir();
  const jobs = availableParallelism();
  log(`corpus cache: ${cache}`);
  const sox = await checkTools();
  const debDir = join(cache, 'debs');
  const debs = await downloadPackages(debDir);
  const roots = await unpackPackages(debDir, join(cache, 'root'), debs);

  // Collect, then drop exact duplicates (fillets-ng reuses some files across levels).
  const dropped: Record<string, number> = { nonSpeech: 0, duplicate: 0, tooShort: 0, tooLong: 0, unreadable: 0, smallSpeaker: 0, conversionFailed: 0 };
  const all: Candidate[] = [];
  /** Other recording chains of a clip: `<speaker>/<clip>` → chain → candidate. */
  const chainsOf = new Map<string, Map<RecordingChain, Candidate>>();
  const seen = new Set<string>();
  for (const pkg of CORPUS_PACKAGES) {
    const { candidates, nonSpeech } = pkg.collect(roots);
    if (candidates.every((c) => c.chain === undefined)) dropped.nonSpeech = (dropped.nonSpeech ?? 0) + nonSpeech;
    for (const c of candidates) {
      if (c.chain !== undefined) {
        const key = `${c.speaker}/${c.clip}`;
        const map = chainsOf.get(key) ?? new Map<RecordingChain, Candidate>();
        map.set(c.chain as RecordingChain, c);
        chainsOf.set(key, map);
        continue;
      }
      const key = `${c.speaker}:${createHash('sha256').update(readFileSync(c.path)).digest('hex')}`;
      if (seen.has(key)) {
        dropped.duplicate = (dropped.duplicate ?? 0) + 1;
        continue;
      }
      seen.add(key);
      all.push(c);
    }
  }

  const durations = await measureDurations(cache, all, jobs);
  const bySpeaker = new Map<string, { clips: Candidate[]; seconds: number }>();
  for (const c of all) {
    const seconds = durations.get(c.path);
    if (seconds === undefined) dropped.unreadable = (dropped.unreadable ?? 0) + 1;
    else if (seconds < MIN_SECONDS) dropped.tooShort = (dropped.tooShort ?? 0) + 1;
    else if (seconds > MAX_SECONDS) dropped.tooLong = (dropped.tooLong ?? 0) + 1;
    else {
      const entry = bySpeaker.get(c.speaker) ?? { clips: [], seconds: 0 };
      entry.clips.push(c);
      entry.seconds += seconds;
      bySpeaker.set(c.speaker, entry);
    }
  }
  for (const [speaker, { clips }] of bySpeaker) {
    if (clips[0]?.minorCharacter === true && clips.length < MIN_MINOR_CLIPS) {
      dropped.smallSpeaker = (dropped.smallSpeaker ?? 0) + clips.length;
      bySpeaker.delete(speaker);
    }
  }

  // Convert what is missing; remove outputs that are no longer selected.
  const expected = new Set<string>();
  const todo: Job[] = [];
  for (const { clips } of bySpeaker.values()) {
    for (const clip of clips) {
      const outputs: Array<{ kind: OutputKind; source: Candidate }> = (clip.telephoneOnly ? (['8k'] as const) : (['16k', '8k'] as const)).map((kind) => ({ kind, source: clip }));
      if (isHeldOut(clip.speaker)) {
        outputs.push({ kind: 'chain:8k', source: clip });
        for (const [chain, source] of chainsOf.get(`${clip.speaker}/${clip.clip}`) ?? []) outputs.push({ kind: `chain:${chain}`, source });
      }
      for (const { kind, source } of outputs) {
        const target = outputPath(cache, kind, clip.speaker, clip.clip);
        expected.add(target);
        if (!existsSync(target) || statSync(target).size <= 44) todo.push({ clip: source, kind, target });
      }
    }
  }
  let removed = 0;
  const chainsRoot = join(cache, 'chains');
  const outputDirs = [...Object.keys(RATES).map((rate) => join(cache, rate)), ...(existsSync(chainsRoot) ? readdirSync(chainsRoot).map((c) => join(chainsRoot, c)) : [])];
  for (const rateDir of outputDirs) {
    if (!existsSync(rateDir)) continue;
    for (const speaker of readdirSync(rateDir)) {
      for (const file of readdirSync(join(rateDir, speaker))) {
        if (!expected.has(join(rateDir, speaker, file))) {
          rmSync(join(rateDir, speaker, file), { force: true });
          removed++;
        }
      }
      if (readdirSync(join(rateDir, speaker)).length === 0) rmSync(join(rateDir, speaker), { recursive: true });
    }
  }
  if (removed > 0) log(`removed ${removed} outputs that are no longer selected`);
  if (todo.length > 0) log(`converting ${todo.length} clips with ${jobs} sox processes`);
  let done = 0;
  const outcomes = await mapPool(todo, jobs, async ({ clip, kind, target }) => {
    mkdirSync(join(target, '..'), { recursive: true });
    const partial = `${target.slice(0, -4)}.partial.wav`;
    // sox cannot read G.722: decode it here into a 16 kHz WAV that sox then normalises.
    const decoded = /\.g722$/i.test(clip.path) ? `${target.slice(0, -4)}.g722.wav` : undefined;
    if (decoded !== undefined) writeFileSync(decoded, encodeWav({ sampleRate: 16_000, samples: decodeG722(new Uint8Array(readFileSync(clip.path))) }));
    const r = await runProcess('sox', soxArgs(decoded ?? clip.path, partial, kind));
    if (decoded !== undefined) rmSync(decoded, { force: true });
    if (r.code !== 0) {
      rmSync(partial, { force: true });
      throw new Error(`sox ${clip.path} → ${kind}: ${r.stderr.trim()}`);
    }
    renameSync(partial, target);
    if (++done % 500 === 0) log(`  ${done}/${todo.length}`);
  });
  const failed = new Set<string>();
  outcomes.forEach((o, i) => {
    if (o instanceof Error) {
      log(`  error: ${o.message}`);
      const job = todo[i] as Job;
      if (job.clip.chain === undefined && job.kind !== 'chain:8k') failed.add(`${job.clip.speaker}/${job.clip.clip}`);
      else rmSync(job.target, { force: true });
    }
  });
  dropped.conversionFailed = failed.size;

  // Manifest and summary.
  const packages: CorpusManifest['packages'] = {};
  for (const pkg of CORPUS_PACKAGES) {
    const root = roots.get(pkg.name) ?? '';
    const copyrightFile = join(root, 'usr/share/doc', pkg.name, 'copyright');
    const text = existsSync(copyrightFile) ? readFileSync(copyrightFile, 'utf8') : '';
    const deb = debs.get(pkg.name) ?? '';
    packages[pkg.name] = {
      version: decodeURIComponent(deb.split('_')[1] ?? '?'),
      licence: pkg.licence,
      licenceChecked: text.includes(pkg.licenceEvidence),
      copyrightFile: `/usr/share/doc/${pkg.name}/copyright`,
      description: pkg.description,
    };
  }
  const speakers: CorpusManifest['speakers'] = {};
  for (const [speaker, { clips, seconds }] of [...bySpeaker].sort(([a], [b]) => a.localeCompare(b))) {
    const ok = clips.filter((c) => !failed.has(`${c.speaker}/${c.clip}`));
    const first = clips[0] as Candidate;
    const chains: Partial<Record<RecordingChain, number>> = {};
    if (isHeldOut(speaker)) {
      for (const chain of ['8k', 'gsm', 'alaw', 'g722'] as const) {
        const count = ok.filter((c) => existsSync(outputPath(cache, `chain:${chain}`, speaker, c.clip))).length;
        if (count > 0) chains[chain] = count;
      }
    }
    speakers[speaker] = {
      role: speakerRole(speaker),
      pkg: first.pkg,
      licence: packages[first.pkg]?.licence ?? '?',
      language: first.language,
      rates: first.telephoneOnly ? ['8k'] : ['16k', '8k'],
      chains,
      clips: ok.length,
      seconds: Math.round(ok.reduce((s, c) => s + (durations.get(c.path) ?? 0), 0) * 10) / 10 || Math.round(seconds),
    };
  }
  const ids = Object.keys(speakers);
  const manifest: CorpusManifest = {
    generatedBy: 'npm run corpus (scripts/corpus/build-corpus.ts)',
    generatedAt: new Date().toISOString(),
    sox,
    layout: '<cache>/16k/<speaker>/<clip>.wav (16 kHz) and <cache>/8k/<speaker>/<clip>.wav (8 kHz, 300-3400 Hz); mono, 16-bit, peak −3 dBFS',
    clipRules: `spoken clips only, ${MIN_SECONDS}–${MAX_SECONDS} s, exact duplicates removed, minor characters with ≥ ${MIN_MINOR_CLIPS} clips`,
    packages,
    split: {
      ubm: ids.filter((s) => speakerRole(s) === 'ubm'),
      dev: ids.filter((s) => speakerRole(s) === 'dev'),
      evaluation: ids.filter((s) => speakerRole(s) === 'evaluation'),
      excluded: { ...EXCLUDED_SPEAKERS },
    },
    speakers,
    dropped,
  };
  writeFileSync(join(cache, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  log('');
  log('| speaker | role | language | package | rates | chains | clips | minutes | licence |');
  log('|---|---|---|---|---|---|--:|--:|---|');
  let totalClips = 0;
  let totalSeconds = 0;
  for (const [id, s] of Object.entries(speakers)) {
    totalClips += s.clips;
    totalSeconds += s.seconds;
    const chains = Object.entries(s.chains).map(([c, n]) => `${c} ${n}`).join(', ') || '—';
    log(`| ${id} | ${s.role} | ${s.language} | ${s.pkg} | ${s.rates.join('+')} | ${chains} | ${s.clips} | ${(s.seconds / 60).toFixed(1)} | ${s.licence} |`);
  }
  log(`| **total** (${ids.length} speakers) | | | | | | ${totalClips} | ${(totalSeconds / 60).toFixed(1)} | |`);
  log('');
  for (const role of ['ubm', 'dev', 'evaluation'] as const) {
    const list = Object.entries(speakers).filter(([, s]) => s.role === role);
    const sec = list.reduce((a, [, s]) => a + s.seconds, 0);
    log(`${pad(role, 10)} ${list.length} speakers, ${list.reduce((a, [, s]) => a + s.clips, 0)} clips, ${(sec / 60).toFixed(1)} min`);
  }
  log(`dropped: ${Object.entries(dropped).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const [name, p] of Object.entries(packages)) {
    if (!p.licenceChecked) log(`warning: licence of ${name} not confirmed in its copyright file; check ${p.copyrightFile}`);
  }
  log(`manifest: ${join(cache, 'manifest.json')}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (failed.size > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof CorpusError ? `corpus: ${error.message}` : error);
  process.exit(1);
});
