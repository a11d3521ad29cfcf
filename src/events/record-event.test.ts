import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { recordEvent } from './record-event.ts';
import { openEventsFixture, type EventsFixture } from '../../test/support/events-fixture.ts';
import { createWebhook } from './webhooks-store.ts';

let f: EventsFixture;
before(async () => {
  f = await openEventsFixture();
});
after(() => f.close());

const hook = (serviceSid: string, eventTypes: string[], status: 'enabled' | 'disabled' = 'enabled') =>
  createWebhook(f.stores.webhooks, f.keyring, f.clock, { accountSid: f.accountSid, serviceSid, friendlyName: eventTypes.join(','), eventTypes, webhookUrl: 'https://example.com/h', status });

test('an event gets one pending delivery per enabled, subscribed webhook of its service', async () => {
  const specific = await hook(f.serviceSid, ['verification.approved', 'factor.created']);
  const all = await hook(f.serviceSid, ['*']);
  await hook(f.serviceSid, ['factor.created']);
  await hook(f.serviceSid, ['*'], 'disabled');
  await hook(await f.addService(), ['*']);

  const sid = await f.stores.transaction((tx) =>
    recordEvent(tx, f.clock, { accountSid: f.accountSid, serviceSid: f.serviceSid, type: 'verification.approved', resourceSid: 'VE1', payload: { status: 'approved' } }),
  );
  assert.match(sid, /^EV[0-9a-f]{32}$/);
  const event = await f.db.kysely.selectFrom('events').selectAll().where('sid', '=', sid).executeTakeFirstOrThrow();
  assert.equal(event.type, 'verification.approved');
  assert.equal(event.resource_sid, 'VE1');
  assert.deepEqual(JSON.parse(event.payload), { status: 'approved' });
  assert.equal(event.date_created, f.clock.now());

  const deliveries = await f.db.kysely.selectFrom('webhook_deliveries').selectAll().where('event_sid', '=', sid).execute();
  assert.deepEqual(deliveries.map((d) => d.webhook_sid).sort(), [specific.row.sid, all.row.sid].sort());
  for (const d of deliveries) {
    assert.match(d.sid, /^WD[0-9a-f]{32}$/);
    assert.equal(d.status, 'pending');
    assert.equal(d.attempts, 0);
    assert.equal(d.next_attempt_at, f.clock.now());
    assert.equal(d.lease_until, 0);
  }
});

test('an event with no subscriber is still recorded, with no deliveries', async () => {
  const sid = await recordEvent(f.stores, f.clock, { accountSid: f.accountSid, serviceSid: await f.addService(), type: 'factor.deleted', resourceSid: 'YF1', payload: {} });
  assert.ok(await f.db.kysely.selectFrom('events').select('sid').where('sid', '=', sid).executeTakeFirst(), 'the event row is committed');
  assert.equal((await f.db.kysely.selectFrom('webhook_deliveries').select('sid').where('event_sid', '=', sid).execute()).length, 0);
});

test('an event recorded in a transaction that rolls back leaves nothing behind', async () => {
  const before = await f.db.kysely.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let sid = '';
  await assert.rejects(
    f.stores.transaction(async (tx) => {
      sid = await recordEvent(tx, f.clock, { accountSid: f.accountSid, serviceSid: f.serviceSid, type: 'verification.canceled', resourceSid: 'VE2', payload: {} });
      throw new Error('status change failed');
    }),
    /status change failed/,
  );
  assert.equal(await f.db.kysely.selectFrom('events').select('sid').where('sid', '=', sid).executeTakeFirst(), undefined);
  const afterCount = await f.db.kysely.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), Number(before.n));
});
