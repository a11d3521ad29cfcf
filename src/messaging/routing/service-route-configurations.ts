import { derivedMessagingServiceSid } from '../../config/messaging-config.ts';
import type { Clock } from '../../crypto/clock.ts';
import type { MessagingConfigurationRow } from '../../store/schema.ts';
import type { StoreSet } from '../../store/store-set.ts';
import type { MessagingRouting } from './messaging-routing.ts';
import { mayChoose, type Route } from './route-table.ts';

/**
 * The rules of Verify's MessagingConfigurations resource: a service chooses, per destination
 * country (or `all`), one of the configured SMS routes. Each change reloads this node's copy at
 * once (the others within ServiceRouteChoices' maximum age).
 */
interface Deps {
  stores: Pick<StoreSet, 'messagingConfigurations'>;
  clock: Clock;
  routing: Pick<MessagingRouting, 'table' | 'serviceChoices'>;
}

/**
 * The SMS route `name` names (a route's messagingServiceSid or id) that `serviceSid` may choose;
 * undefined for none, a route of another channel, or a route the file limits to other services (an
 * operator's dedicated route is not any tenant's to take).
 */
export function smsRouteNamed(routing: Pick<MessagingRouting, 'table'>, name: string, serviceSid: string): Route | undefined {
  const route = routing.table.find(name);
  return route?.channel === 'sms' && mayChoose(route, serviceSid) ? route : undefined;
}

/** The MessagingServiceSid a stored choice shows: its route's, or the one its id derives when the route is gone from the file. */
export function messagingServiceSidOf(routing: Pick<MessagingRouting, 'table'>, routeId: string): string {
  return routing.table.find(routeId)?.messagingServiceSid ?? derivedMessagingServiceSid(routeId);
}

/** Stores the service's choice for `country`; `exists` when it has one (update it instead). */
export async function createRouteChoice(deps: Deps, input: { accountSid: string; serviceSid: string; country: string; route: Route }): Promise<MessagingConfigurationRow | 'exists'> {
  const now = deps.clock.now();
  const row = { service_sid: input.serviceSid, country: input.country, account_sid: input.accountSid, route_id: input.route.id, date_created: now, date_updated: now };
  if (!(await deps.stores.messagingConfigurations.insert(row))) return 'exists';
  await deps.routing.serviceChoices.refresh();
  return row;
}

/** Points the service's choice for `country` at `route`; undefined when it has none. */
export async function updateRouteChoice(deps: Deps, serviceSid: string, country: string, route: Route): Promise<MessagingConfigurationRow | undefined> {
  const row = await deps.stores.messagingConfigurations.update(serviceSid, country, { route_id: route.id, date_updated: deps.clock.now() });
  if (row) await deps.routing.serviceChoices.refresh();
  return row;
}

export async function deleteRouteChoice(deps: Deps, serviceSid: string, country: string): Promise<boolean> {
  const deleted = await deps.stores.messagingConfigurations.delete(serviceSid, country);
  if (deleted) await deps.routing.serviceChoices.refresh();
  return deleted;
}
