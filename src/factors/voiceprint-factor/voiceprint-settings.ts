import type { ServiceRow } from '../../store/schema.ts';

/** A service's voiceprint settings (Verity's `Voiceprint.*` extensions). */
export interface VoiceprintSettings {
  /** Decision threshold on the engine's normalised score; undefined uses the engine's default. */
  threshold: number | undefined;
  /** Keep the (sealed) audio of enrolments and attempts; off by default. */
  retainAudio: boolean;
}

export function voiceprintSettings(service: ServiceRow): VoiceprintSettings {
  const x = service.extras;
  return {
    threshold: typeof x['Voiceprint.Threshold'] === 'number' ? x['Voiceprint.Threshold'] : undefined,
    retainAudio: x['Voiceprint.RetainAudio'] === true,
  };
}
