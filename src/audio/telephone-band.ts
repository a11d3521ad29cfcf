/**
 * The one resampler: what a telephone line does to audio. Used by the voiceprint engine (every
 * recording is compared in the telephone band, whatever it was captured at) and by the simulated
 * phone (prompt audio and what a callee says, at any rate, to 8 kHz).
 */

/** Narrowband telephony (G.711): 8 kHz samples. */
export const TELEPHONE_RATE = 8000;
/** The telephone voice band (ITU-T G.712 nominal 300–3400 Hz). */
const TELEPHONE_BAND_HZ = { low: 300, high: 3400 } as const;
/**
 * Half the filter length, in seconds of input: 4 ms is 32 taps each side at 8 kHz and 64 at
 * 16 kHz (a stop band > 60 dB above ~3.9 kHz there), and a ~700 Hz transition at 22.05 kHz.
 */
const HALF_WIDTH_SECONDS = 0.004;
/** Above this many distinct fractional phases the kernels are computed per sample instead of cached. */
const MAX_CACHED_PHASES = 1024;

/**
 * Resamples to 8 kHz through a 300–3400 Hz band-pass, like a phone line: a windowed-sinc
 * (Blackman) kernel evaluated at each output instant, so any input rate works (8 and 16 kHz
 * recordings, 22050 Hz from espeak-ng, 44.1/48 kHz from a browser). 8 kHz input is band-passed
 * only. The low-pass edge stays below the new Nyquist frequency, so nothing above 4 kHz folds back
 * into the band. The filter is zero-phase: output sample m lines up with input time m/8000 s, which
 * keeps fingerprints of a copy aligned with the original. The same thing as
 * `sox … -r 8000 … sinc 300-3400`, for machines without sox.
 *
 * @example
 * const narrow = toTelephoneBand(samples, 16000); // 8 kHz, same scale as the input
 */
export function toTelephoneBand(samples: ArrayLike<number>, inRate: number): Float64Array {
  // Cutoffs as fractions of the input rate; on a low-rate input the top edge is its own Nyquist.
  const high = Math.min(TELEPHONE_BAND_HZ.high, 0.45 * inRate) / inRate;
  const low = TELEPHONE_BAND_HZ.low / inRate;
  const halfWidth = Math.max(4, Math.ceil(HALF_WIDTH_SECONDS * inRate));
  const outLength = Math.floor((samples.length * TELEPHONE_RATE) / inRate);
  const out = new Float64Array(outLength);

  // Output m sits at input position m·inRate/8000 = base + phase/denominator.
  const divisor = gcd(inRate, TELEPHONE_RATE);
  const step = inRate / divisor;
  const denominator = TELEPHONE_RATE / divisor;
  const cache = denominator <= MAX_CACHED_PHASES ? new Map<number, Float64Array>() : undefined;
  const kernelFor = (phase: number): Float64Array => {
    let kernel = cache?.get(phase);
    if (!kernel) {
      kernel = bandPassKernel(phase / denominator, halfWidth, low, high);
      cache?.set(phase, kernel);
    }
    return kernel;
  };

  for (let m = 0; m < outLength; m++) {
    const position = m * step;
    const base = Math.floor(position / denominator);
    const kernel = kernelFor(position % denominator);
    let sum = 0;
    // Taps k = base - halfWidth + 1 … base + halfWidth.
    const first = base - halfWidth + 1;
    for (let j = 0; j < kernel.length; j++) {
      const k = first + j;
      if (k >= 0 && k < samples.length) sum += (samples[k] ?? 0) * (kernel[j] ?? 0);
    }
    out[m] = sum;
  }
  return out;
}

/** Taps for an output instant `fraction` (0 ≤ fraction < 1) after input sample `base`. */
function bandPassKernel(fraction: number, halfWidth: number, low: number, high: number): Float64Array {
  const kernel = new Float64Array(2 * halfWidth);
  for (let j = 0; j < kernel.length; j++) {
    // Distance in input samples from the output instant to tap j.
    const distance = j - halfWidth + 1 - fraction;
    const ideal = 2 * high * sinc(2 * high * distance) - 2 * low * sinc(2 * low * distance);
    kernel[j] = ideal * blackman(distance / halfWidth);
  }
  return kernel;
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

/** The Blackman window on −1 ≤ x ≤ 1 (0 outside). */
function blackman(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
