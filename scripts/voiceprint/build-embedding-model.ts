/**
 * Builds the project's own small speaker-embedding model (issue 18) from the corpus's background
 * speakers, as a real ONNX graph that the operator-model backend loads like any public model.
 *
 *   npm run corpus && npx tsx scripts/voiceprint/build-embedding-model.ts [--per-speaker 120] [--cohort-per-speaker 20] [--dims 0]
 *
 * 1. Writes the statistics-only graph (statistics-embedding-graph.ts: fbank → cepstra → weighted
 *    mean/std + std of differences, 60 values) to a temporary file and runs every training clip
 *    through the runtime (sherpa-onnx-node) itself, so training sees exactly the features the
 *    runtime computes (its Kaldi fbank, its per-utterance mean normalisation, our 8 → 16 kHz
 *    upsampling) — no second implementation of the front end to drift.
 * 2. Learns LDA on those statistics: within-class scatter whitened (with 1 % shrinkage towards its
 *    mean variance), then the leading eigenvectors of the whitened between-class scatter. The
 *    projected within-class covariance is then the identity, so WCCN would change nothing.
 * 3. Writes models/voiceprint-embedding-lda.onnx (statistics graph + Sub + MatMul) and its cohort,
 *    models/voiceprint-embedding-lda.json (`verity voiceprint cohort` over the same speakers).
 *
 * Training clips: <cache>/8k/<speaker>/*.wav of the background speakers (role `ubm` in
 * corpus-split.ts) only — dev and evaluation speakers are never read. Each clip is used as stored
 * (telephone band) and once more through a simulated call (µ-law round trip + white noise at 20 dB,
 * seeded), so the within-speaker scatter includes the channel. Deterministic: sorted inputs, seeded noise.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Audio } from '../../src/factors/voiceprint/audio/audio.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../../src/factors/voiceprint/audio/resample.ts';
import { decodeWav } from '../../src/factors/voiceprint/audio/wav.ts';
import { checkQuality } from '../../src/factors/voiceprint/quality/check-quality.ts';
import { openCheckedExtractor } from '../../src/factors/voiceprint/speaker/onnx/load-onnx-backend.ts';
import { makeCohort } from '../../src/factors/voiceprint/speaker/onnx/make-cohort.ts';
import { encodeOnnxModel } from '../../src/factors/voiceprint/speaker/onnx/onnx-protobuf.ts';
import { STATISTICS_DIMS, statisticsEmbeddingModel } from '../../src/factors/voiceprint/speaker/onnx/statistics-embedding-graph.ts';
import { corpusDir, speakerRole, type CorpusManifest } from '../corpus/corpus-split.ts';
import { symmetricEigen } from './symmetric-eigen.ts';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const { values } = parseArgs({
  options: {
    'per-speaker': { type: 'string', default: '120' },
    'cohort-per-speaker': { type: 'string', default: '20' },
    /** Output dimensions; 0: speakers − 1 (all LDA directions). */
    dims: { type: 'string', default: '0' },
    out: { type: 'string', default: join(REPO, 'models', 'voiceprint-embedding-lda') },
  },
});
const PER_SPEAKER = Number(values['per-speaker']);
const COHORT_PER_SPEAKER = Number(values['cohort-per-speaker']);
const REQUESTED_DIMS = Number(values.dims);
const D = STATISTICS_DIMS;

const cache = corpusDir();
const manifest = JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as CorpusManifest;
// The background speakers: role `ubm` in the split (corpus-split.ts), as for the UBM; dev and
// evaluation speakers are never read.
const speakers = Object.entries(manifest.speakers)
  .filter(([id, s]) => speakerRole(id) === 'ubm' && s.rates.includes('8k'))
  .map(([id]) => id)
  .sort();
if (speakers.length < 3) throw new Error(`only ${speakers.length} background speakers in ${cache}/manifest.json`);

