import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../crypto/clock.ts';
import { migrateToLatest, openDatabase, type Db } from '../../store/database.ts';
import { SimMessagesStore } from '../../store/sim-messages-store.ts';
import { SimulatorInbox, type SimMessage } from './simulator-inbox.ts';

let db: Db;
before(async () => {
  db = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
});
after(() => db.close());

test('record stores a message and list returns it with a second-precision ISO date', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock });
  const recorded = await inbox.record({ channel: 'sms', to: '+15551230001', from: '+15005550006', body: 'Your code is 123456' });
  assert.deepEqual(recorded, {
    id: null,
    channel: 'sms',
    to: '+15551230001',
    from: '+15005550006',
    body: 'Your code is 123456',
    status: 'delivered',
    error_code: null,
    date_created: '2026-01-02T03:04:05Z',
    date_updated: '2026-01-02T03:04:05Z',
  });
  assert.deepEqual(await inbox.list('+15551230001'), [recorded]);
  assert.deepEqual(await inbox.list('+15559999999'), []);
});

test('list is newest first and honours the limit', async () => {
  const clock = new ManualClock();
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock });
  for (const n of [1, 2, 3]) {
    await inbox.record({ channel: n === 2 ? 'call' : 'sms', to: '+15551230002', from: '+15005550006', body: `message ${n}` });
  }
  assert.deepEqual((await inbox.list('+15551230002')).map((m) => m.body), ['message 3', 'message 2', 'message 1']);
  assert.deepEqual((await inbox.list('+15551230002', 2)).map((m) => m.body), ['message 3', 'message 2']);
  assert.equal((await inbox.list('+15551230002'))[1]?.channel, 'call');
});

test('email addresses are lower-cased and email messages carry their subject', async () => {
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock: new ManualClock() });
  const recorded = await inbox.record({ channel: 'email', to: 'Alice@Example.COM', from: 'Verity <no-reply@verity.localhost>', subject: 'Your code', body: 'Code: 4242' });
  assert.equal(recorded.to, 'alice@example.com');
  assert.equal(recorded.subject, 'Your code');
  const listed = await inbox.list('ALICE@example.com');
  assert.equal(listed.length, 1);
  assert.deepEqual(listed[0], recorded);

  const noSubject = await inbox.record({ channel: 'email', to: 'bob@example.com', from: 'x@y.z', body: 'hi' });
  assert.equal(noSubject.subject, null);
  const sms = await inbox.record({ channel: 'sms', to: '+15551230003', from: '+15005550006', subject: 'ignored', body: 'hi' });
  assert.equal('subject' in sms, false);
});

test('subscribe receives messages recorded to that address only, until unsubscribed', async () => {
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock: new ManualClock() });
  const received: SimMessage[] = [];
  const unsubscribe = inbox.subscribe('Carol@Example.com', (m) => received.push(m));
  await inbox.record({ channel: 'email', to: 'carol@example.com', from: 'a@b.c', subject: 's', body: 'first' });
  await inbox.record({ channel: 'email', to: 'dave@example.com', from: 'a@b.c', subject: 's', body: 'other address' });
  unsubscribe();
  await inbox.record({ channel: 'email', to: 'carol@example.com', from: 'a@b.c', subject: 's', body: 'after unsubscribe' });
  assert.deepEqual(received.map((m) => m.body), ['first']);
});

test('status changes move forward only, reach status subscribers, and name the accepting instance', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock });
  const id = 'SIM0123456789abcdef0123456789abcd01';
  const added: SimMessage[] = [];
  const changed: SimMessage[] = [];
  const unsubscribe = inbox.subscribe('+15551230005', (m) => added.push(m), (m) => changed.push(m));
  await inbox.record({ channel: 'sms', to: '+15551230005', from: '+15005550006', body: 'code 1', messageId: id, instance: 'sim-a', attemptId: 'DA01', status: 'queued' });
  clock.advance(1500);
  const sent = await inbox.advance(id, { to: 'sent', from: 'queued' });
  assert.deepEqual([sent?.instance, sent?.attemptId, sent?.message.status, sent?.message.date_updated], ['sim-a', 'DA01', 'sent', '2026-01-02T03:04:06Z']);
  // A step that expected another status does nothing (a status set by hand overtook it).
  assert.equal(await inbox.advance(id, { to: 'delivered', from: 'queued' }), undefined);
  const undelivered = await inbox.advance(id, { to: 'undelivered', errorCode: '30003' });
  assert.equal(undelivered?.message.error_code, '30003');
  for (const to of ['queued', 'sent', 'delivered', 'failed'] as const) assert.equal(await inbox.advance(id, { to }), undefined, `undelivered → ${to}`);
  assert.equal(await inbox.advance('SIM0123456789abcdef0123456789abcdff', { to: 'sent' }), undefined);
  unsubscribe();
  assert.deepEqual(added.map((m) => m.status), ['queued']);
  assert.deepEqual(changed.map((m) => m.status), ['sent', 'undelivered']);
  assert.equal((await inbox.find(id))?.message.status, 'undelivered');
});

test('a throwing subscriber does not fail the recording', async () => {
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock: new ManualClock() });
  inbox.subscribe('+15551230004', () => {
    throw new Error('stream closed');
  });
  await inbox.record({ channel: 'sms', to: '+15551230004', from: '+15005550006', body: 'still recorded' });
  assert.equal((await inbox.list('+15551230004'))[0]?.body, 'still recorded');
});
