/**
 * Checks on the WAVs a phone recorded: did it hear a given sound, and where (normalised
 * cross-correlation over every lag, computed with an FFT: a prompt of 4 s searched in 30 s of call
 * is 10^10 products done directly), and did a tone play (Goertzel, for the beep before a recording).
 */
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { fftInPlace } from '../../../src/factors/voiceprint/features/fft.ts';


/**
 * The normalised cross-correlation of `needle` with `haystack` at every lag 0…len(haystack)−len(needle)
 * (the needle starting that far into the haystack): 1 means an exact (scaled) copy, about 0 unrelated
 * audio. Speech or tones that went through G.711 keep about 0.99.
 */
function correlationByLag(haystack: Int16Array, needle: Int16Array): Float64Array {
  const lags = haystack.length - needle.length + 1;
  if (lags < 1) return new Float64Array(0);
  let size = 1;
  while (size < haystack.length + needle.length) size <<= 1;
  const hr = new Float64Array(size);
  const hi = new Float64Array(size);
  const nr = new Float64Array(size);
  const ni = new Float64Array(size);
  hr.set(haystack);
  nr.set(needle);
  fftInPlace(hr, hi, false);
  fftInPlace(nr, ni, false);
  // H · conj(N), back: the sum over i of haystack[lag + i] · needle[i].
  for (let k = 0; k < size; k++) {
    const r = hr[k]! * nr[k]! + hi[k]! * ni[k]!;
    const i = hi[k]! * nr[k]! - hr[k]! * ni[k]!;
    hr[k] = r;
    hi[k] = i;
  }
  fftInPlace(hr, hi, true);
  let needleEnergy = 0;
  for (const s of needle) needleEnergy += s * s;
  const out = new Float64Array(lags);
  let windowEnergy = 0;
  for (let i = 0; i < needle.length; i++) windowEnergy += haystack[i]! * haystack[i]!;
  for (let lag = 0; lag < lags; lag++) {
    if (lag > 0) windowEnergy += haystack[lag + needle.length - 1]! ** 2 - haystack[lag - 1]! ** 2;
    const denominator = Math.sqrt(Math.max(windowEnergy, 0) * needleEnergy);
    // Windows of near silence say nothing (and rounding makes their ratio noise).
    out[lag] = denominator > needle.length * 4 ? hr[lag]! / size / denominator : 0;
  }
  return out;
}

/** The best correlation of `needle` in `haystack` (see correlationByLag), with its lag in samples; lags from `fromLag` on. */
export function bestCorrelation(haystack: Int16Array, needle: Int16Array, fromLag = 0): { value: number; lag: number } {
  const byLag = correlationByLag(haystack, needle);
  let best = { value: 0, lag: -1 };
  for (let lag = Math.max(0, fromLag); lag < byLag.length; lag++) if (byLag[lag]! > best.value) best = { value: byLag[lag]!, lag };
  return best;
}

/**
 * Where a steady `hz` tone of at least `minMs` plays (sample offsets of its 20 ms blocks' starts):
 * Goertzel power at `hz` over the block's whole power above 0.8, block after block. The tests use it
 * to hear the 1 kHz beep before a recording, as a caller waits for it before speaking.
 */
export function toneStarts(samples: Int16Array, hz: number, minMs = 100, sampleRate = 8000): number[] {
  const block = Math.round(sampleRate / 50);
  const needed = Math.ceil(minMs / 20);
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  const starts: number[] = [];
  let run = 0;
  for (let start = 0; start + block <= samples.length; start += block) {
    let s1 = 0;
    let s2 = 0;
    let total = 0;
    for (let i = start; i < start + block; i++) {
      const x = samples[i]!;
      const s0 = x + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
      total += x * x;
    }
    // |X(hz)|² relative to the block's energy: N/2 · that for a pure tone.
    const power = (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / ((block / 2) * Math.max(total, 1));
    run = total > block * 100 * 100 && power > 0.8 ? run + 1 : 0;
    if (run === needed) starts.push(start - (needed - 1) * block);
  }
  return starts;
}

/**
 * The 16-bit samples of a WAV file that is still being written (sndfile's dump during a call): its
 * header's sizes are not final yet, so everything after the `data` chunk header is taken.
 */
export function samplesSoFar(path: string): Int16Array {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(fstatSync(fd).size);
    readSync(fd, bytes, 0, bytes.length, 0);
    let offset = 12;
    while (offset + 8 <= bytes.length) {
      const id = bytes.toString('ascii', offset, offset + 4);
      const size = bytes.readUInt32LE(offset + 4);
      if (id === 'data') {
        const data = bytes.subarray(offset + 8, offset + 8 + Math.floor((bytes.length - offset - 8) / 2) * 2);
        const samples = new Int16Array(data.length / 2);
        for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
        return samples;
      }
      offset += 8 + size + (size % 2);
    }
    return new Int16Array(0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Where `needle` (a prompt) was heard in `haystack`, tolerant of what a phone's jitter buffer does to
 * a stream (a frame dropped or repeated shifts what follows by 20 ms and blurs a few ms around it,
 * which lowers one correlation over the whole prompt). The whole needle's best correlation from
 * `fromLag` on fixes where it starts (a piece alone could match elsewhere: "your pass phrase" is in
 * two prompts); it is then cut into 0.1 s pieces, each looked for within ±`slackMs` of its place. Answers that start (`lag`), the share of
 * the audible pieces heard with a correlation above 0.9 (`heard`), and the worst piece's correlation.
 */
export function heardInOrder(haystack: Int16Array, needle: Int16Array, fromLag = 0, slackMs = 120): { heard: number; worst: number; lag: number } {
  const piece = 800;
  const slack = Math.round((slackMs * 8000) / 1000);
  const pieces: Array<{ start: number; audio: Int16Array }> = [];
  for (let start = 0; start + piece / 2 <= needle.length; start += piece) {
    const audio = needle.subarray(start, Math.min(start + piece, needle.length));
    let energy = 0;
    for (const x of audio) energy += x * x;
    const rms = Math.sqrt(energy / audio.length);
    // Near-silent pieces say nothing about what was heard.
    if (rms > 300) pieces.push({ start, audio });
  }
  if (pieces.length === 0) return { heard: 0, worst: 0, lag: -1 };
  const { lag } = bestCorrelation(haystack, needle, fromLag);
  if (lag < 0) return { heard: 0, worst: 0, lag: -1 };
  let good = 0;
  let worst = 1;
  for (const p of pieces) {
    const from = Math.max(0, lag + p.start - slack);
    const window = haystack.subarray(from, Math.min(haystack.length, lag + p.start + p.audio.length + slack));
    const value = bestCorrelation(window, p.audio).value;
    if (value > 0.9) good++;
    worst = Math.min(worst, value);
  }
  return { heard: good / pieces.length, worst, lag };
}
