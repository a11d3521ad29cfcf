import { VOICEPRINTS_UNAVAILABLE } from '../config/voiceprint-config.ts';
import type { AppContext } from '../context.ts';
import { announceOutbox, recordChallengeEvent } from './record-factor-event.ts';
import { newSid } from '../crypto/random.ts';
import { DomainError } from '../errors/domain-error.ts';
import { invalidParameter, notFound, type VerityError } from '../errors/verity-error.ts';
import type { ChallengeRow, EntityRow, FactorRow, ServiceRow } from '../store/schema.ts';
import { lockoutDelayMs } from '../verify/limits.ts';
import { entityFailureKey, entityPath } from './entities.ts';
import { factorSecret, totpConfig, totpOptions } from './totp/totp-factor.ts';
import { verifyTotp } from './totp/verify-totp.ts';
import { judgePushResponse, preparePushChallenge } from './push/push-challenges.ts';
import { capVoiceprintChallenges } from './voiceprint-factor/voiceprint-challenge-cap.ts';
import { sendPushChallenge } from './push/push-notifications.ts';
import { judgePasskeyResponse, preparePasskeyChallenge } from './passkeys/passkey-challenges.ts';
import { counterNotIncreased } from './passkeys/passkey-assertion.ts';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { challengePrompt } from './voiceprint-factor/voiceprint-prompts.ts';

/** Responses accepted per challenge; the sixth is refused with 60308 (the hosted API's TOTP limit is 5). */
export const MAX_CHALLENGE_ATTEMPTS = 5;
export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_CHALLENGE_TTL_MS = 60 * 60_000;

import type { ChallengeField } from './push/push-protocol.ts';
import type { TransactionStores } from '../store/unit-of-work.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
// `voiceprints` only from callers that can open voiceprint challenges (the API, the hosted pages).
type ChallengesDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores' | 'pushDelivery'> & Partial<Pick<AppContext, 'voiceprints'>>;

/**
 * RFC 8176 `amr` values an approved challenge stands for, by factor type. Passkeys claim `swk`, not
 * `hwk`: a synced (multi-device) passkey's private key leaves the authenticator's hardware, and an
 * approval must never claim more than it proves.
 */
export const AMR_BY_FACTOR_TYPE: Record<string, string[]> = { totp: ['otp'], push: ['swk'], voiceprint: ['vbm'], passkeys: ['swk'] };

export interface CreateChallengeInput {
  factorSid: string | undefined;
  expirationDate?: string | undefined;
  message?: string | undefined;
  /** `Details.Fields`: each a JSON string `{"label","value"}` (label ≤ 36, value ≤ 128, ≤ 20 fields). */
  fields?: string[] | undefined;
  hiddenDetails?: Record<string, unknown> | undefined;
  /** A TOTP code: the challenge is answered as it is created (not for push). */
  authPayload?: string | undefined;
}

export const challengePath = (row: Pick<ChallengeRow, 'service_sid' | 'identity'>, sid: string): string => `${entityPath(row.service_sid, row.identity)}/Challenges/${sid}`;

function parseFields(values: string[]): ChallengeField[] {
  if (values.length > 20) throw invalidParameter('Details.Fields', 'at most 20 fields');
  return values.map((text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidParameter('Details.Fields', 'expected JSON objects {"label","value"}');
    }
    const field = parsed as Partial<ChallengeField> | null;
    if (!field || typeof field !== 'object' || typeof field.label !== 'string' || typeof field.value !== 'string') {
      throw invalidParameter('Details.Fields', 'expected JSON objects {"label","value"} with string values');
    }
    if (field.label.length === 0 || field.label.length > 36) throw invalidParameter('Details.Fields', 'label of 1 to 36 characters');
    if (field.value.length > 128) throw invalidParameter('Details.Fields', 'value of at most 128 characters');
    return { label: field.label, value: field.value };
  });
}

