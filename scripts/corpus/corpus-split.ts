/**
 * The split between background (UBM) speakers and evaluation speakers. A speaker is in exactly one
 * of the two sets: the background models never see an evaluation voice, neither as a target nor as an
 * impostor. Rationale in models/README.md ("Split").
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Evaluation speakers (16 kHz and 8 kHz): the two Dutch fish, one same-language male/female-ish
 * pair recorded in the same studio, which gives the hardest within-corpus impostors we have, plus
 * the two minor characters of the English package (elk: Russian lines; parrot: German lines) so
 * that every model faces at least three impostor voices.
 */
export const EVALUATION_SPEAKERS: readonly string[] = ['fillets-nl-m', 'fillets-nl-v', 'fillets-en-deu-elk', 'fillets-en-deu-parrot'];

export type SpeakerRole = 'ubm' | 'evaluation';

/** Every speaker that is not an evaluation speaker trains the background models. */
export function speakerRole(speaker: string): SpeakerRole {
  return EVALUATION_SPEAKERS.includes(speaker) ? 'evaluation' : 'ubm';
}

/** The corpus cache: `$VERITY_CORPUS_DIR`, else `~/.cache/verity-corpus` (outside the repository). */
export function corpusDir(): string {
  const fromEnv = process.env.VERITY_CORPUS_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.cache', 'verity-corpus');
}

/** The shape of `<cache>/manifest.json`, read by the UBM trainer and the benchmark. */
export interface CorpusManifest {
  readonly generatedBy: string;
  readonly generatedAt: string;
  readonly sox: string;
  readonly layout: string;
  readonly clipRules: string;
  readonly packages: Record<string, { version: string; licence: string; licenceChecked: boolean; copyrightFile: string; description: string }>;
  readonly split: { readonly ubm: string[]; readonly evaluation: string[] };
  readonly speakers: Record<
    string,
    { role: SpeakerRole; pkg: string; licence: string; rates: ('16k' | '8k')[]; clips: number; seconds: number }
  >;
  readonly dropped: Record<string, number>;
}
