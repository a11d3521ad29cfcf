// The device side of Verity's push protocol (docs/push.md), with WebCrypto: the browser twin of
// src/factors/push/device-signing.ts and push-protocol.ts. Keep the header types, claims and digest
// in step with those files; the browser test checks this module against the server.
/* global TextEncoder, TextDecoder, btoa, atob */

export const DEVICE_AUDIENCE = 'verity-device';
export const JWT_TYPES = {
  device: 'verity-device+jwt',
  factorVerification: 'verity-factor-verification+jwt',
  pushResponse: 'verity-push-response+jwt',
};
/** A device token lives at most this long; the challenge stream ends when its token expires. */
export const MAX_DEVICE_TOKEN_SECONDS = 300;

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' };
const ES256 = { name: 'ECDSA', hash: 'SHA-256' };

const nowSeconds = () => Math.floor(Date.now() / 1000);

function bytesToBinary(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return binary;
}

export const base64 = (bytes) => btoa(bytesToBinary(new Uint8Array(bytes)));
export const base64url = (bytes) => base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const base64urlText = (text) => base64url(new TextEncoder().encode(text));

/** The claims of a JWT, unverified (the enrollment token is Verity's to check; the page only shows them). */
export function jwtClaims(token) {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const text = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  const claims = JSON.parse(text);
  if (typeof claims !== 'object' || claims === null) throw new Error('not a JWT');
  return claims;
}

/**
 * RFC 8785 canonical JSON for the values a challenge's details hold: objects (keys sorted by UTF-16
 * code units, which is what the default sort compares), arrays, strings, null, booleans and integers.
 */
export function canonicalize(value) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('only integers are canonicalised here');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalize(value[key])}`).join(',')}}`;
  }
  throw new TypeError(`cannot canonicalise a ${typeof value}`);
}

/** base64url(SHA-256(canonical JSON of `value`)): binds an answer to what the device showed. */
export async function digestOf(value) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalize(value))));
}

/**
 * A new P-256 key pair whose private key cannot be exported, even by this page; `publicKey` is the
 * base64 DER SPKI that `Binding.PublicKey` takes.
 */
export async function generateDeviceKey() {
  const keys = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  return { keys, publicKey: base64(await crypto.subtle.exportKey('spki', keys.publicKey)) };
}

/** A compact JWS. WebCrypto's ECDSA signature is r‖s (64 bytes), exactly the JWS ES256 form. */
export async function signJws(privateKey, header, payload) {
  const input = `${base64urlText(JSON.stringify(header))}.${base64urlText(JSON.stringify(payload))}`;
  const signature = await crypto.subtle.sign(ES256, privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(signature)}`;
}

/** A short-lived token that authenticates the page to /device/v1 as `factorSid`. */
export function signDeviceToken(privateKey, factorSid, lifetimeSeconds = 60, now = nowSeconds()) {
  const exp = now + Math.min(lifetimeSeconds, MAX_DEVICE_TOKEN_SECONDS);
  return signJws(privateKey, { alg: 'ES256', kid: factorSid, typ: JWT_TYPES.device }, { sub: factorSid, aud: DEVICE_AUDIENCE, iat: now, exp });
}

/** Proof of possession that verifies a new push factor. */
export function signFactorVerification(privateKey, factorSid, now = nowSeconds()) {
  return signJws(privateKey, { alg: 'ES256', kid: factorSid, typ: JWT_TYPES.factorVerification }, { factor_sid: factorSid, status: 'verified', iat: now });
}

/** The claims that answer `challenge` (pushResponseClaims in push-protocol.ts). */
export async function pushResponseClaims(challenge, status, number, now = nowSeconds()) {
  return {
    challenge_sid: challenge.sid,
    factor_sid: challenge.factor_sid,
    status,
    details_sha256: await digestOf(challenge.details),
    hidden_details_sha256: challenge.hidden_details === null ? null : await digestOf(challenge.hidden_details),
    ...(number === undefined ? {} : { number }),
    iat: now,
  };
}

/** The AuthPayload that approves or denies `challenge`. */
export async function signPushResponse(privateKey, challenge, status, number, now = nowSeconds()) {
  return signJws(privateKey, { alg: 'ES256', kid: challenge.factor_sid, typ: JWT_TYPES.pushResponse }, await pushResponseClaims(challenge, status, number, now));
}
