import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { sql } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppContext } from '../../context.ts';
import { constantTimeEqual } from '../../crypto/digest.ts';
import { VerityError, errorBody, notFound } from '../../errors/verity-error.ts';

/** Liveness and readiness (unauthenticated), and Prometheus metrics (see metricsAccess). */
export function operationsRoutes(app: FastifyInstance, ctx: AppContext, state: { shuttingDown: boolean }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (state.shuttingDown) return reply.status(503).send({ status: 'shutting_down' });
    try {
      await sql`select 1`.execute(ctx.db.kysely);
      return { status: 'ready', database: ctx.db.dialect };
    } catch {
      return reply.status(503).send({ status: 'database_unavailable' });
    }
  });

  app.get('/metrics', async (request, reply) => {
    const access = metricsAccess(ctx.config, request);
    if (access === 'hidden') throw notFound('/metrics');
    if (access === 'unauthorized') {
      const error = new VerityError(20003, 'Authenticate: /metrics needs Authorization: Bearer <VERITY_METRICS_TOKEN>');
      return reply.status(401).header('WWW-Authenticate', 'Bearer realm="Verity metrics"').send(errorBody(error, ctx.config.publicUrl));
    }
    const body = await ctx.metrics.registry.metrics();
    return reply.header('Content-Type', ctx.metrics.registry.contentType).header('Cache-Control', 'no-store').send(body);
  });
}

/**
 * Who may read /metrics (it shows traffic, error rates and queue sizes): with VERITY_METRICS_TOKEN,
 * whoever sends it as a bearer token, from anywhere; without it, loopback clients outside
 * production (the TCP peer, never a forwarded address), and nobody in production, where the
 * route answers 404 as if it did not exist.
 */
export function metricsAccess(config: Pick<Config, 'env' | 'metricsToken'>, request: Pick<FastifyRequest, 'headers' | 'socket'>): 'allowed' | 'unauthorized' | 'hidden' {
  if (config.metricsToken !== undefined) {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.authorization ?? '');
    // Digests first: equal lengths, so the comparison reveals nothing of the token's length either.
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    const expected = createHash('sha256').update(config.metricsToken).digest();
    return match && constantTimeEqual(given, expected) ? 'allowed' : 'unauthorized';
  }
  if (config.env === 'production') return 'hidden';
  return isLoopback(request.socket.remoteAddress) ? 'allowed' : 'hidden';
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'loopback';
}
