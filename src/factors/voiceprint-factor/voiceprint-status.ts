import type { Logger } from 'pino';
import { VOICEPRINT_ENABLE_HINT, type VoiceprintConfig } from '../../config/voiceprint-config.ts';
import { DEFAULT_THRESHOLD } from '../voiceprint/index.ts';
import { measurementsFor, readOperatingPoints, type LoadedOperatingPoints, type MeasurementsForBackend } from '../voiceprint/operating-points.ts';
import { loadVoiceprintEngine, type VoiceprintEngineLike } from './engine.ts';

/**
 * What the server knows of its voiceprint factor at start, for the start log and the admin console:
 * whether it is on, the model in use, and the error rates measured for that model (issue 18).
 */
export interface VoiceprintStatus {
  /** VERITY_VOICEPRINT (or its default). */
  enabled: boolean;
  decidedBy: VoiceprintConfig['decidedBy'];
  /** Enabled and the engine loaded (its models present). */
  available: boolean;
  /** SpeakerBackend.id of the engine in use, when it names it. */
  backend: string | undefined;
  /** The threshold of a service without Voiceprint.Threshold. */
  defaultThreshold: number;
  /** models/voiceprint-operating-points.json, when it was measured with this backend. */
  measurements: MeasurementsForBackend;
}

/** The default threshold, the engine's own when it exposes one as `defaultThreshold`. */
function defaultThresholdOf(engine: VoiceprintEngineLike | undefined): number {
  const threshold = (engine as { defaultThreshold?: unknown } | undefined)?.defaultThreshold;
  return typeof threshold === 'number' ? threshold : DEFAULT_THRESHOLD;
}

export interface LoadedVoiceprints {
  /** The engine, only when enabled and its models loaded (`ctx.voiceprints`). */
  engine: VoiceprintEngineLike | undefined;
  status: VoiceprintStatus;
}

/**
 * Loads the voiceprint engine when VERITY_VOICEPRINT is on (off: nothing is loaded, and every
 * voiceprint surface says "unavailable"), and the operating points measured for it. Says which in
 * one log line, with how to turn it on when it is off.
 */
export async function loadVoiceprints(config: { voiceprint: VoiceprintConfig }, logger: Logger, options: { loadEngine?: () => Promise<VoiceprintEngineLike | undefined>; operatingPoints?: (backend: string | undefined) => Promise<LoadedOperatingPoints> } = {}): Promise<LoadedVoiceprints> {
  const { enabled, decidedBy } = config.voiceprint;
  if (!enabled) {
    const why = decidedBy === 'setting' ? 'VERITY_VOICEPRINT=off' : 'VERITY_VOICEPRINT is not set: off by default outside `serve --dev`';
    logger.info({ voiceprint: 'off' }, `voiceprint factors are off (${why}); ${VOICEPRINT_ENABLE_HINT}`);
    return { engine: undefined, status: { enabled, decidedBy, available: false, backend: undefined, defaultThreshold: DEFAULT_THRESHOLD, measurements: { kind: 'not measured', why: 'voiceprint factors are off' } } };
  }
  const engine = await (options.loadEngine ?? (() => loadVoiceprintEngine(logger, config.voiceprint.operatorModel)))();
  const backend = engine?.backend;
  const measurements = engine ? measurementsFor(await (options.operatingPoints ?? (() => readOperatingPoints()))(backend), backend) : { kind: 'not measured' as const, why: 'the engine is not loaded' };
  if (engine) {
    const measured = measurements.kind === 'measured' ? 'FAR/FRR measured for this model' : measurements.kind === 'measured for another model' ? `FAR/FRR measured for another model (${measurements.measuredBackend}), not this one` : `FAR/FRR not measured: ${measurements.why}`;
    logger.info({ voiceprint: 'on', backend }, `voiceprint factors are on (a second factor, never a sole authenticator); ${measured}`);
  }
  return { engine, status: { enabled, decidedBy, available: engine !== undefined, backend, defaultThreshold: defaultThresholdOf(engine), measurements } };
}
