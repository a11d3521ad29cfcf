import { mulberry32 } from '../audio/prng.ts';
import { VoiceprintError } from '../voiceprint-error.ts';
import { Gmm, logSumExp, selectTop, type GmmJson } from './gmm.ts';
import { packInt16, unpackInt16 } from './packed-arrays.ts';

/**
 * Session-variability compensation in the feature domain ("eigenchannel" factor analysis applied to
 * the frames: Vair et al., Odyssey 2006; Castaldo et al., IEEE TASLP 15(7), 2007).
 *
 * What changes between two recordings of one speaker — the microphone or phone line, the codec,
 * noise suppression, and on 2–5 s utterances the words — moves the utterance's GMM statistics
 * along a low-rank subspace U of the UBM's mean supervector. For each utterance the offset y in
 * that subspace is estimated from its Baum-Welch statistics against the UBM (the posterior mean
 * under a N(0, I) prior), and every frame is moved back: x̂_t = x_t − Σᵢ γᵢ(t)·σᵢ⊙(Uᵢ·y). Speaker
 * models, cohort and Z-norm then live in a space where the session is (mostly) removed.
 *
 * Hand-written: no JavaScript library does factor analysis over GMM statistics, and the sizes are
 * small (64 components × 60 dims × rank ≤ 64; an R×R Cholesky per utterance).
 *
 * U is stored per component in units of the UBM's standard deviations (Uᵢ = σᵢ⁻¹·offset), which
 * makes the estimate y = (I + Σᵢ nᵢ·UᵢᵀUᵢ)⁻¹·Σᵢ Uᵢᵀ·F̃ᵢ with F̃ᵢ = Σ_t γᵢ(t)(x_t − μᵢ)/σᵢ.
 */
export interface SessionSubspace {
  rank: number;
  /** components × dims × rank, row-major (component, dim, factor), in σ units. */
  loadings: Float64Array;
  /**
   * The UBM the statistics are computed against: the one it was trained with, on uncompensated
   * frames. The backend's scoring UBM may be another one, retrained on compensated frames.
   */
  ubm: Gmm;
}

/** Zeroth- and first-order statistics of one utterance, the first order centred on `centre` and in σ units. */
interface Stats {
  n: Float64Array;
  f: Float64Array;
}

/** Top-C frame posteriors against the UBM (the same top-C as scoring): indices and γ per frame. */
function posteriors(ubm: Gmm, frames: Float32Array, topC: number): { index: Int32Array; gamma: Float64Array } {
  const { components: k, dims } = ubm;
  const count = frames.length / dims;
  const c = Math.min(topC, k);
  const index = new Int32Array(count * c);
  const gamma = new Float64Array(count * c);
  const ll = new Float64Array(k);
  const squares = new Float64Array(dims);
  const top = new Float64Array(c);
  for (let t = 0; t < count; t++) {
    ubm.componentLogLikelihoods(frames, t, ll, squares);
    selectTop(ll, c, index.subarray(t * c, (t + 1) * c), top);
    const lse = logSumExp(top);
    for (let j = 0; j < c; j++) gamma[t * c + j] = Math.exp(top[j]! - lse);
  }
  return { index, gamma };
}

/** nᵢ and F̃ᵢ = Σ_t γᵢ(t)(x_t − centreᵢ)/σᵢ. */
function statistics(ubm: Gmm, frames: Float32Array, post: { index: Int32Array; gamma: Float64Array }, centre: Float64Array): Stats {
  const { components: k, dims } = ubm;
  const count = frames.length / dims;
  const c = post.index.length / Math.max(count, 1);
  const n = new Float64Array(k);
  const f = new Float64Array(k * dims);
  for (let t = 0; t < count; t++) {
    for (let j = 0; j < c; j++) {
      const i = post.index[t * c + j]!;
      const g = post.gamma[t * c + j]!;
      n[i] = n[i]! + g;
      for (let d = 0; d < dims; d++) f[i * dims + d] = f[i * dims + d]! + g * frames[t * dims + d]!;
    }
  }
  for (let i = 0; i < k; i++) {
    for (let d = 0; d < dims; d++) {
      const j = i * dims + d;
      f[j] = (f[j]! - n[i]! * centre[j]!) / Math.sqrt(ubm.variances[j]!);
    }
  }
  return { n, f };
}

