import type { ProviderOption, ProviderSelector } from '../config/config-rows.ts';
import { loadConfig, type Config } from '../config/config.ts';
import { bandwidthPlugin } from './bandwidth/bandwidth-plugin.ts';
import { consolePlugin } from './console/console-plugin.ts';
import { kannelPlugin } from './kannel/kannel-plugin.ts';
import { plivoPlugin } from './plivo/plivo-plugin.ts';
import type { ProviderPlugin } from './provider-plugin.ts';
import { sipPlugin } from './sip/sip-plugin.ts';
import { simulatorPlugin } from './simulator/simulator-plugin.ts';
import { smppPlugin } from './smpp/smpp-plugin.ts';
import { smtpPlugin } from './smtp/smtp-plugin.ts';
import { snsPlugin } from './sns/sns-plugin.ts';
import { telnyxPlugin } from './telnyx/telnyx-plugin.ts';
import { twilioPlugin } from './twilio/twilio-plugin.ts';
import { vonagePlugin } from './vonage/vonage-plugin.ts';
import { whatsAppPlugin } from './whatsapp/whatsapp-plugin.ts';

/**
 * Every delivery and voice provider Verity can use: the one table. Each plug-in lives in its own
 * folder; create-providers.ts builds the configured ones, buildApp mounts their routes, and
 * test/providers/ runs the shared contract suite over each. See docs/providers.md.
 * The order is the order of the selectors' values and of the settings in docs/configuration.md.
 */
export const PROVIDER_PLUGINS: readonly ProviderPlugin[] = [simulatorPlugin, consolePlugin, twilioPlugin, bandwidthPlugin, smtpPlugin, smppPlugin, kannelPlugin, whatsAppPlugin, telnyxPlugin, plivoPlugin, snsPlugin, vonagePlugin, sipPlugin];

/** The plug-in a VERITY_*_PROVIDER value names; undefined for `none`. */
export function providerPlugin(name: string): ProviderPlugin | undefined {
  return PROVIDER_PLUGINS.find((plugin) => plugin.name === name);
}

/** The selectors that may name a plug-in: VERITY_VOICE_PROVIDER picks the voice provider (and the call channel with it). */
function selectableBy(plugin: ProviderPlugin): ProviderSelector[] {
  const channels = plugin.delivery?.channels ?? [];
  return [
    ...(channels.includes('sms') ? ['sms' as const] : []),
    ...(plugin.voice ? ['voice' as const] : []),
    ...(channels.includes('email') ? ['email' as const] : []),
    ...(channels.includes('whatsapp') ? ['whatsapp' as const] : []),
  ];
}

/**
 * What loadConfig needs of each plug-in (its name, selectors and settings): the entry points pass
 * this to `loadConfig(env, PROVIDER_OPTIONS)`, since config, the bottom layer, imports no plug-in.
 */
export const PROVIDER_OPTIONS: readonly ProviderOption[] = PROVIDER_PLUGINS.map((plugin) => ({
  name: plugin.name,
  selectableBy: selectableBy(plugin),
  developmentOnly: plugin.developmentOnly,
  developmentDefault: plugin.developmentDefault === true,
  ...(plugin.voice?.flashCallRange ? { flashCallRange: plugin.voice.flashCallRange } : {}),
  settings: plugin.settings,
  channels: plugin.delivery?.channels ?? [],
}));

/** The configuration from the environment, with every registered provider's settings: what the entry points and tests load. */
export function loadVerityConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(env, PROVIDER_OPTIONS);
}
