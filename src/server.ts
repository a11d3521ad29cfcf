import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { openAuthToken } from './accounts/account-credentials.ts';
import type { AppContext } from './context.ts';
import { OneTouchCallbacks } from './authy/onetouch-callbacks.ts';
import { WebhookDispatcher } from './events/webhook-dispatcher.ts';
import { pruneAbandonedFactors } from './factors/delete-factor.ts';
import { buildApp } from './http/build-app.ts';
import { expireDueVerifications } from './verify/update-verification.ts';

export interface RunningServer {
  url: string;
  /** A request handled in process, without a socket (Fastify's `inject`): for tests that need no network. */
  inject(request: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Starts the HTTP API and the background jobs (webhook delivery, delivery time-outs, expiry sweep, bucket pruning).
 * `close()` drains gracefully: /readyz turns 503, in-flight requests finish, jobs stop, the
 * database closes. Webhooks not yet delivered stay in the outbox for the next start.
 */
export async function startServer(ctx: AppContext, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { app, state } = await buildApp(ctx);
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

  await app.listen({ port: options.port ?? ctx.config.port, host: options.host ?? ctx.config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  const host = options.host ?? ctx.config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    inject: (request) => app.inject(request),
    close: () => {
      closing ??= (async () => {
        state.shuttingDown = true;
        clearInterval(sweeper);
        unsubscribe();
        ctx.bus.publish('shutdown', { type: 'shutdown', resourceSid: '' });
        await app.close();
        // A handler whose client disconnected keeps running after its socket closed: let it finish
        // its transaction before the database goes away (bounded, in case one never finishes).
        for (let waited = 0; state.inFlight > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        await dispatcher.stop();
        await oneTouchCallbacks.stop();
        await ctx.messaging.sweeper.stop();
        await ctx.messaging.dispatcher.settled();
        await ctx.pushDelivery.close();
        await Promise.all(Object.values(ctx.providers).flatMap((p) => (p?.close ? [p.close()] : [])));
        await ctx.db.close();
      })();
      return closing;
    },
  };
}
