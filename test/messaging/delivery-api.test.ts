import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../../src/providers/provider.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** A carrier with receipts that accepts (or refuses, when told) and records what it was sent. */
class ReportingCarrier implements DeliveryProvider {
  readonly name = 'carrier';
  readonly receipts = true;
  refuse = false;
  readonly sent: OutboundMessage[] = [];
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    this.sent.push(message);
    if (this.refuse) throw new DeliveryError('carrier refused the destination', { retryable: false });
    return { providerMessageId: `SM${this.sent.length}`, parts: 1, status: 'sent' };
  }
}

interface SendCodeAttempt {
  attempt_sid: string;
  channel: string;
  time: string;
  delivery_status: string | null;
  provider: string | null;
  delivery_attempts: Array<{ sid: string; provider: string; route: string; status: string; status_history: Array<{ status: string; error_code: string | null }>; error_code: string | null; price: string | null; price_unit: string | null }>;
}

/** Delivery statuses through the API: the verification resource, the webhook event and the metrics. */
describe('delivery status in the Verify API', () => {
  let v: TestVerity;
  let carrier: ReportingCarrier;
  let service: string;

  before(async () => {
    carrier = new ReportingCarrier();
    v = await startVerity({ providers: { sms: carrier } });
    service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Receipts' })).body.sid;
  });
  after(async () => v.close());

  it('shows each send\'s delivery in send_code_attempts, keeping the hosted API\'s fields', async () => {
    const created = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550191', Channel: 'sms' });
    assert.equal(created.status, 201);
    const [send] = created.body.send_code_attempts as SendCodeAttempt[];
    assert.ok(send, 'one send');
    assert.match(send.attempt_sid, /^VL[0-9a-f]{32}$/);
    assert.equal(send.channel, 'SMS');
    assert.match(send.time, /Z$/);
    assert.equal(send.delivery_status, 'sent');
    assert.equal(send.provider, 'carrier');
    assert.equal(send.delivery_attempts.length, 1);
    const attempt = send.delivery_attempts[0]!;
    assert.equal(attempt.route, 'default:sms');
    assert.equal(carrier.sent.at(-1)?.attemptId, attempt.sid);

    assert.equal(await v.ctx.messaging.recorder.report({ provider: 'carrier', providerMessageId: `SM${carrier.sent.length}`, status: 'undelivered', errorCode: '30005', price: { amount: '0.0079', currency: 'USD' } }), 'recorded');
    const fetched = await v.api('GET', `/v2/Services/${service}/Verifications/${created.body.sid}`);
    const [again] = fetched.body.send_code_attempts as SendCodeAttempt[];
    assert.equal(again?.delivery_status, 'undelivered');
    assert.deepEqual(again?.delivery_attempts[0]?.status_history.map((h) => [h.status, h.error_code]), [['sent', null], ['undelivered', '30005']]);
    assert.equal(again?.delivery_attempts[0]?.price, '0.0079');
    assert.equal(again?.delivery_attempts[0]?.price_unit, 'USD');
    assert.equal(fetched.body.status, 'pending', 'an undelivered message does not end the verification: the user may resend');

    const events = await v.ctx.db.kysely.selectFrom('events').select(['type', 'payload']).where('type', '=', 'verification.delivery_status').where('resource_sid', '=', attempt.sid).orderBy('date_created').execute();
    assert.deepEqual(events.map((e) => (JSON.parse(e.payload) as { status: string }).status), ['sent', 'undelivered']);

    const metrics = await v.ctx.metrics.registry.metrics();
    assert.match(metrics, /verity_delivery_status_total\{provider="carrier",country="US",status="undelivered"\} 1/);
  });

  it('a refused first send answers 30008 as before, with the refused attempt on record', async () => {
    carrier.refuse = true;
    try {
      const created = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550192', Channel: 'sms' });
      assert.equal(created.status, 502);
      assert.equal(created.body.code, 30008);
      const row = await v.ctx.db.kysely.selectFrom('verifications').select('sid').where('destination', '=', '+14155550192').executeTakeFirstOrThrow();
      const fetched = await v.api('GET', `/v2/Services/${service}/Verifications/${row.sid}`);
      assert.equal(fetched.body.status, 'failed');
      const [send] = fetched.body.send_code_attempts as SendCodeAttempt[];
      assert.equal(send?.delivery_status, 'rejected');
      assert.equal(send?.delivery_attempts.length, 1, 'one target: nothing to fail over to');
    } finally {
      carrier.refuse = false;
    }
  });
});
