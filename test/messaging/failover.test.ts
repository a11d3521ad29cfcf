import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DeliveryError } from '../../src/providers/provider.ts';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../store/test-database.ts';
import { openBed, ScriptedCarrier, type Bed } from './messaging-bed.ts';

/**
 * The dispatcher with failover, the delivery time-out sweeper and the status recorder over a real
 * store (SQLite, and PostgreSQL when VERITY_TEST_POSTGRES_URL is set), on a ManualClock.
 */

const TIMEOUT = 20_000;

for (const kind of DATABASE_KINDS) {
  describe(`delivery failover (${kind.name})`, () => {
    // A database per test: a sweeper handles every due attempt it finds, whoever's.
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(kind);
    });
    afterEach(async () => t.close());

    // Another process on the same database: on PostgreSQL its own pool. SQLite serves one process
    // (better-sqlite3 is synchronous: a second handle in this process would busy-wait the event loop
    // while the first holds a transaction), so there the nodes share the handle and its queue.
    const otherHandle = () => (kind.name === 'postgres' ? t.reopen() : t.db);
    const bed = (options: Parameters<typeof openBed>[1] = { timeoutMs: TIMEOUT }): Promise<Bed> => openBed(t.db, options);

    it('answers from the first target that accepts, and records the attempt with its receipt', async () => {
      const b = await bed();
      const { verification, request } = await b.send();
      const [attempt, ...others] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.ok(attempt, 'one attempt');
      assert.equal(others.length, 0);
      assert.equal(attempt.provider, 'primary');
      assert.equal(attempt.status, 'queued');
      assert.equal(attempt.provider_message_id, 'primary-msg-1');
      assert.equal(attempt.parts, 2);
      assert.equal(attempt.destination_country, 'US');
      assert.equal(attempt.send_attempt_sid, request.sendAttemptSid);
      assert.match(attempt.sid, /^DA[0-9a-f]{32}$/);
      assert.equal(b.primary.sent[0]?.attemptId, attempt.sid, 'the attempt id travels with the message');
      assert.equal(attempt.deliver_by, b.clock.now() + TIMEOUT, 'a target is left and the provider reports: the time-out runs');
      assert.ok(attempt.message_sealed?.startsWith('v1.'), 'the message is kept sealed for a failover');
      assert.ok(!attempt.message_sealed?.includes('482913'), 'never in clear');
      assert.equal(b.secondary.sent.length, 0);
    });

    it('fails over at once when a provider refuses, with the same message, and counts the failover at the gate', async () => {
      const b = await bed();
      b.primary.script = ['reject'];
      const { verification } = await b.send();
      assert.equal(b.secondary.sent.length, 1);
      assert.equal(b.secondary.sent[0]?.body, b.primary.sent[0]?.body, 'the same code');
      assert.notEqual(b.secondary.sent[0]?.attemptId, b.primary.sent[0]?.attemptId, 'a new attempt');
      const [first, second] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.equal(first?.status, 'rejected');
      assert.equal(first?.failover_reason, 'rejected');
      assert.equal(first?.error_message, 'primary refused the destination');
      assert.ok(first?.date_final !== null, 'a rejection is final');
      assert.equal(second?.status, 'queued');
      assert.equal(second?.route_position, 1);
      assert.equal(second?.deliver_by, null, 'the last target has nothing to fail over to');
      assert.equal(second?.message_sealed, null, 'so its message is not kept');
      assert.deepEqual(b.router.observed, [{ instance: 'primary', outcome: 'rejected' }]);
      const failovers = await b.metrics.failovers.get();
      assert.deepEqual(failovers.values.map((v) => [v.labels, v.value]), [[{ route: 'test-route', reason: 'rejected' }, 1]]);
    });

    it('retries a retryable refusal on the same target before failing over', async () => {
      const b = await bed();
      b.primary.script = ['retryable', 'retryable'];
      await b.send();
      assert.equal(b.primary.sent.length, 3, 'two retries, then accepted');
      assert.equal(b.secondary.sent.length, 0);
    });

    it('throws the last refusal when every target refused (the send fails as before routing)', async () => {
      const b = await bed();
      b.primary.script = ['reject'];
      b.secondary.script = ['crash'];
      const { verification, request } = await b.prepare();
      await assert.rejects(b.dispatcher.dispatch(request), (error: unknown) => error instanceof DeliveryError && /secondary provider failed unexpectedly/.test(error.message));
      const attempts = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.deepEqual(attempts.map((a) => [a.provider, a.status]), [['primary', 'rejected'], ['secondary', 'rejected']]);
    });

    it('does not fail over when the send gate refuses the second message (the account budget)', async () => {
      const b = await bed({ timeoutMs: TIMEOUT, policy: { perDestination: { capacity: 10, refillPerSecond: 0 }, prefix: { digits: 8, bucket: { capacity: 10, refillPerSecond: 0 } }, perAccount: { capacity: 1, refillPerSecond: 0 } } });
      b.primary.script = ['reject'];
      const { request } = await b.prepare();
      await assert.rejects(b.dispatcher.dispatch(request), (error: unknown) => error instanceof DeliveryError && /primary refused/.test(error.message));
      assert.equal(b.secondary.sent.length, 0, 'the failover is a message: it needs the account budget');
    });

    it('fails over on an undelivered receipt, once, and records the receipt', async () => {
      const b = await bed();
      const { verification } = await b.send();
      const outcome = await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-part-1', status: 'undelivered', errorCode: '30003', errorMessage: 'Unreachable handset' });
      assert.equal(outcome, 'recorded');
      assert.equal(await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'undelivered', errorCode: '30003' }), 'unchanged', 'a carrier retrying its webhook');
      await b.dispatcher.settled();
      assert.equal(b.secondary.sent.length, 1, 'failed over once');
      assert.equal(b.secondary.sent[0]?.body, b.primary.sent[0]?.body);
      const [first, second] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.equal(first?.status, 'undelivered');
      assert.equal(first?.error_code, '30003');
      assert.equal(first?.error_message, 'Unreachable handset');
      assert.equal(first?.failover_reason, 'undelivered');
      assert.equal(first?.message_sealed, null, 'handed on, then forgotten');
      assert.equal(first?.deliver_by, null);
      assert.equal(second?.provider, 'secondary');
      assert.deepEqual(b.router.observed, [{ instance: 'primary', outcome: 'undelivered' }]);
    });

    it('fails over when no final status arrived by the delivery time-out, exactly at the deadline', async () => {
      const b = await bed();
      const { verification } = await b.send();
      await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'sent' });
      b.clock.advance(TIMEOUT - 1);
      assert.equal(await b.sweeper.sweep(), 0, 'not yet');
      assert.equal(b.secondary.sent.length, 0);
      b.clock.advance(1);
      assert.equal(await b.sweeper.sweep(), 1);
      assert.equal(b.secondary.sent.length, 1);
      assert.equal(await b.sweeper.sweep(), 0, 'once');
      const [first] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.equal(first?.failover_reason, 'timeout');
      assert.equal(first?.status, 'sent');
      assert.deepEqual(b.router.observed, [{ instance: 'primary', outcome: 'timeout' }]);
      // A late receipt of the first carrier is still recorded, and fails nothing over again.
      assert.equal(await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'delivered' }), 'recorded');
      await b.dispatcher.settled();
      assert.equal(b.secondary.sent.length, 1);
    });

    it('keeps the time-out across a restart, and several nodes fail an attempt over once', async () => {
      const b = await bed();
      await b.send();
      b.clock.advance(TIMEOUT);
      // Three other processes on the same database, none of which sent the message.
      const nodes = [b.node(otherHandle()), b.node(otherHandle()), b.node(otherHandle())];
      const swept = await Promise.all(nodes.map((n) => n.sweeper.sweep()));
      assert.equal(swept.reduce((a, n) => a + n, 0), 1, `one failover in all: ${swept.join(',')}`);
      assert.equal(b.secondary.sent.length, 1);
    });

    it('a receipt and the time-out racing fail over once', async () => {
      const b = await bed();
      await b.send();
      b.clock.advance(TIMEOUT);
      const other = b.node(otherHandle());
      await Promise.all([other.sweeper.sweep(), b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'failed' })]);
      await b.dispatcher.settled();
      assert.equal(b.secondary.sent.length, 1);
    });

    it('never fails a delivered attempt over, and forgets its message', async () => {
      const b = await bed();
      const { verification } = await b.send();
      assert.equal(await b.recorder.report({ provider: 'primary', providerMessageId: 'primary-msg-1', status: 'delivered', price: { amount: '0.0075', currency: 'USD' } }), 'recorded');
      b.clock.advance(TIMEOUT);
      assert.equal(await b.sweeper.sweep(), 0);
      await b.dispatcher.settled();
      assert.equal(b.secondary.sent.length, 0);
      const [attempt] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.equal(attempt?.status, 'delivered');
      assert.equal(attempt?.price, '0.0075');
      assert.equal(attempt?.price_unit, 'USD');
      assert.equal(attempt?.message_sealed, null);
      assert.equal(attempt?.deliver_by, null);
      assert.deepEqual(b.router.observed, [{ instance: 'primary', outcome: 'delivered' }]);
    });

    it('does not fail over once the verification ended, and forgets the message', async () => {
      const b = await bed();
      const { verification } = await b.send();
      await b.stores.verifications.completePending(verification.sid, 'approved', b.clock.now());
      b.clock.advance(TIMEOUT);
      assert.equal(await b.sweeper.sweep(), 0);
      assert.equal(b.secondary.sent.length, 0);
      const [attempt] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.equal(attempt?.message_sealed, null);
      assert.equal(attempt?.failover_reason, null);
    });

    it('without a delivery time-out only receipts fail over; a provider without receipts never does', async () => {
      const b = await bed({ timeoutMs: undefined });
      const { verification } = await b.send();
      const [attempt] = await b.stores.deliveryAttempts.listForVerification(verification.sid);
      assert.equal(attempt?.deliver_by, null);
      assert.ok(attempt?.message_sealed, 'a receipt may still fail it over');
      const silent = await openBed(t.db, { timeoutMs: TIMEOUT });
      silent.router.targets = [new ScriptedCarrier('console', false), silent.secondary];
      const sent = await silent.send();
      const [quiet] = await silent.stores.deliveryAttempts.listForVerification(sent.verification.sid);
      assert.equal(quiet?.receipts, false);
      assert.equal(quiet?.status, 'sent', 'it will say no more');
      assert.equal(quiet?.deliver_by, null);
      assert.equal(quiet?.message_sealed, null);
    });
  });
}
