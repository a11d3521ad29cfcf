import type { Audio } from './audio.ts';
import { gaussian, mulberry32 } from './prng.ts';
import { g711RoundTrip, toTelephoneBand } from './resample.ts';
import { fftInPlace } from '../features/fft.ts';

/**
 * Recording chains a voice goes through before it reaches Verity, simulated (issue 18): the
 * benchmark verifies through them, and the engine may enrol through them (multi-condition
 * enrolment). Pure TypeScript, deterministic: every random choice comes from the `seed` argument.
 *
 * Each function takes 8 or 16 kHz audio and returns what the chain delivers:
 * - {@link upsampledFrom8k}: an 8 kHz recording played out at 16 kHz (nothing above 4 kHz), the
 *   case of IVR prompts and of browsers fed by narrowband devices;
 * - {@link bluetoothNarrowband}: a Bluetooth HFP headset, CVSD at 64 kbit/s (8 kHz voice band);
 * - {@link bluetoothWideband}: a Bluetooth HFP headset with mSBC (16 kHz, 7 kHz low-pass, coarse subband quantisation);
 * - {@link noiseSuppressed}: a browser's noise suppression (spectral subtraction that zeroes low-energy bins);
 * - {@link phoneCall}: a telephone call (300–3400 Hz, noise, G.711);
 * - {@link addColouredNoise}: pink or babble-like noise at a given SNR.
 */

// ---- filters ------------------------------------------------------------------------------------

/**
 * Zero-phase windowed-sinc (Blackman) low-pass at `cutoffHz`; `gain` scales the pass band. With
 * `decimate` d > 1 only every d-th output sample is computed (and returned).
 */
export function lowPass(samples: Float32Array, rate: number, cutoffHz: number, gain = 1, halfWidth = 32, decimate = 1): Float32Array {
  const fc = cutoffHz / rate;
  const kernel = new Float64Array(2 * halfWidth + 1);
  let sum = 0;
  for (let j = -halfWidth; j <= halfWidth; j++) {
    const ideal = j === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * j) / (Math.PI * j);
    const window = 0.42 + 0.5 * Math.cos((Math.PI * j) / (halfWidth + 1)) + 0.08 * Math.cos((2 * Math.PI * j) / (halfWidth + 1));
    kernel[j + halfWidth] = ideal * window;
    sum += ideal * window;
  }
  for (let j = 0; j < kernel.length; j++) kernel[j] = (kernel[j]! / sum) * gain;
  return convolve(samples, kernel, halfWidth, decimate);
}

/** Zero-phase band-pass: the low-pass at `highHz` minus the low-pass at `lowHz`. */
function bandPass(samples: Float32Array, rate: number, lowHz: number, highHz: number, halfWidth = 64): Float32Array {
  const high = lowPass(samples, rate, highHz, 1, halfWidth);
  const low = lowPass(samples, rate, lowHz, 1, halfWidth);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < out.length; i++) out[i] = high[i]! - low[i]!;
  return out;
}

function convolve(samples: Float32Array, kernel: Float64Array, halfWidth: number, decimate = 1): Float32Array {
  const n = samples.length;
  const out = new Float32Array(Math.ceil(n / decimate));
  for (let m = 0; m < out.length; m++) {
    const i = m * decimate;
    let acc = 0;
    const from = Math.max(0, i - halfWidth);
    const to = Math.min(n - 1, i + halfWidth);
    for (let k = from; k <= to; k++) acc += samples[k]! * kernel[k - i + halfWidth]!;
    out[m] = acc;
  }
  return out;
}

// ---- rates --------------------------------------------------------------------------------------

