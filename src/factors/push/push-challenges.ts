import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { constantTimeEqual } from '../../crypto/digest.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { ChallengeRow, EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { challengeDetails, hiddenDetails } from '../challenge-details.ts';
import { verifyDeviceStatement } from './device-statements.ts';
import { JWT_TYPES, digestOf, type PushResponseClaims } from './push-protocol.ts';
import { pushSettings } from './push-settings.ts';
import type { TransactionStores } from '../../store/unit-of-work.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PushChallengesDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores'>;

/** The push-fatigue cap counts challenges since the last approval, but never further back than this. */
export const PUSH_FATIGUE_WINDOW_MS = 24 * 3600_000;

/**
 * Before a push challenge is inserted (in the same transaction): enforces the cap on push
 * challenges since the entity's last approved challenge, and draws the two-digit number the
 * login page shows when the service requires number matching.
 */
export async function preparePushChallenge(ctx: PushChallengesDeps, trx: TransactionStores, service: ServiceRow, entity: EntityRow, now: number): Promise<{ numberMatch: string | null }> {
  const settings = pushSettings(service);
  await trx.entities.lock(entity.sid);
  const challenges = trx.challenges;
  const since = Math.max(now - PUSH_FATIGUE_WINDOW_MS, (await challenges.lastApproval(entity.sid)) ?? 0);
  const sent = await challenges.countSince(entity.sid, 'push', since);
  if (sent >= settings.maxChallengesSinceSuccess) {
    ctx.logger.warn({ entitySid: entity.sid, sent }, 'push challenge refused: push-fatigue cap reached');
    throw new DomainError('push_challenge_limit', `Push challenge limit: ${sent} push challenges since the last approved one; sign in with another factor or try again tomorrow`);
  }
  return { numberMatch: settings.numberMatching ? String(randomInt(10, 100)) : null };
}

/** What a push response decided, or why it was refused. */
export type PushVerdict =
  | { kind: 'refused'; reason: string }
  | { kind: 'approved' }
  | { kind: 'denied'; reason: 'user' | 'number_mismatch' };

/**
 * Checks a push response (a JWS the device signed over the canonical challenge) against the
 * challenge as stored: signature by the bound key, statement type, challenge and factor, digests
 * of the details and hidden details, and the number to match.
 */
export async function judgePushResponse(ctx: PushChallengesDeps, challenge: ChallengeRow, factor: FactorRow, authPayload: string): Promise<PushVerdict> {
  const claims = await verifyDeviceStatement<PushResponseClaims>(ctx, factor, authPayload, JWT_TYPES.pushResponse);
  if (!claims) return { kind: 'refused', reason: 'signature, key id, type or time' };
  if (claims.challenge_sid !== challenge.sid || claims.factor_sid !== factor.sid) return { kind: 'refused', reason: 'signed for another challenge or factor' };
  if (claims.details_sha256 !== digestOf(challengeDetails(challenge))) return { kind: 'refused', reason: 'details digest' };
  const hidden = hiddenDetails(challenge);
  if (claims.hidden_details_sha256 !== (hidden === null ? null : digestOf(hidden))) return { kind: 'refused', reason: 'hidden details digest' };
  if (claims.status === 'denied') return { kind: 'denied', reason: 'user' };
  if (claims.status !== 'approved') return { kind: 'refused', reason: 'status' };
  if (challenge.number_match !== null) {
    if (typeof claims.number !== 'string') return { kind: 'refused', reason: 'number to match missing' };
    if (!constantTimeEqual(Buffer.from(claims.number), Buffer.from(challenge.number_match))) return { kind: 'denied', reason: 'number_mismatch' };
  }
  return { kind: 'approved' };
}
