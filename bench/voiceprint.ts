/**
 * Speaker-verification accuracy and speed of the voiceprint engine, through its public facade
 * (VoiceprintEngine.enroll / verify), so the numbers are for what ships.
 *
 *   npm run bench:voiceprint [-- <folder>] [--models dir] [--max-targets 400] [--max-impostors 400]
 *
 * <folder> holds <speaker>/<clip>.wav (8 or 16 kHz). Default: the evaluation speakers of the corpus
 * (`npm run corpus`, 16 kHz set; the split is in scripts/corpus/corpus-split.ts); the UBMs never saw them.
 *
 * Protocol, per speaker: the first 3 clips in name order that pass the enrolment quality gate are
 * the enrolment (a clip the engine calls inconsistent is replaced by the next one; both are
 * counted); every other clip of the speaker is a target trial (at most --max-targets, seeded
 * sample); clips of the other speakers are impostor trials (at most --max-impostors per model,
 * drawn round-robin over the other speakers from seeded shuffles). Conditions:
 *   clean        enrol and verify on the clean audio (16 kHz model for 16 kHz input);
 *   phone        enrol and verify over a simulated call: engine toTelephoneBand (8 kHz,
 *                300–3400 Hz), white noise at 20 dB SNR (seeded per clip), G.711 µ-law round trip;
 *   clean→phone  enrol on clean 16 kHz audio, verify over the simulated call (the 8 kHz twin).
 *
 * CAVEAT: the corpus is text-INDEPENDENT (every clip is a different sentence), whereas the engine
 * is designed text-dependent (one pass-phrase; a DTW score checks the phrase). The DTW half of the
 * fused score therefore carries little speaker information here, and these EERs are pessimistic
 * for the product's pass-phrase use.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Audio } from '../src/factors/voiceprint/audio/audio.ts';
import { mulberry32 } from '../src/factors/voiceprint/audio/prng.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../src/factors/voiceprint/audio/resample.ts';
import { decodeWav } from '../src/factors/voiceprint/audio/wav.ts';
import { checkQuality } from '../src/factors/voiceprint/quality/check-quality.ts';
import { DEFAULT_THRESHOLD, VoiceprintEngine, type EngineOptions, type Voiceprint, type VerifyResult } from '../src/factors/voiceprint/voiceprint-engine.ts';
import { equalErrorRate, frrAtFar, mean, quantile } from './support/speaker-metrics.ts';
import { corpusDir, EVALUATION_SPEAKERS } from '../scripts/corpus/corpus-split.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    models: { type: 'string' },
    'max-targets': { type: 'string', default: '400' },
    'max-impostors': { type: 'string', default: '400' },
    conditions: { type: 'string', default: 'clean,phone,clean→phone' },
    seed: { type: 'string', default: '1' },
    'snr-db': { type: 'string', default: '20' },
    /** Engine option overrides for tuning experiments (defaults: ENGINE_DEFAULTS). */
    relevance: { type: 'string' },
    'llr-weight': { type: 'string' },
  },
});
const MAX_TARGETS = Number(values['max-targets']);
const MAX_IMPOSTORS = Number(values['max-impostors']);
const SEED = Number(values.seed);
const SNR_DB = Number(values['snr-db']);
const CONDITIONS = values.conditions.split(',').map((c) => c.trim().replace('->', '→'));
type Condition = 'clean' | 'phone' | 'clean→phone';
if (![MAX_TARGETS, MAX_IMPOSTORS, SEED].every((n) => Number.isInteger(n) && n >= 0) || !CONDITIONS.every((c) => ['clean', 'phone', 'clean→phone'].includes(c))) {
  console.error('usage: npm run bench:voiceprint -- [folder] [--models dir] [--max-targets N] [--max-impostors N] [--conditions clean,phone,clean→phone] [--seed N]');
  process.exit(2);
}

