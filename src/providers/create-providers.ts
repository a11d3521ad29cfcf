import type { Config } from '../config/config.ts';
import type { MessagingInstance } from '../config/messaging-config.ts';
import type { VoiceProvider } from '../voice/voice-provider.ts';
import type { BuiltDelivery, ProviderDeps, ProviderRoutes } from './provider-plugin.ts';
import type { Channel, DeliveryProvider } from './provider.ts';
import { providerPlugin } from './registry.ts';
import type { SimulatorInbox } from './simulator/simulator-inbox.ts';

/** One built provider instance: a plug-in with its own settings, named as attempts, receipts and routes call it. */
interface ProviderInstance {
  name: string;
  plugin: string;
  provider: DeliveryProvider;
  channels: readonly Channel[];
}

export interface DeliveryProviders {
  /** Delivery provider per channel (its VERITY_*_PROVIDER's instance); absent means no default for the channel. */
  providers: Partial<Record<Channel, DeliveryProvider>>;
  /** Every built instance by name: the selected plug-ins (named after the plug-in) and VERITY_MESSAGING_CONFIG's. */
  instances: ReadonlyMap<string, ProviderInstance>;
  /** The development inbox, when a configured provider has one (the simulator). */
  simulator: SimulatorInbox | undefined;
  /** Their routes, for buildApp. */
  routes: ProviderRoutes[];
}

/** The plug-in each channel's selector names: VERITY_SMS_PROVIDER, VERITY_VOICE_PROVIDER (a call that speaks the code), … */
function selectedPlugins(config: Config): Record<Channel, string> {
  return { sms: config.providers.sms, call: config.providers.voice, email: config.providers.email, whatsapp: config.providers.whatsapp };
}

/**
 * The configuration one instance is built with: the shared settings, its plug-in's rows replaced by
 * the instance's own (so a plug-in reads them with settingValues as ever), and its sender.
 */
function instanceConfig(config: Config, instance: MessagingInstance): Config {
  if (!instance.declared) return config;
  const own: Partial<Config> = { providerSettings: { ...config.providerSettings, ...instance.settings }, smsFrom: instance.from ?? config.smsFrom };
  // A view, not a copy: every other field reads the one configuration (a test sets publicUrl once its port is known).
  return new Proxy(config, { get: (target, key, receiver) => (Object.hasOwn(own, key) ? own[key as keyof Config] : Reflect.get(target, key, receiver)) });
}

/**
 * Builds every provider instance: each channel's VERITY_*_PROVIDER plug-in (loadConfig checked its
 * settings; built once however many channels name it, under the plug-in's name) and each instance
 * of VERITY_MESSAGING_CONFIG, under its own name, so two accounts of one plug-in coexist (their
 * webhooks under `/messaging/<instance>/…`). A call that speaks the message goes through
 * VERITY_VOICE_PROVIDER's plug-in.
 */
export function createProviders(config: Config, deps: ProviderDeps): DeliveryProviders {
  const built = new Map<string, { instance: ProviderInstance; delivery: BuiltDelivery }>();
  const build = (name: string, pluginName: string, instanceConfigured: Config): ProviderInstance | undefined => {
    const existing = built.get(name);
    if (existing) return existing.instance;
    const plugin = providerPlugin(pluginName);
    if (!plugin?.delivery) return undefined;
    const delivery = plugin.delivery.create({ ...deps, config: instanceConfigured, instance: name });
    const instance = { name, plugin: plugin.name, provider: delivery.provider, channels: plugin.delivery.channels };
    built.set(name, { instance, delivery });
    return instance;
  };
  // Declared instances first: one named after its own plug-in is also that plug-in's selector instance.
  for (const instance of config.messaging?.instances ?? []) build(instance.name, instance.plugin, instanceConfig(config, instance));
  const providers: Partial<Record<Channel, DeliveryProvider>> = {};
  for (const [channel, name] of Object.entries(selectedPlugins(config)) as [Channel, string][]) {
    if (!providerPlugin(name)?.delivery?.channels.includes(channel)) continue;
    const instance = build(name, name, config);
    if (instance) providers[channel] = instance.provider;
  }
  const all = [...built.values()].map(({ delivery }) => delivery);
  return {
    providers,
    instances: new Map([...built].map(([name, { instance }]) => [name, instance])),
    simulator: all.find((delivery) => delivery.inbox !== undefined)?.inbox,
    routes: all.flatMap((delivery) => (delivery.routes ? [delivery.routes] : [])),
  };
}

/** Builds the voice provider VERITY_VOICE_PROVIDER names (none: the call channels are disabled). */
export function createVoiceProvider(config: Config, deps: ProviderDeps): { provider: VoiceProvider | undefined; routes: ProviderRoutes[] } {
  const voice = providerPlugin(config.providers.voice)?.voice?.create(deps);
  return { provider: voice?.provider, routes: voice?.routes ? [voice.routes] : [] };
}
