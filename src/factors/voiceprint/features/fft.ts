// In-place iterative radix-2 FFT. Hand-written (60 lines) rather than a dependency: the engine
// needs 256- and 512-point transforms of real frames, and the simulated recording chains and the
// SIP tests' audio checks an unscaled inverse (fftInPlace).

interface FftPlan {
  size: number;
  cos: Float64Array;
  sin: Float64Array;
  reverse: Uint32Array;
}

const plans = new Map<number, FftPlan>();

function plan(size: number): FftPlan {
  let p = plans.get(size);
  if (p) return p;
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two; got ${size}`);
  const bits = Math.log2(size);
  const reverse = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let k = 0; k < size / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  p = { size, cos, sin, reverse };
  plans.set(size, p);
  return p;
}

/** Forward complex FFT of (re, im) in place; the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const { size, cos, sin, reverse } = plan(re.length);
  for (let i = 0; i < size; i++) {
    const j = reverse[i]!;
    if (j > i) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  for (let len = 2; len <= size; len <<= 1) {
    const half = len >> 1;
    const stride = size / len;
    for (let start = 0; start < size; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride]!;
        const wi = sin[k * stride]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * Complex FFT of (re, im) in place, any power-of-two length; `inverse` gives the inverse transform
 * without the 1/n (through conj(FFT(conj(x)))), which the caller applies.
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  if (inverse) for (let i = 0; i < im.length; i++) im[i] = -im[i]!;
  fft(re, im);
  if (inverse) for (let i = 0; i < im.length; i++) im[i] = -im[i]!;
}

/**
 * |X_k|² for k = 0 … size/2 of a real frame (zero-padded to `size`). `scratch` avoids allocation
 * in loops; pass the same object for every frame.
 */
export function powerSpectrum(frame: ArrayLike<number>, size: number, out: Float64Array, scratch?: { re: Float64Array; im: Float64Array }): Float64Array {
  const re = scratch?.re ?? new Float64Array(size);
  const im = scratch?.im ?? new Float64Array(size);
  re.fill(0);
  im.fill(0);
  for (let i = 0; i < frame.length && i < size; i++) re[i] = frame[i]!;
  fft(re, im);
  for (let k = 0; k <= size / 2; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  return out;
}
