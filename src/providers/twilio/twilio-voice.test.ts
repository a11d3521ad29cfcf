import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import type { PlaceCallRequest } from '../../voice/voice-provider.ts';
import { RecordingDownloadError } from '../download-recording.ts';
import { createTwilioVoiceProvider, type TwilioVoiceOptions } from './twilio-voice.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token-0123456789';
const API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
const API_KEY_SECRET = 'test-api-key-secret-0123';
const CREDENTIALS = new Map([[ACCOUNT_SID, AUTH_TOKEN], [API_KEY_SID, API_KEY_SECRET]]);
const PUBLIC_URL = 'https://verity.example.com';
const RECORDING_SID = `RE${'ab'.repeat(16)}`;
const WAV = Buffer.concat([Buffer.from('RIFF'), randomBytes(64)]);

interface Received {
  method: string;
  path: string;
  form: URLSearchParams;
}

/** What the fake Twilio does after validating a request. */
let behaviour: 'accept' | 'rate-limit' | 'server-error' | 'call-over' | 'hang' = 'accept';
/** How many recording downloads answer 404 before the media is there. */
let recordingMissingFor = 0;
let received: Received[] = [];
let server: Server;
let apiBase: string;
const calls = new Map<string, string>();

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

/** Validates requests the way the Twilio REST API does, for the parts Verity uses. */
async function fakeTwilio(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const path = req.url ?? '';

  const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
  if (!req.headers.authorization?.startsWith('Basic ') || user === undefined || CREDENTIALS.get(user) !== password) {
    return twilioError(res, 401, 20003, 'Authenticate');
  }

  const recording = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})\.wav$/.exec(path);
  if (req.method === 'GET' && recording) {
    received.push({ method: 'GET', path, form: new URLSearchParams() });
    if (recordingMissingFor > 0) {
      recordingMissingFor--;
      return twilioError(res, 404, 20404, 'The requested resource was not found');
    }
    res.writeHead(200, { 'content-type': 'audio/x-wav' });
    res.end(WAV);
    return;
  }

  const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Calls(?:\/(CA[0-9a-f]{32}))?\.json$/.exec(path);
  if (req.method !== 'POST' || !match) return twilioError(res, 404, 20404, 'The requested resource was not found');
  if (match[1] !== ACCOUNT_SID) return twilioError(res, 403, 20003, 'Permission denied');
  if (req.headers['content-type']?.split(';')[0] !== 'application/x-www-form-urlencoded') {
    return twilioError(res, 400, 20001, 'Unsupported content type');
  }
  const form = new URLSearchParams(body);
  received.push({ method: 'POST', path, form });
  if (behaviour === 'hang') return;
  if (behaviour === 'rate-limit') return twilioError(res, 429, 20429, 'Too Many Requests');
  if (behaviour === 'server-error') return twilioError(res, 500, 20500, 'Internal Server Error');

  const callSid = match[2];
  if (callSid !== undefined) {
    // Update: only Status=completed|canceled is used by Verity.
    if (!calls.has(callSid)) return twilioError(res, 404, 20404, 'The requested resource was not found');
    if (!['completed', 'canceled'].includes(form.get('Status') ?? '')) return twilioError(res, 400, 21218, 'Invalid Status');
    if (behaviour === 'call-over') return twilioError(res, 400, 21220, 'Call is not in-progress. Cannot redirect.');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sid: callSid, status: 'completed' }));
    return;
  }
  if (!form.get('To')) return twilioError(res, 400, 21201, "No 'To' number is specified");
  if (!form.get('From')) return twilioError(res, 400, 21213, "No 'From' number is specified");
  if (!form.get('Url') && !form.get('Twiml')) return twilioError(res, 400, 21205, 'Url parameter is required.');
  const sid = `CA${randomBytes(16).toString('hex')}`;
  calls.set(sid, form.get('To') ?? '');
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ sid, account_sid: ACCOUNT_SID, to: form.get('To'), status: 'queued' }));
}

before(async () => {
  server = createServer((req, res) => void fakeTwilio(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  behaviour = 'accept';
  recordingMissingFor = 0;
  received = [];
});

function provider(overrides: Partial<TwilioVoiceOptions> = {}) {
  return createTwilioVoiceProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBase, publicUrl: PUBLIC_URL, recordingRetryDelayMs: 5, ...overrides });
}

const call: PlaceCallRequest = {
  callSid: 'CL0123456789abcdef0123456789abcdef',
  verificationSid: 'VE1',
  to: '+15551234567',
  from: '+15005550006',
  ringTimeoutSeconds: 25,
  flash: false,
};

