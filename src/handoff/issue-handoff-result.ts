import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AppContext } from '../context.ts';
import { AMR_VALUES, HANDOFF_RESULT_TYPE, MAX_HANDOFF_TOKEN_SECONDS, type HandoffRequest } from './handoff-claims.ts';
import { currentHandoffKey } from './handoff-signing-keys.ts';

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
export async function issueHandoffResult(ctx: AppContext, request: HandoffRequest, outcome: HandoffOutcome): Promise<string> {
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
