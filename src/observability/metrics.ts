import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one Verity process (its own registry, so tests can build many apps). */
export class Metrics {
  readonly registry = new Registry();
  readonly verifications = new Counter({
    name: 'verity_verifications_total',
    help: 'Verification status changes, by channel and new status.',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });
  readonly checks = new Counter({
    name: 'verity_verification_checks_total',
    help: 'Verification checks, by result (approved, wrong_code, max_attempts, not_found, locked).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'verity_deliveries_total',
    help: 'Messages handed to providers, by channel, provider and outcome.',
    labelNames: ['channel', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly pushNotifications = new Counter({
    name: 'verity_push_notifications_total',
    help: 'Push challenge notifications sent to APNs or FCM, by platform and outcome (sent, retried, unusable: the token was refused and marked, failed, gave_up).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram({
    name: 'verity_delivery_duration_seconds',
    help: 'Time a provider took to accept a message.',
    labelNames: ['channel', 'provider'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly deliveryReceipts = new Counter({
    name: 'verity_delivery_status_total',
    help: 'Delivery statuses recorded (receipts, and rejections at send), by provider instance, destination country and status.',
    labelNames: ['provider', 'country', 'status'] as const,
    registers: [this.registry],
  });
  readonly timeToDelivered = new Histogram({
    name: 'verity_delivery_to_delivered_seconds',
    help: 'Time from handing a message to a provider to its delivered receipt, by provider instance and destination country.',
    labelNames: ['provider', 'country'] as const,
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly failovers = new Counter({
    name: 'verity_route_failovers_total',
    help: 'Messages handed to the next target of their route, by route and reason (rejected, undelivered, timeout).',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
  });
  readonly circuitState = new Gauge({
    name: 'verity_circuit_state',
    help: 'Circuit breaker of a provider instance towards a destination country: 0 closed (in rotation), 1 half-open (probing), 2 open (out of rotation).',
    labelNames: ['provider', 'country'] as const,
    registers: [this.registry],
  });
  readonly routeSelections = new Counter({
    name: 'verity_route_selections_total',
    help: 'Sends planned through a messaging route, by route id and channel.',
    labelNames: ['route', 'channel'] as const,
    registers: [this.registry],
  });
  readonly httpLatency = new Histogram({
    name: 'verity_http_request_duration_seconds',
    help: 'HTTP request latency by route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'verity_rate_limited_total',
    help: 'Requests refused by a limit, by limit (account, ip, send, prefix, geo, send_account, lockout).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  private readonly aggregate: ((own: Registry) => Promise<string>) | undefined;

  /** `aggregate`: how /metrics is made from this registry (a worker of `serve --workers` asks the primary for every worker's sum). */
  constructor(options: { defaultMetrics?: boolean; aggregate?: (own: Registry) => Promise<string> } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'verity_' });
    this.aggregate = options.aggregate;
  }

  /** The Prometheus text of /metrics: this process's registry, or all workers' aggregated. */
  exposition(): Promise<string> {
    return this.aggregate ? this.aggregate(this.registry) : this.registry.metrics();
  }
}
