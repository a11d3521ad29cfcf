/**
 * The contract every delivery and voice provider plug-in (src/providers/registry.ts) passes, run by
 * providers-contract.test.ts over each registered plug-in with a harness that plays its carrier
 * (a local fake REST API, a real SMTP server, the simulator's own phones). Tests of one provider's
 * wire format (signatures, TwiML or BXML, request fields) stay beside its code.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { capturedLogger } from '../support/captured-logger.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import type { AppContext } from '../../src/context.ts';
import { ManualClock } from '../../src/crypto/clock.ts';
import { InProcessEventBus } from '../../src/events/event-bus.ts';
import { installErrorHandling } from '../../src/http/error-handler.ts';
import { serializerCompiler, validatorCompiler } from '../../src/http/schema/validation.ts';
import { createProviders, createVoiceProvider } from '../../src/providers/create-providers.ts';
import type { ProviderDeps, ProviderPlugin, ProviderRoutes } from '../../src/providers/provider-plugin.ts';
import type { Channel, DeliveryError, DeliveryProvider, DeliveryReceipt, OutboundMessage } from '../../src/providers/provider.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/store/database.ts';
import type { PlaceCallRequest, VoiceProvider } from '../../src/voice/voice-provider.ts';
import { rejection } from '../support/delivery-rejection.ts';
import { fakeCallEvents } from '../support/fake-call-events.ts';
import { createStores } from '../../src/store/unit-of-work.ts';
import { keyedDigest } from '../../src/crypto/digest.ts';
import type { CarrierPrice, DeliveryStatusReport } from '../../src/messaging/delivery-status.ts';
import { RecordingStatusSink } from './recording-status-sink.ts';

/**
 * How the harness's carrier behaves: normally, throttling (retryable), refusing for good, not
 * reachable at all, or taking the request and never answering (`hanging`: the provider's own
 * time-out must end the send, not retryable, since the carrier may have taken the message).
 */
export type CarrierMode = 'ok' | 'throttled' | 'refusing' | 'unreachable' | 'hanging';

interface HarnessLifecycle {
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /** Runs before each test (e.g. the fake carrier forgets what it received). */
  reset?(): void;
  /**
   * The environment loadVerityConfig reads to choose this provider and point it at the harness's carrier
   * in `mode`. Only `ok` is asked of a harness without `failures`.
   */
  env(mode: CarrierMode): Promise<NodeJS.ProcessEnv>;
  /** The carrier can be made to fail (not the simulator or the console, which cannot fail). */
  failures: boolean;
  /**
   * The carrier can be made to hang (`env('hanging')`): the environment it answers must also set the
   * provider's request time-out short (a few hundred ms), so the test does not wait out the default.
   */
  hangs?: boolean;
}

export interface DeliveryHarness extends HarnessLifecycle {
  /** Asserts that the carrier received `message`, under the id in `receipt`. */
  delivered(message: OutboundMessage, receipt: DeliveryReceipt, deps: ProviderDeps): Promise<void>;
  /** Checks the provider's own account of a failure (its message names the carrier's reply, nothing was delivered…). */
  refused?(mode: CarrierMode, error: DeliveryError): void;
  /**
   * The carrier's delivery receipts. Required exactly when the provider says `receipts: true`
   * (the suite fails otherwise, so a provider cannot skip this part by leaving it out).
   */
  receipts?: ReceiptsHarness;
}

/** A message the provider accepted in a receipts test: what the carrier's receipt for it refers to. */
export interface SentMessage {
  message: OutboundMessage;
  receipt: DeliveryReceipt;
  /** The deps it was built with: `instance` (its webhooks are under `/messaging/<instance>/…`), `config`, `clock`. */
  deps: ProviderDeps;
  provider: DeliveryProvider;
}

/**
 * How Verity answered one receipt: the HTTP response to a carrier's webhook, or the status of the
 * protocol's answer on a session (SMPP: the deliver_sm_resp command_status; 0 accepts it).
 */
