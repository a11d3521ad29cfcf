import type { Clock } from '../../crypto/clock.ts';

/** One service's choice of route for one country (`all`: every country without its own). */
export interface ServiceRouteChoice {
  service_sid: string;
  country: string;
  route_id: string;
}

/**
 * The MessagingConfigurations of every service, kept in memory so planning a send stays
 * synchronous. They live in the database (every node routes alike): a node reloads them when its
 * copy is older than `maxAgeMs` (in the background, on the next plan) and at once after a change
 * it made itself, so another node's change takes effect within `maxAgeMs`.
 */
export class ServiceRouteChoices {
  private choices = new Map<string, string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly deps: { load: () => Promise<ServiceRouteChoice[]>; clock: Clock; onError: (error: unknown) => void },
    private readonly maxAgeMs = 5000,
  ) {}

  /** Reloads now (boot, and after this node changed one); concurrent calls share one load. */
  refresh(): Promise<void> {
    this.loading ??= this.deps
      .load()
      .then((rows) => {
        this.choices = new Map(rows.map((row) => [`${row.service_sid}|${row.country}`, row.route_id]));
        this.loadedAt = this.deps.clock.now();
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** The route id the service chose for `country` (or for `all`); starts a reload when the copy is stale. */
  routeFor(serviceSid: string, country: string): string | undefined {
    if (this.deps.clock.now() - this.loadedAt > this.maxAgeMs && !this.loading) this.refresh().catch(this.deps.onError);
    return this.choices.get(`${serviceSid}|${country}`) ?? this.choices.get(`${serviceSid}|all`);
  }
}
