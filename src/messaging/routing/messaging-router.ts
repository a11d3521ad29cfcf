import { DEFAULT_HEALTH, type HealthSettings } from '../../config/messaging-config.ts';
import type { Clock } from '../../crypto/clock.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Channel, DeliveryProvider } from '../../providers/provider.ts';
import type { AttemptOutcome, MessageRouter, RoutePlan, RouteRequest, RouteTarget } from '../route-plan.ts';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.ts';
import { countryOf } from './country-of.ts';
import { mayChoose, type Route, type RouteTable } from './route-table.ts';
import type { RoutingSnapshot } from './routing-snapshot.ts';
import type { ServiceRouteChoices } from './service-route-choices.ts';
import { weightedOrder, type RandomSource } from './weighted-order.ts';

/** A built provider instance a route may name (create-providers.ts builds them). */
export interface RoutableInstance {
  name: string;
  plugin: string;
  provider: DeliveryProvider;
}

export interface MessagingRouterDeps {
  table: RouteTable;
  instances: ReadonlyMap<string, RoutableInstance>;
  clock: Clock;
  /** Math.random in production; a seeded source (seededRandom) in tests. */
  random: RandomSource;
  health?: HealthSettings;
  /** The services' MessagingConfigurations (absent: none, as in unit tests). */
  serviceChoices?: ServiceRouteChoices;
  metrics?: Pick<Metrics, 'circuitState' | 'routeSelections'>;
  /** Whether the routes came from VERITY_MESSAGING_CONFIG (the snapshot says so). */
  configured?: boolean;
}

/** An outcome as the breakers keep it: per instance and destination country (countryOf). */
export interface RecordedOutcome {
  instance: string;
  country: string;
  outcome: AttemptOutcome;
  at: number;
}

const STATE_GAUGE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Chooses each send's route and orders its targets by health. The route: the service's
 * MessagingConfiguration for the destination's country (or `all`), else the route table's match
 * (service-specific, longest E.164 prefix, channel default). Its targets: per tier, lowest first,
 * the healthy ones in weighted random order (the first is the weighted pick, the rest failover); a
 * half-open target leads its tier on its probe turn and otherwise follows every healthy target; an
 * open target is left out unless nothing else is left. A target appears once.
 */
export class MessagingRouter implements MessageRouter {
  private readonly breakers = new Map<string, { instance: string; country: string; breaker: CircuitBreaker }>();
  private readonly selections = new Map<string, number>();
  private readonly health: HealthSettings;

  constructor(private readonly deps: MessagingRouterDeps) {
    this.health = deps.health ?? DEFAULT_HEALTH;
  }

  plan(request: RouteRequest): RoutePlan {
    const now = this.deps.clock.now();
    const country = countryOf(request.channel, request.to);
    const route = this.routeOf(request, country);
    if (!route) return { routeId: `none:${request.channel}`, targets: [], deliveryTimeoutMs: undefined };
    this.selections.set(route.id, (this.selections.get(route.id) ?? 0) + 1);
    this.deps.metrics?.routeSelections.inc({ route: route.id, channel: route.channel });
    return { routeId: route.id, targets: this.order(route, country, now), deliveryTimeoutMs: route.deliveryTimeoutMs };
  }

  /** True when some route with a provider serves this send (nothing is counted: a check before the verification is created). */
  serves(request: RouteRequest): boolean {
    return (this.routeOf(request, countryOf(request.channel, request.to))?.targets.length ?? 0) > 0;
  }

  /** True when some route, configured or implicit, sends `channel` (a channel no route sends is disabled: 60223). */
  sendsChannel(channel: Channel): boolean {
    return this.deps.table.routes.some((route) => route.channel === channel && route.targets.length > 0);
  }

  observe(event: { instance: string; channel: Channel; to: string; outcome: AttemptOutcome; at: number }): void {
    this.record({ instance: event.instance, country: countryOf(event.channel, event.to), outcome: event.outcome, at: event.at });
  }

  /** Replays earlier outcomes (a starting node's recent attempts, oldest first) into the breakers. */
  restore(outcomes: readonly RecordedOutcome[]): void {
    for (const outcome of outcomes) this.record(outcome);
  }

