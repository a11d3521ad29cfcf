import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import { invalidParameter } from '../errors/verity-error.ts';
import type { HandoffClientRow } from '../store/schema.ts';
import { parseClientJwks } from './client-jwks.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type HandoffClientsDeps = Pick<AppContext, 'clock' | 'keyring' | 'stores'>;

export const HANDOFF_CLIENT_SID = /^HC[0-9a-f]{32}$/;
const MAX_RETURN_URLS = 10;

const secretContext = (sid: string): string => `handoff-client:${sid}`;

export interface CreateHandoffClientInput {
  accountSid: string;
  serviceSid: string;
  friendlyName: string;
  returnUrls: string[];
  /** The client's public JWKS (JSON); absent: an HS256 secret is generated. */
  jwks?: string | undefined;
}

/**
 * Checks one allowed return URL: absolute, https (http only for loopback development hosts), no
 * credentials and no fragment (RFC 6749 §3.1.2 forbids one on redirect URIs for the same reason).
 */
function checkReturnUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter('ReturnUrl', 'expected an absolute https URL');
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalidParameter('ReturnUrl', 'https required (http only for localhost and 127.0.0.1)');
  if (url.username || url.password) throw invalidParameter('ReturnUrl', 'must not contain credentials');
  if (url.hash || value.includes('#')) throw invalidParameter('ReturnUrl', 'must not contain a fragment');
  // Stored as given: `return_to` must match it character for character.
  return value;
}

/**
 * Registers an application. HS256 clients get a 256-bit secret, returned here once and stored sealed;
 * JWKS clients sign with their own keys and Verity keeps only the public ones.
 */
export async function createHandoffClient(ctx: HandoffClientsDeps, input: CreateHandoffClientInput): Promise<{ row: HandoffClientRow; secret: string | undefined }> {
  if (input.returnUrls.length === 0) throw invalidParameter('ReturnUrl', 'required');
  if (input.returnUrls.length > MAX_RETURN_URLS) throw invalidParameter('ReturnUrl', `at most ${MAX_RETURN_URLS}`);
  const returnUrls = [...new Set(input.returnUrls.map(checkReturnUrl))];
  const sid = newSid('HC');
  const now = ctx.clock.now();
  let secret: string | undefined;
  let row: HandoffClientRow;
  const common = { sid, account_sid: input.accountSid, service_sid: input.serviceSid, friendly_name: input.friendlyName, return_urls: returnUrls, date_created: now, date_updated: now };
  if (input.jwks !== undefined) {
    const { jwks, algorithm } = await parseClientJwks(input.jwks);
    row = { ...common, algorithm, secret_sealed: null, jwks };
  } else {
    secret = randomBytes(32).toString('base64url');
    row = { ...common, algorithm: 'HS256', secret_sealed: seal(ctx.keyring, secret, secretContext(sid)), jwks: null };
  }
  await ctx.stores.handoffClients.insert(row);
  return { row, secret };
}

export function clientReturnUrls(row: HandoffClientRow): string[] {
  return row.return_urls;
}

/** The HS256 key: the UTF-8 bytes of the secret as handed out, as JWT libraries take a string secret. */
export function clientSecretKey(ctx: HandoffClientsDeps, row: HandoffClientRow): Uint8Array {
  if (!row.secret_sealed) throw new Error(`handoff client ${row.sid} has no secret`);
  return new TextEncoder().encode(unseal(ctx.keyring, row.secret_sealed, secretContext(row.sid)));
}
