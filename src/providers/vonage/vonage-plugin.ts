import type { ProviderPlugin } from '../provider-plugin.ts';
import { receiptUrl } from '../receipt-url.ts';
import { vonageDlrRoutes } from './vonage-dlr-routes.ts';
import { createVonageProvider } from './vonage-provider.ts';
import { VONAGE_SETTINGS, vonageSettings } from './vonage-settings.ts';

/**
 * Vonage SMS API: SMS through `POST /sms/json`, delivery receipts at `/messaging/<instance>/dlr`
 * signed with the account's signature secret. Without a signature secret no receipts are asked for,
 * unless VERITY_VONAGE_ALLOW_UNSIGNED_DLR says to take them unsigned.
 */
export const vonagePlugin: ProviderPlugin = {
  name: 'vonage',
  developmentOnly: false,
  settings: VONAGE_SETTINGS,
  delivery: {
    channels: ['sms'],
    create({ config, instance, deliveryStatus, clock, logger }) {
      const s = vonageSettings(config);
      const signature = s.signatureSecret !== undefined ? { secret: s.signatureSecret, method: s.signatureMethod } : undefined;
      if (s.signRequests && !signature) throw new Error('VERITY_VONAGE_SIGN_REQUESTS needs VERITY_VONAGE_SIGNATURE_SECRET');
      const receipts = signature !== undefined || s.allowUnsignedDlr;
      if (signature === undefined && s.allowUnsignedDlr) logger.warn({ provider: instance }, 'Vonage DLRs are taken unsigned (VERITY_VONAGE_ALLOW_UNSIGNED_DLR): anyone who knows the URL can forge delivery statuses');
      const provider = createVonageProvider({
        apiKey: s.apiKey,
        apiSecret: s.apiSecret,
        signing: s.signRequests ? signature : undefined,
        from: s.from ?? config.smsFrom,
        callbackUrl: receipts ? receiptUrl(config.publicUrl, instance, 'dlr') : undefined,
        currency: s.currency,
        apiBase: s.apiBase,
        timeoutMs: s.timeoutMs,
        now: () => clock.now() / 1000,
      });
      return {
        provider,
        ...(receipts ? { routes: (app) => vonageDlrRoutes(app, { instance, signature, sink: deliveryStatus, clock, logger }) } : {}),
      };
    },
  },
};
