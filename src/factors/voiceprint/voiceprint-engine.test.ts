import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Audio } from './audio/audio.ts';
import { to16k } from './audio/channels.ts';
import { addNoise, applyGain, g711RoundTrip, toTelephoneBand } from './audio/resample.ts';
import { decodeWav } from './audio/wav.ts';
import { modelFeatures } from './features/model-features.ts';
import { trainUbm, type Gmm } from './model/gmm.ts';
import { GmmUbmBackend } from './speaker/gmm-ubm-backend.ts';
import { DEFAULT_THRESHOLD, VoiceprintEngine, type Voiceprint } from './voiceprint-engine.ts';
import { speechToolsAvailable } from './testing/speech-tools.ts';

// espeak-ng voices are synthetic: they stand in for speakers here, and must not be passed off as
// distinct humans (telephony-offline.md §3). Skipped when espeak-ng or sox is missing.
const available = speechToolsAvailable;

const PHRASE = 'never forget that tomorrow is a new day';
let dir = '';

function speak(voice: string, text: string, speed: number, pitch: number): Audio {
  const file = join(dir, `${voice}-${speed}-${pitch}-${text.length}.wav`.replace(/[^\w.-]/g, '_'));
  execFileSync('sh', ['-c', `espeak-ng -v "$1" -s "$2" -p "$3" --stdout "$4" | sox -t wav - -r 16000 -c 1 -b 16 "$5"`, 'sh', voice, String(speed), String(pitch), text, file]);
  return decodeWav(new Uint8Array(readFileSync(file)));
}

function ubmFor(material: Audio[]): Gmm {
  const features = material.map((a) => modelFeatures(a, 8000));
  const all = new Float32Array(features.reduce((s, f) => s + f.data.length, 0));
  let at = 0;
  for (const f of features) {
    all.set(f.data, at);
    at += f.data.length;
  }
  return trainUbm(all, 60, { components: 16, iterations: 6, seed: 1 });
}

/** An 8 kHz recording played out at 16 kHz: nothing above 4 kHz (prompts, narrowband devices). */
function upsampled(audio: Audio): Audio {
  return to16k(toTelephoneBand(audio));
}

