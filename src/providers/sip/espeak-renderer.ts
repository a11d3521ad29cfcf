import { readWav } from '../../audio/line-audio.ts';
import { EspeakPromptAudio, type EspeakPromptAudioOptions } from '../../audio/prompt-audio.ts';
import type { RenderPrompt } from './media/instruction-player.ts';

/**
 * The SIP calls' prompts: espeak-ng at 8 kHz, cached per text and locale (src/audio/prompt-audio.ts),
 * decoded once per cached WAV (the cache hands back the same Buffer). Every prompt of an
 * instruction renders at once when a call is answered; decoding each again delayed the live calls'
 * audio by up to 57 ms in bench:sip with 50 calls.
 */
export function espeakRenderer(options: EspeakPromptAudioOptions): RenderPrompt {
  const audio = new EspeakPromptAudio(options);
  const decoded = new WeakMap<Buffer, Int16Array>();
  return async (text, locale) => {
    const id = await audio.prepare(text, locale);
    const wav = id === null ? undefined : await audio.get(id);
    if (!wav) return null;
    let samples = decoded.get(wav);
    if (!samples) decoded.set(wav, (samples = readWav(wav).samples));
    return samples;
  };
}
