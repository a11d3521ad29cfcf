import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { ManualClock } from '../../crypto/clock.ts';
import type { AppContext } from '../../context.ts';
import type { ProviderDeps } from '../provider-plugin.ts';
import { loadVerityConfig } from '../registry.ts';
import { twilioPlugin } from './twilio-plugin.ts';
import { readTwilioStatus } from './twilio-status.ts';
import { capturedLogger } from '../../../test/support/captured-logger.ts';
import { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../../../test/providers/fake-twilio.ts';
import { RecordingStatusSink } from '../../../test/providers/recording-status-sink.ts';

const SM = `SM${'a'.repeat(32)}`;
const CA = `CA${'b'.repeat(32)}`;

describe('Twilio status callbacks', () => {
  it('maps every MessageStatus Twilio documents', () => {
    const status = (s: string) => {
      const read = readTwilioStatus({ MessageSid: SM, MessageStatus: s });
      return read.kind === 'report' ? read.report.status : read.kind;
    };
    assert.deepEqual(
      ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'receiving', 'received', 'partially_delivered'].map(status),
      ['queued', 'queued', 'queued', 'sent', 'sent', 'delivered', 'delivered', 'undelivered', 'failed', 'failed', 'ignored', 'ignored', 'ignored'],
    );
  });

  it('keeps Twilio\'s error code as it sent it', () => {
    assert.deepEqual(readTwilioStatus({ MessageSid: SM, MessageStatus: 'undelivered', ErrorCode: '30003' }), { kind: 'report', report: { providerMessageId: SM, status: 'undelivered', errorCode: '30003' } });
  });

  it('reads a call\'s end as the receipt of the message it spoke', () => {
    const end = (s: string) => {
      const read = readTwilioStatus({ CallSid: CA, CallStatus: s });
      return read.kind === 'report' ? [read.report.status, read.report.errorMessage] : [read.kind];
    };
    assert.deepEqual(['completed', 'busy', 'no-answer', 'canceled', 'failed', 'ringing'].map(end), [
      ['delivered', undefined], ['undelivered', 'busy'], ['undelivered', 'no-answer'], ['undelivered', 'canceled'], ['failed', 'failed'], ['ignored'],
    ]);
  });

  it('refuses what is not a status callback', () => {
    for (const params of [{}, { MessageStatus: 'sent' }, { MessageSid: 'SM1', MessageStatus: 'sent' }, { MessageSid: SM }, { MessageSid: SM, MessageStatus: 'failed', ErrorCode: '30003x' }, { CallSid: CA }, { MessageSid: SM, MessageStatus: ['sent', 'delivered'] }]) {
      assert.equal(readTwilioStatus(params).kind, 'malformed', JSON.stringify(params));
    }
  });

  describe('for a call that speaks the message', () => {
    let fake: FakeTwilio;
    let app: FastifyInstance;
    const statuses = new RecordingStatusSink();
    let callSid = '';
    before(async () => {
      fake = await startFakeTwilio();
      const { logger } = capturedLogger();
      const config = loadVerityConfig({
        NODE_ENV: 'test',
        VERITY_PUBLIC_URL: 'https://verity.example.com',
        VERITY_SMS_FROM: '+15005550006',
        VERITY_SMS_PROVIDER: 'twilio',
        VERITY_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID,
        VERITY_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN,
        VERITY_TWILIO_API_BASE: fake.apiBase,
      });
      const deps = { config, stores: {} as ProviderDeps['stores'], clock: new ManualClock(), logger, events: () => assert.fail('no voice'), instance: 'twilio-us', deliveryStatus: statuses } satisfies ProviderDeps;
      const built = twilioPlugin.delivery!.create(deps);
      app = Fastify();
      await app.register(formbody);
      await built.routes?.(app, { logger } as unknown as AppContext);
      await app.ready();
      const receipt = await built.provider.send({ channel: 'call', to: '+15551234567', body: 'Your code is 1, 2, 3.', locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'2'.repeat(32)}` });
      callSid = receipt.providerMessageId;
      statuses.know('twilio-us', `VL${'2'.repeat(32)}`, [callSid]);
    });
    after(async () => {
      await app.close();
      await fake.close();
    });

    it('asks for the call\'s StatusCallback, and its `no-answer` end reaches the sink as undelivered', async () => {
      const request = fake.received.find((r) => r.resource === 'Calls');
      assert.equal(request?.form.get('StatusCallback'), 'https://verity.example.com/messaging/twilio-us/status');
      const callback = fake.statusCallback(callSid, 'no-answer');
      const response = await app.inject({ method: 'POST', url: callback.path, headers: callback.headers, payload: callback.payload });
      assert.equal(response.statusCode, 204);
      assert.deepEqual(statuses.reports.map((r) => r.report), [{ provider: 'twilio-us', providerMessageId: callSid, status: 'undelivered', errorMessage: 'no-answer' }]);
    });
  });
});
