import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Audio } from '../audio/audio.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../audio/resample.ts';
import { decodeWav } from '../audio/wav.ts';
import { extractFeatures } from '../features/extract-features.ts';
import { buildPhraseModel, scorePhrase, type PhraseModel } from './phrase-templates.ts';
import { speechToolsAvailable } from '../testing/speech-tools.ts';

// The content check (phrase_mismatch): espeak-ng voices stand in for speakers; the corpus part uses
// real voices (npm run corpus) when it is on this machine. Skipped without espeak-ng and sox.
const available = speechToolsAvailable;
const sox = (args: string[], input?: Buffer): Buffer => execFileSync('sox', args, { input, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
const features = (audio: Audio) => extractFeatures(toTelephoneBand(audio));
const phone = (audio: Audio, seed: number): Audio => g711RoundTrip(addNoise(toTelephoneBand(audio), 20, seed), 'ulaw');

function speak(voice: string, text: string, speed: number, pitch: number): Audio {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '--stdout', text]);
  return decodeWav(new Uint8Array(sox(['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], raw)));
}

const PHRASES = ['never forget that tomorrow is a new day', 'my voice is my password, verify me', 'the quick brown fox jumps over the lazy dog', 'open sesame, it is me again'];
const VOICES = ['en-us+m3', 'en-gb', 'en-us+f1', 'en-us+f4', 'en-gb+m4', 'en-029'];
const passes = (model: PhraseModel, audio: Audio) => scorePhrase(model, features(audio)).normalized >= 0;

describe('phrase (content) check', { skip: available ? false : 'espeak-ng or sox not installed' }, () => {
  test('espeak voices: live repeats pass, clean and over a noisy G.711 line; another sentence by the same voice fails', (t) => {
    const c = { genuine: 0, genuineOk: 0, phone: 0, phoneOk: 0, other: 0, otherOk: 0 };
    let seed = 1;
    for (const voice of VOICES) {
      for (const [i, phrase] of PHRASES.entries()) {
        const { model, inconsistent } = buildPhraseModel([speak(voice, phrase, 130, 50), speak(voice, phrase, 150, 46), speak(voice, phrase, 165, 54)].map(features));
        assert.deepEqual(inconsistent, []);
        for (const [speed, pitch] of [[120, 40], [140, 58], [175, 48]] as const) {
          c.genuine++;
          if (passes(model, speak(voice, phrase, speed, pitch))) c.genuineOk++;
        }
        c.phone++;
        if (passes(model, phone(speak(voice, phrase, 145, 52), seed++))) c.phoneOk++;
        for (const [j, other] of PHRASES.entries()) {
          if (j === i) continue;
          c.other++;
          if (passes(model, speak(voice, other, 145, 50))) c.otherOk++;
        }
      }
    }
    t.diagnostic(JSON.stringify(c));
    assert.equal(c.genuineOk, c.genuine, `live repeats accepted ${c.genuineOk}/${c.genuine}`);
    assert.ok(c.phoneOk >= 0.95 * c.phone, `repeats over the phone accepted ${c.phoneOk}/${c.phone}`);
    assert.equal(c.otherOk, 0, `other sentences accepted ${c.otherOk}/${c.other}`);
  });

  const corpus = join(process.env['VERITY_CORPUS_DIR'] ?? join(homedir(), '.cache', 'verity-corpus'), '8k');
  test('real voices (corpus, 8 kHz): perturbed repeats of one line pass; the same voice\'s other lines fail', { skip: existsSync(corpus) ? false : 'no corpus (npm run corpus)' }, (t) => {
    const c = { genuine: 0, genuineOk: 0, other: 0, otherOk: 0 };
    let seed = 1;
    const take = (file: string, tempo: number, cents: number): Audio => addNoise(decodeWav(new Uint8Array(sox([file, '-t', 'wav', '-', 'tempo', String(tempo), 'pitch', String(cents), 'pad', '0.3', '0.3']))), 30, seed++);
    for (const speaker of readdirSync(corpus).sort().slice(0, 10)) {
      const clips = readdirSync(join(corpus, speaker)).sort().filter((_, i) => i % 7 === 0).slice(0, 5).map((clip) => join(corpus, speaker, clip));
      for (const [i, file] of clips.slice(0, 2).entries()) {
        const { model } = buildPhraseModel([take(file, 0.93, -40), take(file, 1, 0), take(file, 1.08, 40)].map(features));
        for (const [tempo, cents] of [[0.97, 25], [1.04, -25]] as const) {
          c.genuine++;
          if (passes(model, take(file, tempo, cents))) c.genuineOk++;
        }
        for (const [j, other] of clips.entries()) {
          if (j === i) continue;
          c.other++;
          if (passes(model, take(other, 1, 0))) c.otherOk++;
        }
      }
    }
    t.diagnostic(JSON.stringify(c));
    assert.equal(c.genuineOk, c.genuine);
    assert.equal(c.otherOk, 0);
  });
});
