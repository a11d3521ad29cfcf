/**
 * The split between background (UBM) speakers and evaluation speakers. A speaker is in exactly one
 * of the two sets: the background models never see an evaluation voice, neither as a target nor as an
 * impostor. Rationale in models/README.md ("Split").
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Evaluation speakers: never used for training (UBM, cohort) nor for tuning thresholds or weights.
 * - 16 kHz and 8 kHz: the two Dutch fish (same studio, language and script: the hardest impostors
 *   we have) and the elk (Russian lines) and parrot (German lines) of the English package.
 * - 8 kHz only (issue 18): three Asterisk voices of languages and packages the project never used,
 *   each also with its own real codec chains (GSM 06.10, A-law): Carlo Flora (it-IT, male), the
 *   ivrvoice.ru voice (ru-RU, female), Paola Dal Zot (it-IT, female).
 */
export const EVALUATION_SPEAKERS: readonly string[] = [
  'fillets-nl-m',
  'fillets-nl-v',
  'fillets-en-deu-elk',
  'fillets-en-deu-parrot',
  'asterisk-it-carlo',
  'asterisk-ru-ivrvoice',
  'asterisk-it-menardi',
];

/**
 * Development speakers: held out of the background models like the evaluation speakers, but the
 * place where thresholds, fusion weights and normalisation may be tuned (`bench:voiceprint --set dev`),
 * so the evaluation numbers are not tuned on. One 8 kHz GSM voice (Colombian Spanish) and three
 * 16 kHz-capable Czech minor characters, taken from the former background set.
 */
export const DEV_SPEAKERS: readonly string[] = ['asterisk-es-co', 'fillets-cs-b1-yellow', 'fillets-cs-b2-cyan', 'fillets-cs-vit-statue'];

/**
 * Speakers left out entirely, with the reason (none today: asterisk-core-sounds-es-* is Allison
 * Smith, a background voice, so its package is not collected at all; see corpus-sources.ts).
 */
export const EXCLUDED_SPEAKERS: Readonly<Record<string, string>> = {};

export type SpeakerRole = 'ubm' | 'dev' | 'evaluation' | 'excluded';

/** Every speaker that is neither evaluation, dev nor excluded trains the background models. */
export function speakerRole(speaker: string): SpeakerRole {
  if (EVALUATION_SPEAKERS.includes(speaker)) return 'evaluation';
  if (DEV_SPEAKERS.includes(speaker)) return 'dev';
  if (speaker in EXCLUDED_SPEAKERS) return 'excluded';
  return 'ubm';
}

/** Held-out speakers (evaluation and dev) also get their recording chains under <cache>/chains/. */
export function isHeldOut(speaker: string): boolean {
  const role = speakerRole(speaker);
  return role === 'evaluation' || role === 'dev';
}

/**
 * Recording chains stored for held-out speakers, <cache>/chains/<chain>/<speaker>/<clip>.wav,
 * mono 16-bit, full band (no 300–3400 Hz filter), peak −3 dBFS, 8 kHz except g722 (16 kHz):
 * - `8k`: the clip as an 8 kHz recording (the Asterisk source itself; fillets-ng resampled to 8 kHz),
 *   what an 8 kHz prompt recording upsampled to 16 kHz is made from;
 * - `gsm`, `alaw`: the same prompt from the voice's -gsm / -alaw package (real codec chains);
 * - `g722`: the same prompt from the voice's -g722 package, 16 kHz wideband (decoded by g722.ts):
 *   the only wideband recording of the Asterisk voices.
 */
export type RecordingChain = '8k' | 'gsm' | 'alaw' | 'g722';

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
  readonly split: { readonly ubm: string[]; readonly dev: string[]; readonly evaluation: string[]; readonly excluded: Record<string, string> };
  readonly speakers: Record<
    string,
    {
      role: SpeakerRole;
      pkg: string;
      licence: string;
      /** BCP 47 language of the lines. */
      language: string;
      rates: ('16k' | '8k')[];
      clips: number;
      seconds: number;
      /** Recording chains under <cache>/chains/ (held-out speakers only) → clip count. */
      chains: Partial<Record<RecordingChain, number>>;
    }
  >;
  readonly dropped: Record<string, number>;
}
