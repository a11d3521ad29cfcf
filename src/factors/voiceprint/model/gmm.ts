import { mulberry32 } from '../audio/prng.ts';
import { VoiceprintError } from '../voiceprint-error.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/** Serialised form of a {@link Gmm}: flat arrays, numbers rounded to 6 significant digits. */
export interface GmmJson {
  format: 'verity-gmm/1';
  components: number;
  dims: number;
  weights: number[];
  /** components × dims, row-major. */
  means: number[];
  variances: number[];
  /** Free-form provenance (corpus, date, options); carried through unchanged. */
  meta?: Record<string, unknown>;
}

/**
 * A diagonal-covariance Gaussian mixture. The per-component constants are precomputed so a frame
 * log-likelihood costs two multiply-adds per dimension per component:
 * ln wᵢ + ln N(x; μᵢ, σᵢ²) = cᵢ + Σ_d (x_d·μ_d/σ_d² − ½·x_d²/σ_d²).
 */
export class Gmm {
  readonly components: number;
  readonly dims: number;
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly variances: Float64Array;
  readonly meta: Record<string, unknown> | undefined;
  /** 1/σ², components × dims. */
  readonly precisions: Float64Array;
  /** μ/σ², components × dims. */
  readonly scaledMeans: Float64Array;
  /** ln wᵢ − ½(d·ln 2π + Σ ln σ² + Σ μ²/σ²). */
  readonly constants: Float64Array;

  constructor(weights: Float64Array, means: Float64Array, variances: Float64Array, meta?: Record<string, unknown>) {
    const components = weights.length;
    const dims = components === 0 ? 0 : means.length / components;
    if (components === 0 || !Number.isInteger(dims) || dims === 0 || variances.length !== means.length) {
      throw new RangeError('A GMM needs ≥ 1 component and means/variances of components × dims values');
    }
    this.components = components;
    this.dims = dims;
    this.weights = weights;
    this.means = means;
    this.variances = variances;
    this.meta = meta;
    this.precisions = new Float64Array(means.length);
    this.scaledMeans = new Float64Array(means.length);
    this.constants = new Float64Array(components);
    for (let i = 0; i < components; i++) {
      let c = Math.log(Math.max(weights[i]!, 1e-300)) - 0.5 * dims * LOG_2PI;
      for (let d = 0; d < dims; d++) {
        const j = i * dims + d;
        const p = 1 / variances[j]!;
        this.precisions[j] = p;
        this.scaledMeans[j] = means[j]! * p;
        c -= 0.5 * (Math.log(variances[j]!) + means[j]! * means[j]! * p);
      }
      this.constants[i] = c;
    }
  }

  /** The same mixture with other means (weights and variances shared): a MAP speaker model. */
  withMeans(means: Float64Array): Gmm {
    return new Gmm(this.weights, means, this.variances, this.meta);
  }

  /** ln(wᵢ·N(x_t; μᵢ, Σᵢ)) for every component i into `out`; x_t is row t of `frames`. */
  componentLogLikelihoods(frames: Float32Array, t: number, out: Float64Array, squares: Float64Array = new Float64Array(this.dims)): Float64Array {
    const dims = this.dims;
    const base = t * dims;
    for (let d = 0; d < dims; d++) squares[d] = frames[base + d]! * frames[base + d]!;
    for (let i = 0; i < this.components; i++) {
      const row = i * dims;
      let sum = this.constants[i]!;
      for (let d = 0; d < dims; d++) sum += frames[base + d]! * this.scaledMeans[row + d]! - 0.5 * squares[d]! * this.precisions[row + d]!;
      out[i] = sum;
    }
    return out;
  }