/** Posterior of y given the statistics: mean and the precision L = I + Σᵢ nᵢ UᵢᵀUᵢ (Cholesky factor kept). */
function factorPosterior(ubm: Gmm, rank: number, loadings: Float64Array, gram: Float64Array, stats: Stats): { y: Float64Array; chol: Float64Array } {
  const { components: k, dims } = ubm;
  const l = new Float64Array(rank * rank);
  for (let r = 0; r < rank; r++) l[r * rank + r] = 1;
  const b = new Float64Array(rank);
  for (let i = 0; i < k; i++) {
    const n = stats.n[i]!;
    if (n < 1e-6) continue;
    const g = i * rank * rank;
    for (let e = 0; e < rank * rank; e++) l[e] = l[e]! + n * gram[g + e]!;
    for (let d = 0; d < dims; d++) {
      const fv = stats.f[i * dims + d]!;
      const row = (i * dims + d) * rank;
      for (let r = 0; r < rank; r++) b[r] = b[r]! + loadings[row + r]! * fv;
    }
  }
  const chol = cholesky(l, rank);
  return { y: choleskySolve(chol, rank, b), chol };
}

/** UᵢᵀUᵢ for every component (R×R each). */
function gramPerComponent(components: number, dims: number, rank: number, loadings: Float64Array): Float64Array {
  const gram = new Float64Array(components * rank * rank);
  for (let i = 0; i < components; i++) {
    for (let d = 0; d < dims; d++) {
      const row = (i * dims + d) * rank;
      for (let a = 0; a < rank; a++) {
        const ua = loadings[row + a]!;
        for (let c = 0; c < rank; c++) gram[i * rank * rank + a * rank + c] = gram[i * rank * rank + a * rank + c]! + ua * loadings[row + c]!;
      }
    }
  }
  return gram;
}

const grams = new WeakMap<SessionSubspace, Float64Array>();

/**
 * The frames of one utterance with its session offset removed (a new array). An utterance with
 * no frames is returned as is.
 *
 * @example
 * const clean = compensateSession(subspace, features.data); // then MAP / score as usual
 */
export function compensateSession(subspace: SessionSubspace, frames: Float32Array, topC = 5): Float32Array {
  const ubm = subspace.ubm;
  const { components: k, dims } = ubm;
  const count = frames.length / dims;
  if (count === 0) return frames;
  const rank = subspace.rank;
  let gram = grams.get(subspace);
  if (!gram) {
    gram = gramPerComponent(k, dims, rank, subspace.loadings);
    grams.set(subspace, gram);
  }
  const post = posteriors(ubm, frames, topC);
  const { y } = factorPosterior(ubm, rank, subspace.loadings, gram, statistics(ubm, frames, post, ubm.means));
  // The offset of every component in feature units: σᵢ⊙(Uᵢ·y).
  const offset = new Float64Array(k * dims);
  for (let j = 0; j < k * dims; j++) {
    let s = 0;
    for (let r = 0; r < rank; r++) s += subspace.loadings[j * rank + r]! * y[r]!;
    offset[j] = s * Math.sqrt(ubm.variances[j]!);
  }
  const c = post.index.length / count;
  const out = Float32Array.from(frames);
  for (let t = 0; t < count; t++) {
    for (let j = 0; j < c; j++) {
      const i = post.index[t * c + j]!;
      const g = post.gamma[t * c + j]!;
      for (let d = 0; d < dims; d++) out[t * dims + d] = out[t * dims + d]! - g * offset[i * dims + d]!;
    }
  }
  return out;
}

export interface TrainSessionSubspaceOptions {
  rank: number;
  /** EM iterations (Kenny's eigenchannel M-step). */
  iterations: number;
  seed: number;
  /** Relevance factor of each speaker's centre (its MAP-adapted means over all its utterances). */
  relevance: number;
  topC?: number;
  onIteration?: (iteration: number, meanSquaredFactor: number) => void;
}

/**
 * Trains U by maximum likelihood (the eigenchannel EM of Kenny et al., IEEE TASLP 15(4), 2007) on
 * several sessions per speaker: each utterance's statistics are centred on its speaker's MAP means,
 * so what is left — and what U learns — is the variation between sessions of one speaker.
 * `speakers[s]` holds that speaker's utterances (feature frames); different channels of one
 * recording count as different sessions.
 */
