/**
 * The AWS SNS plug-in's harness for the shared provider contract (providers-contract.test.ts): the
 * official SDK against a local server speaking the AWS Query protocol that verifies every SigV4
 * signature (fake-sns.ts). SNS has no receipts, so there is no receipts part.
 */
import assert from 'node:assert/strict';
import { closedPortBase } from './fake-twilio.ts';
import { SNS_ACCESS_KEY_ID, SNS_REGION, SNS_SECRET_ACCESS_KEY, startFakeSns, type FakeSns } from './fake-sns.ts';
import type { CarrierMode, DeliveryHarness } from './provider-contract.ts';

const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: 'https://verity.example.com', VERITY_SMS_FROM: '+15005550006' };
const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };
const MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeSns['behaviour']> = { ok: 'accept', throttled: 'throttle', refusing: 'internal-error', hanging: 'hang' };

let fake: FakeSns;
let closed = '';

export const snsDelivery: DeliveryHarness = {
  failures: true,
  hangs: true,
  async setup() {
    fake = await startFakeSns();
    closed = await closedPortBase();
  },
  teardown: () => fake.close(),
  reset: () => fake.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fake.behaviour = MODES[mode];
    return {
      ...BASE_ENV,
      ...NONE,
      VERITY_SMS_PROVIDER: 'sns',
      VERITY_SNS_REGION: SNS_REGION,
      VERITY_SNS_ACCESS_KEY_ID: SNS_ACCESS_KEY_ID,
      VERITY_SNS_SECRET_ACCESS_KEY: SNS_SECRET_ACCESS_KEY,
      VERITY_SNS_ENDPOINT: mode === 'unreachable' ? closed : fake.apiBase,
      ...(mode === 'hanging' ? { VERITY_SNS_TIMEOUT_MS: '300' } : {}),
    };
  },
  async delivered(message, receipt) {
    assert.deepEqual(fake.refusedSignatures, [], 'every request carried a valid SigV4 signature');
    const request = fake.received.at(-1);
    assert.equal(receipt.providerMessageId, request?.messageId);
    assert.equal(receipt.status, 'sent', 'SNS accepted it for sending, and will say nothing more');
    assert.equal(request?.form.get('PhoneNumber'), message.to);
    assert.equal(request?.form.get('Message'), message.body);
    assert.deepEqual(request?.attributes, { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } });
  },
  refused(mode, error) {
    if (mode === 'throttled') assert.match(error.message, /HTTP 429: ThrottledException/);
    if (mode === 'refusing') assert.match(error.message, /HTTP 500: InternalError/);
  },
};