interface Clip {
  speaker: string;
  name: string;
  audio: Audio;
  seconds: number;
  seed: number;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A simulated call leg: band-limit to 8 kHz telephone band, add noise at SNR_DB, G.711 µ-law. */
function overThePhone(clip: Clip): Audio {
  return g711RoundTrip(addNoise(toTelephoneBand(clip.audio), SNR_DB, clip.seed), 'ulaw');
}

// ---- data -------------------------------------------------------------------------------------
const folder = positionals[0] !== undefined ? resolve(positionals[0]) : join(corpusDir(), '16k');
if (!existsSync(folder)) {
  console.error(`No folder ${folder}. Run \`npm run corpus\` first, or pass a folder of <speaker>/<clip>.wav.`);
  process.exit(1);
}
let speakers = readdirSync(folder)
  .filter((s) => statSync(join(folder, s)).isDirectory())
  .sort();
if (positionals[0] === undefined) speakers = speakers.filter((s) => EVALUATION_SPEAKERS.includes(s));
const clipsBySpeaker = new Map<string, Clip[]>();
for (const speaker of speakers) {
  const files = readdirSync(join(folder, speaker))
    .filter((f) => f.endsWith('.wav'))
    .sort();
  clipsBySpeaker.set(
    speaker,
    files.map((name) => {
      const audio = decodeWav(new Uint8Array(readFileSync(join(folder, speaker, name))));
      return { speaker, name, audio, seconds: audio.samples.length / audio.sampleRate, seed: hash(`${SEED}/${speaker}/${name}`) };
    }),
  );
}
if (speakers.length < 3) {
  console.error(`Need ≥ 3 speakers for impostor trials; ${folder} has ${speakers.length}.`);
  process.exit(1);
}

const loaded = values.models !== undefined ? await VoiceprintEngine.load(resolve(values.models)) : await VoiceprintEngine.load();
const overrides = {
  ...(values.relevance !== undefined ? { relevance: Number(values.relevance) } : {}),
  ...(values['llr-weight'] !== undefined ? { weights: { llr: Number(values['llr-weight']), dtw: 1 - Number(values['llr-weight']) } } : {}),
};
const engine = Object.keys(overrides).length > 0 ? new VoiceprintEngine(loaded.models, overrides as unknown as Partial<EngineOptions>) : loaded;
if (Object.keys(overrides).length > 0) console.log(`engine option overrides: ${JSON.stringify(overrides)}`);
const cohortSizes = [16000, 8000].map((r) => `${r / 1000} kHz: ${engine.models.cohort?.[r as 16000 | 8000]?.length ?? 0}`).join(', ');

console.log(`# Voiceprint benchmark\n`);
console.log(`folder: ${folder}`);
console.log(`engine: UBM 16 kHz ${engine.models.ubm16k.components}×${engine.models.ubm16k.dims}, 8 kHz ${engine.models.ubm8k.components}×${engine.models.ubm8k.dims}; T-norm cohort models ${cohortSizes}`);
console.log(`cpu: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}`);
console.log(`speakers: ${speakers.map((s) => `${s} (${clipsBySpeaker.get(s)!.length} clips)`).join(', ')}`);
console.log('NOTE: text-INDEPENDENT data (every clip a different sentence) on an engine designed text-dependent (pass-phrase + DTW);');
console.log('      expect worse numbers than with a fixed pass-phrase.\n');

// ---- trials -----------------------------------------------------------------------------------
interface ModelPlan {
  speaker: string;
  enrol: Clip[];
  targets: Clip[];
  impostors: Clip[];
  enrolQualitySkipped: number;
  enrolInconsistentSkipped: number;
}

interface ConditionResult {
  condition: Condition;
  models: number;
  failedEnrolments: string[];
  gateOn: { targets: number[]; impostors: number[] };
  gateOff: { targets: number[]; impostors: number[] };
  /** Diagnostics: the two halves of the fused score, every trial. */
  llr: { targets: number[]; impostors: number[] };
  dtw: { targets: number[]; impostors: number[] };
  rejected: { targets: number; impostors: number; reasons: Map<string, number> };
  enrolMsPerUtterance: number[];
  verifyMs: number[];
  verifyCpuMs3s: number[];
  enrolQualitySkipped: number;
  enrolInconsistentSkipped: number;
}

function enrolAudio(condition: Condition, clip: Clip): Audio {
  return condition === 'phone' ? overThePhone(clip) : clip.audio;
}
function testAudio(condition: Condition, clip: Clip): Audio {
  return condition === 'clean' ? clip.audio : overThePhone(clip);
}

/** Enrols from the first clips (name order) that pass the gate; replaces clips flagged inconsistent. */
function enrolSpeaker(condition: Condition, clips: readonly Clip[]): { voiceprint?: Voiceprint; used: Clip[]; qualitySkipped: number; inconsistentSkipped: number; msPerUtterance: number } {
  let qualitySkipped = 0;
  let inconsistentSkipped = 0;
  const pool = [...clips];
  const chosen: Clip[] = [];
  let attempts = 0;
  while (attempts++ < 20) {
    while (chosen.length < 3) {
      const next = pool.shift();
      if (next === undefined) return { used: chosen, qualitySkipped, inconsistentSkipped, msPerUtterance: Number.NaN };
      if (!checkQuality(enrolAudio(condition, next), 'enroll').ok) {
        qualitySkipped++;
        continue;
      }
      chosen.push(next);
    }
    const audios = chosen.map((c) => enrolAudio(condition, c));
    const started = performance.now();
    const result = engine.enroll(audios);
    const ms = performance.now() - started;
    if (result.ok) return { voiceprint: result.voiceprint, used: chosen, qualitySkipped, inconsistentSkipped, msPerUtterance: ms / 3 };
    const bad = new Set(result.recordings.filter((r) => r.problems.length > 0).map((r) => r.index));
    for (const i of [...bad].sort((a, b) => b - a)) {
      chosen.splice(i, 1);
      inconsistentSkipped++;
    }
  }
  return { used: chosen, qualitySkipped, inconsistentSkipped, msPerUtterance: Number.NaN };
}

function runCondition(condition: Condition): ConditionResult {
  const result: ConditionResult = {
    condition,
    models: 0,
    failedEnrolments: [],
    gateOn: { targets: [], impostors: [] },
    gateOff: { targets: [], impostors: [] },
    llr: { targets: [], impostors: [] },
    dtw: { targets: [], impostors: [] },
    rejected: { targets: 0, impostors: 0, reasons: new Map() },
    enrolMsPerUtterance: [],
    verifyMs: [],
    verifyCpuMs3s: [],
    enrolQualitySkipped: 0,
    enrolInconsistentSkipped: 0,
  };
  const plans: ModelPlan[] = [];
  for (const speaker of speakers) {
    const clips = clipsBySpeaker.get(speaker)!;
    const enrolment = enrolSpeaker(condition, clips);
    result.enrolQualitySkipped += enrolment.qualitySkipped;
    result.enrolInconsistentSkipped += enrolment.inconsistentSkipped;
    if (!enrolment.voiceprint) {
      result.failedEnrolments.push(speaker);
      continue;
    }
    result.enrolMsPerUtterance.push(enrolment.msPerUtterance);
    const enrolled = new Set(enrolment.used);
    const targets = shuffled(
      clips.filter((c) => !enrolled.has(c)),
      hash(`${SEED}/targets/${speaker}`),
    ).slice(0, MAX_TARGETS);
    const others = speakers.filter((s) => s !== speaker).map((s) => shuffled(clipsBySpeaker.get(s)!, hash(`${SEED}/impostors/${speaker}/${s}`)));
    const impostors: Clip[] = [];
    for (let round = 0; impostors.length < MAX_IMPOSTORS && others.some((o) => o.length > round); round++) {
      for (const list of others) if (list[round] !== undefined && impostors.length < MAX_IMPOSTORS) impostors.push(list[round]!);
    }
    plans.push({ speaker, enrol: enrolment.used, targets, impostors, enrolQualitySkipped: enrolment.qualitySkipped, enrolInconsistentSkipped: enrolment.inconsistentSkipped });
    result.models++;
    for (const [kind, trials] of [['targets', targets], ['impostors', impostors]] as const) {
      for (const clip of trials) {
        const audio = testAudio(condition, clip);
        const cpu = process.cpuUsage();
        const started = performance.now();
        const verdict: VerifyResult = engine.verify(enrolment.voiceprint, audio);
        const wall = performance.now() - started;
        const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
        result.verifyMs.push(wall);
        if (clip.seconds >= 2.5 && clip.seconds <= 3.5) result.verifyCpuMs3s.push(cpuMs);
        result.gateOff[kind].push(verdict.score);
        result.llr[kind].push(verdict.components.llrNorm);
        result.dtw[kind].push(verdict.components.dtwNorm);
        if (verdict.decision === 'rejected') {
          result.rejected[kind]++;
          for (const reason of verdict.reasons) result.rejected.reasons.set(reason, (result.rejected.reasons.get(reason) ?? 0) + 1);
        } else {
          result.gateOn[kind].push(verdict.score);
        }
      }
    }
  }
  return result;
}

// ---- report -----------------------------------------------------------------------------------
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function metrics(targets: number[], impostors: number[]): { eer: string; threshold: string; frr1: string; frr01: string } {
  if (targets.length === 0 || impostors.length === 0) return { eer: '—', threshold: '—', frr1: '—', frr01: '—' };
  const { eer, threshold } = equalErrorRate(targets, impostors);
  const at1 = frrAtFar(targets, impostors, 0.01);
  const at01 = frrAtFar(targets, impostors, 0.001);
  // Rule of 30 (§3.4): a FAR of p is only resolved with ≥ 1/p impostor trials, and only
  // trustworthy (±30 %) with ≥ 30/p. Below 1/p the 0.1 % point is "FAR = 0", i.e. not meaningful.
  const note01 = impostors.length < 1000 ? ` (n/m: ${impostors.length} impostor trials < 1000)` : impostors.length < 30_000 ? ' (indicative: < 30 false accepts possible)' : '';
  return {
    eer: pct(eer),
    threshold: threshold.toFixed(3),
    frr1: `${pct(at1.frr)}${impostors.length < 3000 ? ' (indicative)' : ''}`,
    frr01: `${pct(at01.frr)}${note01}`,
  };
}

const results: ConditionResult[] = [];
for (const condition of CONDITIONS as Condition[]) {
  const started = performance.now();
  const r = runCondition(condition);
  results.push(r);
  console.log(
    `${condition}: ${r.models} models, ${r.gateOff.targets.length} target + ${r.gateOff.impostors.length} impostor trials, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s` +
      (r.failedEnrolments.length > 0 ? `; enrolment failed for ${r.failedEnrolments.join(', ')}` : ''),
  );
}

console.log('\n## Accuracy\n');
console.log('| condition | gate | models | target trials | impostor trials | rejected by gate (tar / imp) | EER | EER threshold | FRR @ FAR 1 % | FRR @ FAR 0.1 % |');
console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of results) {
  for (const gate of ['on', 'off'] as const) {
    const set = gate === 'on' ? r.gateOn : r.gateOff;
    const m = metrics(set.targets, set.impostors);
    const rejected = gate === 'on' ? `${r.rejected.targets} / ${r.rejected.impostors}` : 'scored anyway';
    console.log(`| ${r.condition} | ${gate} | ${r.models} | ${set.targets.length} | ${set.impostors.length} | ${rejected} | ${m.eer} | ${m.threshold} | ${m.frr1} | ${m.frr01} |`);
  }
}
for (const r of results) {
  if (r.gateOff.targets.length === 0 || r.gateOff.impostors.length === 0) continue;
  const at5 = frrAtFar(r.gateOff.targets, r.gateOff.impostors, 0.05);
  const fixed = (t: number[], i: number[], th: number): string => `FRR ${pct(t.filter((s) => s < th).length / t.length)}, FAR ${pct(i.filter((s) => s >= th).length / i.length)}`;
  console.log(`${r.condition}: θ for FAR ≤ 5 % = ${at5.threshold.toFixed(3)} (FRR ${pct(at5.frr)}); at DEFAULT_THRESHOLD ${DEFAULT_THRESHOLD}: ${fixed(r.gateOff.targets, r.gateOff.impostors, DEFAULT_THRESHOLD)}`);
}
console.log('\ngate on: trials the engine rejects (quality or replay) are left out of the error rates and counted in');
console.log('"rejected"; gate off: the fused score the engine computed anyway is used for every trial.');
for (const r of results) {
  const reasons = [...r.rejected.reasons].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  console.log(`${r.condition}: gate reasons: ${reasons}; enrolment clips skipped by the quality gate ${r.enrolQualitySkipped}, replaced as inconsistent ${r.enrolInconsistentSkipped}`);
}

