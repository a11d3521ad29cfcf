/**
 * The small part of RIFF/WAVE the simulated phone needs: 16-bit linear PCM in and out. Streams
 * written to a pipe (`espeak-ng --stdout`, `sox … -t wav -`) cannot seek back to fix their sizes,
 * so the reader trusts the bytes it has, not the sizes in the headers.
 */

/** Mono 16-bit samples at `sampleRate` Hz. */
export interface PcmAudio {
  sampleRate: number;
  samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

/**
 * Reads a 16-bit PCM WAV; several channels are mixed down to mono (`channels` tells how many the
 * file had). Throws WavFormatError for anything else (compressed formats, 8/24/32-bit samples, a
 * truncated header).
 */
export function readWav(bytes: Buffer): PcmAudio & { channels: number } {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const declared = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (declared < 16 || body + 16 > bytes.length) throw new WavFormatError('truncated fmt chunk');
      let tag = bytes.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its SubFormat GUID.
      if (tag === WAVE_FORMAT_EXTENSIBLE && declared >= 40 && body + 26 <= bytes.length) tag = bytes.readUInt16LE(body + 24);
      format = { tag, channels: bytes.readUInt16LE(body + 2), sampleRate: bytes.readUInt32LE(body + 4), bits: bytes.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      if (format.tag !== WAVE_FORMAT_PCM || format.bits !== 16) throw new WavFormatError('expected 16-bit linear PCM');
      if (format.channels < 1 || format.sampleRate < 1) throw new WavFormatError('invalid channel count or sample rate');
      // A streamed WAV declares a placeholder size (0, 0x7ffff000, 0xffffffff): take what is there.
      const available = Math.min(declared === 0 ? Infinity : declared, bytes.length - body);
      return { sampleRate: format.sampleRate, channels: format.channels, samples: mixToMono(bytes, body, available, format.channels) };
    }
    // Chunks are padded to an even length (RIFF); a placeholder size ends the walk.
    offset = body + declared + (declared % 2);
  }
  throw new WavFormatError('no data chunk');
}

function mixToMono(bytes: Buffer, start: number, length: number, channels: number): Int16Array {
  const frames = Math.floor(length / (2 * channels));
  const out = new Int16Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += bytes.readInt16LE(start + 2 * (frame * channels + channel));
    out[frame] = Math.round(sum / channels);
  }
  return out;
}

/** Writes mono 16-bit PCM as a canonical 44-byte-header WAV with correct sizes. */
export function writeWav(audio: PcmAudio): Buffer {
  const dataBytes = audio.samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(audio.sampleRate, 24);
  out.writeUInt32LE(audio.sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < audio.samples.length; i++) out.writeInt16LE(audio.samples[i] ?? 0, 44 + 2 * i);
  return out;
}
