import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { AppContext } from '../context.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { HandoffSigningKeyRow } from '../store/schema.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type HandoffSigningKeysDeps = Pick<AppContext, 'clock' | 'keyring' | 'stores'>;

/** After a rotation the previous key stays published this long, so results it signed still verify. */
const HANDOFF_KEY_OVERLAP_MS = 24 * 3_600_000;

const keyContext = (kid: string): string => `handoff-key:${kid}`;

async function newKeyRow(ctx: HandoffSigningKeysDeps): Promise<HandoffSigningKeyRow> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // RFC 7638 thumbprint: a kid derived from the key itself, the same in every process.
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    private_jwk_sealed: seal(ctx.keyring, JSON.stringify(privateJwk), keyContext(kid)),
    public_jwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
    date_created: ctx.clock.now(),
    retired_at: null,
  };
}

/** The key that signs results now; the first is generated on first use. */
export async function currentHandoffKey(ctx: HandoffSigningKeysDeps): Promise<{ kid: string; privateKey: CryptoKey }> {
  const store = ctx.stores.handoffKeys;
  let row = await store.current();
  if (!row) {
    await store.insert(await newKeyRow(ctx));
    row = (await store.current()) as HandoffSigningKeyRow;
  }
  const jwk = JSON.parse(unseal(ctx.keyring, row.private_jwk_sealed, keyContext(row.kid))) as JWK;
  return { kid: row.kid, privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey };
}

/**
 * Makes a new current key; the previous ones stay published for `overlapMs` (24 h), then retire.
 *
 * @example
 * const { kid } = await rotateHandoffKeys(ctx); // e.g. from a scheduled job
 */
export async function rotateHandoffKeys(ctx: HandoffSigningKeysDeps, options: { overlapMs?: number } = {}): Promise<{ kid: string }> {
  const next = await newKeyRow(ctx);
  await ctx.stores.handoffKeys.rotate(next, ctx.clock.now() + (options.overlapMs ?? HANDOFF_KEY_OVERLAP_MS));
  return { kid: next.kid };
}

/** The JWKS (RFC 7517 §5) of every key not yet retired, newest first; creates the first key if none exists. */
export async function publishedHandoffJwks(ctx: HandoffSigningKeysDeps): Promise<{ keys: JWK[] }> {
  const store = ctx.stores.handoffKeys;
  let rows = await store.published(ctx.clock.now());
  if (rows.length === 0) {
    await currentHandoffKey(ctx);
    rows = await store.published(ctx.clock.now());
  }
  return { keys: rows.map((row) => row.public_jwk) };
}
