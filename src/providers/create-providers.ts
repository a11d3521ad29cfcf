import type { Kysely } from 'kysely';
import type { Config, ProviderName } from '../config/config.ts';
import type { Clock } from '../crypto/clock.ts';
import type { Database } from '../store/schema.ts';
import { createConsoleProvider } from './console/console-provider.ts';
import type { Channel, DeliveryProvider } from './provider.ts';
import { SimulatorInbox } from './simulator/simulator-inbox.ts';
import { createSimulatorProvider } from './simulator/simulator-provider.ts';
import { createSmtpProvider } from './smtp/smtp-provider.ts';
import { createTwilioProvider } from './twilio/twilio-provider.ts';

/** Builds one provider per channel from the configuration (validated at boot by loadConfig). */
export function createProviders(config: Config, db: Kysely<Database>, clock: Clock): { providers: Partial<Record<Channel, DeliveryProvider>>; simulator: SimulatorInbox | undefined } {
  const names = Object.values(config.providers);
  const simulator = names.includes('simulator') ? new SimulatorInbox({ db, clock }) : undefined;
  const cache = new Map<ProviderName, DeliveryProvider>();
  const build = (name: ProviderName): DeliveryProvider | undefined => {
    if (name === 'none') return undefined;
    const existing = cache.get(name);
    if (existing) return existing;
    let provider: DeliveryProvider;
    switch (name) {
      case 'simulator':
        provider = createSimulatorProvider({ inbox: simulator as SimulatorInbox, smsFrom: config.smsFrom, emailFrom: config.emailFrom });
        break;
      case 'console':
        provider = createConsoleProvider({});
        break;
      case 'twilio':
        provider = createTwilioProvider({
          accountSid: config.twilio.accountSid as string,
          authToken: config.twilio.authToken as string,
          apiKeySid: config.twilio.apiKeySid,
          apiBase: config.twilio.apiBase,
          from: config.smsFrom,
        });
        break;
      case 'bandwidth':
        // Voice only: calls are placed by src/voice, never through a DeliveryProvider.
        return undefined;
      case 'smtp':
        provider = createSmtpProvider({ url: config.smtpUrl as string, from: config.emailFrom });
        break;
    }
    cache.set(name, provider);
    return provider;
  };
  const providers: Partial<Record<Channel, DeliveryProvider>> = {};
  const configured = { sms: config.providers.sms, call: config.providers.voice, email: config.providers.email } as const;
  for (const channel of ['sms', 'call', 'email'] as const) {
    const provider = build(configured[channel]);
    if (provider) providers[channel] = provider;
  }
  return { providers, simulator };
}
