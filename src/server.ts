import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startBackgroundJobs, type BackgroundJob } from './background/background-jobs.ts';
import { keepClockInSync } from './background/clock-sync.ts';
import { DatabaseClock } from './crypto/clock.ts';
import type { AppContext } from './context.ts';
import { buildApp } from './http/build-app.ts';

export interface RunningServer {
  url: string;
  /** A request handled in process, without a socket (Fastify's `inject`): for tests that need no network. */
  inject(request: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Starts the HTTP API and, unless `backgroundJobs` is false (the other workers of `serve --workers N`),
 * the background jobs (webhook delivery, delivery time-outs, expiry sweep, bucket pruning).
 * `close()` drains gracefully within VERITY_SHUTDOWN_GRACE_MS: /readyz turns 503, event streams end,
 * connections with no request running close at once, running requests finish (or are cut off at the
 * deadline), the jobs stop meanwhile, then the database closes. Webhooks not yet delivered stay in the
 * outbox for the next start.
 */
export async function startServer(ctx: AppContext, options: { port?: number; host?: string; backgroundJobs?: boolean } = {}): Promise<RunningServer> {
  const { app, state, connections } = await buildApp(ctx);
  // A worker without the jobs still arms the failover sweeper's fast path for its own sends (wakeAt): stop that too.
  const jobs: BackgroundJob[] = options.backgroundJobs === false ? [{ name: 'messaging-failover', stop: () => ctx.messaging.sweeper.stop() }] : startBackgroundJobs(ctx);
  // Every process (each worker too) keeps its own offset to the database's clock.
  if (ctx.clock instanceof DatabaseClock) jobs.push(keepClockInSync(ctx.clock, ctx.logger));

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
        const started = Date.now();
        const deadline = started + ctx.config.shutdownGraceMs;
        const log = ctx.logger.child({ component: 'shutdown' });
        state.shuttingDown = true;
        ctx.bus.publish('shutdown', { type: 'shutdown', resourceSid: '' });
        // Stops listening; the connections are closed by the drain below, not waited for.
        const appClosed = app.close();
        // The jobs stop while HTTP drains, each bounded by the same deadline (one stuck on a slow
        // webhook receiver must not hold the rest: its delivery keeps its lease and is retried).
        const jobsStopped = Promise.all(jobs.map((job) => withinDeadline(job.stop(), deadline, () => log.warn({ job: job.name }, 'background job still stopping at the shutdown deadline'), log)));
        const { cutOff } = await connections.drain(deadline);
        if (cutOff > 0) log.warn({ requests: cutOff }, 'requests still running at the shutdown deadline');
        await withinDeadline(appClosed, Date.now() + 500, () => log.warn('HTTP server still closing'));
        await jobsStopped;
        await withinDeadline(ctx.messaging.dispatcher.settled(), deadline, () => log.warn('message sends still running at the shutdown deadline'), log);
        await ctx.pushDelivery.close();
        await Promise.all(Object.values(ctx.providers).flatMap((p) => (p?.close ? [p.close()] : [])));
        await ctx.db.close();
        log.info({ ms: Date.now() - started }, 'shut down');
      })();
      return closing;
    },
  };
}

/** Waits for `work` until `deadline` (epoch ms); past it, calls `late` and stops waiting. A failure is logged: shutdown goes on. */
async function withinDeadline(work: Promise<unknown>, deadline: number, late: () => void, log?: { error(obj: object, msg: string): void }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
  });
  const outcome = await Promise.race([work.then(
    () => 'done' as const,
    (error: unknown) => {
      log?.error({ err: error }, 'a shutdown step failed');
      return 'done' as const;
    },
  ), expired]);
  clearTimeout(timer);
  if (outcome === 'late') late();
}
