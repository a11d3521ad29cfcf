import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import { insertFactor, openBinding } from '../factor-binding.ts';
import { announceOutbox, recordFactorEvent } from '../record-factor-event.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import type { OtpAlgorithm, TotpOptions } from './otp.ts';
import { base32Decode, base32Encode, otpauthUri } from './otpauth-uri.ts';
import { verifyTotp } from './verify-totp.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type TotpFactorDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'stores'>;

/** Wrong codes accepted while verifying a new factor; the next attempt is refused with 60310. */
export const MAX_FACTOR_VERIFY_ATTEMPTS = 5;

/** `config` of a TOTP factor, as stored and as returned (snake_case, like the hosted API). */
export interface TotpConfig {
  alg: OtpAlgorithm;
  skew: number;
  code_length: number;
  time_step: number;
}

/** `Config.*` parameters; undefined keeps the service default (create) or the current value (update). */
interface TotpConfigInput {
  timeStep?: number | undefined;
  skew?: number | undefined;
  codeLength?: number | undefined;
  alg?: OtpAlgorithm | undefined;
}

export interface CreateTotpFactorInput extends TotpConfigInput {
  friendlyName: string;
  /** Base32 secret from `Binding.Secret`; 20 random bytes (RFC 4226 §4 R6: 160 bits) when absent. */
  secret?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

export interface UpdateTotpFactorInput extends TotpConfigInput {
  /** The code from the authenticator app; a right one verifies an unverified factor. */
  authPayload?: string | undefined;
  friendlyName?: string | undefined;
}

/** Service defaults (`Totp.*` settings) with the hosted API's fallbacks. */
function serviceTotp(service: ServiceRow): { issuer: string; timeStep: number; skew: number; codeLength: number } {
  const x = service.extras;
  const num = (key: string, fallback: number): number => (typeof x[key] === 'number' ? x[key] : fallback);
  return {
    issuer: typeof x['Totp.Issuer'] === 'string' && x['Totp.Issuer'] !== '' ? x['Totp.Issuer'] : service.friendly_name,
    timeStep: num('Totp.TimeStep', 30),
    skew: num('Totp.Skew', 1),
    codeLength: num('Totp.CodeLength', 6),
  };
}

export function totpConfig(row: FactorRow): TotpConfig {
  return JSON.parse(row.config) as TotpConfig;
}

export function totpOptions(config: TotpConfig): TotpOptions {
  return { algorithm: config.alg, digits: config.code_length, period: config.time_step, skew: config.skew };
}

/** The factor's secret, opened from its sealed form (bound to the factor's SID). */
export function factorSecret(ctx: TotpFactorDeps, row: FactorRow): Uint8Array {
  return base32Decode(openBinding(ctx, row));
}

/** The shortest imported TOTP seed: 80 bits (10 bytes), the length of most legacy seeds. */
const TOTP_IMPORT_MIN_SECRET_BYTES = 10;

function decodeSecret(text: string): Uint8Array {
  if (!/^[A-Za-z2-7]+=*$/.test(text)) throw invalidParameter('Binding.Secret', 'expected base32 (A–Z, 2–7)');
  let bytes: Uint8Array;
  try {
    bytes = base32Decode(text);
  } catch {
    throw invalidParameter('Binding.Secret', 'expected base32 (A–Z, 2–7)');
  }
  // RFC 4226 §4 R6 asks for at least 128 bits (160 recommended), and Verity generates 160. Imported
  // seeds of 80 bits (16 base32 characters, what Google Authenticator and Authy long issued) are
  // accepted so existing authenticators keep working: with 6-digit codes, the lock-outs and one use
  // per time step, an attacker guesses codes, never the seed (2^80 keys are out of brute-force reach).
  if (bytes.length < TOTP_IMPORT_MIN_SECRET_BYTES || bytes.length > 128) throw invalidParameter('Binding.Secret', 'expected 80 to 1024 bits of base32 (16 to 205 characters)');
  return bytes;
}

/**
 * Creates an unverified TOTP factor. The response is the only place its secret and otpauth URI
 * ever appear (`binding`); the row holds the secret sealed with AES-GCM under context `factor:<sid>`.
 * Config.CodeLength accepts 3–8 like the hosted API, although fewer than 6 digits (RFC 4226 §5.3)
 * is weak; Verity's own default is 6.
 */
export async function createTotpFactor(
  ctx: TotpFactorDeps,
  service: ServiceRow,
  entity: EntityRow,
  input: CreateTotpFactorInput,
): Promise<{ row: FactorRow; binding: { secret: string; uri: string } }> {
  const defaults = serviceTotp(service);
  const secret = input.secret !== undefined ? decodeSecret(input.secret) : new Uint8Array(randomBytes(20));
  const config: TotpConfig = {
    alg: input.alg ?? 'sha1',
    skew: input.skew ?? defaults.skew,
    code_length: input.codeLength ?? defaults.codeLength,
    time_step: input.timeStep ?? defaults.timeStep,
  };
  const base32 = base32Encode(secret);
  const row = await insertFactor(ctx, service, entity, { factorType: 'totp', friendlyName: input.friendlyName, binding: base32, config, metadata: input.metadata });
  const uri = otpauthUri({ type: 'totp', issuer: defaults.issuer, label: input.friendlyName, secret, algorithm: config.alg, digits: config.code_length, period: config.time_step });
  return { row, binding: { secret: base32, uri } };
}

/**
 * POST …/Factors/{YF}: changes FriendlyName and Config.*, and with AuthPayload verifies an
 * unverified factor. A wrong code is not an error (the factor stays `unverified`); after five
 * tries the next is refused with 60310. The accepted time step is consumed atomically, so it can
 * never approve a challenge afterwards. AuthPayload on a verified factor is ignored.
 */
export async function updateTotpFactor(ctx: TotpFactorDeps, factor: FactorRow, input: UpdateTotpFactorInput): Promise<FactorRow> {
  return ctx.stores.transaction(async (trx) => {
    const now = ctx.clock.now();
    const factors = trx.factors;
    let row = factor;
    const current = totpConfig(row);
    const config: TotpConfig = {
      alg: input.alg ?? current.alg,
      skew: input.skew ?? current.skew,
      code_length: input.codeLength ?? current.code_length,
      time_step: input.timeStep ?? current.time_step,
    };
    if (input.friendlyName !== undefined || JSON.stringify(config) !== row.config) {
      // A new time step re-counts the last used step in the new unit, rounding up, so no code
      // of a period that overlaps the last accepted one can be accepted again.
      const lastUsed =
        row.last_used_step !== null && config.time_step !== current.time_step
          ? Math.floor(((row.last_used_step + 1) * current.time_step - 1) / config.time_step)
          : row.last_used_step;
      row = (await factors.update(row.sid, { friendly_name: input.friendlyName ?? row.friendly_name, config: JSON.stringify(config), last_used_step: lastUsed, date_updated: now })) ?? row;
    }
    if (input.authPayload === undefined || row.status === 'verified') return row;

    const counted = await factors.countVerifyAttempt(row.sid, now, MAX_FACTOR_VERIFY_ATTEMPTS);
    if (!counted) {
      const latest = await factors.find(row.entity_sid, row.sid);
      if (latest?.status === 'verified') return latest;
      throw new DomainError('factor_attempts_exhausted', 'Factor verification attempts limit: too many wrong codes, create a new factor');
    }
    const result = verifyTotp(factorSecret(ctx, counted), input.authPayload, now, totpOptions(totpConfig(counted)), counted.last_used_step);
    if (result.valid) {
      const verified = await factors.consumeStep(counted.sid, result.step, now, { status: 'verified' });
      if (verified) {
        await recordFactorEvent(ctx, trx, 'factor.verified', verified);
        announceOutbox(ctx, 'factor.verified', verified.sid);
        return verified;
      }
    }
    return counted;
  });
}

