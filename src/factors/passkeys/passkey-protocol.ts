import { createHash } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { invalidParameter } from '../../errors/verity-error.ts';

/** WebAuthn ceremonies (registration, Verify challenge, usernameless sign-in) live five minutes. */
export const PASSKEY_CEREMONY_TTL_MS = 5 * 60_000;

/** The longest AuthPayload (a JSON RegistrationResponse or AuthenticationResponse) accepted. */
export const MAX_PASSKEY_PAYLOAD = 16_384;

/**
 * What a passkey factor's sealed binding holds: while unverified, the registration challenge and
 * its expiry; once verified, the credential (its counter lives in `passkey_credentials`).
 */
export type PasskeyBinding =
  | { registration: { challenge: string; user_id: string; expires_at: number } }
  | { credential: { id: string; public_key: string; transports: string[]; device_type: string; backed_up: boolean; aaguid: string } };

/** `config` of a passkey factor, as stored and returned (Verity's own shape). */
export interface PasskeyConfig {
  relying_party_id: string;
  transports: string[];
  credential_device_type: string | null;
}

/** Stored form of a WebAuthn challenge: its SHA-256 digest (base64url). */
export const challengeDigest = (challenge: string): string => createHash('sha256').update(challenge).digest('base64url');

function parseJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === '') throw invalidParameter('AuthPayload', 'required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidParameter('AuthPayload', 'expected the JSON of a WebAuthn PublicKeyCredential (toJSON())');
  return value as Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `AuthPayload` as a RegistrationResponseJSON (navigator.credentials.create(), then toJSON()). */
export function parseRegistrationResponse(text: string | undefined): RegistrationResponseJSON {
  const value = parseJson(text);
  const r = value['response'];
  if (typeof value['id'] !== 'string' || value['type'] !== 'public-key' || !isRecord(r) || typeof r['clientDataJSON'] !== 'string' || typeof r['attestationObject'] !== 'string') {
    throw invalidParameter('AuthPayload', 'expected a RegistrationResponseJSON {id, rawId, type:"public-key", response:{clientDataJSON, attestationObject}}');
  }
  return value as unknown as RegistrationResponseJSON;
}

/** `AuthPayload` as an AuthenticationResponseJSON (navigator.credentials.get(), then toJSON()). */
export function parseAuthenticationResponse(text: string | undefined): AuthenticationResponseJSON {
  const value = parseJson(text);
  const r = value['response'];
  if (
    typeof value['id'] !== 'string' ||
    value['type'] !== 'public-key' ||
    !isRecord(r) ||
    typeof r['clientDataJSON'] !== 'string' ||
    typeof r['authenticatorData'] !== 'string' ||
    typeof r['signature'] !== 'string'
  ) {
    throw invalidParameter('AuthPayload', 'expected an AuthenticationResponseJSON {id, rawId, type:"public-key", response:{clientDataJSON, authenticatorData, signature, userHandle}}');
  }
  return value as unknown as AuthenticationResponseJSON;
}

/** The challenge the browser signed, read from clientDataJSON (checked again by the library). */
export function signedChallenge(response: AuthenticationResponseJSON): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof clientData.challenge === 'string' ? clientData.challenge : undefined;
  } catch {
    return undefined;
  }
}
