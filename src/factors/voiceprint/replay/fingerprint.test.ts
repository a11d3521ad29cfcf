import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeWav } from '../../../audio/wav.ts';
import { decodeWav } from '../audio/wav.ts';
import { addNoise, applyGain, g711RoundTrip, toTelephoneBand } from '../audio/resample.ts';
import { concat, syntheticVoice, tone } from '../testing/synthetic-voice.ts';
import { decodeFingerprint, encodeFingerprint, fingerprint, replaySimilarity } from './fingerprint.ts';

const original = syntheticVoice({ f0: 118, syllables: 9, seed: 11 });
// a "live repeat": same voice and vowels, other jitter, slightly other pitch and timing
const repeat = syntheticVoice({ f0: 121, syllables: 9, syllableSeconds: 0.26, seed: 12 });
const otherVoice = syntheticVoice({ f0: 210, syllables: 9, vowels: [[850, 1600, 2900], [350, 2700, 3300]], seed: 13 });

test('a copy scores far above a live repeat and another voice', () => {
  const fp = fingerprint(original);
  const sameWav = fingerprint(decodeWav(encodeWav(original)));
  assert.ok(replaySimilarity(fp, sameWav) > 0.99, 'expected replaySimilarity(fp, sameWav) > 0.99');
  const copies = [
    applyGain(original, 0.3),
    toTelephoneBand(original),
    g711RoundTrip(toTelephoneBand(original), 'ulaw'),
    g711RoundTrip(toTelephoneBand(applyGain(original, 1.6)), 'alaw'),
    addNoise(original, 25, 1),
    concat(tone(0, 0.37, 0), original), // leading silence added
  ];
  const liveRepeat = replaySimilarity(fp, fingerprint(repeat));
  const other = replaySimilarity(fp, fingerprint(otherVoice));
  for (const [i, copy] of copies.entries()) {
    const s = replaySimilarity(fp, fingerprint(copy));
    assert.ok(s > 0.9, `copy ${i}: ${s}`);
    assert.ok(s > liveRepeat + 0.15, `copy ${i} ${s} vs live repeat ${liveRepeat}`);
  }
  assert.ok(liveRepeat < 0.8, `live repeat ${liveRepeat}`);
  assert.ok(other < 0.7, `other voice ${other}`);
});

test('fingerprints serialise to compact base64 text', () => {
  const fp = fingerprint(original);
  const text = encodeFingerprint(fp);
  assert.match(text, /^fp1:[A-Za-z0-9+/]+=*$/);
  assert.ok(text.length < 4 * 1024, `${text.length} chars`);
  assert.deepEqual(decodeFingerprint(text), fp);
  assert.equal(replaySimilarity(text, fp), 1);
  assert.equal(decodeFingerprint('garbage').length, 0);
  assert.equal(replaySimilarity('garbage', fp), 0);
});

test('silence never matches', () => {
  assert.equal(replaySimilarity(fingerprint(tone(0, 3, 0)), fingerprint(tone(0, 3, 0))), 0);
});
