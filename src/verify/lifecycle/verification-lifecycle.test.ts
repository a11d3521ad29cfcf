import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openEventsFixture, type EventsFixture } from '../../../test/support/events-fixture.ts';
import { verificationRow } from '../../../test/store/test-database.ts';
import { InProcessEventBus, type EventBus } from '../../events/event-bus.ts';
import { Metrics } from '../../observability/metrics.ts';
import { CheckFailuresStore } from '../../store/check-failures-store.ts';
import { RateLimitStore } from '../../store/rate-limit-store.ts';
import type { VerificationRow } from '../../store/schema.ts';
import { SEND_LIMIT, failureKey, requesterFailureKey, sendBucketKey, type CheckRequester } from '../limits.ts';
import { VerificationLifecycle, type Ending } from './verification-lifecycle.ts';

/**
 * The transition table of src/verify/lifecycle: for each way a verification ends, the status and
 * failure code written, the webhook and progress events, which limits are lifted, the wake-ups and
 * the metric after commit, and whether a live call is hung up.
 */
const HOSTED: CheckRequester = { kind: 'hosted', sessionId: 's1', subject: 'alice', maxWrongCodes: 5 };

interface Expected {
  failureCode: number | null;
  sendBudgetReset: boolean;
  /** Which lock-out key is cleared: the API's, the hosted requester's, or none. */
  lockoutCleared: 'api' | 'hosted' | 'none';
  hangUp: boolean;
}

const TABLE: Array<[string, Ending, Expected]> = [
  ['a right code checked by the API', { to: 'approved', by: 'check', requester: { kind: 'api' } }, { failureCode: null, sendBudgetReset: true, lockoutCleared: 'api', hangUp: true }],
  ['a right code checked on a hosted page', { to: 'approved', by: 'check', requester: HOSTED }, { failureCode: null, sendBudgetReset: true, lockoutCleared: 'hosted', hangUp: true }],
  ['Status=approved on the API', { to: 'approved', by: 'api' }, { failureCode: null, sendBudgetReset: true, lockoutCleared: 'none', hangUp: true }],
  ['Status=canceled on the API', { to: 'canceled', by: 'api' }, { failureCode: null, sendBudgetReset: true, lockoutCleared: 'none', hangUp: true }],
  ['a hosted page switching method', { to: 'canceled', by: 'hosted_page' }, { failureCode: null, sendBudgetReset: false, lockoutCleared: 'none', hangUp: true }],
  ['the call approving', { to: 'approved', by: 'call' }, { failureCode: null, sendBudgetReset: true, lockoutCleared: 'api', hangUp: false }],
  ['the call denying', { to: 'denied', by: 'call' }, { failureCode: null, sendBudgetReset: false, lockoutCleared: 'none', hangUp: false }],
  ['the call failing (wrong codes keyed in)', { to: 'failed', by: 'call' }, { failureCode: 60202, sendBudgetReset: false, lockoutCleared: 'none', hangUp: false }],
  ['the fifth wrong code', { to: 'max_attempts_reached', by: 'check' }, { failureCode: null, sendBudgetReset: false, lockoutCleared: 'none', hangUp: false }],
  ['a first send the provider refused', { to: 'failed', by: 'delivery' }, { failureCode: 30008, sendBudgetReset: false, lockoutCleared: 'none', hangUp: false }],
  ['the end of its code lifetime', { to: 'expired', by: 'clock' }, { failureCode: null, sendBudgetReset: false, lockoutCleared: 'none', hangUp: false }],
];

