import type { ProviderPlugin } from '../provider-plugin.ts';
import { createSnsProvider } from './sns-provider.ts';
import { snsNotificationRoutes } from './sns-notification-routes.ts';
import { SNS_SETTINGS, snsSettings } from './sns-settings.ts';

/**
 * AWS SNS: SMS through `Publish` with the official AWS SDK. No delivery receipts of its own (SNS
 * logs SMS deliveries to CloudWatch Logs only), so its attempts end at `sent`; with
 * VERITY_SNS_STATUS_TOPIC_ARN it also takes those logs forwarded through an SNS topic
 * (`/messaging/<instance>/notifications`). Settings: sns-settings.ts.
 */
export const snsPlugin: ProviderPlugin = {
  name: 'sns',
  developmentOnly: false,
  settings: SNS_SETTINGS,
  delivery: {
    channels: ['sms'],
    create({ config, instance, clock, logger, deliveryStatus }) {
      const settings = snsSettings(config);
      const topicArn = settings.statusTopicArn;
      return {
        provider: createSnsProvider(settings),
        ...(topicArn ? { routes: (app) => snsNotificationRoutes(app, { instance, topicArn, clock, logger, deliveryStatus }) } : {}),
      };
    },
  },
};
