import assert from 'node:assert/strict';
import { test } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { ManualClock } from '../../crypto/clock.ts';
import { InProcessEventBus, type EventBus } from '../../events/event-bus.ts';
import { SimulatorPhoneNetwork } from './phone-network.ts';
import type { PromptAudio } from '../../audio/prompt-audio.ts';
import { writeWav } from '../../audio/line-audio.ts';
import type { CallInstruction } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import { installErrorHandling } from '../../http/error-handler.ts';
import { serializerCompiler, validatorCompiler } from '../../http/schema/validation.ts';
import { simulatorPhoneRoutes } from './simulator-phone-routes.ts';

const PHONE = '+14155552671';
const ENCODED = encodeURIComponent(PHONE);
const AUDIO_ID = 'a'.repeat(32);

const engine: CallEvents & { log: string[] } = {
  log: [],
  async ringing() {},
  async answered(): Promise<CallInstruction> {
    return { prompts: [{ kind: 'say', text: 'Your code is 1 2 3.', locale: 'en' }], then: { kind: 'gather', prompt: [], maxDigits: 3, timeoutSeconds: 5, finishOnKey: null } };
  },
  async digits(_sid, digits): Promise<CallInstruction> {
    engine.log.push(`digits ${digits}`);
    return { prompts: [], then: { kind: 'record', prompt: [{ kind: 'say', text: 'Speak.', locale: 'en' }], maxSeconds: 5, silenceSeconds: 1 } };
  },
  async recording(_sid, wav): Promise<CallInstruction> {
    engine.log.push(`recording ${wav.length}`);
    return { prompts: [], then: { kind: 'hangup' } };
  },
  async ended(_sid, how) {
    engine.log.push(`ended ${how}`);
  },
};

const audio: PromptAudio = {
  prepare: async () => AUDIO_ID,
  get: async (id) => (id === AUDIO_ID ? writeWav({ sampleRate: 8000, samples: new Int16Array(8) }) : undefined),
};

async function build(): Promise<{ app: FastifyInstance; network: SimulatorPhoneNetwork; bus: EventBus<{ type: string; resourceSid: string }> }> {
  const bus = new InProcessEventBus<{ type: string; resourceSid: string }>();
  const network = new SimulatorPhoneNetwork({ clock: new ManualClock(), events: () => engine, audio, speechCharsPerSecond: Infinity });
  const app = Fastify();
  // As build-app does: the routes declare zod schemas, and their answers are checked against them.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
  installErrorHandling(app, () => 'http://127.0.0.1');
  await app.register(formbody);
  await simulatorPhoneRoutes(app, { bus } as unknown as AppContext, network);
  return { app, network, bus };
}

async function place(network: SimulatorPhoneNetwork, callSid: string): Promise<void> {
  await network.placeCall({ callSid, verificationSid: 'VE1', to: PHONE, from: '+15005550006', ringTimeoutSeconds: 30, flash: false });
  await network.idle();
}

test('a call from ringing to its end through the HTTP routes', async () => {
  const { app, network } = await build();
  await place(network, 'CL1');

  const list = await app.inject({ method: 'GET', url: `/sim/v1/phones/${ENCODED}/calls` });
  assert.equal(list.statusCode, 200);
  const calls = list.json().calls;
  assert.equal(calls.length, 1);
  assert.deepEqual(
    { sid: calls[0].sid, from: calls[0].from, to: calls[0].to, status: calls[0].status, waiting_for: calls[0].waiting_for, prompts: calls[0].prompts },
    { sid: 'CL1', from: '+15005550006', to: PHONE, status: 'ringing', waiting_for: null, prompts: [] },
  );
  // A plain number without '+' names the same phone.
  assert.equal((await app.inject({ method: 'GET', url: '/sim/v1/phones/14155552671/calls' })).json().calls.length, 1);

  const answered = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL1/answer` });
  assert.equal(answered.statusCode, 200);
  assert.equal(answered.json().status, 'in-progress');
  assert.equal(answered.json().waiting_for, 'digits');
  assert.deepEqual(answered.json().prompts[0], { text: 'Your code is 1 2 3.', locale: 'en', audio_url: `/sim/v1/audio/${AUDIO_ID}.wav`, date: '2026-01-01T00:00:00Z' });

  const audioReply = await app.inject({ method: 'GET', url: `/sim/v1/audio/${AUDIO_ID}.wav` });
  assert.equal(audioReply.statusCode, 200);
  assert.equal(audioReply.headers['content-type'], 'audio/wav');
  assert.equal(audioReply.rawPayload.length, 44 + 16);

  const form = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL1/dtmf`, payload: 'digits=12', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.statusCode, 200);
  assert.equal(form.json().waiting_for, 'digits');
  const json = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL1/dtmf`, payload: { digits: '3' } });
  assert.equal(json.json().waiting_for, 'recording');
  assert.deepEqual(engine.log, ['digits 123']);

  const wav = writeWav({ sampleRate: 8000, samples: new Int16Array(800) });
  const spoken = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL1/speak`, payload: wav, headers: { 'content-type': 'audio/wav' } });
  assert.equal(spoken.statusCode, 200);
  assert.equal(spoken.json().status, 'completed');
  assert.deepEqual(engine.log, ['digits 123', `recording ${wav.length}`, 'ended completed']);
  await app.close();
});

