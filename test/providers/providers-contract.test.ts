/**
 * Runs the shared provider contract (provider-contract.ts) over every plug-in in the registry,
 * each against its carrier: the simulator and the console as they are, SMTP against a real
 * `smtp-server`, Twilio and Bandwidth against local fakes of their REST APIs, SIP against sipp. A registered plug-in
 * without a harness here fails the first test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { simpleParser, type AddressObject } from 'mailparser';
import twilio from 'twilio';
import type { DeliveryError } from '../../src/providers/provider.ts';
import { PROVIDER_PLUGINS } from '../../src/providers/registry.ts';
import type { SimulatorPhoneNetwork, SimCallView } from '../../src/providers/simulator/phone-network.ts';
import { BXML_VERBS, TWIML_VERBS, elements, parseVoiceXml, textOf, type XmlElement } from '../support/voice-xml.ts';
import {
  BANDWIDTH_ACCOUNT_ID,
  BANDWIDTH_APPLICATION_ID,
  BANDWIDTH_PASSWORD,
  BANDWIDTH_USERNAME,
  startFakeBandwidth,
  type FakeBandwidth,
} from './fake-bandwidth.ts';
import { kannelDelivery } from './kannel-harness.ts';
import { plivoDelivery } from './plivo-harness.ts';
import { SIMULATOR_ENV, simulatorDelivery } from './simulator-harness.ts';
import { smppDelivery } from './smpp-harness.ts';
import { sipVoice } from './sip-harness.ts';
import { snsDelivery } from './sns-harness.ts';
import { telnyxDelivery } from './telnyx-harness.ts';
import { vonageDelivery } from './vonage-harness.ts';
import { whatsAppDelivery } from './whatsapp-harness.ts';
import { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, closedPortBase, startFakeTwilio, type FakeTwilio, type TwilioCallback } from './fake-twilio.ts';
import {
  describeDeliveryProviderContract,
  describeVoiceProviderContract,
  type CallAnswer,
  type CarrierMode,
  type DeliveryHarness,
  type PlacedCall,
  type VoiceHarness,
  type WebhookReceipts,
} from './provider-contract.ts';
import { rejectRecipient, startSmtpSink } from './smtp-sink.ts';

const PUBLIC_URL = 'https://verity.example.com';
const UNKNOWN_CALL = 'CLffffffffffffffffffffffffffffffff';
const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };
const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: PUBLIC_URL, VERITY_SMS_FROM: '+15005550006' };

/** What a TwiML or BXML answer does next, and the words it speaks. */
function callAnswer(root: XmlElement): CallAnswer {
  const all: XmlElement[] = [];
  const walk = (element: XmlElement) => {
    for (const child of elements(element)) {
      all.push(child);
      walk(child);
    }
  };
  walk(root);
  const names = all.map((e) => e.name);
  const next = names.includes('Gather') ? 'gather' : names.includes('Record') ? 'record' : 'hangup';
  return { next, said: all.filter((e) => e.name === 'Say' || e.name === 'SpeakSentence').map(textOf) };
}

// ---- simulator -------------------------------------------------------------------------------

function simulatedNext(view: SimCallView): CallAnswer {
  return { next: view.waiting_for === 'digits' ? 'gather' : view.waiting_for === 'recording' ? 'record' : 'hangup', said: view.prompts.map((p) => p.text) };
}

async function phone(app: FastifyInstance, call: PlacedCall, action: string, payload?: Record<string, string>): Promise<SimCallView> {
  const response = await app.inject({ method: 'POST', url: `/sim/v1/phones/${encodeURIComponent(call.request.to)}/calls/${call.request.callSid}/${action}`, ...(payload ? { payload } : {}) });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as SimCallView;
}

const simulatorVoice: VoiceHarness = {
  failures: false,
  env: async () => SIMULATOR_ENV,
  async placed(call, provider) {
    const [view] = (provider as SimulatorPhoneNetwork).calls(call.request.to);
    assert.equal(view?.sid, call.request.callSid);
    assert.equal(view?.from, call.request.from);
  },
  carrier: {
    answer: async (app, call) => simulatedNext(await phone(app, call, 'answer')),
    digits: async (app, call, digits) => simulatedNext(await phone(app, call, 'dtmf', { digits })),
    async hangUp(app, call) {
      // A call the script hung up has reported its end already; the phone only hangs up a live one.
      const view = (await app.inject({ method: 'GET', url: `/sim/v1/phones/${encodeURIComponent(call.request.to)}/calls/${call.request.callSid}` })).json() as SimCallView;
      if (view.status === 'in-progress' || view.status === 'ringing') await phone(app, call, 'hangup');
    },
  },
};

