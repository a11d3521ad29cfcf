import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppContext } from '../../context.ts';
import { constantTimeEqual } from '../../crypto/digest.ts';
import { VerityError, errorBody, notFound } from '../../errors/verity-error.ts';
import { healthzSchema, metricsSchema, readyzSchema } from './operations-schema.ts';

/** Liveness and readiness (unauthenticated), and Prometheus metrics (see metricsAccess); schemas in operations-schema.ts. */
export function operationsRoutes(app: FastifyInstance, ctx: AppContext, state: { shuttingDown: boolean }): void {
  app.get('/healthz', { schema: healthzSchema }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: readyzSchema }, async (_request, reply) => {
    if (state.shuttingDown) return reply.status(503).send({ status: 'shutting_down' });
    try {
      await ctx.stores.ping();
      return { status: 'ready', database: ctx.stores.dialect };
    } catch {
      return reply.status(503).send({ status: 'database_unavailable' });
    }
  });

  app.get('/metrics', { schema: metricsSchema }, async (request, reply) => {
    const access = metricsAccess(ctx.config, request);
    if (access === 'hidden') throw notFound('/metrics');
    if (access === 'unauthorized') {
      const error = new VerityError(20003, 'Authenticate: /metrics needs Authorization: Bearer <VERITY_METRICS_TOKEN>');
      return reply.status(401).header('WWW-Authenticate', 'Bearer realm="Verity metrics"').send(errorBody(error, ctx.config.publicUrl));
    }
    const body = await ctx.metrics.exposition();
    return reply.header('Content-Type', ctx.metrics.registry.contentType).header('Cache-Control', 'no-store').send(body);
  });
}

/**
 * Headers a proxy adds to what it forwards (RFC 7239 Forwarded, its X- predecessors, RFC 9110 Via).
 * Behind a local reverse proxy every request arrives from loopback: these say it came from further.
 */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'] as const;

/**
 * Who may read /metrics (it shows traffic, error rates and queue sizes): with VERITY_METRICS_TOKEN,
 * whoever sends it as a bearer token, from anywhere; nobody in production without it (the route
 * answers 404 as if it did not exist); otherwise a loopback client that connects directly: the TCP
 * peer and the client IP (after trusted proxies) both loopback, and no forwarding header. The peer
 * alone is not enough: a reverse proxy on the same host is a loopback peer for every client, and with
 * VERITY_TRUST_PROXY unset Verity does not read the address it forwards. A local proxy that adds none
 * of these headers cannot be told from a local client: set VERITY_METRICS_TOKEN, or keep /metrics
 * off its routes.
 */
export function metricsAccess(config: Pick<Config, 'env' | 'metricsToken'>, request: Pick<FastifyRequest, 'headers' | 'socket' | 'ip'>): 'allowed' | 'unauthorized' | 'hidden' {
  if (config.metricsToken !== undefined) {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.authorization ?? '');
    // Digests first: equal lengths, so the comparison reveals nothing of the token's length either.
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    const expected = createHash('sha256').update(config.metricsToken).digest();
    return match && constantTimeEqual(given, expected) ? 'allowed' : 'unauthorized';
  }
  if (config.env === 'production') return 'hidden';
  const direct = FORWARDING_HEADERS.every((name) => request.headers[name] === undefined);
  return direct && isLoopback(request.socket.remoteAddress) && isLoopback(request.ip) ? 'allowed' : 'hidden';
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'loopback';
}
