import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { Clock } from './crypto/clock.ts';
import type { Keyring } from './crypto/keyring.ts';
import type { EventBus } from './events/event-bus.ts';
import type { ResolveHost } from './net/resolve-outbound-target.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Messaging } from './messaging/messaging.ts';
import type { MessagingRouting } from './messaging/routing/messaging-routing.ts';
import type { Channel, DeliveryProvider } from './providers/provider.ts';
import type { SimulatorInbox } from './providers/simulator/simulator-inbox.ts';
import type { Db } from './store/database.ts';
import type { Stores } from './store/unit-of-work.ts';
import type { SendGate } from './send-gate/send-gate.ts';
import type { VoiceprintEngineLike } from './factors/voiceprint-factor/engine.ts';
import type { VoiceprintStatus } from './factors/voiceprint-factor/voiceprint-status.ts';
import type { PushDelivery } from './factors/push/platforms/push-delivery.ts';
import type { VerificationLifecycle } from './verify/lifecycle/verification-lifecycle.ts';
import type { CallRouter } from './voice/call-router.ts';
import type { VoiceProvider } from './voice/voice-provider.ts';

/**
 * Everything the application needs, wired once in one place (see create-context.ts). It is frozen
 * once built: nothing is swapped on a live context (tests choose their parts through ContextOptions).
 * Domain modules do not take it whole: each declares the few fields it uses (`Pick<AppContext, …>`).
 */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  /** The typed stores and the unit of work (src/store/unit-of-work.ts): domain code's only way to the database. */
  readonly stores: Stores;
  readonly clock: Clock;
  readonly keyring: Keyring;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Delivery provider per channel; absent means the channel is disabled (60223). */
  readonly providers: Partial<Record<Channel, DeliveryProvider>>;
  /** Routes, sends with failover, and records delivery statuses of messages (src/messaging/). */
  readonly messaging: Messaging;
  /** The messaging routes, their targets' health (circuit breakers) and the services' MessagingConfigurations (src/messaging/routing/). */
  readonly routing: MessagingRouting;
  /** Present only when the simulator provider is enabled; it then also serves /sim/v1. */
  readonly simulator: SimulatorInbox | undefined;
  /**
   * Calls: the provider that places them (absent: the call channels are disabled) and `engine`, what
   * providers report to, which holds the verification calls and factor calls engines.
   */
  readonly voice: { readonly provider: VoiceProvider | undefined; readonly engine: CallRouter };
  /**
   * The configured providers' routes (carrier webhooks, the simulator's APIs), mounted by buildApp.
   * Spelled out here (not ProviderRoutes of provider-plugin.ts) so the context imports no plug-in module.
   */
  readonly providerRoutes: readonly ((app: FastifyInstance, ctx: AppContext) => Promise<void>)[];
  /** The one owner of verifications' status changes and their side effects (src/verify/lifecycle). */
  readonly verificationLifecycle: VerificationLifecycle;
  /** The one gate every outbound message and call passes (country, destination, prefix and account budgets). */
  readonly sendGate: SendGate;
  /** The voice-biometrics engine, when its background models are present (models/). */
  readonly voiceprints: VoiceprintEngineLike | undefined;
  /** VERITY_VOICEPRINT, the model in use and its measured FAR/FRR, as found at start (the console shows them). */
  readonly voiceprintStatus: VoiceprintStatus;
  /** DNS for the URLs Verity calls on an API user's behalf (webhooks), checked against the address policy. */
  readonly resolveHost: ResolveHost;
  /** Sends push challenges to phones through APNs and FCM (VERITY_APNS_*, VERITY_FCM_*; none configured: it sends nothing). */
  readonly pushDelivery: PushDelivery;
  /** Wakes live listeners (SSE) in this process; also pokes the webhook dispatcher. */
  readonly bus: EventBus<{ type: string; resourceSid: string }>;
}
