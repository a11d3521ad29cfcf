import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ManualClock } from '../../src/crypto/clock.ts';
import { createKeyring } from '../../src/crypto/keyring.ts';
import { DeliveryDispatcher, type DispatchRequest } from '../../src/messaging/delivery-dispatcher.ts';
import { DeliveryStatusRecorder } from '../../src/messaging/delivery-status-recorder.ts';
import { FailoverSweeper } from '../../src/messaging/failover-sweeper.ts';
import type { AttemptOutcome, MessageRouter, RoutePlan } from '../../src/messaging/route-plan.ts';
import type { RenderedOutbound } from '../../src/messaging/sealed-message.ts';
import { SendsInFlight } from '../../src/messaging/sends-in-flight.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../../src/providers/provider.ts';
import { SendGate } from '../../src/send-gate/send-gate.ts';
import type { SendGatePolicy, SendRequest } from '../../src/send-gate/send-policy.ts';
import type { ServiceRow, VerificationRow } from '../../src/store/schema.ts';
import { createStores, type Stores } from '../../src/store/unit-of-work.ts';
import type { Db } from '../../src/store/database.ts';
import { accountRow, serviceRow, verificationRow } from '../store/test-database.ts';

/**
 * A messaging domain over a real database (either dialect) with its real parts: the store, the
 * send gate, the recorder, the dispatcher and the sweeper, on a ManualClock; only the carriers are
 * scripted (ScriptedCarrier) and the route plan is fixed (FixedRouter).
 */

type Step = 'accept' | 'retryable' | 'reject' | 'crash';

/** A carrier that answers each send by its script (then accepts), and records what it was sent. */
export class ScriptedCarrier implements DeliveryProvider {
  script: Step[] = [];
  readonly sent: OutboundMessage[] = [];
  constructor(readonly name: string, readonly receipts = true) {}
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    this.sent.push(message);
    const step = this.script.shift() ?? 'accept';
    if (step === 'retryable') throw new DeliveryError(`${this.name} throttled`, { retryable: true });
    if (step === 'reject') throw new DeliveryError(`${this.name} refused the destination`, { retryable: false });
    if (step === 'crash') throw new TypeError('carrier bug');
    return { providerMessageId: `${this.name}-msg-${this.sent.length}`, partIds: [`${this.name}-part-${this.sent.length}`], parts: 2 };
  }
}

/** A route plan fixed by the test, recording what it is told. */
export class FixedRouter implements MessageRouter {
  readonly observed: { instance: string; outcome: AttemptOutcome }[] = [];
  constructor(public targets: DeliveryProvider[], public deliveryTimeoutMs: number | undefined) {}
  plan(): RoutePlan {
    return { routeId: 'test-route', targets: this.targets.map((provider) => ({ instance: provider.name, provider })), deliveryTimeoutMs: this.deliveryTimeoutMs };
  }
  observe(event: { instance: string; outcome: AttemptOutcome }): void {
    this.observed.push({ instance: event.instance, outcome: event.outcome });
  }
}

const GENEROUS: SendGatePolicy = {
  perDestination: { capacity: 100, refillPerSecond: 0 },
  prefix: { digits: 8, bucket: { capacity: 100, refillPerSecond: 0 } },
  perAccount: { capacity: 100, refillPerSecond: 0 },
};

export interface MessagingNode {
  stores: Stores;
  metrics: Metrics;
  gate: SendGate;
  recorder: DeliveryStatusRecorder;
  dispatcher: DeliveryDispatcher;
  sweeper: FailoverSweeper;
}

export interface Bed extends MessagingNode {
  clock: ManualClock;
  router: FixedRouter;
  primary: ScriptedCarrier;
  secondary: ScriptedCarrier;
  service: ServiceRow;
  /** Another process on the same database (its own handle, stores and objects); same clock, keyring and router. */
  node(db: Db): MessagingNode;
  /** Inserts a pending verification to `to` and admits its first send at the gate (not dispatched yet). */
  prepare(to?: string, patch?: Partial<VerificationRow>): Promise<{ verification: VerificationRow; request: DispatchRequest }>;
  /** prepare(), then dispatches the message. */
  send(to?: string, patch?: Partial<VerificationRow>): Promise<{ verification: VerificationRow; request: DispatchRequest }>;
}

export async function openBed(db: Db, options: { timeoutMs?: number; policy?: SendGatePolicy } = {}): Promise<Bed> {
  const clock = new ManualClock();
  const keyring = createKeyring(randomBytes(32));
  const primary = new ScriptedCarrier('primary');
  const secondary = new ScriptedCarrier('secondary');
  const router = new FixedRouter([primary, secondary], options.timeoutMs);
  const logger = pino({ level: 'silent' });
  const node = (handle: Db): MessagingNode => {
    const stores = createStores(handle);
    const metrics = new Metrics();
    const inFlight = new SendsInFlight();
    const gate = new SendGate({ stores, clock, metrics, policy: options.policy ?? GENEROUS });
    const recorder = new DeliveryStatusRecorder({ stores, clock, logger, metrics, bus: { publish: () => undefined }, inFlight });
    const dispatcher = new DeliveryDispatcher({ stores, clock, keyring, logger, metrics, router, sendGate: gate, recorder, inFlight, retry: { sleep: async () => undefined } });
    recorder.onFinal((attempt) => void dispatcher.onFinal(attempt));
    const sweeper = new FailoverSweeper({ stores, clock, logger, dispatcher });
    return { stores, metrics, gate, recorder, dispatcher, sweeper };
  };
  const main = node(db);
  const account = accountRow(clock.now());
  await main.stores.accounts.insert(account);
  const service = serviceRow(account.sid, clock.now());
  await main.stores.services.insert(service);
  let numbers = 0;
  const bed: Bed = {
    ...main,
    clock,
    router,
    primary,
    secondary,
    service,
    node,
    async prepare(to = `+1415555${String(1000 + ++numbers)}`, patch = {}) {
      const verification = verificationRow(service, to, clock.now(), patch);
      await main.stores.verifications.insertPending(verification);
      const sendRequest: SendRequest = { accountSid: service.account_sid, serviceSid: service.sid, allowedCountries: null, destination: { kind: 'phone', address: to, country: 'US' }, channel: 'sms', feature: 'verification' };
      const pass = await main.gate.admit(sendRequest);
      const message: RenderedOutbound = { channel: 'sms', to, body: 'Your svc verification code is: 482913', locale: 'en', verificationSid: verification.sid };
      const sendAttemptSid = `VL${randomBytes(16).toString('hex')}`;
      return { verification, request: { pass, sendRequest, sendAttemptSid, message } };
    },
    async send(to, patch) {
      const prepared = await bed.prepare(to, patch);
      await main.dispatcher.dispatch(prepared.request);
      return prepared;
    },
  };
  return bed;
}
