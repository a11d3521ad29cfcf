import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';

/** Forms (`form-push`) and AccessTokens fetch through the official twilio client. */

for (const database of DATABASES) {
  describe(`Forms and AccessTokens fetch (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Push Co' })).sid;
    });
    after(async () => v.close());

    it('describes form-push as JSON Schema; any other form type is 20404', async () => {
      const form = await v.client.verify.v2.forms('form-push').fetch();
      assert.equal(form.formType, 'form-push');
      assert.equal(form.url, `${v.url}/v2/Forms/form-push`);
      const forms = form.forms as Record<string, { type: string; required: string[]; properties: Record<string, { const?: string; enum?: string[] }> }>;
      assert.deepEqual(Object.keys(forms).sort(), ['create_factor', 'update_challenge', 'verify_factor']);
      assert.equal(forms.create_factor!.properties.FactorType!.const, 'push');
      assert.equal(forms.create_factor!.properties['Binding.Alg']!.const, 'ES256');
      assert.deepEqual(forms.create_factor!.properties['Config.NotificationPlatform']!.enum, ['apn', 'fcm', 'none']);
      assert.ok(forms.create_factor!.required.includes('Binding.PublicKey'), 'the public key is required');
      assert.equal((form.formMeta as { binding: { alg: string } }).binding.alg, 'ES256');
      const other = await restError(v.client.verify.v2.forms('form-sms' as 'form-push').fetch());
      assert.equal(other.status, 404);
      assert.equal(other.code, 20404);
    });

    it('fetches an AccessToken, with its token, until its ttl ends; the token is stored sealed', async () => {
      const tokens = v.client.verify.v2.services(serviceSid).accessTokens;
      const created = await tokens.create({ identity: 'user-0001-fetch', factorType: 'push', factorFriendlyName: 'My phone', ttl: 120 });
      const fetched = await v.client.verify.v2.services(serviceSid).accessTokens(created.sid).fetch();
      assert.deepEqual(fetched.toJSON(), created.toJSON());
      assert.equal(fetched.token, created.token);
      assert.equal(fetched.entityIdentity, 'user-0001-fetch');
      assert.equal(fetched.ttl, 120);
      const row = await v.ctx.db.kysely.selectFrom('access_tokens').selectAll().where('sid', '=', created.sid).executeTakeFirstOrThrow();
      assert.ok(!row.token_sealed.includes(created.token) && !row.token_sealed.includes(created.token.split('.')[1]!), 'the token is not stored in the clear');
      v.clock!.advance(119_000);
      assert.equal((await v.client.verify.v2.services(serviceSid).accessTokens(created.sid).fetch()).sid, created.sid, 'still live just before its ttl ends');
      v.clock!.advance(1_000);
      const expired = await restError(v.client.verify.v2.services(serviceSid).accessTokens(created.sid).fetch());
      assert.equal(expired.status, 404);
      assert.equal(expired.code, 20404);
      // Expired rows are forgotten at the next issue.
      await tokens.create({ identity: 'user-0002-fetch', factorType: 'push' });
      assert.equal(await v.ctx.db.kysely.selectFrom('access_tokens').select('sid').where('sid', '=', created.sid).executeTakeFirst(), undefined);
    });

    it('answers 20404 for an unknown token, another service\'s, or another account\'s', async () => {
      const created = await v.client.verify.v2.services(serviceSid).accessTokens.create({ identity: 'user-0003-fetch', factorType: 'push' });
      assert.equal((await restError(v.client.verify.v2.services(serviceSid).accessTokens(`YK${'0'.repeat(32)}`).fetch())).code, 20404);
      assert.equal((await restError(v.client.verify.v2.services(serviceSid).accessTokens('YKnope').fetch())).code, 20404);
      const otherService = (await v.client.verify.v2.services.create({ friendlyName: 'Other Co' })).sid;
      assert.equal((await restError(v.client.verify.v2.services(otherService).accessTokens(created.sid).fetch())).code, 20404);
      const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      const other = await v.api('GET', `/v2/Services/${serviceSid}/AccessTokens/${created.sid}`, undefined, { user: account.sid, password: authToken });
      assert.equal(other.status, 404);
      assert.equal(other.body.code, 20404);
    });
  });
}
