import type { ServiceRow } from '../../store/schema.ts';
import type { VoiceprintMode } from './voiceprint-prompts.ts';

/** A service's voiceprint settings (Verity's `Voiceprint.*` extensions). */
export interface VoiceprintSettings {
  /** Decision threshold on the engine's normalised score; undefined uses the engine's default. */
  threshold: number | undefined;
  /** Keep the (sealed) audio of enrolments and attempts; off by default. */
  retainAudio: boolean;
  /**
   * What new voiceprint factors are enrolled and checked with: `pass_phrase` (default, a phrase of
   * the user's choice) or `digits` (digits Verity prompts afresh for every challenge, which defeats a
   * replayed recording). A factor keeps the mode it was created with.
   */
  mode: VoiceprintMode;
}

export function voiceprintSettings(service: ServiceRow): VoiceprintSettings {
  const x = service.extras;
  return {
    threshold: typeof x['Voiceprint.Threshold'] === 'number' ? x['Voiceprint.Threshold'] : undefined,
    retainAudio: x['Voiceprint.RetainAudio'] === true,
    mode: x['Voiceprint.Mode'] === 'digits' ? 'digits' : 'pass_phrase',
  };
}
