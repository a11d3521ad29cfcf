/** Sample rates the engine accepts: wideband (browser, app) and narrowband (telephone). */
export type SampleRate = 8000 | 16000;

/** Mono audio, samples in −1..1 (a 16-bit value v maps to v / 32768). */
export interface Audio {
  sampleRate: SampleRate;
  samples: Float32Array;
}

/** Longest audio decodeWav accepts, in seconds. */
export const MAX_AUDIO_SECONDS = 300;
