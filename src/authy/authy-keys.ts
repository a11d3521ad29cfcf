import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { constantTimeEqual } from '../crypto/digest.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { AuthyAppRow, ServiceRow } from '../store/schema.ts';

type AuthyKeysDeps = Pick<AppContext, 'clock' | 'keyring' | 'stores'>;

/**
 * An Authy API key: 192 random bits, 32 URL-safe characters (Authy's keys are 32 characters too, and
 * the npm client puts them in the query string unescaped).
 */
const newApiKey = (): string => randomBytes(24).toString('base64url');

/**
 * The lookup digest. A plain SHA-256 is enough for a 192-bit random key (nothing to brute-force) and,
 * unlike a keyed digest, survives a master-key rotation; the key itself is sealed for signing callbacks.
 */
const keyDigest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const sealContext = (appSid: string): string => `authy-app:${appSid}`;

/** The numeric `app_id` Authy answers: stable, derived from the app's sid. */
export const appIdOf = (app: Pick<AuthyAppRow, 'sid'>): number => Number.parseInt(app.sid.slice(2, 10), 16);

/**
 * Creates the service's Authy application with a new key, or replaces the key of the one it has
 * (rotation: the old key stops working at once; users and their ids stay). The key is returned only here.
 */
export async function issueAuthyKey(ctx: AuthyKeysDeps, service: ServiceRow, options: { callbackUrl?: string | null | undefined } = {}): Promise<{ app: AuthyAppRow; apiKey: string; created: boolean }> {
  const apiKey = newApiKey();
  const now = ctx.clock.now();
  const existing = await ctx.stores.authyApps.findByService(service.sid);
  const sid = existing?.sid ?? newSid('AY');
  const keyFields = { key_digest: keyDigest(apiKey), secret_sealed: seal(ctx.keyring, apiKey, sealContext(sid)), date_updated: now };
  if (!existing) {
    const row: AuthyAppRow = { sid, service_sid: service.sid, account_sid: service.account_sid, ...keyFields, onetouch_callback_url: options.callbackUrl ?? null, next_user_id: 1, date_created: now };
    if (await ctx.stores.authyApps.insert(row)) return { app: row, apiKey, created: true };
    // A concurrent create won: rotate that one.
    return issueAuthyKey(ctx, service, options);
  }
  let app = await ctx.stores.authyApps.setKey(service.sid, keyFields);
  if (app && options.callbackUrl !== undefined) app = await ctx.stores.authyApps.setCallbackUrl(service.sid, options.callbackUrl, now);
  if (!app) throw new Error('authy app vanished during rotation');
  return { app, apiKey, created: false };
}

/** Removes the key (the Authy API of the service answers 60001 until a new one is issued). */
export async function revokeAuthyKey(ctx: AuthyKeysDeps, service: ServiceRow): Promise<AuthyAppRow | undefined> {
  return ctx.stores.authyApps.setKey(service.sid, { key_digest: null, secret_sealed: null, date_updated: ctx.clock.now() });
}

/** The app whose key this is, or undefined; the digest is compared in constant time after the lookup. */
export async function authenticateAuthyKey(ctx: Pick<AppContext, 'stores'>, presented: string): Promise<AuthyAppRow | undefined> {
  if (presented.length === 0 || presented.length > 128) return undefined;
  const digest = keyDigest(presented);
  const app = await ctx.stores.authyApps.findByKeyDigest(digest);
  if (!app?.key_digest) return undefined;
  return constantTimeEqual(Buffer.from(app.key_digest, 'utf8'), Buffer.from(digest, 'utf8')) ? app : undefined;
}

/** The app's API key in clear, to sign a OneTouch callback; undefined when it has none. */
export function openAuthyKey(keyring: Keyring, app: Pick<AuthyAppRow, 'sid' | 'secret_sealed'>): string | undefined {
  return app.secret_sealed === null ? undefined : unseal(keyring, app.secret_sealed, sealContext(app.sid));
}
