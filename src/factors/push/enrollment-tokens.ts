import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import type { AppContext } from '../../context.ts';
import { newSid } from '../../crypto/random.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import type { ServiceRow } from '../../store/schema.ts';
import { checkIdentity } from '../entities.ts';
import { ENROLLMENT_AUDIENCE, JWT_TYPES, type EnrollmentClaims } from './push-protocol.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type EnrollmentTokensDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'stores'>;

export const DEFAULT_ENROLLMENT_TTL_SECONDS = 60;

export interface EnrollmentTokenInput {
  identity: string | undefined;
  factorType: string | undefined;
  friendlyName: string | undefined;
  ttlSeconds: number | undefined;
  /** The account the device shows (`account_name`): a display name, never the identity. Default: the factor's friendly name. */
  accountName?: string | undefined;
}

/** An enrollment token as issued (the API's AccessToken resource is built from it at the edge). */
export interface IssuedEnrollmentToken {
  sid: string;
  accountSid: string;
  serviceSid: string;
  identity: string;
  friendlyName: string;
  token: string;
  ttlSeconds: number;
  issuedAt: number;
}

/**
 * POST …/AccessTokens: a short-lived, single-use token that lets one device enroll one push factor
 * for `identity`. It is an HS256 JWT under a key derived from the master key (`kid` names the
 * master key, so tokens issued before a key rotation still verify while the old key is retired).
 */
export async function issueEnrollmentToken(ctx: EnrollmentTokensDeps, service: ServiceRow, input: EnrollmentTokenInput): Promise<IssuedEnrollmentToken> {
  const identity = checkIdentity(input.identity);
  if (input.factorType === undefined) throw invalidParameter('FactorType', 'required');
  if (input.factorType !== 'push') throw invalidParameter('FactorType', 'expected push');
  const ttl = input.ttlSeconds ?? DEFAULT_ENROLLMENT_TTL_SECONDS;
  const now = ctx.clock.now();
  const sid = newSid('YK');
  const friendlyName = input.friendlyName ?? 'Push authenticator';
  const iat = Math.floor(now / 1000);
  const claims: EnrollmentClaims = {
    iss: ctx.config.publicUrl,
    aud: ENROLLMENT_AUDIENCE,
    sub: identity,
    jti: sid,
    account_sid: service.account_sid,
    service_sid: service.sid,
    service_name: service.friendly_name,
    factor_type: 'push',
    factor_friendly_name: friendlyName,
    account_name: input.accountName ?? friendlyName,
    verity_url: ctx.config.publicUrl,
    iat,
    exp: iat + ttl,
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', kid: ctx.keyring.keyId, typ: JWT_TYPES.enrollment })
    .sign(ctx.keyring.derive('enrollment-token'));
  return { sid, accountSid: service.account_sid, serviceSid: service.sid, identity, friendlyName, token, ttlSeconds: ttl, issuedAt: now };
}

const refused = (why: string): DomainError => new DomainError('unauthenticated', `Authenticate: ${why}`);

/**
 * Checks an enrollment token (signature, audience, type, expiry) and spends it: a token enrolls
 * at most one factor, even when two devices present it at once.
 */
export async function redeemEnrollmentToken(ctx: EnrollmentTokensDeps, authorization: string | undefined): Promise<EnrollmentClaims> {
  if (!authorization?.startsWith('Bearer ')) throw refused('expected Authorization: Bearer <enrollment token>');
  const token = authorization.slice(7).trim();
  let key: Buffer | undefined;
  try {
    const { kid } = decodeProtectedHeader(token);
    key = typeof kid === 'string' ? ctx.keyring.deriveFor(kid, 'enrollment-token') : undefined;
  } catch {
    throw refused('the enrollment token is not a JWT');
  }
  if (!key) throw refused('the enrollment token was not issued under a current key');
  let claims: EnrollmentClaims;
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: ENROLLMENT_AUDIENCE,
      typ: JWT_TYPES.enrollment,
      requiredClaims: ['jti', 'exp', 'sub'],
      currentDate: new Date(ctx.clock.now()),
    });
    claims = payload as unknown as EnrollmentClaims;
  } catch {
    throw refused('the enrollment token is invalid or expired');
  }
  if (!(await ctx.stores.spentTokens.spend(claims.jti, claims.exp * 1000))) throw refused('the enrollment token was already used');
  return claims;
}