// ---- console ---------------------------------------------------------------------------------

const CONSOLE_ENV = { ...BASE_ENV, VERITY_SMS_PROVIDER: 'console', VERITY_VOICE_PROVIDER: 'console', VERITY_EMAIL_PROVIDER: 'console', VERITY_WHATSAPP_PROVIDER: 'console' };
const printed: string[] = [];
let restoreStdout: (() => void) | undefined;

const consoleDelivery: DeliveryHarness = {
  failures: false,
  env: async () => CONSOLE_ENV,
  async setup() {
    // The console provider writes to stdout on purpose (never to the log): keep its lines, pass the rest on.
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('[verity:console]')) {
        printed.push(chunk);
        return true;
      }
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    restoreStdout = () => void (process.stdout.write = write);
  },
  teardown: async () => restoreStdout?.(),
  async delivered(message, receipt) {
    assert.match(receipt.providerMessageId, /^CON[0-9a-f]{32}$/);
    const line = printed.at(-1) ?? '';
    assert.ok(line.includes(`${message.channel} to ${message.to} (${message.verificationSid})`), line);
    assert.ok(line.includes(JSON.stringify(message.body)), 'the line shows the body');
  },
};

const consoleVoice: VoiceHarness = {
  failures: false,
  env: async () => CONSOLE_ENV,
  async placed(call) {
    assert.equal(call.providerCallId, `console-${call.request.callSid}`);
  },
};

// ---- smtp ------------------------------------------------------------------------------------

const sinks: Partial<Record<CarrierMode, Awaited<ReturnType<typeof startSmtpSink>>>> = {};
const smtpEnv = (url: string) => ({ ...BASE_ENV, ...NONE, VERITY_EMAIL_PROVIDER: 'smtp', VERITY_SMTP_URL: url, VERITY_EMAIL_FROM: 'Verity <no-reply@verity.test>' });
let closedSmtp = '';

const smtpDelivery: DeliveryHarness = {
  failures: true,
  async setup() {
    sinks.ok = await startSmtpSink();
    sinks.throttled = await startSmtpSink(rejectRecipient(451));
    sinks.refusing = await startSmtpSink(rejectRecipient(550));
    closedSmtp = (await closedPortBase()).replace('http://', 'smtp://');
  },
  async teardown() {
    for (const sink of Object.values(sinks)) await sink.close();
  },
  reset: () => void (sinks.ok ? (sinks.ok.delivered.length = 0) : 0),
  env: async (mode) => smtpEnv(mode === 'unreachable' ? closedSmtp : (sinks[mode]?.url as string)),
  async delivered(message, receipt) {
    const [mail] = sinks.ok?.delivered ?? [];
    assert.deepEqual(mail?.to, ['Alice@example.com']);
    assert.equal(mail?.from, 'no-reply@verity.test');
    const parsed = await simpleParser(mail?.raw ?? Buffer.alloc(0));
    assert.equal(parsed.messageId, receipt.providerMessageId);
    assert.equal((parsed.to as AddressObject | undefined)?.value[0]?.address, 'Alice@example.com');
    assert.equal(parsed.subject, message.subject);
    assert.equal(parsed.text?.trim(), message.body);
    assert.equal(parsed.html, message.html);
    assert.deepEqual(parsed.from?.value, [{ address: 'no-reply@verity.test', name: 'Verity' }]);
    // RFC 3834: keeps vacation responders from answering a machine-sent code.
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
  },
  refused(mode, error) {
    if (mode === 'throttled') {
      assert.match(error.message, /451/);
      assert.equal(sinks.throttled?.delivered.length, 0);
    }
    if (mode === 'refusing') assert.match(error.message, /550/);
  },
};

// ---- twilio ----------------------------------------------------------------------------------

let fakeTwilio: FakeTwilio;
let closedTwilio = '';
const TWILIO_MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeTwilio['behaviour']> = { ok: 'accept', throttled: 'rate-limit', refusing: 'server-error', hanging: 'hang' };

