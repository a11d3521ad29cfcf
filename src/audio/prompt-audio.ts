import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { readWav, toTelephoneBand, writeWav } from './line-audio.ts';

/**
 * Spoken prompts for the simulated phone. `prepare` names the audio of one prompt and starts
 * rendering it; `get` serves it. Ids are opaque: prompts may contain the verification code, so an
 * id is a keyed hash (HMAC with a per-process random key), not a plain hash that 10⁶ guesses
 * would invert.
 */
export interface PromptAudio {
  /** The id under which the prompt's WAV will be served, or null when no audio can be made. */
  prepare(text: string, locale: string): Promise<string | null>;
  /** The 8 kHz 16-bit mono WAV of a prepared prompt (waits for a rendering in progress); undefined when unknown or failed. */
  get(id: string): Promise<Buffer | undefined>;
}

export interface EspeakPromptAudioOptions {
  logger?: Pick<Logger, 'warn' | 'info'> | undefined;
  /** Rendered prompts kept in memory (least recently prepared are dropped first). Default 200. */
  maxEntries?: number;
  /** Kills espeak-ng or sox after this long. Default 10 000 ms. */
  timeoutMs?: number;
  /** Resample with sox when it is installed (default), or always with the built-in resampler. */
  useSox?: boolean;
  /** Executable names, for tests. */
  espeakCommand?: string;
  soxCommand?: string;
}

interface Tools {
  voices: Set<string>;
  sox: boolean;
}

const MAX_TEXT_CHARS = 2000;
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
const FALLBACK_VOICE = 'en-us';

/**
 * Renders prompts with espeak-ng (22 050 Hz), then down to the 8 kHz telephone band with sox
 * (`sinc 300-3400`) or, without sox, with the built-in resampler. Both tools are looked for once,
 * on first use; without espeak-ng every prompt simply has no audio. The text goes to espeak-ng on
 * its standard input (never a shell, never argv, where it would show in `ps` and could be read
 * as an option), and is never logged.
 */
export class EspeakPromptAudio implements PromptAudio {
  private readonly logger: EspeakPromptAudioOptions['logger'];
  private readonly maxEntries: number;
  private readonly timeoutMs: number;
  private readonly useSox: boolean;
  private readonly espeakCommand: string;
  private readonly soxCommand: string;
  private readonly key = randomBytes(32);
  private readonly cache = new Map<string, Promise<Buffer | undefined>>();
  private tools: Promise<Tools | undefined> | undefined;

  constructor(options: EspeakPromptAudioOptions = {}) {
    this.logger = options.logger;
    this.maxEntries = options.maxEntries ?? 200;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.useSox = options.useSox ?? true;
    this.espeakCommand = options.espeakCommand ?? 'espeak-ng';
    this.soxCommand = options.soxCommand ?? 'sox';
  }

  /** Whether espeak-ng is installed (looked for once). */
  async available(): Promise<boolean> {
    return (await this.detect()) !== undefined;
  }

  async prepare(text: string, locale: string): Promise<string | null> {
    const tools = await this.detect();
    if (!tools || text.trim() === '' || text.length > MAX_TEXT_CHARS) return null;
    const id = createHmac('sha256', this.key).update(`${locale}\0${text}`).digest('hex').slice(0, 32);
    const cached = this.cache.get(id);
    this.cache.delete(id);
    this.cache.set(id, cached ?? this.render(tools, id, text, locale));
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return id;
  }

  async get(id: string): Promise<Buffer | undefined> {
    return this.cache.get(id);
  }

  private detect(): Promise<Tools | undefined> {
    this.tools ??= (async () => {
      let voices: Set<string>;
      try {
        voices = parseVoices((await run(this.espeakCommand, ['--voices'], undefined, this.timeoutMs)).toString('utf8'));
      } catch {
        this.logger?.info('espeak-ng not found: simulated calls have no prompt audio');
        return undefined;
      }
      let sox = false;
      if (this.useSox) {
        try {
          await run(this.soxCommand, ['--version'], undefined, this.timeoutMs);
          sox = true;
        } catch {
          this.logger?.info('sox not found: prompt audio is resampled in-process');
        }
      }
      return { voices, sox };
    })();
    return this.tools;
  }