describe('verification lifecycle', () => {
  let f: EventsFixture;
  let n = 0;
  const hungUp: string[] = [];
  const published: string[] = [];
  let metrics: Metrics;
  let lifecycle: VerificationLifecycle;
  before(async () => {
    f = await openEventsFixture();
    const bus: EventBus<{ type: string; resourceSid: string }> = new InProcessEventBus();
    for (const topic of ['outbox']) bus.subscribe(topic, (e) => published.push(`${topic} ${e.type}`));
    metrics = new Metrics({ defaultMetrics: false });
    lifecycle = new VerificationLifecycle({ stores: f.stores, clock: f.clock, bus, metrics, liveCalls: { hangUpCallsOf: async (sid) => void hungUp.push(sid) } });
  });
  after(() => f.close());

  const service = () => ({ sid: f.serviceSid, account_sid: f.accountSid });
  /** A pending call verification whose send budget and both lock-out counters are partly spent. */
  async function pendingCall(requester = ''): Promise<VerificationRow> {
    const row = verificationRow(service(), `+1415555${String(1000 + ++n)}`, f.clock.now(), { channel: 'call', voice_flow: 'speak_code', requester });
    assert.equal(await lifecycle.transaction((tx) => tx.create(row)), true);
    await new RateLimitStore(f.db.kysely).take(sendBucketKey(row.service_sid, row.destination, row.requester), SEND_LIMIT, f.clock.now());
    for (const key of [failureKey(row.service_sid, row.destination), requesterFailureKey(row.service_sid, row.destination, HOSTED)]) {
      await new CheckFailuresStore(f.db.kysely).recordFailure(key, f.clock.now());
    }
    return row;
  }
  const bucketExists = async (row: VerificationRow) => (await f.db.kysely.selectFrom('rate_buckets').select('key').where('key', '=', sendBucketKey(row.service_sid, row.destination, row.requester)).executeTakeFirst()) !== undefined;
  const failuresOf = async (key: string) => (await f.db.kysely.selectFrom('check_failures').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
  const outboxOf = async (sid: string) => (await f.db.kysely.selectFrom('events').select('type').where('resource_sid', '=', sid).orderBy('date_created').execute()).map((e) => e.type);
  const progressOf = async (sid: string) => (await f.db.kysely.selectFrom('verification_events').select('event').where('verification_sid', '=', sid).orderBy('sequence').execute()).map((e) => e.event);
  const metric = async (status: string) => (await metrics.verifications.get()).values.find((v) => v.labels.status === status && v.labels.channel === 'call')?.value ?? 0;

  it('creates a verification pending: its webhook event, one wake-up and the metric', async () => {
    const before = await metric('pending');
    published.length = 0;
    const row = await pendingCall();
    assert.deepEqual(await outboxOf(row.sid), ['verification.pending']);
    assert.deepEqual(await progressOf(row.sid), [], 'pending is no call progress');
    assert.deepEqual(published, ['outbox verification.pending']);
    assert.equal(await metric('pending'), before + 1);
    assert.equal(await lifecycle.transaction((tx) => tx.create({ ...row, sid: row.sid.replace(/.$/, '0') })), false, 'one pending verification per destination and requester');
  });

  for (const [why, ending, expected] of TABLE) {
    it(`${why}: ${ending.to}, with its side effects`, async () => {
      const row = await pendingCall('requester' in ending && ending.requester.kind === 'hosted' ? 'hosted:alice' : '');
      hungUp.length = 0;
      published.length = 0;
      const before = await metric(ending.to);
      const ended = await lifecycle.end(row.sid, ending);
      assert.equal(ended?.status, ending.to);
      const stored = await f.db.kysely.selectFrom('verifications').selectAll().where('sid', '=', row.sid).executeTakeFirstOrThrow();
      assert.deepEqual([stored.status, stored.failure_code], [ending.to, expected.failureCode]);
      assert.deepEqual(await outboxOf(row.sid), ['verification.pending', `verification.${ending.to}`, 'verification.progress']);
      assert.deepEqual(await progressOf(row.sid), [ending.to], 'a call verification reports its outcome on its progress stream');
      assert.equal(await bucketExists(row), !expected.sendBudgetReset, 'send budget lifted or kept');
      assert.equal(await failuresOf(failureKey(row.service_sid, row.destination)), expected.lockoutCleared !== 'api', "the API's lock-out counter");
      assert.equal(await failuresOf(requesterFailureKey(row.service_sid, row.destination, HOSTED)), expected.lockoutCleared !== 'hosted', "the hosted user's lock-out counter");
      assert.deepEqual(published, [`outbox verification.${ending.to}`]);
      assert.equal(await metric(ending.to), before + 1);
      assert.deepEqual(hungUp, expected.hangUp ? [row.sid] : []);

      published.length = 0;
      assert.equal(await lifecycle.end(row.sid, { to: 'canceled', by: 'api' }), undefined, 'an ended verification ends once');
      assert.deepEqual(published, [], 'and nothing is announced for it');
    });
  }

  it('leaves no trace of a change whose transaction rolled back', async () => {
    const row = await pendingCall();
    hungUp.length = 0;
    published.length = 0;
    await assert.rejects(
      lifecycle.transaction(async (tx) => {
        await tx.end(row.sid, { to: 'approved', by: 'api' });
        throw new Error('later step failed');
      }),
      /later step failed/,
    );
    const stored = await f.db.kysely.selectFrom('verifications').select('status').where('sid', '=', row.sid).executeTakeFirstOrThrow();
    assert.equal(stored.status, 'pending');
    assert.deepEqual(await outboxOf(row.sid), ['verification.pending']);
    assert.equal(await bucketExists(row), true);
    assert.deepEqual([published, hungUp], [[], []]);
  });

  it('hangs up nothing for a verification that never had a call', async () => {
    const row = verificationRow(service(), '+14155559999', f.clock.now());
    await lifecycle.transaction((tx) => tx.create(row));
    hungUp.length = 0;
    await lifecycle.end(row.sid, { to: 'canceled', by: 'api' });
    assert.deepEqual(hungUp, []);
    assert.deepEqual(await progressOf(row.sid), [], 'and records no call progress');
  });
});
