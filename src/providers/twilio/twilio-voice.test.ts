import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { PlaceCallRequest } from '../../voice/voice-provider.ts';
import { RecordingDownloadError } from '../download-recording.ts';
import { createTwilioVoiceProvider, type TwilioVoiceOptions } from './twilio-voice.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import {
  TWILIO_ACCOUNT_SID as ACCOUNT_SID,
  TWILIO_API_KEY_SECRET as API_KEY_SECRET,
  TWILIO_API_KEY_SID as API_KEY_SID,
  TWILIO_AUTH_TOKEN as AUTH_TOKEN,
  startFakeTwilio,
  type FakeTwilio,
} from '../../../test/providers/fake-twilio.ts';

// Placement failures (429, 500, refused connection) are in the shared provider contract
// (test/providers/provider-contract.ts); these are Twilio's own request fields and replies.

const PUBLIC_URL = 'https://verity.example.com';
const RECORDING_SID = `RE${'ab'.repeat(16)}`;

let fake: FakeTwilio;
let apiBase: string;
const received = () => fake.received;

before(async () => {
  fake = await startFakeTwilio();
  apiBase = fake.apiBase;
});
after(() => fake.close());
beforeEach(() => fake.reset());

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
  assert.equal(received().length, 1);
  const request = received()[0]!;
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
  assert.equal(received()[0]?.form.get('Url'), `${PUBLIC_URL}/voice/twilio/calls/${call.callSid}/answer`);
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

test('a timeout is not retryable (Twilio may have queued the call)', async () => {
  fake.behaviour = 'hang';
  const err = await rejection(provider({ timeoutMs: 200 }).placeCall(call));
  assert.equal(err.retryable, false);
  assert.equal(received().length, 1);
});

test('hangup completes the call', async () => {
  const voice = provider();
  const { providerCallId } = await voice.placeCall(call);
  await voice.hangup(call.callSid, providerCallId);
  const update = received()[1]!;
  assert.equal(update.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${providerCallId}.json`);
  assert.deepEqual([...update.form], [['Status', 'completed']]);
});

test('hangup of a call that already ended succeeds (Twilio 21220)', async () => {
  const voice = provider();
  const { providerCallId } = await voice.placeCall(call);
  fake.behaviour = 'call-over';
  await voice.hangup(call.callSid, providerCallId);
});

test('hangup of an unknown call fails', async () => {
  const err = await rejection(provider().hangup(call.callSid, `CA${'0'.repeat(32)}`));
  assert.equal(err.retryable, false);
  assert.match(err.message, /404/);
});

test('downloads a recording as WAV, waiting while Twilio still answers 404', async () => {
  fake.recordingMissingFor = 2;
  const url = `${apiBase}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}`;
  const wav = await provider().fetchRecording(url);
  assert.deepEqual(wav, fake.wav);
  assert.equal(received().length, 3);
  assert.equal(received()[2]?.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}.wav`);
});

test('gives up on a recording that never appears', async () => {
  fake.recordingMissingFor = 100;
  const url = `${apiBase}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${RECORDING_SID}`;
  await assert.rejects(provider().fetchRecording(url), RecordingDownloadError);
  assert.equal(received().length, 4);
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
  assert.equal(received().length, 0);
});
