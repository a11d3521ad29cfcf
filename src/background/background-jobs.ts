import { openAuthToken } from '../accounts/account-credentials.ts';
import { OneTouchCallbacks } from '../authy/onetouch-callbacks.ts';
import type { AppContext } from '../context.ts';
import { WebhookDispatcher } from '../events/webhook-dispatcher.ts';
import { startMaintenance } from '../maintenance/maintenance-jobs.ts';

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
    leaseMs: ctx.config.webhooks.leaseMs,
    concurrency: ctx.config.webhooks.concurrency,
    maxInFlight: ctx.config.webhooks.maxInFlight,
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
    leaseMs: ctx.config.webhooks.leaseMs,
    addressPolicy: ctx.config.webhooks.addressPolicy,
    resolveHost: ctx.resolveHost,
  });
  // The dispatcher claims only if deliveries were written (record-event.ts); a callback is due only after a challenge's answer.
  const unsubscribe = ctx.bus.subscribe('outbox', (message) => {
    dispatcher.wake(message.type === 'webhook.retry');
    if (message.type.startsWith('challenge.')) oneTouchCallbacks.wake(message.type === 'challenge.expired');
  });
  dispatcher.start();
  oneTouchCallbacks.start();
  // Delivery time-outs (failover to the next route) outlive a restart: their deadlines are in the database.
  ctx.messaging.sweeper.start();

  // Expiry, sweeps and retention in small batches; each job runs on one node at a time or shares its claims (src/maintenance/).
  const maintenance = startMaintenance(ctx);

  return [
    { name: 'maintenance', stop: () => maintenance.stop() },
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
