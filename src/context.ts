import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { Clock } from './crypto/clock.ts';
import type { Keyring } from './crypto/keyring.ts';
import type { EventBus } from './events/event-bus.ts';
import type { ResolveHost } from './net/resolve-outbound-target.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Channel, DeliveryProvider } from './providers/provider.ts';
import type { SimulatorInbox } from './providers/simulator/simulator-inbox.ts';
import type { Db } from './store/database.ts';
import type { SendGate } from './send-gate/send-gate.ts';
import type { VoiceprintEngineLike } from './factors/voiceprint-factor/engine.ts';
import type { CallEngine } from './voice/call-engine.ts';
import type { BuiltVoiceProvider } from './voice/create-voice.ts';
import type { VoiceProvider } from './voice/voice-provider.ts';

/** Everything the application needs, wired once in one place (see create-context.ts) and swappable in tests. */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  keyring: Keyring;
  logger: Logger;
  metrics: Metrics;
  /** Delivery provider per channel; absent means the channel is disabled (60223). */
  providers: Partial<Record<Channel, DeliveryProvider>>;
  /** Present only when the simulator provider is enabled; it then also serves /sim/v1. */
  simulator: SimulatorInbox | undefined;
  /** Calls: the provider that places them (absent: the call channels are disabled) and the flow engine. */
  voice: { provider: VoiceProvider | undefined; engine: CallEngine; built: BuiltVoiceProvider };
  /** The one gate every outbound message and call passes (country, destination, prefix and account budgets). */
  sendGate: SendGate;
  /** The voice-biometrics engine, when its background models are present (models/). */
  voiceprints: VoiceprintEngineLike | undefined;
  /** DNS for the URLs Verity calls on an API user's behalf (webhooks), checked against the address policy. */
  resolveHost: ResolveHost;
  /** Wakes live listeners (SSE) in this process; also pokes the webhook dispatcher. */
  bus: EventBus<{ type: string; resourceSid: string }>;
}
