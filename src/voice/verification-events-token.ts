import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { constantTimeEqual } from '../crypto/digest.ts';

type TokenDeps = Pick<AppContext, 'keyring'>;

/**
 * The credential of a verification's progress stream (`links.events`, src/http/resources/event-stream-links.ts):
 * an HMAC of its SID under a key derived from the master key. It lets a login page read this one
 * verification's progress without credentials, and nothing else.
 */
export function verificationEventsToken(deps: TokenDeps, verificationSid: string): string {
  return createHmac('sha256', deps.keyring.derive('challenge-events')).update(`verification:${verificationSid}`).digest('base64url').slice(0, 32);
}

export function isVerificationEventsToken(deps: TokenDeps, verificationSid: string, token: string): boolean {
  return constantTimeEqual(Buffer.from(token), Buffer.from(verificationEventsToken(deps, verificationSid)));
}