export type ReceiptAnswer = { via: 'http'; response: LightMyRequestResponse } | { via: 'session'; commandStatus: number };

/** What a receipt the harness's carrier sent said, for the suite to compare with the report. */
export interface ReceiptSent {
  answer: ReceiptAnswer;
  /** The carrier's error code in an `undelivered` receipt (required there), as it sent it. */
  errorCode?: string;
  /** The price, when the carrier's receipt carries one. */
  price?: CarrierPrice;
}

/**
 * The carrier's side of receipts. `app` is a Fastify app with the plug-in's routes mounted (as
 * buildApp mounts them: zod compilers, the error handler, the form parser); a harness whose receipts
 * come over the provider's own session (SMPP deliver_sm from its SMSC) ignores it.
 */
interface ReceiptsBase {
  /** The channel the receipts tests send on (default: the plug-in's first). */
  channel?: Channel;
  /**
   * The carrier reports that `sent` was `delivered`, or `undelivered` with an error code: its webhook
   * to the callback Verity gave it, signed as the carrier signs, or a deliver_sm on the bind. Resolves
   * with Verity's answer once Verity has answered.
   */
  report(app: FastifyInstance, sent: SentMessage, outcome: 'delivered' | 'undelivered'): Promise<ReceiptSent>;
  /**
   * Receipts about `sent` that are not receipts: bodies that do not parse, lack the message id or
   * the status, have the wrong types; correctly signed where the carrier signs (so the body, not the
   * signature, is what is refused). At least one. Resolves with each answer.
   */
  malformed(app: FastifyInstance, sent: SentMessage): Promise<ReceiptAnswer[]>;
}

/** Receipts that come as the carrier's signed HTTP webhooks. */
export interface WebhookReceipts extends ReceiptsBase {
  via: 'http';
  /** `sent`'s `delivered` receipt signed with the wrong key (or missing the signature). */
  forged(app: FastifyInstance, sent: SentMessage): Promise<LightMyRequestResponse>;
  /** Carriers that sign a timestamp: the receipt correctly signed, but with a timestamp outside the tolerance (`sent.deps.clock` is Verity's clock). */
  stale?(app: FastifyInstance, sent: SentMessage): Promise<LightMyRequestResponse>;
}

/** Receipts that come over the provider's own connection (SMPP deliver_sm). */
export interface SessionReceipts extends ReceiptsBase {
  via: 'session';
}

export type ReceiptsHarness = WebhookReceipts | SessionReceipts;

/** A carrier's answer to a call event, in Verity's words: what the call does next and what it said. */
export interface CallAnswer {
  next: 'gather' | 'record' | 'hangup';
  said: string[];
}

/** One placed call as the carrier knows it. */
export interface PlacedCall {
  request: PlaceCallRequest;
  providerCallId: string;
}

/** The carrier's side of a call: its webhooks (or the simulated phone) sent as the carrier sends them. */
export interface CallCarrier {
  answer(app: FastifyInstance, call: PlacedCall): Promise<CallAnswer>;
  digits(app: FastifyInstance, call: PlacedCall, digits: string): Promise<CallAnswer>;
  /** The callee hangs up after answering. */
  hangUp(app: FastifyInstance, call: PlacedCall): Promise<void>;
  /** A gather that timed out with nothing pressed (carriers whose timeouts are their own). */
  gatherTimeout?(app: FastifyInstance, call: PlacedCall): Promise<CallAnswer>;
  /** The record step's callback: with media the carrier serves, with media Verity must not fetch, or with none. */
  recording?(app: FastifyInstance, call: PlacedCall, media: 'served' | 'elsewhere' | 'none'): Promise<CallAnswer>;
  /** The bytes the carrier serves for a recording. */
  recordingBytes?(): Buffer;
  /** The call starts ringing (carriers that report it). */
  ringing?(app: FastifyInstance, call: PlacedCall): Promise<void>;
  /** An answer event and a gather event for a call Verity does not know (progress reports for it go through hangUp). */
  unknownCall?(app: FastifyInstance): Promise<CallAnswer[]>;
  /** A gather event with wrong credentials or signature: answers its HTTP status. */
  forged?(app: FastifyInstance, call: PlacedCall): Promise<number>;
}