async function twilioEnv(mode: CarrierMode): Promise<NodeJS.ProcessEnv> {
  if (mode !== 'unreachable') fakeTwilio.behaviour = TWILIO_MODES[mode];
  return {
    ...BASE_ENV,
    ...NONE,
    VERITY_SMS_PROVIDER: 'twilio',
    VERITY_VOICE_PROVIDER: 'twilio',
    VERITY_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID,
    VERITY_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN,
    VERITY_TWILIO_API_BASE: mode === 'unreachable' ? closedTwilio : fakeTwilio.apiBase,
    ...(mode === 'hanging' ? { VERITY_TWILIO_TIMEOUT_MS: '300' } : {}),
  };
}

const twilioLifecycle = {
  failures: true,
  hangs: true,
  async setup() {
    fakeTwilio = await startFakeTwilio();
    closedTwilio = await closedPortBase();
  },
  teardown: () => fakeTwilio.close(),
  reset: () => fakeTwilio.reset(),
  env: twilioEnv,
};

/** Twilio's refusals name the HTTP status. */
function twilioRefused(mode: CarrierMode, error: DeliveryError): void {
  if (mode === 'throttled') assert.match(error.message, /429/);
  if (mode === 'refusing') assert.match(error.message, /500/);
}

const twilioDelivery: DeliveryHarness = {
  ...twilioLifecycle,
  refused: twilioRefused,
  async delivered(message, receipt) {
    const request = fakeTwilio.received.at(-1);
    assert.equal(request?.form.get('To'), message.to);
    assert.equal(request?.form.get('From'), '+15005550006');
    if (message.channel === 'sms') {
      assert.equal(request?.resource, 'Messages');
      assert.equal(request?.form.get('Body'), message.body);
      assert.match(receipt.providerMessageId, /^SM[0-9a-f]{32}$/);
    } else {
      assert.equal(request?.resource, 'Calls');
      assert.ok(request?.form.get('Twiml')?.includes('<Say'), 'the call says the message');
      assert.match(receipt.providerMessageId, /^CA[0-9a-f]{32}$/);
    }
  },
};

/** A status callback as the fake Twilio made it, posted to the app. */
const postCallback = (app: FastifyInstance, callback: TwilioCallback, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: callback.path, headers: { ...callback.headers, ...headers }, payload: callback.payload });

/** Twilio's StatusCallback (fake-twilio.ts signs it as Twilio does, to the URL Verity gave with the message). */
const twilioReceipts: WebhookReceipts = {
  via: 'http',
  async report(app, sent, outcome) {
    // 30003: Unreachable destination handset.
    const errorCode = outcome === 'undelivered' ? '30003' : undefined;
    const callback = fakeTwilio.statusCallback(sent.receipt.providerMessageId, outcome, errorCode ? { errorCode } : {});
    assert.equal(new URL(callback.url).pathname, `/messaging/${sent.deps.instance}/status`, 'the StatusCallback is the instance\'s status route');
    return { answer: { via: 'http', response: await postCallback(app, callback) }, ...(errorCode ? { errorCode } : {}) };
  },
  async malformed(app, sent) {
    const sid = sent.receipt.providerMessageId;
    const signed = (extra: Record<string, string | undefined>) => fakeTwilio.statusCallback(sid, 'delivered', { extra });
    const asJson = signed({});
    return Promise.all(
      [
        postCallback(app, signed({ MessageSid: undefined, SmsSid: undefined })),
        postCallback(app, signed({ MessageStatus: undefined })),
        postCallback(app, signed({ MessageSid: 'SM-not-a-message-sid' })),
        postCallback(app, signed({ ErrorCode: 'thirty' })),
        // The same parameters, signed, but as JSON: Twilio posts forms only.
        app.inject({ method: 'POST', url: asJson.path, headers: { ...asJson.headers, 'content-type': 'application/json' }, payload: JSON.stringify(asJson.params) }),
      ].map(async (response) => ({ via: 'http' as const, response: await response })),
    );
  },
  forged: (app, sent) => postCallback(app, fakeTwilio.statusCallback(sent.receipt.providerMessageId, 'delivered', { authToken: 'some-other-token-0123456789' })),
};

/** A webhook as Twilio sends it: form-encoded, signed over the public URL and the parameters. */
async function twilioWebhook(app: FastifyInstance, call: PlacedCall | string, event: string, params: Record<string, string>, authToken = TWILIO_AUTH_TOKEN): Promise<LightMyRequestResponse> {
  const callSid = typeof call === 'string' ? call : call.request.callSid;
  const path = `/voice/twilio/calls/${callSid}/${event}`;
  const form = { AccountSid: TWILIO_ACCOUNT_SID, CallSid: typeof call === 'string' ? `CA${'0'.repeat(32)}` : call.providerCallId, Direction: 'outbound-api', ...params };
  return app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, `${PUBLIC_URL}${path}`, form) },
    payload: new URLSearchParams(form).toString(),
  });
}

