import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config.ts';

/**
 * `verity voiceprint cohort --model m.onnx --audio <dir of wav> --out cohort.json [--per-speaker 20]`:
 * the cohort file of an operator speaker-embedding model (VERITY_VOICEPRINT_COHORT). Each first-level
 * folder under --audio is one background speaker (files directly in it: one speaker each); never put
 * a voice that will enrol there. Needs no database nor server configuration.
 */
export async function voiceprintCommand(sub: string | undefined, args: string[], usage: string): Promise<number> {
  let values: { model?: string | undefined; audio?: string | undefined; out?: string | undefined; 'per-speaker'?: string | undefined };
  try {
    ({ values } = parseArgs({ args, options: { model: { type: 'string' }, audio: { type: 'string' }, out: { type: 'string' }, 'per-speaker': { type: 'string' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const perSpeaker = Number(values['per-speaker'] ?? 20);
  if (sub !== 'cohort' || !values.model || !values.audio || !values.out || !Number.isInteger(perSpeaker) || perSpeaker < 1) {
    console.error(`voiceprint cohort needs --model, --audio and --out (--per-speaker a positive integer)\n\n${usage}`);
    return 2;
  }
  // Loaded on demand: the ONNX runtime only for this command.
  const { makeCohort } = await import('../factors/voiceprint/speaker/onnx/make-cohort.ts');
  let result: Awaited<ReturnType<typeof makeCohort>>;
  try {
    result = await makeCohort(values.model, values.audio, {
      perSpeaker,
      onProgress: (done, total) => {
        if (done % 50 === 0) process.stderr.write(`${done}/${total} recordings\n`);
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) throw error; // a bad model: main prints it (exit 78)
    console.error(`voiceprint cohort: ${(error as Error).message}`);
    return 1;
  }
  await writeFile(values.out, `${JSON.stringify(result.cohort)}\n`);
  for (const s of result.skipped) process.stderr.write(`skipped ${s.file}: ${s.why}\n`);
  console.log(JSON.stringify({ out: values.out, model: result.cohort.model, dims: result.cohort.dims, speakers: result.speakers, embeddings: result.used, skipped: result.skipped.length }));
  return 0;
}
