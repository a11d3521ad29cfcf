import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { closedPortBase } from '../../../test/providers/fake-twilio.ts';
import { SNS_ACCESS_KEY_ID, SNS_REGION, SNS_SECRET_ACCESS_KEY, startFakeSns, type FakeSns } from '../../../test/providers/fake-sns.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import type { OutboundMessage } from '../provider.ts';
import { createSnsProvider } from './sns-provider.ts';
import type { SnsSettings } from './sns-settings.ts';

// The SDK against a fake that speaks the AWS Query protocol and checks every SigV4 signature.
// The shared contract covers the failure classes too; these are SNS's own request and answers.

let fake: FakeSns;
before(async () => {
  fake = await startFakeSns();
});
after(() => fake.close());
beforeEach(() => fake.reset());

const MESSAGE: OutboundMessage = { channel: 'sms', to: '+447700900123', body: 'Your Acme code is 834921', locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'1'.repeat(32)}` };
const settings = (extra: Partial<SnsSettings> = {}): SnsSettings => ({
  region: SNS_REGION,
  credentials: { accessKeyId: SNS_ACCESS_KEY_ID, secretAccessKey: SNS_SECRET_ACCESS_KEY },
  smsType: 'Transactional',
  senderId: undefined,
  originationNumber: undefined,
  timeoutMs: 2_000,
  endpoint: fake.apiBase,
  statusTopicArn: undefined,
  ...extra,
});

async function sendWith(extra: Partial<SnsSettings> = {}) {
  const provider = createSnsProvider(settings(extra));
  try {
    return await provider.send(MESSAGE);
  } finally {
    await provider.close?.();
  }
}

test('Publish goes to the phone number, signed with SigV4, as a Transactional SMS with the sender attributes; the attempt ends at sent', async () => {
  const receipt = await sendWith({ senderId: 'Acme', originationNumber: '+12065550100' });
  assert.deepEqual(fake.refusedSignatures, []);
  const [request] = fake.received;
  assert.equal(request?.form.get('PhoneNumber'), MESSAGE.to);
  assert.equal(request?.form.get('Message'), MESSAGE.body);
  assert.deepEqual(request?.attributes, {
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Acme' },
    'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+12065550100' },
  });
  assert.deepEqual(receipt, { providerMessageId: request?.messageId, status: 'sent' });
  assert.equal(createSnsProvider(settings()).receipts, false);
});

test('without static keys the SDK\'s default credential chain is used (here: the AWS_* environment)', async () => {
  const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
  process.env['AWS_ACCESS_KEY_ID'] = SNS_ACCESS_KEY_ID;
  process.env['AWS_SECRET_ACCESS_KEY'] = SNS_SECRET_ACCESS_KEY;
  try {
    const receipt = await sendWith({ credentials: undefined, smsType: 'Promotional' });
    assert.equal(receipt.providerMessageId, fake.received[0]?.messageId);
    assert.equal(fake.received[0]?.attributes['AWS.SNS.SMS.SMSType']?.StringValue, 'Promotional');
  } finally {
    for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test('a wrong secret is refused by the fake\'s signature check, not retryable', async () => {
  const error = await rejection(sendWith({ credentials: { accessKeyId: SNS_ACCESS_KEY_ID, secretAccessKey: `${SNS_SECRET_ACCESS_KEY}x` } }));
  assert.deepEqual(fake.refusedSignatures, ['SignatureDoesNotMatch']);
  assert.match(error.message, /HTTP 403: SignatureDoesNotMatch/);
  assert.equal(error.retryable, false);
  assert.equal(fake.received.length, 0);
});

test('throttling is retryable; an invalid or opted-out number and a 5xx are not', async () => {
  fake.behaviour = 'throttle';
  const throttled = await rejection(sendWith());
  assert.equal(throttled.retryable, true);
  assert.match(throttled.message, /HTTP 429: ThrottledException/);
  fake.behaviour = 'opted-out';
  assert.equal((await rejection(sendWith())).retryable, false);
  fake.behaviour = 'internal-error';
  const internal = await rejection(sendWith());
  assert.equal(internal.retryable, false);
  assert.match(internal.message, /HTTP 500: InternalError/);
});

test('a refused connection is retryable; a request that got no answer in time is not (AWS may have taken it)', async () => {
  assert.equal((await rejection(sendWith({ endpoint: await closedPortBase() }))).retryable, true);
  fake.behaviour = 'hang';
  const started = Date.now();
  const timedOut = await rejection(sendWith({ timeoutMs: 300 }));
  assert.equal(timedOut.retryable, false);
  assert.ok(Date.now() - started < 2_000, 'the provider\'s own time-out ended it');
  assert.equal(fake.received.length, 1, 'the request reached the fake');
});

test('channels other than SMS are refused without retrying', async () => {
  const provider = createSnsProvider(settings());
  const error = await rejection(provider.send({ ...MESSAGE, channel: 'call' }));
  assert.equal(error.retryable, false);
  assert.equal(fake.received.length, 0);
  await provider.close?.();
});
