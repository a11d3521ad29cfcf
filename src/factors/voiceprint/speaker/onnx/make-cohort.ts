import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { toTelephoneBand } from '../../audio/resample.ts';
import { decodeWav } from '../../audio/wav.ts';
import { checkQuality } from '../../quality/check-quality.ts';
import { cohortToJSON, MIN_COHORT_SIZE, type CohortFile } from './cohort-file.ts';
import { openCheckedExtractor } from './load-onnx-backend.ts';

interface MakeCohortOptions {
  /** At most this many recordings per speaker (an even stride over its files in name order). */
  perSpeaker?: number;
  /** Only these speakers (first-level folder names); default: every one. */
  speakers?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

interface MakeCohortResult {
  cohort: CohortFile;
  speakers: number;
  used: number;
  /** Files skipped: not a supported WAV, or refused by the quality gate (as a verification would be). */
  skipped: Array<{ file: string; why: string }>;
}

async function wavFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.wav'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Embeddings of background speakers' recordings for VERITY_VOICEPRINT_COHORT
 * (`verity voiceprint cohort`). Each WAV under `audioDir` is brought to the telephone band, as the
 * engine does before scoring, and embedded with the model; its speaker is its first folder under
 * `audioDir` (files directly in it are one speaker each).
 */
export async function makeCohort(modelPath: string, audioDir: string, options: MakeCohortOptions = {}): Promise<MakeCohortResult> {
  const { model, extractor } = await openCheckedExtractor(modelPath);
  const bySpeaker = new Map<string, string[]>();
  for (const file of await wavFiles(audioDir)) {
    const parts = relative(audioDir, file).split(sep);
    const speaker = parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.wav$/i, '');
    if (options.speakers && !options.speakers.includes(speaker)) continue;
    bySpeaker.set(speaker, [...(bySpeaker.get(speaker) ?? []), file]);
  }
  const perSpeaker = options.perSpeaker ?? 20;
  const chosen = [...bySpeaker].flatMap(([speaker, files]) => {
    const count = Math.min(perSpeaker, files.length);
    return Array.from({ length: count }, (_, i) => ({ speaker, file: files[Math.floor((i * files.length) / count)]! }));
  });
  const entries: Array<{ speaker: string; embedding: Float32Array }> = [];
  const skipped: MakeCohortResult['skipped'] = [];
  for (const [index, { speaker, file }] of chosen.entries()) {
    options.onProgress?.(index, chosen.length);
    try {
      const audio = decodeWav(await readFile(file));
      const quality = checkQuality(audio, 'verify');
      if (!quality.ok) {
        skipped.push({ file, why: quality.problems.map((p) => p.code).join(', ') });
        continue;
      }
      const embedding = extractor.embed(toTelephoneBand(audio).samples);
      if (!embedding) skipped.push({ file, why: 'too short for the model' });
      else entries.push({ speaker, embedding });
    } catch (error) {
      skipped.push({ file, why: (error as Error).message });
    }
  }
  if (entries.length < MIN_COHORT_SIZE) throw new Error(`only ${entries.length} usable recordings under ${audioDir}; a cohort needs at least ${MIN_COHORT_SIZE}`);
  return { cohort: cohortToJSON(model.id, entries), speakers: new Set(entries.map((e) => e.speaker)).size, used: entries.length, skipped };
}
