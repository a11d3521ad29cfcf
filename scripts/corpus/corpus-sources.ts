/**
 * Where the speech in the corpus comes from: six Debian main packages of recorded human speech
 * (see /work/shared/reference/telephony-offline.md §3), plus fillets-ng-data-cs (the Czech original
 * voices), which is what makes a 16 kHz background model possible without touching the evaluation
 * speakers (models/README.md, "Split").
 *
 * Each package says how to find its clips once unpacked (`dpkg -x`) and which speaker each clip belongs to.
 */
import { readdirSync, readFileSync, lstatSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** One source recording before conversion. */
export interface Candidate {
  /** Speaker id, also the folder name under 16k/ and 8k/. */
  readonly speaker: string;
  /** File name stem under the speaker folder (unique within the speaker). */
  readonly clip: string;
  /** Absolute path of the unpacked source file. */
  readonly path: string;
  /** Debian package the clip comes from. */
  readonly pkg: string;
  /** True when the source is already 8 kHz telephone audio: it gets no 16 kHz version. */
  readonly telephoneOnly: boolean;
  /**
   * Minor characters are kept only when they have enough clips (MIN_MINOR_CLIPS); the two fish of
   * each language and the Asterisk voices are always kept.
   */
  readonly minorCharacter: boolean;
  /** BCP 47 language of the lines (for per-language result lines). */
  readonly language: string;
  /**
   * Another recording chain of an existing clip (same speaker and clip name, different codec
   * package, e.g. `gsm`): converted to <cache>/chains/<chain>/ and never a clip of its own.
   */
  readonly chain?: string;
}

/** Clips a package offered that were not speech (sound effects, laughs, music). */
export interface Collected {
  readonly candidates: Candidate[];
  readonly nonSpeech: number;
}

export interface CorpusPackage {
  readonly name: string;
  /** SPDX-like summary of the licence that covers the audio. */
  readonly licence: string;
  /** Text that must occur in /usr/share/doc/<pkg>/copyright for `licence` to be reported as checked. */
  readonly licenceEvidence: string;
  readonly description: string;
  /** Lists the clips; `roots` maps every package name to its `dpkg -x` folder. */
  collect(roots: ReadonlyMap<string, string>): Collected;
}

/** Minor characters with fewer usable clips than this are left out (too few for enrolment + trials). */
export const MIN_MINOR_CLIPS = 8;

const FILLETS_SOUND = 'usr/share/games/fillets-ng/sound';
const FILLETS_SCRIPT = 'usr/share/games/fillets-ng/script';
const ASTERISK_SOUNDS = 'usr/share/asterisk/sounds';

function rootOf(roots: ReadonlyMap<string, string>, pkg: string): string {
  const root = roots.get(pkg);
  if (root === undefined) throw new Error(`package ${pkg} was not unpacked`);
  return root;
}

/** Subtitle fonts shared by several characters: a clip in one of these cannot be given a speaker. */
const GENERIC_FONTS = new Set(['', 'font_white', 'font_lightgrey', 'font_darkgrey']);

/**
 * Spoken lines of one level: dialogue id → subtitle font, for ids with a non-empty subtitle in
 * script/<level>/dialogs_<lang>.lua (the scripts live in fillets-ng-data). fillets-ng ships sound
 * effects (clicks, laughs, music) next to speech under the same naming scheme; a subtitle is the only
 * reliable sign that a clip is spoken words, and its font says who speaks: `font_small` is the small
 * fish, `font_big` the big fish, `font_parrot`, `font_viking3`, … one character each.
 */
function spokenLines(scriptRoot: string, level: string, lang: string): Map<string, string> {
  const file = join(scriptRoot, level, `dialogs_${lang}.lua`);
  const lines = new Map<string, string>();
  if (!existsSync(file)) return lines;
  const text = readFileSync(file, 'utf8');
  // dialogId("deu-l-los", "font_elk", "Ya rusky los.")
  for (const match of text.matchAll(/dialogId\(\s*"([^"]+)"\s*,\s*"([^"]*)"\s*,\s*"((?:[^"\\]|\\.)*)"/g)) {
    if ((match[3] ?? '').trim() !== '') lines.set(match[1] ?? '', match[2] ?? '');
  }
  return lines;
}

/**
 * fillets-ng voices: sound/<level>/<lang>/<id>.ogg, 22.05 kHz stereo ogg. The speaker comes from the
 * subtitle font (see spokenLines): the two fish are one voice actor each per language
 * (`fillets-<lang>-m` small fish, `fillets-<lang>-v` big fish); any other character is
 * `fillets-<lang>-<level prefix>-<character>`, because the same font (a parrot) can belong to a
 * different character in another level. Lines in a generic font are left out.
 */