export function trainSessionSubspace(ubm: Gmm, speakers: ReadonlyArray<readonly Float32Array[]>, options: TrainSessionSubspaceOptions): SessionSubspace {
  const { components: k, dims } = ubm;
  const { rank, relevance } = options;
  const topC = options.topC ?? 5;
  const all: Stats[] = [];
  for (const utterances of speakers) {
    const posts = utterances.map((u) => posteriors(ubm, u, topC));
    const zero = new Float64Array(k * dims);
    const raw = utterances.map((u, j) => statistics(ubm, u, posts[j]!, zero));
    // The speaker's centre: MAP means over all its sessions (raw stats are Σγx/σ here).
    const centre = new Float64Array(k * dims);
    for (let i = 0; i < k; i++) {
      let n = 0;
      for (const s of raw) n += s.n[i]!;
      for (let d = 0; d < dims; d++) {
        const j = i * dims + d;
        let f = 0;
        for (const s of raw) f += s.f[j]!;
        centre[j] = (f * Math.sqrt(ubm.variances[j]!) + relevance * ubm.means[j]!) / (n + relevance);
      }
    }
    for (const [j, u] of utterances.entries()) all.push(statistics(ubm, u, posts[j]!, centre));
  }
  if (all.length < rank) throw new RangeError(`trainSessionSubspace needs ≥ ${rank} utterances`);
  const loadings = principalInit(all, k * dims, rank, relevance, options.seed);
  for (let it = 0; it < options.iterations; it++) {
    const gram = gramPerComponent(k, dims, rank, loadings);
    const a = new Float64Array(k * rank * rank);
    const c = new Float64Array(k * dims * rank);
    let meanSquare = 0;
    const second = new Float64Array(rank * rank);
    for (const stats of all) {
      const { y, chol } = factorPosterior(ubm, rank, loadings, gram, stats);
      // E[yyᵀ] = L⁻¹ + y·yᵀ
      const cov = choleskyInverse(chol, rank);
      for (let p = 0; p < rank; p++) for (let q = 0; q < rank; q++) cov[p * rank + q] = cov[p * rank + q]! + y[p]! * y[q]!;
      for (let r = 0; r < rank; r++) meanSquare += y[r]! * y[r]!;
      for (let e = 0; e < rank * rank; e++) second[e] = second[e]! + cov[e]! / all.length;
      for (let i = 0; i < k; i++) {
        const n = stats.n[i]!;
        if (n < 1e-6) continue;
        const base = i * rank * rank;
        for (let e = 0; e < rank * rank; e++) a[base + e] = a[base + e]! + n * cov[e]!;
        for (let d = 0; d < dims; d++) {
          const fv = stats.f[i * dims + d]!;
          const row = (i * dims + d) * rank;
          for (let r = 0; r < rank; r++) c[row + r] = c[row + r]! + fv * y[r]!;
        }
      }
    }
    // Uᵢ = Cᵢ·Aᵢ⁻¹ for each component (Aᵢ symmetric positive definite).
    for (let i = 0; i < k; i++) {
      const ai = a.subarray(i * rank * rank, (i + 1) * rank * rank);
      for (let r = 0; r < rank; r++) ai[r * rank + r] = ai[r * rank + r]! + 1e-6;
      const chol = cholesky(Float64Array.from(ai), rank);
      for (let d = 0; d < dims; d++) {
        const row = (i * dims + d) * rank;
        loadings.set(choleskySolve(chol, rank, c.subarray(row, row + rank)), row);
      }
    }
    // Minimum-divergence step (Kenny et al.): the factors should be N(0, I); U absorbs their actual
    // second moment S = L·Lᵀ (U ← U·L), which makes EM converge in a few iterations.
    const l = cholesky(second, rank);
    const row = new Float64Array(rank);
    for (let j = 0; j < k * dims; j++) {
      for (let c = 0; c < rank; c++) {
        let s = 0;
        for (let r = c; r < rank; r++) s += loadings[j * rank + r]! * l[r * rank + c]!;
        row[c] = s;
      }
      loadings.set(row, j * rank);
    }
    options.onIteration?.(it + 1, meanSquare / (all.length * rank));
  }
  return { rank, loadings, ubm };
}

export interface SessionSubspaceJson {
  format: 'verity-voiceprint-session/1';
  /** The UBM of the statistics (see SessionSubspace.ubm). */
  ubm: GmmJson;
  rank: number;
  /** Int16 base64 of loadings × scale, components × dims × rank (half the size of Float32; the step, 1/scale, is ~3·10⁻⁵ of the largest loading). */
  loadings: string;
  scale: number;
  meta?: Record<string, unknown>;
}