describe('VoiceprintEngine with espeak-ng voices', { skip: available ? false : 'espeak-ng or sox not installed' }, () => {
  let engine: VoiceprintEngine;
  let voiceprint: Voiceprint;
  let enrolment: Audio[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voiceprint-'));
    // Background material: other voices, other sentences (the target and impostor are not in it).
    const material: Audio[] = [];
    const sentences = ['please say your pass phrase after the tone', 'seven three nine one four two', 'the weather today is cloudy with a chance of rain'];
    ['en-gb', 'en-us+m2', 'en-us+f1', 'en-us+f4', 'en-gb+m4', 'en-029'].forEach((voice, i) =>
      sentences.forEach((text, j) => material.push(speak(voice, text, 140 + 10 * ((i + j) % 4), 40 + 5 * j))),
    );
    engine = new VoiceprintEngine(new GmmUbmBackend(ubmFor(material)));
    enrolment = [speak('en-us+m3', PHRASE, 130, 50), speak('en-us+m3', PHRASE, 150, 48), speak('en-us+m3', PHRASE, 165, 52)];
    const result = await engine.enroll(enrolment);
    assert.equal(result.ok, true, JSON.stringify(result.recordings.map((r) => r.problems)));
    if (result.ok) voiceprint = result.voiceprint;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the voiceprint is v2, small, JSON-serialisable, and names its speaker backend', () => {
    const json = JSON.stringify(voiceprint);
    assert.ok(json.length < 300 * 1024, `${json.length} bytes`);
    voiceprint = JSON.parse(json) as Voiceprint;
    assert.equal(voiceprint.format, 'verity-voiceprint/2');
    assert.equal(voiceprint.speaker.backend, engine.backend.id);
    assert.equal(voiceprint.speaker.calibration.genuine.length, 3);
    assert.equal(voiceprint.phrase?.templates.length, 3);
    assert.equal(voiceprint.fingerprints.length, 3);
  });

  test('a digits voiceprint keeps digit templates and no pass-phrase part, and checks the prompted digits', async () => {
    const prompts = ['3819470', '5206147', '6928350'];
    const say = (digits: string, speed: number, pitch = 50) => speak('en-us+m3', digits.split('').join(', '), speed, pitch);
    const result = await engine.enroll(
      prompts.map((p, i) => say(p, 140 + 10 * i)),
      { prompts },
    );
    assert.equal(result.ok, true, JSON.stringify(result.recordings.map((r) => r.problems)));
    if (!result.ok) return;
    const json = JSON.stringify(result.voiceprint);
    const digitsVoiceprint = JSON.parse(json) as Voiceprint;
    assert.equal(digitsVoiceprint.phrase, undefined, 'no phrase templates');
    assert.ok(digitsVoiceprint.digits, 'digit templates');
    assert.ok(json.length < 300 * 1024, `${json.length} bytes`);
    // Another speed and pitch than the enrolment takes: espeak repeats its digits sample for sample.
    const take = say('472961', 163, 56);
    const right = await engine.verify(digitsVoiceprint, take, { prompt: '472961' });
    assert.deepEqual(right.reasons.filter((r) => r === 'digits_mismatch' || r === 'replay_suspected' || r.startsWith('quality:')), [], JSON.stringify(right.reasons));
    const wrong = await engine.verify(digitsVoiceprint, take, { prompt: '905318' });
    assert.equal(wrong.decision, 'no_match', JSON.stringify(wrong.reasons));
    assert.ok(wrong.reasons.includes('digits_mismatch'), JSON.stringify(wrong.reasons));
    // Without its phrase part a pass-phrase voiceprint is malformed.
    const noContent = JSON.parse(JSON.stringify(voiceprint)) as Voiceprint;
    delete noContent.phrase;
    await assert.rejects(engine.verify(noContent, take), { code: 'voiceprint_invalid' });
  });

  test('the same voice matches through every chain: 16 kHz, G.711 call, upsampled 8 kHz', async () => {
    const attempt = speak('en-us+m3', PHRASE, 140, 49);
    const wide = await engine.verify(voiceprint, attempt);
    assert.equal(wide.decision, 'match', JSON.stringify(wide));
    assert.ok(wide.score >= DEFAULT_THRESHOLD, 'expected wide.score >= DEFAULT_THRESHOLD');
    const phone = await engine.verify(voiceprint, g711RoundTrip(toTelephoneBand(addNoise(attempt, 30, 1)), 'ulaw'));
    assert.equal(phone.decision, 'match', JSON.stringify(phone));
    const up = await engine.verify(voiceprint, upsampled(attempt));
    assert.equal(up.decision, 'match', JSON.stringify(up));
    console.log(`verify timings (3 s utterance): 16 kHz ${JSON.stringify(wide.timingsMs)}, 8 kHz ${JSON.stringify(phone.timingsMs)}`);
  });

  test('one scoring path: the upsampled copy of an attempt scores (almost) like the attempt', async () => {
    const attempt = speak('en-us+m3', PHRASE, 145, 50);
    const wide = await engine.verify(voiceprint, attempt);
    const up = await engine.verify(voiceprint, upsampled(attempt));
    assert.ok(Math.abs(wide.components.speakerNorm - up.components.speakerNorm) < 0.5, `${wide.components.speakerNorm} vs ${up.components.speakerNorm}`);
  });

  test('another voice saying the phrase does not match', async () => {
    for (const voice of ['en-us+f2', 'en-gb+f3']) {
      const result = await engine.verify(voiceprint, speak(voice, PHRASE, 145, 50));
      assert.equal(result.decision, 'no_match', `${voice}: ${JSON.stringify(result.components)}`);
      assert.ok(result.reasons.includes('voice_mismatch'), `${voice}: ${result.reasons.join()}`);
    }
  });

  test('the same voice saying another phrase does not match', async () => {
    const result = await engine.verify(voiceprint, speak('en-us+m3', 'the quick brown fox jumps over the lazy dog', 145, 50));
    assert.equal(result.decision, 'no_match', JSON.stringify(result.components));
    assert.ok(result.reasons.includes('phrase_mismatch'), "expected result.reasons.includes('phrase_mismatch')");
  });

  test('a replayed enrolment recording is rejected, also after gain change and G.711', async () => {
    for (const replay of [enrolment[1]!, applyGain(enrolment[0]!, 0.5), g711RoundTrip(toTelephoneBand(enrolment[2]!), 'alaw')]) {
      const result = await engine.verify(voiceprint, replay);
      assert.equal(result.decision, 'rejected');
      assert.ok(result.reasons.includes('replay_suspected'), JSON.stringify(result.components));
    }
  });

  test('a replay of an earlier accepted attempt is rejected through seenFingerprints', async () => {
    const attempt = speak('en-us+m3', PHRASE, 155, 51);
    const first = await engine.verify(voiceprint, attempt);
    assert.equal(first.decision, 'match', JSON.stringify(first.components));
    const again = await engine.verify(voiceprint, g711RoundTrip(toTelephoneBand(attempt), 'ulaw'), { seenFingerprints: [first.fingerprint] });
    assert.equal(again.decision, 'rejected');
    assert.deepEqual(again.reasons, ['replay_suspected']);
  });

  test('a quality problem rejects the attempt: "We could not hear you clearly"', async () => {
    const result = await engine.verify(voiceprint, applyGain(speak('en-us+m3', PHRASE, 140, 50), 0.003));
    assert.equal(result.decision, 'rejected');
    assert.ok(result.reasons.includes('quality:too_quiet'), result.reasons.join());
    assert.match(result.quality.problems[0]!.message, /^We could not hear you clearly/);
  });

  test('an enrolment recording of another phrase is flagged inconsistent', async () => {
    const result = await engine.enroll([enrolment[0]!, speak('en-us+m3', 'the quick brown fox jumps over the lazy dog', 150, 50), enrolment[2]!]);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.recordings.map((r) => r.problems.map((p) => p.code)),
      [[], ['inconsistent'], []],
    );
  });

  test('fewer than three recordings is an error', async () => {
    await assert.rejects(engine.enroll(enrolment.slice(0, 2)), { code: 'enroll_count' });
  });

  test('an 8 kHz phone enrolment serves 16 kHz attempts (same telephone-band model)', async () => {
    const result = await engine.enroll(enrolment.map((a) => g711RoundTrip(toTelephoneBand(a), 'ulaw')));
    assert.ok(result.ok, 'expected result.ok');
    const attempt = await engine.verify(result.voiceprint, speak('en-us+m3', PHRASE, 140, 49));
    assert.equal(attempt.decision, 'match', JSON.stringify(attempt.components));
  });

  test('a v1 voiceprint, or one from another speaker model, is refused with voiceprint_invalid', async () => {
    const v1 = { format: 'verity-voiceprint/1', enrolledRate: 16000, models: {}, fingerprints: [] } as unknown as Voiceprint;
    await assert.rejects(engine.verify(v1, enrolment[0]!), { code: 'voiceprint_invalid' });
    const ubm = (engine.backend as GmmUbmBackend).ubm;
    const other = new VoiceprintEngine(new GmmUbmBackend(ubm.withMeans(ubm.means.map((m) => m + 1))));
    await assert.rejects(other.verify(voiceprint, enrolment[0]!), { code: 'voiceprint_invalid' });
  });
});
