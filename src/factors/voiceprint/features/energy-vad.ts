/**
 * Kaldi `compute-vad` options (speaker-verification.md §1, SRE16/VoxCeleb recipe values) plus a
 * minimum run: energies are natural-log frame energies of int16-scaled samples.
 */
export interface VadOptions {
  /** Absolute part of the threshold (Kaldi --vad-energy-threshold). */
  energyThreshold: number;
  /** Share of the file's mean log-energy added to the threshold (--vad-energy-mean-scale). */
  energyMeanScale: number;
  /** Frames either side considered (--vad-frames-context); also acts as a hangover. */
  context: number;
  /** Share of the 2·context+1 frames that must be loud enough (--vad-proportion-threshold). */
  proportion: number;
  /** Runs of loud frames shorter than this are clicks, not speech: dropped before smoothing. */
  minRun: number;
}

export const DEFAULT_VAD: Readonly<VadOptions> = { energyThreshold: 5.5, energyMeanScale: 0.5, context: 2, proportion: 0.12, minRun: 3 };

/**
 * Speech/non-speech decision per frame (1 = speech). A frame is loud if its log-energy exceeds
 * energyThreshold + energyMeanScale·mean(logE); loud runs shorter than minRun are dropped; then
 * frame t is speech if at least `proportion` of the frames within ±context are loud (Kaldi's rule).
 */
export function energyVad(logEnergy: Float32Array, options: VadOptions = DEFAULT_VAD): Uint8Array {
  const frames = logEnergy.length;
  const speech = new Uint8Array(frames);
  if (frames === 0) return speech;
  let mean = 0;
  for (const e of logEnergy) mean += e;
  mean /= frames;
  const threshold = options.energyThreshold + options.energyMeanScale * mean;
  const loud = new Uint8Array(frames);
  for (let t = 0; t < frames; t++) loud[t] = logEnergy[t]! > threshold ? 1 : 0;
  for (let t = 0; t < frames; ) {
    if (!loud[t]) {
      t++;
      continue;
    }
    let end = t;
    while (end < frames && loud[end]) end++;
    if (end - t < options.minRun) loud.fill(0, t, end);
    t = end;
  }
  for (let t = 0; t < frames; t++) {
    let count = 0;
    let total = 0;
    for (let j = t - options.context; j <= t + options.context; j++) {
      if (j < 0 || j >= frames) continue;
      total++;
      count += loud[j]!;
    }
    speech[t] = count >= options.proportion * total && count > 0 ? 1 : 0;
  }
  return speech;
}
