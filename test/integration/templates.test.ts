import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILT_IN_TEMPLATES } from '../../src/verify/templates/built-in-templates.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';

const LOGIN = BUILT_IN_TEMPLATES.find((t) => t.friendlyName === 'Login code');

/** Verify Templates through the official twilio client, and the message that reaches the simulator's inbox. */
for (const database of DATABASES) {
  describe(`Verify Templates (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    before(async () => {
      v = await startVerity({ ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme Bank' })).sid;
    });
    after(async () => v.close());

    const create = (form: Record<string, string | string[]>) => v.api('POST', '/v2/Templates', form);

    it('lists the built-in templates with the hosted fields, pages and filters by FriendlyName', async () => {
      assert.ok(LOGIN, 'a built-in "Login code" template exists');
      const all = await v.client.verify.v2.templates.list();
      assert.equal(all.length, BUILT_IN_TEMPLATES.length);
      const login = all.find((t) => t.friendlyName === 'Login code');
      assert.ok(login, 'the client lists "Login code"');
      assert.match(login.sid, /^HJ[0-9a-f]{32}$/);
      assert.equal(login.accountSid, v.accountSid);
      assert.deepEqual(login.channels, ['sms', 'voice']);
      const en = (login.translations as Record<string, { text: string; locale: string; status: string; date_created: string }>).en;
      assert.equal(en?.locale, 'en');
      assert.equal(en?.status, 'approved');
      assert.match(en?.text ?? '', /\{\{code\}\}/);
      assert.match(en?.date_created ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const filtered = await v.client.verify.v2.templates.list({ friendlyName: 'Password reset' });
      assert.deepEqual(filtered.map((t) => t.friendlyName), ['Password reset']);
      const page = await v.api('GET', '/v2/Templates?PageSize=2');
      assert.equal(page.body.templates.length, 2);
      assert.equal(page.body.meta.key, 'templates');
      assert.match(page.body.meta.next_page_url, /^http:\/\/127\.0\.0\.1:\d+\/v2\/Templates\?PageSize=2&Page=1&PageToken=PT2$/);
      const paged = await v.client.verify.v2.templates.list({ pageSize: 2 });
      assert.equal(paged.length, BUILT_IN_TEMPLATES.length, 'the client follows next_page_url to the end');
    });

    it('TemplateSid of a built-in template changes the SMS text; the service name and code are filled in', async () => {
      const to = '+15005550101';
      await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms', templateSid: LOGIN?.sid ?? '' });
      const [sms] = await v.inbox(to);
      const code = await v.lastCode(to);
      assert.equal(sms?.body, `Your Acme Bank login code is ${code}. Don't share this code with anyone.`);
    });

    it('picks the translation of the Locale, else English', async () => {
      await v.client.verify.v2.services(serviceSid).verifications.create({ to: '+15005550102', channel: 'sms', templateSid: LOGIN?.sid ?? '', locale: 'de' });
      assert.match((await v.inbox('+15005550102'))[0]?.body ?? '', /^Dein Anmeldecode für Acme Bank lautet \d{6}\./);
      await v.client.verify.v2.services(serviceSid).verifications.create({ to: '+15005550103', channel: 'sms', templateSid: LOGIN?.sid ?? '', locale: 'ja' });
      assert.match((await v.inbox('+15005550103'))[0]?.body ?? '', /^Your Acme Bank login code is \d{6}\./);
    });

    it('an unknown TemplateSid is 60228 and nothing is sent', async () => {
      const error = await restError(v.client.verify.v2.services(serviceSid).verifications.create({ to: '+15005550104', channel: 'sms', templateSid: `HJ${'0'.repeat(32)}` }));
      assert.equal(error.status, 400);
      assert.equal(error.code, 60228);
      assert.deepEqual(await v.inbox('+15005550104'), []);
    });

    it('creates an account template (Verity extension) with custom variables; TemplateCustomSubstitutions fills them, a missing one is 60224', async () => {
      const created = await create({ FriendlyName: 'Sign-in', Channels: 'sms,email', Translations: JSON.stringify({ en: 'Hi {{first_name}}, your {{friendly_name}} code is {{code}}', 'pt-BR': 'Olá {{first_name}}, seu código {{friendly_name}} é {{code}}' }) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.body.sid, /^HJ[0-9a-f]{32}$/);
      assert.deepEqual(created.body.channels, ['sms', 'email']);
      assert.equal(created.body.translations['pt-BR'].status, 'approved');
      const sid = created.body.sid as string;
      assert.ok((await v.client.verify.v2.templates.list({ friendlyName: 'Sign-in' })).some((t) => t.sid === sid), 'the client lists it');

      const missing = await restError(v.client.verify.v2.services(serviceSid).verifications.create({ to: '+15005550105', channel: 'sms', templateSid: sid }));
      assert.equal(missing.code, 60224);
      assert.match(missing.message, /first_name/);
      assert.deepEqual(await v.inbox('+15005550105'), []);

      await v.client.verify.v2.services(serviceSid).verifications.create({ to: '+15005550106', channel: 'sms', templateSid: sid, templateCustomSubstitutions: JSON.stringify({ first_name: 'Ada' }), locale: 'pt-BR' });
      assert.match((await v.inbox('+15005550106'))[0]?.body ?? '', /^Olá Ada, seu código Acme Bank é \d{6}$/);

      const linkValue = await restError(v.client.verify.v2.services(serviceSid).verifications.create({ to: '+15005550107', channel: 'sms', templateSid: sid, templateCustomSubstitutions: JSON.stringify({ first_name: 'evil.example/x' }) }));
      assert.equal(linkValue.code, 60200);
      assert.match(linkValue.message, /TemplateCustomSubstitutions/);
    });

    it('refuses template texts without {{code}}, with links (unless the operator allows them), markup or bad placeholders', async () => {
      for (const [text, why] of [
        ['Your code is here', /\{\{code\}\}/],
        ['Log in at https://evil.example {{code}}', /links/],
        ['Go to bit.ly/x {{code}}', /links/],
        ['<b>{{code}}</b>', /markup/],
        ['Code {{code}} {{ broken', /placeholders/],
        ['Code {{code}}\u202E', /control/],
      ] as const) {
        const res = await create({ FriendlyName: 'Bad', Translations: JSON.stringify({ en: text }) });
        assert.equal(res.status, 400, text);
        assert.equal(res.body.code, 60200);
        assert.match(res.body.message, why, text);
      }
      assert.equal((await create({ FriendlyName: 'Bad', Channels: 'fax', Translations: JSON.stringify({ en: '{{code}}' }) })).body.code, 60200);
      assert.equal((await create({ FriendlyName: 'bit.ly/x', Translations: JSON.stringify({ en: '{{code}}' }) })).body.code, 60200);
      assert.equal((await create({ FriendlyName: 'Bad', Translations: 'not json' })).body.code, 60200);
    });

    it('Templates (the newer array) picks the first usable candidate; malformed is 60251, none usable 60252', async () => {
      const unknown = `HJ${'1'.repeat(32)}`;
      const services = v.client.verify.v2.services(serviceSid);
      await services.verifications.create({ to: '+15005550108', channel: 'sms', templates: JSON.stringify([{ sid: unknown }, { sid: LOGIN?.sid }]) });
      assert.match((await v.inbox('+15005550108'))[0]?.body ?? '', /^Your Acme Bank login code is/);
      assert.equal((await restError(services.verifications.create({ to: '+15005550109', channel: 'sms', templates: '{"sid":"x"}' }))).code, 60251);
      assert.equal((await restError(services.verifications.create({ to: '+15005550109', channel: 'sms', templates: JSON.stringify([{ sid: 'HJ12' }]) }))).code, 60251);
      assert.equal((await restError(services.verifications.create({ to: '+15005550109', channel: 'sms', templates: JSON.stringify([{ sid: unknown }]) }))).code, 60252);
      assert.deepEqual(await v.inbox('+15005550109'), []);
    });

    it('the service DefaultTemplateSid applies to verifications that name none; a deleted one falls back to the built-in text', async () => {
      const own = await create({ FriendlyName: 'Default', Translations: JSON.stringify({ en: '{{code}} opens {{friendly_name}}' }) });
      const sid = own.body.sid as string;
      const service = await v.client.verify.v2.services.create({ friendlyName: 'Beta', defaultTemplateSid: sid });
      assert.equal(service.defaultTemplateSid, sid);
      await v.client.verify.v2.services(service.sid).verifications.create({ to: '+15005550110', channel: 'sms' });
      assert.match((await v.inbox('+15005550110'))[0]?.body ?? '', /^\d{6} opens Beta$/);

      assert.equal((await v.api('DELETE', `/v2/Templates/${sid}`)).status, 204);
      assert.equal((await v.api('GET', `/v2/Templates/${sid}`)).status, 404);
      await v.client.verify.v2.services(service.sid).verifications.create({ to: '+15005550111', channel: 'sms' });
      assert.match((await v.inbox('+15005550111'))[0]?.body ?? '', /^Your Beta verification code is: \d{6}$/);
      assert.equal((await v.api('DELETE', `/v2/Templates/${LOGIN?.sid ?? ''}`)).status, 404, 'built-in templates cannot be deleted');
    });

    it('a DefaultTemplateSid that names no template of the account is refused with 60228 on create and update', async () => {
      const unknown = `HJ${'0'.repeat(32)}`;
      await assert.rejects(v.client.verify.v2.services.create({ friendlyName: 'Gamma', defaultTemplateSid: unknown }), (err: { code?: number }) => err.code === 60228);
      const service = await v.client.verify.v2.services.create({ friendlyName: 'Gamma' });
      await assert.rejects(v.client.verify.v2.services(service.sid).update({ defaultTemplateSid: unknown }), (err: { code?: number }) => err.code === 60228);
      const builtIn = LOGIN?.sid ?? '';
      assert.equal((await v.client.verify.v2.services(service.sid).update({ defaultTemplateSid: builtIn })).defaultTemplateSid, builtIn);
    });

    it('another account neither sees nor uses an account template', async () => {
      const own = await create({ FriendlyName: 'Private', Translations: JSON.stringify({ en: '{{code}} private' }) });
      const other = await startVerity({ ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      try {
        const list = await other.client.verify.v2.templates.list();
        assert.ok(!list.some((t) => t.sid === own.body.sid), 'not listed to another account');
        const otherService = await other.client.verify.v2.services.create({ friendlyName: 'Other' });
        assert.equal((await restError(other.client.verify.v2.services(otherService.sid).verifications.create({ to: '+15005550112', channel: 'sms', templateSid: own.body.sid }))).code, 60228);
      } finally {
        await other.close();
      }
    });

    it('a template without the channel falls back to the built-in text (hosted warning 60327); email templates render in the email', async () => {
      await v.client.verify.v2.services(serviceSid).verifications.create({ to: 'ada@example.com', channel: 'email', templateSid: LOGIN?.sid ?? '' });
      const [mail] = await v.inbox('ada@example.com');
      assert.match(mail?.body ?? '', /^Your Acme Bank verification code is: \d{6}/);
      const emailTemplate = await create({ FriendlyName: 'Mail', Channels: 'email', Translations: JSON.stringify({ en: 'Welcome {{first_name}}! Your code: {{code}}' }) });
      await v.client.verify.v2.services(serviceSid).verifications.create({
        to: 'bob@example.com',
        channel: 'email',
        channelConfiguration: { template_id: emailTemplate.body.sid, substitutions: { first_name: 'Bob' } },
      });
      assert.match((await v.inbox('bob@example.com'))[0]?.body ?? '', /^Welcome Bob! Your code: \d{6}$/);
    });

    it('parts that each pass cannot spell a link once filled in (without VERITY_TEMPLATE_LINKS); nothing is sent', async () => {
      const verifications = v.client.verify.v2.services(serviceSid).verifications;
      const split = await create({ FriendlyName: 'Split', Translations: JSON.stringify({ en: '{{code}} sign in at {{a}}{{b}}' }) });
      const suffix = await create({ FriendlyName: 'Suffix', Translations: JSON.stringify({ en: '{{code}} sign in at acme{{a}}' }) });
      const scheme = await create({ FriendlyName: 'Scheme', Translations: JSON.stringify({ en: '{{code}} https{{a}}' }) });
      const cases: Array<[string, Record<string, string>]> = [
        [split.body.sid, { a: 'bit', b: '.ly/acme' }],
        [suffix.body.sid, { a: '.evil/login' }],
        [scheme.body.sid, { a: '://x' }],
      ];
      for (const [i, [templateSid, substitutions]] of cases.entries()) {
        const to = `+1500555019${i}`;
        const error = await restError(verifications.create({ to, channel: 'sms', templateSid, templateCustomSubstitutions: JSON.stringify(substitutions) }));
        assert.equal(error.code, 60200, JSON.stringify(substitutions));
        assert.match(error.message, /TemplateCustomSubstitutions.*link/);
        assert.deepEqual(await v.inbox(to), []);
      }
      await verifications.create({ to: '+15005550193', channel: 'sms', templateSid: split.body.sid, templateCustomSubstitutions: JSON.stringify({ a: 'Acme', b: ' Inc.' }) });
      assert.match((await v.inbox('+15005550193'))[0]?.body ?? '', /^\d{6} sign in at Acme Inc\.$/);
    });

    it('placeholders named like Object.prototype members are custom variables: required, and filled only from TemplateCustomSubstitutions', async () => {
      const verifications = v.client.verify.v2.services(serviceSid).verifications;
      const proto = await create({ FriendlyName: 'Proto', Translations: JSON.stringify({ en: '{{code}} {{constructor}} {{__proto__}}' }) });
      assert.equal(proto.status, 201);
      const missing = await restError(verifications.create({ to: '+15005550194', channel: 'sms', templateSid: proto.body.sid }));
      assert.equal(missing.code, 60224);
      assert.deepEqual(await v.inbox('+15005550194'), []);
      await verifications.create({ to: '+15005550195', channel: 'sms', templateSid: proto.body.sid, templateCustomSubstitutions: '{"constructor":"Ada","__proto__":"Lovelace"}' });
      assert.match((await v.inbox('+15005550195'))[0]?.body ?? '', /^\d{6} Ada Lovelace$/);
    });
  });
}
