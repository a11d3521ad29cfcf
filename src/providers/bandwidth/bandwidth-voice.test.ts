import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import type { PlaceCallRequest } from '../../voice/voice-provider.ts';
import { RecordingDownloadError } from '../download-recording.ts';
import { createBandwidthVoiceProvider, type BandwidthVoiceOptions } from './bandwidth-voice.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';

const ACCOUNT_ID = '9900000';
const USERNAME = 'api-user';
const PASSWORD = 'api-password-0123';
const APPLICATION_ID = '04e88489-df02-4e34-a0ee-27a91849555f';
const CALLBACK_USERNAME = 'verity';
const CALLBACK_PASSWORD = 'callback-password-0123456789';
const PUBLIC_URL = 'https://verity.example.com';
const WAV = Buffer.concat([Buffer.from('RIFF'), randomBytes(64)]);

interface Received {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

let behaviour: 'accept' | 'rate-limit' | 'server-error' | 'bad-request' | 'hang' = 'accept';
let recordingMissingFor = 0;
let received: Received[] = [];
let server: Server;
let apiBase: string;
const activeCalls = new Set<string>();

function bandwidthError(res: ServerResponse, status: number, type: string, description: string): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify({ type, description, id: null }));
}

/** Validates requests the way Bandwidth's Voice API v2 does, for the parts Verity uses. */
async function fakeBandwidth(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const path = req.url ?? '';

  const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
  if (!req.headers.authorization?.startsWith('Basic ') || user !== USERNAME || password !== PASSWORD) {
    return bandwidthError(res, 401, 'authentication-error', 'The credentials provided were invalid');
  }
  const media = /^\/api\/v2\/accounts\/(\d+)\/calls\/(c-[0-9a-f-]+)\/recordings\/(r-[0-9a-f-]+)\/media$/.exec(path);
  if (req.method === 'GET' && media) {
    received.push({ method: 'GET', path, body: undefined });
    if (recordingMissingFor > 0) {
      recordingMissingFor--;
      return bandwidthError(res, 404, 'not-found', 'Recording not found');
    }
    res.writeHead(200, { 'content-type': 'audio/vnd.wave' });
    res.end(WAV);
    return;
  }
  const match = /^\/api\/v2\/accounts\/(\d+)\/calls(?:\/(c-[0-9a-f-]+))?$/.exec(path);
  if (req.method !== 'POST' || !match) return bandwidthError(res, 404, 'not-found', 'Not found');
  if (match[1] !== ACCOUNT_ID) return bandwidthError(res, 403, 'authorization-error', 'Access is denied');
  if (req.headers['content-type']?.split(';')[0] !== 'application/json') return bandwidthError(res, 415, 'validation', 'Invalid media type');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return bandwidthError(res, 400, 'validation', 'Malformed JSON');
  }
  received.push({ method: 'POST', path, body });
  if (behaviour === 'hang') return;
  if (behaviour === 'rate-limit') return bandwidthError(res, 429, 'rate-limit', 'Too many requests');
  if (behaviour === 'server-error') return bandwidthError(res, 500, 'internal-server-error', 'Internal server error');
  if (behaviour === 'bad-request') return bandwidthError(res, 400, 'validation', 'Invalid to: must be an E164 telephone number');

  const callId = match[2];
  if (callId !== undefined) {
    if (!activeCalls.has(callId)) return bandwidthError(res, 404, 'not-found', 'Call not found');
    if (body['state'] !== 'completed' && body['state'] !== 'active') return bandwidthError(res, 400, 'validation', 'Invalid state');
    activeCalls.delete(callId);
    res.writeHead(200).end();
    return;
  }
  for (const field of ['from', 'to', 'applicationId', 'answerUrl']) {
    if (typeof body[field] !== 'string') return bandwidthError(res, 400, 'validation', `${field} is required`);
  }
  if (body['applicationId'] !== APPLICATION_ID) return bandwidthError(res, 400, 'validation', 'Unknown application');
  const id = `c-${randomUUID()}`;
  activeCalls.add(id);
  res.writeHead(201, { 'content-type': 'application/json', location: `${apiBase}/api/v2/accounts/${ACCOUNT_ID}/calls/${id}` });
  res.end(JSON.stringify({ accountId: ACCOUNT_ID, applicationId: APPLICATION_ID, callId: id, callUrl: `${apiBase}/api/v2/accounts/${ACCOUNT_ID}/calls/${id}`, to: body['to'], from: body['from'], tag: body['tag'] }));
}

