import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EspeakPromptAudio, parseVoices, voiceFor } from './prompt-audio.ts';
import { readWav } from './line-audio.ts';

const LISTING = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  de              --/M      German             gmw/de
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  fr-be           --/M      French_(Belgium)   roa/fr-BE            (fr 8)
 5  fr-fr           --/M      French_(France)    roa/fr               (fr 5)
 5  pt-br           --/M      Portuguese_(Brazil) roa/pt-BR            (pt 6)
`;

test('a voice for each locale: exact, by language, else American English', () => {
  const voices = parseVoices(LISTING);
  assert.ok(voices.has('en') && voices.has('fr-fr') && voices.has('de'), "expected voices.has('en') && voices.has('fr-fr') && voices.has('de')");
  assert.equal(voiceFor('en-GB', voices), 'en-gb');
  assert.equal(voiceFor('fr-CA', voices), 'fr');
  assert.equal(voiceFor('de-AT', voices), 'de');
  assert.equal(voiceFor('pt_BR', voices), 'pt-br');
  assert.equal(voiceFor('xx', voices), 'en-us');
});

test('without espeak-ng, prompts have no audio', async () => {
  const audio = new EspeakPromptAudio({ espeakCommand: 'verity-no-such-espeak' });
  assert.equal(await audio.available(), false);
  assert.equal(await audio.prepare('Your code is 1 2 3', 'en'), null);
});

/** Checks the WAV is telephone audio that is not silence. */
function assertTelephoneSpeech(wav: Buffer): void {
  assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
  assert.equal(wav.readUInt16LE(20), 1, 'PCM');
  assert.equal(wav.readUInt16LE(22), 1, 'mono');
  assert.equal(wav.readUInt32LE(24), 8000, '8000 Hz');
  assert.equal(wav.readUInt16LE(34), 16, '16-bit');
  assert.equal(wav.readUInt32LE(40), wav.length - 44, 'the data size is the real one');
  const { samples } = readWav(wav);
  assert.ok(samples.length > 8000 * 0.5, 'at least half a second');
  let energy = 0;
  for (const sample of samples) energy += sample * sample;
  assert.ok(Math.sqrt(energy / samples.length) > 300, 'not silent');
}

for (const useSox of [true, false]) {
  test(`espeak-ng renders 8 kHz 16-bit mono speech (${useSox ? 'sox' : 'built-in resampler'})`, async (t) => {
    const audio = new EspeakPromptAudio({ useSox });
    if (!(await audio.available())) {
      t.skip('espeak-ng is not installed');
      return;
    }
    // Text that looks like options must stay text (it goes on stdin).
    const id = await audio.prepare('-w /tmp/x.wav Your Verity code is 4 8 2 9 1 3.', 'en-US');
    assert.match(id ?? '', /^[0-9a-f]{32}$/);
    const wav = await audio.get(id!);
    assert.ok(wav, 'expected wav');
    assertTelephoneSpeech(wav);
    assert.equal(await audio.prepare('-w /tmp/x.wav Your Verity code is 4 8 2 9 1 3.', 'en-US'), id, 'the same prompt has the same id');
    assert.notEqual(await audio.prepare('-w /tmp/x.wav Your Verity code is 4 8 2 9 1 3.', 'fr'), id);
    assert.equal(await audio.get('0'.repeat(32)), undefined);
  });
}

test('the cache is bounded: the least recently prepared prompts are dropped', async (t) => {
  const audio = new EspeakPromptAudio({ maxEntries: 2 });
  if (!(await audio.available())) {
    t.skip('espeak-ng is not installed');
    return;
  }
  const one = (await audio.prepare('one', 'en'))!;
  const two = (await audio.prepare('two', 'en'))!;
  await audio.prepare('one', 'en');
  await audio.prepare('three', 'en');
  assert.ok(await audio.get(one), 'expected await audio.get(one)');
  assert.equal(await audio.get(two), undefined);
});
