import type { Logger } from 'pino';
import type { Audio } from '../voiceprint/audio/audio.ts';
import { checkQuality } from '../voiceprint/quality/check-quality.ts';
import { VoiceprintEngine, type Voiceprint } from '../voiceprint/voiceprint-engine.ts';

/** What the factor needs from the voiceprint engine (src/factors/voiceprint), in one place. */
export interface VoiceprintEngineLike {
  checkQuality(audio: Audio, role: 'enroll' | 'verify'): { ok: boolean; problems: Array<{ code: string; message: string }> };
  enroll(recordings: Audio[]): { voiceprint: unknown; problems: Array<{ index: number; code: string; message: string }> };
  verify(
    voiceprint: unknown,
    audio: Audio,
    options: { threshold?: number | undefined; seenFingerprints: string[] },
  ): { decision: 'match' | 'no_match' | 'rejected'; score: number; threshold: number; reasons: string[]; fingerprint: string; quality: { problems: Array<{ code: string; message: string }> } };
}

/**
 * Loads the engine with the background models shipped in models/ (trained by `npm run train:ubm`).
 * Without them voiceprint factors are unavailable (60300), and the server says so once at start.
 */
export async function loadVoiceprintEngine(logger: Logger): Promise<VoiceprintEngineLike | undefined> {
  try {
    return adapt(await VoiceprintEngine.load());
  } catch (error) {
    logger.warn({ err: error }, 'voiceprint models not loaded: voiceprint factors are unavailable');
    return undefined;
  }
}

function adapt(engine: VoiceprintEngine): VoiceprintEngineLike {
  return {
    checkQuality: (audio, role) => checkQuality(audio, role),
    enroll(recordings) {
      const result = engine.enroll(recordings);
      const problems = result.recordings.flatMap((r) => r.problems.map((p) => ({ index: r.index, code: p.code, message: p.message })));
      return { voiceprint: result.ok ? result.voiceprint : undefined, problems };
    },
    verify(voiceprint, audio, options) {
      return engine.verify(voiceprint as Voiceprint, audio, { ...(options.threshold === undefined ? {} : { threshold: options.threshold }), seenFingerprints: options.seenFingerprints });
    },
  };
}

/** The engine in use (absent without models); a narrow dependency, so this module does not depend on the context. */
export function voiceprintEngine(ctx: { voiceprints: VoiceprintEngineLike | undefined }): VoiceprintEngineLike | undefined {
  return ctx.voiceprints;
}
