/**
 * Trains the voiceprint background model (UBM) of the built-in speaker backend on the corpus's
 * background speakers. There is one model: every input is scored in the telephone band (issue 18).
 *
 *   npm run corpus && npm run train:ubm [-- --components 64 --iterations 10 --seed 1] [--cohort-per-speaker 3] [--out dir]
 *
 * <cache>/8k/<speaker>/*.wav of the UBM speakers → models/voiceprint-ubm-8k.json
 *
 * Features come from the engine's `modelFeatures(audio, 8000)` (toTelephoneBand + extractFeatures),
 * exactly what enrolment and verification compute,
 * so the UBM and the speaker models share one feature space. Evaluation speakers are never read
 * (corpus-split.ts). Each speaker contributes at most --max-speaker-frames frames (an even stride
 * over its clips), so the two long-recorded fish do not drown out the other voices. Training is
 * deterministic: sorted inputs, seeded subsampling and splits (same corpus + seed → same file).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SampleRate } from '../../src/factors/voiceprint/audio/audio.ts';
import { decodeWav } from '../../src/factors/voiceprint/audio/wav.ts';
import { modelFeatures } from '../../src/factors/voiceprint/features/model-features.ts';
import { FRONT_END, type Features } from '../../src/factors/voiceprint/features/extract-features.ts';
import { Gmm, trainUbm } from '../../src/factors/voiceprint/model/gmm.ts';
import { compensateSession, sessionSubspaceFromJSON, sessionSubspaceToJSON, trainSessionSubspace } from '../../src/factors/voiceprint/model/session-subspace.ts';
import { buildCohortModel, cohortToJSON, concatFrames, simulateChain, znormToJSON, type CohortModel } from '../../src/factors/voiceprint/speaker/gmm-ubm-backend.ts';
import { corpusDir, speakerRole, type CorpusManifest } from '../corpus/corpus-split.ts';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');

const { values } = parseArgs({
  options: {
    components: { type: 'string', default: '64' },
    iterations: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    'max-frames': { type: 'string', default: '400000' },
    'max-speaker-frames': { type: 'string', default: '60000' },
    out: { type: 'string', default: join(REPO, 'models') },
    /**
     * Also write voiceprint-cohort-8k.json (T-norm cohort, see models/README.md). Always on: the
     * shipped cohort must match the UBM, or the engine refuses to load (model_invalid).
     */
    cohort: { type: 'boolean', default: true },
    'cohort-per-speaker': { type: 'string', default: '3' },
    /** Simulated chains added to each cohort model's clips, like a user's enrolment (comma list; 'none' for none). */
    'cohort-augment': { type: 'string', default: 'none' },
    /** Z-norm impostor utterances per background speaker (clips not used by the cohort), 0 = no file. */
    'znorm-per-speaker': { type: 'string', default: '4' },
    /** Frames kept per Z-norm utterance (evenly strided). */
    'znorm-frames': { type: 'string', default: '150' },
    /** Simulated chains for the Z-norm utterances, alternating per utterance ('none': as recorded). */
    'znorm-chains': { type: 'string', default: 'none' },
    /** Reuse this UBM file instead of training (only the cohort / Z-norm / session files are rebuilt). */
    ubm: { type: 'string' },
    /** Rank of the session-variability subspace (voiceprint-session-8k.json); 0 = no file (and no compensation). */
    'session-rank': { type: 'string', default: '80' },
    /** Clips per background speaker for the subspace (≥ 1.5 s of speech each). */
    'session-clips': { type: 'string', default: '200' },
    /** Versions of each such clip, as different sessions ('none' = as recorded). */
    'session-chains': { type: 'string', default: 'none,call:18:alaw,call:28:ulaw,bluetooth,suppressed:15,suppressed:10,pink:15' },
    'session-iterations': { type: 'string', default: '6' },
    /** Retrain the scoring UBM on session-compensated frames (the subspace keeps the UBM it was trained with). */
    'compensated-ubm': { type: 'boolean', default: false },
    /** Multi-condition UBM: its frames also come from the session clips through every session chain (not only as recorded). */
    'ubm-chains': { type: 'boolean', default: false },
  },
});
const COMPONENTS = Number(values.components);
const ITERATIONS = Number(values.iterations);
const SEED = Number(values.seed);
const MAX_FRAMES = Number(values['max-frames']);
const MAX_SPEAKER_FRAMES = Number(values['max-speaker-frames']);
const COHORT_PER_SPEAKER = Number(values['cohort-per-speaker']);
const COHORT_AUGMENT = values['cohort-augment'] === 'none' ? [] : values['cohort-augment'].split(',');
const ZNORM_PER_SPEAKER = Number(values['znorm-per-speaker']);
const ZNORM_FRAMES = Number(values['znorm-frames']);
const ZNORM_CHAINS = values['znorm-chains'].split(',');
const SESSION_RANK = Number(values['session-rank']);
const SESSION_CLIPS = Number(values['session-clips']);
const SESSION_CHAINS = values['session-chains'].split(',');
const SESSION_ITERATIONS = Number(values['session-iterations']);
if (![COMPONENTS, ITERATIONS, SEED, MAX_FRAMES, MAX_SPEAKER_FRAMES, COHORT_PER_SPEAKER].every(Number.isInteger) || COMPONENTS < 2) {
  console.error('usage: npm run train:ubm -- [--components N ≥ 2] [--iterations N] [--seed N] [--max-frames N] [--max-speaker-frames N] [--cohort] [--cohort-per-speaker N]');
  process.exit(2);
}

