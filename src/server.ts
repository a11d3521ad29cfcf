import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startBackgroundJobs } from './background/background-jobs.ts';
import type { AppContext } from './context.ts';
import { buildApp } from './http/build-app.ts';

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
  const jobs = startBackgroundJobs(ctx);

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
        ctx.bus.publish('shutdown', { type: 'shutdown', resourceSid: '' });
        await app.close();
        // A handler whose client disconnected keeps running after its socket closed: let it finish
        // its transaction before the database goes away (bounded, in case one never finishes).
        for (let waited = 0; state.inFlight > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        for (const job of jobs) await job.stop();
        await ctx.messaging.dispatcher.settled();
        await ctx.pushDelivery.close();
        await Promise.all(Object.values(ctx.providers).flatMap((p) => (p?.close ? [p.close()] : [])));
        await ctx.db.close();
      })();
      return closing;
    },
  };
}
