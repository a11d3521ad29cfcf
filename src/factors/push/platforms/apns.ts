import type { Clock } from '../../../crypto/clock.ts';
import { ApnsProviderToken, type ApnsSigningKey } from './apns-provider-token.ts';
import { Http2Origin, type Http2Response } from './http2-origin.ts';
import { CHALLENGE_NOTIFICATION_TYPE, type ChallengeNotification, type PushOutcome, type PushPlatform } from './push-platform.ts';

export interface ApnsOptions extends ApnsSigningKey {
  /** The app's bundle id (`apns-topic`). */
  topic: string;
  /** `https://host:port`: Apple's production or sandbox host, or an override (a test server, a relay). */
  origin: string;
  /** Extra trusted CA (PEM) for an overridden origin. */
  extraCa?: string | undefined;
  clock: Clock;
}

/** Reasons of 400 and 410 that condemn the device token itself (Apple's "Handling notification responses from APNs"). */
const TOKEN_REASONS = new Set(['BadDeviceToken', 'DeviceTokenNotForTopic', 'Unregistered', 'ExpiredToken']);

/**
 * The alert an app shows and the keys it reads to fetch the challenge: Twilio Verify Push's keys
 * (`type: verify_push_challenge`, `challenge_sid`, `factor_sid`, `message`), so an app written for
 * it keeps working. Nothing here answers the challenge: the device fetches it from the device API and
 * signs its answer with the device key (docs/push.md). No fields, hidden details or number.
 */
export function apnsPayload(notification: ChallengeNotification): Record<string, unknown> {
  return {
    aps: { alert: { title: notification.title, body: notification.message }, sound: 'default', category: CHALLENGE_NOTIFICATION_TYPE },
    type: CHALLENGE_NOTIFICATION_TYPE,
    challenge_sid: notification.challengeSid,
    factor_sid: notification.factorSid,
    message: notification.message,
  };
}

function reasonOf(response: Http2Response): { reason: string; timestamp: number | null } {
  try {
    const body = JSON.parse(response.body) as { reason?: unknown; timestamp?: unknown };
    return { reason: typeof body.reason === 'string' ? body.reason : `HTTP ${response.status}`, timestamp: typeof body.timestamp === 'number' ? body.timestamp : null };
  } catch {
    return { reason: `HTTP ${response.status}`, timestamp: null };
  }
}

/** Apple Push Notification service over HTTP/2 with token-based (ES256 JWT) authentication. */
export class ApnsPlatform implements PushPlatform {
  readonly name = 'apn' as const;
  private readonly connection: Http2Origin;
  private readonly providerToken: ApnsProviderToken;

  constructor(private readonly options: ApnsOptions) {
    this.connection = new Http2Origin({ origin: options.origin, extraCa: options.extraCa });
    this.providerToken = new ApnsProviderToken(options, options.clock);
  }

  async send(notification: ChallengeNotification): Promise<PushOutcome> {
    const token = await this.providerToken.token();
    let response: Http2Response;
    try {
      response = await this.connection.request('POST', `/3/device/${encodeURIComponent(notification.deviceToken)}`, {
        authorization: `bearer ${token}`,
        'apns-push-type': 'alert',
        'apns-topic': this.options.topic,
        'apns-collapse-id': notification.challengeSid,
        // Seconds since the epoch; APNs stores and retries the notification until then, never past the challenge's expiry.
        'apns-expiration': String(Math.max(0, Math.floor(notification.expiresAt / 1000))),
        'apns-priority': '10',
        'content-type': 'application/json',
      }, JSON.stringify(apnsPayload(notification)));
    } catch (error) {
      return { kind: 'retry', reason: `network: ${error instanceof Error ? error.message : String(error)}`, afterMs: null };
    }
    if (response.status === 200) return { kind: 'sent', providerId: response.headers['apns-id'] ?? null };
    const { reason, timestamp } = reasonOf(response);
    if ((response.status === 400 || response.status === 410) && TOKEN_REASONS.has(reason)) return { kind: 'unusable', reason, since: timestamp };
    if (response.status === 403 && reason === 'ExpiredProviderToken') {
      this.providerToken.expire(token);
      return { kind: 'retry', reason, afterMs: 0 };
    }
    if (response.status === 429 || response.status >= 500) return { kind: 'retry', reason, afterMs: null };
    // TopicDisallowed, BadTopic, InvalidProviderToken, PayloadTooLarge…: the configuration's fault, not the device's.
    return { kind: 'failed', reason: `${response.status} ${reason}` };
  }

  close(): void {
    this.connection.close();
  }
}
