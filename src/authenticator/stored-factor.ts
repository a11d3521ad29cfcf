import { z } from 'zod';

/**
 * What the authenticator keeps in its store: push factors (a private key bound to a Verity factor)
 * and TOTP/HOTP secrets read from otpauth:// URIs. The schema is checked on every load, so a
 * hand-edited or truncated file is reported instead of crashing a command halfway.
 */

const privateJwk = z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), d: z.string() });

export const pushFactorEntrySchema = z.object({
  type: z.literal('push'),
  /** The factor SID (YF…) Verity gave it. */
  id: z.string().regex(/^YF[0-9a-zA-Z]+$/),
  name: z.string(),
  /** Verity's origin, where /device/v1 is. */
  server: z.url(),
  identity: z.string(),
  serviceSid: z.string(),
  serviceName: z.string(),
  /** The device key as a JWK; it never leaves this file. */
  privateKey: privateJwk,
  /** base64 DER SPKI, as bound on the server (shown by `list`, handy to compare with the server). */
  publicKey: z.string(),
  createdAt: z.string(),
});

const otpFactorEntrySchema = z.object({
  type: z.enum(['totp', 'hotp']),
  /** A local id (otp-…): these factors have no server-side SID the authenticator could know. */
  id: z.string().regex(/^otp-[0-9a-f]+$/),
  name: z.string(),
  issuer: z.string().nullable(),
  /** base32, as in the URI. */
  secret: z.string(),
  algorithm: z.enum(['sha1', 'sha256', 'sha512']),
  digits: z.number().int().min(3).max(8),
  /** TOTP time step in seconds. */
  period: z.number().int().positive().optional(),
  /** HOTP: the counter of the next code to show. */
  counter: z.number().int().nonnegative().optional(),
  createdAt: z.string(),
});

export const storeContentSchema = z.object({
  version: z.literal(1),
  factors: z.array(z.discriminatedUnion('type', [pushFactorEntrySchema, otpFactorEntrySchema])),
});

export type PushFactorEntry = z.infer<typeof pushFactorEntrySchema>;
export type OtpFactorEntry = z.infer<typeof otpFactorEntrySchema>;
export type StoredFactor = PushFactorEntry | OtpFactorEntry;
export type StoreContent = z.infer<typeof storeContentSchema>;

export const emptyStore = (): StoreContent => ({ version: 1, factors: [] });