const work = mkdtempSync(join(tmpdir(), 'verity-embedding-'));
try {
  // 1. Statistics through the runtime.
  const statsPath = join(work, 'statistics.onnx');
  writeFileSync(statsPath, encodeOnnxModel(statisticsEmbeddingModel({ comment: 'statistics only (training)' })));
  const { extractor } = await openCheckedExtractor(statsPath);
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const started = performance.now();
  speakers.forEach((speaker, label) => {
    const dir = join(cache, '8k', speaker);
    const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort();
    const count = Math.min(PER_SPEAKER, files.length);
    let used = 0;
    for (let i = 0; i < count; i++) {
      const file = files[Math.floor((i * files.length) / count)]!;
      const audio = decodeWav(readFileSync(join(dir, file)));
      if (!checkQuality(audio, 'verify').ok) continue;
      const phone = toTelephoneBand(audio);
      const call: Audio = toTelephoneBand(g711RoundTrip(addNoise(phone, 20, label * 100_003 + i), 'ulaw'));
      for (const version of [phone, call]) {
        const stats = extractor.embed(version.samples);
        if (!stats) continue;
        rows.push(Float64Array.from(stats));
        labels.push(label);
      }
      used++;
    }
    console.log(`${speaker}: ${used} clips`);
  });
  console.log(`statistics of ${rows.length} recordings in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // 2. LDA.
  const n = rows.length;
  const mean = new Float64Array(D);
  for (const r of rows) for (let i = 0; i < D; i++) mean[i]! += r[i]! / n;
  const classMeans = speakers.map(() => new Float64Array(D));
  const classCounts = speakers.map(() => 0);
  rows.forEach((r, k) => {
    classCounts[labels[k]!]!++;
    for (let i = 0; i < D; i++) classMeans[labels[k]!]![i]! += r[i]!;
  });
  classMeans.forEach((m, c) => m.forEach((v, i) => (m[i] = v / Math.max(1, classCounts[c]!))));
  const within = new Float64Array(D * D);
  const between = new Float64Array(D * D);
  rows.forEach((r, k) => {
    const m = classMeans[labels[k]!]!;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) within[i * D + j]! += ((r[i]! - m[i]!) * (r[j]! - m[j]!)) / n;
  });
  classMeans.forEach((m, c) => {
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) between[i * D + j]! += (classCounts[c]! * (m[i]! - mean[i]!) * (m[j]! - mean[j]!)) / n;
  });
  let trace = 0;
  for (let i = 0; i < D; i++) trace += within[i * D + i]!;
  for (let i = 0; i < D; i++) within[i * D + i]! += (0.01 * trace) / D;
  const w = symmetricEigen(within, D);
  // P = U Λ^{-1/2}: whitens the within-class scatter.
  const whiten = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) whiten[i * D + j] = w.vectors[i * D + j]! / Math.sqrt(Math.max(w.values[j]!, 1e-12));
  const whitenedBetween = new Float64Array(D * D); // Pᵀ Sb P
  const sbP = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let k = 0; k < D; k++) sbP[i * D + j]! += between[i * D + k]! * whiten[k * D + j]!;
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) for (let k = 0; k < D; k++) whitenedBetween[i * D + j]! += whiten[k * D + i]! * sbP[k * D + j]!;
  const b = symmetricEigen(whitenedBetween, D);
  const dims = REQUESTED_DIMS > 0 ? Math.min(REQUESTED_DIMS, D) : Math.min(speakers.length - 1, D);
  const matrix = new Float32Array(D * dims);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < dims; j++) {
      let v = 0;
      for (let k = 0; k < D; k++) v += whiten[i * D + k]! * b.vectors[k * D + j]!;
      matrix[i * dims + j] = v;
    }
  }
  console.log(`LDA: ${dims} of ${D} directions, between/within ratios ${Array.from(b.values.slice(0, dims), (v) => v.toFixed(2)).join(' ')}`);

  // 3. The model and its cohort.
  const comment = `Verity statistics-pooling + LDA speaker embedding (${speakers.length} background speakers of the project corpus, ${rows.length} recordings; telephone band). scripts/voiceprint/build-embedding-model.ts`;
  const modelBytes = encodeOnnxModel(statisticsEmbeddingModel({ projection: { mean: Float32Array.from(mean), matrix, outputDim: dims }, comment }));
  writeFileSync(`${values.out}.onnx`, modelBytes);
  const { cohort, used, skipped } = await makeCohort(`${values.out}.onnx`, join(cache, '8k'), { perSpeaker: COHORT_PER_SPEAKER, speakers });
  writeFileSync(`${values.out}.json`, `${JSON.stringify(cohort)}\n`);
  console.log(`wrote ${values.out}.onnx (${modelBytes.length} bytes, ${cohort.model}) and ${values.out}.json (${used} embeddings, ${skipped.length} skipped)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
