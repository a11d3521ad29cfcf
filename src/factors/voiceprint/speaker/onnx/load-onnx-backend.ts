import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { ConfigError } from '../../../../config/config.ts';
import { cohortFromJSON, type Cohort } from './cohort-file.ts';
import { OnnxFormatError, readOnnxModelInfo, type OnnxModelInfo } from './onnx-protobuf.ts';
import { OnnxSpeakerBackend } from './onnx-speaker-backend.ts';
import { openSherpaExtractor } from './sherpa-extractor.ts';

const MODEL_VARIABLE = 'VERITY_VOICEPRINT_MODEL';
const COHORT_VARIABLE = 'VERITY_VOICEPRINT_COHORT';
const COHORT_COMMAND = 'verity voiceprint cohort --model <model.onnx> --audio <folder of WAV files of background speakers> --out cohort.json';

/** Model families the runtime's speaker-embedding extractor knows (its `framework` metadata). */
const FRAMEWORKS = new Set(['wespeaker', '3d-speaker', 'nemo']);
const REQUIRED_METADATA = ['framework', 'output_dim', 'sample_rate', 'normalize_samples', 'language'];

/** `onnx:` + the first 16 hex digits of the model file's SHA-256: a voiceprint made with another file is refused. */
export function onnxModelId(bytes: Uint8Array): string {
  return `onnx:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

interface CheckedModel {
  path: string;
  id: string;
  info: OnnxModelInfo;
  sampleRate: number;
  outputDim: number;
}

const fail = (variable: string, problem: string): never => {
  throw new ConfigError([`${variable}: ${problem}`]);
};

/**
 * Reads a model file and checks, before the native runtime sees it, what the runtime would otherwise
 * answer by ending the process: a well-formed ONNX file with the speaker-embedding metadata
 * (framework, output_dim, sample_rate, normalize_samples, language), one feature input
 * [N, T, 80] and one embedding output. Throws ConfigError naming VERITY_VOICEPRINT_MODEL.
 */
async function checkModelFile(modelPath: string): Promise<CheckedModel> {
  const path = resolve(modelPath);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return fail(MODEL_VARIABLE, `cannot read the model file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let info: OnnxModelInfo;
  try {
    info = readOnnxModelInfo(bytes);
  } catch (error) {
    if (error instanceof OnnxFormatError) return fail(MODEL_VARIABLE, `${path} is not an ONNX model (${error.message})`);
    throw error;
  }
  const missing = REQUIRED_METADATA.filter((key) => !(key in info.metadata));
  if (missing.length > 0) {
    fail(MODEL_VARIABLE, `${path} lacks the speaker-embedding metadata ${missing.join(', ')} (add it as for wespeaker / 3D-Speaker exports: see src/factors/voiceprint/README.md "Operator model")`);
  }
  if (!FRAMEWORKS.has(info.metadata.framework!)) fail(MODEL_VARIABLE, `${path}: framework "${info.metadata.framework}" is not one of ${[...FRAMEWORKS].join(', ')}`);
  const sampleRate = Number(info.metadata.sample_rate);
  const outputDim = Number(info.metadata.output_dim);
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate % 8000 !== 0) fail(MODEL_VARIABLE, `${path}: sample_rate ${info.metadata.sample_rate} is not a multiple of 8000 Hz`);
  if (!Number.isInteger(outputDim) || outputDim < 2 || outputDim > 8192) fail(MODEL_VARIABLE, `${path}: output_dim ${info.metadata.output_dim} is not a plausible embedding size`);
  if (info.inputs.length !== 1 || info.inputs[0]!.shape.length !== 3) fail(MODEL_VARIABLE, `${path}: expected one input of rank 3 (features [N, T, 80])`);
  if (info.outputs.length < 1 || info.outputs[0]!.shape.length !== 2) fail(MODEL_VARIABLE, `${path}: expected an embedding output of rank 2 ([N, ${outputDim}])`);
  return { path, id: onnxModelId(bytes), info, sampleRate, outputDim };
}

