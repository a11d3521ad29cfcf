import type { ServiceRow } from '../../store/schema.ts';

/** A service's push settings (Verity's `Push.*` extensions), with their secure defaults. */
export interface PushSettings {
  numberMatching: boolean;
  maxChallengesSinceSuccess: number;
}

export function pushSettings(service: ServiceRow): PushSettings {
  const x = service.extras;
  return {
    numberMatching: x['Push.NumberMatching'] !== false,
    maxChallengesSinceSuccess: typeof x['Push.MaxChallengesSinceSuccess'] === 'number' ? x['Push.MaxChallengesSinceSuccess'] : 5,
  };
}
