/**
 * The contract every delivery and voice provider plug-in (src/providers/registry.ts) passes, run by
 * providers-contract.test.ts over each registered plug-in with a harness that plays its carrier
 * (a local fake REST API, a real SMTP server, the simulator's own phones). Tests of one provider's
 * wire format (signatures, TwiML or BXML, request fields) stay beside its code.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { capturedLogger } from '../support/captured-logger.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import type { AppContext } from '../../src/context.ts';
import { ManualClock } from '../../src/crypto/clock.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { installErrorHandling } from '../../src/http/error-handler.ts';
import { serializerCompiler, validatorCompiler } from '../../src/http/schema/validation.ts';
import { createProviders, createVoiceProvider } from '../../src/providers/create-providers.ts';
import type { ProviderDeps, ProviderPlugin } from '../../src/providers/provider-plugin.ts';
import type { Channel, DeliveryError, DeliveryProvider, DeliveryReceipt, OutboundMessage } from '../../src/providers/provider.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/store/database.ts';
import type { PlaceCallRequest, VoiceProvider } from '../../src/voice/voice-provider.ts';
import { rejection } from '../support/delivery-rejection.ts';
import { fakeCallEvents } from '../support/fake-call-events.ts';
import { createStores } from '../../src/store/unit-of-work.ts';

/** How the harness's carrier behaves: normally, throttling (retryable), refusing for good, or not reachable at all. */
export type CarrierMode = 'ok' | 'throttled' | 'refusing' | 'unreachable';

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
}

export interface DeliveryHarness extends HarnessLifecycle {
  /** Asserts that the carrier received `message`, under the id in `receipt`. */
  delivered(message: OutboundMessage, receipt: DeliveryReceipt, deps: ProviderDeps): Promise<void>;
  /** Checks the provider's own account of a failure (its message names the carrier's reply, nothing was delivered…). */
  refused?(mode: CarrierMode, error: DeliveryError): void;
}

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
  deps(env: NodeJS.ProcessEnv): ProviderDeps;
  db: Db;
  logLines: Record<string, unknown>[];
  known: string[];
  events: ReturnType<typeof fakeCallEvents>;
}

function testBed(): { bed: TestBed; open(): Promise<void>; close(): Promise<void> } {
  const { logger, lines: logLines } = capturedLogger();
  const known: string[] = [];
  const events = fakeCallEvents(known);
  const clock = new ManualClock();
  const bed: TestBed = {
    db: undefined as unknown as Db,
    logLines,
    known,
    events,
    deps: (env) => {
      const config = loadVerityConfig(env);
      return { config, stores: createStores(bed.db), clock, logger, events: () => events, instance: config.providers.sms, deliveryStatus: { report: async () => 'unknown' } };
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
      const mine = (['sms', 'call', 'email'] as const).filter((channel) => built.providers[channel]?.name === plugin.name);
      assert.ok(mine.length > 0, `${plugin.name} serves a channel`);
      for (const channel of mine) assert.ok(delivery.channels.includes(channel), `${plugin.name} was built for ${channel}, which it does not declare`);
      assert.equal(new Set(mine.map((channel) => built.providers[channel])).size, 1, 'one instance for all its channels');
      for (const channel of mine) opened.push(built.providers[channel] as DeliveryProvider);
    });

    for (const channel of (['sms', 'call', 'email'] as const).filter((c) => !delivery.channels.includes(c))) {
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
    const built = voice.create(bed.deps(await harness.env(mode)));
    const app = Fastify();
    // As build-app does: routes declare zod schemas, and their answers are checked against them.
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
    installErrorHandling(app, () => 'https://verity.example.com');
    await app.register(formbody);
    const ctx = { logger: bed.deps(await harness.env(mode)).logger, bus: new EventBus() } as unknown as AppContext;
    await built.routes?.(app, ctx);
    await app.ready();
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
