import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ENROLLMENT_AUDIENCE, JWT_TYPES, type EnrollmentClaims } from '../factors/push/push-protocol.ts';
import { AuthenticatorError } from './authenticator-error.ts';

/** The claims of an enrollment token the device needs: where to enroll, and for whom. */
export type EnrollmentInfo = Pick<EnrollmentClaims, 'verity_url' | 'sub' | 'service_sid' | 'service_name' | 'factor_friendly_name' | 'exp'>;

/**
 * Reads an enrollment token (POST …/AccessTokens) WITHOUT verifying it: it is signed with Verity's
 * own secret, which a device never has; Verity checks it when the device presents it.
 */
export function readEnrollmentToken(token: string): EnrollmentInfo {
  let claims: Record<string, unknown>;
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
    claims = decodeJwt(token);
  } catch {
    throw new AuthenticatorError('the enrollment token is not a JWT (expected the "token" of POST /v2/Services/{VA}/AccessTokens, or an otpauth:// URI)', { exitCode: 2 });
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (typ !== JWT_TYPES.enrollment || !audience.includes(ENROLLMENT_AUDIENCE)) {
    throw new AuthenticatorError(`the token is not a Verity enrollment token (expected typ ${JWT_TYPES.enrollment}, aud ${ENROLLMENT_AUDIENCE})`, { exitCode: 2 });
  }
  const text = (name: string): string => {
    const value = claims[name];
    if (typeof value !== 'string' || value === '') throw new AuthenticatorError(`the enrollment token has no "${name}" claim`, { exitCode: 2 });
    return value;
  };
  return {
    verity_url: text('verity_url'),
    sub: text('sub'),
    service_sid: text('service_sid'),
    service_name: typeof claims.service_name === 'string' ? claims.service_name : '',
    factor_friendly_name: typeof claims.factor_friendly_name === 'string' ? claims.factor_friendly_name : '',
    exp: typeof claims.exp === 'number' ? claims.exp : 0,
  };
}