  /** ln wᵢ + ln N(x_t; μᵢ, Σᵢ) for one component. */
  componentLogLikelihood(frames: Float32Array, t: number, i: number): number {
    const dims = this.dims;
    const base = t * dims;
    const row = i * dims;
    let sum = this.constants[i]!;
    for (let d = 0; d < dims; d++) {
      const x = frames[base + d]!;
      sum += x * this.scaledMeans[row + d]! - 0.5 * x * x * this.precisions[row + d]!;
    }
    return sum;
  }

  /** Mean over frames of ln p(x_t) (log-sum-exp over all components). */
  averageLogLikelihood(frames: Float32Array): number {
    const count = frames.length / this.dims;
    if (count === 0) return 0;
    const ll = new Float64Array(this.components);
    const squares = new Float64Array(this.dims);
    let total = 0;
    for (let t = 0; t < count; t++) total += logSumExp(this.componentLogLikelihoods(frames, t, ll, squares));
    return total / count;
  }

  /** Compact JSON: flat arrays, 6 significant digits. */
  toJSON(): GmmJson {
    const json: GmmJson = {
      format: 'verity-gmm/1',
      components: this.components,
      dims: this.dims,
      weights: roundAll(this.weights),
      means: roundAll(this.means),
      variances: roundAll(this.variances),
    };
    if (this.meta) json.meta = this.meta;
    return json;
  }

  /** Parses {@link GmmJson}; throws VoiceprintError('model_invalid') on anything malformed. */
  static fromJSON(value: unknown): Gmm {
    const json = value as Partial<GmmJson> | null;
    const ok =
      json !== null &&
      typeof json === 'object' &&
      json.format === 'verity-gmm/1' &&
      Number.isInteger(json.components) &&
      Number.isInteger(json.dims) &&
      isNumberArray(json.weights, json.components!) &&
      isNumberArray(json.means, json.components! * json.dims!) &&
      isNumberArray(json.variances, json.components! * json.dims!) &&
      json.variances.every((v) => v > 0);
    if (!ok) throw new VoiceprintError('model_invalid', 'Expected a verity-gmm/1 model with consistent weights, means and positive variances.');
    return new Gmm(Float64Array.from(json.weights!), Float64Array.from(json.means!), Float64Array.from(json.variances!), json.meta);
  }
}

export interface TrainUbmOptions {
  /** Final number of components (speaker-verification.md §2.1: 64–128 for this little data). */
  components: number;
  /** EM iterations at the final size; intermediate sizes get half as many (at least 2). */
  iterations: number;
  /** Seeds frame subsampling and the split directions; same seed + data → same model. */
  seed: number;
  /** Variance floor as a fraction of the data's global variance per dimension (default 0.01). */
  varianceFloor?: number;
  /** Use at most this many frames (evenly strided subsample) to bound training time. */
  maxFrames?: number;
  /** Called after each EM iteration (progress logs). */
  onIteration?: (info: { components: number; iteration: number; averageLogLikelihood: number }) => void;
}

/**
 * Trains a diagonal UBM by binary splitting (SIDEKIT's way) with EM at each size: start from one
 * Gaussian (the global mean and variance), split the heaviest components along ±0.2σ until
 * `components` are reached, run EM after each split. Variances are floored; a component whose
 * weight collapses is re-seeded by splitting the heaviest one. Deterministic for a given seed.
 *
 * @example
 * const ubm = trainUbm(allFrames, 60, { components: 64, iterations: 10, seed: 1 });
 */
