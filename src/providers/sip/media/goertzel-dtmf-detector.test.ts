import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWav } from '../../../audio/line-audio.ts';
import { EspeakPromptAudio } from '../../../audio/prompt-audio.ts';
import { gaussian, mulberry32 } from '../../../factors/voiceprint/audio/prng.ts';
import { g711RoundTrip } from './g711-codec.ts';
import { dtmfTone, GoertzelDtmfDetector } from './goertzel-dtmf-detector.ts';

const KEYS = '0123456789*#ABCD';

/** `tone` then `pause` ms per digit, white noise `snrDb` below the tones, through G.711. */
function keyed(digits: string, options: { toneMs?: number; pauseMs?: number; snrDb?: number; law?: 'PCMU' | 'PCMA'; amplitude?: number; seed?: number } = {}): Int16Array {
  const tone = ((options.toneMs ?? 80) * 8000) / 1000;
  const pause = ((options.pauseMs ?? 80) * 8000) / 1000;
  const amplitude = options.amplitude ?? 4000;
  const out = new Float64Array(57 + digits.length * (tone + pause));
  let offset = 57; // not aligned with the 160-sample blocks
  for (const digit of digits) {
    out.set(dtmfTone(digit, tone, amplitude), offset);
    offset += tone + pause;
  }
  if (options.snrDb !== undefined) {
    // Both tones have power A²/2: noise at snrDb below their sum.
    const sigma = Math.sqrt(amplitude * amplitude / 10 ** (options.snrDb / 10));
    const normal = gaussian(mulberry32(options.seed ?? 1));
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + sigma * normal();
  }
  const samples = Int16Array.from(out, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
  return g711RoundTrip(options.law ?? 'PCMU', samples);
}

/** Feeds 20 ms frames, as RTP delivers them. */
function detectAll(samples: Int16Array, detector = new GoertzelDtmfDetector()): string {
  let digits = '';
  for (let i = 0; i < samples.length; i += 160) digits += detector.push(samples.subarray(i, i + 160)).join('');
  return digits;
}

test('every key is detected once, after G.711 µ-law and A-law with white noise 20 dB down', () => {
  for (const law of ['PCMU', 'PCMA'] as const) {
    for (let seed = 1; seed <= 5; seed++) {
      assert.equal(detectAll(keyed(KEYS, { law, snrDb: 20, seed })), KEYS, `${law}, noise seed ${seed}`);
    }
  }
});

test('a long press is one digit; the same key twice needs a pause', () => {
  assert.equal(detectAll(keyed('5', { toneMs: 1000 })), '5');
  assert.equal(detectAll(keyed('55', { toneMs: 100, pauseMs: 60 })), '55');
  // Two keys back to back without a pause are still two different digits.
  const joined = new Int16Array(1600);
  joined.set(dtmfTone('1', 800), 0);
  joined.set(dtmfTone('2', 800), 800);
  assert.equal(detectAll(joined), '12');
});

test('persistence: a tone shorter than two blocks is no digit (Q.24: < 23 ms must be rejected)', () => {
  assert.equal(detectAll(keyed('7', { toneMs: 20 })), '');
  assert.equal(detectAll(keyed('7', { toneMs: 50 })), '7');
});

test('one tone alone, excessive twist, low level and a 2nd-harmonic-rich signal are no digits', () => {
  const detector = new GoertzelDtmfDetector();
  const block = (f: (i: number) => number) => Int16Array.from({ length: 160 }, (_, i) => Math.round(f(i)));
  const sine = (hz: number, amplitude: number) => (i: number) => amplitude * Math.sin((2 * Math.PI * hz * i) / 8000);
  assert.equal(detector.classify(block((i) => sine(697, 4000)(i) + sine(1209, 4000)(i)), 0), '1', 'the reference: key 1');
  assert.equal(detector.classify(block(sine(697, 8000)), 0), null, 'row tone only');
  assert.equal(detector.classify(block((i) => sine(697, 4000)(i) + sine(1209, 1000)(i)), 0), null, '12 dB reverse twist');
  assert.equal(detector.classify(block((i) => sine(697, 1000)(i) + sine(1209, 4000)(i)), 0), null, '12 dB normal twist');
  assert.equal(detector.classify(block((i) => sine(697, 100)(i) + sine(1209, 100)(i)), 0), null, 'below the minimum level');
  assert.equal(
    detector.classify(block((i) => sine(697, 4000)(i) + sine(1209, 4000)(i) + sine(1394, 3000)(i) + sine(2418, 3000)(i)), 0),
    null,
    'strong second harmonics (voiced speech)',
  );
  assert.equal(
    detector.classify(block((i) => sine(697, 3000)(i) + sine(1209, 3000)(i) + sine(400, 4000)(i) + sine(2200, 4000)(i)), 0),
    null,
    'the tones hold too little of the energy',
  );
  assert.equal(detector.classify(block((i) => sine(697, 4000)(i) + sine(770, 4000)(i) + sine(1209, 4000)(i)), 0), null, 'two rows at once');
});

test('no false digits on speech (espeak-ng, several languages, both laws, two levels)', async (t) => {
  const audio = new EspeakPromptAudio();
  if (!(await audio.available())) return t.skip('espeak-ng is not installed');
  const texts: [string, string][] = [
    ['en', 'Your verification code is four two nine one seven three. Please enter it now, followed by the pound key.'],
    ['en', 'She sells sea shells by the sea shore. My voice is my password, verify me.'],
    ['fr', 'Votre code de vérification est le quatre deux neuf un sept trois. Je répète.'],
    ['de', 'Ihr Bestätigungscode lautet vier zwei neun eins sieben drei.'],
  ];
  let seconds = 0;
  for (const [locale, text] of texts) {
    const id = await audio.prepare(text, locale);
    const wav = id === null ? undefined : await audio.get(id);
    assert.ok(wav, `espeak-ng rendered ${locale}`);
    const speech = readWav(wav).samples;
    for (const law of ['PCMU', 'PCMA'] as const) {
      for (const gain of [1, 3.16]) {
        const loud = Int16Array.from(speech, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
        assert.equal(detectAll(g711RoundTrip(law, loud)), '', `${locale} ${law} ×${gain}`);
        seconds += speech.length / 8000;
      }
    }
  }
  assert.ok(seconds > 60, `at least a minute of speech tested (${seconds.toFixed(0)} s)`);
});
