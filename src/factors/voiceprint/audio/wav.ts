import { VoiceprintError } from '../voiceprint-error.ts';
import { MAX_AUDIO_SECONDS, type Audio, type SampleRate } from './audio.ts';
import { alawToLinear, ulawToLinear } from './g711.ts';

/** WAVE format tags (RFC 2361, Microsoft mmreg.h). */
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const ULAW_TABLE = Float32Array.from({ length: 256 }, (_, b) => ulawToLinear(b) / 32768);
const ALAW_TABLE = Float32Array.from({ length: 256 }, (_, b) => alawToLinear(b) / 32768);

/**
 * Decodes a RIFF/WAVE file into mono float samples. Accepts 16-bit PCM, 8-bit µ-law and A-law
 * (plain or WAVE_FORMAT_EXTENSIBLE), one or two channels (two are averaged), at 8000 or 16000 Hz.
 * Everything else throws a {@link VoiceprintError}: `audio_format`, `audio_rate`,
 * `audio_truncated`, `audio_empty` or `audio_too_long`.
 *
 * @example
 * const audio = decodeWav(new Uint8Array(await readFile('hello.wav')));
 */
export function decodeWav(bytes: Uint8Array): Audio {
  if (bytes.length < 12) {
    throw new VoiceprintError(bytes.length === 0 ? 'audio_empty' : 'audio_format', bytes.length === 0 ? 'The audio file is empty.' : 'Expected a RIFF/WAVE file.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fourCc(bytes, 0) !== 'RIFF' || fourCc(bytes, 8) !== 'WAVE') throw new VoiceprintError('audio_format', 'Expected a RIFF/WAVE file.');

  let format: { tag: number; channels: number; rate: number; bits: number; blockAlign: number } | undefined;
  let data: Uint8Array | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length && data === undefined) {
    const id = fourCc(bytes, offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    // A WAV written to a pipe cannot seek back to fix its sizes: its data chunk carries a
    // placeholder (0, 0x7FFFF000 or 0xFFFFFFFF, as sox and ffmpeg write) and runs to the end of the file.
    const streamed = fourCc(bytes, offset) === 'data' && (declared === 0 || declared >= 0x7fff0000);
    const size = streamed ? bytes.length - body : declared;
    if (body + size > bytes.length) {
      throw new VoiceprintError('audio_truncated', `The WAV "${id.replace(/[^\x20-\x7e]/g, '?')}" chunk declares ${size} bytes but the file ends before that.`);
    }
    if (id === 'fmt ') {
      if (size < 16) throw new VoiceprintError('audio_truncated', 'The WAV format chunk is shorter than 16 bytes.');
      let tag = view.getUint16(body, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) then the sub-format GUID,
        // whose first two bytes are the plain format tag.
        if (size < 40) throw new VoiceprintError('audio_truncated', 'The WAVE_FORMAT_EXTENSIBLE chunk is shorter than 40 bytes.');
        tag = view.getUint16(body + 24, true);
      }
      format = {
        tag,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (format === undefined) throw new VoiceprintError('audio_format', 'The WAV data chunk comes before its format chunk.');
      data = bytes.subarray(body, body + size);
    }
    offset = body + size + (size & 1); // chunks are padded to an even size
  }
  if (format === undefined) throw new VoiceprintError('audio_truncated', 'The WAV file has no format chunk.');
  if (data === undefined) throw new VoiceprintError('audio_truncated', 'The WAV file has no data chunk.');

  const { tag, channels, rate, bits } = format;
  const bytesPerSample = tag === WAVE_FORMAT_PCM ? 2 : 1;
  const supported =
    (tag === WAVE_FORMAT_PCM && bits === 16) || ((tag === WAVE_FORMAT_MULAW || tag === WAVE_FORMAT_ALAW) && bits === 8);
  if (!supported) {
    throw new VoiceprintError('audio_format', `Expected 16-bit PCM, µ-law or A-law WAV; got format ${tag} with ${bits} bits per sample.`);
  }
  if (channels !== 1 && channels !== 2) throw new VoiceprintError('audio_format', `Expected mono or stereo audio; got ${channels} channels.`);
  if (format.blockAlign !== channels * bytesPerSample) throw new VoiceprintError('audio_format', 'The WAV block alignment does not match its channels and sample size.');
  if (rate !== 8000 && rate !== 16000) throw new VoiceprintError('audio_rate', `Expected audio sampled at 8000 or 16000 Hz; got ${rate} Hz.`);
  if (data.length === 0) throw new VoiceprintError('audio_empty', 'The WAV file holds no samples.');
  if (data.length % format.blockAlign !== 0) throw new VoiceprintError('audio_truncated', 'The WAV data ends in the middle of a sample.');

  const frames = data.length / format.blockAlign;
  if (frames / rate > MAX_AUDIO_SECONDS) {
    throw new VoiceprintError('audio_too_long', `The audio lasts ${(frames / rate).toFixed(0)} s; the limit is ${MAX_AUDIO_SECONDS} s.`);
  }
  const samples = new Float32Array(frames);
  const dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const table = tag === WAVE_FORMAT_MULAW ? ULAW_TABLE : ALAW_TABLE;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = i * format.blockAlign + c * bytesPerSample;
      sum += tag === WAVE_FORMAT_PCM ? dataView.getInt16(at, true) / 32768 : table[data[at]!]!;
    }
    samples[i] = sum / channels;
  }
  return { sampleRate: rate as SampleRate, samples };
}

/**
 * Encodes mono audio as a 16-bit PCM WAV file (samples are clamped to the 16-bit range).
 *
 * @example
 * await writeFile('out.wav', encodeWav({ sampleRate: 16000, samples }));
 */
export function encodeWav(audio: Audio): Uint8Array {
  const n = audio.samples.length;
  const bytes = new Uint8Array(44 + 2 * n);
  const view = new DataView(bytes.buffer);
  writeFourCc(bytes, 0, 'RIFF');
  view.setUint32(4, 36 + 2 * n, true);
  writeFourCc(bytes, 8, 'WAVE');
  writeFourCc(bytes, 12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  writeFourCc(bytes, 36, 'data');
  view.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++) view.setInt16(44 + 2 * i, toInt16(audio.samples[i]!), true);
  return bytes;
}

/** A float sample (−1..1) as a rounded, clamped 16-bit value. */
export function toInt16(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
}

function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function writeFourCc(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
}
