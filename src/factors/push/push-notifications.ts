import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { ChallengeRow } from '../../store/schema.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PushNotificationsDeps = Pick<AppContext, 'bus' | 'clock'>;

const DEFAULT_NOTIFICATION_TTL_SECONDS = 300;

/** A notification sent to a device: its time-to-live and when it was sent. */
export interface DeviceNotification {
  ttlSeconds: number;
  sentAt: number;
}

/**
 * POST …/Challenges/{YC}/Notifications: sends a pending push challenge to the device again (the
 * user dismissed it, or the device was offline). Verity's own channel is the device's event
 * stream, which is told to deliver the challenge anew; platform adapters (APNs, FCM) would hook
 * in here. Nothing is stored: the resource (src/http/resources/notification-resource.ts) only reports the send.
 */
export function notifyDevice(ctx: PushNotificationsDeps, challenge: ChallengeRow, ttlSeconds: number | undefined): DeviceNotification {
  if (challenge.factor_type !== 'push') throw new DomainError('wrong_state', 'Invalid Request: only push challenges have notifications');
  if (challenge.status !== 'pending' || challenge.expiration_date <= ctx.clock.now()) throw new DomainError('wrong_state', `Invalid Request: the challenge is ${challenge.status === 'pending' ? 'expired' : challenge.status}`);
  ctx.bus.publish(`factor:${challenge.factor_sid}`, { type: 'notify', resourceSid: challenge.sid });
  return { ttlSeconds: ttlSeconds ?? DEFAULT_NOTIFICATION_TTL_SECONDS, sentAt: ctx.clock.now() };
}
