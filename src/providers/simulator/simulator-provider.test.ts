import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../crypto/clock.ts';
import { migrateToLatest, openDatabase, type Db } from '../../store/database.ts';
import { SimMessagesStore } from '../../store/sim-messages-store.ts';
import { SimulatorInbox } from './simulator-inbox.ts';
import { createSimulatorProvider } from './simulator-provider.ts';

let db: Db;
let inbox: SimulatorInbox;
before(async () => {
  db = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
  inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock: new ManualClock() });
});
after(() => db.close());

const base = { locale: 'en', verificationSid: 'VE00000000000000000000000000000000', attemptId: 'VL00000000000000000000000000000000' };

test('records SMS, calls and email with the configured senders', async () => {
  const provider = createSimulatorProvider({ inbox, smsFrom: '+15005550006', emailFrom: 'Verity <no-reply@verity.localhost>' });
  assert.equal(provider.name, 'simulator');

  const sms = await provider.send({ ...base, channel: 'sms', to: '+15551110000', body: 'Your code is 111111' });
  assert.match(sms.providerMessageId, /^SIM[0-9a-f]{32}$/);
  await provider.send({ ...base, channel: 'call', to: '+15551110000', body: 'Your code is 1 1 1 1 1 1' });
  await provider.send({ ...base, channel: 'email', to: 'Eve@Example.com', subject: 'Code', body: 'Code 222222', html: '<p>Code 222222</p>' });

  const calls = await inbox.list('+15551110000');
  assert.deepEqual(calls.map((m) => [m.channel, m.from, m.body]), [
    ['call', '+15005550006', 'Your code is 1 1 1 1 1 1'],
    ['sms', '+15005550006', 'Your code is 111111'],
  ]);
  const [email] = await inbox.list('eve@example.com');
  assert.equal(email?.from, 'Verity <no-reply@verity.localhost>');
  assert.equal(email?.subject, 'Code');
  assert.equal(email?.body, 'Code 222222');
});
