import { packFloat32, unpackFloat32 } from '../../model/packed-arrays.ts';
import { l2Normalize } from './embedding-math.ts';

/**
 * The cohort file of the ONNX backend (VERITY_VOICEPRINT_COHORT): L2-normalised embeddings of
 * background speakers' recordings, made with one model (`verity voiceprint cohort`). Never put a
 * speaker who will enrol in it.
 */
const COHORT_FORMAT = 'verity-voiceprint-cohort/1';
/** Fewer than this and the S-norm statistics mean nothing. */
export const MIN_COHORT_SIZE = 10;

export interface CohortFile {
  format: typeof COHORT_FORMAT;
  /** SpeakerBackend.id of the model that made it (`onnx:` + sha-256 prefix). */
  model: string;
  dims: number;
  /** Speaker label of each embedding (folder name), so a cohort member is not scored against its own speaker. */
  speakers: string[];
  /** base64 little-endian Float32, one per recording. */
  embeddings: string[];
}

export interface Cohort {
  model: string;
  speakers: string[];
  embeddings: Float64Array[];
}

export function cohortToJSON(model: string, entries: ReadonlyArray<{ speaker: string; embedding: ArrayLike<number> }>): CohortFile {
  return {
    format: COHORT_FORMAT,
    model,
    dims: entries[0]?.embedding.length ?? 0,
    speakers: entries.map((e) => e.speaker),
    embeddings: entries.map((e) => packFloat32(l2Normalize(e.embedding))),
  };
}

/** Parses a cohort file; throws an Error saying what is wrong (the loader names the variable). */
export function cohortFromJSON(json: unknown): Cohort {
  const file = json as Partial<CohortFile> | null;
  if (!file || file.format !== COHORT_FORMAT || typeof file.model !== 'string' || !Array.isArray(file.embeddings) || !Array.isArray(file.speakers)) {
    throw new Error(`not a cohort file (format ${COHORT_FORMAT})`);
  }
  if (file.embeddings.length < MIN_COHORT_SIZE) throw new Error(`${file.embeddings.length} embeddings, at least ${MIN_COHORT_SIZE} needed`);
  if (file.speakers.length !== file.embeddings.length) throw new Error('speakers and embeddings differ in number');
  const embeddings = file.embeddings.map((e) => Float64Array.from(unpackFloat32(String(e))));
  if (embeddings.some((e) => e.length !== file.dims || e.some((v) => !Number.isFinite(v)))) throw new Error(`every embedding must have ${file.dims} finite values`);
  return { model: file.model, speakers: file.speakers.map(String), embeddings };
}
