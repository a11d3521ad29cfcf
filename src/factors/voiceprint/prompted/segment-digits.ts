/** A run of frames [start, end) holding one spoken word. */
export interface Segment {
  start: number;
  end: number;
}

/** Segmentation constants (10 ms frames), each with why. */
const SEGMENTATION = {
  /** Speech when ln E is above floor + share·(peak − floor): every digit has a loud vowel; breath between words (espeak's f4 voice, real speakers) stays below. */
  thresholdShare: 0.5,
  /** Floor and peak as percentiles of the utterance's frame log-energies. */
  floorPercentile: 0.1,
  peakPercentile: 0.98,
  /** Gaps shorter than this are inside a word; longer ones inside a word (the /k/ closure of "six") are merged back by the forced count. */
  minGapFrames: 4,
  /** Loud runs shorter than this are clicks or breaths, not digits. */
  minWordFrames: 10,
  /** Frames added either side of a segment (word onsets and releases are quiet). */
  padFrames: 3,
  /** A word longer than this share of the median is split when too few segments were found. */
  splitRatio: 1.25,
} as const;

/**
 * Finds the words of an isolated-word utterance ("4, 7, 1, 9" said with short pauses) by energy
 * (speaker-verification.md §4: no ASR offline; the digits are found by pauses and checked by DTW).
 * With `expected` the result is forced toward that many words: the closest words are merged while
 * there are too many, the longest word is split at its quietest frame while there are too few; the
 * caller compares the count with the prompt (a different count is a digits mismatch).
 */
export function segmentWords(logEnergy: Float32Array, expected?: number): Segment[] {
  const frames = logEnergy.length;
  if (frames === 0) return [];
  const sorted = Float32Array.from(logEnergy).sort();
  const floor = sorted[Math.floor(SEGMENTATION.floorPercentile * (frames - 1))]!;
  const peak = sorted[Math.floor(SEGMENTATION.peakPercentile * (frames - 1))]!;
  const threshold = floor + SEGMENTATION.thresholdShare * (peak - floor);

  let runs: Segment[] = [];
  for (let t = 0; t < frames; ) {
    if (logEnergy[t]! <= threshold) {
      t++;
      continue;
    }
    const start = t;
    while (t < frames && logEnergy[t]! > threshold) t++;
    const last = runs[runs.length - 1];
    if (last && start - last.end < SEGMENTATION.minGapFrames) last.end = t;
    else runs.push({ start, end: t });
  }
  runs = runs.filter((r) => r.end - r.start >= SEGMENTATION.minWordFrames);

  if (expected !== undefined) {
    while (runs.length > expected) {
      let best = 1;
      for (let i = 2; i < runs.length; i++) if (runs[i]!.start - runs[i - 1]!.end < runs[best]!.start - runs[best - 1]!.end) best = i;
      runs.splice(best - 1, 2, { start: runs[best - 1]!.start, end: runs[best]!.end });
    }
    while (runs.length > 0 && runs.length < expected) {
      const lengths = runs.map((r) => r.end - r.start);
      const median = [...lengths].sort((a, b) => a - b)[lengths.length >> 1]!;
      let longest = 0;
      for (let i = 1; i < runs.length; i++) if (lengths[i]! > lengths[longest]!) longest = i;
      const run = runs[longest]!;
      if (runs.length > 1 && lengths[longest]! < SEGMENTATION.splitRatio * median) break;
      if (lengths[longest]! < 2 * SEGMENTATION.minWordFrames) break;
      // The quietest frame in the middle half of the word is the likeliest boundary.
      const from = run.start + Math.floor(lengths[longest]! / 4);
      const to = run.end - Math.floor(lengths[longest]! / 4);
      let cut = from;
      for (let t = from; t < to; t++) if (logEnergy[t]! < logEnergy[cut]!) cut = t;
      runs.splice(longest, 1, { start: run.start, end: cut }, { start: cut + 1, end: run.end });
    }
  }
  return runs.map((r) => ({ start: Math.max(0, r.start - SEGMENTATION.padFrames), end: Math.min(frames, r.end + SEGMENTATION.padFrames) }));
}
