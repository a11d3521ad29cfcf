import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DeliveryReceipt, OutboundMessage } from '../../src/providers/provider.ts';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../store/test-database.ts';
import { openBed, type Bed } from './messaging-bed.ts';

/** The delivery-status sink over a real store: finding the attempt, the rules, the webhook event, the metrics. */

for (const kind of DATABASE_KINDS) {
  describe(`delivery status recorder (${kind.name})`, () => {
    let t: TestDatabase;
    let b: Bed;
    beforeEach(async () => {
      t = await openTestDatabase(kind);
      b = await openBed(t.db, { timeoutMs: undefined });
    });
    afterEach(async () => t.close());

    const events = () => t.db.kysely.selectFrom('events').select(['type', 'resource_sid', 'payload']).orderBy('date_created').execute();

    it('finds the attempt by its id, by the carrier message id and by any part id, under its own instance only', async () => {
      const { verification } = await b.send();
      const [attempt] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.ok(attempt, 'attempt');
      assert.equal(await b.recorder.report({ provider: 'primary', attemptId: attempt.sid, status: 'sent' }), 'recorded');
      assert.equal(await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-part-1', status: 'sent' }), 'unchanged', 'the same status through a part');
      assert.equal(await b.recorder.report({ provider: 'secondary', attemptId: attempt.sid, status: 'delivered' }), 'unknown', 'another instance cannot report on it');
      assert.equal(await b.recorder.report({ provider: 'secondary', providerMessageId: 'primary-msg-1', status: 'delivered' }), 'unknown');
      assert.equal(await b.recorder.report({ provider: 'primary', providerMessageId: 'nope', status: 'delivered' }), 'unknown', 'no send in flight: answered at once');
      assert.equal(await b.recorder.report({ provider: 'primary', attemptId: 'DA00000000000000000000000000000000', status: 'delivered' }), 'unknown');
      assert.equal((await b.stores.deliveryAttempts.find(attempt.sid))?.status, 'sent', 'nothing foreign changed it');
    });

    it('writes a verification.delivery_status event for each status change, never the message', async () => {
      const { verification } = await b.send();
      await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'sent' });
      await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'sent' });
      await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'delivered', price: { amount: '0.05', currency: 'EUR' } });
      const [attempt] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      const all = await events();
      assert.deepEqual(all.map((e) => [e.type, e.resource_sid]), [['verification.delivery_status', attempt?.sid], ['verification.delivery_status', attempt?.sid], ['verification.delivery_status', attempt?.sid]], 'queued (accepted), sent, delivered; the duplicate sent none');
      const last = JSON.parse(all[2]?.payload ?? '{}') as Record<string, unknown>;
      assert.equal(last.status, 'delivered');
      assert.equal(last.verification_sid, verification.sid);
      assert.equal(last.price, '0.05');
      assert.deepEqual((last.status_history as { status: string }[]).map((h) => h.status), ['queued', 'sent', 'delivered']);
      for (const e of all) assert.ok(!e.payload.includes('482913') && !e.payload.includes('sealed'), 'no code, no sealed message');
    });

    it('counts statuses by provider and country, and the time to delivered', async () => {
      await b.send();
      b.clock.advance(3_000);
      await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'delivered' });
      const statuses = await b.metrics.deliveryReceipts.get();
      assert.deepEqual(statuses.values.map((v) => [v.labels.status, v.labels.country, v.value]).sort(), [['delivered', 'US', 1], ['queued', 'US', 1]]);
      const latency = await b.metrics.timeToDelivered.get();
      const sum = latency.values.find((v) => v.metricName === 'verity_delivery_to_delivered_seconds_sum');
      assert.equal(sum?.value, 3);
    });

    it('a receipt that overtakes its send\'s answer waits for the id to be registered', async () => {
      let release: (receipt: DeliveryReceipt) => void = () => undefined;
      b.primary.send = (message: OutboundMessage) => {
        b.primary.sent.push(message);
        return new Promise<DeliveryReceipt>((resolve) => {
          release = resolve;
        });
      };
      const { request } = await b.prepare();
      const sending = b.dispatcher.dispatch(request);
      while (b.primary.sent.length === 0) await new Promise((r) => setImmediate(r));
      // The carrier's receipt arrives while send() has not resolved yet.
      const early = b.recorder.report({ provider: 'primary', providerMessageId: 'early-id', status: 'delivered' });
      release({ providerMessageId: 'early-id' });
      await sending;
      assert.equal(await early, 'recorded');
      const [attempt] = await b.stores.deliveryAttempts.listForVerification(request.message.verificationSid);
      assert.equal(attempt?.status, 'delivered');
      assert.deepEqual(attempt?.status_history.map((h) => h.status).sort(), ['delivered', 'queued'], 'both kept, in whichever order they were recorded; the status stays delivered');
    });

    it('an undelivered receipt that overtakes its send\'s answer still fails over once the answer came (and keeps the status)', async () => {
      let release: (receipt: DeliveryReceipt) => void = () => undefined;
      const accept = b.primary.send.bind(b.primary);
      b.primary.send = (message: OutboundMessage) => {
        b.primary.sent.push(message);
        return new Promise<DeliveryReceipt>((resolve) => {
          release = resolve;
        });
      };
      const { request } = await b.prepare();
      const sending = b.dispatcher.dispatch(request);
      while (b.primary.sent.length === 0) await new Promise((r) => setImmediate(r));
      // Named by the attempt id (as Kannel's dlr-url does): recorded before the send's answer, when no message is kept yet.
      assert.equal(await b.recorder.report({ provider: 'primary', attemptId: b.primary.sent[0]?.attemptId as string, status: 'undelivered', errorCode: '1' }), 'recorded');
      release({ providerMessageId: 'lost-id' });
      await sending;
      await b.dispatcher.settled();
      b.primary.send = accept;
      assert.equal(b.secondary.sent.length, 1, 'handed to the next target');
      assert.equal(b.secondary.sent[0]?.body, request.message.body);
      const [first] = await b.stores.deliveryAttempts.listForVerification(request.message.verificationSid);
      assert.equal(first?.status, 'undelivered', 'the late acceptance did not move it back');
      assert.equal(first?.failover_reason, 'undelivered');
      assert.equal(first?.message_sealed, null);
      assert.deepEqual(b.router.observed, [{ instance: 'primary', outcome: 'undelivered' }], 'the router is told once');
    });
  });
}