console.log('\nDiagnostics (not what ships; every trial): EER of each half of the fused score.\n');
console.log('| condition | GMM-UBM LLR (normalised) EER | DTW EER |');
console.log('|---|--:|--:|');
for (const r of results) console.log(`| ${r.condition} | ${metrics(r.llr.targets, r.llr.impostors).eer} | ${metrics(r.dtw.targets, r.dtw.impostors).eer} |`);

console.log('\nDiagnostics: EER of w·llrNorm + (1 − w)·dtwNorm (parts as clamped by the engine) for other fusion weights w.\n');
const SWEEP = [0.5, 0.6, 0.7, 0.8, 0.9, 1];
console.log(`| condition | ${SWEEP.map((w) => `w = ${w}`).join(' | ')} |`);
console.log(`|---|${SWEEP.map(() => '--:').join('|')}|`);
for (const r of results) {
  const fuse = (llr: number[], dtw: number[], w: number): number[] => llr.map((l, i) => w * l + (1 - w) * dtw[i]!);
  const cells = SWEEP.map((w) => metrics(fuse(r.llr.targets, r.dtw.targets, w), fuse(r.llr.impostors, r.dtw.impostors, w)).eer);
  console.log(`| ${r.condition} | ${cells.join(' | ')} |`);
}

console.log('\n## Speed (this machine, one thread)\n');
console.log('| condition | enrol ms / utterance (mean) | verify ms (mean) | verify ms (p95) | verify CPU ms, 2.5–3.5 s utterances (mean, n) |');
console.log('|---|--:|--:|--:|--:|');
for (const r of results) {
  console.log(
    `| ${r.condition} | ${mean(r.enrolMsPerUtterance).toFixed(1)} | ${mean(r.verifyMs).toFixed(1)} | ${quantile(r.verifyMs, 0.95).toFixed(1)} | ${mean(r.verifyCpuMs3s).toFixed(1)} (${r.verifyCpuMs3s.length}) |`,
  );
}
console.log('\nTargets (issue): EER ≤ 5 % clean, ≤ 10 % phone band; verification < 50 ms CPU for a 3-second utterance.');
