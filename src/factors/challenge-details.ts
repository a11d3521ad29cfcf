import { isoSeconds } from '../time/format.ts';
import type { ChallengeRow } from '../store/schema.ts';
import type { ChallengeDetails } from './push/push-protocol.ts';

/**
 * A challenge's `details` and `hidden_details` exactly as every view returns them. A push device
 * signs digests of these objects, so the app's view, the device's view and the check of a response
 * must all build them here.
 */
export function challengeDetails(row: Pick<ChallengeRow, 'details' | 'date_created'>): ChallengeDetails & { prompt?: string } {
  const base = { message: row.details.message, date: isoSeconds(row.date_created), fields: row.details.fields };
  // Voiceprint digits mode only (never on a push challenge, whose digest covers this object).
  return row.details.prompt === undefined ? base : { ...base, prompt: row.details.prompt };
}

export function hiddenDetails(row: Pick<ChallengeRow, 'hidden_details'>): Record<string, string> | null {
  return row.hidden_details;
}
