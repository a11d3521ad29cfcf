import { z } from 'zod';
import { operation } from '../schema/operation.ts';
import { ErrorBody } from '../schema/resource-fields.ts';

/** Liveness, readiness and metrics: unauthenticated routes for load balancers and Prometheus. */

const tag = 'Operations';

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

const Readiness = z
  .object({
    status: z.enum(['ready', 'shutting_down', 'database_unavailable']),
    database: z.enum(['sqlite', 'postgres']).optional().meta({ description: 'Present when ready.' }),
  })
  .meta({ id: 'Readiness' });

export const healthzSchema = operation({
  operationId: 'healthz',
  tag,
  summary: 'Liveness',
  description: 'Answers while the process runs. Unauthenticated: expose operations routes only to a private network.',
  caller: 'none',
  ok: { 200: { description: 'Alive.', schema: Health } },
  errors: [],
});

export const readyzSchema = operation({
  operationId: 'readyz',
  tag,
  summary: 'Readiness',
  description: 'Ready when the database answers and the server is not shutting down; load balancers should drain a node answering 503. Unauthenticated.',
  caller: 'none',
  ok: {
    200: { description: 'Ready.', schema: Readiness },
    // A request that reaches a draining server is refused before the route, with the 20503 error body.
    503: { description: 'Not ready: shutting down or the database is unreachable (a request arriving while the server drains gets the `20503` error body).', schema: z.union([Readiness, ErrorBody]) },
  },
  errors: [],
});

export const metricsSchema = operation({
  operationId: 'metrics',
  tag,
  summary: 'Prometheus metrics',
  description:
    'Prometheus text exposition: verity_verifications_total, verity_verification_checks_total, verity_deliveries_total, verity_delivery_duration_seconds, verity_delivery_status_total (by provider instance, destination country and status), verity_delivery_to_delivered_seconds (by provider and country), verity_route_failovers_total (by route and reason), verity_push_notifications_total (APNs/FCM, by platform and outcome), verity_http_request_duration_seconds, verity_rate_limited_total, plus process metrics. With `VERITY_METRICS_TOKEN` set, send it as `Authorization: Bearer <token>` (else 401); without it, outside production only a client on this machine that connects directly (loopback peer, no forwarding headers) is answered, and production answers 404.',
  caller: 'none',
  ok: { 200: { description: 'Metrics.', contentType: 'text/plain', schema: z.string() } },
  errors: [
    { code: 20003, when: 'VERITY_METRICS_TOKEN is set and the request lacks it as a bearer token.', message: 'Authenticate: /metrics needs Authorization: Bearer <VERITY_METRICS_TOKEN>' },
    { code: 20404, when: 'no VERITY_METRICS_TOKEN, and the client is not on loopback or NODE_ENV=production.', message: 'The requested resource /metrics was not found' },
  ],
});
