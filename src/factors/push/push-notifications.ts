import type { AppContext } from '../../context.ts';
import { newSid } from '../../crypto/random.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { isoSeconds } from '../../time/format.ts';
import type { ChallengeRow } from '../../store/schema.ts';

const DEFAULT_NOTIFICATION_TTL_SECONDS = 300;

/**
 * POST …/Challenges/{YC}/Notifications: sends a pending push challenge to the device again (the
 * user dismissed it, or the device was offline). Verity's own channel is the device's event
 * stream, which is told to deliver the challenge anew; platform adapters (APNs, FCM) would hook
 * in here. Nothing is stored: the resource only reports the send.
 */
export function notifyDevice(ctx: AppContext, challenge: ChallengeRow, ttlSeconds: number | undefined): Record<string, unknown> {
  if (challenge.factor_type !== 'push') throw new DomainError('wrong_state', 'Invalid Request: only push challenges have notifications');
  if (challenge.status !== 'pending' || challenge.expiration_date <= ctx.clock.now()) throw new DomainError('wrong_state', `Invalid Request: the challenge is ${challenge.status === 'pending' ? 'expired' : challenge.status}`);
  ctx.bus.publish(`factor:${challenge.factor_sid}`, { type: 'notify', resourceSid: challenge.sid });
  return {
    sid: newSid('NT'),
    account_sid: challenge.account_sid,
    service_sid: challenge.service_sid,
    entity_sid: challenge.entity_sid,
    identity: challenge.identity,
    challenge_sid: challenge.sid,
    priority: 'high',
    ttl: ttlSeconds ?? DEFAULT_NOTIFICATION_TTL_SECONDS,
    date_created: isoSeconds(ctx.clock.now()),
  };
}