/** Language of each fillets-ng speaker: the package's, except the international lines of the English package. */
const FILLETS_LANGUAGE: Record<string, string> = { en: 'en', nl: 'nl', cs: 'cs' };
const FILLETS_SPEAKER_LANGUAGE: Record<string, string> = { 'fillets-en-deu-elk': 'ru', 'fillets-en-deu-parrot': 'de' };

function filletsCollector(pkg: string, lang: string, keepFish: boolean, keepMinor: boolean) {
  return (roots: ReadonlyMap<string, string>): Collected => {
    const soundRoot = join(rootOf(roots, pkg), FILLETS_SOUND);
    const scriptRoot = join(rootOf(roots, 'fillets-ng-data'), FILLETS_SCRIPT);
    const candidates: Candidate[] = [];
    let nonSpeech = 0;
    for (const level of readdirSync(soundRoot).sort()) {
      const dir = join(soundRoot, level, lang);
      if (!existsSync(dir) || !lstatSync(dir).isDirectory()) continue;
      const spoken = spokenLines(scriptRoot, level, lang);
      for (const file of readdirSync(dir).sort()) {
        const path = join(dir, file);
        if (!file.endsWith('.ogg') || !lstatSync(path).isFile()) continue;
        const id = basename(file, '.ogg');
        const font = spoken.get(id);
        if (font === undefined || GENERIC_FONTS.has(font)) {
          nonSpeech++;
          continue;
        }
        const fish = font === 'font_small' ? 'm' : font === 'font_big' ? 'v' : undefined;
        if (fish !== undefined ? !keepFish : !keepMinor) continue;
        const prefix = id.split('-')[0] ?? level;
        const speaker = fish !== undefined ? `fillets-${lang}-${fish}` : `fillets-${lang}-${prefix}-${font.replace(/^font_/, '')}`;
        const language = FILLETS_SPEAKER_LANGUAGE[speaker] ?? FILLETS_LANGUAGE[lang] ?? lang;
        candidates.push({ speaker, clip: `${level}--${id}`, path, pkg, telephoneOnly: false, minorCharacter: fish === undefined, language });
      }
    }
    return { candidates, nonSpeech };
  };
}

/**
 * Every regular .wav/.gsm/.alaw/.g722 file under the package's sounds folder, one speaker per voice set.
 * Symlinks are duplicates; the `silence/` folder holds 1–9 s of digital silence, not speech.
 * With `chain`, the files are another codec of a voice collected elsewhere (matched by clip name).
 */
function asteriskCollector(pkg: string, speaker: string, language: string, chain?: string) {
  return (roots: ReadonlyMap<string, string>): Collected => {
    const base = join(rootOf(roots, pkg), ASTERISK_SOUNDS);
    const candidates: Candidate[] = [];
    let nonSpeech = 0;
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir).sort()) {
        const path = join(dir, entry);
        const stat = lstatSync(path);
        if (stat.isDirectory()) walk(path);
        else if (stat.isFile() && /\.(wav|gsm|alaw|g722)$/i.test(entry)) {
          // en_US_f_Allison/digits/1.wav → digits--1 (the voice folder itself is dropped).
          const rel = relative(base, path).replace(/\.(wav|gsm|alaw|g722)$/i, '').split('/');
          const parts = rel.length > 1 && /_f_|_m_/.test(rel[0] ?? '') ? rel.slice(1) : rel;
          if (parts[0] === 'silence') {
            nonSpeech++;
            continue;
          }
          candidates.push({ speaker, clip: parts.join('--'), path, pkg, telephoneOnly: true, minorCharacter: false, language, ...(chain ? { chain } : {}) });
        }
      }
    };
    walk(base);
    return { candidates, nonSpeech };
  };
}

const FILLETS_LICENCE = {
  licence: 'GPL-2',
  licenceEvidence: 'version 2 dated June, 1991',
} as const;

/** Codec of each recording chain, for the package descriptions. */
const CHAIN_CODECS: Record<string, string> = { gsm: 'GSM 06.10', alaw: 'G.711 A-law', g722: 'G.722 at 64 kbit/s, 16 kHz' };

