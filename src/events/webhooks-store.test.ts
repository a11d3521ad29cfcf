import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { unseal } from '../crypto/seal.ts';
import { openEventsFixture, type EventsFixture } from '../../test/support/events-fixture.ts';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, openWebhookSecret, updateWebhook, webhookEventTypes } from './webhooks-store.ts';

let f: EventsFixture;
before(async () => {
  f = await openEventsFixture();
});
after(() => f.close());

const input = () => ({
  accountSid: f.accountSid,
  serviceSid: f.serviceSid,
  friendlyName: 'My hook',
  eventTypes: ['factor.verified', 'challenge.approved'],
  webhookUrl: 'https://example.com/hook',
});

test('create, get, list, update and delete a webhook', async () => {
  const { row, secret } = await createWebhook(f.stores.webhooks, f.keyring, f.clock, input());
  assert.match(row.sid, /^YW[0-9a-f]{32}$/);
  assert.equal(row.webhook_method, 'POST');
  assert.equal(row.status, 'enabled');
  assert.equal(row.version, 'v2');
  assert.ok(secret.length >= 43, 'expected secret.length >= 43');
  assert.deepEqual(webhookEventTypes(row), ['factor.verified', 'challenge.approved']);
  assert.deepEqual(await getWebhook(f.stores.webhooks, f.serviceSid, row.sid), row);
  assert.equal(await getWebhook(f.stores.webhooks, 'VA' + '0'.repeat(32), row.sid), undefined);

  f.clock.advance(1000);
  const second = await createWebhook(f.stores.webhooks, f.keyring, f.clock, { ...input(), status: 'disabled' });
  assert.deepEqual((await listWebhooks(f.stores.webhooks, f.serviceSid, { limit: 10, offset: 0 })).map((w) => w.sid), [row.sid, second.row.sid]);
  assert.deepEqual((await listWebhooks(f.stores.webhooks, f.serviceSid, { limit: 1, offset: 1 })).map((w) => w.sid), [second.row.sid]);

  f.clock.advance(1000);
  const updated = await updateWebhook(f.stores.webhooks, f.clock, f.serviceSid, row.sid, { friendlyName: 'Renamed', eventTypes: ['*'], status: 'disabled' });
  assert.equal(updated?.friendly_name, 'Renamed');
  assert.deepEqual(updated?.event_types, ['*']);
  assert.equal(updated?.status, 'disabled');
  assert.equal(updated?.webhook_url, row.webhook_url);
  assert.equal(updated?.date_updated, f.clock.now());
  assert.equal(updated?.date_created, row.date_created);
  assert.equal(updated?.secret_sealed, row.secret_sealed);
  assert.equal(await updateWebhook(f.stores.webhooks, f.clock, f.serviceSid, 'YW' + '0'.repeat(32), { friendlyName: 'x' }), undefined);

  assert.equal(await deleteWebhook(f.stores.webhooks, f.serviceSid, row.sid), true);
  assert.equal(await deleteWebhook(f.stores.webhooks, f.serviceSid, row.sid), false);
  assert.equal(await getWebhook(f.stores.webhooks, f.serviceSid, row.sid), undefined);
});

test('the signing secret is stored sealed and bound to its webhook', async () => {
  const { row, secret } = await createWebhook(f.stores.webhooks, f.keyring, f.clock, input());
  const raw = await f.db.kysely.selectFrom('webhooks').selectAll().where('sid', '=', row.sid).executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(raw).includes(secret), 'expected !JSON.stringify(raw).includes(secret)');
  assert.ok(!raw.secret_sealed.includes(secret), 'expected !raw.secret_sealed.includes(secret)');
  assert.match(raw.secret_sealed, /^v1\./);
  assert.equal(openWebhookSecret(f.keyring, raw), secret);
  // The sealed value cannot be moved to another webhook row.
  assert.throws(() => unseal(f.keyring, raw.secret_sealed, 'webhook:YW' + '0'.repeat(32)));
  // Nor does the plaintext reach the database file.
  await f.db.close();
  for (const file of ['verity.db', 'verity.db-wal']) {
    const path = join(f.dir, file);
    if (existsSync(path)) assert.ok(!readFileSync(path).toString('latin1').includes(secret), file);
  }
});