/** 16 kHz → 8 kHz through a 3.8 kHz anti-alias low-pass; 8 kHz input is returned as is. */
export function to8k(audio: Audio): Audio {
  if (audio.sampleRate === 8000) return audio;
  const filtered = lowPass(audio.samples, 16000, 3800);
  const out = new Float32Array(Math.floor(filtered.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = filtered[2 * i]!;
  return { sampleRate: 8000, samples: out };
}

/** 8 kHz → 16 kHz (zero-stuffing and a 3.9 kHz interpolation low-pass): nothing above 4 kHz. */
export function to16k(audio: Audio): Audio {
  if (audio.sampleRate === 16000) return audio;
  const stuffed = new Float32Array(audio.samples.length * 2);
  for (let i = 0; i < audio.samples.length; i++) stuffed[2 * i] = audio.samples[i]!;
  return { sampleRate: 16000, samples: lowPass(stuffed, 16000, 3900, 2) };
}

/**
 * An 8 kHz recording delivered at 16 kHz: what a 16 kHz model sees from IVR prompts recorded at
 * 8 kHz, or from a browser whose microphone is a narrowband device. 16 kHz input is first brought
 * down to 8 kHz (the recording), then up again.
 */
export function upsampledFrom8k(audio: Audio): Audio {
  return to16k(to8k(audio));
}

// ---- noise --------------------------------------------------------------------------------------

function meanPower(samples: Float32Array): number {
  let power = 0;
  for (const s of samples) power += s * s;
  return power / Math.max(1, samples.length);
}

/** Adds `noise` scaled so that signal power / noise power = snrDb (powers over the whole clip). */
function mixAtSnr(audio: Audio, noise: Float32Array, snrDb: number): Audio {
  const signal = meanPower(audio.samples);
  const scale = Math.sqrt(signal / 10 ** (snrDb / 10) / Math.max(meanPower(noise), 1e-20));
  const out = new Float32Array(audio.samples.length);
  for (let i = 0; i < out.length; i++) out[i] = audio.samples[i]! + scale * noise[i]!;
  return { sampleRate: audio.sampleRate, samples: out };
}

/** Pink (1/f) noise, Paul Kellet's filter of white Gaussian noise. */
export function pinkNoise(length: number, seed: number): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const out = new Float32Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let i = 0; i < length; i++) {
    const white = normal();
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
    b6 = white * 0.115926;
  }
  return out;
}

/**
 * Babble-like noise: `talkers` independent streams of speech-shaped noise (pink, 100–4000 Hz),
 * each switched on and off at syllable rate (3–6 Hz) like a voice, summed. Not intelligible
 * speech, but it has the spectrum and the modulation that make babble hard for a VAD and for a
 * speaker model.
 */
function babbleNoise(length: number, rate: number, seed: number, talkers = 6): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(length);
  for (let t = 0; t < talkers; t++) {
    const shaped = bandPass(pinkNoise(length, Math.floor(random() * 2 ** 32)), rate, 100, Math.min(4000, 0.45 * rate), 32);
    const syllableHz = 3 + 3 * random();
    const phase = random() * 2 * Math.PI;
    for (let i = 0; i < length; i++) {
      const envelope = Math.max(0, Math.sin((2 * Math.PI * syllableHz * i) / rate + phase));
      out[i] = out[i]! + shaped[i]! * envelope;
    }
  }
  return out;
}

/** Adds pink or babble-like noise at `snrDb` below the clip's mean power. */
export function addColouredNoise(audio: Audio, snrDb: number, seed: number, kind: 'pink' | 'babble' = 'pink'): Audio {
  const noise = kind === 'pink' ? pinkNoise(audio.samples.length, seed) : babbleNoise(audio.samples.length, audio.sampleRate, seed);
  return mixAtSnr(audio, noise, snrDb);
}

function addWhiteNoise(audio: Audio, snrDb: number, seed: number): Audio {
  const normal = gaussian(mulberry32(seed));
  return mixAtSnr(audio, Float32Array.from({ length: audio.samples.length }, () => normal()), snrDb);
}

// ---- telephone ----------------------------------------------------------------------------------

/**
 * A telephone call: 300–3400 Hz band at 8 kHz (the engine's own toTelephoneBand), white noise at
 * `snrDb` (20 dB by default, a decent mobile call), G.711 round trip. Returns 8 kHz.
 */
