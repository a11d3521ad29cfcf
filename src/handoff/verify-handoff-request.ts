import { compactVerify, createLocalJWKSet, importJWK, decodeJwt, decodeProtectedHeader, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import type { AppContext } from '../context.ts';
import { DomainError, isRefusal } from '../errors/domain-error.ts';
import type { HandoffClientRow } from '../store/schema.ts';
import {
  displayNameClaim,
  E164,
  HANDOFF_CLOCK_SKEW_SECONDS,
  HANDOFF_FACTORS,
  HANDOFF_PURPOSES,
  HANDOFF_REQUEST_TYPE,
  MAX_HANDOFF_TOKEN_SECONDS,
  MAX_STATE_LENGTH,
  type HandoffFactor,
  type HandoffRequest,
} from './handoff-claims.ts';
import { clientReturnUrls, clientSecretKey, HANDOFF_CLIENT_SID } from './handoff-clients.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type VerifyHandoffRequestDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'stores'>;

const malformed = (why: string): DomainError => new DomainError('handoff_request_malformed', `Hand-off request malformed: ${why}`);

/**
 * Verifies an application's hand-off request (a JWT, RFC 7519) and accepts it once.
 *
 * Checks, each with its own error: the token's form (64101), the client named by `iss` or the
 * header `kid` (64102), the signature with the client's HS256 secret or a key of its JWKS, only in the
 * client's algorithm (64103), `aud` = VERITY_PUBLIC_URL (64106), `exp` (64104), a lifetime of at most
 * 120 s (64105), `iat` not in the future (64109), the claims (64101; an optional `phone` must be E.164, an optional `name` a display name (displayNameClaim), an optional `allow_remove_last` a boolean, an optional `purpose` `authenticate`, `enroll` or `identify`, the last without `sub` and with `passkeys`), `return_to` among the client's
 * return URLs (64108), and last the single use of `jti` (64107), so a refused token spends nothing.
 *
 * @example
 * const request = await verifyHandoffRequest(ctx, query.request);
 * // …run request.factors for request.subject, then:
 * const result = await issueHandoffResult(ctx, request, { amr: ['otp'], authTime: ctx.clock.now() });
 */

/** A BCP 47 language tag, loosely (RFC 5646 §2.1): `de`, `pt-BR`, `zh-Hant-TW`. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$/;
export async function verifyHandoffRequest(ctx: VerifyHandoffRequestDeps, token: string): Promise<HandoffRequest> {
  if (typeof token !== 'string' || token.length > 8192) throw malformed('expected a compact JWS of at most 8192 characters');
  let header: ProtectedHeaderParameters;
  let unverified: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    throw malformed('expected a compact JWS');
  }
  if (header.typ !== undefined && header.typ !== HANDOFF_REQUEST_TYPE && header.typ !== 'JWT') throw malformed(`typ must be ${HANDOFF_REQUEST_TYPE}`);

  const client = await findClient(ctx, unverified.iss, header.kid);
  const payload = await verifySignature(ctx, client, token);

  // RFC 7519 §4.1.3: the audience MUST identify this Verity, else the token is rejected.
  const audience = payload.aud;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.includes(ctx.config.publicUrl)) throw new DomainError('handoff_audience_wrong', 'Hand-off request audience wrong: aud must be this Verity\'s public URL');

  const now = Math.floor(ctx.clock.now() / 1000);
  const exp = numericDate(payload.exp, 'exp');
  const iat = numericDate(payload.iat, 'iat');
  // RFC 7519 §4.1.4: the token MUST NOT be accepted on or after its expiration time.
  if (exp <= now) throw new DomainError('handoff_request_expired', 'Hand-off request expired: build a fresh request');
  if (exp - iat > MAX_HANDOFF_TOKEN_SECONDS || exp > now + MAX_HANDOFF_TOKEN_SECONDS + HANDOFF_CLOCK_SKEW_SECONDS) {
    throw new DomainError('handoff_lifetime_too_long', `Hand-off request lifetime too long: at most ${MAX_HANDOFF_TOKEN_SECONDS} s`);
  }
  if (iat > now + HANDOFF_CLOCK_SKEW_SECONDS) throw new DomainError('handoff_request_not_yet_valid', 'Hand-off request not yet valid: iat lies in the future');

  const identify = payload.purpose === 'identify';
  // identify: the passkey names the user, so a request naming one is a mistake of the application.
  if (identify && payload.sub !== undefined) throw malformed('a request with purpose identify must not carry sub: the passkey names the user');
  const subject = identify ? '' : boundedString(payload.sub, 'sub', 1, 256);
  const jti = boundedString(payload.jti, 'jti', 8, 256);
  const state = boundedString(payload.state, 'state', 1, MAX_STATE_LENGTH);
  const returnTo = boundedString(payload.return_to, 'return_to', 1, 2048);
  const acr = payload.acr === undefined ? undefined : boundedString(payload.acr, 'acr', 1, 256);
  const factors = factorList(payload.factors);
  const factorOrder = payload.factor_order === undefined ? undefined : factorList(payload.factor_order, 'factor_order');
  const phone = payload.phone === undefined ? undefined : boundedString(payload.phone, 'phone', 8, 16);
  const uiLocales = payload.ui_locales === undefined ? undefined : boundedString(payload.ui_locales, 'ui_locales', 1, 256).split(' ').filter((tag) => tag !== '');
  if (uiLocales !== undefined && !uiLocales.every((tag) => LANGUAGE_TAG.test(tag))) throw malformed('ui_locales must be space-separated language tags such as "de fr"');
  if (phone !== undefined && !E164.test(phone)) throw malformed('phone must be an E.164 number such as +14155550123');
  const displayName = payload.name === undefined ? undefined : displayNameClaim(payload.name);
  if (displayName !== undefined && 'why' in displayName) throw malformed(displayName.why);
  if (payload.allow_remove_last !== undefined && typeof payload.allow_remove_last !== 'boolean') throw malformed('allow_remove_last must be true or false');
  const allowRemoveLast = payload.allow_remove_last === true;
  if (payload.purpose !== undefined && !(HANDOFF_PURPOSES as readonly unknown[]).includes(payload.purpose)) throw malformed(`purpose must be one of ${HANDOFF_PURPOSES.join(', ')}`);
  const enroll = payload.purpose === 'enroll';
  if (identify && !factors.includes('passkeys')) throw malformed('a request with purpose identify must list passkeys in factors');
  if (!clientReturnUrls(client).includes(returnTo)) throw new DomainError('handoff_return_url_not_allowed', 'Hand-off return URL not allowed: return_to must equal one of the client\'s return URLs');

  // Spent until it expires; afterwards `exp` refuses it anyway. Namespaced per client: jti values are the client's.
  if (!(await ctx.stores.spentTokens.spend(`handoff:${client.sid}:${jti}`, exp * 1000))) {
    throw new DomainError('handoff_request_replayed', 'Hand-off request replayed: each request is accepted once');
  }
  return { clientSid: client.sid, serviceSid: client.service_sid, subject, state, returnTo, factors, ...(factorOrder !== undefined ? { factorOrder } : {}), acr, ...(phone !== undefined ? { phone } : {}), ...(uiLocales !== undefined ? { uiLocales } : {}), ...(displayName !== undefined ? { displayName: displayName.name } : {}), ...(allowRemoveLast ? { allowRemoveLast } : {}), ...(enroll ? { purpose: 'enroll' as const } : {}), ...(identify ? { purpose: 'identify' as const } : {}), jti, issuedAt: iat, expiresAt: exp };
}

async function findClient(ctx: VerifyHandoffRequestDeps, iss: unknown, kid: string | undefined): Promise<HandoffClientRow> {
  const named = typeof iss === 'string' ? iss : kid;
  const unknown = new DomainError('handoff_client_unknown', 'Hand-off client unknown: iss must be the sid of a hand-off client');
  if (named === undefined || !HANDOFF_CLIENT_SID.test(named)) throw unknown;
  const client = await ctx.stores.handoffClients.get(named);
  if (!client) throw unknown;
  return client;
}

async function verifySignature(ctx: VerifyHandoffRequestDeps, client: HandoffClientRow, token: string): Promise<Record<string, unknown>> {
  const algorithms = [client.algorithm];
  try {
    const { payload } =
      client.algorithm === 'HS256'
        ? await compactVerify(token, clientSecretKey(ctx, client), { algorithms })
        : await compactVerify(token, clientKeys(client), { algorithms });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw malformed('the payload must be a JSON object');
    return claims as Record<string, unknown>;
  } catch (error) {
    if (isRefusal(error)) throw error;
    throw new DomainError('handoff_signature_invalid', `Hand-off request signature invalid: expected ${client.algorithm} with the client's ${client.algorithm === 'HS256' ? 'secret' : 'keys'}`, { cause: error });
  }
}

/**
 * The client's JWKS as a key resolver. A header `kid` picks the key; a `kid` that is the client sid
 * (or none) names the client rather than a key, which is unambiguous only with a single key.
 */
function clientKeys(client: HandoffClientRow): JWTVerifyGetKey {
  const jwks = client.jwks ?? { keys: [] };
  const byKid = createLocalJWKSet(jwks);
  const [only] = jwks.keys;
  return async (header, token) => {
    if ((header.kid === undefined || header.kid === client.sid) && jwks.keys.length === 1 && only) return importJWK(only, client.algorithm);
    return byKid(header, token);
  };
}

function numericDate(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw malformed(`${name} must be a NumericDate`);
  return value;
}

function boundedString(value: unknown, name: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) throw malformed(`${name} must be a string of ${min} to ${max} characters`);
  return value;
}

