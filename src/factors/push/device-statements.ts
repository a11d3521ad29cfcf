import { createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { FactorRow } from '../../store/schema.ts';
import { openBinding } from '../factor-binding.ts';
import { DEVICE_AUDIENCE, JWT_TYPES, MAX_DEVICE_TOKEN_SECONDS, MAX_SIGNATURE_AGE_SECONDS } from './push-protocol.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type DeviceStatementsDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores'>;

/** The factor's bound public key, opened from its sealed form. */
function boundPublicKey(ctx: DeviceStatementsDeps, factor: FactorRow): KeyObject {
  return createPublicKey({ key: Buffer.from(openBinding(ctx, factor), 'base64'), format: 'der', type: 'spki' });
}

/**
 * Checks a compact JWS made by a push device: ES256 only, signed by the factor's bound key, the
 * `kid` naming that factor, the `typ` of the statement expected here (so a device token cannot
 * stand in for an approval), and an `iat` within five minutes of now. Returns the payload, or
 * undefined when any of that fails; the caller decides the error and logs the refusal.
 */
export async function verifyDeviceStatement<T extends { iat: number }>(ctx: DeviceStatementsDeps, factor: FactorRow, jws: string, typ: string): Promise<T | undefined> {
  try {
    const { payload, protectedHeader } = await compactVerify(jws, boundPublicKey(ctx, factor), { algorithms: ['ES256'] });
    if (protectedHeader.kid !== factor.sid || protectedHeader.typ !== typ) return undefined;
    const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as T;
    if (typeof claims !== 'object' || claims === null || typeof claims.iat !== 'number') return undefined;
    if (Math.abs(ctx.clock.now() / 1000 - claims.iat) > MAX_SIGNATURE_AGE_SECONDS) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

const unauthenticated = (why: string): DomainError => new DomainError('unauthenticated', `Authenticate: ${why}`);

/**
 * Authenticates a /device/v1 call: `Authorization: Bearer <device token>`, a JWT the device signs
 * with its key (`kid` = factor SID, `aud` verity-device, at most five minutes long). The factor is
 * looked up by `kid` and the signature checked with its bound key, so a deleted factor's tokens stop
 * working at once.
 */
export async function authenticateDevice(ctx: DeviceStatementsDeps, authorization: string | undefined): Promise<{ factor: FactorRow; expiresAt: number }> {
  if (!authorization?.startsWith('Bearer ')) throw unauthenticated('expected Authorization: Bearer <device token>');
  const token = authorization.slice(7).trim();
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw unauthenticated('the device token is not a JWT');
  }
  if (typeof kid !== 'string' || !/^YF[0-9a-f]{32}$/.test(kid)) throw unauthenticated('the device token has no factor key id (kid)');
  const factor = await ctx.stores.factors.findBySid(kid);
  if (!factor || factor.factor_type !== 'push') throw unauthenticated('unknown factor');
  try {
    const { payload } = await jwtVerify(token, boundPublicKey(ctx, factor), {
      algorithms: ['ES256'],
      audience: DEVICE_AUDIENCE,
      subject: factor.sid,
      typ: JWT_TYPES.device,
      requiredClaims: ['iat', 'exp'],
      currentDate: new Date(ctx.clock.now()),
      clockTolerance: 30,
    });
    const iat = payload.iat as number;
    const exp = payload.exp as number;
    if (exp - iat > MAX_DEVICE_TOKEN_SECONDS) throw new Error('lifetime');
    if (iat > ctx.clock.now() / 1000 + 30) throw new Error('issued in the future');
    return { factor, expiresAt: exp * 1000 };
  } catch {
    ctx.logger.warn({ factorSid: factor.sid }, 'device token refused');
    throw unauthenticated('the device token is invalid or expired');
  }
}