export interface VoiceHarness extends HarnessLifecycle {
  /** As DeliveryHarness.refused, for a call the carrier would not place. */
  refused?(mode: CarrierMode, error: DeliveryError): void;
  /** Asserts that the carrier was asked to place the call. */
  placed(call: PlacedCall, provider: VoiceProvider): Promise<void>;
  /** Absent: the provider reports the call's events by itself (the console). */
  carrier?: CallCarrier;
}

interface TestBed {
  /** A provider's deps; `instance` defaults to the name the configuration gives the SMS provider. */
  deps(env: NodeJS.ProcessEnv, instance?: string): ProviderDeps;
  db: Db;
  logLines: Record<string, unknown>[];
  known: string[];
  events: ReturnType<typeof fakeCallEvents>;
  /** Where every provider built here reports delivery statuses. */
  statuses: RecordingStatusSink;
}

function testBed(): { bed: TestBed; open(): Promise<void>; close(): Promise<void> } {
  const { logger, lines: logLines } = capturedLogger();
  const known: string[] = [];
  const events = fakeCallEvents(known);
  const clock = new ManualClock();
  const statuses = new RecordingStatusSink();
  const bed: TestBed = {
    db: undefined as unknown as Db,
    logLines,
    known,
    events,
    statuses,
    deps: (env, instance) => {
      const config = loadVerityConfig(env);
      return {
        config,
        stores: createStores(bed.db),
        clock,
        logger,
        events: () => events,
        instance: instance ?? config.providers.sms,
        deliveryStatus: statuses,
        callbackKey: (purpose) => keyedDigest(Buffer.alloc(32, 7), purpose),
      };
    },
  };
  return {
    bed,
    async open() {
      bed.db = openDatabase('sqlite::memory:');
      await migrateToLatest(bed.db);
    },
    close: async () => bed.db.close(),
  };
}

const MESSAGES: Readonly<Record<Channel, OutboundMessage>> = {
  sms: { channel: 'sms', to: '+15551234567', body: 'Your Acme code is 834921', locale: 'en', verificationSid: 'VE00000000000000000000000000000001', attemptId: 'VL00000000000000000000000000000001' },
  whatsapp: { channel: 'whatsapp', to: '+15551234567', body: 'Your Acme code is 834921', code: '834921', locale: 'en', verificationSid: 'VE00000000000000000000000000000004', attemptId: 'VL00000000000000000000000000000004' },
  call: { channel: 'call', to: '+15551234567', body: 'Your Acme code is 8, 3, 4, 9, 2, 1.', locale: 'en', verificationSid: 'VE00000000000000000000000000000002', attemptId: 'VL00000000000000000000000000000002' },
  email: {
    channel: 'email',
    to: 'Alice@Example.com',
    subject: 'Your Acme verification code',
    body: 'Your Acme verification code is: 482913',
    html: '<p>Your Acme verification code is: <b>482913</b></p>',
    locale: 'en',
    verificationSid: 'VE00000000000000000000000000000003', attemptId: 'VL00000000000000000000000000000003',
  },
};

/**
 * Message delivery: sends on each channel the plug-in declares, is chosen by the configuration for
 * exactly those channels, refuses the others, and classifies failures as retryable only when the
 * carrier certainly did not take the message.
 */
