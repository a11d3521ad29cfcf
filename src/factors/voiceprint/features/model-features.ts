import type { Audio, SampleRate } from '../audio/audio.ts';
import { toTelephoneBand } from '../audio/resample.ts';
import { extractFeatures, type Features } from './extract-features.ts';

/**
 * Features exactly as the engine computes them for the model of `rate`: the 8 kHz model always
 * sees telephone-band audio (16 kHz input is band-passed and decimated, 8 kHz input band-passed),
 * the 16 kHz model sees the wideband audio. UBM training must use this function so the UBM and
 * the speaker models live in the same feature space.
 *
 * @example
 * const f8 = modelFeatures(audio16k, 8000); // what the telephone model would see
 */
export function modelFeatures(audio: Audio, rate: SampleRate): Features {
  if (rate === 8000) return extractFeatures(toTelephoneBand(audio));
  if (audio.sampleRate !== 16000) throw new RangeError('The 16 kHz model needs 16 kHz audio');
  return extractFeatures(audio);
}
