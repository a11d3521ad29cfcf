import { decodeSamples, isSupportedEncoding, parseWav, WAVE_FORMAT_PCM, WavError } from '../../../audio/wav.ts';
import { VoiceprintError } from '../voiceprint-error.ts';
import { MAX_AUDIO_SECONDS, type Audio, type SampleRate } from './audio.ts';

/**
 * Decodes a RIFF/WAVE file (the shared codec, src/audio/wav.ts) into the audio the engine takes:
 * 16-bit PCM, 8-bit µ-law and A-law (plain or WAVE_FORMAT_EXTENSIBLE), one or two channels (two
 * are averaged), at 8000 or 16000 Hz, at most MAX_AUDIO_SECONDS long. Everything else throws a
 * {@link VoiceprintError}: `audio_format`, `audio_rate`, `audio_truncated`, `audio_empty` or
 * `audio_too_long`.
 *
 * @example
 * const audio = decodeWav(new Uint8Array(await readFile('hello.wav')));
 */
export function decodeWav(bytes: Uint8Array): Audio {
  let parsed: ReturnType<typeof parseWav>;
  try {
    parsed = parseWav(bytes);
  } catch (error) {
    if (error instanceof WavError) throw new VoiceprintError(`audio_${error.problem}`, error.message);
    throw error;
  }
  const { format, data } = parsed;
  const { tag, channels, sampleRate: rate, bits } = format;
  const bytesPerSample = tag === WAVE_FORMAT_PCM ? 2 : 1;
  if (!isSupportedEncoding(format)) {
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
  return { sampleRate: rate as SampleRate, samples: decodeSamples(format, data) };
}