export function describeDeliveryProviderContract(plugin: ProviderPlugin, harness: DeliveryHarness): void {
  const delivery = plugin.delivery;
  if (!delivery) throw new Error(`${plugin.name} has no delivery part`);
  const { bed, open, close } = testBed();
  const opened: DeliveryProvider[] = [];
  const provider = async (mode: CarrierMode): Promise<DeliveryProvider> => {
    const built = delivery.create(bed.deps(await harness.env(mode))).provider;
    opened.push(built);
    return built;
  };

  describe(`${plugin.name}: delivery provider contract`, () => {
    before(async () => {
      await open();
      await harness.setup?.();
    });
    after(async () => {
      for (const built of opened) await built.close?.();
      await harness.teardown?.();
      await close();
    });
    beforeEach(() => harness.reset?.());

    for (const channel of delivery.channels) {
      it(`sends ${channel} and returns the carrier's id for it`, async () => {
        const env = await harness.env('ok');
        const deps = bed.deps(env);
        const built = delivery.create(deps).provider;
        opened.push(built);
        assert.equal(built.name, plugin.name);
        const receipt = await built.send(MESSAGES[channel]);
        assert.equal(typeof receipt.providerMessageId, 'string');
        assert.ok(receipt.providerMessageId.length > 0, 'the receipt carries the provider\'s message id');
        await harness.delivered(MESSAGES[channel], receipt, deps);
      });
    }

    it('is the delivery provider of exactly the channels the configuration gives it, built once', async () => {
      const built = createProviders(loadVerityConfig(await harness.env('ok')), bed.deps(await harness.env('ok')));
      const mine = (['sms', 'call', 'email', 'whatsapp'] as const).filter((channel) => built.providers[channel]?.name === plugin.name);
      assert.ok(mine.length > 0, `${plugin.name} serves a channel`);
      for (const channel of mine) assert.ok(delivery.channels.includes(channel), `${plugin.name} was built for ${channel}, which it does not declare`);
      assert.equal(new Set(mine.map((channel) => built.providers[channel])).size, 1, 'one instance for all its channels');
      for (const channel of mine) opened.push(built.providers[channel] as DeliveryProvider);
    });

    for (const channel of (['sms', 'call', 'email', 'whatsapp'] as const).filter((c) => !delivery.channels.includes(c))) {
      it(`refuses ${channel}, which it does not deliver, without retrying`, async () => {
        const err = await rejection((await provider('ok')).send(MESSAGES[channel]));
        assert.equal(err.retryable, false);
      });
    }

    if (harness.failures) {
      const channel = delivery.channels[0] as Channel;
      const failure = async (mode: CarrierMode): Promise<DeliveryError> => {
        const error = await rejection((await provider(mode)).send(MESSAGES[channel]));
        harness.refused?.(mode, error);
        return error;
      };
      it('a throttled or temporarily refusing carrier fails retryable (it certainly did not take the message)', async () => {
        assert.equal((await failure('throttled')).retryable, true);
      });
      it('a carrier that refuses for good, or may have taken the message, fails not retryable', async () => {
        assert.equal((await failure('refusing')).retryable, false);
      });
      it('an unreachable carrier fails retryable (the connection never came up)', async () => {
        assert.equal((await failure('unreachable')).retryable, true);
      });
      if (harness.hangs) {
        it('a carrier that takes the request and never answers fails at the provider\'s time-out, not retryable (it may have taken the message)', async () => {
          assert.equal((await failure('hanging')).retryable, false);
        });
      }
    }

    it('reports receipts exactly when its harness can play the carrier\'s receipts', async () => {
      const built = await provider('ok');
      assert.equal(built.receipts === true, harness.receipts !== undefined, built.receipts === true
        ? `${plugin.name} says receipts: true, so its harness must have a receipts part (see /work/notes/i13-contract.md)`
        : `${plugin.name} has a receipts harness but its provider does not say receipts: true`);
    });

    if (harness.receipts) describeReceipts(plugin, harness, harness.receipts, { bed, opened });
  });
}

/** The instance name receipts tests build providers under: not the plug-in's name, so a route or report that ignores `deps.instance` shows. */
export function receiptsInstance(plugin: ProviderPlugin): string {
  return `${plugin.name}-eu`;
}

