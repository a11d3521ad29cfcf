import type { Config } from '../config/config.ts';
import type { VoiceProvider } from '../voice/voice-provider.ts';
import type { BuiltDelivery, ProviderDeps, ProviderPlugin, ProviderRoutes } from './provider-plugin.ts';
import type { Channel, DeliveryProvider } from './provider.ts';
import { providerPlugin } from './registry.ts';
import type { SimulatorInbox } from './simulator/simulator-inbox.ts';

export interface DeliveryProviders {
  /** Delivery provider per channel; absent means the channel is disabled. */
  providers: Partial<Record<Channel, DeliveryProvider>>;
  /** The development inbox, when a configured provider has one (the simulator). */
  simulator: SimulatorInbox | undefined;
  /** Their routes, for buildApp. */
  routes: ProviderRoutes[];
}

/**
 * Builds the delivery provider of each channel from the plug-in the configuration names (loadConfig
 * checked its settings). A call that speaks the message goes through VERITY_VOICE_PROVIDER's plug-in.
 * A plug-in chosen for several channels is built once.
 */
export function createProviders(config: Config, deps: ProviderDeps): DeliveryProviders {
  const configured: Record<Channel, Config['providers']['sms']> = { sms: config.providers.sms, call: config.providers.voice, email: config.providers.email };
  const built = new Map<ProviderPlugin, BuiltDelivery>();
  const providers: Partial<Record<Channel, DeliveryProvider>> = {};
  for (const channel of ['sms', 'call', 'email'] as const) {
    const plugin = providerPlugin(configured[channel]);
    if (!plugin?.delivery?.channels.includes(channel)) continue;
    let delivery = built.get(plugin);
    if (!delivery) {
      delivery = plugin.delivery.create(deps);
      built.set(plugin, delivery);
    }
    providers[channel] = delivery.provider;
  }
  const all = [...built.values()];
  return {
    providers,
    simulator: all.find((delivery) => delivery.inbox !== undefined)?.inbox,
    routes: all.flatMap((delivery) => (delivery.routes ? [delivery.routes] : [])),
  };
}

/** Builds the voice provider VERITY_VOICE_PROVIDER names (none: the call channels are disabled). */
export function createVoiceProvider(config: Config, deps: ProviderDeps): { provider: VoiceProvider | undefined; routes: ProviderRoutes[] } {
  const voice = providerPlugin(config.providers.voice)?.voice?.create(deps);
  return { provider: voice?.provider, routes: voice?.routes ? [voice.routes] : [] };
}
