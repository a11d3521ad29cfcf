import { createLocalJWKSet, errors, importJWK, jwtVerify, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { FetchLike } from './http.ts';

/**
 * The application's half of Verity's signed hand-off: build the signed request that sends a user to
 * Verity for their second factor, and verify the signed result Verity sends back. Uses `jose`, so it
 * runs in Node 20 and in browsers (WebCrypto); sign requests only where the key is safe (a server).
 */

export const HANDOFF_FACTOR_TYPES = ['totp', 'push', 'voiceprint', 'recovery_code', 'sms', 'call', 'email', 'passkeys', 'flashcall'] as const;
export type HandoffFactorType = (typeof HANDOFF_FACTOR_TYPES)[number];

const REQUEST_TYPE = 'verity-handoff-request+jwt';
const RESULT_TYPE = 'verity-handoff-result+jwt';
/** Verity refuses requests that live longer, and its results live this long. */
const MAX_TTL_SECONDS = 120;

export interface BuildHandoffRequestOptions {
  /** Verity's public URL (VERITY_PUBLIC_URL), e.g. `https://verity.example.com`: the request's audience. */
  verityUrl: string;
  /** The hand-off client's sid (`HC…`). */
  clientSid: string;
  /** HS256 clients: the secret returned when the client was created. */
  secret?: string;
  /** ES256 / EdDSA clients: the private JWK of a key whose public half is in the client's JWKS. */
  privateJwk?: JWK;
  /** The entity identity the second factor is for; omitted (and only then) for `purpose: 'identify'`. */
  subject?: string;
  /** Your opaque value (at most 512 characters), bound to the browser session; it comes back as the result's `nonce`. */
  state: string;
  /** Where Verity sends the user back: exactly one of the client's return URLs. */
  returnTo: string;
  /** The factor types the user may use. */
  factors: readonly HandoffFactorType[];
  acr?: string;
  /**
   * The user's phone number (E.164, e.g. `+14155550123`) that you trust: with `sms` or `call` in
   * `factors`, Verity offers to send a code to it (showing only its last 2 digits); with `call`, also
   * to approve with a call (press the digits shown); with `flashcall`, a flash call.
   */
  phone?: string;
  /**
   * `authenticate` (default): a second factor. `enroll`: Verity's enrollment hub, where the user adds
   * factors (after a second factor when they already have one); the result may carry `phoneNumber`.
   * `identify`: usernameless "Sign in with a passkey" (give no `subject`, and `passkeys` in `factors`);
   * the result's `subject` is the user the passkey belongs to: look your user up by it.
   */
  purpose?: 'authenticate' | 'enroll' | 'identify';
  /** The languages you prefer for Verity's pages, in order (BCP 47, e.g. `['de', 'en']`); else the browser's. */
  uiLocales?: readonly string[];
  /**
   * The user's name as people should see it (sent as the OIDC `name` claim), e.g. their username
   * `alice` or `Alice Martin`: the account label in their authenticator app (`Issuer:alice`), their
   * passkey manager (WebAuthn `user.name` / `user.displayName`) and their push device. A label only:
   * the user stays `subject`. 1 to 64 characters, without control, format or bidirectional
   * characters (Verity refuses the request otherwise). Without it, those labels show the method's
   * name (e.g. "Acme authenticator"), never `subject`.
   */
  displayName?: string;
  /**
   * `purpose: 'enroll'`: let the user remove their last sign-in method on Verity's hub (your
   * application has another way to sign them in). Default false: the hub refuses, with a message.
   */
  allowRemoveLast?: boolean;
  /** `factor_order`: the order the chooser should offer the methods in (first = recommended); unlisted ones follow in Verity's order. */
  factorOrder?: readonly HandoffFactorType[];
  /** Lifetime in seconds, 1–120 (default 60). */
  ttlSeconds?: number;
  /** Milliseconds since the epoch (for tests); defaults to `Date.now()`. */
  now?: number;
}

/**
 * Signs a hand-off request and returns the URL of Verity's hosted page to redirect the user to.
 *
 * @example
 * const url = await buildHandoffRequestUrl({ verityUrl, clientSid: 'HC…', secret, subject: 'user-1234',
 *   state: session.state, returnTo: 'https://app.example.com/mfa/done', factors: ['totp', 'push'] });
 * response.redirect(url);
 */
export async function buildHandoffRequestUrl(options: BuildHandoffRequestOptions): Promise<string> {
  const verityUrl = options.verityUrl.replace(/\/+$/, '');
  const ttl = options.ttlSeconds ?? 60;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  if (options.state.length === 0 || options.state.length > 512) throw new RangeError('state must have 1 to 512 characters');
  if (options.phone !== undefined && !/^\+[1-9][0-9]{6,14}$/.test(options.phone)) throw new RangeError('phone must be an E.164 number such as +14155550123');
  if (options.displayName !== undefined) checkDisplayName(options.displayName);
  if (options.allowRemoveLast !== undefined && typeof options.allowRemoveLast !== 'boolean') throw new TypeError('allowRemoveLast must be a boolean');
  if (options.purpose !== undefined && options.purpose !== 'authenticate' && options.purpose !== 'enroll' && options.purpose !== 'identify') throw new RangeError('purpose must be authenticate, enroll or identify');
  const identify = options.purpose === 'identify';
  if (identify && options.subject !== undefined) throw new RangeError('purpose identify takes no subject: the passkey names the user');
  if (!identify && (options.subject === undefined || options.subject === '')) throw new RangeError('subject is required (it may be omitted only for purpose identify)');
  if (identify && !options.factors.includes('passkeys')) throw new RangeError('purpose identify needs passkeys in factors');
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  let key: Uint8Array | CryptoKey;
  let alg: 'HS256' | 'ES256' | 'EdDSA';
  let kid: string;
  if (options.secret !== undefined && options.privateJwk === undefined) {
    key = new TextEncoder().encode(options.secret);
    alg = 'HS256';
    kid = options.clientSid;
  } else if (options.privateJwk !== undefined && options.secret === undefined) {
    const jwk = options.privateJwk;
    if (jwk.kty === 'EC' && jwk.crv === 'P-256') alg = 'ES256';
    else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') alg = 'EdDSA';
    else throw new TypeError('privateJwk must be an EC P-256 or OKP Ed25519 private key');
    key = (await importJWK(jwk, alg)) as CryptoKey;
    kid = jwk.kid ?? options.clientSid;
  } else {
    throw new TypeError('give either secret (HS256) or privateJwk (ES256/EdDSA)');
  }
  const token = await new SignJWT({ ...(options.subject !== undefined ? { sub: options.subject } : {}), state: options.state, return_to: options.returnTo, factors: [...options.factors], ...(options.factorOrder?.length ? { factor_order: [...options.factorOrder] } : {}), ...(options.acr !== undefined ? { acr: options.acr } : {}), ...(options.phone !== undefined ? { phone: options.phone } : {}), ...(options.purpose !== undefined ? { purpose: options.purpose } : {}), ...(options.uiLocales?.length ? { ui_locales: options.uiLocales.join(' ') } : {}), ...(options.displayName !== undefined ? { name: options.displayName.normalize('NFC').trim() } : {}), ...(options.allowRemoveLast === true ? { allow_remove_last: true } : {}) })
    .setProtectedHeader({ alg, kid, typ: REQUEST_TYPE })
    .setIssuer(options.clientSid)
    .setAudience(verityUrl)
    .setJti(randomId())
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(key);
  return `${verityUrl}/handoff?request=${encodeURIComponent(token)}`;
}

/** Verity's rule for the `name` claim: control (C0, DEL, C1), format (bidirectional overrides, zero-width; not the joiners U+200C/U+200D), separator, private-use and surrogate characters. */
const DISPLAY_NAME_FORBIDDEN = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u;

function checkDisplayName(value: string): void {
  if (typeof value !== 'string') throw new TypeError('displayName must be a string');
  const name = value.normalize('NFC').trim();
  if (name.length === 0 || [...name].length > 64) throw new RangeError('displayName must have 1 to 64 characters');
  if (DISPLAY_NAME_FORBIDDEN.test(name)) throw new RangeError('displayName must not contain control, format or bidirectional characters');
}

/** Why a result was refused: switch on `code`, which is stable. */
export type HandoffResultErrorCode =
  | 'ERR_HANDOFF_MALFORMED'
  | 'ERR_HANDOFF_SIGNATURE'
  | 'ERR_HANDOFF_ISSUER'
  | 'ERR_HANDOFF_AUDIENCE'
  | 'ERR_HANDOFF_EXPIRED'
  | 'ERR_HANDOFF_STATE'
  | 'ERR_HANDOFF_SUBJECT'
  | 'ERR_HANDOFF_REPLAYED'
  | 'ERR_HANDOFF_JWKS_UNAVAILABLE';

/**
 * A refused hand-off result. Never log the token itself.
 *
 * @example
 * try { await verifyHandoffResult(options) } catch (e) {
 *   if (e instanceof HandoffResultError && e.code === 'ERR_HANDOFF_EXPIRED') restartLogin();
 * }
 */
export class HandoffResultError extends Error {
  override readonly name = 'HandoffResultError';
  constructor(
    readonly code: HandoffResultErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface VerifyHandoffResultOptions {
  /**
   * The `result` Verity appended to your return URL: after the factor, Verity's hosted page answers
   * `303` to `return_to?result=<jwt>&state=<state>` (a GET; existing query parameters are kept).
   */
  token: string;
  /** Verity's public URL: the expected `iss`. */
  verityUrl: string;
  /** Your client sid: the expected `aud`. */
  clientSid: string;
  /** The `state` you put in the request (from the user's session): the expected `nonce`. */
  expectedState: string;
  /** The subject you asked about; checked when given (do give it, except for `purpose: 'identify'`, where the result's `subject` tells you who signed in: look the user up by it). */
  expectedSubject?: string;
  /** Verity's JWKS; fetched from `${verityUrl}/.well-known/jwks.json` when absent (cached 5 min). */
  jwks?: JSONWebKeySet;
  /**
   * Single use: called with the result's `jti` and its expiry (ms) once everything else checked out;
   * answer true if you saw it before. Record it atomically (e.g. an INSERT that fails on a duplicate).
   */
  seenJti?: (jti: string, expiresAt: number) => boolean | Promise<boolean>;
  /** Milliseconds since the epoch (for tests); defaults to `Date.now()`. */
  now?: number;
  /** Allowed clock difference with Verity in seconds (default 30). */
  clockToleranceSeconds?: number;
  fetch?: FetchLike;
}

export interface HandoffResult {
  subject: string;
  /** RFC 8176 methods, e.g. `['otp']`, `['swk']`, `['vbm']`. */
  amr: string[];
  acr: string | undefined;
  /** When the user completed the factor (ms since the epoch). */
  authTime: number;
  jti: string;
  /** An enrollment hand-off only: the E.164 number the user verified there (by SMS or call). Store it and pass it as `phone` later. */
  phoneNumber?: string;
}

/**
 * Verifies a hand-off result: its ES256 signature with a key Verity publishes, `typ`, `iss` = Verity,
 * `aud` = your client, `exp`, `nonce` = your state, the subject, and (with `seenJti`) single use.
 *
 * @example
 * const result = await verifyHandoffResult({ token: query.result, verityUrl, clientSid: 'HC…',
 *   expectedState: session.state, expectedSubject: session.userId, seenJti: (jti, exp) => cache.seen(jti, exp) });
 * if (result.amr.includes('otp')) …
 */
export async function verifyHandoffResult(options: VerifyHandoffResultOptions): Promise<HandoffResult> {
  const verityUrl = options.verityUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now();
  let payload: JWTPayload;
  try {
    const keys = options.jwks ? createLocalJWKSet(options.jwks) : await remoteKeys(verityUrl, options.fetch, now);
    ({ payload } = await jwtVerify(options.token, keys, {
      algorithms: ['ES256'],
      typ: RESULT_TYPE,
      issuer: verityUrl,
      audience: options.clientSid,
      currentDate: new Date(now),
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['sub', 'jti', 'iat', 'exp', 'nonce', 'amr', 'auth_time'],
    }));
  } catch (error) {
    throw translate(error);
  }
  if (payload.nonce !== options.expectedState) throw new HandoffResultError('ERR_HANDOFF_STATE', 'the result does not answer this session\'s request (nonce is not the state)');
  if (options.expectedSubject !== undefined && payload.sub !== options.expectedSubject) throw new HandoffResultError('ERR_HANDOFF_SUBJECT', 'the result is about another subject');
  const amr = payload.amr;
  if (!Array.isArray(amr) || !amr.every((m) => typeof m === 'string') || typeof payload.auth_time !== 'number' || (payload.acr !== undefined && typeof payload.acr !== 'string')) {
    throw new HandoffResultError('ERR_HANDOFF_MALFORMED', 'amr, acr or auth_time is malformed');
  }
  const phoneNumber = payload.phone_number;
  if (phoneNumber !== undefined && (typeof phoneNumber !== 'string' || !/^\+[1-9][0-9]{6,14}$/.test(phoneNumber))) throw new HandoffResultError('ERR_HANDOFF_MALFORMED', 'phone_number must be an E.164 number');
  const jti = payload.jti as string;
  if (options.seenJti && (await options.seenJti(jti, (payload.exp as number) * 1000))) throw new HandoffResultError('ERR_HANDOFF_REPLAYED', 'this result was already used');
  return { subject: payload.sub as string, amr: amr as string[], acr: payload.acr as string | undefined, authTime: payload.auth_time * 1000, jti, ...(phoneNumber !== undefined ? { phoneNumber } : {}) };
}

function translate(error: unknown): HandoffResultError {
  if (error instanceof HandoffResultError) return error;
  if (error instanceof errors.JWTExpired) return new HandoffResultError('ERR_HANDOFF_EXPIRED', 'the result has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new HandoffResultError('ERR_HANDOFF_ISSUER', 'the result was not issued by this Verity', { cause: error });
    if (error.claim === 'aud') return new HandoffResultError('ERR_HANDOFF_AUDIENCE', 'the result is meant for another client', { cause: error });
    return new HandoffResultError('ERR_HANDOFF_MALFORMED', `the result's ${error.claim} claim is invalid`, { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new HandoffResultError('ERR_HANDOFF_SIGNATURE', 'the result is not signed by a key Verity publishes', { cause: error });
  }
  if (error instanceof JwksUnavailable) return new HandoffResultError('ERR_HANDOFF_JWKS_UNAVAILABLE', error.message, { cause: error });
  return new HandoffResultError('ERR_HANDOFF_MALFORMED', 'the result is not a valid JWT', { cause: error });
}

class JwksUnavailable extends Error {}

const JWKS_CACHE_MS = 5 * 60_000;
const jwksCache = new Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>();

/** Verity's published keys, cached; an unknown `kid` (a key rotated in since) refetches once. */
async function remoteKeys(verityUrl: string, fetchImpl: FetchLike | undefined, now: number): Promise<JWTVerifyGetKey> {
  const load = async (): Promise<JSONWebKeySet> => {
    const url = `${verityUrl}/.well-known/jwks.json`;
    let response: Response;
    try {
      response = await (fetchImpl ?? fetch)(url, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new JwksUnavailable(`could not fetch ${url}: ${String(error)}`);
    }
    if (!response.ok) throw new JwksUnavailable(`${url} answered ${response.status}`);
    const jwks = (await response.json()) as JSONWebKeySet;
    jwksCache.set(verityUrl, { jwks, fetchedAt: now });
    return jwks;
  };
  const cached = jwksCache.get(verityUrl);
  let current = cached && now - cached.fetchedAt < JWKS_CACHE_MS && now >= cached.fetchedAt ? cached.jwks : await load();
  let refetched = cached?.jwks !== current;
  return async (header, token) => {
    try {
      return await createLocalJWKSet(current)(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || refetched) throw error;
      refetched = true;
      current = await load();
      return createLocalJWKSet(current)(header, token);
    }
  };
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
