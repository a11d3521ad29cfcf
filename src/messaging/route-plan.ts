import type { Channel, DeliveryProvider } from '../providers/provider.ts';

/** One provider instance a route may send through. */
export interface RouteTarget {
  /** Its instance name (ProviderDeps.instance): what attempts, receipts, metrics and the console call it. */
  instance: string;
  provider: DeliveryProvider;
}

/** What one send needs routed. */
export interface RouteRequest {
  channel: Channel;
  /** E.164 number (or an e-mail address for the email channel). */
  to: string;
  serviceSid: string;
}

/**
 * The providers one send tries, in order: the first, then each failover. The same rendered message
 * (the same code) goes to each; a provider never appears twice.
 */
export interface RoutePlan {
  /** The route that matched (`default:<channel>` when none is configured), for attempts, metrics and the console. */
  routeId: string;
  targets: RouteTarget[];
  /** Fail over to the next target when no final status arrived within this many ms; undefined: never by time. */
  deliveryTimeoutMs: number | undefined;
}

/** How an attempt through a target ended, for its health (the circuit breaker). */
export type AttemptOutcome = 'delivered' | 'undelivered' | 'rejected' | 'timeout';

/** Chooses the route for a send and orders its targets by health (src/messaging/routing/). */
export interface MessageRouter {
  plan(request: RouteRequest): RoutePlan;
  /** Records how an attempt through `instance` ended, so an unhealthy provider leaves rotation. */
  observe(event: { instance: string; channel: Channel; to: string; outcome: AttemptOutcome; at: number }): void;
}
