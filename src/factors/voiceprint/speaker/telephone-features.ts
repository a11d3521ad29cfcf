import type { Audio } from '../audio/audio.ts';
import { extractFeatures, type Features } from '../features/extract-features.ts';

/**
 * Features of telephone-band audio (8 kHz, already through toTelephoneBand), computed once per
 * Audio object: the speaker backend and the phrase check of one attempt share them, so
 * verification pays for the front end once.
 */
const cache = new WeakMap<Audio, Features>();

export function telephoneFeatures(audio: Audio): Features {
  if (audio.sampleRate !== 8000) throw new RangeError('Speaker backends take telephone-band (8 kHz) audio');
  let features = cache.get(audio);
  if (!features) {
    features = extractFeatures(audio);
    cache.set(audio, features);
  }
  return features;
}
