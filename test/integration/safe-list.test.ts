import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';

/**
 * SafeList through the official twilio client: add, check, remove (account-scoped), and what a
 * listed number is exempt from: the SMS-pumping prefix cap (60410) only; the country allow-list
 * (60605) still applies.
 */

for (const database of DATABASES) {
  describe(`SafeList (${database.name})`, () => {
    let v: TestVerity;
    before(async () => {
      // A prefix cap of 2 sends per 7-digit prefix, so the third number of +1415555… is refused.
      v = await startVerity({ manualClock: true, env: { VERITY_FRAUD_PREFIX_MAX_SENDS: '2' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v.close());

    it('adds, checks and removes a number (GN SID, E.164); adding it again answers the same entry', async () => {
      const added = await v.client.verify.v2.safelist.create({ phoneNumber: '+14155550100' });
      assert.match(added.sid, /^GN[0-9a-f]{32}$/);
      assert.equal(added.phoneNumber, '+14155550100');
      assert.equal(added.url, `${v.url}/v2/SafeList/Numbers/%2B14155550100`);
      const again = await v.client.verify.v2.safelist.create({ phoneNumber: '+14155550100' });
      assert.equal(again.sid, added.sid);
      const fetched = await v.client.verify.v2.safelist('+14155550100').fetch();
      assert.deepEqual(fetched.toJSON(), added.toJSON());
      assert.equal(await v.client.verify.v2.safelist('+14155550100').remove(), true);
      const gone = await restError(v.client.verify.v2.safelist('+14155550100').fetch());
      assert.equal(gone.status, 404);
      assert.equal(gone.code, 20404);
      assert.equal((await restError(v.client.verify.v2.safelist('+14155550100').remove())).code, 20404);
    });

    it('refuses a number that is not E.164 with 60200', async () => {
      for (const phoneNumber of ['14155550100', '+1 415 555 0100', 'not a number', '+999']) {
        const refused = await restError(v.client.verify.v2.safelist.create({ phoneNumber }));
        assert.equal(refused.code, 60200, phoneNumber);
      }
      // The client refuses a missing PhoneNumber itself; on the wire it is 60200.
      assert.equal((await v.api('POST', '/v2/SafeList/Numbers', {})).body.code, 60200);
    });

    it('keeps each account\'s list to itself', async () => {
      await v.client.verify.v2.safelist.create({ phoneNumber: '+14155550177' });
      const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      const auth = { user: account.sid, password: authToken };
      assert.equal((await v.api('GET', '/v2/SafeList/Numbers/%2B14155550177', undefined, auth)).status, 404);
      assert.equal((await v.api('DELETE', '/v2/SafeList/Numbers/%2B14155550177', undefined, auth)).status, 404);
      assert.equal((await v.client.verify.v2.safelist('+14155550177').fetch()).phoneNumber, '+14155550177', 'the other account\'s delete removed nothing');
    });

    it('exempts a listed number from the prefix cap (60410), and from nothing else', async () => {
      const service = v.client.verify.v2.services((await v.client.verify.v2.services.create({ friendlyName: 'Guarded' })).sid);
      await service.verifications.create({ to: '+14155551001', channel: 'sms' });
      await service.verifications.create({ to: '+14155551002', channel: 'sms' });
      const capped = await restError(service.verifications.create({ to: '+14155551003', channel: 'sms' }));
      assert.equal(capped.code, 60410, 'the prefix cap is spent');
      await v.client.verify.v2.safelist.create({ phoneNumber: '+14155551003' });
      const allowed = await service.verifications.create({ to: '+14155551003', channel: 'sms' });
      assert.equal(allowed.status, 'pending');
      assert.match(await v.lastCode('+14155551003'), /^\d{6}$/);
      // Another number of the prefix is still capped.
      assert.equal((await restError(service.verifications.create({ to: '+14155551004', channel: 'sms' }))).code, 60410);
      // Off the list again: capped again.
      await v.client.verify.v2.safelist('+14155551003').remove();
      assert.equal((await restError(service.verifications.create({ to: '+14155551003', channel: 'sms' }))).code, 60410);
    });

    it('does not lift the country allow-list (60605): geo permissions are the operator\'s', async () => {
      const created = await v.api('POST', '/v2/Services', { FriendlyName: 'US only', AllowedCountries: 'US' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await v.client.verify.v2.safelist.create({ phoneNumber: '+447400123456' });
      const refused = await restError(v.client.verify.v2.services(created.body.sid as string).verifications.create({ to: '+447400123456', channel: 'sms' }));
      assert.equal(refused.code, 60605);
    });
  });
}