export function trainUbm(frames: Float32Array, dims: number, options: TrainUbmOptions): Gmm {
  const random = mulberry32(options.seed);
  let data = frames;
  const total = frames.length / dims;
  if (!Number.isInteger(total) || total < 2 * options.components) throw new RangeError(`trainUbm needs ≥ ${2 * options.components} frames of ${dims} dims`);
  if (options.maxFrames !== undefined && total > options.maxFrames) {
    data = new Float32Array(options.maxFrames * dims);
    const stride = total / options.maxFrames;
    const offset = random() * stride;
    for (let t = 0; t < options.maxFrames; t++) {
      const src = Math.min(total - 1, Math.floor(offset + t * stride));
      data.set(frames.subarray(src * dims, (src + 1) * dims), t * dims);
    }
  }
  const count = data.length / dims;
  const globalMean = new Float64Array(dims);
  const globalVar = new Float64Array(dims);
  for (let t = 0; t < count; t++) for (let d = 0; d < dims; d++) globalMean[d] = globalMean[d]! + data[t * dims + d]! / count;
  for (let t = 0; t < count; t++) {
    for (let d = 0; d < dims; d++) {
      const x = data[t * dims + d]! - globalMean[d]!;
      globalVar[d] = globalVar[d]! + (x * x) / count;
    }
  }
  const floor = globalVar.map((v) => Math.max(v * (options.varianceFloor ?? 0.01), 1e-8));

  let weights: Float64Array = Float64Array.of(1);
  let means: Float64Array = Float64Array.from(globalMean);
  let variances: Float64Array = Float64Array.from(globalVar, (v, d) => Math.max(v, floor[d]!));
  while (weights.length < options.components) {
    ({ weights, means, variances } = split(weights, means, variances, Math.min(options.components, 2 * weights.length), dims, random));
    const iterations = weights.length === options.components ? options.iterations : Math.max(2, Math.ceil(options.iterations / 2));
    for (let it = 0; it < iterations; it++) {
      const step = emStep(new Gmm(weights, means, variances), data, floor);
      ({ weights, means, variances } = reseedDead(step, dims, random));
      options.onIteration?.({ components: weights.length, iteration: it + 1, averageLogLikelihood: step.averageLogLikelihood });
    }
  }
  if (options.components === 1) {
    for (let it = 0; it < options.iterations; it++) ({ weights, means, variances } = emStep(new Gmm(weights, means, variances), data, floor));
  }
  return new Gmm(weights, means, variances);
}

interface Parameters {
  weights: Float64Array;
  means: Float64Array;
  variances: Float64Array;
}

function split(weights: Float64Array, means: Float64Array, variances: Float64Array, target: number, dims: number, random: () => number): Parameters {
  const order = Array.from(weights.keys()).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const k = weights.length;
  const w = new Float64Array(target);
  const m = new Float64Array(target * dims);
  const v = new Float64Array(target * dims);
  w.set(weights);
  m.set(means);
  v.set(variances);
  for (let s = 0; s < target - k; s++) {
    const src = order[s % k]!;
    const dst = k + s;
    w[src] = w[src]! / 2;
    w[dst] = w[src]!;
    for (let d = 0; d < dims; d++) {
      const offset = 0.2 * Math.sqrt(v[src * dims + d]!) * (random() < 0.5 ? -1 : 1);
      m[dst * dims + d] = m[src * dims + d]! - offset;
      m[src * dims + d] = m[src * dims + d]! + offset;
      v[dst * dims + d] = v[src * dims + d]!;
    }
  }
  return { weights: w, means: m, variances: v };
}

function emStep(gmm: Gmm, data: Float32Array, floor: Float64Array): Parameters & { averageLogLikelihood: number } {
  const { components: k, dims } = gmm;
  const count = data.length / dims;
  const n = new Float64Array(k);
  const sx = new Float64Array(k * dims);
  const sxx = new Float64Array(k * dims);
  const ll = new Float64Array(k);
  const squares = new Float64Array(dims);
  let totalLl = 0;
  for (let t = 0; t < count; t++) {
    gmm.componentLogLikelihoods(data, t, ll, squares);
    const lse = logSumExp(ll);
    totalLl += lse;
    for (let i = 0; i < k; i++) {
      const gamma = Math.exp(ll[i]! - lse);
      if (gamma < 1e-6) continue;
      n[i] = n[i]! + gamma;
      const row = i * dims;
      for (let d = 0; d < dims; d++) {
        const x = data[t * dims + d]!;
        sx[row + d] = sx[row + d]! + gamma * x;
        sxx[row + d] = sxx[row + d]! + gamma * x * x;
      }
    }
  }
  const weights = new Float64Array(k);
  const means = new Float64Array(k * dims);
  const variances = new Float64Array(k * dims);
  for (let i = 0; i < k; i++) {
    weights[i] = n[i]! / count;
    for (let d = 0; d < dims; d++) {
      const j = i * dims + d;
      if (n[i]! < 1e-3) {
        means[j] = gmm.means[j]!;
        variances[j] = gmm.variances[j]!;
        continue;
      }
      const mean = sx[j]! / n[i]!;
      means[j] = mean;
      variances[j] = Math.max(sxx[j]! / n[i]! - mean * mean, floor[d]!);
    }
  }
  return { weights, means, variances, averageLogLikelihood: totalLl / count };
}

