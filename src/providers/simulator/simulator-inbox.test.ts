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
    channel: 'sms',
    to: '+15551230001',
    from: '+15005550006',
    body: 'Your code is 123456',
    date_created: '2026-01-02T03:04:05Z',
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

test('a throwing subscriber does not fail the recording', async () => {
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock: new ManualClock() });
  inbox.subscribe('+15551230004', () => {
    throw new Error('stream closed');
  });
  await inbox.record({ channel: 'sms', to: '+15551230004', from: '+15005550006', body: 'still recorded' });
  assert.equal((await inbox.list('+15551230004'))[0]?.body, 'still recorded');
});
