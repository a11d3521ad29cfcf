import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { EntityRow } from '../../store/schema.ts';
import type { TransactionStores } from '../../store/unit-of-work.ts';

/**
 * Voiceprint challenges an entity may get since its last approved challenge (of any factor), within
 * the window. Creating a challenge costs the caller nothing and, in digits mode, draws a fresh prompt
 * that stays in the factor's prompt history (voiceprint-prompts.ts) for 2,000 challenges: without a
 * cap, a script that starts sign-ins for a victim could collect prompts and push old ones out of that
 * history. A person retrying sign-ins stays far below it (the hosted pages reuse one challenge per
 * sign-in, with its five attempts).
 */
export const VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS = 10;
export const VOICEPRINT_CHALLENGE_WINDOW_MS = 24 * 3600_000;

/**
 * Before a voiceprint challenge is inserted (in the same transaction, the entity row locked so
 * concurrent creations on any node count each other): refuses it with `voiceprint_challenge_limit`
 * (64013) once the entity has had the maximum since its last approval within the window.
 */
export async function capVoiceprintChallenges(ctx: Pick<AppContext, 'logger'>, trx: TransactionStores, entity: EntityRow, now: number): Promise<void> {
  await trx.entities.lock(entity.sid);
  const since = Math.max(now - VOICEPRINT_CHALLENGE_WINDOW_MS, (await trx.challenges.lastApproval(entity.sid)) ?? 0);
  const open = await trx.challenges.countSince(entity.sid, 'voiceprint', since);
  if (open >= VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS) {
    ctx.logger.warn({ entitySid: entity.sid, open }, 'voiceprint challenge refused: cap since the last approval reached');
    throw new DomainError('voiceprint_challenge_limit', `Voiceprint challenge limit: ${open} voiceprint challenges since the last approved one; sign in with another factor or try again tomorrow`);
  }
}