/** A Fastify app with a plug-in's routes mounted as buildApp mounts them (zod compilers, the error handler, the form parser). */
async function appWithRoutes(routes: ProviderRoutes | undefined, logger: ProviderDeps['logger']): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
  installErrorHandling(app, () => 'https://verity.example.com');
  await app.register(formbody);
  const ctx = { logger, bus: new InProcessEventBus() } as unknown as AppContext;
  await routes?.(app, ctx);
  await app.ready();
  return app;
}

/**
 * Receipts: the carrier's report of each message reaches ProviderDeps.deliveryStatus under the
 * provider instance and the attempt (or the carrier's message id); a repeated receipt changes
 * nothing; a forged, stale or malformed one is refused with a 4xx and a JSON error and reported nowhere.
 */
function describeReceipts(
  plugin: ProviderPlugin,
  harness: DeliveryHarness,
  receipts: ReceiptsHarness,
  { bed, opened }: { bed: TestBed; opened: DeliveryProvider[] },
): void {
  const delivery = plugin.delivery!;
  const channel = receipts.channel ?? (delivery.channels[0] as Channel);
  const apps: FastifyInstance[] = [];
  let sequence = 0;

  /** A provider built under its own instance, its routes on an app, and one message it sent. */
  async function sendOne(): Promise<{ app: FastifyInstance; sent: SentMessage }> {
    const deps = bed.deps(await harness.env('ok'), receiptsInstance(plugin));
    const built = delivery.create(deps);
    opened.push(built.provider);
    const app = await appWithRoutes(built.routes, deps.logger);
    apps.push(app);
    sequence++;
    const message: OutboundMessage = { ...MESSAGES[channel], attemptId: `VL${sequence.toString(16).padStart(32, 'a')}` };
    const receipt = await built.provider.send(message);
    bed.statuses.know(deps.instance, message.attemptId, [receipt.providerMessageId, ...(receipt.partIds ?? [])]);
    return { app, sent: { message, receipt, deps, provider: built.provider } };
  }

  const accepted = (answer: ReceiptAnswer, what: string): void => {
    if (answer.via === 'http') assert.ok(answer.response.statusCode >= 200 && answer.response.statusCode < 300, `${what}: answered ${answer.response.statusCode} ${answer.response.body}`);
    else assert.equal(answer.commandStatus, 0, `${what}: the session answer accepts it`);
  };

  /** A 4xx with the project's JSON error (a stable code), never a 5xx the carrier would retry. */
  const refused = (response: LightMyRequestResponse, what: string, statuses?: readonly number[]): void => {
    const status = response.statusCode;
    assert.ok(statuses ? statuses.includes(status) : status >= 400 && status < 500, `${what}: answered ${status} ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/json/, `${what}: a JSON error`);
    const code = (response.json() as { code?: unknown }).code;
    assert.ok(typeof code === 'number' || (typeof code === 'string' && code !== ''), `${what}: the error has a stable code (${response.body})`);
  };

  /** The report is about `sent`, from the instance that sent it. */
  const about = (report: DeliveryStatusReport | undefined, sent: SentMessage): DeliveryStatusReport => {
    assert.ok(report, 'a delivery status was reported');
    assert.equal(report.provider, sent.deps.instance, 'reported under the provider instance (deps.instance)');
    const ids = [sent.receipt.providerMessageId, ...(sent.receipt.partIds ?? [])];
    assert.ok(
      report.attemptId === sent.message.attemptId || (report.attemptId === undefined && ids.includes(report.providerMessageId ?? '')),
      `names the attempt (${sent.message.attemptId}) or one of the carrier's ids (${ids.join(', ')}): ${JSON.stringify(report)}`,
    );
    return report;
  };

  /** Nothing was reported for the refused receipts: a good receipt sent after them is the first report (on a session, receipts are handled in order). */
  const nothingReportedBefore = async (app: FastifyInstance, sent: SentMessage): Promise<void> => {
    assert.deepEqual(bed.statuses.reports, [], 'the refused receipts were reported nowhere');
    accepted((await receipts.report(app, sent, 'delivered')).answer, 'the good receipt after them');
    const [first] = await bed.statuses.received(1);
    assert.equal(about(first?.report, sent).status, 'delivered', 'the first report is the good receipt\'s');
  };

  describe('receipts', () => {
    beforeEach(() => {
      bed.statuses.clear();
      bed.logLines.length = 0;
    });
    after(async () => {
      for (const app of apps) await app.close();
    });

    it(`a delivered receipt reaches the delivery status sink under the instance and the attempt`, async () => {
      const { app, sent } = await sendOne();
      const result = await receipts.report(app, sent, 'delivered');
      accepted(result.answer, 'the delivered receipt');
      const [first] = await bed.statuses.received(1);
      const report = about(first?.report, sent);
      assert.equal(report.status, 'delivered');
      assert.equal(first?.outcome, 'recorded');
      if (result.price) assert.deepEqual(report.price, result.price, 'the carrier\'s price is reported');
      assert.equal(bed.statuses.statusOf(sent.message.attemptId), 'delivered');
    });

    it('an undelivered receipt reaches the sink with the carrier\'s error code', async () => {
      const { app, sent } = await sendOne();
      const result = await receipts.report(app, sent, 'undelivered');
      accepted(result.answer, 'the undelivered receipt');
      assert.ok(result.errorCode !== undefined && result.errorCode !== '', 'the harness sent an error code');
      const [first] = await bed.statuses.received(1);
      const report = about(first?.report, sent);
      assert.equal(report.status, 'undelivered');
      assert.equal(report.errorCode, result.errorCode);
    });

    it('a receipt sent twice (a carrier retrying) is accepted both times and changes nothing the second time', async () => {
      const { app, sent } = await sendOne();
      accepted((await receipts.report(app, sent, 'delivered')).answer, 'the first receipt');
      accepted((await receipts.report(app, sent, 'delivered')).answer, 'the same receipt again');
      const reports = await bed.statuses.received(1);
      // Either the route saw the repeat and kept it from the sink, or the sink answered `unchanged`.
      assert.equal(reports[0]?.outcome, 'recorded');
      for (const later of bed.statuses.reports.slice(1)) assert.equal(later.outcome, 'unchanged', JSON.stringify(later.report));
      assert.ok(bed.statuses.reports.length <= 2, `reported ${bed.statuses.reports.length} times`);
      assert.equal(bed.statuses.statusOf(sent.message.attemptId), 'delivered');
    });

    it('malformed receipts are refused (4xx, a JSON error, never a 5xx) and reported nowhere', async () => {
      const { app, sent } = await sendOne();
      const answers = await receipts.malformed(app, sent);
      assert.ok(answers.length > 0, 'the harness sent malformed receipts');
      for (const [i, answer] of answers.entries()) {
        if (answer.via === 'http') refused(answer.response, `malformed receipt #${i}`);
        else assert.equal(typeof answer.commandStatus, 'number', `malformed receipt #${i} was answered`);
      }
      await nothingReportedBefore(app, sent);
    });

    if (receipts.via === 'http') {
      it('a receipt with a forged signature is refused (401/403, a JSON error), logged, and reported nowhere', async () => {
        const { app, sent } = await sendOne();
        refused(await receipts.forged(app, sent), 'the forged receipt', [401, 403]);
        assert.ok(bed.logLines.some((l) => l['level'] === 40), 'a warning is logged');
        await nothingReportedBefore(app, sent);
      });

      if (receipts.stale) {
        it('a correctly signed receipt with a stale timestamp is refused (401/403) and reported nowhere', async () => {
          const { app, sent } = await sendOne();
          refused(await receipts.stale!(app, sent), 'the stale receipt', [401, 403]);
          await nothingReportedBefore(app, sent);
        });
      }
    }
  });
}

