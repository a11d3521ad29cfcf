import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import type { PlaceCallRequest } from '../../voice/voice-provider.ts';
import { RecordingDownloadError } from '../download-recording.ts';
import { createBandwidthVoiceProvider, type BandwidthVoiceOptions } from './bandwidth-voice.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import {
  BANDWIDTH_ACCOUNT_ID as ACCOUNT_ID,
  BANDWIDTH_APPLICATION_ID as APPLICATION_ID,
  BANDWIDTH_PASSWORD as PASSWORD,
  BANDWIDTH_USERNAME as USERNAME,
  startFakeBandwidth,
  type FakeBandwidth,
} from '../../../test/providers/fake-bandwidth.ts';

// Placement failures (429, 500, refused connection) are in the shared provider contract
// (test/providers/provider-contract.ts); these are Bandwidth's own request fields and replies.

const CALLBACK_USERNAME = 'verity';
const CALLBACK_PASSWORD = 'callback-password-0123456789';
const PUBLIC_URL = 'https://verity.example.com';

let fake: FakeBandwidth;
let apiBase: string;
const received = () => fake.received;

before(async () => {
  fake = await startFakeBandwidth();
  apiBase = fake.apiBase;
});
after(() => fake.close());
beforeEach(() => fake.reset());

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
  assert.equal(received().length, 1);
  assert.equal(received()[0]?.path, `/api/v2/accounts/${ACCOUNT_ID}/calls`);
  const base = `${PUBLIC_URL}/voice/bandwidth/calls/${call.callSid}`;
  assert.deepEqual(received()[0]?.body, {
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
  fake.behaviour = 'bad-request';
  const err = await rejection(provider().placeCall(call));
  assert.equal(err.retryable, false);
  assert.match(err.message, /400: Bandwidth validation \(Invalid to/);
});

test('a timeout is not retryable (the call may have started)', async () => {
  fake.behaviour = 'hang';
  assert.equal((await rejection(provider({ timeoutMs: 200 }).placeCall(call))).retryable, false);
});

test('hangup sets the call state to completed; a call no longer active counts as hung up', async () => {
  const voice = provider();
  const { providerCallId } = await voice.placeCall(call);
  await voice.hangup(call.callSid, providerCallId);
  assert.equal(received()[1]?.path, `/api/v2/accounts/${ACCOUNT_ID}/calls/${providerCallId}`);
  assert.deepEqual(received()[1]?.body, { state: 'completed' });
  // Bandwidth answers 404 once the call is over.
  await voice.hangup(call.callSid, providerCallId);
  fake.behaviour = 'server-error';
  assert.match((await rejection(voice.hangup(call.callSid, providerCallId))).message, /500/);
});

test('downloads a recording, waiting while Bandwidth still answers 404', async () => {
  fake.recordingMissingFor = 1;
  const mediaUrl = `${apiBase}/api/v2/accounts/${ACCOUNT_ID}/calls/c-${randomUUID()}/recordings/r-${randomUUID()}/media`;
  assert.deepEqual(await provider().fetchRecording(mediaUrl), fake.wav);
  assert.equal(received().length, 2);
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
  assert.equal(received().length, 0);
});
