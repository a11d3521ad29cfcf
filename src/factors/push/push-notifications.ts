import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import type { ChallengeRow } from '../../store/schema.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PushNotificationsDeps = Pick<AppContext, 'bus' | 'clock' | 'pushDelivery'>;

const DEFAULT_NOTIFICATION_TTL_SECONDS = 300;

/**
 * Re-sends of one challenge: 5 at once, then one a minute (a database token bucket, so shared by
 * every node). Twilio asks developers to limit them; Verity enforces it, so a leaked API key or a
 * buggy retry loop cannot flood a user's phone.
 */
const NOTIFICATION_RESENDS = { capacity: 5, refillPerSecond: 1 / 60 };

/** A notification sent to a device: its time-to-live and when it was sent. */
export interface DeviceNotification {
  ttlSeconds: number;
  sentAt: number;
}

/**
 * The one way a pending push challenge reaches its device: the device's event stream (Verity's
 * CLI authenticator, the virtual phone, an app holding the stream open) is told to deliver it, and
 * the phone's platform (APNs or FCM, `Config.NotificationPlatform`) is sent a notification that
 * wakes the app (src/factors/push/platforms/push-delivery.ts, in the background). Either way the
 * device then fetches the challenge and answers it signed by its key.
 */
export function sendPushChallenge(ctx: PushNotificationsDeps, challenge: ChallengeRow, ttlSeconds?: number): void {
  ctx.bus.publish(`factor:${challenge.factor_sid}`, { type: 'notify', resourceSid: challenge.sid });
  ctx.pushDelivery.deliver(challenge, ttlSeconds);
}

/**
 * POST …/Challenges/{YC}/Notifications: sends a pending push challenge to the device again (the
 * user dismissed it, or the device was offline), by the same path as a new challenge; `Ttl` bounds
 * how long APNs/FCM keep it (never past the challenge's expiry). Only the re-send count is stored
 * (`challenges.notification_seq`, what the device streams of every node compare with): the resource
 * (src/http/resources/notification-resource.ts) only reports the send.
 */
export async function notifyDevice(ctx: PushNotificationsDeps & Pick<AppContext, 'stores'>, challenge: ChallengeRow, ttlSeconds: number | undefined): Promise<DeviceNotification> {
  if (challenge.factor_type !== 'push') throw new DomainError('wrong_state', 'Invalid Request: only push challenges have notifications');
  if (challenge.status !== 'pending' || challenge.expiration_date <= ctx.clock.now()) throw new DomainError('wrong_state', `Invalid Request: the challenge is ${challenge.status === 'pending' ? 'expired' : challenge.status}`);
  const taken = await ctx.stores.rateLimits.take(`push-notify:${challenge.sid}`, NOTIFICATION_RESENDS, ctx.clock.now());
  if (!taken.allowed) {
    throw new VerityError(20429, `Too many requests: a challenge is notified again at most ${NOTIFICATION_RESENDS.capacity} times, then once a minute`, { retryAfterSeconds: taken.retryAfterSeconds });
  }
  // Counted in the row, not only announced: a device stream on any node (or one that reconnects
  // later) compares the row's count with what it showed, so a lost wake-up only delays the re-send.
  const counted = await ctx.stores.challenges.countNotification(challenge.sid);
  if (!counted) throw new DomainError('wrong_state', 'Invalid Request: the challenge is no longer pending');
  const ttl = ttlSeconds ?? DEFAULT_NOTIFICATION_TTL_SECONDS;
  sendPushChallenge(ctx, counted, ttl);
  return { ttlSeconds: ttl, sentAt: ctx.clock.now() };
}