/**
 * Voice: places a call the carrier sees, hangs it up, classifies failures like delivery does, and
 * turns the carrier's call events (webhooks, the simulated phone) into CallEvents, answering each
 * with the flow's next instruction; an unknown call is hung up, a forged event is refused unheard.
 */
export function describeVoiceProviderContract(plugin: ProviderPlugin, harness: VoiceHarness): void {
  const voice = plugin.voice;
  if (!voice) throw new Error(`${plugin.name} has no voice part`);
  const { bed, open, close } = testBed();
  let sequence = 0;
  const request = (): PlaceCallRequest => {
    const callSid = `CL${(++sequence).toString(16).padStart(32, '0')}`;
    bed.known.push(callSid);
    return { callSid, verificationSid: 'VE00000000000000000000000000000001', to: '+14155552671', from: '+15005550006', ringTimeoutSeconds: 25, flash: false };
  };
  const build = async (mode: CarrierMode): Promise<{ provider: VoiceProvider; app: FastifyInstance }> => {
    const deps = bed.deps(await harness.env(mode));
    const built = voice.create(deps);
    const app = await appWithRoutes(built.routes, deps.logger);
    apps.push(app);
    return { provider: built.provider, app };
  };
  const apps: FastifyInstance[] = [];
  const place = async (provider: VoiceProvider): Promise<PlacedCall> => {
    const call = request();
    const { providerCallId } = await provider.placeCall(call);
    return { request: call, providerCallId };
  };
  const reported = (callSid: string) => bed.events.reported.filter((e) => e.callSid === callSid).map((e) => e.event);

  describe(`${plugin.name}: voice provider contract`, () => {
    before(async () => {
      await open();
      await harness.setup?.();
    });
    after(async () => {
      for (const app of apps) await app.close();
      await harness.teardown?.();
      await close();
    });
    beforeEach(() => {
      harness.reset?.();
      bed.events.reported.length = 0;
      bed.logLines.length = 0;
    });

    it('is the voice provider when the configuration names it', async () => {
      const built = createVoiceProvider(loadVerityConfig(await harness.env('ok')), bed.deps(await harness.env('ok')));
      assert.equal(built.provider?.name, plugin.name);
    });

    it('places a call the carrier sees, under the carrier\'s id, and hangs it up', async () => {
      const { provider } = await build('ok');
      const call = await place(provider);
      assert.equal(typeof call.providerCallId, 'string');
      assert.ok(call.providerCallId.length > 0, 'placeCall answers the provider\'s call id');
      await harness.placed(call, provider);
      await provider.hangup(call.request.callSid, call.providerCallId);
    });

    if (harness.failures) {
      const failure = async (mode: CarrierMode): Promise<DeliveryError> => {
        const error = await rejection((await build(mode)).provider.placeCall(request()));
        harness.refused?.(mode, error);
        return error;
      };
      it('a throttled carrier fails the placement retryable; one that may have started the call, not', async () => {
        assert.equal((await failure('throttled')).retryable, true);
        assert.equal((await failure('refusing')).retryable, false);
      });
      it('an unreachable carrier fails the placement retryable', async () => {
        assert.equal((await failure('unreachable')).retryable, true);
      });
    }

    const carrier = harness.carrier;
    if (!carrier) {
      it('reports the answer and the end of each call by itself', async () => {
        const endedCalls = new Map<string, () => void>();
        const original = bed.events.ended;
        bed.events.ended = async (callSid, how, detail) => {
          await original(callSid, how, detail);
          endedCalls.get(callSid)?.();
        };
        try {
          const { provider } = await build('ok');
          const next = `CL${(sequence + 1).toString(16).padStart(32, '0')}`;
          const done = new Promise<void>((resolve) => endedCalls.set(next, resolve));
          const call = await place(provider);
          assert.equal(call.request.callSid, next);
          await done;
          assert.deepEqual(reported(call.request.callSid), ['answered', 'ended']);
          assert.equal(bed.events.reported.find((e) => e.event === 'ended' && e.callSid === call.request.callSid && e.how === 'completed') !== undefined, true);
        } finally {
          bed.events.ended = original;
        }
      });
      return;
    }

    it('call events reach the flow and each is answered with its next instruction', async () => {
      const { provider, app } = await build('ok');
      const call = await place(provider);
      if (carrier.ringing) await carrier.ringing(app, call);
      assert.equal((await carrier.answer(app, call)).next, 'gather');
      assert.equal((await carrier.digits(app, call, '123456')).next, 'record');
      const sid = call.request.callSid;
      const seen = reported(sid);
      // Ringing is reported by the carriers that know it (the simulator reports it by itself).
      if (carrier.ringing) assert.equal(seen[0], 'ringing');
      assert.deepEqual(seen.filter((event) => event !== 'ringing'), ['answered', 'digits']);
      assert.deepEqual(bed.events.reported.find((e) => e.event === 'digits'), { event: 'digits', callSid: sid, digits: '123456' });
    });

    it('other digits end the call; the status callback reports its end to the flow', async () => {
      const { provider, app } = await build('ok');
      const call = await place(provider);
      await carrier.answer(app, call);
      assert.equal((await carrier.digits(app, call, '999999')).next, 'hangup');
      await carrier.hangUp(app, call);
      const end = bed.events.reported.find((e) => e.event === 'ended' && e.callSid === call.request.callSid);
      assert.equal(end?.event === 'ended' ? end.how : undefined, 'completed');
    });

    if (carrier.gatherTimeout) {
      it('a gather that timed out reaches the flow as empty digits', async () => {
        const { provider, app } = await build('ok');
        const call = await place(provider);
        await carrier.answer(app, call);
        assert.deepEqual(await carrier.gatherTimeout!(app, call), { next: 'hangup', said: ['Goodbye.'] });
        assert.deepEqual(bed.events.reported.at(-1), { event: 'digits', callSid: call.request.callSid, digits: '' });
      });
    }

    if (carrier.recording) {
      it('a recording is downloaded from the carrier with the account\'s credentials and handed to the flow', async () => {
        const { provider, app } = await build('ok');
        const call = await place(provider);
        assert.equal((await carrier.recording!(app, call, 'served')).next, 'hangup');
        assert.deepEqual(bed.events.reported.at(-1), { event: 'recording', callSid: call.request.callSid, wav: carrier.recordingBytes?.() });
      });

      it('no recording, or one Verity must not fetch, reaches the flow as empty, and the failed download is logged', async () => {
        const { provider, app } = await build('ok');
        const call = await place(provider);
        await carrier.recording!(app, call, 'none');
        await carrier.recording!(app, call, 'elsewhere');
        assert.deepEqual(bed.events.reported.map((e) => (e.event === 'recording' ? e.wav.length : -1)), [0, 0]);
        assert.ok(bed.logLines.some((l) => l['level'] === 50 && /could not download/.test(String(l['msg']))), 'an error is logged for the failed download');
      });
    }

    if (carrier.unknownCall) {
      it('an unknown call is hung up without a word; its progress reports are taken quietly', async () => {
        const { app } = await build('ok');
        const answers = await carrier.unknownCall!(app);
        assert.ok(answers.length > 0, 'the harness sent events');
        for (const answer of answers) assert.deepEqual(answer, { next: 'hangup', said: [] });
        const unknown = request();
        bed.known.splice(bed.known.indexOf(unknown.callSid), 1);
        await carrier.hangUp(app, { request: unknown, providerCallId: 'unknown' });
        assert.deepEqual(bed.events.reported.map((e) => e.event), ['answered', 'digits', 'ended']);
      });
    }

    if (carrier.forged) {
      it('an event with a wrong signature or credentials is refused (401/403), logged, and the flow never hears of it', async () => {
        const { provider, app } = await build('ok');
        const call = await place(provider);
        const status = await carrier.forged!(app, call);
        assert.ok(status === 401 || status === 403, `refused with ${status}`);
        assert.deepEqual(bed.events.reported, []);
        assert.equal(bed.logLines.filter((l) => l['level'] === 40).length, 1, 'one warning');
      });
    }
  });
}