/** Components with (almost) no data get half of the heaviest component's mass and a split of it. */
function reseedDead(p: Parameters, dims: number, random: () => number): Parameters {
  const k = p.weights.length;
  const minWeight = 1e-4 / k;
  for (let i = 0; i < k; i++) {
    if (p.weights[i]! >= minWeight) continue;
    let heaviest = 0;
    for (let j = 1; j < k; j++) if (p.weights[j]! > p.weights[heaviest]!) heaviest = j;
    p.weights[heaviest] = p.weights[heaviest]! / 2;
    p.weights[i] = p.weights[heaviest]!;
    for (let d = 0; d < dims; d++) {
      const offset = 0.2 * Math.sqrt(p.variances[heaviest * dims + d]!) * (random() < 0.5 ? -1 : 1);
      p.means[i * dims + d] = p.means[heaviest * dims + d]! - offset;
      p.means[heaviest * dims + d] = p.means[heaviest * dims + d]! + offset;
      p.variances[i * dims + d] = p.variances[heaviest * dims + d]!;
    }
  }
  return p;
}

/**
 * MAP adaptation of the means only (Reynolds et al. 2000): nᵢ = Σγᵢ(t), Eᵢ = Σγᵢ(t)x_t / nᵢ,
 * αᵢ = nᵢ/(nᵢ + r), μ̂ᵢ = αᵢEᵢ + (1 − αᵢ)μᵢ. Weights and variances stay the UBM's.
 *
 * @example
 * const speaker = mapAdaptMeans(ubm, enrolmentFrames, 8);
 */
export function mapAdaptMeans(ubm: Gmm, frames: Float32Array, relevance: number): Gmm {
  return ubm.withMeans(mapAdaptedMeans(ubm, frames, relevance).means);
}

/** The adapted means and the occupation counts nᵢ behind them. */
export function mapAdaptedMeans(ubm: Gmm, frames: Float32Array, relevance: number): { means: Float64Array; occupancy: Float64Array } {
  const { components: k, dims } = ubm;
  const count = frames.length / dims;
  const n = new Float64Array(k);
  const sx = new Float64Array(k * dims);
  const ll = new Float64Array(k);
  const squares = new Float64Array(dims);
  for (let t = 0; t < count; t++) {
    ubm.componentLogLikelihoods(frames, t, ll, squares);
    const lse = logSumExp(ll);
    for (let i = 0; i < k; i++) {
      const gamma = Math.exp(ll[i]! - lse);
      if (gamma < 1e-8) continue;
      n[i] = n[i]! + gamma;
      for (let d = 0; d < dims; d++) sx[i * dims + d] = sx[i * dims + d]! + gamma * frames[t * dims + d]!;
    }
  }
  const means = new Float64Array(k * dims);
  for (let i = 0; i < k; i++) {
    const alpha = n[i]! / (n[i]! + relevance);
    for (let d = 0; d < dims; d++) {
      const j = i * dims + d;
      const e = n[i]! > 0 ? sx[j]! / n[i]! : 0;
      means[j] = alpha * e + (1 - alpha) * ubm.means[j]!;
    }
  }
  return { means, occupancy: n };
}