// Runs in a child process: the native runtime ends the process on some model errors, which must end
// the probe, not the server. Prints the embedding size of 1.5 s of a test signal.
const PROBE = `
const [entry, model, rate] = process.argv.slice(1);
const sherpa = require(entry);
const extractor = new sherpa.SpeakerEmbeddingExtractor({ model, numThreads: 1, debug: 0 });
const n = Math.round(1.5 * Number(rate));
const samples = new Float32Array(n);
for (let i = 0; i < n; i++) samples[i] = 0.3 * Math.sin(2 * Math.PI * 220 * i / Number(rate)) + 0.05 * Math.sin(i * i % 7919);
const stream = extractor.createStream();
stream.acceptWaveform({ samples, sampleRate: Number(rate) });
stream.inputFinished();
const e = extractor.compute(stream, false);
process.stdout.write(JSON.stringify({ dim: extractor.dim, length: e.length, finite: Array.from(e).every(Number.isFinite) }));
`;

/** Loads the model once in a child process; throws ConfigError with the runtime's complaint. */
async function probeModel(model: CheckedModel): Promise<void> {
  const entry = createRequire(import.meta.url).resolve('sherpa-onnx-node');
  const outcome = await new Promise<{ stdout: string; stderr: string; error: Error | null }>((done) => {
    execFile(process.execPath, ['-e', PROBE, entry, model.path, String(model.sampleRate)], { timeout: 120_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      done({ stdout, stderr, error }),
    );
  });
  let result: { dim?: number; length?: number; finite?: boolean } = {};
  try {
    result = JSON.parse(outcome.stdout) as typeof result;
  } catch {
    const said = outcome.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
    fail(MODEL_VARIABLE, `the ONNX runtime could not run ${model.path}: ${said || outcome.error?.message || 'no output'}`);
  }
  if (result.dim !== model.outputDim || result.length !== model.outputDim || !result.finite) {
    fail(MODEL_VARIABLE, `${model.path} produced ${result.length} values (metadata output_dim ${model.outputDim}${result.finite ? '' : ', some not finite'})`);
  }
}

async function readCohort(cohortPath: string | undefined, model: CheckedModel): Promise<Cohort> {
  if (!cohortPath) return fail(COHORT_VARIABLE, `required with ${MODEL_VARIABLE} (score normalisation needs background speakers); make one with \`${COHORT_COMMAND}\``);
  const path = resolve(cohortPath);
  let cohort: Cohort;
  try {
    cohort = cohortFromJSON(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    return fail(COHORT_VARIABLE, `${path}: ${(error as Error).message}`);
  }
  if (cohort.model !== model.id) fail(COHORT_VARIABLE, `${path} was made with another model (${cohort.model}, this one is ${model.id}); make it again with \`${COHORT_COMMAND}\``);
  if (cohort.embeddings[0]!.length !== model.outputDim) fail(COHORT_VARIABLE, `${path}: embeddings of ${cohort.embeddings[0]!.length} values, the model gives ${model.outputDim}`);
  return cohort;
}

/**
 * The ONNX speaker backend from VERITY_VOICEPRINT_MODEL and VERITY_VOICEPRINT_COHORT: checks the
 * model file, probes it in a child process, checks the cohort was made with this very model, then
 * loads the runtime. Every problem is a ConfigError naming the variable, raised at start, so a
 * request never meets a broken model.
 */
export async function loadOnnxSpeakerBackend(config: { modelPath?: string | undefined; cohortPath?: string | undefined }): Promise<OnnxSpeakerBackend> {
  if (!config.modelPath) return fail(MODEL_VARIABLE, 'not set');
  const model = await checkModelFile(config.modelPath);
  const cohort = await readCohort(config.cohortPath, model);
  await probeModel(model);
  const extractor = await openSherpaExtractor(model.path, model.sampleRate);
  return new OnnxSpeakerBackend(model.id, extractor, cohort);
}

/** The extractor alone (cohort command, build script): checked and probed like the backend's. */
export async function openCheckedExtractor(modelPath: string): Promise<{ model: CheckedModel; extractor: Awaited<ReturnType<typeof openSherpaExtractor>> }> {
  const model = await checkModelFile(modelPath);
  await probeModel(model);
  return { model, extractor: await openSherpaExtractor(model.path, model.sampleRate) };
}
