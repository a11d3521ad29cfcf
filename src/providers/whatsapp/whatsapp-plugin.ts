import type { ProviderPlugin } from '../provider-plugin.ts';
import { createWhatsAppProvider } from './whatsapp-provider.ts';
import { whatsAppRoutes } from './whatsapp-routes.ts';
import { WHATSAPP_SETTINGS, whatsAppSettings } from './whatsapp-settings.ts';

/**
 * WhatsApp through Meta's Cloud API: authentication templates with a copy-code button, delivery
 * statuses from the app's signed webhook (`/messaging/<instance>/webhook`). Selected by
 * VERITY_WHATSAPP_PROVIDER=whatsapp; its settings (whatsapp-settings.ts) are checked at boot.
 */
export const whatsAppPlugin: ProviderPlugin = {
  name: 'whatsapp',
  developmentOnly: false,
  settings: WHATSAPP_SETTINGS,
  delivery: {
    channels: ['whatsapp'],
    create({ config, instance, logger, deliveryStatus }) {
      const settings = whatsAppSettings(config);
      const provider = createWhatsAppProvider(settings);
      return { provider, routes: (app) => whatsAppRoutes(app, { instance, appSecret: settings.appSecret, verifyToken: settings.verifyToken, logger, deliveryStatus }) };
    },
  },
};
