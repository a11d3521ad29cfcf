import type { Logger } from 'pino';
import { ConfigError } from '../../config/config.ts';
import type { Audio } from '../voiceprint/audio/audio.ts';
import { checkQuality } from '../voiceprint/quality/check-quality.ts';
import { VoiceprintEngine, type Voiceprint } from '../voiceprint/voiceprint-engine.ts';

/** What the factor needs from the voiceprint engine (src/factors/voiceprint), in one place. */
export interface VoiceprintEngineLike {
  /** SpeakerBackend.id of the backend and model in use (the console shows FAR/FRR only when measured with it). */
  readonly backend: string;
  checkQuality(audio: Audio, role: 'enroll' | 'verify'): { ok: boolean; problems: Array<{ code: string; message: string }> };
  enroll(recordings: Audio[], options?: { prompts?: string[] | undefined }): Promise<{ voiceprint: unknown; problems: Array<{ index: number; code: string; message: string }> }>;
  verify(
    voiceprint: unknown,
    audio: Audio,
    options: { threshold?: number | undefined; seenFingerprints: string[]; prompt?: string | undefined },
  ): Promise<{ decision: 'match' | 'no_match' | 'rejected'; score: number; threshold: number; reasons: string[]; fingerprint: string; quality: { problems: Array<{ code: string; message: string }> } }>;
}

/**
 * Loads the engine with the speaker backend shipped in models/ (built-in GMM-UBM, trained by `npm run train:ubm`).
 * Without them voiceprint factors are unavailable (60300), and the server says so once at start.
 */
export async function loadVoiceprintEngine(logger: Logger, operatorModel?: { modelPath: string; cohortPath: string | undefined }): Promise<VoiceprintEngineLike | undefined> {
  try {
    return adapt(await VoiceprintEngine.load(operatorModel ? { kind: 'onnx', ...operatorModel } : {}));
  } catch (error) {
    // An operator model (VERITY_VOICEPRINT_MODEL) that does not load stops the start, naming the variable.
    if (error instanceof ConfigError) throw error;
    logger.warn({ err: error }, 'voiceprint models not loaded: voiceprint factors are unavailable');
    return undefined;
  }
}

function adapt(engine: VoiceprintEngine): VoiceprintEngineLike {
  return {
    backend: engine.backend.id,
    checkQuality: (audio, role) => checkQuality(audio, role),
    async enroll(recordings, options) {
      const result = await engine.enroll(recordings, options?.prompts ? { prompts: options.prompts } : {});
      const problems = result.recordings.flatMap((r) => r.problems.map((p) => ({ index: r.index, code: p.code, message: p.message })));
      return { voiceprint: result.ok ? result.voiceprint : undefined, problems };
    },
    async verify(voiceprint, audio, options) {
      return engine.verify(voiceprint as Voiceprint, audio, { ...(options.threshold === undefined ? {} : { threshold: options.threshold }), seenFingerprints: options.seenFingerprints, ...(options.prompt === undefined ? {} : { prompt: options.prompt }) });
    },
  };
}

/** The engine in use (absent without models); a narrow dependency, so this module does not depend on the context. */
export function voiceprintEngine(ctx: { voiceprints: VoiceprintEngineLike | undefined }): VoiceprintEngineLike | undefined {
  return ctx.voiceprints;
}