function twiml(response: LightMyRequestResponse): CallAnswer {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, /^text\/xml/);
  return callAnswer(parseVoiceXml(response.body, TWIML_VERBS));
}

async function twilioStatus(app: FastifyInstance, call: PlacedCall, status: string): Promise<void> {
  const response = await twilioWebhook(app, call, 'status', { CallStatus: status });
  assert.equal(response.statusCode, 204);
}

const twilioVoice: VoiceHarness = {
  ...twilioLifecycle,
  refused: twilioRefused,
  async placed(call) {
    const request = fakeTwilio.received.find((r) => r.resource === 'Calls' && r.form.get('Url')?.includes(call.request.callSid));
    assert.equal(request?.form.get('To'), call.request.to);
    assert.equal(request?.form.get('From'), call.request.from);
  },
  carrier: {
    ringing: (app, call) => twilioStatus(app, call, 'ringing'),
    answer: async (app, call) => twiml(await twilioWebhook(app, call, 'answer', { CallStatus: 'in-progress' })),
    digits: async (app, call, digits) => twiml(await twilioWebhook(app, call, 'gather', { CallStatus: 'in-progress', Digits: digits })),
    gatherTimeout: async (app, call) => twiml(await twilioWebhook(app, call, 'gather', { CallStatus: 'in-progress' })),
    hangUp: (app, call) => twilioStatus(app, call, 'completed'),
    async recording(app, call, media) {
      const recordingUrl = {
        served: `${fakeTwilio.apiBase}/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Recordings/RE${'1'.repeat(32)}`,
        elsewhere: `https://api.twilio.com/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Recordings/RE${'1'.repeat(32)}`,
        none: undefined,
      }[media];
      return twiml(await twilioWebhook(app, call, 'record', { CallStatus: 'in-progress', ...(recordingUrl ? { RecordingUrl: recordingUrl, RecordingDuration: '4' } : {}) }));
    },
    recordingBytes: () => fakeTwilio.wav,
    unknownCall: async (app) => [
      twiml(await twilioWebhook(app, UNKNOWN_CALL, 'answer', { CallStatus: 'in-progress' })),
      twiml(await twilioWebhook(app, UNKNOWN_CALL, 'gather', { CallStatus: 'in-progress', Digits: '1' })),
    ],
    forged: async (app, call) => (await twilioWebhook(app, call, 'gather', { Digits: '123456' }, 'some-other-token-0123456789')).statusCode,
  },
};

// ---- bandwidth -------------------------------------------------------------------------------

let fakeBandwidth: FakeBandwidth;
let closedBandwidth = '';
const CALLBACK_PASSWORD = 'callback-password-0123456789';
const BANDWIDTH_MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeBandwidth['behaviour']> = { ok: 'accept', throttled: 'rate-limit', refusing: 'server-error', hanging: 'hang' };

