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
        candidates.push({ speaker, clip: `${level}--${id}`, path, pkg, telephoneOnly: false, minorCharacter: fish === undefined });
      }
    }
    return { candidates, nonSpeech };
  };
}

/** Every regular .wav/.gsm file under the package's sounds folder (symlinks are duplicates). */
function asteriskCollector(pkg: string, speaker: string) {
  return (roots: ReadonlyMap<string, string>): Collected => {
    const base = join(rootOf(roots, pkg), ASTERISK_SOUNDS);
    const candidates: Candidate[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir).sort()) {
        const path = join(dir, entry);
        const stat = lstatSync(path);
        if (stat.isDirectory()) walk(path);
        else if (stat.isFile() && /\.(wav|gsm)$/i.test(entry)) {
          // en_US_f_Allison/digits/1.wav → digits--1 (the voice folder itself is dropped).
          const rel = relative(base, path).replace(/\.(wav|gsm)$/i, '').split('/');
          const clip = (rel.length > 1 && /_f_|_m_/.test(rel[0] ?? '') ? rel.slice(1) : rel).join('--');
          candidates.push({ speaker, clip, path, pkg, telephoneOnly: true, minorCharacter: false });
        }
      }
    };
    walk(base);
    return { candidates, nonSpeech: 0 };
  };
}

const FILLETS_LICENCE = {
  licence: 'GPL-2',
  licenceEvidence: 'version 2 dated June, 1991',
} as const;

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
    collect: asteriskCollector('asterisk-core-sounds-en-wav', 'asterisk-en-allison'),
  },
  {
    name: 'asterisk-core-sounds-fr-wav',
    licence: 'CC-BY-SA-3.0',
    licenceEvidence: 'Copyright: 2006-2008, June Wallack',
    description: 'Asterisk prompts, June Wallack (fr-CA, female), 8 kHz wav',
    collect: asteriskCollector('asterisk-core-sounds-fr-wav', 'asterisk-fr-ca-june'),
  },
  {
    name: 'asterisk-prompt-fr-armelle',
    // The copyright file's "License:" section is a BSD-style permission notice by Michel Gutierrez;
    // only the Debian packaging is GPL-2+.
    licence: 'BSD-style (Michel Gutierrez, 2006)',
    licenceEvidence: 'Redistribution and use, with or without modification, are permitted',
    description: 'Asterisk prompts, Armelle Desjardins (fr-FR, female), 8 kHz GSM',
    collect: asteriskCollector('asterisk-prompt-fr-armelle', 'asterisk-fr-armelle'),
  },
  {
    name: 'asterisk-prompt-es-co',
    licence: 'GPL-2',
    licenceEvidence: 'version 2 dated June, 1991',
    description: 'Asterisk prompts, July E. Jiménez (es-CO), 8 kHz GSM',
    collect: asteriskCollector('asterisk-prompt-es-co', 'asterisk-es-co'),
  },
];
