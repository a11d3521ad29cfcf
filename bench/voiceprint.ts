/**
 * Speaker-verification accuracy and speed of the voiceprint engine on held-out speakers, through its
 * public facade (VoiceprintEngine.enroll / verify), so the numbers are for what ships.
 *
 *   npm run bench:voiceprint [-- --conditions a,b] [--set evaluation|dev] [--speakers a,b]
 *        [--max-targets 100] [--max-impostors 430] [--seed 1] [--models dir] [--out file|none]
 *        [--relevance r] [--augment chains|none] [--supervector-weight w] [--speaker-weight w] [--engines builtin,operator]
 *        [--trials file.jsonl]
 *
 * Data: the corpus (`npm run corpus`, manifest roles in scripts/corpus/corpus-split.ts). `--set
 * evaluation` (default) uses the evaluation speakers — never used to train the background model nor
 * to tune anything; `--set dev` the development speakers, the place to tune thresholds and weights.
 *
 * Protocol, per condition (bench/support/voiceprint-conditions.ts) and per speaker that has the
 * recordings the condition needs: the first 3 clips in name order that pass the enrolment quality
 * gate are the enrolment, through the condition's enrolment chain (a clip the engine calls
 * inconsistent is replaced by the next one); up to --max-targets of the speaker's other clips
 * (seeded sample) are target trials and up to --max-impostors clips of the other speakers
 * (round-robin over them, seeded) are impostor trials, through the condition's attempt chain. The
 * score is the engine's score; an attempt the engine refuses (quality gate, replay) counts as a
 * rejection. EER interpolated where FAR − FRR changes sign (speaker-verification.md §3.3), pooled
 * over all models with one global threshold.
 *
 * Operator model: when VERITY_VOICEPRINT_MODEL (and VERITY_VOICEPRINT_COHORT) name an ONNX speaker-
 * embedding model, the same tables are printed for it after the built-in engine's (`--engines
 * operator` benchmarks it alone).
 *
 * Writes models/voiceprint-operating-points.json (built-in engine; or --out) when run on the full
 * evaluation set with the default trial counts; smaller runs only print.
 *
 * CAVEAT: the corpus is text-INDEPENDENT (every clip a different sentence) while the product is
 * text-dependent (pass-phrase); the phrase gate is not part of the score and cannot be measured here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/factors/voiceprint/audio/prng.ts';
import type { Audio } from '../src/factors/voiceprint/audio/audio.ts';
import { checkQuality } from '../src/factors/voiceprint/quality/check-quality.ts';
import { DEFAULT_THRESHOLD, VoiceprintEngine, type EngineOptions, type Voiceprint } from '../src/factors/voiceprint/voiceprint-engine.ts';
import { parseOperatingPoints, type OperatingPointsFile } from '../src/factors/voiceprint/operating-points.ts';
import type { SpeakerBackendConfig } from '../src/factors/voiceprint/speaker/speaker-backends.ts';
import { corpusDir, type CorpusManifest } from '../scripts/corpus/corpus-split.ts';
import { CONDITIONS, DEFAULT_CONDITIONS, type Condition } from './support/voiceprint-conditions.ts';
import { BenchCorpus, hash, type BenchSpeaker } from './support/voiceprint-data.ts';
import { conditionMetrics, farNote, meanText, operatingCurve, pct, type ConditionMetrics, type Trial } from './support/voiceprint-report.ts';
import { quantile } from './support/speaker-metrics.ts';

// 7 evaluation models × 430 impostors = 3,010 impostor trials per condition: FAR 1 % is resolved
// (rule of 30); 100 targets per model keep a full run near 15 min of CPU.
const DEFAULT_MAX_TARGETS = 100;
const DEFAULT_MAX_IMPOSTORS = 430;
const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    'max-targets': { type: 'string', default: String(DEFAULT_MAX_TARGETS) },
    'max-impostors': { type: 'string', default: String(DEFAULT_MAX_IMPOSTORS) },
    conditions: { type: 'string', default: DEFAULT_CONDITIONS.join(',') },
    set: { type: 'string', default: 'evaluation' },
    speakers: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    /** Tuning overrides (use them with --set dev): MAP relevance of the GMM-UBM backend, weight of the speaker score. */
    relevance: { type: 'string' },
    /** Enrolment augmentation chains of the GMM-UBM backend (comma list, 'none' for none). */
    augment: { type: 'string' },
    /** Weight of the supervector cosine in the GMM-UBM backend's fused score (0 = average LLR only). */
    'supervector-weight': { type: 'string' },
    'speaker-weight': { type: 'string' },
    engines: { type: 'string', default: 'builtin,operator' },
    /** Also write every trial (condition, model, attempt speaker and clip, seconds, score) as JSON lines, for analysis. */
    trials: { type: 'string' },
  },
});
const MAX_TARGETS = Number(values['max-targets']);
const MAX_IMPOSTORS = Number(values['max-impostors']);
const SEED = Number(values.seed);
const SET = values.set;
const selected = values.conditions.split(',').map((c) => c.trim());
const unknown = selected.filter((c) => !CONDITIONS.some((k) => k.name === c));
if (![MAX_TARGETS, MAX_IMPOSTORS, SEED].every((n) => Number.isInteger(n) && n >= 0) || unknown.length > 0 || (SET !== 'evaluation' && SET !== 'dev')) {
  console.error(`usage: npm run bench:voiceprint -- [--conditions ${CONDITIONS.map((c) => c.name).join(',')}] [--set evaluation|dev] [--speakers a,b]`);
  console.error('       [--max-targets N] [--max-impostors N] [--seed N] [--models dir] [--out file|none] [--relevance r] [--augment chains|none] [--supervector-weight w] [--speaker-weight w] [--engines builtin,operator] [--trials file.jsonl]');
  if (unknown.length > 0) console.error(`unknown condition(s): ${unknown.join(', ')}`);
  process.exit(2);
}
const conditions = CONDITIONS.filter((c) => selected.includes(c.name));

