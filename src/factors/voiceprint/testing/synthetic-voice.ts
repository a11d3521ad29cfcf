import type { Audio, SampleRate } from '../audio/audio.ts';
import { gaussian, mulberry32 } from '../audio/prng.ts';

export interface SyntheticVoiceOptions {
  sampleRate?: SampleRate;
  /** Glottal pitch, Hz. */
  f0?: number;
  /** Formant frequencies per syllable (cycled), Hz. */
  vowels?: ReadonlyArray<readonly [number, number, number]>;
  syllables?: number;
  syllableSeconds?: number;
  pauseSeconds?: number;
  /** Silence before the first and after the last syllable. */
  edgeSeconds?: number;
  /** Peak amplitude after normalisation. */
  peak?: number;
  seed?: number;
}

/**
 * A crude vowel-like "voice" for tests: a jittered pulse train at f0 through three two-pole formant
 * resonators, shaped into syllables with raised-cosine envelopes and pauses. Deterministic by seed.
 */
export function syntheticVoice(options: SyntheticVoiceOptions = {}): Audio {
  const rate = options.sampleRate ?? 16000;
  const f0 = options.f0 ?? 120;
  const vowels = options.vowels ?? [[700, 1200, 2600], [300, 2300, 3000], [500, 900, 2400], [400, 1900, 2550]];
  const syllables = options.syllables ?? 8;
  const syllable = Math.round((options.syllableSeconds ?? 0.25) * rate);
  const pause = Math.round((options.pauseSeconds ?? 0.06) * rate);
  const edge = Math.round((options.edgeSeconds ?? 0.3) * rate);
  const random = mulberry32(options.seed ?? 1);
  const normal = gaussian(random);
  const total = 2 * edge + syllables * syllable + (syllables - 1) * pause;
  const out = new Float32Array(total);
  let phase = 0;
  let at = edge;
  for (let s = 0; s < syllables; s++) {
    const formants = vowels[s % vowels.length]!;
    const source = new Float64Array(syllable);
    for (let n = 0; n < syllable; n++) {
      phase += (f0 * (1 + 0.01 * normal())) / rate;
      if (phase >= 1) {
        phase -= 1;
        source[n] = 1;
      }
      source[n] = source[n]! + 0.02 * normal();
    }
    let signal: Float64Array = source;
    formants.forEach((f, i) => (signal = resonate(signal, f, 80 + 20 * i, rate)));
    for (let n = 0; n < syllable; n++) out[at + n] = signal[n]! * 0.5 * (1 - Math.cos((2 * Math.PI * n) / (syllable - 1)));
    at += syllable + pause;
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  const scale = (options.peak ?? 0.5) / (peak || 1);
  for (let n = 0; n < total; n++) out[n] = out[n]! * scale;
  return { sampleRate: rate, samples: out };
}

/** A pure tone (or silence with amplitude 0) of `seconds` at `hz`. */
export function tone(hz: number, seconds: number, amplitude: number, rate: SampleRate = 16000): Audio {
  return { sampleRate: rate, samples: Float32Array.from({ length: Math.round(seconds * rate) }, (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / rate)) };
}

/** Concatenates audio of one rate. */
export function concat(...parts: Audio[]): Audio {
  const samples = new Float32Array(parts.reduce((s, p) => s + p.samples.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p.samples, at);
    at += p.samples.length;
  }
  return { sampleRate: parts[0]!.sampleRate, samples };
}

function resonate(input: Float64Array, hz: number, bandwidth: number, rate: number): Float64Array {
  const r = Math.exp((-Math.PI * bandwidth) / rate);
  const a1 = 2 * r * Math.cos((2 * Math.PI * hz) / rate);
  const a2 = -r * r;
  const gain = 1 - r;
  const out = new Float64Array(input.length);
  for (let n = 0; n < input.length; n++) out[n] = gain * input[n]! + a1 * (out[n - 1] ?? 0) + a2 * (out[n - 2] ?? 0);
  return out;
}
