import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Gmm } from '../model/gmm.ts';
import { sessionSubspaceFromJSON } from '../model/session-subspace.ts';
import { VoiceprintError } from '../voiceprint-error.ts';
import { cohortFromJSON, GmmUbmBackend, znormFromJSON, type GmmUbmOptions } from './gmm-ubm-backend.ts';
import type { SpeakerBackend } from './speaker-backend.ts';

/** The built-in backend's files in the models folder. */
const GMM_UBM_FILES = { ubm: 'voiceprint-ubm-8k.json', cohort: 'voiceprint-cohort-8k.json', znorm: 'voiceprint-znorm-8k.json', session: 'voiceprint-session-8k.json' } as const;

export interface SpeakerBackendConfig {
  /** 'gmm-ubm' (built-in, default). Other kinds are registered in SPEAKER_BACKENDS. */
  kind?: string;
  /** Folder of the built-in models (default: the repository's models/). */
  modelsDir?: string | URL;
  /** Overrides of the built-in backend's tuning (benchmarks). */
  gmmUbm?: Partial<GmmUbmOptions>;
  /** Operator-supplied model file (ONNX backend). */
  modelPath?: string;
  /** Cohort embeddings file (ONNX backend). */
  cohortPath?: string;
}

const DEFAULT_MODELS_DIR = new URL('../../../../models/', import.meta.url);

/** Reads a JSON file of the models folder; undefined for a missing optional file. */
async function readModelJson(dir: string | URL, name: string, optional: boolean): Promise<unknown> {
  const base = typeof dir === 'string' ? pathToFileURL(`${resolve(dir)}/`) : dir;
  try {
    return JSON.parse(await readFile(new URL(name, base), 'utf8')) as unknown;
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VoiceprintError('model_invalid', `Could not read the voiceprint model ${name}.`, { cause: error });
  }
}

/** Builds the built-in GMM-UBM backend from models/voiceprint-ubm-8k.json (+ optional cohort). */
async function loadGmmUbmBackend(config: SpeakerBackendConfig): Promise<GmmUbmBackend> {
  const dir = config.modelsDir ?? DEFAULT_MODELS_DIR;
  const ubm = Gmm.fromJSON(await readModelJson(dir, GMM_UBM_FILES.ubm, false));
  const cohortJson = await readModelJson(dir, GMM_UBM_FILES.cohort, true);
  const znormJson = await readModelJson(dir, GMM_UBM_FILES.znorm, true);
  const sessionJson = await readModelJson(dir, GMM_UBM_FILES.session, true);
  return new GmmUbmBackend(
    ubm,
    config.gmmUbm,
    cohortJson === undefined ? [] : cohortFromJSON(cohortJson, ubm),
    znormJson === undefined ? [] : znormFromJSON(znormJson, ubm),
    sessionJson === undefined ? undefined : sessionSubspaceFromJSON(sessionJson, ubm.dims),
  );
}

/** Backend factories by kind. The ONNX helper adds its entry here. */
const SPEAKER_BACKENDS: Record<string, (config: SpeakerBackendConfig) => Promise<SpeakerBackend>> = {
  'gmm-ubm': loadGmmUbmBackend,
  // Operator ONNX model (VERITY_VOICEPRINT_MODEL + _COHORT); imported only when asked for.
  onnx: async (config) => (await import('./onnx/load-onnx-backend.ts')).loadOnnxSpeakerBackend(config),
};

/**
 * The speaker backend the configuration asks for: the built-in GMM-UBM engine unless another kind is
 * named. Throws VoiceprintError('model_invalid') for an unknown kind or unreadable model files.
 */
export async function createSpeakerBackend(config: SpeakerBackendConfig = {}): Promise<SpeakerBackend> {
  const kind = config.kind ?? 'gmm-ubm';
  const factory = SPEAKER_BACKENDS[kind];
  if (!factory) throw new VoiceprintError('model_invalid', `Unknown speaker backend "${kind}".`);
  return factory(config);
}
