import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VoiceprintError, type VoiceprintErrorCode } from '../voiceprint-error.ts';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../../audio/g711.ts';
import { encodeWav } from '../../../audio/wav.ts';
import { decodeWav } from './wav.ts';

/** A WAV file with a hand-written header, for formats encodeWav does not produce. */
function wav(options: { tag?: number; channels?: number; rate?: number; bits?: number; data: Uint8Array; extensibleSubformat?: number; dataSize?: number; blockAlign?: number }): Uint8Array {
  const tag = options.tag ?? 1;
  const channels = options.channels ?? 1;
  const bits = options.bits ?? 16;
  const rate = options.rate ?? 8000;
  const extensible = options.extensibleSubformat !== undefined;
  const fmtSize = extensible ? 40 : 16;
  const bytes = new Uint8Array(12 + 8 + fmtSize + 8 + options.data.length);
  const view = new DataView(bytes.buffer);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, extensible ? 0xfffe : tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  const align = options.blockAlign ?? (channels * bits) / 8;
  view.setUint32(28, rate * align, true);
  view.setUint16(32, align, true);
  view.setUint16(34, bits, true);
  if (extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(38, bits, true);
    view.setUint32(40, channels === 1 ? 4 : 3, true);
    view.setUint16(44, options.extensibleSubformat!, true); // GUID starts with the format tag
    bytes.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  const dataAt = 20 + fmtSize;
  put(dataAt, 'data');
  view.setUint32(dataAt + 4, options.dataSize ?? options.data.length, true);
  bytes.set(options.data, dataAt + 8);
  return bytes;
}

function refusal(bytes: Uint8Array, code: VoiceprintErrorCode): void {
  assert.throws(() => decodeWav(bytes), (error: unknown) => error instanceof VoiceprintError && error.code === code && error.message.length > 10);
}

test('G.711 µ-law decodes to the ITU-T G.711 / Sun g711.c values', () => {
  assert.equal(ulawToLinear(0xff), 0);
  assert.equal(ulawToLinear(0x7f), 0);
  assert.equal(ulawToLinear(0x00), -32124);
  assert.equal(ulawToLinear(0x80), 32124);
  assert.equal(ulawToLinear(0xfe), 8);
  assert.equal(ulawToLinear(0x7e), -8);
  assert.equal(linearToUlaw(0), 0xff);
  assert.equal(linearToUlaw(-32768), 0x00);
  assert.equal(linearToUlaw(32767), 0x80);
  // every code decodes and re-encodes to itself (0x7F, "negative zero", encodes as 0xFF)
  for (let b = 0; b < 256; b++) if (b !== 0x7f) assert.equal(linearToUlaw(ulawToLinear(b)), b);
});

test('G.711 A-law decodes to the ITU-T G.711 / Sun g711.c values', () => {
  assert.equal(alawToLinear(0xd5), 8);
  assert.equal(alawToLinear(0x55), -8);
  assert.equal(alawToLinear(0xaa), 32256);
  assert.equal(alawToLinear(0x2a), -32256);
  assert.equal(linearToAlaw(0), 0xd5);
  assert.equal(linearToAlaw(32767), 0xaa);
  assert.equal(linearToAlaw(-32768), 0x2a);
  for (let b = 0; b < 256; b++) assert.equal(linearToAlaw(alawToLinear(b)), b);
});

test('16-bit PCM round-trips through encodeWav/decodeWav exactly', () => {
  const samples = Float32Array.from([0, 0.5, -0.5, 32767 / 32768, -1, 1 / 32768]);
  const decoded = decodeWav(encodeWav({ sampleRate: 16000, samples }));
  assert.equal(decoded.sampleRate, 16000);
  assert.deepEqual(Array.from(decoded.samples), Array.from(samples));
});

test('µ-law and A-law WAV files decode through the G.711 tables, plain and WAVE_FORMAT_EXTENSIBLE', () => {
  const codes = Uint8Array.from([0xff, 0x00, 0x80, 0x7e]);
  const expected = Array.from(codes, (b) => ulawToLinear(b) / 32768);
  assert.deepEqual(Array.from(decodeWav(wav({ tag: 7, bits: 8, data: codes })).samples), expected);
  assert.deepEqual(Array.from(decodeWav(wav({ extensibleSubformat: 7, bits: 8, data: codes })).samples), expected);
  const alaw = Array.from(codes, (b) => alawToLinear(b) / 32768);
  assert.deepEqual(Array.from(decodeWav(wav({ tag: 6, bits: 8, data: codes })).samples), alaw);
  const pcm = new Uint8Array(4);
  new DataView(pcm.buffer).setInt16(0, 1000, true);
  new DataView(pcm.buffer).setInt16(2, -1000, true);
  assert.deepEqual(Array.from(decodeWav(wav({ extensibleSubformat: 1, data: pcm, rate: 16000 })).samples), [1000 / 32768, -1000 / 32768]);
});

test('stereo is averaged to mono', () => {
  const data = new Uint8Array(8);
  const view = new DataView(data.buffer);
  view.setInt16(0, 1000, true);
  view.setInt16(2, 3000, true);
  view.setInt16(4, -2000, true);
  view.setInt16(6, 0, true);
  assert.deepEqual(Array.from(decodeWav(wav({ channels: 2, data })).samples), [2000 / 32768, -1000 / 32768]);
});

test('every refusal has its code', () => {
  const pcm = new Uint8Array(320);
  refusal(new Uint8Array(0), 'audio_empty');
  refusal(new TextEncoder().encode('ID3 this is an mp3 file'), 'audio_format');
  refusal(new TextEncoder().encode('RIFF\0\0\0\0AVI LIST'), 'audio_format');
  refusal(wav({ rate: 44100, data: pcm }), 'audio_rate');
  refusal(wav({ rate: 22050, data: pcm }), 'audio_rate');
  refusal(wav({ bits: 24, data: new Uint8Array(300) }), 'audio_format'); // 24-bit PCM
  refusal(wav({ tag: 3, bits: 32, data: pcm }), 'audio_format'); // IEEE float
  refusal(wav({ extensibleSubformat: 3, bits: 32, data: pcm }), 'audio_format');
  refusal(wav({ tag: 0x11, bits: 4, data: pcm }), 'audio_format'); // IMA ADPCM
  refusal(wav({ channels: 6, data: new Uint8Array(12 * 10) }), 'audio_format');
  refusal(wav({ data: new Uint8Array(0) }), 'audio_empty');
  refusal(wav({ data: pcm, dataSize: 1000 }), 'audio_truncated'); // data chunk runs past the end
  refusal(wav({ data: pcm }).subarray(0, 100), 'audio_truncated');
  refusal(wav({ data: pcm }).subarray(0, 30), 'audio_truncated'); // cut inside the fmt chunk
  refusal(wav({ data: new Uint8Array(321) }), 'audio_truncated'); // half a sample
  refusal(wav({ data: new Uint8Array(2 * 8000 * 301) }), 'audio_too_long');
});