function factorList(value: unknown, name = 'factors'): HandoffFactor[] {
  if (!Array.isArray(value) || value.length === 0) throw malformed(`${name} must be a non-empty array`);
  const allowed = HANDOFF_FACTORS as readonly unknown[];
  if (!value.every((f) => allowed.includes(f))) throw malformed(`${name} must be among ${HANDOFF_FACTORS.join(', ')}`);
  return [...new Set(value as HandoffFactor[])];
}

/**
 * For the error page of a refused request, what a way back to the application needs: the client,
 * its name, the request's `return_to`, `state`, `sub` and `jti`, only when the token is genuinely
 * the client's (signature verified) and `return_to` is one of the client's return URLs. Undefined otherwise.
 */
export async function trustedRefusalTarget(
  ctx: VerifyHandoffRequestDeps,
  token: string,
): Promise<{ clientSid: string; appName: string; returnTo: string; state: string; subject: string | undefined; jti: string | undefined } | undefined> {
  try {
    const header = decodeProtectedHeader(token);
    const client = await findClient(ctx, decodeJwt(token).iss, header.kid);
    const payload = await verifySignature(ctx, client, token);
    const { return_to: returnTo, state, sub, jti } = payload;
    if (typeof returnTo !== 'string' || !clientReturnUrls(client).includes(returnTo)) return undefined;
    if (typeof state !== 'string' || state.length === 0 || state.length > MAX_STATE_LENGTH) return undefined;
    return { clientSid: client.sid, appName: client.friendly_name, returnTo, state, subject: typeof sub === 'string' ? sub : undefined, jti: typeof jti === 'string' ? jti : undefined };
  } catch {
    return undefined;
  }
}
