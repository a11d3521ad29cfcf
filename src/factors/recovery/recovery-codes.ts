import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { keyedDigest } from '../../crypto/digest.ts';
import { newSid } from '../../crypto/random.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import type { EntityRow, RecoveryCodeRow } from '../../store/schema.ts';
import { lockoutDelayMs } from '../../verify/limits.ts';
import { recordEvent } from '../../events/record-event.ts';
import { entityFailureKey } from '../entities.ts';
import { announceOutbox } from '../record-factor-event.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type RecoveryCodesDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'stores'>;

/**
 * Recovery codes: NIST SP 800-63B look-up secrets. Ten per entity, each 12 symbols of Crockford's
 * base32 (no I, L, O, U: nothing to misread) from the CSPRNG, 60 bits — so, being under 112 bits,
 * they are stored salted and hashed with a memory-hard KDF (argon2id, OWASP's 19 MiB / t=2) and
 * rate-limited (§5.1.2.2). A keyed HMAC of each code finds its row, so a check costs one argon2
 * verification, not ten.
 */
const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// algorithm 2 is Argon2id in @node-rs/argon2's (const enum) Algorithm.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function newCode(): string {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Crockford decoding: case-insensitive, O→0, I/L→1, separators ignored. */
function normaliseRecoveryCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(code) ? code : undefined;
}

const lookupOf = (ctx: RecoveryCodesDeps, entitySid: string, normalised: string): string =>
  keyedDigest(ctx.keyring.derive('recovery-lookup'), entitySid, normalised).toString('hex');

/** Issues a new batch (shown once) and invalidates the previous one in the same transaction. */
export async function regenerateRecoveryCodes(ctx: RecoveryCodesDeps, entity: EntityRow): Promise<{ codes: string[]; dateCreated: number }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  const hashes = await Promise.all(codes.map((code) => hash(normaliseRecoveryCode(code) as string, ARGON2)));
  const now = ctx.clock.now();
  const batch = newSid('RB');
  const rows: RecoveryCodeRow[] = codes.map((code, i) => ({
    sid: newSid('RC'),
    account_sid: entity.account_sid,
    service_sid: entity.service_sid,
    entity_sid: entity.sid,
    batch_sid: batch,
    lookup: lookupOf(ctx, entity.sid, normaliseRecoveryCode(code) as string),
    hash: hashes[i] as string,
    used_at: null,
    date_created: now,
  }));
  await ctx.stores.transaction((tx) => tx.recoveryCodes.replaceBatch(entity.sid, rows));
  return { codes, dateCreated: now };
}

export async function recoveryCodeSummary(ctx: RecoveryCodesDeps, entity: EntityRow): Promise<{ total: number; remaining: number; dateCreated: number | null; lastUsed: number | null }> {
  return ctx.stores.recoveryCodes.summary(entity.sid);
}

/** Revokes every code of the entity at once (the admin console's action); how many were revoked. */
export async function revokeRecoveryCodes(ctx: RecoveryCodesDeps, entity: EntityRow): Promise<number> {
  return ctx.stores.transaction((tx) => tx.recoveryCodes.revokeAll(entity.sid));
}

/** RFC 8176 `amr` of a recovery code: a single-use secret, i.e. a one-time password. */
const RECOVERY_CODE_AMR = ['otp'];

/**
 * Uses a recovery code: right → consumed (exactly once, even under concurrent use), `valid`, with
 * `amr` ["otp"] and a `recovery_code.used` event; wrong or already used → not valid. Every attempt
 * is charged to the entity's failure counter (shared with its challenges) *before* the code is
 * looked at, in one statement that refuses while the entity is locked out and sets the growing lock
 * its count earns (NIST SP 800-63B-4 §3.2.2): so a burst of guesses, on any number of nodes, gets no
 * more evaluations than the free failures. A right code then clears the counter, in the transaction
 * that consumes the code and writes its event (both or neither).
 */
export async function useRecoveryCode(ctx: RecoveryCodesDeps, entity: EntityRow, input: string | undefined): Promise<{ valid: boolean; remaining: number; amr: string[] | null }> {
  if (!input) throw invalidParameter('Code', 'required');
  if (input.length > 32) throw invalidParameter('Code', 'expected a recovery code such as ABCD-EFGH-JKMN');
  const key = entityFailureKey(entity.sid);
  const now = ctx.clock.now();
  const charge = await ctx.stores.checkFailures.chargeAttempt(key, now, lockoutDelayMs);
  if (!charge.charged) {
    throw new DomainError('entity_locked', 'Too many wrong codes for this entity, try again later', { retryAfterSeconds: Math.max(1, Math.ceil((charge.lockedUntil - now) / 1000)) });
  }
  const store = ctx.stores.recoveryCodes;
  const normalised = normaliseRecoveryCode(input);
  const row = normalised ? await store.findUnused(entity.sid, lookupOf(ctx, entity.sid, normalised)) : undefined;
  const matches = row !== undefined && normalised !== undefined && (await verify(row.hash, normalised));
  const left = matches ? await consume(ctx, entity, row, key, now) : undefined;
  if (left === undefined) return { valid: false, remaining: (await store.summary(entity.sid)).remaining, amr: null };
  announceOutbox(ctx, 'recovery_code.used', entity.sid);
  return { valid: true, remaining: left, amr: RECOVERY_CODE_AMR };
}

/**
 * In one transaction: marks the code used (a conditional UPDATE: of concurrent uses one wins), clears
 * the entity's failure counter and records `recovery_code.used` (so the event exists if and only if
 * the code was consumed, recorded like a factor's approval: the app and the hand-off learn how the
 * user got in). The codes left, or undefined if another use won.
 */
async function consume(ctx: RecoveryCodesDeps, entity: EntityRow, row: RecoveryCodeRow, key: string, now: number): Promise<number | undefined> {
  return ctx.stores.transaction(async (trx) => {
    const store = trx.recoveryCodes;
    if (!(await store.consume(row.sid, now))) return undefined;
    await trx.checkFailures.clear(key);
    const { remaining } = await store.summary(entity.sid);
    await recordEvent(trx, ctx.clock, {
      accountSid: entity.account_sid,
      serviceSid: entity.service_sid,
      type: 'recovery_code.used',
      resourceSid: entity.sid,
      payload: { entity_identity: entity.identity, amr: RECOVERY_CODE_AMR, remaining },
    });
    return remaining;
  });
}
