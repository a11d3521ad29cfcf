import type { Config } from '../../config/config.ts';
import { DEFAULT_HEALTH } from '../../config/messaging-config.ts';
import type { Clock } from '../../crypto/clock.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Channel, DeliveryProvider } from '../../providers/provider.ts';
import type { StoreSet } from '../../store/store-set.ts';
import { restoreHealth } from './health-history.ts';
import { MessagingRouter, type RoutableInstance } from './messaging-router.ts';
import { implicitRoute, RouteTable, type Route } from './route-table.ts';
import type { RoutingSnapshot } from './routing-snapshot.ts';
import { ServiceRouteChoices } from './service-route-choices.ts';
import type { RandomSource } from './weighted-order.ts';

/** The routing of a Verity process: the router the dispatcher plans with, its table, and the services' choices. */
export interface MessagingRouting {
  readonly router: MessagingRouter;
  readonly table: RouteTable;
  /** The services' MessagingConfigurations as this node holds them; refresh() after changing one. */
  readonly serviceChoices: ServiceRouteChoices;
  snapshot(): RoutingSnapshot;
  /** Before serving: loads the services' choices and rebuilds the breakers from the last window's attempts. */
  start(): Promise<void>;
}

type Instance = RoutableInstance & { channels: readonly Channel[] };

/** Each channel's VERITY_*_PROVIDER (the one that speaks a code in a call: VERITY_VOICE_PROVIDER). */
function selectedPlugin(config: Config, channel: Channel): string {
  return channel === 'call' ? config.providers.voice : config.providers[channel];
}

/**
 * The instances routes may name and each channel's default instance: the built ones, plus any
 * provider a test put in place of a channel's.
 */
function routableInstances(config: Config, providers: Partial<Record<Channel, DeliveryProvider>>, built: ReadonlyMap<string, Instance>): { instances: Map<string, Instance>; defaults: Partial<Record<Channel, string>> } {
  const instances = new Map(built);
  const defaults: Partial<Record<Channel, string>> = {};
  for (const [channel, provider] of Object.entries(providers) as [Channel, DeliveryProvider | undefined][]) {
    if (!provider) continue;
    let instance = [...instances.values()].find((i) => i.provider === provider);
    if (!instance) {
      // A test's provider: named by its own name (as its attempts are), after the plug-in it replaces.
      instance = { name: instances.has(provider.name) ? `${provider.name}-${channel}` : provider.name, plugin: selectedPlugin(config, channel), provider, channels: [channel] };
      instances.set(instance.name, instance);
    }
    defaults[channel] = instance.name;
  }
  return { instances, defaults };
}

/**
 * The route table of this configuration: VERITY_MESSAGING_CONFIG's routes, then for each channel
 * that has no route for every number and service, its implicit route to its default instance (its
 * VERITY_*_PROVIDER's). Without the file: one implicit route per channel, exactly the
 * single-provider delivery of before.
 */
function routeTableOf(config: Config, defaults: Partial<Record<Channel, string>>): RouteTable {
  const configured: Route[] = (config.messaging?.routes ?? []).map((route) => ({ ...route, channel: route.channel as Channel, implicit: false }));
  const implicit = (Object.entries(defaults) as [Channel, string][]).flatMap(([channel, instance]) => {
    const hasDefault = configured.some((route) => route.channel === channel && route.prefixes.length === 0 && route.services.length === 0);
    return hasDefault ? [] : [implicitRoute(channel, instance)];
  });
  return new RouteTable([...configured, ...implicit]);
}

/** Builds the routing of a process from its configuration and built instances; call `start()` before serving. */
export function createMessagingRouting(deps: {
  config: Config;
  /** Each channel's provider (AppContext.providers: the built ones, or a test's). */
  providers: Partial<Record<Channel, DeliveryProvider>>;
  /** Every built instance (createProviders). */
  instances: ReadonlyMap<string, Instance>;
  stores: Pick<StoreSet, 'messagingConfigurations' | 'deliveryAttempts'>;
  clock: Clock;
  metrics: Pick<Metrics, 'circuitState' | 'routeSelections'>;
  onError: (error: unknown) => void;
  random?: RandomSource;
}): MessagingRouting {
  const { instances, defaults } = routableInstances(deps.config, deps.providers, deps.instances);
  const table = routeTableOf(deps.config, defaults);
  const health = deps.config.messaging?.health ?? DEFAULT_HEALTH;
  const serviceChoices = new ServiceRouteChoices({ load: () => deps.stores.messagingConfigurations.all(), clock: deps.clock, onError: deps.onError });
  const router = new MessagingRouter({
    table,
    instances,
    clock: deps.clock,
    random: deps.random ?? Math.random,
    health,
    serviceChoices,
    metrics: deps.metrics,
    configured: deps.config.messaging !== undefined,
  });
  return {
    router,
    table,
    serviceChoices,
    snapshot: () => router.snapshot(),
    start: async () => {
      await Promise.all([serviceChoices.refresh(), restoreHealth(router, deps.stores.deliveryAttempts, deps.clock, health)]);
    },
  };
}