export function sessionSubspaceToJSON(subspace: SessionSubspace, meta?: Record<string, unknown>): SessionSubspaceJson {
  let largest = 0;
  for (const v of subspace.loadings) largest = Math.max(largest, Math.abs(v));
  const scale = Number((32_000 / Math.max(largest, 1e-9)).toPrecision(6));
  return { format: 'verity-voiceprint-session/1', ubm: subspace.ubm.toJSON(), rank: subspace.rank, scale, loadings: packInt16(subspace.loadings, scale), ...(meta ? { meta } : {}) };
}

/** Parses the file; `dims` is the feature size of the scoring UBM, which the subspace's frames must share. */
export function sessionSubspaceFromJSON(value: unknown, dims: number): SessionSubspace {
  const json = value as Partial<SessionSubspaceJson> | null;
  if (!json || json.format !== 'verity-voiceprint-session/1' || !Number.isInteger(json.rank) || (json.rank ?? 0) < 1 || typeof json.loadings !== 'string' || !(typeof json.scale === 'number' && json.scale > 0)) {
    throw new VoiceprintError('model_invalid', 'The session-compensation file is malformed.');
  }
  const ubm = Gmm.fromJSON(json.ubm);
  const loadings = Float64Array.from(unpackInt16(json.loadings, json.scale!));
  if (ubm.dims !== dims || loadings.length !== ubm.components * ubm.dims * json.rank! || !loadings.every(Number.isFinite)) {
    throw new VoiceprintError('model_invalid', 'The session-compensation file does not match the UBM size.');
  }
  return { rank: json.rank!, loadings, ubm };
}

/**
 * EM from a random start takes hundreds of iterations to grow U to its scale, so it starts from
 * principal components instead: the top `rank` directions (subspace iteration, 12 rounds) of the
 * sessions' offsets F̃ᵢ/(nᵢ + r), each scaled by the square root of its variance.
 */
function principalInit(all: readonly Stats[], size: number, rank: number, relevance: number, seed: number): Float64Array {
  const rows = all.map((stats) => {
    const dims = size / stats.n.length;
    return Float64Array.from(stats.f, (f, j) => f / (stats.n[Math.floor(j / dims)]! + relevance));
  });
  const random = mulberry32(seed);
  let q: Float64Array[] = Array.from({ length: rank }, () => Float64Array.from({ length: size }, () => random() - 0.5));
  let variances = new Float64Array(rank);
  for (let round = 0; round < 12; round++) {
    // q ← Xᵀ·(X·q), then Gram-Schmidt; the norms before normalising are the variances × count.
    const next = q.map(() => new Float64Array(size));
    for (const row of rows) {
      for (let r = 0; r < rank; r++) {
        let p = 0;
        const qr = q[r]!;
        for (let j = 0; j < size; j++) p += row[j]! * qr[j]!;
        const nr = next[r]!;
        for (let j = 0; j < size; j++) nr[j] = nr[j]! + p * row[j]!;
      }
    }
    variances = new Float64Array(rank);
    for (let r = 0; r < rank; r++) {
      const v = next[r]!;
      for (let p = 0; p < r; p++) {
        const u = next[p]!;
        let dot = 0;
        for (let j = 0; j < size; j++) dot += v[j]! * u[j]!;
        for (let j = 0; j < size; j++) v[j] = v[j]! - dot * u[j]!;
      }
      let norm = 0;
      for (let j = 0; j < size; j++) norm += v[j]! * v[j]!;
      norm = Math.sqrt(norm);
      variances[r] = norm / rows.length;
      for (let j = 0; j < size; j++) v[j] = v[j]! / Math.max(norm, 1e-300);
    }
    q = next;
  }
  const loadings = new Float64Array(size * rank);
  for (let j = 0; j < size; j++) for (let r = 0; r < rank; r++) loadings[j * rank + r] = q[r]![j]! * Math.sqrt(variances[r]!);
  return loadings;
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite n×n matrix (row-major). */
function cholesky(m: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * n + j]!;
      for (let p = 0; p < j; p++) s -= l[i * n + p]! * l[j * n + p]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves (L·Lᵀ)·x = b. */
function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let p = 0; p < i; p++) s -= l[i * n + p]! * z[p]!;
    z[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let p = i + 1; p < n; p++) s -= l[p * n + i]! * x[p]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** (L·Lᵀ)⁻¹, column by column. */
function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(l, n, e);
    for (let r = 0; r < n; r++) inv[r * n + c] = col[r]!;
  }
  return inv;
}