test('places a call whose webhooks point at Verity', async () => {
  const { providerCallId } = await provider().placeCall(call);
  assert.match(providerCallId, /^CA[0-9a-f]{32}$/);
  assert.equal(received.length, 1);
  const request = received[0]!;
  assert.equal(request.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`);
  const base = `${PUBLIC_URL}/voice/twilio/calls/${call.callSid}`;
  assert.deepEqual([...request.form], [
    ['To', call.to],
    ['From', call.from],
    ['Url', `${base}/answer`],
    ['Method', 'POST'],
    ['StatusCallback', `${base}/status`],
    ['StatusCallbackMethod', 'POST'],
    ['Timeout', '25'],
    ['StatusCallbackEvent', 'initiated'],
    ['StatusCallbackEvent', 'ringing'],
    ['StatusCallbackEvent', 'answered'],
    ['StatusCallbackEvent', 'completed'],
  ]);
});

test('a trailing slash on publicUrl does not double the slash', async () => {
  await provider({ publicUrl: `${PUBLIC_URL}/` }).placeCall(call);
  assert.equal(received[0]?.form.get('Url'), `${PUBLIC_URL}/voice/twilio/calls/${call.callSid}/answer`);
});

test('authenticates with an API key when one is given', async () => {
  const { providerCallId } = await provider({ apiKeySid: API_KEY_SID, authToken: API_KEY_SECRET }).placeCall(call);
  assert.match(providerCallId, /^CA/);
});

test('wrong credentials give a non-retryable error carrying Twilio code 20003', async () => {
  const err = await rejection(provider({ authToken: 'wrong-token-0123456789' }).placeCall(call));
  assert.equal(err.retryable, false);
  assert.match(err.message, /401/);
  assert.match(err.message, /20003/);
});

test('HTTP 429 is retryable; HTTP 500 is not (the call may have been queued)', async () => {
  behaviour = 'rate-limit';
  assert.equal((await rejection(provider().placeCall(call))).retryable, true);
  behaviour = 'server-error';
  const err = await rejection(provider().placeCall(call));
  assert.equal(err.retryable, false);
  assert.match(err.message, /500/);
});

test('a refused connection is retryable; a timeout is not', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  assert.equal((await rejection(provider({ apiBase: `http://127.0.0.1:${port}` }).placeCall(call))).retryable, true);

  behaviour = 'hang';
  const err = await rejection(provider({ timeoutMs: 200 }).placeCall(call));
  assert.equal(err.retryable, false);
  assert.equal(received.length, 1);
});

test('hangup completes the call', async () => {
  const voice = provider();
  const { providerCallId } = await voice.placeCall(call);
  await voice.hangup(call.callSid, providerCallId);
  const update = received[1]!;
  assert.equal(update.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${providerCallId}.json`);
  assert.deepEqual([...update.form], [['Status', 'completed']]);
});

test('hangup of a call that already ended succeeds (Twilio 21220)', async () => {
  const voice = provider();
  const { providerCallId } = await voice.placeCall(call);
  behaviour = 'call-over';
  await voice.hangup(call.callSid, providerCallId);
});

test('hangup of an unknown call fails', async () => {
  const err = await rejection(provider().hangup(call.callSid, `CA${'0'.repeat(32)}`));
  assert.equal(err.retryable, false);
  assert.match(err.message, /404/);
});

test('downloads a recording as WAV, waiting while Twilio still answers 404', async () => {
  recordingMissingFor = 2;
  const url = `${apiBase}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}`;
  const wav = await provider().fetchRecording(url);
  assert.deepEqual(wav, WAV);
  assert.equal(received.length, 3);
  assert.equal(received[2]?.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}.wav`);
});

test('gives up on a recording that never appears', async () => {
  recordingMissingFor = 100;
  const url = `${apiBase}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}`;
  await assert.rejects(provider().fetchRecording(url), RecordingDownloadError);
  assert.equal(received.length, 4);
});

test('never sends the credentials to a recording URL elsewhere', async () => {
  const other = `AC${'f'.repeat(32)}`;
  for (const url of [
    `https://attacker.example/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}`,
    `${apiBase}/2010-04-01/Accounts/${other}/Recordings/${RECORDING_SID}`,
    `${apiBase}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/../../${other}/Recordings/${RECORDING_SID}`,
    `${apiBase.replace('http://', 'http://user:pw@')}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}`,
  ]) {
    await assert.rejects(provider().fetchRecording(url), RecordingDownloadError, url);
  }
  assert.equal(received.length, 0);
});
