import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { createWebhook, getWebhook, openWebhookSecret } from '../events/webhooks-store.ts';
import { openEventsFixture } from '../../test/support/events-fixture.ts';
import { createKeyring } from './keyring.ts';
import { resealSecrets } from './reseal-secrets.ts';

it('re-seals secrets under the new master key so the retired key can be dropped', async () => {
  const f = await openEventsFixture();
  try {
    const oldKey = randomBytes(32);
    const before = createKeyring(oldKey);
    const { row, secret } = await createWebhook(f.stores.webhooks, before, f.clock, {
      accountSid: f.accountSid,
      serviceSid: f.serviceSid,
      friendlyName: 'w',
      eventTypes: ['*'],
      webhookUrl: 'https://example.com/hook',
    });
    const newKey = randomBytes(32);
    const rotated = createKeyring(newKey, [oldKey]);
    const [report] = await resealSecrets(f.stores, rotated);
    assert.deepEqual(report, { table: 'webhooks', resealed: 1, alreadyCurrent: 0 });
    const after = await getWebhook(f.stores.webhooks, f.serviceSid, row.sid);
    assert.ok(after?.secret_sealed.startsWith(`v1.${rotated.keyId}.`), 'expected after?.secret_sealed.startsWith(`v1.${rotated.keyId}.`)');
    // Opens with the new key alone: the retired key is no longer needed.
    assert.equal(openWebhookSecret(createKeyring(newKey), after!), secret);
    assert.throws(() => openWebhookSecret(createKeyring(oldKey), after!), /unknown master key/);
    // Running it again changes nothing.
    assert.deepEqual((await resealSecrets(f.stores, rotated))[0], { table: 'webhooks', resealed: 0, alreadyCurrent: 1 });
  } finally {
    await f.close();
  }
});
