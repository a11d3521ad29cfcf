import type { DestinationStream } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config/config.ts';
import { DeliveryDispatcher } from './messaging/delivery-dispatcher.ts';
import { DeliveryStatusRecorder } from './messaging/delivery-status-recorder.ts';
import { FailoverSweeper } from './messaging/failover-sweeper.ts';
import { createMessagingRouting } from './messaging/routing/messaging-routing.ts';
import { SendsInFlight } from './messaging/sends-in-flight.ts';
import type { AppContext } from './context.ts';
import { DatabaseClock, systemClock, type Clock } from './crypto/clock.ts';
import { keyedDigest } from './crypto/digest.ts';
import type { Keyring } from './crypto/keyring.ts';
import { loadKeyring } from './crypto/master-key.ts';
import { startPostgresBus } from './events/cluster-bus.ts';
import { InProcessEventBus } from './events/event-bus.ts';
import { resolveWithSystem, type ResolveHost } from './net/resolve-outbound-target.ts';
import { Metrics } from './observability/metrics.ts';
import { createLogger } from './observability/logger.ts';
import { createProviders, createVoiceProvider } from './providers/create-providers.ts';
import { SendGate } from './send-gate/send-gate.ts';
import { sendGatePolicy } from './send-gate/send-policy.ts';
import { openDatabase, migrateToLatest } from './store/database.ts';
import { createStores } from './store/unit-of-work.ts';
import { databaseTimeReader } from './store/database-time.ts';
import { loadVoiceprints } from './factors/voiceprint-factor/voiceprint-status.ts';
import type { LoadedOperatingPoints } from './factors/voiceprint/operating-points.ts';
import { createPushPlatforms } from './factors/push/platforms/create-push-platforms.ts';
import { PushDelivery } from './factors/push/platforms/push-delivery.ts';
import { voiceprintCallHandler } from './factors/voiceprint-factor/voiceprint-calls.ts';
import { VerificationLifecycle } from './verify/lifecycle/verification-lifecycle.ts';
import { CallRouter } from './voice/call-router.ts';
import { FactorCallEngine } from './voice/factor-calls/factor-call-engine.ts';
import { VerificationCallEngine } from './voice/verification-calls/verification-call-engine.ts';
import { VerificationCallHangUp } from './voice/verification-calls/verification-call-hang-up.ts';
import type { CallEvents, VoiceProvider } from './voice/voice-provider.ts';

export interface ContextOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
  /** Replace providers (tests inject failing or recording ones). */
  providers?: AppContext['providers'];
  /** Replace the voice provider (tests inject failing ones); it reports to `events`. */
  voiceProvider?: (events: () => CallEvents) => VoiceProvider;
  defaultMetrics?: boolean;
  /** Replace DNS for webhook targets (tests answer deterministically, and rebind). */
  resolveHost?: ResolveHost;
  /**
   * Replace the keyring built from VERITY_MASTER_KEY (test/integration/key-rotation.test.ts passes one it
   * can rotate, to run a live server under the new master key alone; the context itself stays frozen).
   */
  keyring?: Keyring;
  /** Replace models/voiceprint-operating-points.json (tests: measurements for the backend in use, which it is given). */
  voiceprintOperatingPoints?: (backend: string | undefined) => Promise<LoadedOperatingPoints>;
  /** A worker of `serve --workers N` (src/cluster/): on SQLite its bus relays events to the other workers; its /metrics sums them all. */
  worker?: { index: number; bus: AppContext['bus']; aggregateMetrics: (own: Registry) => Promise<string> };
}

/**
 * Applies the migrations and makes the development master key, without building a context: the
 * primary of `serve --workers N` does this once, before any worker opens the database.
 */