// ---- data -------------------------------------------------------------------------------------
const cache = corpusDir();
const manifestFile = join(cache, 'manifest.json');
if (!existsSync(manifestFile)) {
  console.error(`No corpus at ${cache}. Run \`npm run corpus\` first.`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as CorpusManifest;
const corpus = new BenchCorpus(cache, manifest, SET, values.speakers?.split(',').map((s) => s.trim()));
if (corpus.speakers.length < 3) {
  console.error(`Need ≥ 3 ${SET} speakers; found ${corpus.speakers.map((s) => s.id).join(', ') || 'none'} (re-run \`npm run corpus\`?).`);
  process.exit(1);
}

// ---- engines ----------------------------------------------------------------------------------
const gmmUbm = {
  ...(values.relevance !== undefined ? { relevance: Number(values.relevance) } : {}),
  ...(values.augment !== undefined ? { augment: values.augment === 'none' ? [] : values.augment.split(',') } : {}),
  ...(values['supervector-weight'] !== undefined ? { supervectorWeight: Number(values['supervector-weight']) } : {}),
};
const weights: Partial<EngineOptions> = values['speaker-weight'] !== undefined ? { weights: { speaker: Number(values['speaker-weight']), phrase: 1 - Number(values['speaker-weight']) } } : {};
const builtinConfig: SpeakerBackendConfig = { ...(values.models !== undefined ? { modelsDir: resolve(values.models) } : {}), gmmUbm };
const wanted = values.engines.split(',').map((e) => e.trim());
const engines: Array<{ title: string; engine: VoiceprintEngine; builtin: boolean }> = wanted.includes('builtin')
  ? [{ title: 'Built-in engine', engine: await VoiceprintEngine.load(builtinConfig, weights), builtin: true }]
  : [];
const operatorModel = process.env.VERITY_VOICEPRINT_MODEL;
if (wanted.includes('operator') && operatorModel !== undefined && operatorModel !== '') {
  try {
    const engine = await VoiceprintEngine.load({ kind: 'onnx', modelPath: operatorModel, cohortPath: process.env.VERITY_VOICEPRINT_COHORT }, weights);
    engines.push({ title: `Operator model (${operatorModel})`, engine, builtin: false });
  } catch (error) {
    console.error(`operator model ${operatorModel} not benchmarked: ${error instanceof Error ? error.message : String(error)}`);
  }
}

console.log('# Voiceprint benchmark\n');
console.log(`corpus: ${cache} (${manifest.generatedAt}); set: ${SET}; seed ${SEED}; ≤ ${MAX_TARGETS} target and ≤ ${MAX_IMPOSTORS} impostor trials per model`);
for (const { title, engine } of engines) console.log(`${title}: backend ${engine.backend.id}; options ${JSON.stringify({ weights: engine.options.weights, phraseGate: engine.options.phraseGate })}`);
if (Object.keys(gmmUbm).length + Object.keys(weights).length > 0) console.log(`tuning overrides: ${JSON.stringify({ ...gmmUbm, ...weights })}`);
console.log(`cpu: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}`);
console.log(`speakers: ${corpus.speakers.map((s) => `${s.id} [${s.language}; ${[...s.recordings].join('+')}] (${s.clips.length} clips)`).join(', ')}`);
console.log('NOTE: text-INDEPENDENT data (every clip a different sentence); the product is text-dependent (pass-phrase).\n');

// ---- trials -----------------------------------------------------------------------------------
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface SpeakerTrials extends Trial {
  language: string;
  /** Who spoke the attempt, which clip, and its length (for --trials). */
  speaker: string;
  clip: string;
  seconds: number;
}

interface ConditionRun {
  condition: Condition;
  models: string[];
  failedEnrolments: string[];
  trials: SpeakerTrials[];
  gateReasons: Map<string, number>;
  enrolQualitySkipped: number;
  enrolInconsistentSkipped: number;
  enrolMsPerUtterance: number[];
  verifyMs: number[];
  verifyCpuMs3s: number[];
}

function audioFor(side: Condition['enrol'], condition: Condition, speaker: BenchSpeaker, clip: string): Audio {
  const source = corpus.load(side.recording(speaker), speaker.id, clip);
  return side.chain(source, hash(`${SEED}/${condition.name}/${side === condition.enrol ? 'enrol' : 'attempt'}/${speaker.id}/${clip}`));
}

async function enrolSpeaker(engine: VoiceprintEngine, condition: Condition, speaker: BenchSpeaker, run: ConditionRun): Promise<{ voiceprint: Voiceprint; used: Set<string> } | undefined> {
  const pool = [...speaker.clips];
  const chosen: Array<{ clip: string; audio: Audio }> = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    while (chosen.length < 3) {
      const clip = pool.shift();
      if (clip === undefined) return undefined;
      const audio = audioFor(condition.enrol, condition, speaker, clip);
      if (!checkQuality(audio, 'enroll').ok) {
        run.enrolQualitySkipped++;
        continue;
      }
      chosen.push({ clip, audio });
    }
    const started = performance.now();
    const result = await engine.enroll(chosen.map((c) => c.audio));
    const ms = performance.now() - started;
    if (result.ok) {
      run.enrolMsPerUtterance.push(ms / chosen.length);
      return { voiceprint: result.voiceprint, used: new Set(chosen.map((c) => c.clip)) };
    }
    const bad = result.recordings.filter((r) => r.problems.length > 0).map((r) => r.index);
    for (const i of bad.sort((a, b) => b - a)) {
      chosen.splice(i, 1);
      run.enrolInconsistentSkipped++;
    }
    if (bad.length === 0) return undefined;
  }
  return undefined;
}

async function runCondition(engine: VoiceprintEngine, condition: Condition): Promise<ConditionRun> {
  const run: ConditionRun = {
    condition,
    models: [],
    failedEnrolments: [],
    trials: [],
    gateReasons: new Map(),
    enrolQualitySkipped: 0,
    enrolInconsistentSkipped: 0,
    enrolMsPerUtterance: [],
    verifyMs: [],
    verifyCpuMs3s: [],
  };
  const eligible = corpus.speakers.filter(condition.eligible);
  if (eligible.length < 2) return run;
  for (const speaker of eligible) {
    const enrolment = await enrolSpeaker(engine, condition, speaker, run);
    if (!enrolment) {
      run.failedEnrolments.push(speaker.id);
      continue;
    }
    run.models.push(speaker.id);
    const targets = shuffled(
      speaker.clips.filter((c) => !enrolment.used.has(c)),
      hash(`${SEED}/targets/${speaker.id}`),
    ).slice(0, MAX_TARGETS);
    const others = eligible.filter((s) => s !== speaker).map((s) => ({ speaker: s, clips: shuffled(s.clips, hash(`${SEED}/impostors/${speaker.id}/${s.id}`)) }));
    const impostors: Array<{ speaker: BenchSpeaker; clip: string }> = [];
    for (let round = 0; impostors.length < MAX_IMPOSTORS && others.some((o) => o.clips.length > round); round++) {
      for (const o of others) if (o.clips[round] !== undefined && impostors.length < MAX_IMPOSTORS) impostors.push({ speaker: o.speaker, clip: o.clips[round]! });
    }
    const attempts = [...targets.map((clip) => ({ kind: 'target' as const, speaker, clip })), ...impostors.map((i) => ({ kind: 'impostor' as const, ...i }))];
    for (const { kind, speaker: who, clip } of attempts) {
      const audio = audioFor(condition.attempt, condition, who, clip);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const verdict = await engine.verify(enrolment.voiceprint, audio);
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      run.verifyMs.push(wall);
      const seconds = audio.samples.length / audio.sampleRate;
      if (seconds >= 2.5 && seconds <= 3.5) run.verifyCpuMs3s.push((used.user + used.system) / 1000);
      const rejected = verdict.decision === 'rejected';
      const gateRejected = verdict.reasons.some((r) => r.startsWith('quality:'));
      if (rejected) for (const reason of verdict.reasons) run.gateReasons.set(`${kind}:${reason}`, (run.gateReasons.get(`${kind}:${reason}`) ?? 0) + 1);
      run.trials.push({ model: speaker.id, language: speaker.language, kind, score: verdict.score, rejected, gateRejected, speaker: who.id, clip, seconds: Math.round(seconds * 1000) / 1000 });
    }
  }
  return run;
}

// ---- report -----------------------------------------------------------------------------------
function trialCount(runs: readonly ConditionRun[]): number {
  return runs.reduce((n, r) => n + r.trials.length, 0);
}

function eerCell(trials: readonly Trial[]): string {
  const m = conditionMetrics(trials);
  if (!m) return '—';
  return `${pct(m.eer)}${m.gateRejectedGenuine > 0 ? ` (gate ${pct(m.gateRejectedGenuine)})` : ''}`;
}

function printRuns(title: string, runs: readonly ConditionRun[]): void {
  console.log(`\n## ${title}: accuracy\n`);
  console.log('| condition | models | target / impostor trials | genuine refused by the quality gate | EER | EER threshold | FRR @ FAR 1 % | FRR @ FAR 0.1 % | EER, refused attempts scored anyway |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const run of runs) {
    const m = conditionMetrics(run.trials);
    if (!m) {
      console.log(`| ${run.condition.name} | ${run.models.length} | — | — | — | — | — | — | — |`);
      continue;
    }
    console.log(
      `| ${run.condition.name} | ${run.models.length} | ${m.targets} / ${m.impostors} | ${pct(m.gateRejectedGenuine)} | **${pct(m.eer)}** | ${m.eerThreshold.toFixed(3)} | ` +
        `${pct(m.frrAtFar1)}${farNote(m.impostors, 0.01)} | ${pct(m.frrAtFar01)}${farNote(m.impostors, 0.001)} | ${pct(m.eerScoredAnyway)} |`,
    );
  }
  console.log('\nConditions:');
  for (const run of runs) {
    const failed = run.failedEnrolments.length > 0 ? `; enrolment failed for ${run.failedEnrolments.join(', ')}` : '';
    const reasons = [...run.gateReasons].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    console.log(`- ${run.condition.name}: ${run.condition.label}. Refusals: ${reasons}; enrolment clips skipped by the gate ${run.enrolQualitySkipped}, replaced as inconsistent ${run.enrolInconsistentSkipped}${failed}.`);
  }

  const languages = [...new Set(runs.flatMap((r) => r.trials.map((t) => t.language)))].sort();
  console.log(`\n### ${title}: EER per language of the enrolled speaker (gate refusals of genuine attempts in brackets)\n`);
  console.log(`| condition | ${languages.join(' | ')} |`);
  console.log(`|---|${languages.map(() => '--:').join('|')}|`);
  for (const run of runs) console.log(`| ${run.condition.name} | ${languages.map((l) => eerCell(run.trials.filter((t) => t.language === l))).join(' | ')} |`);

  // The corpus mixes one-word prompts with long sentences; a pass phrase is one sentence. Pooled
  // over all models, like the headline EER, but only attempts (genuine and impostor) of that length.
  const lengths: Array<{ label: string; keep: (t: SpeakerTrials) => boolean }> = [
    { label: 'attempt < 2 s', keep: (t) => t.seconds < 2 },
    { label: 'attempt ≥ 2 s', keep: (t) => t.seconds >= 2 },
  ];
  console.log(`\n### ${title}: EER by attempt length (whole recording; genuine trials in brackets)\n`);
  console.log(`| condition | ${lengths.map((l) => l.label).join(' | ')} |`);
  console.log(`|---|${lengths.map(() => '--:').join('|')}|`);
  for (const run of runs) {
    const cells = lengths.map((l) => {
      const trials = run.trials.filter(l.keep);
      return `${eerCell(trials)} [${trials.filter((t) => t.kind === 'target').length}]`;
    });
    console.log(`| ${run.condition.name} | ${cells.join(' | ')} |`);
  }

  const models = corpus.speakers.map((s) => s.id);
  console.log(`\n### ${title}: EER per enrolled speaker (its targets against its impostors)\n`);
  console.log(`| condition | ${models.join(' | ')} |`);
  console.log(`|---|${models.map(() => '--:').join('|')}|`);
  for (const run of runs) console.log(`| ${run.condition.name} | ${models.map((id) => eerCell(run.trials.filter((t) => t.model === id))).join(' | ')} |`);

  console.log(`\n### ${title}: speed (this machine, one thread)\n`);
  console.log('| condition | enrol ms / utterance (mean) | verify ms (mean) | verify ms (p95) | verify CPU ms, 2.5–3.5 s utterances (mean, n) |');
  console.log('|---|--:|--:|--:|--:|');
  for (const run of runs) {
    console.log(
      `| ${run.condition.name} | ${meanText(run.enrolMsPerUtterance)} | ${meanText(run.verifyMs)} | ${run.verifyMs.length > 0 ? quantile(run.verifyMs, 0.95).toFixed(1) : '—'} | ${meanText(run.verifyCpuMs3s)} (${run.verifyCpuMs3s.length}) |`,
    );
  }
  for (const run of runs) {
    const m = conditionMetrics(run.trials);
    if (!m) continue;
    const tar = run.trials.filter((t) => t.kind === 'target');
    const imp = run.trials.filter((t) => t.kind === 'impostor');
    const frr = tar.filter((t) => t.rejected || t.score < DEFAULT_THRESHOLD).length / tar.length;
    const far = imp.filter((t) => !t.rejected && t.score >= DEFAULT_THRESHOLD).length / imp.length;
    console.log(`${run.condition.name}: at DEFAULT_THRESHOLD ${DEFAULT_THRESHOLD}: FRR ${pct(frr)}, FAR ${pct(far)}; θ for FAR ≤ 1 % = ${m.thresholdFar1.toFixed(3)}`);
  }
}

function operatingPoints(engine: VoiceprintEngine, runs: readonly ConditionRun[]): OperatingPointsFile {
  return {
    format: 'verity-voiceprint-operating-points/1',
    backend: engine.backend.id,
    measured: new Date().toISOString().slice(0, 10),
    protocol:
      `npm run bench:voiceprint on ${corpus.speakers.length} held-out ${SET} speakers (${[...new Set(corpus.speakers.map((s) => s.language))].join(', ')}), never used for training or tuning; ` +
      `3 enrolment clips per speaker, ≤ ${MAX_TARGETS} target and ≤ ${MAX_IMPOSTORS} impostor trials per speaker, text-independent clips (pessimistic for a pass-phrase); quality-gate refusals count as rejections.`,
    conditions: runs.flatMap((run) => {
      const m: ConditionMetrics | undefined = conditionMetrics(run.trials);
      if (!m) return [];
      return [
        {
          name: run.condition.name,
          label: run.condition.label,
          targetTrials: m.targets,
          impostorTrials: m.impostors,
          gateRejectedGenuine: Math.round(m.gateRejectedGenuine * 10_000) / 10_000,
          eer: Math.round(m.eer * 10_000) / 10_000,
          eerThreshold: Math.round(m.eerThreshold * 10_000) / 10_000,
          curve: operatingCurve(run.trials),
        },
      ];
    }),
  };
}

const startedAll = performance.now();
if (engines.length === 0) {
  console.error('No engine to benchmark (--engines operator needs VERITY_VOICEPRINT_MODEL).');
  process.exit(2);
}
for (const { title, engine, builtin } of engines) {
  const runs: ConditionRun[] = [];
  for (const condition of conditions) {
    const started = performance.now();
    const run = await runCondition(engine, condition);
    runs.push(run);
    const targets = run.trials.filter((t) => t.kind === 'target').length;
    console.log(`${title} / ${condition.name}: ${run.models.length} models, ${targets} target + ${run.trials.length - targets} impostor trials, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  printRuns(title, runs);
  if (values.trials !== undefined && engine === engines[0]!.engine) {
    writeFileSync(values.trials, runs.flatMap((run) => run.trials.map((t) => JSON.stringify({ condition: run.condition.name, ...t }))).join('\n') + '\n');
    console.log(`\nwrote ${trialCount(runs)} trials to ${values.trials}`);
  }
  const full = SET === 'evaluation' && values.speakers === undefined && MAX_TARGETS === DEFAULT_MAX_TARGETS && MAX_IMPOSTORS === DEFAULT_MAX_IMPOSTORS;
  // The file describes the built-in engine (the console shows it only for the backend in use);
  // --out writes the first engine's, e.g. the operator model's with --engines operator.
  const out = values.out ?? (full && builtin ? resolve(import.meta.dirname, '../models/voiceprint-operating-points.json') : undefined);
  if (out !== undefined && out !== 'none' && engine === engines[0]!.engine) {
    const text = `${JSON.stringify(operatingPoints(engine, runs), null, 1)}\n`;
    const check = parseOperatingPoints(text);
    if (check.kind !== 'measured') throw new Error(`operating points do not match their schema: ${check.kind === 'invalid' ? check.reason : check.kind}`);
    writeFileSync(out, text);
    console.log(`\nwrote ${out}`);
  } else if (engine === engines[0]!.engine) {
    console.log('\n(operating points not written: only a full evaluation run with default trial counts writes models/voiceprint-operating-points.json; or pass --out)');
  }
}
console.log(`\nwall time ${((performance.now() - startedAll) / 1000).toFixed(0)} s`);
console.log('Targets (issue 18): EER ≤ 10 % phone band and ≤ 10 % wideband on unseen speakers; gate refusing ≤ 5 % of genuine attempts; verify < 50 ms CPU for a 3 s utterance.');
