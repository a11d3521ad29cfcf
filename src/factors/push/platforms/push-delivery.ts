import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../../crypto/clock.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import type { ChallengeRow, FactorRow } from '../../../store/schema.ts';
import type { Stores } from '../../../store/unit-of-work.ts';
import type { ChallengeNotification, PlatformName, PushOutcome, PushPlatform } from './push-platform.ts';

export interface PushDeliveryDeps {
  stores: Stores;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

export interface PushDeliveryOptions {
  /** The configured platforms; a factor whose platform is missing here is not notified (logged). */
  platforms: Partial<Record<PlatformName, PushPlatform>>;
  /** Sends of one notification before giving up (the device still finds the challenge when the app opens). */
  maxAttempts?: number;
  /** First retry delay; doubled each time (with jitter), capped at MAX_RETRY_DELAY_MS. */
  retryBaseMs?: number;
}

const MAX_RETRY_DELAY_MS = 60_000;

/** The digest a condemned device token is remembered by (the token itself is already in the factor's config). */
export const deviceTokenDigest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

interface PushConfig {
  notification_platform?: string;
  notification_token?: string | null;
}

/**
 * Sends push challenges to the phones of their factors through APNs or FCM. Each send runs in the
 * background (an API call never waits on Apple or Google): it is retried with exponential backoff
 * (or the provider's Retry-After) while the challenge is pending and unexpired, and a token the
 * provider condemns is marked in the database so no node sends to it again until the device
 * registers a new one. Nothing is queued durably: a notification lost with its process leaves the
 * challenge where the app finds it when opened, or where `…/Notifications` sends it again.
 */
export class PushDelivery {
  private readonly running = new Set<Promise<void>>();
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private closed = false;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(
    private readonly deps: PushDeliveryDeps,
    private readonly options: PushDeliveryOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
  }

  /** The platforms configured (for the logs at boot and the docs). */
  get platforms(): PlatformName[] {
    return (Object.keys(this.options.platforms) as PlatformName[]).filter((name) => this.options.platforms[name]);
  }

  /** Starts sending `challenge` to its factor's device; `ttlSeconds` shortens how long the provider keeps it. */
  deliver(challenge: ChallengeRow, ttlSeconds?: number): void {
    if (this.closed || challenge.factor_type !== 'push') return;
    const run = this.run(challenge, ttlSeconds).catch((error: unknown) => {
      this.deps.logger.error({ challengeSid: challenge.sid, err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, 'push notification failed');
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves once every send under way has finished (succeeded, given up or been marked). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Stops retrying, waits for the sends under way and closes the providers' connections. */
  async close(): Promise<void> {
    this.closed = true;
    for (const sleeper of this.sleeping) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    await this.idle();
    for (const platform of Object.values(this.options.platforms)) platform?.close();
  }

  private async run(challenge: ChallengeRow, ttlSeconds: number | undefined): Promise<void> {
    const { stores, clock, logger, metrics } = this.deps;
    const factor = await stores.factors.findBySid(challenge.factor_sid);
    if (!factor) return;
    const target = deviceOf(factor);
    if (!target) return;
    const log = { challengeSid: challenge.sid, factorSid: factor.sid, platform: target.platform };
    const platform = this.options.platforms[target.platform];
    if (!platform) {
      logger.warn(log, 'push notification not sent: the factor\'s platform is not configured (VERITY_APNS_* / VERITY_FCM_*)');
      return;
    }
    const digest = deviceTokenDigest(target.token);
    const mark = await stores.pushDeviceMarks.find(factor.sid);
    if (mark && mark.token_digest === digest) {
      logger.info({ ...log, reason: mark.reason }, 'push notification not sent: the provider refused this device token; waiting for a new Config.NotificationToken');
      return;
    }
    const service = await stores.services.find(factor.account_sid, factor.service_sid);
    const now = clock.now();
    const notification: ChallengeNotification = {
      deviceToken: target.token,
      challengeSid: challenge.sid,
      factorSid: factor.sid,
      title: service?.friendly_name ?? 'Sign-in request',
      message: challenge.details.message ?? '',
      expiresAt: ttlSeconds === undefined ? challenge.expiration_date : Math.min(challenge.expiration_date, now + ttlSeconds * 1000),
    };
    for (let attempt = 1; ; attempt++) {
      let outcome: PushOutcome;
      try {
        outcome = await platform.send(notification, clock.now());
      } catch (error) {
        outcome = { kind: 'retry', reason: error instanceof Error ? error.message : String(error), afterMs: null };
      }
      const count = (name: string): void => metrics.pushNotifications.inc({ platform: target.platform, outcome: name });
      count(outcome.kind === 'retry' ? 'retried' : outcome.kind);
      if (outcome.kind === 'sent') {
        logger.info({ ...log, attempt, providerId: outcome.providerId }, 'push notification sent');
        return;
      }
      if (outcome.kind === 'unusable') {
        await stores.pushDeviceMarks.mark({ factor_sid: factor.sid, platform: target.platform, token_digest: digest, reason: outcome.reason, provider_timestamp: outcome.since, date_marked: clock.now() });
        logger.warn({ ...log, reason: outcome.reason }, 'push device token refused by the provider: marked unusable until the device sends a new one');
        return;
      }
      if (outcome.kind === 'failed') {
        logger.error({ ...log, reason: outcome.reason }, 'push notification refused by the provider (check the VERITY_APNS_* / VERITY_FCM_* settings)');
        return;
      }
      const delay = Math.min(MAX_RETRY_DELAY_MS, outcome.afterMs ?? this.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      if (attempt >= this.maxAttempts || this.closed || clock.now() + delay >= notification.expiresAt) {
        count('gave_up');
        logger.warn({ ...log, attempt, reason: outcome.reason }, 'push notification not delivered: giving up');
        return;
      }
      logger.info({ ...log, attempt, reason: outcome.reason, retryInMs: Math.round(delay) }, 'push notification deferred by the provider: retrying');
      await this.sleep(delay);
      const current = await stores.challenges.findBySid(challenge.sid);
      if (this.closed || !current || current.status !== 'pending') return;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = { timer: setTimeout(() => wake(), ms), wake: () => wake() };
      const wake = (): void => {
        this.sleeping.delete(sleeper);
        resolve();
      };
      this.sleeping.add(sleeper);
    });
  }
}

/** The factor's platform and token, when it has a platform that sends. */
function deviceOf(factor: FactorRow): { platform: PlatformName; token: string } | undefined {
  const config = JSON.parse(factor.config) as PushConfig;
  const platform = config.notification_platform;
  if ((platform !== 'apn' && platform !== 'fcm') || !config.notification_token) return undefined;
  return { platform, token: config.notification_token };
}
