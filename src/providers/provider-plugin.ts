import type { Logger } from 'pino';
import type { SettingRows } from '../config/config-rows.ts';
import type { Config } from '../config/config.ts';
import type { AppContext } from '../context.ts';
import type { DeliveryStatusSink } from '../messaging/delivery-status.ts';
import type { Clock } from '../crypto/clock.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { CallEvents, VoiceProvider } from '../voice/voice-provider.ts';
import type { Channel, DeliveryProvider } from './provider.ts';
import type { SimulatorInbox } from './simulator/simulator-inbox.ts';

/** What a provider's factories may use. Its own settings are read from `config` with its `<name>-settings.ts`. */
export interface ProviderDeps {
  config: Config;
  /** The stores a provider keeps data in (the simulator's inbox). */
  stores: Pick<StoreSet, 'simMessages'>;
  clock: Clock;
  logger: Logger;
  /** Where a voice provider reports call events (the call router, built after the providers, hence a getter). */
  events: () => CallEvents;
  /**
   * The name this provider is built under: the plug-in's name, or an instance name from the
   * messaging configuration (two SMPP accounts, two Vonage keys). Its receipt webhooks live under
   * `/messaging/<instance>/…` and its delivery reports carry it.
   */
  instance: string;
  /** Where it reports delivery statuses (receipts) of the messages it accepted. */
  deliveryStatus: DeliveryStatusSink;
  /**
   * A secret key for `purpose`, derived from the master key (keyring purpose `provider-callbacks`),
   * for carriers that cannot sign their callbacks: Kannel's dlr-url carries an HMAC token made with
   * it. Put the instance in `purpose` (`kannel-dlr/<instance>`). A provider that needs it refuses to
   * be built without it.
   */
  callbackKey?: (purpose: string) => Buffer;
}

/**
 * Registers a provider's HTTP routes (a carrier's webhooks, the simulator's APIs) on the app.
 * These are the HTTP layer: they read the carrier's wire format and call domain code.
 */
export type ProviderRoutes = AppContext['providerRoutes'][number];

export interface BuiltDelivery {
  provider: DeliveryProvider;
  /** The development inbox every simulated message lands in (AppContext.simulator). */
  inbox?: SimulatorInbox;
  routes?: ProviderRoutes;
}

interface BuiltVoice {
  provider: VoiceProvider;
  routes?: ProviderRoutes;
}

/**
 * One delivery provider: everything about it lives in its folder `src/providers/<name>/`, and
 * registry.ts lists it. Adding a provider is writing one of these and adding it to the table.
 *
 * @example
 * export const consolePlugin: ProviderPlugin = {
 *   name: 'console', developmentOnly: true, settings: {},
 *   delivery: { channels: ['sms', 'call', 'email'], create: () => ({ provider: createConsoleProvider() }) },
 * };
 */
export interface ProviderPlugin {
  /** The value of VERITY_SMS_PROVIDER / VERITY_VOICE_PROVIDER / VERITY_EMAIL_PROVIDER / VERITY_WHATSAPP_PROVIDER that selects it. */
  readonly name: string;
  /** Shows codes (simulator, console): production refuses it. */
  readonly developmentOnly: boolean;
  /** Selected for every channel when none is named outside production (one plug-in: the simulator). */
  readonly developmentDefault?: boolean;
  /**
   * Nothing leaves the machine: its messages land in its inbox and its calls ring its own simulated
   * phones (`/sim/v1/…`), which the development banner lists.
   */
  readonly simulated?: boolean;
  /**
   * Its own configuration rows (`VERITY_<NAME>_*`, in its folder's `<name>-settings.ts`), each with
   * when it is required; loadConfig reads and checks them and docs/configuration.md lists them. The
   * shared senders (VERITY_SMS_FROM, VERITY_EMAIL_FROM, VERITY_PUBLIC_URL) are not among them.
   */
  readonly settings: SettingRows;
  /** Message delivery. */
  readonly delivery?: {
    /**
     * The channels it may be chosen for: `sms`, `email` and `whatsapp` by their VERITY_*_PROVIDER,
     * `call` (a call that speaks the message) by VERITY_VOICE_PROVIDER.
     */
    readonly channels: readonly Channel[];
    /** Built once however many channels use it. */
    create(deps: ProviderDeps): BuiltDelivery;
  };
  /** Verification and factor calls (VERITY_VOICE_PROVIDER): a provider Verity drives through CallEvents. */
  readonly voice?: {
    /** The flash-call caller-id range used with it when VERITY_FLASHCALL_CALLER_IDS is not set. */
    readonly flashCallRange?: string;
    create(deps: ProviderDeps): BuiltVoice;
  };
}
