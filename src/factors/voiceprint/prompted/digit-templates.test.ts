import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import type { Audio } from '../audio/audio.ts';
import { mulberry32 } from '../audio/prng.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../audio/resample.ts';
import { decodeWav } from '../audio/wav.ts';
import { CHALLENGE_DIGITS } from './digit-prompts.ts';
import { enrollDigits, isDigitTemplates, matchDigits } from './digit-templates.ts';
import { frameFeatures } from './digit-features.ts';
import { segmentWords } from './segment-digits.ts';
import { speechToolsAvailable } from '../testing/speech-tools.ts';

// espeak-ng voices stand in for speakers (synthetic, not people). Skipped without espeak-ng and sox.
const available = speechToolsAvailable;

/** The digits said one by one ("4, 7, 1"), as the pages ask: a short pause after each. */
function sayDigits(voice: string, digits: string, speed: number, pitch: number): Audio {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '--stdout', digits.split('').join(', ')]);
  const wav = execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, stdio: ['pipe', 'pipe', 'ignore'] });
  return decodeWav(new Uint8Array(wav));
}

// 20 dB: deliberately not the telephone twin's 25 dB.
const phone = (audio: Audio, seed: number): Audio => g711RoundTrip(addNoise(toTelephoneBand(audio), 20, seed), 'ulaw');

const VOICES = ['en-us+m3', 'en-gb', 'en-us+f1', 'en-us+f4', 'en-gb+m4', 'en-029'];
const ENROLMENT = ['3819470', '5206147', '6928350'];

describe('digit templates (text-prompted mode) with espeak-ng voices', { skip: available ? false : 'espeak-ng or sox not installed' }, () => {
  test('segments digits said with short pauses into one segment each', () => {
    let exact = 0;
    for (const voice of VOICES) for (const [i, p] of ENROLMENT.entries()) exact += segmentWords(frameFeatures(sayDigits(voice, p, 140 + 12 * i, 45 + 4 * i)).logEnergy, p.length).length === p.length ? 1 : 0;
    assert.equal(exact, VOICES.length * ENROLMENT.length);
  });

  test('accepts the prompted digits and refuses other digits (measured rates, seeded)', (t) => {
    const random = mulberry32(18);
    const digits = (n: number): string => {
      let s = '';
      while (s.length < n) {
        const d = String(Math.floor(random() * 10));
        if (!s.endsWith(d)) s += d;
      }
      return s;
    };
    const counts = { genuine: 0, genuineOk: 0, genuinePhone: 0, genuinePhoneOk: 0, wrong: 0, wrongOk: 0, oldPrompt: 0, oldPromptOk: 0 };
    for (const voice of VOICES) {
      const enrolled = enrollDigits(ENROLMENT.map((p, i) => sayDigits(voice, p, 140 + 12 * i, 45 + 4 * i)), ENROLMENT);
      assert.ok(enrolled.digits, `${voice}: ${JSON.stringify(enrolled.problems)}`);
      const model = JSON.parse(JSON.stringify(enrolled.digits)) as unknown;
      assert.ok(isDigitTemplates(model), 'the digit templates survive JSON');
      let previous = digits(CHALLENGE_DIGITS.default);
      for (let k = 0; k < 6; k++) {
        const prompt = digits(CHALLENGE_DIGITS.default);
        const speed = 125 + Math.floor(random() * 50);
        const pitch = 38 + Math.floor(random() * 20);
        const take = sayDigits(voice, prompt, speed, pitch);
        counts.genuine++;
        if (matchDigits(model, take, prompt).ok) counts.genuineOk++;
        counts.genuinePhone++;
        if (matchDigits(model, phone(take, k + 1), prompt).ok) counts.genuinePhoneOk++;
        let other = digits(CHALLENGE_DIGITS.default);
        while (other === prompt) other = digits(CHALLENGE_DIGITS.default);
        counts.wrong++;
        if (matchDigits(model, sayDigits(voice, other, speed, pitch), prompt).ok) counts.wrongOk++;
        // A new take of an earlier challenge's digits (what a recording of that attempt says).
        if (previous !== prompt) {
          counts.oldPrompt++;
          if (matchDigits(model, sayDigits(voice, previous, speed + 5, pitch), prompt).ok) counts.oldPromptOk++;
        }
        previous = prompt;
      }
    }
    t.diagnostic(JSON.stringify(counts));
    assert.ok(counts.genuineOk >= 0.95 * counts.genuine, `genuine accepted ${counts.genuineOk}/${counts.genuine}`);
    assert.ok(counts.genuinePhoneOk >= 0.9 * counts.genuinePhone, `genuine over the phone accepted ${counts.genuinePhoneOk}/${counts.genuinePhone}`);
    assert.equal(counts.wrongOk, 0, `other digits accepted ${counts.wrongOk}/${counts.wrong}`);
    assert.equal(counts.oldPromptOk, 0, `an earlier prompt accepted ${counts.oldPromptOk}/${counts.oldPrompt}`);
  });

  test('an enrolment recording that is not split into its digits is digits_unclear', () => {
    const result = enrollDigits([sayDigits('en-us+m3', ENROLMENT[0]!, 140, 45), sayDigits('en-us+m3', ENROLMENT[1]!, 150, 48), sayDigits('en-us+m3', '12', 150, 48)], ENROLMENT);
    assert.equal(result.digits, undefined);
    assert.deepEqual(result.problems.map((p) => [p.index, p.code]), [[2, 'digits_unclear']]);
  });
});