/**
 * Average frame log-likelihood ratio Λ = (1/T)·Σ_t [ln p(x_t|speaker) − ln p(x_t|UBM)] with top-C
 * fast scoring: the C best UBM components of each frame are found once, and both models are
 * evaluated on those C components only (speaker-verification.md §2.1).
 *
 * @example
 * const llr = averageLlr(speaker, ubm, testFeatures.data); // > 0 leans towards the speaker
 */
export function averageLlr(speaker: Gmm, ubm: Gmm, frames: Float32Array, topC = 5): number {
  return averageLlrs([speaker.means], ubm, frames, topC)[0]!;
}

/**
 * Λ for several speaker models that share the UBM's weights and variances (given by their means),
 * sharing the UBM pass: used for the claimed speaker and a T-norm cohort in one go.
 */
export function averageLlrs(speakerMeans: readonly Float64Array[], ubm: Gmm, frames: Float32Array, topC = 5): number[] {
  const { components: k, dims } = ubm;
  const count = frames.length / dims;
  const totals = new Float64Array(speakerMeans.length);
  if (count === 0) return Array.from(totals);
  const c = Math.min(topC, k);
  const ll = new Float64Array(k);
  const squares = new Float64Array(dims);
  const top = new Int32Array(c);
  const topLl = new Float64Array(c);
  const spkLl = new Float64Array(c);
  for (let t = 0; t < count; t++) {
    ubm.componentLogLikelihoods(frames, t, ll, squares);
    selectTop(ll, c, top, topLl);
    const ubmLse = logSumExp(topLl);
    for (let s = 0; s < speakerMeans.length; s++) {
      const means = speakerMeans[s]!;
      for (let j = 0; j < c; j++) {
        const i = top[j]!;
        const row = i * dims;
        let sum = 0;
        for (let d = 0; d < dims; d++) {
          const diff = frames[t * dims + d]! - means[row + d]!;
          sum += diff * diff * ubm.precisions[row + d]!;
        }
        spkLl[j] = componentBase(ubm, i) - 0.5 * sum;
      }
      totals[s] = totals[s]! + logSumExp(spkLl) - ubmLse;
    }
  }
  return Array.from(totals, (x) => x / count);
}

const bases = new WeakMap<Gmm, Float64Array>();

/** ln wᵢ − ½(d·ln 2π + Σ ln σ²): the part of a component's log-density that ignores the mean. */
function componentBase(gmm: Gmm, i: number): number {
  let b = bases.get(gmm);
  if (!b) {
    b = new Float64Array(gmm.components);
    for (let j = 0; j < gmm.components; j++) {
      let c = Math.log(Math.max(gmm.weights[j]!, 1e-300)) - 0.5 * gmm.dims * LOG_2PI;
      for (let d = 0; d < gmm.dims; d++) c -= 0.5 * Math.log(gmm.variances[j * gmm.dims + d]!);
      b[j] = c;
    }
    bases.set(gmm, b);
  }
  return b[i]!;
}

/** Indices and values of the c largest entries of `values` (c is small: insertion into a short list). */
export function selectTop(values: Float64Array, c: number, indices: Int32Array, top: Float64Array): void {
  top.fill(-Infinity);
  indices.fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v <= top[c - 1]!) continue;
    let j = c - 1;
    while (j > 0 && top[j - 1]! < v) {
      top[j] = top[j - 1]!;
      indices[j] = indices[j - 1]!;
      j--;
    }
    top[j] = v;
    indices[j] = i;
  }
}

/** ln Σ exp(vᵢ), stable. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}

function roundAll(values: Float64Array): number[] {
  return Array.from(values, (v) => Number(v.toPrecision(6)));
}

function isNumberArray(value: unknown, length: number): value is number[] {
  return Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}
