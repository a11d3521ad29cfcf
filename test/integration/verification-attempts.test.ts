import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';

/**
 * VerificationAttempts (list, fetch) and VerificationAttemptsSummary through the official twilio
 * client: one attempt per send of a code, conversion on approval, every filter, paging that keeps
 * the filters, the default 30-day window, and one account never seeing another's attempts.
 */

const DAY = 24 * 3600 * 1000;

for (const database of DATABASES) {
  describe(`VerificationAttempts and their Summary (${database.name})`, () => {
    let v: TestVerity;
    let serviceA: string;
    let serviceB: string;
    /** The verifications: US sms (sent twice, approved), GB sms, US call on service B, an email never sent (no email provider: none). */
    let approved: string;
    let british: string;
    let called: string;
    let startedAt: number;

    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      // Whole seconds: the wire's dates have no milliseconds.
      v.clock!.set(Math.ceil(v.ctx.clock.now() / 1000) * 1000);
      startedAt = v.ctx.clock.now();
      serviceA = (await v.client.verify.v2.services.create({ friendlyName: 'Attempts A' })).sid;
      serviceB = (await v.client.verify.v2.services.create({ friendlyName: 'Attempts B' })).sid;
      const a = v.client.verify.v2.services(serviceA);
      approved = (await a.verifications.create({ to: '+14155550101', channel: 'sms' })).sid;
      v.clock!.advance(1000);
      assert.equal((await a.verifications.create({ to: '+14155550101', channel: 'sms' })).sid, approved, 'a resend joins the pending verification');
      const code = await v.lastCode('+14155550101');
      assert.equal((await a.verificationChecks.create({ to: '+14155550101', code })).status, 'approved');
      v.clock!.advance(1000);
      british = (await a.verifications.create({ to: '+447400123456', channel: 'sms' })).sid;
      v.clock!.advance(1000);
      called = (await v.client.verify.v2.services(serviceB).verifications.create({ to: '+14155550199', channel: 'call' })).sid;
    });
    after(async () => v.close());

    it('lists one attempt per send, newest first, with the hosted fields; an approval converts every attempt of its verification', async () => {
      const attempts = await v.client.verify.v2.verificationAttempts.list();
      assert.equal(attempts.length, 4, JSON.stringify(attempts.map((a) => a.toJSON())));
      assert.deepEqual(attempts.map((a) => a.verificationSid), [called, british, approved, approved]);
      const verification = await v.client.verify.v2.services(serviceA).verifications(british).fetch().catch(() => undefined);
      // The GB verification is pending: its send_code_attempts name the attempt's SID.
      assert.equal(verification?.sendCodeAttempts?.[0]?.attempt_sid, attempts[1]!.sid);
      const [call, gb, second, first] = attempts;
      assert.equal(call!.channel, 'call');
      assert.equal(call!.serviceSid, serviceB);
      assert.deepEqual(call!.channelData, { to: '+14155550199' });
      assert.equal(gb!.channel, 'sms');
      assert.equal(gb!.conversionStatus, 'unconverted');
      assert.equal(gb!.accountSid, v.accountSid);
      assert.equal((gb!.channelData as { to: string }).to, '+447400123456');
      assert.match(String((gb!.channelData as { message_status: string }).message_status), /^(SENDING|QUEUED|SENT|DELIVERED)$/);
      assert.equal(first!.conversionStatus, 'converted');
      assert.equal(second!.conversionStatus, 'converted');
      assert.notEqual(first!.sid, second!.sid);
      assert.match(first!.sid, /^VL[0-9a-f]{32}$/);
      assert.equal(first!.dateCreated.getTime(), startedAt);
      assert.equal(second!.dateCreated.getTime(), startedAt + 1000);
      assert.equal(first!.url, `${v.url}/v2/Attempts/${first!.sid}`);
    });

    it('fetches one attempt by SID; an unknown or malformed SID is 20404', async () => {
      const [latest] = await v.client.verify.v2.verificationAttempts.list({ limit: 1 });
      const fetched = await v.client.verify.v2.verificationAttempts(latest!.sid).fetch();
      assert.deepEqual(fetched.toJSON(), latest!.toJSON());
      const unknown = await restError(v.client.verify.v2.verificationAttempts(`VL${'0'.repeat(32)}`).fetch());
      assert.equal(unknown.status, 404);
      assert.equal(unknown.code, 20404);
      assert.equal((await restError(v.client.verify.v2.verificationAttempts('VLnope').fetch())).code, 20404);
    });

    it('filters by every parameter the hosted API has', async () => {
      const list = (params: Parameters<typeof v.client.verify.v2.verificationAttempts.list>[0]) => v.client.verify.v2.verificationAttempts.list(params).then((rows) => rows.map((a) => a.verificationSid));
      assert.deepEqual(await list({ verificationSid: approved }), [approved, approved]);
      assert.deepEqual(await list({ verifyServiceSid: serviceB }), [called]);
      assert.deepEqual(await list({ channel: 'call' }), [called]);
      assert.deepEqual(await list({ channel: 'email' }), []);
      assert.deepEqual(await list({ country: 'GB' }), [british]);
      assert.deepEqual(await list({ country: 'gb' }), [british], 'a country in lower case');
      assert.deepEqual(await list({ status: 'converted' }), [approved, approved]);
      assert.deepEqual(await list({ status: 'unconverted' }), [called, british]);
      assert.deepEqual(await list({ 'channelData.to': '+14155550199' }), [called]);
      assert.deepEqual(await list({ 'channelData.to': '+1 (415) 555-0101' }), [approved, approved], 'the destination is normalised as a verification\'s To');
      assert.deepEqual(await list({ dateCreatedAfter: new Date(startedAt + 2000) }), [called, british]);
      assert.deepEqual(await list({ dateCreatedBefore: new Date(startedAt + 1000) }), [approved, approved]);
      assert.deepEqual(await list({ dateCreatedAfter: new Date(startedAt + 1000), dateCreatedBefore: new Date(startedAt + 2000) }), [british, approved]);
      assert.deepEqual(await list({ verifyServiceSid: serviceA, status: 'unconverted', country: 'GB', channel: 'sms' }), [british]);
    });

    it('refuses malformed filters with 60200', async () => {
      const bad = async (query: string) => (await v.api('GET', `/v2/Attempts?${query}`)).body;
      assert.equal((await bad('Channel=pigeon')).code, 60200);
      assert.equal((await bad('Country=XX')).code, 60200);
      assert.equal((await bad('Country=GBR')).code, 60200);
      assert.equal((await bad('Status=maybe')).code, 60200);
      assert.equal((await bad('DateCreatedAfter=yesterday')).code, 60200);
      assert.equal((await bad('DateCreatedAfter=2026-02-01T00:00:00Z&DateCreatedBefore=2026-01-01T00:00:00Z')).code, 60200);
      assert.equal((await bad('VerificationSid=VE1')).code, 60200);
      assert.equal((await bad('ChannelData.To=not-a-number')).code, 60200);
    });

    it('pages with meta (key attempts) and keeps the filters on every page URL', async () => {
      const page = await v.client.verify.v2.verificationAttempts.page({ pageSize: 1, status: 'converted' });
      assert.equal(page.instances.length, 1);
      const raw = await v.api('GET', '/v2/Attempts?PageSize=1&Status=converted');
      assert.equal(raw.body.meta.key, 'attempts');
      assert.match(raw.body.meta.next_page_url, /[?&]Status=converted(&|$)/);
      const next = await page.nextPage();
      assert.equal(next?.instances.length, 1);
      assert.equal(next?.instances[0]?.verificationSid, approved, 'the next page is still filtered');
      assert.equal((await next?.nextPage()) ?? undefined, undefined, 'two converted attempts: two pages');
      // The client follows next_page_url itself: every attempt, one per page.
      assert.equal((await v.client.verify.v2.verificationAttempts.list({ pageSize: 1 })).length, 4);
    });

    it('summarizes with SQL aggregates, under the same filters and DestinationPrefix; /Attempts/Summary is not an attempt SID', async () => {
      const all = await v.client.verify.v2.verificationAttemptsSummary().fetch();
      assert.equal(all.totalAttempts, 4);
      assert.equal(all.totalConverted, 2);
      assert.equal(all.totalUnconverted, 2);
      assert.equal(all.conversionRatePercentage, 50);
      assert.equal(all.url, `${v.url}/v2/Attempts/Summary`);
      const serviceOnly = await v.client.verify.v2.verificationAttemptsSummary().fetch({ verifyServiceSid: serviceA });
      assert.equal(serviceOnly.totalAttempts, 3);
      assert.equal(serviceOnly.conversionRatePercentage, 66.67);
      assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ destinationPrefix: '+1415' })).totalAttempts, 3);
      assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ destinationPrefix: '+1415555010' })).totalAttempts, 2);
      assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ destinationPrefix: '+44' })).totalAttempts, 1);
      assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ destinationPrefix: '+9' })).totalAttempts, 0);
      assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ country: 'US', channel: 'sms' })).totalAttempts, 2);
      const empty = await v.client.verify.v2.verificationAttemptsSummary().fetch({ channel: 'whatsapp' });
      assert.deepEqual([empty.totalAttempts, empty.totalConverted, empty.conversionRatePercentage], [0, 0, 0]);
      assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ dateCreatedAfter: new Date(startedAt + 2000) })).totalAttempts, 2);
      assert.equal((await v.api('GET', '/v2/Attempts/Summary?DestinationPrefix=abc')).body.code, 60200);
    });

    it('covers the last 30 days unless a window is given', async () => {
      v.clock!.advance(31 * DAY);
      try {
        assert.deepEqual(await v.client.verify.v2.verificationAttempts.list(), [], 'older than 30 days: outside the default window');
        assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch()).totalAttempts, 0);
        const explicit = await v.client.verify.v2.verificationAttempts.list({ dateCreatedAfter: new Date(startedAt - DAY) });
        assert.equal(explicit.length, 4, 'an explicit window reaches further back');
        assert.equal((await v.client.verify.v2.verificationAttemptsSummary().fetch({ dateCreatedAfter: new Date(startedAt - DAY) })).totalAttempts, 4);
      } finally {
        v.clock!.advance(-31 * DAY);
      }
    });

    it('never shows another account\'s attempts', async () => {
      const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      const auth = { user: account.sid, password: authToken };
      const [mine] = await v.client.verify.v2.verificationAttempts.list({ limit: 1 });
      const list = await v.api('GET', '/v2/Attempts', undefined, auth);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.attempts, []);
      const fetched = await v.api('GET', `/v2/Attempts/${mine!.sid}`, undefined, auth);
      assert.equal(fetched.status, 404);
      assert.equal(fetched.body.code, 20404);
      const summary = await v.api('GET', '/v2/Attempts/Summary', undefined, auth);
      assert.equal(summary.body.total_attempts, 0);
    });
  });
}
