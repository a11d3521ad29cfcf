import { alawToLinear, ulawToLinear } from './g711.ts';

/**
 * The one RIFF/WAVE codec: the voiceprint engine (recordings of calls and of the hosted page), the
 * simulated phone (prompt audio, what a callee says) and the tests all read and write WAV here.
 * Each caller keeps its own policy on top (which rates, channels and lengths it accepts).
 * Hand-written: the few WAV libraries on npm decode to Node buffers of one fixed format, not the
 * G.711 and streamed (placeholder-size) files that telephony produces.
 */

/** WAVE format tags (RFC 2361, Microsoft mmreg.h). */
export const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The `fmt ` chunk (a WAVE_FORMAT_EXTENSIBLE tag already replaced by its sub-format's tag). */
export interface WavFormat {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign: number;
}

/** Why a file was refused: `empty` (no bytes), `format` (not a WAV this codec reads) or `truncated`. */
export type WavProblem = 'empty' | 'format' | 'truncated';

export class WavError extends Error {
  readonly problem: WavProblem;

  constructor(problem: WavProblem, message: string) {
    super(message);
    this.name = 'WavError';
    this.problem = problem;
  }
}

const ULAW_TABLE = Float32Array.from({ length: 256 }, (_, b) => ulawToLinear(b) / 32768);
const ALAW_TABLE = Float32Array.from({ length: 256 }, (_, b) => alawToLinear(b) / 32768);

/**
 * Finds the format and the sample bytes of a RIFF/WAVE file (the first `data` chunk). A WAV written
 * to a pipe cannot seek back to fix its sizes: its data chunk carries a placeholder (0, 0x7FFFF000
 * or 0xFFFFFFFF, as espeak-ng, sox and ffmpeg write) and runs to the end of the file. Any other
 * chunk that declares more bytes than the file has is `truncated`, unless `clipData` is set: then
 * a short data chunk is taken as far as it goes (a stream cut off mid-write).
 *
 * @example
 * const { format, data } = parseWav(bytes);
 */
export function parseWav(bytes: Uint8Array, options: { clipData?: boolean } = {}): { format: WavFormat; data: Uint8Array } {
  if (bytes.length < 12) {
    throw bytes.length === 0 ? new WavError('empty', 'The audio file is empty.') : new WavError('format', 'Expected a RIFF/WAVE file.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fourCc(bytes, 0) !== 'RIFF' || fourCc(bytes, 8) !== 'WAVE') throw new WavError('format', 'Expected a RIFF/WAVE file.');

  let format: WavFormat | undefined;
  let data: Uint8Array | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length && data === undefined) {
    const id = fourCc(bytes, offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const isData = id === 'data';
    const streamed = isData && (declared === 0 || declared >= 0x7fff0000);
    const size = streamed || (isData && options.clipData === true) ? Math.min(streamed ? Infinity : declared, bytes.length - body) : declared;
    if (body + size > bytes.length) {
      throw new WavError('truncated', `The WAV "${id.replace(/[^\x20-\x7e]/g, '?')}" chunk declares ${size} bytes but the file ends before that.`);
    }
    if (id === 'fmt ') {
      if (size < 16) throw new WavError('truncated', 'The WAV format chunk is shorter than 16 bytes.');
      let tag = view.getUint16(body, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) then the sub-format GUID,
        // whose first two bytes are the plain format tag.
        if (size < 40) throw new WavError('truncated', 'The WAVE_FORMAT_EXTENSIBLE chunk is shorter than 40 bytes.');
        tag = view.getUint16(body + 24, true);
      }
      format = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (isData) {
      if (format === undefined) throw new WavError('format', 'The WAV data chunk comes before its format chunk.');
      data = bytes.subarray(body, body + size);
    }
    offset = body + size + (size & 1); // chunks are padded to an even size
  }
  if (format === undefined) throw new WavError('truncated', 'The WAV file has no format chunk.');
  if (data === undefined) throw new WavError('truncated', 'The WAV file has no data chunk.');
  return { format, data };
}

/** Whether decodeSamples reads this format: 16-bit linear PCM, or 8-bit G.711 µ-law or A-law. */
export function isSupportedEncoding(format: Pick<WavFormat, 'tag' | 'bits'>): boolean {
  const { tag, bits } = format;
  return (tag === WAVE_FORMAT_PCM && bits === 16) || ((tag === WAVE_FORMAT_MULAW || tag === WAVE_FORMAT_ALAW) && bits === 8);
}

/**
 * The samples of a data chunk as mono floats in −1..1 (a 16-bit value v is v / 32768); several
 * channels are averaged. A partial frame at the end is ignored.
 *
 * @example
 * const { format, data } = parseWav(bytes);
 * const samples = decodeSamples(format, data);
 */
export function decodeSamples(format: WavFormat, data: Uint8Array): Float32Array {
  if (!isSupportedEncoding(format)) {
    throw new WavError('format', `Expected 16-bit PCM, µ-law or A-law WAV; got format ${format.tag} with ${format.bits} bits per sample.`);
  }
  const { tag, channels } = format;
  if (channels < 1) throw new WavError('format', 'The WAV format chunk declares no channels.');
  const bytesPerSample = tag === WAVE_FORMAT_PCM ? 2 : 1;
  const frameBytes = channels * bytesPerSample;
  const frames = Math.floor(data.length / frameBytes);
  const samples = new Float32Array(frames);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const table = tag === WAVE_FORMAT_MULAW ? ULAW_TABLE : ALAW_TABLE;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = i * frameBytes + c * bytesPerSample;
      sum += tag === WAVE_FORMAT_PCM ? view.getInt16(at, true) / 32768 : table[data[at]!]!;
    }
    samples[i] = sum / channels;
  }
  return samples;
}

/**
 * Encodes mono audio as a canonical 16-bit PCM WAV (44-byte header, correct sizes). Float samples
 * (−1..1) are rounded and clamped to the 16-bit range; 16-bit samples are written as they are.
 *
 * @example
 * await writeFile('out.wav', encodeWav({ sampleRate: 16000, samples }));
 */
export function encodeWav(audio: { sampleRate: number; samples: Float32Array | Int16Array }): Uint8Array {
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
  const { samples } = audio;
  if (samples instanceof Int16Array) for (let i = 0; i < n; i++) view.setInt16(44 + 2 * i, samples[i]!, true);
  else for (let i = 0; i < n; i++) view.setInt16(44 + 2 * i, toInt16(samples[i]!), true);
  return bytes;
}

/** A float sample (−1..1) as a rounded, clamped 16-bit value. */
function toInt16(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
}

function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function writeFourCc(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
}
