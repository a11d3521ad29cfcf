import { newSid } from '../../crypto/random.ts';
import type { DeviceNotification } from '../../factors/push/push-notifications.ts';
import type { ChallengeRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';

/** The Notification resource of `POST …/Challenges/{YC}/Notifications`: it only reports the send (nothing is stored). */
export function notificationResource(challenge: ChallengeRow, sent: DeviceNotification): Record<string, unknown> {
  return {
    sid: newSid('NT'),
    account_sid: challenge.account_sid,
    service_sid: challenge.service_sid,
    entity_sid: challenge.entity_sid,
    identity: challenge.identity,
    challenge_sid: challenge.sid,
    priority: 'high',
    ttl: sent.ttlSeconds,
    date_created: isoSeconds(sent.sentAt),
  };
}
