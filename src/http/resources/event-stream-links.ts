import type { AppContext } from '../../context.ts';
import { challengeEventsToken } from '../../factors/challenge-progress.ts';
import { verificationEventsToken } from '../../voice/verification-events-token.ts';

type LinkDeps = Pick<AppContext, 'config' | 'keyring'>;

/** `links.events` of a verification with a call: its progress stream, readable with the token in the path. */
export function verificationEventsUrl(ctx: LinkDeps, verificationSid: string): string {
  return `${ctx.config.publicUrl}/events/v1/Verifications/${verificationSid}/${verificationEventsToken(ctx, verificationSid)}`;
}

/** `links.events` of a challenge: its progress stream, readable with the token in the path. */
export function challengeEventsUrl(ctx: LinkDeps, challengeSid: string): string {
  return `${ctx.config.publicUrl}/events/v1/Challenges/${challengeSid}/${challengeEventsToken(ctx, challengeSid)}`;
}
