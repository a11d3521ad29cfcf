import type { ProviderPlugin } from '../provider-plugin.ts';
import { createPlivoProvider } from './plivo-provider.ts';
import { receiptUrl } from '../receipt-url.ts';
import { PLIVO_CALLBACK, plivoRoutes } from './plivo-routes.ts';
import { PLIVO_SETTINGS, plivoSettings } from './plivo-settings.ts';

/**
 * Plivo: SMS through the Message API, with delivery receipts from its status callbacks
 * (`/messaging/<instance>/status`, X-Plivo-Signature-V3). Its settings (plivo-settings.ts) are checked at boot.
 */
export const plivoPlugin: ProviderPlugin = {
  name: 'plivo',
  developmentOnly: false,
  settings: PLIVO_SETTINGS,
  delivery: {
    channels: ['sms'],
    create({ config, instance, logger, deliveryStatus }) {
      const settings = plivoSettings(config);
      const provider = createPlivoProvider({
        authId: settings.authId,
        authToken: settings.authToken,
        apiBase: settings.apiBase,
        timeoutMs: settings.timeoutMs,
        from: config.smsFrom,
        powerpackUuid: settings.powerpackUuid,
        statusUrl: receiptUrl(config.publicUrl, instance, PLIVO_CALLBACK),
      });
      return { provider, routes: (app) => plivoRoutes(app, { instance, authToken: settings.authToken, publicUrl: config.publicUrl, logger, deliveryStatus }) };
    },
  },
};