function parseExpiration(text: string | undefined, now: number): number {
  if (text === undefined) return now + DEFAULT_CHALLENGE_TTL_MS;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidParameter('ExpirationDate', 'expected an ISO 8601 date such as 2026-01-01T12:00:00Z');
  if (ms <= now || ms > now + MAX_CHALLENGE_TTL_MS) throw invalidParameter('ExpirationDate', 'expected a time in the next 60 minutes');
  return ms;
}

/**
 * POST …/Entities/{Identity}/Challenges for a verified TOTP factor of the entity. With
 * AuthPayload the code is checked at once (201 `approved`, or `pending` when wrong).
 */
export async function createChallenge(ctx: ChallengesDeps, service: ServiceRow, entity: EntityRow, input: CreateChallengeInput): Promise<ChallengeRow & { passkeyOptions?: PublicKeyCredentialRequestOptionsJSON }> {
  if (input.factorSid === undefined || input.factorSid === '') throw invalidParameter('FactorSid', 'required');
  if (!/^YF[0-9a-f]{32}$/.test(input.factorSid)) throw invalidParameter('FactorSid', 'expected YF followed by 32 hex characters');
  const fields = parseFields(input.fields ?? []);
  if (input.hiddenDetails && Object.values(input.hiddenDetails).some((v) => typeof v !== 'string')) throw invalidParameter('HiddenDetails', 'expected a JSON object of string values');
  const factorSid = input.factorSid;
  const expirationDate = parseExpiration(input.expirationDate, ctx.clock.now());
  const outcome = await ctx.stores.transaction(async (trx) => {
    const now = ctx.clock.now();
    const factor = await trx.factors.find(entity.sid, factorSid);
    if (!factor) throw notFound(`${entityPath(service.sid, entity.identity)}/Factors/${factorSid}`);
    if (factor.status !== 'verified') throw new DomainError('not_applicable', 'Invalid Param: FactorSid (the factor is not verified yet)');
    let numberMatch: string | null = null;
    if (factor.factor_type === 'voiceprint' && input.authPayload !== undefined) throw new DomainError('not_applicable', 'Invalid Param: AuthPayload (a voiceprint challenge is answered with a recording)');
    if (factor.factor_type === 'voiceprint' && 'voiceprints' in ctx && !ctx.voiceprints) throw new DomainError('not_applicable', `Invalid Param: ${VOICEPRINTS_UNAVAILABLE}`);
    if (factor.factor_type === 'voiceprint') await capVoiceprintChallenges(ctx, trx, entity, now);
    if (factor.factor_type === 'push') {
      if (!input.message) throw invalidParameter('Details.Message', 'required for a push challenge');
      if (input.authPayload !== undefined) throw new DomainError('not_applicable', 'Invalid Param: AuthPayload (a push challenge is answered by the device)');
      ({ numberMatch } = await preparePushChallenge(ctx, trx, service, entity, now));
    }
    if (factor.factor_type === 'passkeys' && input.authPayload !== undefined) throw new DomainError('not_applicable', 'Invalid Param: AuthPayload (a passkey challenge is answered with POST …/Challenges/{Sid})');
    const prompt = await challengePrompt(trx.challenges, factor);
    const row: ChallengeRow = {
      sid: newSid('YC'),
      account_sid: service.account_sid,
      service_sid: service.sid,
      entity_sid: entity.sid,
      identity: entity.identity,
      factor_sid: factor.sid,
      factor_type: factor.factor_type,
      status: 'pending',
      responded_reason: 'none',
      details: { message: input.message ?? null, fields, ...(prompt === undefined ? {} : { prompt }) },
      // Checked above to hold string values only.
      hidden_details: input.hiddenDetails ? Object.fromEntries(Object.entries(input.hiddenDetails).map(([k, v]) => [k, String(v)])) : null,
      metadata: null,
      expiration_date: expirationDate,
      date_responded: null,
      attempts: 0,
      number_match: numberMatch,
      date_delivered: null,
      denied_reason: null,
      notification_seq: 0,
      date_created: now,
      date_updated: now,
    };
    await trx.challenges.insert(row);
    if (factor.factor_type === 'passkeys') return { row, passkeyOptions: await preparePasskeyChallenge(ctx, trx, service, factor, row) };
    if (input.authPayload === undefined) return { row };
    // Only a lock-out can refuse a fresh challenge's answer: then the challenge is not created either.
    const answered = await respond(ctx, trx, row, input.authPayload, undefined, now);
    if (answered.error) throw answered.error;
    return answered;
  });
  if (outcome.error) throw outcome.error;
  announceChallenge(ctx, outcome.row);
  return 'passkeyOptions' in outcome ? { ...outcome.row, passkeyOptions: outcome.passkeyOptions } : outcome.row;
}

