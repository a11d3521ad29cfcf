import type { ProviderName } from '../config/config.ts';
import { bandwidthPlugin } from './bandwidth/bandwidth-plugin.ts';
import { consolePlugin } from './console/console-plugin.ts';
import type { ProviderPlugin } from './provider-plugin.ts';
import { simulatorPlugin } from './simulator/simulator-plugin.ts';
import { smtpPlugin } from './smtp/smtp-plugin.ts';
import { twilioPlugin } from './twilio/twilio-plugin.ts';

/**
 * Every delivery and voice provider Verity can use: the one table. Each plug-in lives in its own
 * folder; create-providers.ts builds the configured ones, buildApp mounts their routes, and
 * test/providers/ runs the shared contract suite over each. See docs/providers.md.
 */
export const PROVIDER_PLUGINS: readonly ProviderPlugin[] = [simulatorPlugin, consolePlugin, smtpPlugin, twilioPlugin, bandwidthPlugin];

/** The plug-in a VERITY_*_PROVIDER value names; undefined for `none`. */
export function providerPlugin(name: ProviderName): ProviderPlugin | undefined {
  return PROVIDER_PLUGINS.find((plugin) => plugin.name === name);
}