before(async () => {
  server = createServer((req, res) => void fakeBandwidth(req, res));
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

function provider(overrides: Partial<BandwidthVoiceOptions> = {}) {
  return createBandwidthVoiceProvider({
    accountId: ACCOUNT_ID,
    username: USERNAME,
    password: PASSWORD,
    applicationId: APPLICATION_ID,
    callbackUsername: CALLBACK_USERNAME,
    callbackPassword: CALLBACK_PASSWORD,
    apiBase,
    publicUrl: PUBLIC_URL,
    recordingRetryDelayMs: 5,
    ...overrides,
  });
}

const call: PlaceCallRequest = {
  callSid: 'CL0123456789abcdef0123456789abcdef',
  verificationSid: 'VE1',
  to: '+15551234567',
  from: '+15005550006',
  ringTimeoutSeconds: 25,
  flash: false,
};

test('places a call whose callbacks point at Verity with the callback credentials', async () => {
  const { providerCallId } = await provider().placeCall(call);
  assert.match(providerCallId, /^c-[0-9a-f-]{36}$/);
  assert.equal(received.length, 1);
  assert.equal(received[0]?.path, `/api/v2/accounts/${ACCOUNT_ID}/calls`);
  const base = `${PUBLIC_URL}/voice/bandwidth/calls/${call.callSid}`;
  assert.deepEqual(received[0]?.body, {
    from: call.from,
    to: call.to,
    applicationId: APPLICATION_ID,
    answerUrl: `${base}/answer`,
    answerMethod: 'POST',
    disconnectUrl: `${base}/disconnect`,
    disconnectMethod: 'POST',
    username: CALLBACK_USERNAME,
    password: CALLBACK_PASSWORD,
    callTimeout: 25,
    tag: call.callSid,
  });
});

test('wrong API credentials give a non-retryable error', async () => {
  const err = await rejection(provider({ password: 'wrong' }).placeCall(call));
  assert.equal(err.retryable, false);
  assert.match(err.message, /401/);
  assert.match(err.message, /authentication-error/);
  assert.equal(err.message.includes('wrong'), false);
});

test('a validation error names Bandwidth\'s description', async () => {
  behaviour = 'bad-request';
  const err = await rejection(provider().placeCall(call));
  assert.equal(err.retryable, false);
  assert.match(err.message, /400: Bandwidth validation \(Invalid to/);
});

test('HTTP 429 is retryable; HTTP 500 is not (the call may have started)', async () => {
  behaviour = 'rate-limit';
  assert.equal((await rejection(provider().placeCall(call))).retryable, true);
  behaviour = 'server-error';
  assert.equal((await rejection(provider().placeCall(call))).retryable, false);
});

test('a refused connection is retryable; a timeout is not', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  assert.equal((await rejection(provider({ apiBase: `http://127.0.0.1:${port}` }).placeCall(call))).retryable, true);
  behaviour = 'hang';
  assert.equal((await rejection(provider({ timeoutMs: 200 }).placeCall(call))).retryable, false);
});

test('hangup sets the call state to completed; a call no longer active counts as hung up', async () => {
  const voice = provider();
  const { providerCallId } = await voice.placeCall(call);
  await voice.hangup(call.callSid, providerCallId);
  assert.equal(received[1]?.path, `/api/v2/accounts/${ACCOUNT_ID}/calls/${providerCallId}`);
  assert.deepEqual(received[1]?.body, { state: 'completed' });
  // Bandwidth answers 404 once the call is over.
  await voice.hangup(call.callSid, providerCallId);
  behaviour = 'server-error';
  assert.match((await rejection(voice.hangup(call.callSid, providerCallId))).message, /500/);
});

test('downloads a recording, waiting while Bandwidth still answers 404', async () => {
  recordingMissingFor = 1;
  const mediaUrl = `${apiBase}/api/v2/accounts/${ACCOUNT_ID}/calls/c-${randomUUID()}/recordings/r-${randomUUID()}/media`;
  assert.deepEqual(await provider().fetchRecording(mediaUrl), WAV);
  assert.equal(received.length, 2);
});

test('never sends the API credentials to a media URL elsewhere', async () => {
  for (const url of [
    `https://attacker.example/api/v2/accounts/${ACCOUNT_ID}/calls/c-1/recordings/r-1/media`,
    `${apiBase}/api/v2/accounts/9900001/calls/c-1/recordings/r-1/media`,
    `${apiBase}/api/v2/accounts/${ACCOUNT_ID}/calls/../../9900001/calls/c-1/recordings/r-1/media`,
    'not a url',
  ]) {
    await assert.rejects(provider().fetchRecording(url), RecordingDownloadError, url);
  }
  assert.equal(received.length, 0);
});