/** Wakes this process's live streams of the challenge (login page) and of its factor (device). */
function announceChallenge(ctx: ChallengesDeps, row: ChallengeRow): void {
  ctx.bus.publish(`challenge:${row.sid}`, { type: row.status, resourceSid: row.sid });
  if (row.factor_type === 'push' && row.status === 'pending') sendPushChallenge(ctx, row);
  else ctx.bus.publish(`factor:${row.factor_sid}`, { type: row.status, resourceSid: row.sid });
}

/**
 * POST …/Challenges/{YC} with AuthPayload: right code → `approved`; wrong or replayed code →
 * stays `pending` (not an error); after five responses the next is refused with 60308. A challenge
 * past its expiration date becomes `expired` and responding to it is refused with 60306, as is
 * responding to one already approved.
 */
export async function respondToChallenge(
  ctx: ChallengesDeps,
  entity: EntityRow,
  sid: string,
  input: { authPayload: string | undefined; metadata?: Record<string, unknown> | undefined },
): Promise<ChallengeRow> {
  if (input.authPayload === undefined || input.authPayload === '') throw invalidParameter('AuthPayload', 'required');
  const authPayload = input.authPayload;
  const target = /^YC[0-9a-f]{32}$/.test(sid) ? await ctx.stores.challenges.find(entity.sid, sid) : undefined;
  if (target?.factor_type === 'voiceprint') throw new DomainError('not_applicable', 'Invalid Param: AuthPayload (a voiceprint challenge is answered with a recording: POST …/Challenges/{Sid}/Recording)');
  const outcome = await ctx.stores.transaction(async (trx) => {
    const now = ctx.clock.now();
    const row = await trx.challenges.find(entity.sid, sid);
    if (!row) throw notFound(challengePath(entity, sid));
    return respond(ctx, trx, row, authPayload, input.metadata, now);
  });
  const changed = outcome.row ?? (await ctx.stores.challenges.find(entity.sid, sid));
  if (changed) announceChallenge(ctx, changed);
  if (outcome.error) throw outcome.error;
  return outcome.row;
}

type Outcome = { row: ChallengeRow; error?: undefined; passkeyOptions?: PublicKeyCredentialRequestOptionsJSON } | { row?: undefined; error: DomainError | VerityError };

const notPending = (status: string): DomainError =>
  new DomainError('wrong_state', status === 'expired' ? 'Invalid Request: the challenge has expired' : `Invalid Request: the challenge is already ${status}`);
const attemptsLimit = (): DomainError => new DomainError('challenge_attempts_exhausted', 'Challenge verification attempts limit: too many wrong codes for this challenge');

/** The entity is locked out: thrown, so that the attempt counted on the challenge is rolled back too. */
const entityLocked = (lockedUntil: number, now: number): DomainError =>
  new DomainError('entity_locked', 'Challenge verification attempts limit: too many wrong codes for this entity, try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)),
  });

/**
 * Checks one response (TOTP code, push statement, passkey assertion) against a challenge, inside the
 * caller's transaction. Errors are returned, not thrown, so that what was counted (attempts,
 * failures, expiry) is committed; only the entity's lock-out is thrown (nothing was counted). Lock
 * order: challenge row, the entity's failure counter, then the factor row.
 */