export async function prepareDatabase(config: Config): Promise<void> {
  loadKeyring(config);
  const db = openDatabase(config.databaseUrl, { poolSize: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.close();
  }
}

/** Builds the application context from configuration: the one place where everything is wired. */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const root = createLogger(config.logLevel, options.logDestination);
  // Each worker's lines say which worker wrote them.
  const logger = options.worker ? root.child({ worker: options.worker.index }) : root;
  const { keyring, generatedAt } = options.keyring ? { keyring: options.keyring, generatedAt: undefined } : loadKeyring(config);
  if (generatedAt) logger.warn({ path: generatedAt }, 'generated a development master key; set VERITY_MASTER_KEY in production');
  // Push platforms' key files are checked before anything opens (a bad one stops the boot).
  const pushPlatforms = createPushPlatforms(config.push, options.clock ?? systemClock);
  const db = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  await migrateToLatest(db);
  const stores = createStores(db);
  // On PostgreSQL every node keeps the database server's time (docs/scaling.md, "One clock"); tests inject their own.
  const readDatabaseTime = databaseTimeReader(db);
  const clock = options.clock ?? (readDatabaseTime ? new DatabaseClock(readDatabaseTime) : systemClock);
  if (clock instanceof DatabaseClock) logger.info(await clock.sync(), 'clock set to the database server\'s');
  // The voice provider reports to the call engines, which need the provider.
  const wiring: { router?: CallRouter } = {};
  const events = (): CallEvents => wiring.router as CallRouter;
  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics ?? false, aggregate: options.worker?.aggregateMetrics });
  // Nodes on one PostgreSQL database hear each other's stream wake-ups by LISTEN/NOTIFY (one connection per node).
  const bus: AppContext['bus'] = db.dialect === 'postgres' ? await startPostgresBus(config.databaseUrl, logger) : (options.worker?.bus ?? new InProcessEventBus());
  // Providers report delivery statuses into the recorder; it tells the dispatcher (built below, over the providers) of final ones.
  const inFlight = new SendsInFlight();
  const deliveryStatus = new DeliveryStatusRecorder({ stores, clock, logger, metrics, bus, inFlight });
  // Per-purpose keys for carriers that cannot sign their callbacks (Kannel's dlr-url token).
  const callbackKey = (purpose: string): Buffer => keyedDigest(keyring.derive('provider-callbacks'), purpose);
  const providerDeps = { config, stores, clock, logger, events, instance: config.providers.sms, deliveryStatus, callbackKey };
  const built = createProviders(config, providerDeps);
  const voice = options.voiceProvider ? { provider: options.voiceProvider(events), routes: [] } : createVoiceProvider(config, providerDeps);
  const providers = options.providers ?? built.providers;
  const sendGate = new SendGate({ stores, clock, metrics, logger, policy: sendGatePolicy(config.rateLimits) });
  // Routes of VERITY_MESSAGING_CONFIG (or one per channel to its VERITY_*_PROVIDER) with each target's health.
  const routing = createMessagingRouting({
    config, providers, instances: built.instances, stores, clock, metrics,
    onError: (error: unknown) => logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, 'reloading the services\' messaging configurations failed'),
  });
  await routing.start();
  const messageRouter = routing.router;
  const sweeper: { current?: FailoverSweeper } = {};
  const dispatcher = new DeliveryDispatcher({ stores, clock, keyring, logger, metrics, router: messageRouter, sendGate, recorder: deliveryStatus, inFlight, wakeAt: (at) => sweeper.current?.wakeAt(at) });
  sweeper.current = new FailoverSweeper({ stores, clock, logger, dispatcher });
  deliveryStatus.onFinal((attempt) => {
    dispatcher.onFinal(attempt).catch((error: unknown) => logger.error({ attemptSid: attempt.sid, err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, 'delivery status follow-up failed'));
  });
  const verificationLifecycle = new VerificationLifecycle({ stores, clock, bus, metrics, liveCalls: new VerificationCallHangUp({ stores, provider: voice.provider, logger }) });
  const calls = { stores, clock, keyring, provider: voice.provider };
  const router = new CallRouter(
    { stores, clock },
    new VerificationCallEngine({ ...calls, bus, metrics, lifecycle: verificationLifecycle }),
    new FactorCallEngine({ ...calls, bus, voice: { from: config.voice.from, ringTimeoutSeconds: config.voice.ringTimeoutSeconds } }),
  );
  wiring.router = router;
  // VERITY_VOICEPRINT: off loads nothing (ctx.voiceprints undefined: every voiceprint surface says "unavailable").
  const voiceprints = await loadVoiceprints(config, logger, options.voiceprintOperatingPoints ? { operatingPoints: options.voiceprintOperatingPoints } : {});
  // Frozen: the context is wired once, here; a field swapped on a live context would miss every
  // part that captured the old one at wiring time (the call engines, the API authenticator).
  const ctx: AppContext = Object.freeze({
    config,
    // Closing the database also ends the bus's own connection (every caller already closes the database last).
    db: { ...db, close: async () => { await bus.close?.(); await db.close(); } },
    stores,
    clock,
    keyring,
    logger,
    metrics,
    providers,
    messaging: { router: messageRouter, dispatcher, recorder: deliveryStatus, sweeper: sweeper.current },
    routing,
    simulator: built.simulator,
    voice: { provider: voice.provider, engine: router },
    providerRoutes: [...built.routes, ...voice.routes],
    verificationLifecycle,
    sendGate,
    voiceprints: voiceprints.engine,
    voiceprintStatus: voiceprints.status,
    resolveHost: options.resolveHost ?? resolveWithSystem,
    pushDelivery: new PushDelivery({ stores, clock, logger, metrics }, { platforms: pushPlatforms }),
    bus,
  });
  // The voiceprint calls' conversations need the whole factor domain, hence set last.
  router.factors.handler = voiceprintCallHandler(ctx);
  return ctx;
}
