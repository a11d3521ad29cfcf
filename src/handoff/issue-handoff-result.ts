import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AppContext } from '../context.ts';
import { AMR_VALUES, HANDOFF_RESULT_TYPE, MAX_HANDOFF_TOKEN_SECONDS, type HandoffRequest } from './handoff-claims.ts';
import { currentHandoffKey } from './handoff-signing-keys.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type IssueHandoffResultDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'stores'>;

export interface HandoffOutcome {
  /** RFC 8176 methods used, e.g. `['otp']` for TOTP, `['sms']`, `['tel']`, `['swk']` for push, `['vbm']`. */
  amr: string[];
  acr?: string | undefined;
  /** When the user completed the factor, in milliseconds since the epoch (as `ctx.clock.now()`). */
  authTime: number;
  /** E.164 number the user verified on the enrollment hub, returned as `phone_number` for the application to keep. */
  phoneNumber?: string | undefined;
  /** The user a `purpose: 'identify'` sign-in discovered (the passkey's identity); such a request has no `sub` of its own. */
  subject?: string | undefined;
}

/**
 * Signs the result of a hand-off for the application (ES256, Verity's current key, header `kid`):
 * `iss` = VERITY_PUBLIC_URL, `aud` = the client sid, `sub`, `nonce` = the request's `state`, `amr`,
 * `acr`, `auth_time`, a fresh `jti`, `iat` and `exp` = now + 120 s.
 *
 * @example
 * const token = await issueHandoffResult(ctx, request, { amr: ['otp'], authTime: ctx.clock.now() });
 * redirect(`${request.returnTo}?result=${token}`);
 */
export async function issueHandoffResult(ctx: IssueHandoffResultDeps, request: HandoffRequest, outcome: HandoffOutcome): Promise<string> {
  const known = AMR_VALUES as readonly string[];
  if (outcome.amr.length === 0 || !outcome.amr.every((m) => known.includes(m))) throw new Error(`amr must be RFC 8176 values (${AMR_VALUES.join(', ')})`);
  // identify: the subject comes from the passkey, and only then; any other result is for the request's `sub`.
  const subject = request.purpose === 'identify' ? outcome.subject : request.subject;
  if (subject === undefined || subject === '' || (request.purpose !== 'identify' && outcome.subject !== undefined && outcome.subject !== request.subject)) {
    throw new Error('a result needs its subject: the request\'s sub, or for identify the discovered identity');
  }
  const { kid, privateKey } = await currentHandoffKey(ctx);
  const now = Math.floor(ctx.clock.now() / 1000);
  return new SignJWT({
    nonce: request.state,
    amr: [...new Set(outcome.amr)],
    ...(outcome.acr !== undefined ? { acr: outcome.acr } : {}),
    auth_time: Math.floor(outcome.authTime / 1000),
    ...(outcome.phoneNumber !== undefined ? { phone_number: outcome.phoneNumber } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid, typ: HANDOFF_RESULT_TYPE })
    .setIssuer(ctx.config.publicUrl)
    .setAudience(request.clientSid)
    .setSubject(subject)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(now)
    .setExpirationTime(now + MAX_HANDOFF_TOKEN_SECONDS)
    .sign(privateKey);
}

/** The JWT type of an error result (RFC 8725 §3.11): never taken for a result, a request or another Verity token. */
const HANDOFF_ERROR_TYPE = 'verity-handoff-error+jwt';

/**
 * Why a hand-off ended without a result, as the application reads it in `error` (docs/handoff.md):
 * `access_denied`, the user could not or would not finish (no usable method); `expired`, the link or
 * the pages' session expired first; `already_completed`, the hand-off already sent its one result
 * (the user came back to the pages with Back); `invalid_request`, the request was refused.
 */
export type HandoffErrorCode = 'access_denied' | 'expired' | 'already_completed' | 'invalid_request';

/** What an error result is about: the request's client, `state` and (when the request had one) `sub`. */
export interface HandoffErrorTarget {
  clientSid: string;
  state: string;
  returnTo: string;
  subject?: string | undefined;
}

/**
 * Signs an error result for the application (ES256, Verity's current key, typ HANDOFF_ERROR_TYPE):
 * `iss`, `aud` = the client sid, `nonce` = the request's `state`, `sub` when known, `error`, and
 * `error_description`: the developer's reason in English, which the pages never show to the user.
 * Valid 120 s, like a result; it proves only that the hand-off ended, and grants nothing.
 */
async function issueHandoffError(ctx: IssueHandoffResultDeps, target: HandoffErrorTarget, error: HandoffErrorCode, description: string): Promise<string> {
  const { kid, privateKey } = await currentHandoffKey(ctx);
  const now = Math.floor(ctx.clock.now() / 1000);
  const jwt = new SignJWT({ nonce: target.state, error, error_description: description.slice(0, 512) })
    .setProtectedHeader({ alg: 'ES256', kid, typ: HANDOFF_ERROR_TYPE })
    .setIssuer(ctx.config.publicUrl)
    .setAudience(target.clientSid)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(now)
    .setExpirationTime(now + MAX_HANDOFF_TOKEN_SECONDS);
  if (target.subject !== undefined && target.subject !== '') jwt.setSubject(target.subject);
  return jwt.sign(privateKey);
}

/** `return_to` with `error`, `state` and the signed `error_result` added to its query (the URL was verified against the client's list). */
export async function errorLocation(ctx: IssueHandoffResultDeps, target: HandoffErrorTarget, error: HandoffErrorCode, description: string): Promise<string> {
  const url = new URL(target.returnTo);
  url.searchParams.set('error', error);
  url.searchParams.set('state', target.state);
  url.searchParams.set('error_result', await issueHandoffError(ctx, target, error, description));
  return url.toString();
}
