import { derivedMessagingServiceSid, type MessagingRouteConfig } from '../../config/messaging-config.ts';
import type { Channel } from '../../providers/provider.ts';
import type { RouteRequest } from '../route-plan.ts';

/** A route as the router uses it: the configured one, or a channel's implicit default. */
export interface Route extends MessagingRouteConfig {
  channel: Channel;
  /** `default:<channel>`: no VERITY_MESSAGING_CONFIG route served the channel, so its VERITY_*_PROVIDER does. */
  implicit: boolean;
}

/** The implicit route of a channel: its VERITY_*_PROVIDER instance alone, never failing over by time (today's behaviour). */
export function implicitRoute(channel: Channel, instance: string): Route {
  const id = `default:${channel}`;
  return { id, channel, prefixes: [], services: [], messagingServiceSid: derivedMessagingServiceSid(id), targets: [{ instance, tier: 1, weight: 1 }], deliveryTimeoutMs: undefined, implicit: true };
}

/** The length of the longest of `route`'s prefixes that `to` starts with; 0 for a route of every number; -1: not for `to`. */
function prefixMatch(route: Route, to: string): number {
  if (route.prefixes.length === 0) return 0;
  return Math.max(-1, ...route.prefixes.filter((prefix) => to.startsWith(prefix)).map((prefix) => prefix.length));
}

/**
 * Finds the route of a send: a route limited to the request's service first, then one for every
 * service; among those, the longest matching E.164 prefix wins, a route without prefixes (the
 * channel's default) matching last. A channel no configured route serves falls back to its
 * implicit route.
 */
export class RouteTable {
  private readonly byId: ReadonlyMap<string, Route>;
  private readonly bySid: ReadonlyMap<string, Route>;

  constructor(readonly routes: readonly Route[]) {
    this.byId = new Map(routes.map((route) => [route.id, route]));
    this.bySid = new Map(routes.map((route) => [route.messagingServiceSid, route]));
  }

  /** A route by its id or its MessagingServiceSid. */
  find(idOrSid: string): Route | undefined {
    return this.byId.get(idOrSid) ?? this.bySid.get(idOrSid);
  }

  match(request: RouteRequest): Route | undefined {
    const forChannel = this.routes.filter((route) => route.channel === request.channel && !route.implicit);
    const best = (candidates: readonly Route[]) => {
      let found: Route | undefined;
      let length = -1;
      for (const route of candidates) {
        const matched = prefixMatch(route, request.to);
        if (matched > length) [found, length] = [route, matched];
      }
      return found;
    };
    return best(forChannel.filter((route) => route.services.includes(request.serviceSid)))
      ?? best(forChannel.filter((route) => route.services.length === 0))
      ?? this.routes.find((route) => route.implicit && route.channel === request.channel);
  }
}

/** A route limited to some services serves only them, whether matched or chosen through a MessagingConfiguration. */
export function mayChoose(route: Pick<Route, 'services'>, serviceSid: string): boolean {
  return route.services.length === 0 || route.services.includes(serviceSid);
}