export function phoneCall(audio: Audio, seed: number, options: { snrDb?: number; law?: 'ulaw' | 'alaw' } = {}): Audio {
  return g711RoundTrip(addWhiteNoise(toTelephoneBand(audio), options.snrDb ?? 20, seed), options.law ?? 'ulaw');
}

// ---- Bluetooth ----------------------------------------------------------------------------------

/** Bluetooth CVSD (Core spec, Vol 2 Part B §9.2): 64 kHz, 1 bit per sample, syllabic companding. */
const CVSD = { rate: 64000, accumulatorDecay: 1 - 1 / 32, syllabicDecay: 1 - 1 / 1024, stepMin: 10 / 32768, stepMax: 1280 / 32768, run: 4 } as const;

/**
 * A Bluetooth headset in HFP narrowband mode: the headset band-limits to 8 kHz, codes with CVSD
 * at 64 kbit/s (encoder and decoder track the same signal, so the decoder output is the encoder's
 * own approximation), the phone low-passes the 64 kHz stream back to 8 kHz; a small microphone
 * noise floor (35 dB below the speech) comes first. Returns 8 kHz; it is what arrives at a browser
 * or app (which may resample it to 16 or 48 kHz, see {@link upsampledFrom8k}).
 */
export function bluetoothNarrowband(audio: Audio, seed: number): Audio {
  const narrow = to8k(addWhiteNoise(audio, 35, seed));
  const up = CVSD.rate / 8000;
  const x = narrow.samples;
  const decoded = new Float32Array(x.length * up);
  let estimate = 0;
  let step = CVSD.stepMin;
  let history = 0; // last `run` bits, 1 = up
  for (let n = 0; n < decoded.length; n++) {
    // Linear interpolation to 64 kHz (the CVSD clock); the 4 kHz low-pass below removes the images.
    const position = n / up;
    const i = Math.floor(position);
    const frac = position - i;
    const target = (x[i] ?? 0) * (1 - frac) + (x[i + 1] ?? x[i] ?? 0) * frac;
    const bit = target >= estimate ? 1 : 0;
    history = ((history << 1) | bit) & ((1 << CVSD.run) - 1);
    const saturated = history === 0 || history === (1 << CVSD.run) - 1;
    step = saturated ? Math.min(step + CVSD.stepMin, CVSD.stepMax) : Math.max(step * CVSD.syllabicDecay, CVSD.stepMin);
    estimate = Math.max(-1, Math.min(1, estimate + (bit === 1 ? step : -step))) * CVSD.accumulatorDecay;
    decoded[n] = estimate;
  }
  // Back to 8 kHz: 3.6 kHz low-pass at 64 kHz, evaluated only at every 8th sample.
  return { sampleRate: 8000, samples: lowPass(decoded, CVSD.rate, 3600, 1, 96, up) };
}

/**
 * A Bluetooth headset with mSBC (HFP wideband speech): 16 kHz with a 7 kHz low-pass, and coarse
 * quantisation noise that follows the signal (SBC allocates few bits per subband: noise ≈ 20 dB
 * below each 7.5 ms block). Returns 16 kHz.
 */
export function bluetoothWideband(audio: Audio, seed: number): Audio {
  const wide = audio.sampleRate === 16000 ? audio : to16k(audio);
  const band = lowPass(addWhiteNoise(wide, 35, seed).samples, 16000, 7000);
  const normal = gaussian(mulberry32(seed ^ 0x5bc));
  const block = 120; // 7.5 ms at 16 kHz, one mSBC frame
  const noisy = new Float32Array(band.length);
  for (let start = 0; start < band.length; start += block) {
    const end = Math.min(band.length, start + block);
    let power = 0;
    for (let i = start; i < end; i++) power += band[i]! * band[i]!;
    const sigma = Math.sqrt(power / (end - start) / 10 ** (20 / 10));
    for (let i = start; i < end; i++) noisy[i] = band[i]! + sigma * normal();
  }
  return { sampleRate: 16000, samples: lowPass(noisy, 16000, 7000) };
}

// ---- browser noise suppression ------------------------------------------------------------------


