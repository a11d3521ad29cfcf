import { VOICEPRINTS_UNAVAILABLE } from '../../config/voiceprint-config.ts';
import type { AppContext } from '../../context.ts';
import { newSid } from '../../crypto/random.ts';
import { seal } from '../../crypto/seal.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { notFound } from '../../errors/verity-error.ts';
import type { ChallengeRow, EntityRow, ServiceRow } from '../../store/schema.ts';
import { MAX_CHALLENGE_ATTEMPTS } from '../challenges.ts';
import { entityPath } from '../entities.ts';
import { announceOutbox, recordChallengeEvent } from '../record-factor-event.ts';
import { biometricLockoutDelayMs, voiceprintFailureKey } from './biometric-lockout.ts';
import { voiceprintEngine } from './engine.ts';
import { decodeRecording, encodeRecording, qualityError } from './recordings.ts';
import { openVoiceprint, recordingContext } from './voiceprint-factor.ts';
import { voiceprintSettings } from './voiceprint-settings.ts';
import { promptDigits } from './voiceprint-prompts.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type VoiceprintChallengeDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores' | 'voiceprints'>;

/** What the engine said about one attempt (a Verity field of the response). */
export interface VoiceprintOutcome {
  decision: 'match' | 'no_match' | 'rejected';
  score: number;
  threshold: number;
  reasons: string[];
}

/**
 * Answers a voiceprint challenge with one recording. A match approves it (`amr` vbm). A mismatch
 * keeps it pending and counts a biometric failure: after five in a row the factor waits 30 s, then
 * longer (64012). A recording that replays one Verity has heard before denies the challenge. A
 * recording of poor quality is refused with what to fix (64011) and is no biometric failure, but it
 * uses one of the challenge's five attempts.
 *
 * The quality gate runs first; a recording that passes it is charged as a biometric failure before
 * it is compared with the voiceprint (one statement that refuses while the factor is locked and sets
 * the lock its count earns), so concurrent recordings, on any node, never get more comparisons than
 * the free failures. A match clears the count in the transaction that approves the challenge.
 */
export async function respondWithRecording(ctx: VoiceprintChallengeDeps, service: ServiceRow, entity: EntityRow, challengeSid: string, wav: Uint8Array): Promise<{ row: ChallengeRow; outcome: VoiceprintOutcome }> {
  const engine = voiceprintEngine(ctx);
  const challenges = ctx.stores.challenges;
  const path = `${entityPath(service.sid, entity.identity)}/Challenges/${challengeSid}`;
  const challenge = /^YC[0-9a-f]{32}$/.test(challengeSid) ? await challenges.find(entity.sid, challengeSid) : undefined;
  if (!challenge) throw notFound(path);
  if (challenge.factor_type !== 'voiceprint') throw new DomainError('not_applicable', 'Invalid Param: only voiceprint challenges are answered with a recording');
  if (!engine) throw new DomainError('not_applicable', `Invalid Param: ${VOICEPRINTS_UNAVAILABLE}`);
  const factor = await ctx.stores.factors.find(entity.sid, challenge.factor_sid);
  if (!factor) throw notFound(path);

  const now = ctx.clock.now();
  if (challenge.status === 'pending' && challenge.expiration_date <= now) {
    await challenges.completePending(challenge.sid, 'expired', now);
    throw new DomainError('wrong_state', 'Invalid Request: the challenge has expired');
  }
  if (challenge.status !== 'pending') throw new DomainError('wrong_state', `Invalid Request: the challenge is already ${challenge.status}`);
  const failures = ctx.stores.checkFailures;
  const key = voiceprintFailureKey(factor.sid);
  // Only spares a locked factor the work below; the charge further down is what enforces the lock.
  const lockedUntil = await failures.lockedUntil(key);
  if (lockedUntil > now) throw voiceprintLocked(lockedUntil, now);
  const audio = decodeRecording(wav);
  const quality = engine.checkQuality(audio, 'verify');
  const counted = await challenges.countAttempt(challenge.sid, now, MAX_CHALLENGE_ATTEMPTS);
  if (!counted) throw new DomainError('challenge_attempts_exhausted', 'Challenge verification attempts limit: too many recordings for this challenge');
  // A recording of poor quality is never compared (the engine rejects it), so it is no biometric attempt.
  let charged = false;
  if (quality.ok) {
    const charge = await failures.chargeAttempt(key, now, biometricLockoutDelayMs);
    if (!charge.charged) throw voiceprintLocked(charge.lockedUntil, now);
    charged = true;
  }

  const store = ctx.stores.voiceprints;
  const settings = voiceprintSettings(service);
  // Digits mode: the attempt must say this challenge's own prompt (a recording of an earlier one says other digits).
  const prompt = challenge.details.prompt === undefined ? undefined : promptDigits(challenge.details.prompt);
  const result = await engine.verify(openVoiceprint(ctx, factor), audio, { threshold: settings.threshold, seenFingerprints: await store.fingerprints(factor.sid), prompt });
  // Every recording heard is remembered, so it cannot be played back later.
  await store.addFingerprint({ sid: newSid('FP'), factor_sid: factor.sid, fingerprint: result.fingerprint, date_created: now });
  if (settings.retainAudio) {
    const sid = newSid('RE');
    await store.addRecording({ sid, factor_sid: factor.sid, purpose: 'verify', audio_sealed: seal(ctx.keyring, encodeRecording(wav), recordingContext(sid)), date_created: now });
  }
  const outcome: VoiceprintOutcome = { decision: result.decision, score: result.score, threshold: result.threshold, reasons: result.reasons };
  ctx.logger.info({ challengeSid: challenge.sid, factorSid: factor.sid, decision: result.decision, score: Number(result.score.toFixed(3)), reasons: result.reasons }, 'voiceprint attempt');

  const poor = result.reasons.some((r) => r.startsWith('quality:'));
  if (result.decision === 'rejected' && poor && !result.reasons.includes('replay_suspected')) throw qualityError(result.quality.problems);

  if (result.decision === 'match') {
    const approved = await ctx.stores.transaction(async (trx) => {
      const done = await trx.challenges.completePending(challenge.sid, 'approved', now, { date_responded: now });
      if (done) {
        await trx.checkFailures.clear(key);
        await recordChallengeEvent(ctx, trx, 'challenge.approved', done, factor);
      }
      return done;
    });
    if (!approved) throw new DomainError('wrong_state', 'Invalid Request: the challenge is already answered');
    announceOutbox(ctx, 'challenge.approved', approved.sid);
    return { row: approved, outcome };
  }

  // A mismatch or a replay: a biometric failure (already charged if the recording passed the quality gate).
  if (!charged) await failures.chargeAttempt(key, now, biometricLockoutDelayMs);
  if (result.reasons.includes('replay_suspected')) {
    ctx.logger.warn({ challengeSid: challenge.sid, factorSid: factor.sid }, 'voiceprint challenge denied: replayed recording');
    const denied = await ctx.stores.transaction(async (trx) => {
      const done = await trx.challenges.completePending(challenge.sid, 'denied', now, { date_responded: now, denied_reason: 'replay_suspected' });
      if (done) await recordChallengeEvent(ctx, trx, 'challenge.denied', done, factor);
      return done;
    });
    if (denied) announceOutbox(ctx, 'challenge.denied', denied.sid);
    return { row: denied ?? counted, outcome };
  }
  return { row: counted, outcome };
}

const voiceprintLocked = (lockedUntil: number, now: number): DomainError =>
  new DomainError('voiceprint_locked', 'Voiceprint locked: too many voice mismatches in a row; try again later or use another factor', { retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)) });
