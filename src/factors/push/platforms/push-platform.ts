/**
 * The contract every push platform adapter (APNs, FCM) fulfils: send one notification of a push
 * challenge to one device token and say what became of it. The adapters know their provider's wire
 * format and errors; retries, the device's state and logging are push-delivery.ts's.
 */

/** What a notification tells the device: enough to fetch the challenge, nothing to answer it with. */
export interface ChallengeNotification {
  deviceToken: string;
  challengeSid: string;
  factorSid: string;
  /** The alert's title (the service's name). */
  title: string;
  /** `Details.Message`: what the user is asked to approve. */
  message: string;
  /** When the provider should stop trying to deliver it (ms since the epoch); at most the challenge's expiry. */
  expiresAt: number;
}

/** What became of one send. */
export type PushOutcome =
  | { kind: 'sent'; providerId: string | null }
  /** The provider says the token will never work (uninstalled app, wrong app, malformed): stop sending to it. */
  | { kind: 'unusable'; reason: string; since: number | null }
  /** Worth trying again (throttled, provider unavailable, network): after `afterMs` when the provider said. */
  | { kind: 'retry'; reason: string; afterMs: number | null }
  /** Will not work by retrying and is not the device's fault (configuration, payload): logged. */
  | { kind: 'failed'; reason: string };

export type PlatformName = 'apn' | 'fcm';

export interface PushPlatform {
  readonly name: PlatformName;
  send(notification: ChallengeNotification, now: number): Promise<PushOutcome>;
  close(): void;
}

/** Retry-After in seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP date), as milliseconds from `now`. */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The `type` (and APNs `category`) of a challenge notification, as Twilio Verify Push's apps expect. */
export const CHALLENGE_NOTIFICATION_TYPE = 'verify_push_challenge';