/** An evenly strided subset of `count` rows of `data` (deterministic, keeps the time spread). */
function strided(data: Float32Array, dims: number, count: number): Float32Array {
  const total = data.length / dims;
  if (total <= count) return data;
  const out = new Float32Array(count * dims);
  for (let t = 0; t < count; t++) {
    const src = Math.floor((t * total) / count);
    out.set(data.subarray(src * dims, (src + 1) * dims), t * dims);
  }
  return out;
}

function train(rateKey: '16k' | '8k', manifest: CorpusManifest, cache: string): void {
  const rate: SampleRate = rateKey === '16k' ? 16000 : 8000;
  const started = performance.now();
  const speakers = Object.entries(manifest.speakers)
    .filter(([id, s]) => speakerRole(id) === 'ubm' && s.rates.includes(rateKey))
    .map(([id]) => id)
    .sort();
  const perSpeaker: { id: string; clips: number; seconds: number; frames: number; used: number }[] = [];
  const parts: Float32Array[] = [];
  /** Per speaker, the features of its first clips (name order), for cohort models. */
  const firstClips = new Map<string, Features[]>();
  /** Per speaker, augmented copies of its cohort clips (same order as firstClips). */
  const cohortCopies = new Map<string, Features[][]>();
  /** Z-norm impostor utterances: further clips of the background speakers. */
  const zClips: Array<{ id: string; frames: Float32Array }> = [];
  /** Per speaker, its clips through every session chain: the sessions the subspace learns from. */
  const sessions: Float32Array[][] = [];
  /** Per speaker, every clip's frames (the UBM's training data, kept per clip so it can be compensated clip by clip). */
  const clipFrames: Float32Array[][] = [];
  let dims = 0;
  for (const id of speakers) {
    const dir = join(cache, rateKey, id);
    const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort();
    const chunks: Float32Array[] = [];
    const speakerSessions: Float32Array[] = [];
    let sessionClips = 0;
    let seconds = 0;
    for (const file of files) {
      const audio = decodeWav(new Uint8Array(readFileSync(join(dir, file))));
      seconds += audio.samples.length / audio.sampleRate;
      const features = modelFeatures(audio, rate);
      dims = features.dims;
      if (features.count > 0) chunks.push(features.data);
      if (SESSION_RANK > 0 && features.count >= 150 && sessionClips < SESSION_CLIPS) {
        sessionClips++;
        for (const [k, chain] of SESSION_CHAINS.entries()) speakerSessions.push(chain === 'none' ? features.data : modelFeatures(simulateChain(chain, audio, 101 + sessionClips * 16 + k), rate).data);
      }
      const kept = firstClips.get(id) ?? [];
      // Cohort models are built like a user's voiceprint: 3 clips with ≥ 1.5 s of speech each.
      if (features.count >= 150 && kept.length < 3 * COHORT_PER_SPEAKER) {
        kept.push(features);
        const copies = cohortCopies.get(id) ?? [];
        copies.push(COHORT_AUGMENT.map((chain, k) => modelFeatures(simulateChain(chain, audio, 1 + (kept.length - 1) * 16 + k), rate)));
        cohortCopies.set(id, copies);
      } else if (features.count >= 150 && zClips.filter((z) => z.id.startsWith(`${id}#`)).length < ZNORM_PER_SPEAKER) {
        const chain = ZNORM_CHAINS[zClips.length % ZNORM_CHAINS.length]!;
        const zFeatures = chain === 'none' ? features : modelFeatures(simulateChain(chain, audio, 7 + zClips.length), rate);
        zClips.push({ id: `${id}#${file}`, frames: strided(zFeatures.data, zFeatures.dims, ZNORM_FRAMES) });
      }
      firstClips.set(id, kept);
    }
    const all = concatFrames(values['ubm-chains'] ? [...chunks, ...speakerSessions.filter((_, i) => SESSION_CHAINS[i % SESSION_CHAINS.length] !== 'none')] : chunks);
    if (speakerSessions.length > 0) sessions.push(speakerSessions);
    clipFrames.push(chunks);
    const used = strided(all, dims, MAX_SPEAKER_FRAMES);
    parts.push(used);
    perSpeaker.push({ id, clips: files.length, seconds, frames: all.length / dims, used: used.length / dims });
  }
  const frames = concatFrames(parts);
  const featureSeconds = (performance.now() - started) / 1000;
  const totalFrames = frames.length / dims;
  console.log(`\n${rateKey}: ${speakers.length} background speakers, ${totalFrames} speech frames (${dims} dims), features in ${featureSeconds.toFixed(1)} s`);
  console.log('| speaker | clips | minutes | speech frames | frames used |');
  console.log('|---|--:|--:|--:|--:|');
  for (const s of perSpeaker) console.log(`| ${s.id} | ${s.clips} | ${(s.seconds / 60).toFixed(1)} | ${s.frames} | ${s.used} |`);

  let iterations = 0;
  let lastLl = Number.NaN;
  const emStarted = performance.now();
  const ubm = values.ubm !== undefined ? Gmm.fromJSON(JSON.parse(readFileSync(values.ubm, 'utf8'))) : trainUbm(frames, dims, {
    components: COMPONENTS,
    iterations: ITERATIONS,
    seed: SEED,
    maxFrames: MAX_FRAMES,
    onIteration: ({ components, iteration, averageLogLikelihood }) => {
      iterations++;
      lastLl = averageLogLikelihood;
      if (components === COMPONENTS) console.log(`  ${components} components, iteration ${iteration}: mean log-likelihood ${averageLogLikelihood.toFixed(3)}`);
    },
  });
  const emSeconds = (performance.now() - emStarted) / 1000;
  let json = ubm.toJSON();
  const ubmMeta = {
    description: 'Verity voiceprint background model, 8 kHz telephone band (every input is scored in this band)',
    recipe: 'npm run corpus && npm run train:ubm (see models/README.md)',
    sampleRate: rate,
    features: `modelFeatures(audio, 8000): telephone band, 20 MFCC (C0 = log-energy) + Δ + ΔΔ, spectral floor ${FRONT_END.floorDb ?? 'none'} dB, energy VAD, utterance CMVN`,
    training: {
      components: COMPONENTS,
      iterations: ITERATIONS,
      emIterationsTotal: iterations,
      seed: SEED,
      maxFrames: MAX_FRAMES,
      maxSpeakerFrames: MAX_SPEAKER_FRAMES,
      framesAvailable: totalFrames,
      framesUsed: Math.min(totalFrames, MAX_FRAMES),
      finalAverageLogLikelihood: Math.round(lastLl * 1000) / 1000,
    },
    speakers: perSpeaker.map((s) => ({ id: s.id, clips: s.clips, minutes: Math.round(s.seconds / 6) / 10, frames: s.used })),
    packages: Object.fromEntries(
      [...new Set(speakers.map((id) => manifest.speakers[id]?.pkg ?? '?'))].map((p) => [p, { version: manifest.packages[p]?.version, licence: manifest.packages[p]?.licence }]),
    ),
  };
  json.meta = ubmMeta;
  let compensate = (f: Features): Features => f;
  let scoringUbm = ubm;
  if (SESSION_RANK > 0) {
    const sessionStarted = performance.now();
    const subspace = trainSessionSubspace(ubm, sessions, {
      rank: SESSION_RANK,
      iterations: SESSION_ITERATIONS,
      seed: SEED,
      relevance: 8,
      onIteration: (iteration, meanSquare) => console.log(`  session subspace, iteration ${iteration}: E[y²] ${meanSquare.toFixed(4)}`),
    });
    const meta = {
      description: 'Session-variability subspace of the voiceprint UBM (feature-domain compensation, src/factors/voiceprint/model/session-subspace.ts)',
      rank: SESSION_RANK,
      iterations: SESSION_ITERATIONS,
      speakers: sessions.length,
      utterances: sessions.reduce((n, s) => n + s.length, 0),
      clipsPerSpeaker: SESSION_CLIPS,
      chains: SESSION_CHAINS,
    };
    const sessionFile = join(values.out, `voiceprint-session-${rateKey}.json`);
    const text = `${JSON.stringify(sessionSubspaceToJSON(subspace, meta))}\n`;
    writeFileSync(sessionFile, text);
    console.log(`${rateKey}: session subspace rank ${SESSION_RANK} from ${meta.utterances} sessions of ${meta.speakers} speakers in ${((performance.now() - sessionStarted) / 1000).toFixed(1)} s → ${sessionFile} (${(text.length / 1024).toFixed(0)} KB)`);
    // Compensate with the subspace as shipped (Int16 in the file), exactly what the engine will load.
    const shipped = sessionSubspaceFromJSON(JSON.parse(text), dims);
    compensate = (f) => ({ ...f, data: compensateSession(shipped, f.data) });
    if (values['compensated-ubm']) {
      const retrainStarted = performance.now();
      const compensated = concatFrames(clipFrames.map((clips) => strided(concatFrames(clips.map((c) => compensateSession(shipped, c))), dims, MAX_SPEAKER_FRAMES)));
      scoringUbm = trainUbm(compensated, dims, { components: COMPONENTS, iterations: ITERATIONS, seed: SEED, maxFrames: MAX_FRAMES });
      json = scoringUbm.toJSON();
      json.meta = { ...ubmMeta, description: `${ubmMeta.description}, retrained on session-compensated frames (session subspace in voiceprint-session-${rateKey}.json)` };
      console.log(`${rateKey}: scoring UBM retrained on ${compensated.length / dims} compensated frames in ${((performance.now() - retrainStarted) / 1000).toFixed(1)} s`);
    }
  } else {
    rmSync(join(values.out, `voiceprint-session-${rateKey}.json`), { force: true });
  }
  if (values.cohort) {
    const cohort: CohortModel[] = [];
    for (const [id, list] of firstClips) {
      const copies = cohortCopies.get(id) ?? [];
      for (let k = 0; k + 3 <= list.length; k += 3) {
        const clips = [...list.slice(k, k + 3), ...copies.slice(k, k + 3).flat()].map(compensate);
        cohort.push(buildCohortModel(`${id}#${k / 3}`, scoringUbm, clips));
      }
    }
    const cohortFile = join(values.out, `voiceprint-cohort-${rateKey}.json`);
    writeFileSync(cohortFile, `${JSON.stringify(cohortToJSON(scoringUbm, cohort))}\n`);
    console.log(`${rateKey}: ${cohort.length} T-norm cohort models (3 clips each, background speakers only) → ${cohortFile}`);
  }
  if (ZNORM_PER_SPEAKER > 0) {
    const znormFile = join(values.out, `voiceprint-znorm-${rateKey}.json`);
    const text = `${JSON.stringify(znormToJSON(scoringUbm, zClips))}\n`;
    writeFileSync(znormFile, text);
    console.log(`${rateKey}: ${zClips.length} Z-norm utterances (≤ ${ZNORM_FRAMES} frames each) → ${znormFile} (${(text.length / 1024).toFixed(0)} KB)`);
  }
  if (values.ubm !== undefined && scoringUbm === ubm) return; // reused UBM: not rewritten
  const file = join(values.out, `voiceprint-ubm-${rateKey}.json`);
  const text = `${JSON.stringify(json)}\n`;
  writeFileSync(file, text);
  console.log(
    `${rateKey}: ${COMPONENTS} components × ${dims} dims, ${iterations} EM iterations (all sizes), ${Math.min(totalFrames, MAX_FRAMES)} frames, ` +
      `EM ${emSeconds.toFixed(1)} s, total ${((performance.now() - started) / 1000).toFixed(1)} s → ${file} (${(text.length / 1024).toFixed(0)} KB)`,
  );
}

const cache = corpusDir();
const manifestFile = join(cache, 'manifest.json');
if (!existsSync(manifestFile)) {
  console.error(`No corpus at ${cache}: run \`npm run corpus\` first (or set VERITY_CORPUS_DIR).`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as CorpusManifest;
train('8k', manifest, cache);
