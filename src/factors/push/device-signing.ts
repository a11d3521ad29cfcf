import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey, type KeyObject } from 'jose';
import { DEVICE_AUDIENCE, JWT_TYPES, MAX_DEVICE_TOKEN_SECONDS, pushResponseClaims, type DeviceChallenge } from './push-protocol.ts';

/**
 * The device side of the push protocol: key generation and the three statements a device signs.
 * Used by the CLI authenticator and the tests; the server only verifies.
 */

type PrivateKey = CryptoKey | KeyObject;

/** A new P-256 key pair; `publicKey` is base64 DER (SPKI), the form `Binding.PublicKey` takes. */
export async function generateDeviceKey(): Promise<{ privateKey: PrivateKey; publicKey: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const pem = await exportSPKI(publicKey);
  return { privateKey, publicKey: pem.replace(/-----[A-Z ]+-----|\s/g, '') };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A short-lived token that authenticates the device to /device/v1 as `factorSid`. */
export async function signDeviceToken(privateKey: PrivateKey, factorSid: string, lifetimeSeconds = 120, now = nowSeconds()): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: factorSid, typ: JWT_TYPES.device })
    .setSubject(factorSid)
    .setAudience(DEVICE_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.min(lifetimeSeconds, MAX_DEVICE_TOKEN_SECONDS))
    .sign(privateKey);
}

/** Proof of possession that verifies a new push factor. */
export async function signFactorVerification(privateKey: PrivateKey, factorSid: string, now = nowSeconds()): Promise<string> {
  return new SignJWT({ factor_sid: factorSid, status: 'verified', iat: now })
    .setProtectedHeader({ alg: 'ES256', kid: factorSid, typ: JWT_TYPES.factorVerification })
    .sign(privateKey);
}

/** The AuthPayload that approves or denies `challenge`. */
export async function signPushResponse(privateKey: PrivateKey, challenge: DeviceChallenge, status: 'approved' | 'denied', number?: string, now = nowSeconds()): Promise<string> {
  return new SignJWT({ ...pushResponseClaims(challenge, status, number, now) })
    .setProtectedHeader({ alg: 'ES256', kid: challenge.factor_sid, typ: JWT_TYPES.pushResponse })
    .sign(privateKey);
}
