import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The contract between Verity and a push device (the CLI authenticator, the virtual phone, a
 * mobile app): token audiences and types, the device's view of a challenge, and the claims a device
 * signs. Both sides import this module, so they cannot drift apart. See docs/push.md.
 */

/** `aud` of an enrollment token (an AccessToken `YK`), signed by Verity. */
export const ENROLLMENT_AUDIENCE = 'verity-enrollment';
/** `aud` of a device token, signed by the device key; it authenticates calls to /device/v1. */
export const DEVICE_AUDIENCE = 'verity-device';

/** JWS `typ` headers: a token made for one use is refused for another. */
export const JWT_TYPES = {
  enrollment: 'verity-enrollment+jwt',
  device: 'verity-device+jwt',
  factorVerification: 'verity-factor-verification+jwt',
  pushResponse: 'verity-push-response+jwt',
} as const;

/** A device token may live at most this long (`exp - iat`); streams end when it expires. */
export const MAX_DEVICE_TOKEN_SECONDS = 300;
/** Signed statements (`iat`) older or further in the future than this are refused. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

export interface ChallengeField {
  label: string;
  value: string;
}

/** A challenge's `details`, exactly as Verity returns it (the hosted API's shape). */
export interface ChallengeDetails {
  message: string | null;
  date: string | null;
  fields: ChallengeField[];
}

/** What a device sees of a challenge (never the number to match: the user reads it off the login page). */
export interface DeviceChallenge {
  sid: string;
  factor_sid: string;
  service_sid: string;
  service_name: string;
  identity: string;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  details: ChallengeDetails;
  hidden_details: Record<string, string> | null;
  /** When true the response must carry the two-digit number shown on the login page. */
  number_match_required: boolean;
  expiration_date: string;
  date_created: string;
  url: string;
}

/** Claims of the enrollment token returned by POST …/AccessTokens. */
export interface EnrollmentClaims {
  iss: string;
  aud: typeof ENROLLMENT_AUDIENCE;
  sub: string;
  jti: string;
  account_sid: string;
  service_sid: string;
  service_name: string;
  factor_type: 'push';
  factor_friendly_name: string;
  /** What the device shows as the account (a display name; `sub` is an id, not for people). Absent in tokens issued before it existed. */
  account_name?: string;
  /** Verity's public origin, where the device API is. */
  verity_url: string;
  iat: number;
  exp: number;
}

/** Payload the device signs to prove it holds the key it bound (verifies the factor). */
export interface FactorVerificationClaims {
  factor_sid: string;
  status: 'verified';
  iat: number;
}

/** Payload the device signs to answer a challenge (AuthPayload of the response). */
export interface PushResponseClaims {
  challenge_sid: string;
  factor_sid: string;
  status: 'approved' | 'denied';
  /** digestOf(challenge.details): binds the answer to the amount, payee, … the user saw. */
  details_sha256: string;
  /** digestOf(challenge.hidden_details), or null when the challenge has none. */
  hidden_details_sha256: string | null;
  /** The two-digit number the user entered; required to approve when number matching is on. */
  number?: string;
  iat: number;
}

/** base64url(SHA-256(RFC 8785 canonical JSON of `value`)). */
export function digestOf(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** The claims a device signs to answer `challenge` with `status`. */
export function pushResponseClaims(challenge: DeviceChallenge, status: 'approved' | 'denied', number: string | undefined, nowSeconds: number): PushResponseClaims {
  return {
    challenge_sid: challenge.sid,
    factor_sid: challenge.factor_sid,
    status,
    details_sha256: digestOf(challenge.details),
    hidden_details_sha256: challenge.hidden_details === null ? null : digestOf(challenge.hidden_details),
    ...(number === undefined ? {} : { number }),
    iat: nowSeconds,
  };
}
