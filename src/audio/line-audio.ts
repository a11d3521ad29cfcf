import { decodeSamples, encodeWav, parseWav, WAVE_FORMAT_PCM, WavError } from './wav.ts';
import { toTelephoneBand as telephoneBand, TELEPHONE_RATE } from './telephone-band.ts';

/**
 * The simulated phone's audio: mono 16-bit linear PCM, read and written with the shared WAV codec
 * (src/audio/wav.ts) and brought to the line's 8 kHz with the shared resampler.
 */

export { TELEPHONE_RATE };

/** Mono 16-bit samples at `sampleRate` Hz. */
export interface PcmAudio {
  sampleRate: number;
  samples: Int16Array;
}

/**
 * Reads a 16-bit PCM WAV; several channels are mixed down to mono (`channels` tells how many the
 * file had). Streams written to a pipe (`espeak-ng --stdout`, `sox … -t wav -`) cannot seek back
 * to fix their sizes, so a data chunk is taken as far as the bytes go. Throws WavError for
 * anything else (compressed formats, 8/24/32-bit samples, a truncated header).
 */
export function readWav(bytes: Uint8Array): PcmAudio & { channels: number } {
  const { format, data } = parseWav(bytes, { clipData: true });
  if (format.tag !== WAVE_FORMAT_PCM || format.bits !== 16) throw new WavError('format', 'expected 16-bit linear PCM');
  if (format.channels < 1 || format.sampleRate < 1) throw new WavError('format', 'invalid channel count or sample rate');
  // Mono floats are v / 32768 (averages of several channels are exact too): back to 16 bits exactly.
  const floats = decodeSamples(format, data);
  const samples = new Int16Array(floats.length);
  for (let i = 0; i < floats.length; i++) samples[i] = Math.round(floats[i]! * 32768);
  return { sampleRate: format.sampleRate, channels: format.channels, samples };
}

/** Writes mono 16-bit PCM as a canonical 44-byte-header WAV with correct sizes. */
export function writeWav(audio: PcmAudio): Buffer {
  const bytes = encodeWav(audio);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Resamples to 8 kHz through the 300–3400 Hz telephone band (src/audio/telephone-band.ts), rounded to 16 bits. */
export function toTelephoneBand(audio: PcmAudio): PcmAudio {
  const narrow = telephoneBand(audio.samples, audio.sampleRate);
  const samples = new Int16Array(narrow.length);
  for (let i = 0; i < narrow.length; i++) samples[i] = Math.max(-32768, Math.min(32767, Math.round(narrow[i]!)));
  return { sampleRate: TELEPHONE_RATE, samples };
}
