import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { parseVoices, voiceFor } from '../audio/prompt-audio.ts';
import { SUPPORTED_LOCALES, type Locale } from './locales.ts';

/** The espeak-ng voice each message locale should speak with (`espeak-ng --voices`). */
const ESPEAK: Record<Locale, string> = {
  af: 'af', ar: 'ar', ca: 'ca', zh: 'cmn-latn-pinyin', 'zh-CN': 'cmn-latn-pinyin', 'zh-HK': 'yue', hr: 'hr', cs: 'cs', da: 'da', nl: 'nl', en: 'en-us', 'en-GB': 'en-gb',
  et: 'et', fi: 'fi', fr: 'fr', de: 'de', el: 'el', he: 'he', hi: 'hi', hu: 'hu', id: 'id', it: 'it', ja: 'ja', kn: 'kn', ko: 'ko', lt: 'lt',
  ms: 'ms', mr: 'mr', nb: 'nb', pl: 'pl', 'pt-BR': 'pt-br', pt: 'pt', ro: 'ro', ru: 'ru', sk: 'sk', es: 'es', sv: 'sv', tl: 'id', te: 'te',
  th: 'th', tr: 'tr', uk: 'uk', vi: 'vi',
};

function installedVoices(): Set<string> | undefined {
  try {
    return parseVoices(execFileSync('espeak-ng', ['--voices'], { encoding: 'utf8' }));
  } catch {
    return undefined;
  }
}

test('every message locale speaks with an espeak-ng voice of its language on the simulated phone', (t) => {
  const voices = installedVoices();
  if (voices === undefined) return t.skip('espeak-ng is not installed');
  for (const locale of SUPPORTED_LOCALES) assert.equal(voiceFor(locale, voices), ESPEAK[locale], locale);
});