async function respond(ctx: ChallengesDeps, trx: TransactionStores, challenge: ChallengeRow, code: string, metadata: Record<string, unknown> | undefined, now: number): Promise<Outcome> {
  const challenges = trx.challenges;
  const factors = trx.factors;
  const failures = trx.checkFailures;
  if (challenge.status === 'pending' && challenge.expiration_date <= now) {
    await challenges.completePending(challenge.sid, 'expired', now);
    return { error: notPending('expired') };
  }
  if (challenge.status !== 'pending') return { error: notPending(challenge.status) };
  if (challenge.attempts >= MAX_CHALLENGE_ATTEMPTS) return { error: attemptsLimit() };

  const counted = await challenges.countAttempt(challenge.sid, now, MAX_CHALLENGE_ATTEMPTS);
  if (!counted) {
    // Lost a race: another response used the last attempt or approved it.
    const current = await challenges.find(challenge.entity_sid, challenge.sid);
    if (current?.status === 'pending' && current.attempts >= MAX_CHALLENGE_ATTEMPTS) return { error: attemptsLimit() };
    return { error: notPending(current?.status ?? 'expired') };
  }
  const factor = await factors.find(counted.entity_sid, counted.factor_sid);
  if (!factor) return { error: notFound(challengePath(counted, counted.sid)) };
  if (factor.factor_type === 'totp' && (code.length < 3 || code.length > 8)) throw invalidParameter('AuthPayload', 'expected a code of 3 to 8 characters');

  // NIST SP 800-63B-4 §3.2.2: consecutive failures count per entity, across its challenges; a new
  // challenge does not reset them, only an approval does. The response is charged as a failure
  // before it is judged (one statement that refuses while locked and sets the lock its count earns),
  // so concurrent responses, on any node, never get more evaluations than the free failures.
  const key = entityFailureKey(challenge.entity_sid);
  const charge = await failures.chargeAttempt(key, now, lockoutDelayMs);
  if (!charge.charged) throw entityLocked(charge.lockedUntil, now);
  if (factor.factor_type === 'push') return respondToPush(ctx, trx, counted, factor, code, metadata, now, key);
  if (factor.factor_type === 'passkeys') return respondToPasskey(ctx, trx, counted, factor, code, metadata, now, key);
  const result = verifyTotp(factorSecret(ctx, factor), code, now, totpOptions(totpConfig(factor)), factor.last_used_step);
  // The step is consumed by a conditional UPDATE: of concurrent uses of one code, one wins.
  if (result.valid && (await factors.consumeStep(factor.sid, result.step, now))) {
    const approved = await challenges.completePending(counted.sid, 'approved', now, {
      date_responded: now,
      ...(metadata ? { metadata } : {}),
    });
    // Unreachable while the challenge row is held; roll the consumed step back if it ever happens.
    if (!approved) throw notPending('approved');
    await failures.clear(key);
    await recordChallengeEvent(ctx, trx, 'challenge.approved', approved, factor);
    announceOutbox(ctx, 'challenge.approved', approved.sid);
    return { row: approved };
  }
  // A wrong or replayed code: the failure charged above stands.
  return { row: counted };
}

/**
 * A push response: a statement the device signed, charged as a failure of the entity (`key`) before
 * it is judged. A refused one (bad signature, digests, …) is 60324 and stays a failure; a wrong
 * number to match denies the challenge and stays a failure too (the user did not start this login);
 * a plain denial is the user's answer, not a failure: refunded, in this transaction.
 */
