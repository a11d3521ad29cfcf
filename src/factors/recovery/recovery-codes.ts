import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { keyedDigest } from '../../crypto/digest.ts';
import { newSid } from '../../crypto/random.ts';
import { VerityError, invalidParameter } from '../../errors/verity-error.ts';
import { CheckFailuresStore } from '../../store/check-failures-store.ts';
import { RecoveryCodesStore } from '../../store/recovery-codes-store.ts';
import type { EntityRow, RecoveryCodeRow } from '../../store/schema.ts';
import { lockoutDelayMs } from '../../verify/limits.ts';
import { recordEvent } from '../../events/record-event.ts';
import { entityFailureKey } from '../entities.ts';
import { announceOutbox } from '../record-factor-event.ts';

/**
 * Recovery codes: NIST SP 800-63B look-up secrets. Ten per entity, each 12 symbols of Crockford's
 * base32 (no I, L, O, U: nothing to misread) from the CSPRNG, 60 bits — so, being under 112 bits,
 * they are stored salted and hashed with a memory-hard KDF (argon2id, OWASP's 19 MiB / t=2) and
 * rate-limited (§5.1.2.2). A keyed HMAC of each code finds its row, so a check costs one argon2
 * verification, not ten.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// algorithm 2 is Argon2id in @node-rs/argon2's (const enum) Algorithm.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function newCode(): string {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Crockford decoding: case-insensitive, O→0, I/L→1, separators ignored. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(code) ? code : undefined;
}

const lookupOf = (ctx: AppContext, entitySid: string, normalised: string): string =>
  keyedDigest(ctx.keyring.derive('recovery-lookup'), entitySid, normalised).toString('hex');

/** Issues a new batch (shown once) and invalidates the previous one in the same transaction. */
export async function regenerateRecoveryCodes(ctx: AppContext, entity: EntityRow): Promise<{ codes: string[]; dateCreated: number }> {
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
  await ctx.db.kysely.transaction().execute((trx) => new RecoveryCodesStore(trx).replaceBatch(entity.sid, rows));
  return { codes, dateCreated: now };
}

export async function recoveryCodeSummary(ctx: AppContext, entity: EntityRow): Promise<{ total: number; remaining: number; dateCreated: number | null }> {
  return new RecoveryCodesStore(ctx.db.kysely).summary(entity.sid);
}

/**
 * Uses a recovery code: right → consumed (exactly once, even under concurrent use), `valid`, with
 * `amr` ["otp"] and a `recovery_code.used` event;
 * wrong or already used → not valid, and counted in the entity's failure counter that locks it out
 * with growing delays (shared with its challenges; a success clears it).
 */
/** RFC 8176 `amr` of a recovery code: a single-use secret, i.e. a one-time password. */
export const RECOVERY_CODE_AMR = ['otp'];

export async function useRecoveryCode(ctx: AppContext, entity: EntityRow, input: string | undefined): Promise<{ valid: boolean; remaining: number; amr: string[] | null }> {
  if (!input) throw invalidParameter('Code', 'required');
  if (input.length > 32) throw invalidParameter('Code', 'expected a recovery code such as ABCD-EFGH-JKMN');
  const failures = new CheckFailuresStore(ctx.db.kysely);
  const key = entityFailureKey(entity.sid);
  const now = ctx.clock.now();
  const lockedUntil = await failures.lockedUntil(key);
  if (lockedUntil > now) {
    throw new VerityError(60308, 'Too many wrong codes for this entity, try again later', { retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000) });
  }
  const store = new RecoveryCodesStore(ctx.db.kysely);
  const normalised = normaliseRecoveryCode(input);
  const row = normalised ? await store.findUnused(entity.sid, lookupOf(ctx, entity.sid, normalised)) : undefined;
  const valid = row !== undefined && normalised !== undefined && (await verify(row.hash, normalised)) && (await store.consume(row.sid, now));
  const remaining = async () => (await store.summary(entity.sid)).remaining;
  if (!valid) {
    const consecutive = await failures.recordFailure(key, now);
    const delay = lockoutDelayMs(consecutive);
    if (delay > 0) await failures.lock(key, now + delay);
    return { valid, remaining: await remaining(), amr: null };
  }
  await failures.clear(key);
  const left = await remaining();
  // Recorded like a factor's approval, so the app (and the hand-off) learns how the user got in.
  await recordEvent(ctx.db.kysely, ctx.clock, {
    accountSid: entity.account_sid,
    serviceSid: entity.service_sid,
    type: 'recovery_code.used',
    resourceSid: entity.sid,
    payload: { entity_identity: entity.identity, amr: RECOVERY_CODE_AMR, remaining: left },
  });
  announceOutbox(ctx, 'recovery_code.used', entity.sid);
  return { valid, remaining: left, amr: RECOVERY_CODE_AMR };
}
