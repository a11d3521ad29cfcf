import type { ProviderPlugin } from '../provider-plugin.ts';
import { kannelDlrPath, kannelDlrUrl } from './kannel-dlr.ts';
import { kannelDlrRoutes } from './kannel-dlr-routes.ts';
import { createKannelProvider } from './kannel-provider.ts';
import { KANNEL_SETTINGS, kannelSettings } from './kannel-settings.ts';

/**
 * Kannel: SMS through a Kannel gateway's HTTP sendsms (smsbox), so any SMSC Kannel speaks is
 * reachable; its delivery reports come back to `/messaging/<instance>/dlr`, authenticated by the
 * token in the dlr-url (kannel-dlr.ts). Settings in kannel-settings.ts, checked at boot.
 */
export const kannelPlugin: ProviderPlugin = {
  name: 'kannel',
  developmentOnly: false,
  settings: KANNEL_SETTINGS,
  delivery: {
    channels: ['sms'],
    create({ config, instance, deliveryStatus, logger, callbackKey }) {
      if (!callbackKey) throw new Error('the kannel provider needs ProviderDeps.callbackKey (its dlr-url tokens are made with it)');
      kannelDlrPath(instance);
      const key = callbackKey(`kannel-dlr/${instance}`);
      const settings = kannelSettings(config);
      return {
        provider: createKannelProvider({ ...settings, dlrUrl: (attemptId) => kannelDlrUrl(config.publicUrl, instance, key, attemptId) }),
        routes: (app) => kannelDlrRoutes(app, { instance, key, deliveryStatus, logger }),
      };
    },
  },
};
