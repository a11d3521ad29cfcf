import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WavError } from './wav.ts';
import { readWav, toTelephoneBand, writeWav } from './line-audio.ts';

function tone(sampleRate: number, hz: number, seconds: number, amplitude = 10_000): Int16Array {
  const samples = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return samples;
}

/** RMS gain of a tone through the filter, ignoring the edges. */
function gain(sampleRate: number, hz: number): number {
  const out = toTelephoneBand({ sampleRate, samples: tone(sampleRate, hz, 1) }).samples;
  let sum = 0;
  const from = 800;
  const to = out.length - 800;
  for (let i = from; i < to; i++) sum += (out[i] ?? 0) ** 2;
  return Math.sqrt(sum / (to - from)) / (10_000 / Math.SQRT2);
}

test('speech-band tones pass at 8 kHz, at every common input rate', () => {
  for (const rate of [11_025, 16_000, 22_050, 44_100, 48_000]) {
    const out = toTelephoneBand({ sampleRate: rate, samples: tone(rate, 1000, 1) });
    assert.equal(out.sampleRate, 8000);
    assert.equal(out.samples.length, 8000);
    for (const hz of [500, 1000, 3000]) assert.ok(Math.abs(gain(rate, hz) - 1) < 0.05, `${hz} Hz at ${rate} Hz: gain ${gain(rate, hz)}`);
  }
});

test('tones above the band are removed instead of folding back (no aliasing), and hum below 300 Hz is cut', () => {
  for (const rate of [22_050, 44_100]) {
    for (const hz of [4500, 5000, 7000, 10_000]) assert.ok(gain(rate, hz) < 0.01, `${hz} Hz at ${rate} Hz: gain ${gain(rate, hz)}`);
    assert.ok(gain(rate, 50) < 0.05, `50 Hz at ${rate} Hz: gain ${gain(rate, 50)}`);
  }
});

test('WAV round trip; streamed headers with placeholder sizes; stereo mixed to mono', () => {
  const samples = Int16Array.from([0, 1, -1, 32767, -32768]);
  const wav = writeWav({ sampleRate: 8000, samples });
  assert.equal(wav.length, 44 + 10);
  assert.equal(wav.readUInt32LE(4), 36 + 10);
  assert.deepEqual(readWav(wav), { sampleRate: 8000, channels: 1, samples });

  const streamed = Buffer.from(wav);
  streamed.writeUInt32LE(0x7ffff000, 4);
  streamed.writeUInt32LE(0x7ffff000, 40);
  assert.deepEqual(readWav(streamed).samples, samples);

  const stereo = Buffer.from(wav);
  stereo.writeUInt16LE(2, 22);
  const frames = readWav(Buffer.concat([stereo.subarray(0, 44), Buffer.from(Int16Array.from([100, 300, -10, -20]).buffer)]));
  assert.equal(frames.channels, 2);
  assert.deepEqual([...frames.samples], [200, -15]);
});

test('anything but 16-bit PCM WAV is refused', () => {
  const wav = writeWav({ sampleRate: 8000, samples: new Int16Array(4) });
  assert.throws(() => readWav(Buffer.from('RIFF....WAVE')), WavError);
  assert.throws(() => readWav(Buffer.from('hello world, not audio')), WavError);
  const eightBit = Buffer.from(wav);
  eightBit.writeUInt16LE(8, 34);
  assert.throws(() => readWav(eightBit), /16-bit linear PCM/);
  const mulaw = Buffer.from(wav);
  mulaw.writeUInt16LE(7, 20);
  assert.throws(() => readWav(mulaw), /16-bit linear PCM/);
});