test('errors: unknown call 404, action out of state 60306, bad digits, number or body 400/415', async () => {
  const { app, network } = await build();
  await place(network, 'CL2');

  const unknown = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CLnope/answer` });
  assert.equal(unknown.statusCode, 404);
  assert.deepEqual(unknown.json(), { code: 20404, message: `The requested resource /sim/v1/phones/${ENCODED}/calls/CLnope/answer was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });

  const early = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL2/dtmf`, payload: { digits: '1' } });
  assert.equal(early.statusCode, 400);
  assert.equal(early.json().code, 60306);
  assert.equal(early.json().message, 'Invalid Request: The call is not waiting for digits (the call is ringing)');

  for (const digits of ['', '12a', '1'.repeat(33)]) {
    const bad = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL2/dtmf`, payload: { digits } });
    assert.equal(bad.statusCode, 400, digits);
    assert.equal(bad.json().code, 60200);
  }

  const badNumber = await app.inject({ method: 'GET', url: '/sim/v1/phones/hello/calls' });
  assert.equal(badNumber.json().code, 60200);

  const notWav = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL2/speak`, payload: { digits: '1' } });
  assert.equal(notWav.statusCode, 415);

  const garbage = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL2/speak`, payload: Buffer.from('nope'), headers: { 'content-type': 'audio/wav' } });
  assert.equal(garbage.json().code, 60200);

  const twice = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL2/answer` });
  assert.equal(twice.statusCode, 200);
  const again = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/calls/CL2/answer` });
  assert.equal(again.json().code, 60306);

  assert.equal((await app.inject({ method: 'GET', url: `/sim/v1/audio/${'b'.repeat(32)}.wav` })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: '/sim/v1/audio/..%2Fetc.wav' })).statusCode, 404);
  await app.close();
});

test('busy: set over HTTP, the next call ends busy', async () => {
  const { app, network } = await build();
  const set = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/busy`, payload: { busy: true } });
  assert.deepEqual(set.json(), { number: PHONE, busy: true });
  await place(network, 'CL3');
  assert.equal(network.call(PHONE, 'CL3').status, 'busy');
  const missing = await app.inject({ method: 'POST', url: `/sim/v1/phones/${ENCODED}/busy`, payload: {} });
  assert.equal(missing.json().code, 60200);
  await app.close();
});

test('the stream sends the call on every change', async () => {
  const { app, network, bus } = await build();
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const controller = new AbortController();
  const response = await fetch(`${address}/sim/v1/phones/${ENCODED}/stream`, { signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  await place(network, 'CL4');
  await network.answer(PHONE, 'CL4');
  while (!text.includes('"waiting_for":"digits"')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  const events = text.split('\n\n').filter((block) => block.startsWith('event: call'));
  assert.deepEqual(
    events.map((block) => JSON.parse(block.split('data: ')[1]!).status),
    ['ringing', 'in-progress', 'in-progress'],
  );
  bus.publish('shutdown', { type: 'shutdown', resourceSid: '' });
  controller.abort();
  await app.close();
});
