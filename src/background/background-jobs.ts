import { openAuthToken } from '../accounts/account-credentials.ts';
import { OneTouchCallbacks } from '../authy/onetouch-callbacks.ts';
import type { AppContext } from '../context.ts';
import { WebhookDispatcher } from '../events/webhook-dispatcher.ts';
import { pruneAbandonedFactors } from '../factors/delete-factor.ts';
import { expireDueVerifications } from '../verify/update-verification.ts';

/** A job the server runs beside the HTTP API; `stop()` must end its work promptly (graceful shutdown). */
export interface BackgroundJob {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * The one table of background jobs (webhook delivery, Authy callbacks, delivery time-outs, sweeps).
 * server.ts starts them once the app is built and stops them when it closes; with several workers
 * on one machine only one worker runs them (src/cli serve --workers).
 */
export function startBackgroundJobs(ctx: AppContext): BackgroundJob[] {
  const dispatcher = new WebhookDispatcher({
    deliveries: ctx.stores.webhookDeliveries,
    keyring: ctx.keyring,
    clock: ctx.clock,
    logger: ctx.logger.child({ component: 'webhooks' }),
    timeoutMs: ctx.config.webhooks.timeoutMs,
    maxAttempts: ctx.config.webhooks.maxAttempts,
    addressPolicy: ctx.config.webhooks.addressPolicy,
    resolveHost: ctx.resolveHost,
    // X-Twilio-Signature is keyed by the account's auth token, kept sealed (accounts/account-credentials.ts).
    openAuthToken: (accountSid, sealed) => openAuthToken(ctx.keyring, { sid: accountSid, auth_token_sealed: sealed }) ?? '',
  });
  // Authy OneTouch callbacks (docs/authy.md): the same address policy, time-out and attempts as webhooks.
  const oneTouchCallbacks = new OneTouchCallbacks({
    stores: ctx.stores,
    keyring: ctx.keyring,
    clock: ctx.clock,
    logger: ctx.logger.child({ component: 'authy-callbacks' }),
    timeoutMs: ctx.config.webhooks.timeoutMs,
    maxAttempts: ctx.config.webhooks.maxAttempts,
    addressPolicy: ctx.config.webhooks.addressPolicy,
    resolveHost: ctx.resolveHost,
  });
  const unsubscribe = ctx.bus.subscribe('outbox', () => {
    dispatcher.wake();
    oneTouchCallbacks.wake();
  });
  dispatcher.start();
  oneTouchCallbacks.start();
  // Delivery time-outs (failover to the next route) outlive a restart: their deadlines are in the database.
  ctx.messaging.sweeper.start();

  const sweeper = setInterval(() => {
    void (async () => {
      try {
        await expireDueVerifications(ctx);
        await ctx.voice.engine.sweepStaleCalls();
        await pruneAbandonedFactors(ctx);
        await ctx.stores.rateLimits.prune(ctx.clock.now(), 24 * 3600_000);
      } catch (error) {
        ctx.logger.error({ err: error }, 'maintenance sweep failed');
      }
    })();
  }, 5_000);
  sweeper.unref();

  return [
    { name: 'maintenance', stop: async () => clearInterval(sweeper) },
    {
      name: 'webhooks',
      stop: async () => {
        unsubscribe();
        await dispatcher.stop();
      },
    },
    { name: 'authy-callbacks', stop: () => oneTouchCallbacks.stop() },
    { name: 'messaging-failover', stop: () => ctx.messaging.sweeper.stop() },
  ];
}
