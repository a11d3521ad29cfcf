import type { IncomingHttpHeaders } from 'node:http';
import { constantTimeEqual, keyedDigest } from '../crypto/digest.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { parseOrigin } from '../http/cross-site-guard.ts';

/**
 * The two checks every form post of the console passes (OWASP CSRF cheat sheet: a synchronizer token,
 * plus verifying the source origin with standard headers).
 */

/**
 * The CSRF token of a signed-in session's forms: an HMAC of the session's handle under a key derived
 * from the master key. Bound to that one session (another session, or the same operator's next one,
 * has another token), unchanged by id rotation (open tabs keep working), gone with the session, and
 * not computable from the database alone.
 */
export function sessionCsrfToken(keyring: Keyring, sessionSid: string): string {
  return keyedDigest(keyring.derive('admin-forms'), 'session-csrf', sessionSid).toString('base64url');
}

/**
 * The sign-in form's token (there is no session yet): an HMAC of the random value of the sign-in
 * cookie, which a page of another site can neither read nor set (HttpOnly, SameSite=Strict), so it
 * cannot sign the operator in to an account of its choosing (login CSRF).
 */
export function signInCsrfToken(keyring: Keyring, nonce: string): string {
  return keyedDigest(keyring.derive('admin-forms'), 'sign-in-csrf', nonce).toString('base64url');
}

/** Constant-time comparison of a posted token with the expected one. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 128) return false;
  return constantTimeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * True when the browser says this post comes from a page of Verity's own origin: `Sec-Fetch-Site:
 * same-origin` (every current browser sends it), or, from browsers without Fetch Metadata, an
 * `Origin` equal to Verity's public origin. A post with neither, with `Sec-Fetch-Site` of any other
 * value, or with a malformed or `null` Origin is refused (the console is for browsers only).
 */
export function isSameOriginPost(headers: IncomingHttpHeaders, ownOrigin: string): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  return parseOrigin(headers.origin) === ownOrigin;
}