  private record({ instance, country, outcome, at }: RecordedOutcome): void {
    const breaker = this.breaker(instance, country, at);
    breaker.record(outcome, at);
    this.publish(instance, country, breaker.stateAt(this.deps.clock.now()));
  }

  /** The routes and the health of their targets on this node, for the admin console. */
  snapshot(): RoutingSnapshot {
    const at = this.deps.clock.now();
    const routes = this.deps.table.routes.map((route) => ({
      id: route.id,
      channel: route.channel,
      prefixes: [...route.prefixes],
      services: [...route.services],
      messagingServiceSid: route.messagingServiceSid,
      deliveryTimeoutMs: route.deliveryTimeoutMs,
      implicit: route.implicit,
      selections: this.selections.get(route.id) ?? 0,
      targets: route.targets.map((t) => ({ ...t, plugin: this.deps.instances.get(t.instance)?.plugin ?? 'unknown' })),
    }));
    const breakers = [...this.breakers.values()]
      .map(({ instance, country, breaker }) => {
        const view = breaker.view(at);
        this.publish(instance, country, view.state);
        return { instance, country, ...view };
      })
      .sort((a, b) => a.instance.localeCompare(b.instance) || a.country.localeCompare(b.country));
    return { at, configured: this.deps.configured ?? false, routes, breakers, health: this.health };
  }

  private routeOf(request: RouteRequest, country: string): Route | undefined {
    const chosen = this.deps.serviceChoices?.routeFor(request.serviceSid, country);
    const route = chosen === undefined ? undefined : this.deps.table.find(chosen);
    // A choice naming a route no longer configured, of another channel, or now limited to other services is passed over.
    if (route && route.channel === request.channel && mayChoose(route, request.serviceSid)) return route;
    return this.deps.table.match(request);
  }

  private order(route: Route, country: string, now: number): RouteTarget[] {
    const tiers = [...new Set(route.targets.map((t) => t.tier))].sort((a, b) => a - b);
    const first: RouteTarget[] = [];
    const resting: RouteTarget[] = [];
    const open: RouteTarget[] = [];
    const seen = new Set<string>();
    for (const tier of tiers) {
      const probes: RouteTarget[] = [];
      const healthy: { weight: number; target: RouteTarget }[] = [];
      const restingHere: { weight: number; target: RouteTarget }[] = [];
      const openHere: { weight: number; target: RouteTarget }[] = [];
      for (const t of route.targets) {
        const instance = this.deps.instances.get(t.instance);
        if (t.tier !== tier || !instance || seen.has(t.instance)) continue;
        seen.add(t.instance);
        const target = { weight: t.weight, target: { instance: instance.name, provider: instance.provider } };
        const breaker = this.breakers.get(`${t.instance}|${country}`)?.breaker;
        const state = breaker?.stateAt(now) ?? 'closed';
        if (breaker) this.publish(t.instance, country, state);
        if (state === 'closed') healthy.push(target);
        else if (state === 'open') openHere.push(target);
        else if (breaker?.takeProbe(now)) probes.push(target.target);
        else restingHere.push(target);
      }
      first.push(...probes, ...weightedOrder(healthy, this.deps.random).map((t) => t.target));
      resting.push(...weightedOrder(restingHere, this.deps.random).map((t) => t.target));
      open.push(...weightedOrder(openHere, this.deps.random).map((t) => t.target));
    }
    const inRotation = [...first, ...resting];
    return inRotation.length > 0 ? inRotation : open;
  }

  private breaker(instance: string, country: string, now: number): CircuitBreaker {
    const key = `${instance}|${country}`;
    let entry = this.breakers.get(key);
    if (!entry) {
      entry = { instance, country, breaker: new CircuitBreaker(this.health, now) };
      this.breakers.set(key, entry);
    }
    return entry.breaker;
  }

  private publish(instance: string, country: string, state: BreakerState): void {
    this.deps.metrics?.circuitState.set({ provider: instance, country }, STATE_GAUGE[state]);
  }
}
