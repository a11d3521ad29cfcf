import type { DestinationStream } from 'pino';
import type { Config } from './config/config.ts';
import type { AppContext } from './context.ts';
import { systemClock, type Clock } from './crypto/clock.ts';
import { loadKeyring } from './crypto/master-key.ts';
import { EventBus } from './events/event-bus.ts';
import { resolveWithSystem, type ResolveHost } from './net/resolve-outbound-target.ts';
import { Metrics } from './observability/metrics.ts';
import { createLogger } from './observability/logger.ts';
import { createProviders } from './providers/create-providers.ts';
import { SendGate } from './send-gate/send-gate.ts';
import { sendGatePolicy } from './send-gate/send-policy.ts';
import { openDatabase, migrateToLatest } from './store/database.ts';
import { loadVoiceprintEngine } from './factors/voiceprint-factor/engine.ts';
import { voiceprintCallHandler } from './factors/voiceprint-factor/voiceprint-calls.ts';
import { CallEngine } from './voice/call-engine.ts';
import { createVoiceProvider } from './voice/create-voice.ts';
import type { VoiceProvider } from './voice/voice-provider.ts';

export interface ContextOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
  /** Replace providers (tests inject failing or recording ones). */
  providers?: AppContext['providers'];
  /** Replace the voice provider (tests inject failing ones); it reports to `engine`. */
  voiceProvider?: (events: () => CallEngine) => VoiceProvider;
  defaultMetrics?: boolean;
  /** Replace DNS for webhook targets (tests answer deterministically, and rebind). */
  resolveHost?: ResolveHost;
}

/** Builds the application context from configuration: the one place where everything is wired. */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const { keyring, generatedAt } = loadKeyring(config);
  if (generatedAt) logger.warn({ path: generatedAt }, 'generated a development master key; set VERITY_MASTER_KEY in production');
  const db = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  await migrateToLatest(db);
  const clock = options.clock ?? systemClock;
  const built = createProviders(config, db.kysely, clock);
  // The provider reports to the engine, which needs the context that holds the provider.
  const wiring: { engine?: CallEngine } = {};
  const events = (): CallEngine => wiring.engine as CallEngine;
  const voice = options.voiceProvider ? ({ kind: 'console', provider: options.voiceProvider(events) } as const) : createVoiceProvider(config, clock, logger, events);
  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics ?? false });
  const ctx: AppContext = {
    config,
    db,
    clock,
    keyring,
    logger,
    metrics,
    providers: options.providers ?? built.providers,
    simulator: built.simulator,
    voice: { provider: voice.provider, engine: undefined as unknown as CallEngine, built: voice },
    sendGate: new SendGate({ db: db.kysely, dialect: db.dialect, clock, metrics, policy: sendGatePolicy(config.rateLimits) }),
    voiceprints: await loadVoiceprintEngine(logger),
    resolveHost: options.resolveHost ?? resolveWithSystem,
    bus: new EventBus(),
  };
  wiring.engine = new CallEngine(ctx);
  wiring.engine.factorCalls = voiceprintCallHandler(ctx);
  ctx.voice.engine = wiring.engine;
  return ctx;
}