export const CORPUS_PACKAGES: readonly CorpusPackage[] = [
  {
    name: 'fillets-ng-data',
    ...FILLETS_LICENCE,
    description: 'fillets-ng: the elk (Russian lines) and parrot (German lines) of the English package, and the dialogue scripts',
    collect: filletsCollector('fillets-ng-data', 'en', false, true),
  },
  {
    name: 'fillets-ng-data-nl',
    ...FILLETS_LICENCE,
    description: 'fillets-ng Dutch voices: small fish (m) and big fish (v)',
    collect: filletsCollector('fillets-ng-data-nl', 'nl', true, false),
  },
  {
    name: 'fillets-ng-data-cs',
    ...FILLETS_LICENCE,
    description: 'fillets-ng Czech original voices: both fish and the minor characters',
    collect: filletsCollector('fillets-ng-data-cs', 'cs', true, true),
  },
  {
    name: 'asterisk-core-sounds-en-wav',
    licence: 'CC-BY-SA-3.0',
    licenceEvidence: 'License: CC-BY-SA-3.0',
    description: 'Asterisk prompts, Allison Smith (en-US, female), 8 kHz wav',
    collect: asteriskCollector('asterisk-core-sounds-en-wav', 'asterisk-en-allison', 'en-US'),
  },
  {
    name: 'asterisk-core-sounds-fr-wav',
    licence: 'CC-BY-SA-3.0',
    licenceEvidence: 'Copyright: 2006-2008, June Wallack',
    description: 'Asterisk prompts, June Wallack (fr-CA, female), 8 kHz wav',
    collect: asteriskCollector('asterisk-core-sounds-fr-wav', 'asterisk-fr-ca-june', 'fr-CA'),
  },
  {
    name: 'asterisk-prompt-fr-armelle',
    // The copyright file's "License:" section is a BSD-style permission notice by Michel Gutierrez;
    // only the Debian packaging is GPL-2+.
    licence: 'BSD-style (Michel Gutierrez, 2006)',
    licenceEvidence: 'Redistribution and use, with or without modification, are permitted',
    description: 'Asterisk prompts, Armelle Desjardins (fr-FR, female), 8 kHz GSM',
    collect: asteriskCollector('asterisk-prompt-fr-armelle', 'asterisk-fr-armelle', 'fr-FR'),
  },
  {
    name: 'asterisk-prompt-es-co',
    licence: 'GPL-2',
    licenceEvidence: 'version 2 dated June, 1991',
    description: 'Asterisk prompts, July E. Jiménez (es-CO), 8 kHz GSM',
    collect: asteriskCollector('asterisk-prompt-es-co', 'asterisk-es-co', 'es-CO'),
  },
  // Held-out voices (issue 18): languages, speakers and recording chains the background models never saw.
  // One voice per package: the Asterisk folder name is <lang>_<country>_<f|m>_<voice> and the CREDITS
  // name one recording voice (models/README.md, "Corpus" says what could and could not be checked).
  // asterisk-core-sounds-es-* is NOT used: its voice folder is es_MX_f_Allison and its copyright names
  // Allison Smith, the voice of asterisk-core-sounds-en-wav, a background speaker.
  ...heldOutAsterisk('asterisk-core-sounds-it', 'asterisk-it-carlo', 'it-IT', 'male', {
    licence: 'CC-BY-SA-3.0',
    licenceEvidence: 'Carlo Flora',
    voice: 'Carlo Flora',
    chains: ['gsm', 'g722'],
  }),
  ...heldOutAsterisk('asterisk-core-sounds-ru', 'asterisk-ru-ivrvoice', 'ru-RU', 'female', {
    licence: 'CC-BY-3.0',
    licenceEvidence: 'Provided by: Maxim Topal',
    voice: 'the ivrvoice.ru female voice (unnamed; provided by Maxim Topal)',
    chains: ['gsm', 'g722'],
  }),
  ...heldOutAsterisk('asterisk-prompt-it-menardi', 'asterisk-it-menardi', 'it-IT', 'female', {
    licence: 'CC-BY-SA-3.0 (Italy)',
    licenceEvidence: 'Paola Dal Zot',
    voice: 'Paola Dal Zot (Menardi prompts)',
    chains: ['gsm', 'alaw'],
  }),
];

/**
 * A held-out Asterisk voice: the `-wav` package is the voice's clips (8 kHz PCM); the `-gsm`,
 * `-alaw` and `-g722` packages are the same prompts through another codec, used as real recording
 * chains. sox cannot read G.722 (and ffmpeg would be 49 packages, 80 MB installed), so g722.ts
 * decodes it; the Menardi voice has no -g722 package.
 */
function heldOutAsterisk(
  base: string,
  speaker: string,
  language: string,
  sex: 'female' | 'male',
  info: { licence: string; licenceEvidence: string; voice: string; chains?: readonly string[] },
): CorpusPackage[] {
  const chains = info.chains ?? ['gsm'];
  return [
    {
      name: `${base}-wav`,
      licence: info.licence,
      licenceEvidence: info.licenceEvidence,
      description: `Asterisk prompts, ${info.voice} (${language}, ${sex}), 8 kHz wav; held out`,
      collect: asteriskCollector(`${base}-wav`, speaker, language),
    },
    ...chains.map((chain) => ({
      name: `${base}-${chain}`,
      licence: info.licence,
      licenceEvidence: info.licenceEvidence,
      description: `the same prompts of ${info.voice} as ${CHAIN_CODECS[chain] ?? chain} (recording chain \`${chain}\`)`,
      collect: asteriskCollector(`${base}-${chain}`, speaker, language, chain),
    })),
  ];
}
