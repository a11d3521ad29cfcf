import type { Clock } from '../../../crypto/clock.ts';
import { FcmAccessToken, type ServiceAccount } from './fcm-access-token.ts';
import { Http2Origin, type Http2Response } from './http2-origin.ts';
import { CHALLENGE_NOTIFICATION_TYPE, retryAfterMs, type ChallengeNotification, type PushOutcome, type PushPlatform } from './push-platform.ts';

export interface FcmOptions {
  account: ServiceAccount;
  /** `https://…` of the FCM API (https://fcm.googleapis.com, or an override). */
  baseUrl: string;
  /** The OAuth token endpoint: the key file's `token_uri`, or an override. */
  tokenUri: string;
  extraCa?: string | undefined;
  clock: Clock;
}

/**
 * The HTTP v1 message (`projects.messages.send`): a data message with Twilio Verify Push's keys
 * (the Android SDK builds its own notification from them), delivered at high priority so it wakes
 * a dozing phone, and an `apns` block so iOS apps registered through FCM show an alert. Like the
 * APNs payload it carries nothing that answers the challenge.
 */
export function fcmMessage(notification: ChallengeNotification, now: number): Record<string, unknown> {
  const ttlSeconds = Math.max(0, Math.floor((notification.expiresAt - now) / 1000));
  return {
    message: {
      token: notification.deviceToken,
      data: { type: CHALLENGE_NOTIFICATION_TYPE, challenge_sid: notification.challengeSid, factor_sid: notification.factorSid, message: notification.message },
      android: { priority: 'high', ttl: `${ttlSeconds}s`, collapse_key: notification.challengeSid },
      apns: {
        headers: { 'apns-push-type': 'alert', 'apns-priority': '10', 'apns-expiration': String(Math.floor(notification.expiresAt / 1000)), 'apns-collapse-id': notification.challengeSid },
        payload: { aps: { alert: { title: notification.title, body: notification.message }, sound: 'default', category: CHALLENGE_NOTIFICATION_TYPE } },
      },
    },
  };
}

interface FcmErrorBody {
  status: string;
  errorCode: string | undefined;
  message: string;
  tokenField: boolean;
}

/** google.rpc.Status with FCM's FcmError detail (`errorCode`) and BadRequest field violations. */
function errorOf(response: Http2Response): FcmErrorBody {
  try {
    const error = (JSON.parse(response.body) as { error?: { status?: unknown; message?: unknown; details?: unknown } }).error ?? {};
    const details = Array.isArray(error.details) ? (error.details as Array<Record<string, unknown>>) : [];
    const errorCode = details.map((d) => d.errorCode).find((c): c is string => typeof c === 'string');
    const violations = details.flatMap((d) => (Array.isArray(d.fieldViolations) ? (d.fieldViolations as Array<{ field?: unknown }>) : []));
    const message = typeof error.message === 'string' ? error.message : '';
    return {
      status: typeof error.status === 'string' ? error.status : `HTTP ${response.status}`,
      errorCode,
      message,
      tokenField: violations.some((v) => v.field === 'message.token') || /registration token/i.test(message),
    };
  } catch {
    return { status: `HTTP ${response.status}`, errorCode: undefined, message: '', tokenField: false };
  }
}

/** Firebase Cloud Messaging HTTP v1 with a service account's OAuth 2.0 access tokens. */
export class FcmPlatform implements PushPlatform {
  readonly name = 'fcm' as const;
  private readonly api: Http2Origin;
  private readonly tokenEndpoint: Http2Origin;
  private readonly accessToken: FcmAccessToken;

  constructor(private readonly options: FcmOptions) {
    this.api = new Http2Origin({ origin: new URL(options.baseUrl).origin, extraCa: options.extraCa });
    const tokenUrl = new URL(options.tokenUri);
    this.tokenEndpoint = tokenUrl.origin === new URL(options.baseUrl).origin ? this.api : new Http2Origin({ origin: tokenUrl.origin, extraCa: options.extraCa });
    this.accessToken = new FcmAccessToken(options.account, { connection: this.tokenEndpoint, path: `${tokenUrl.pathname}${tokenUrl.search}`, audience: options.tokenUri }, options.clock);
  }

  async send(notification: ChallengeNotification, now: number): Promise<PushOutcome> {
    let token: string;
    try {
      token = await this.accessToken.token();
    } catch (error) {
      return { kind: 'retry', reason: `access token: ${error instanceof Error ? error.message : String(error)}`, afterMs: null };
    }
    const base = new URL(this.options.baseUrl).pathname.replace(/\/+$/, '');
    let response: Http2Response;
    try {
      response = await this.api.request('POST', `${base}/v1/projects/${encodeURIComponent(this.options.account.projectId)}/messages:send`, {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json; charset=utf-8',
      }, JSON.stringify(fcmMessage(notification, now)));
    } catch (error) {
      return { kind: 'retry', reason: `network: ${error instanceof Error ? error.message : String(error)}`, afterMs: null };
    }
    if (response.status === 200) {
      let name: unknown;
      try {
        name = (JSON.parse(response.body) as { name?: unknown }).name;
      } catch {
        name = undefined;
      }
      return { kind: 'sent', providerId: typeof name === 'string' ? name : null };
    }
    const error = errorOf(response);
    const code = error.errorCode ?? error.status;
    // FCM's "Error codes" table: these say the registration token is no good.
    if (code === 'UNREGISTERED' || code === 'SENDER_ID_MISMATCH') return { kind: 'unusable', reason: code, since: null };
    if (code === 'INVALID_ARGUMENT' && error.tokenField) return { kind: 'unusable', reason: 'INVALID_ARGUMENT (registration token)', since: null };
    if (response.status === 401 && code !== 'THIRD_PARTY_AUTH_ERROR') {
      this.accessToken.invalidate(token);
      return { kind: 'retry', reason: code, afterMs: 0 };
    }
    if (response.status === 429 || response.status >= 500 || code === 'UNAVAILABLE' || code === 'INTERNAL' || code === 'QUOTA_EXCEEDED') {
      return { kind: 'retry', reason: code, afterMs: retryAfterMs(response.headers['retry-after'], now) };
    }
    return { kind: 'failed', reason: `${response.status} ${code}` };
  }

  close(): void {
    this.api.close();
    this.tokenEndpoint.close();
  }
}
