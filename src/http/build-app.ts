import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { installApiAuth } from './api-auth.ts';
import { installErrorHandling } from './error-handler.ts';
import { docsRoutes } from './routes/docs-routes.ts';
import { operationsRoutes } from './routes/operations-routes.ts';
import { servicesRoutes } from './routes/services-routes.ts';
import { simulatorRoutes } from './routes/simulator-routes.ts';
import { verificationsRoutes } from './routes/verifications-routes.ts';
import { webhooksRoutes } from './routes/webhooks-routes.ts';

export interface BuiltApp {
  app: FastifyInstance;
  /** Set when shutdown begins, so /readyz answers 503 and load balancers drain this node. */
  state: { shuttingDown: boolean };
}

/** Wires every HTTP route onto one Fastify instance. */
export async function buildApp(ctx: AppContext): Promise<BuiltApp> {
  const state = { shuttingDown: false };
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  installErrorHandling(app);
  await app.register(formbody, { bodyLimit: ctx.config.bodyLimitBytes });

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpLatency.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  operationsRoutes(app, ctx, state);
  await docsRoutes(app, ctx.config.publicUrl);
  if (ctx.simulator) simulatorRoutes(app, ctx, ctx.simulator);

  await app.register(async (api) => {
    installApiAuth(api, ctx);
    servicesRoutes(api, ctx);
    verificationsRoutes(api, ctx);
    webhooksRoutes(api, ctx);
  });
  return { app, state };
}
