import { settingValues } from '../../config/config.ts';
import { virtualPhoneRoutes } from '../../virtual-phone/virtual-phone-routes.ts';
import type { ProviderPlugin } from '../provider-plugin.ts';
import { SimulatorPhoneNetwork, type ScheduleTimer } from './phone-network.ts';
import { EspeakPromptAudio } from '../../audio/prompt-audio.ts';
import { realTimers } from './simulated-call.ts';
import { sharedInbox } from './simulator-inbox.ts';
import { SimulatedDelivery } from './simulated-delivery.ts';
import { parseDeliveryRules, parseLatency, seededRandom } from './delivery-rules.ts';
import { simulatorInboxRoutes } from './simulator-inbox-routes.ts';
import { createSimulatorProvider } from './simulator-provider.ts';
import { simulatorPhoneRoutes } from './simulator-phone-routes.ts';
import { SIMULATOR_FLASHCALL_RANGE, SIMULATOR_SETTINGS } from './simulator-settings.ts';

/**
 * The simulated carrier (development only, the default outside production): messages land in an
 * inbox (`/sim/v1/inbox/…`) and report delivery statuses (VERITY_SIMULATOR_DELIVERY chooses
 * failures; `POST /sim/v1/messages/{id}/status` sets one by hand), calls ring simulated phones
 * (`/sim/v1/phones/…`), and the virtual phone page (`/phone`) plays both. Nothing leaves the machine.
 */
export const simulatorPlugin: ProviderPlugin = {
  name: 'simulator',
  developmentOnly: true,
  developmentDefault: true,
  simulated: true,
  settings: SIMULATOR_SETTINGS,
  delivery: {
    channels: ['sms', 'call', 'email', 'whatsapp'],
    create({ config, stores, clock, logger, instance, deliveryStatus }) {
      const settings = settingValues(config, SIMULATOR_SETTINGS);
      const inbox = sharedInbox(stores.simMessages, clock);
      const scale = settings.VERITY_SIMULATOR_TIME_SCALE;
      const delivery = new SimulatedDelivery({
        instance,
        inbox,
        sink: deliveryStatus,
        clock,
        timers: (callback, ms) => realTimers(callback, ms * scale),
        logger,
        rules: parseDeliveryRules(settings.VERITY_SIMULATOR_DELIVERY),
        latency: parseLatency(settings.VERITY_SIMULATOR_LATENCY_MS),
        random: seededRandom(settings.VERITY_SIMULATOR_SEED),
      });
      return {
        provider: createSimulatorProvider({ inbox, smsFrom: config.smsFrom, emailFrom: config.emailFrom, delivery }),
        inbox,
        async routes(app, ctx) {
          app.addHook('onClose', async () => delivery.close());
          // Several simulator instances (two simulated carriers) share one inbox and one set of routes.
          if (app.hasRoute({ method: 'GET', url: '/sim/v1/inbox/:address' })) return;
          simulatorInboxRoutes(app, ctx, inbox, delivery);
          // The virtual phone page plays the simulated carrier's phones: a development tool, never in production.
          virtualPhoneRoutes(app);
        },
      };
    },
  },
  voice: {
    flashCallRange: SIMULATOR_FLASHCALL_RANGE,
    create({ config, clock, logger, events }) {
      const scale = settingValues(config, SIMULATOR_SETTINGS).VERITY_SIMULATOR_TIME_SCALE;
      const timers: ScheduleTimer = (callback, ms) => realTimers(callback, ms * scale);
      const network = new SimulatorPhoneNetwork({ clock, events, audio: new EspeakPromptAudio({ logger }), logger, timers });
      return { provider: network, routes: (app, ctx) => simulatorPhoneRoutes(app, ctx, network) };
    },
  },
};