async function respondToPush(ctx: ChallengesDeps, trx: TransactionStores, challenge: ChallengeRow, factor: FactorRow, authPayload: string, metadata: Record<string, unknown> | undefined, now: number, key: string): Promise<Outcome> {
  const challenges = trx.challenges;
  const failures = trx.checkFailures;
  const verdict = await judgePushResponse(ctx, challenge, factor, authPayload);
  if (verdict.kind === 'refused') {
    ctx.logger.warn({ challengeSid: challenge.sid, factorSid: factor.sid, reason: verdict.reason }, 'push response refused');
    return { error: new DomainError('challenge_verification_failed', `Challenge verification failed: the AuthPayload does not verify (${verdict.reason})`) };
  }
  const status = verdict.kind;
  const done = await challenges.completePending(challenge.sid, status, now, {
    date_responded: now,
    denied_reason: verdict.kind === 'denied' ? verdict.reason : null,
    ...(metadata ? { metadata } : {}),
  });
  if (!done) {
    await failures.refundAttempt(key);
    return { error: notPending('answered') };
  }
  if (verdict.kind === 'approved') await failures.clear(key);
  if (verdict.kind === 'denied' && verdict.reason === 'user') await failures.refundAttempt(key);
  if (verdict.kind === 'denied' && verdict.reason === 'number_mismatch') {
    ctx.logger.warn({ challengeSid: challenge.sid, factorSid: factor.sid }, 'push challenge denied: wrong number to match');
  }
  const type = status === 'approved' ? 'challenge.approved' : 'challenge.denied';
  await recordChallengeEvent(ctx, trx, type, done, factor);
  announceOutbox(ctx, type, done.sid);
  return { row: done };
}

/**
 * A passkey response: the browser's AuthenticationResponseJSON, charged as a failure of the entity
 * (`key`) before it is judged. One that does not verify is 60324, a signature counter that did not
 * increase 64202 (logged: a replay or a cloned authenticator); both stay failures. A verified one
 * approves the challenge and clears the count.
 */
async function respondToPasskey(ctx: ChallengesDeps, trx: TransactionStores, challenge: ChallengeRow, factor: FactorRow, authPayload: string, metadata: Record<string, unknown> | undefined, now: number, key: string): Promise<Outcome> {
  const failures = trx.checkFailures;
  const verdict = await judgePasskeyResponse(ctx, trx, challenge, factor, authPayload, now);
  if (verdict.kind === 'refused') {
    ctx.logger.warn({ challengeSid: challenge.sid, factorSid: factor.sid, reason: verdict.reason }, 'passkey response refused');
    return { error: new DomainError('challenge_verification_failed', 'Challenge verification failed: the AuthPayload is not a valid WebAuthn assertion for this challenge (signature, challenge, origin or relying party)') };
  }
  if (verdict.kind === 'counter_not_increased') {
    ctx.logger.warn({ challengeSid: challenge.sid, factorSid: factor.sid, stored: verdict.stored, received: verdict.received }, 'passkey signature counter did not increase: possible cloned authenticator');
    return { error: counterNotIncreased() };
  }
  const approved = await trx.challenges.completePending(challenge.sid, 'approved', now, { date_responded: now, ...(metadata ? { metadata } : {}) });
  if (!approved) throw notPending('approved');
  await failures.clear(key);
  await recordChallengeEvent(ctx, trx, 'challenge.approved', approved, factor);
  announceOutbox(ctx, 'challenge.approved', approved.sid);
  return { row: approved };
}

/** Marks the entity's overdue pending challenges `expired`, so reads show the true status. */
export async function expireChallenges(ctx: ChallengesDeps, entity: EntityRow): Promise<void> {
  await ctx.stores.challenges.expireDue(entity.sid, ctx.clock.now());
}

export async function fetchChallenge(ctx: ChallengesDeps, entity: EntityRow, sid: string): Promise<ChallengeRow> {
  await expireChallenges(ctx, entity);
  const row = /^YC[0-9a-f]{32}$/.test(sid) ? await ctx.stores.challenges.find(entity.sid, sid) : undefined;
  if (!row) throw notFound(challengePath(entity, sid));
  return row;
}
