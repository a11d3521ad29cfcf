/**
 * Regression deltas (HTK/Kaldi): d_t = Σ_{n=1..W} n·(c_{t+n} − c_{t−n}) / (2·Σ n²), frames past
 * either end replaced by the first or last frame. Input and output are frames × dims, row-major.
 */
export function deltas(data: Float32Array, frames: number, dims: number, window = 2): Float32Array {
  const out = new Float32Array(frames * dims);
  let denominator = 0;
  for (let n = 1; n <= window; n++) denominator += 2 * n * n;
  for (let t = 0; t < frames; t++) {
    for (let n = 1; n <= window; n++) {
      const ahead = Math.min(frames - 1, t + n) * dims;
      const behind = Math.max(0, t - n) * dims;
      for (let d = 0; d < dims; d++) out[t * dims + d] = out[t * dims + d]! + (n * (data[ahead + d]! - data[behind + d]!)) / denominator;
    }
  }
  return out;
}