  private async render(tools: Tools, id: string, text: string, locale: string): Promise<Buffer | undefined> {
    const voice = voiceFor(locale, tools.voices);
    try {
      const speech = await run(this.espeakCommand, ['-v', voice, '--stdin', '--stdout'], Buffer.from(text, 'utf8'), this.timeoutMs);
      if (tools.sox) {
        const narrow = await run(this.soxCommand, ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'sinc', '300-3400'], speech, this.timeoutMs);
        // sox cannot fix the sizes of a WAV written to a pipe: re-frame it with correct ones.
        return writeWav(readWav(narrow));
      }
      return writeWav(toTelephoneBand(readWav(speech)));
    } catch (error) {
      // The text is not logged: it may hold a verification code.
      this.logger?.warn({ locale, voice, err: (error as Error).message }, 'prompt audio rendering failed');
      // Forget the failure, so the next call with this prompt tries again.
      this.cache.delete(id);
      return undefined;
    }
  }
}

/**
 * Locales whose espeak-ng voice has another name: `en` is American in Twilio's list (espeak's `en`
 * is British), Chinese reads Mandarin (the pinyin voice: the other reads the pinyin of characters
 * missing from its dictionary as English words) and `zh-HK` Cantonese; Tagalog, which espeak-ng lacks,
 * reads with the Indonesian voice (an Austronesian spelling: `ng`, `mga`, open vowels).
 */
const ESPEAK_VOICE_NAMES: Readonly<Record<string, string>> = { en: 'en-us', zh: 'cmn-latn-pinyin', 'zh-cn': 'cmn-latn-pinyin', 'zh-hk': 'yue', tl: 'id', fil: 'id' };

/** An espeak-ng voice for a BCP 47 locale: exact (`en-gb`), the language (`fr` → `fr-fr`), else English. */
export function voiceFor(locale: string, voices: ReadonlySet<string>): string {
  const wanted = locale.trim().toLowerCase().replaceAll('_', '-');
  const named = ESPEAK_VOICE_NAMES[wanted];
  if (named !== undefined && voices.has(named)) return named;
  if (voices.has(wanted)) return wanted;
  const language = wanted.split('-')[0] ?? '';
  if (voices.has(language)) return language;
  if (voices.has(`${language}-${language}`)) return `${language}-${language}`;
  for (const voice of voices) if (voice.startsWith(`${language}-`)) return voice;
  return FALLBACK_VOICE;
}

/** Voice names and their other-language aliases from `espeak-ng --voices`. */
export function parseVoices(listing: string): Set<string> {
  const voices = new Set<string>();
  for (const line of listing.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const name = columns[1];
    if (name) voices.add(name.toLowerCase());
    // "Other Languages" column entries look like `(en 3)(en-gb 9)`.
    for (const match of line.matchAll(/\(([a-z0-9-]+) \d+\)/gi)) if (match[1]) voices.add(match[1].toLowerCase());
  }
  return voices;
}

/** Runs a program without a shell, feeding `input` on stdin; resolves with stdout when it exits 0. */
function run(command: string, args: string[], input: Buffer | undefined, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    // Our own deadline rather than spawn's `timeout`: a program that fails to start (ENOENT) emits no
    // 'exit', so spawn's timer would stay armed for the whole timeout.
    const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => clearTimeout(deadline));
    child.on('close', () => clearTimeout(deadline));
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) child.kill('SIGKILL');
      else chunks.push(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0 && size <= MAX_OUTPUT_BYTES) resolve(Buffer.concat(chunks));
      else reject(new Error(`${command} exited with ${signal ?? `code ${String(code)}`}`));
    });
    // A child that dies early closes its stdin: EPIPE is reported by 'close' above, not thrown.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
