/**
 * Scoring arithmetic of the ONNX backend (speaker-verification.md §3.1): cosine between L2-normalised
 * embeddings, S-norm against a cohort of background embeddings, and the per-enrolment calibration.
 * Pure functions on plain vectors, so the tests pin them on fixed numbers.
 */

type Vector = ArrayLike<number>;

/** Spread floor of cohort statistics: a cohort of near-identical embeddings must not blow scores up. */
export const STD_FLOOR = 0.01;

export function l2Normalize(v: Vector): Float64Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm);
  const out = new Float64Array(v.length);
  if (norm === 0 || !Number.isFinite(norm)) return out;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Vector, b: Vector): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Mean of the L2-normalised vectors: the speaker model. */
export function meanOfNormalized(vectors: readonly Vector[]): Float64Array {
  const out = new Float64Array(vectors[0]?.length ?? 0);
  for (const v of vectors) {
    const n = l2Normalize(v);
    for (let i = 0; i < out.length; i++) out[i]! += n[i]! / vectors.length;
  }
  return out;
}

export interface Stats {
  mean: number;
  std: number;
}

export function stats(values: readonly number[], floor = STD_FLOOR): Stats {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length);
  return { mean, std: Math.max(floor, Math.sqrt(variance)) };
}

/** Cosine scores of `v` against every cohort embedding not excluded: its normalisation statistics. */
export function cohortStats(v: Vector, cohort: readonly Vector[], exclude?: (index: number) => boolean): Stats {
  const scores: number[] = [];
  cohort.forEach((c, i) => {
    if (!exclude?.(i)) scores.push(cosine(v, c));
  });
  return stats(scores);
}

/** S-norm (Kenny 2010): the mean of the Z-norm (model side) and the T-norm (test side). */
export function sNorm(raw: number, model: Stats, test: Stats): number {
  return 0.5 * ((raw - model.mean) / model.std + (raw - test.mean) / test.std);
}

/** What enrolment measures to place the speaker's boundary. */
interface Calibration {
  /** S-normed leave-one-out genuine scores, one per enrolment recording. */
  genuine: number[];
  /** Mean and spread of the S-normed cohort (impostor) scores against the speaker model. */
  impostorMean: number;
  impostorStd: number;
  /** The S-normed score at which this speaker's normalized score is 0. */
  boundary: number;
}

/** The boundary is kept between these many impostor spreads above the impostor mean. */
export const BOUNDARY_LIMITS = { min: 2, max: 4 };

/**
 * Calibration on the enrolment data. Genuine: each recording against the model of the others
 * (leave-one-out), S-normed. Impostor: every cohort embedding against the full model, S-normed
 * (its T statistics from the rest of the cohort, other speakers only). The boundary is the
 * equal-error point of two Gaussians fitted to those two sets — the score at the same number of
 * spreads from both means — with the genuine spread floored at the impostor spread (three
 * recordings cannot measure a spread), then kept within [μᵢ + 2σᵢ, μᵢ + 4σᵢ]: never closer to the
 * impostors than ≈ 2.3 % FAR under the Gaussian, never demanding more than ≈ 0.003 %.
 */
export function calibrate(
  embeddings: readonly Vector[],
  cohort: readonly Vector[],
  cohortTestStats: readonly Stats[],
): { model: Float64Array; modelStats: Stats; calibration: Calibration } {
  const model = meanOfNormalized(embeddings);
  const modelStats = cohortStats(model, cohort);
  const impostor = stats(cohort.map((c, j) => sNorm(cosine(model, c), modelStats, cohortTestStats[j]!)));
  const genuine = embeddings.map((e, i) => {
    const others = meanOfNormalized(embeddings.filter((_, k) => k !== i));
    return sNorm(cosine(others, e), cohortStats(others, cohort), cohortStats(e, cohort));
  });
  const boundary = calibratedBoundary(genuine, impostor);
  return { model, modelStats, calibration: { genuine, impostorMean: impostor.mean, impostorStd: impostor.std, boundary } };
}

/** The boundary of `calibrate`: the two-Gaussian equal-error point, kept within BOUNDARY_LIMITS impostor spreads. */
export function calibratedBoundary(genuine: readonly number[], impostor: Stats): number {
  const g = stats(genuine);
  const genuineStd = Math.max(g.std, impostor.std);
  const equalError = (impostor.mean * genuineStd + g.mean * impostor.std) / (impostor.std + genuineStd);
  return Math.min(impostor.mean + BOUNDARY_LIMITS.max * impostor.std, Math.max(impostor.mean + BOUNDARY_LIMITS.min * impostor.std, equalError));
}

/** T statistics of each cohort embedding against the others (other speakers only when labels are known). */
export function cohortSelfStats(cohort: readonly Vector[], speakers?: readonly string[]): Stats[] {
  return cohort.map((c, j) => cohortStats(c, cohort, (k) => k === j || (speakers !== undefined && speakers[k] === speakers[j])));
}