/**
 * A browser's noise suppression (getUserMedia `noiseSuppression: true`), simplified: short-time
 * spectral subtraction with a noise estimate per bin (the 20th percentile of that bin's power over
 * the clip, ÷ 0.223 to turn the percentile of a noise bin's exponential distribution into its
 * mean), over-subtraction ×2, and a hard gate that zeroes every bin less than 6× (7.8 dB) above
 * the noise estimate. Low-energy parts of the spectrum — quiet consonants, the upper harmonics of
 * a soft voice — vanish along with the noise: that is what changes a speaker's cepstra.
 * 32 ms frames, 50 % overlap, sqrt-Hann analysis and synthesis windows (perfect reconstruction when
 * nothing is removed). Same rate in and out.
 */
export function noiseSuppressed(audio: Audio, options: { gateFactor?: number; overSubtraction?: number } = {}): Audio {
  const gateFactor = options.gateFactor ?? 6;
  const over = options.overSubtraction ?? 2;
  const size = audio.sampleRate === 16000 ? 512 : 256;
  const hop = size / 2;
  const window = Float64Array.from({ length: size }, (_, i) => Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size)));
  const x = audio.samples;
  const frames = Math.max(1, Math.ceil((x.length + hop) / hop));
  const spectra: Array<{ re: Float64Array; im: Float64Array }> = [];
  const bins = size / 2 + 1;
  const powers = Array.from({ length: bins }, () => new Float64Array(frames));
  for (let f = 0; f < frames; f++) {
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    const start = f * hop - hop;
    for (let i = 0; i < size; i++) re[i] = (x[start + i] ?? 0) * window[i]!;
    fftInPlace(re, im, false);
    spectra.push({ re, im });
    for (let k = 0; k < bins; k++) powers[k]![f] = re[k]! * re[k]! + im[k]! * im[k]!;
  }
  const noise = powers.map((p) => {
    const sorted = Float64Array.from(p).sort();
    return sorted[Math.floor(0.2 * (sorted.length - 1))]! / -Math.log(0.8);
  });
  const out = new Float32Array(x.length);
  for (let f = 0; f < frames; f++) {
    const { re, im } = spectra[f]!;
    for (let k = 0; k < bins; k++) {
      const power = powers[k]![f]!;
      const n = noise[k]!;
      const gain = power < gateFactor * n || power === 0 ? 0 : Math.sqrt(Math.max(0, 1 - (over * n) / power));
      re[k] = re[k]! * gain;
      im[k] = im[k]! * gain;
      if (k > 0 && k < size / 2) {
        re[size - k] = re[k]!;
        im[size - k] = -im[k]!;
      }
    }
    fftInPlace(re, im, true);
    const start = f * hop - hop;
    for (let i = 0; i < size; i++) {
      const t = start + i;
      if (t >= 0 && t < out.length) out[t] = out[t]! + (re[i]! / size) * window[i]!;
    }
  }
  return { sampleRate: audio.sampleRate, samples: out };
}

// ---- registry -----------------------------------------------------------------------------------

/** Every simulated chain by a stable name, for benchmarks and multi-condition enrolment. */
export const CHANNELS = {
  'upsampled-8k': (audio: Audio): Audio => upsampledFrom8k(audio),
  phone: (audio: Audio, seed: number): Audio => phoneCall(audio, seed),
  bluetooth: (audio: Audio, seed: number): Audio => bluetoothNarrowband(audio, seed),
  'bluetooth-wideband': (audio: Audio, seed: number): Audio => bluetoothWideband(audio, seed),
  /** Pink noise at 15 dB, then the browser's suppression (what a noisy room gives through a browser). */
  'noise-suppressed': (audio: Audio, seed: number): Audio => noiseSuppressed(addColouredNoise(audio, 15, seed, 'pink')),
  'babble-10db': (audio: Audio, seed: number): Audio => addColouredNoise(audio, 10, seed, 'babble'),
} as const satisfies Record<string, (audio: Audio, seed: number) => Audio>;