const bandwidthVoice: VoiceHarness = {
  failures: true,
  async setup() {
    fakeBandwidth = await startFakeBandwidth();
    closedBandwidth = await closedPortBase();
  },
  teardown: () => fakeBandwidth.close(),
  reset: () => fakeBandwidth.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fakeBandwidth.behaviour = BANDWIDTH_MODES[mode];
    return {
      ...BASE_ENV,
      ...NONE,
      VERITY_VOICE_PROVIDER: 'bandwidth',
      VERITY_BANDWIDTH_ACCOUNT_ID: BANDWIDTH_ACCOUNT_ID,
      VERITY_BANDWIDTH_USERNAME: BANDWIDTH_USERNAME,
      VERITY_BANDWIDTH_PASSWORD: BANDWIDTH_PASSWORD,
      VERITY_BANDWIDTH_APPLICATION_ID: BANDWIDTH_APPLICATION_ID,
      VERITY_BANDWIDTH_CALLBACK_PASSWORD: CALLBACK_PASSWORD,
      VERITY_BANDWIDTH_API_BASE: mode === 'unreachable' ? closedBandwidth : fakeBandwidth.apiBase,
    };
  },
  async placed(call) {
    const request = fakeBandwidth.received.find((r) => r.body?.['tag'] === call.request.callSid);
    assert.equal(request?.body?.['to'], call.request.to);
    assert.equal(request?.body?.['from'], call.request.from);
  },
  carrier: {
    answer: async (app, call) => bxml(await bandwidthCallback(app, call, 'answer', { eventType: 'answer' })),
    digits: async (app, call, digits) => bxml(await bandwidthCallback(app, call, 'gather', { eventType: 'gather', digits })),
    gatherTimeout: async (app, call) => bxml(await bandwidthCallback(app, call, 'gather', { eventType: 'gather', digits: '' })),
    async hangUp(app, call) {
      assert.equal((await bandwidthCallback(app, call, 'disconnect', { eventType: 'disconnect', cause: 'hangup' })).statusCode, 204);
    },
    async recording(app, call, media) {
      const path = `/api/v2/accounts/${BANDWIDTH_ACCOUNT_ID}/calls/${call.providerCallId}/recordings/r-fbe05094-9fd2afe9-bf5b-4c68-820a-41a01c1c5833/media`;
      const mediaUrl = { served: `${fakeBandwidth.apiBase}${path}`, elsewhere: `https://voice.bandwidth.com${path}`, none: undefined }[media];
      return bxml(await bandwidthCallback(app, call, 'record', { eventType: 'recordComplete', ...(mediaUrl ? { mediaUrl, fileFormat: 'wav' } : {}) }));
    },
    recordingBytes: () => fakeBandwidth.wav,
    unknownCall: async (app) => [
      bxml(await bandwidthCallback(app, UNKNOWN_CALL, 'answer', { eventType: 'answer' })),
      bxml(await bandwidthCallback(app, UNKNOWN_CALL, 'gather', { eventType: 'gather', digits: '1' })),
    ],
    forged: async (app, call) => (await bandwidthCallback(app, call, 'gather', { eventType: 'gather', digits: '123456' }, 'callback-password-012345678')).statusCode,
  },
};

/** A callback as Bandwidth sends it: JSON with the callback credentials as HTTP Basic. */
async function bandwidthCallback(app: FastifyInstance, call: PlacedCall | string, event: string, body: Record<string, unknown>, password = CALLBACK_PASSWORD): Promise<LightMyRequestResponse> {
  const callSid = typeof call === 'string' ? call : call.request.callSid;
  return app.inject({
    method: 'POST',
    url: `/voice/bandwidth/calls/${callSid}/${event}`,
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Basic ${Buffer.from(`verity:${password}`).toString('base64')}` },
    payload: JSON.stringify({ accountId: BANDWIDTH_ACCOUNT_ID, applicationId: BANDWIDTH_APPLICATION_ID, callId: typeof call === 'string' ? 'c-0' : call.providerCallId, tag: callSid, ...body }),
  });
}

function bxml(response: LightMyRequestResponse): CallAnswer {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, /^application\/xml/);
  return callAnswer(parseVoiceXml(response.body, BXML_VERBS));
}

// ---- the table -------------------------------------------------------------------------------

const HARNESSES: Readonly<Record<string, { delivery?: DeliveryHarness; voice?: VoiceHarness }>> = {
  simulator: { delivery: simulatorDelivery, voice: simulatorVoice },
  console: { delivery: consoleDelivery, voice: consoleVoice },
  smtp: { delivery: smtpDelivery },
  twilio: { delivery: { ...twilioDelivery, receipts: twilioReceipts }, voice: twilioVoice },
  bandwidth: { voice: bandwidthVoice },
  kannel: { delivery: kannelDelivery },
  smpp: { delivery: smppDelivery({ ...BASE_ENV, ...NONE }) },
  whatsapp: { delivery: whatsAppDelivery },
  telnyx: { delivery: telnyxDelivery },
  plivo: { delivery: plivoDelivery },
  sns: { delivery: snsDelivery },
  vonage: { delivery: vonageDelivery },
  sip: { voice: sipVoice },
};

test('every registered provider has a contract harness for each part it provides', () => {
  for (const plugin of PROVIDER_PLUGINS) {
    const harness = HARNESSES[plugin.name];
    assert.equal(harness?.delivery !== undefined, plugin.delivery !== undefined, `${plugin.name}: a delivery harness exactly when it delivers messages`);
    assert.equal(harness?.voice !== undefined, plugin.voice !== undefined, `${plugin.name}: a voice harness exactly when it places calls`);
  }
});

for (const plugin of PROVIDER_PLUGINS) {
  const harness = HARNESSES[plugin.name];
  if (plugin.delivery && harness?.delivery) describeDeliveryProviderContract(plugin, harness.delivery);
  if (plugin.voice && harness?.voice) describeVoiceProviderContract(plugin, harness.voice);
}
