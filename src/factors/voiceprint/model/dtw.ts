/** A feature sequence for template matching: `count` frames of `dims` values, row-major. */
export interface Sequence {
  dims: number;
  count: number;
  data: Float32Array;
}

export interface DtwOptions {
  /**
   * Sakoe–Chiba band half-width as a share of the second sequence's length, around the diagonal
   * scaled to both lengths (speaker-verification.md §2.5: 10–15 %).
   */
  band?: number;
}

/**
 * Dynamic time warping distance (Euclidean local cost, symmetric steps weighted 1–2–1, so the
 * total is normalised by the path length n + m). The band follows the line j = i·m/n so sequences
 * spoken at different speeds still align; the result is the mean per-frame distance along the
 * best path. Returns Infinity when either sequence is empty.
 *
 * @example
 * const d = dtwDistance(templateA, templateB); // small for the same phrase by the same voice
 */
export function dtwDistance(a: Sequence, b: Sequence, options: DtwOptions = {}): number {
  const n = a.count;
  const m = b.count;
  if (n === 0 || m === 0) return Infinity;
  if (a.dims !== b.dims) throw new RangeError('DTW sequences must have the same dimension');
  const dims = a.dims;
  const width = Math.max(2, Math.ceil((options.band ?? 0.15) * Math.max(n, m)));
  let previous = new Float64Array(m).fill(Infinity);
  let current = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const centre = n === 1 ? 0 : (i * (m - 1)) / (n - 1);
    const from = Math.max(0, Math.floor(centre - width));
    const to = Math.min(m - 1, Math.ceil(centre + width));
    current.fill(Infinity);
    for (let j = from; j <= to; j++) {
      let sum = 0;
      for (let d = 0; d < dims; d++) {
        const diff = a.data[i * dims + d]! - b.data[j * dims + d]!;
        sum += diff * diff;
      }
      const cost = Math.sqrt(sum);
      if (i === 0 && j === 0) {
        current[j] = 2 * cost;
        continue;
      }
      const diagonal = i > 0 && j > 0 ? previous[j - 1]! + 2 * cost : Infinity;
      const up = i > 0 ? previous[j]! + cost : Infinity;
      const left = j > 0 ? current[j - 1]! + cost : Infinity;
      current[j] = Math.min(diagonal, up, left);
    }
    [previous, current] = [current, previous];
  }
  return previous[m - 1]! / (n + m);
}

/**
 * Keeps the first `keepDims` values of every `step`-th frame: the DTW template (statics + Δ of
 * every second frame halves the cost and the stored size; the phrase's shape survives).
 */
export function decimate(sequence: Sequence, step: number, keepDims: number): Sequence {
  const count = Math.ceil(sequence.count / step);
  const data = new Float32Array(count * keepDims);
  for (let t = 0; t < count; t++) data.set(sequence.data.subarray(t * step * sequence.dims, t * step * sequence.dims + keepDims), t * keepDims);
  return { dims: keepDims, count, data };
}
