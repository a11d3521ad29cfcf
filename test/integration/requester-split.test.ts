import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HandoffSession } from '../../src/handoff/handoff-session.ts';
import { checkPhoneEnrollment, startPhoneEnrollment } from '../../src/hosted-factors/enrollment-hub.ts';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient, hiddenField, HostedBrowser, hubSession as newHubSession, sessionAfter, type HostedPage } from '../handoff/handoff-support.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

/*
 * Issue 11, finding 3's spirit: one requester must not deny service to another. Verify keeps one
 * pending verification per service, destination *and requester* (the application's API, or one
 * user of the hosted pages), and hosted sends spend their own per-destination send budgets. Each
 * test attacks as a hub user would who types the application's victim's number.
 */

const E164 = (n: number): string => `+1415556${String(n).padStart(4, '0')}`;

/** A code of the same length that is none of `codes`. */
function wrongCode(...codes: string[]): string {
  const [first = '000000'] = codes;
  for (const digit of '0123456789') {
    const candidate = digit + first.slice(1);
    if (!codes.includes(candidate)) return candidate;
  }
  throw new Error('no wrong code');
}

for (const database of DATABASES) {
  describe(`one pending verification and one send budget per requester: the hub never acts on the application's (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let client: { sid: string; secret: string };
    const RETURN = 'https://app.example.com/back';
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
      client = await createSecretClient(v, serviceSid, 'Acme Shop', RETURN);
    });
    after(async () => v.close());

    const openHub = async (browser: HostedBrowser, subject: string): Promise<HostedPage> =>
      browser.get(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject, state: 's', returnTo: RETURN, factors: ['sms', 'call'], now: v.ctx.clock.now(), purpose: 'enroll' }));

    const hubSession = (subject: string): HandoffSession => newHubSession(v, serviceSid, subject, RETURN);
    const delivered = async (number: string): Promise<number> => (await v.inbox(number)).length;
    const startApi = (to: string) => v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' });
    const checkApi = (form: Record<string, string>) => v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, form);
    const fetchApi = (sid: string) => v.api('GET', `/v2/Services/${serviceSid}/Verifications/${sid}`);

    it('a hub user who sends to the number the application is verifying and types 5 wrong codes (over HTTP) leaves the application\'s verification pending; its right code approves', async () => {
      const victim = E164(1);
      const started = await startApi(victim);
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const appCode = await v.lastCode(victim);

      const browser = new HostedBrowser();
      let page = await openHub(browser, 'mallory-split');
      assert.equal(page.status, 200, v.logs().split('\n').filter((l) => l.includes('"level":50')).join('\n'));
      page = await browser.post(v.url, '/handoff/enroll/phone', { session: hiddenField(page.html, 'session'), phone_number: victim, channel: 'sms' });
      assert.equal(page.status, 200, page.html);
      assert.equal(await delivered(victim), 2, 'the hub sent its own code');
      const hubCode = await v.lastCode(victim);
      const wrong = wrongCode(hubCode, appCode);
      for (let i = 0; i < 5; i++) {
        page = await browser.post(v.url, '/handoff/enroll/phone/check', { session: hiddenField(page.html, 'session'), code: wrong });
        assert.equal(page.status, 200, `wrong code ${i + 1}: ${page.html}`);
      }
      // A resend from the hub sends the hub's own verification again, not the application's.
      page = await openHub(browser, 'mallory-split');
      page = await browser.post(v.url, '/handoff/enroll/phone', { session: hiddenField(page.html, 'session'), phone_number: victim, channel: 'sms' });
      assert.equal(page.status, 200, page.html);

      const fetched = await fetchApi(started.body.sid as string);
      assert.equal(fetched.status, 200, JSON.stringify(fetched.body));
      assert.equal(fetched.body.status, 'pending', 'the hub\'s wrong codes did not end the application\'s verification');
      assert.equal((fetched.body.send_code_attempts as unknown[]).length, 1, 'the hub never resent the application\'s code');
      const right = await checkApi({ To: victim, Code: appCode });
      assert.equal(right.status, 200, JSON.stringify(right.body));
      assert.equal(right.body.status, 'approved');
      assert.equal(right.body.sid, started.body.sid);
    });

    it('hub sends to a number spend no budget of the application\'s API sends to it, and all hub users together send it at most 5 per 10 minutes', async () => {
      const victim = E164(2);
      // Three users of the application, each in their own sessions: 3 + 2 sends, then the third user is refused.
      let alice = hubSession('alice-split');
      for (let i = 0; i < 3; i++) alice = sessionAfter(await startPhoneEnrollment(v.ctx, alice, victim, 'sms'));
      let bob = hubSession('bob-split');
      for (let i = 0; i < 2; i++) bob = sessionAfter(await startPhoneEnrollment(v.ctx, bob, victim, 'sms'));
      assert.equal(await delivered(victim), 5);
      sessionAfter(await startPhoneEnrollment(v.ctx, hubSession('carol-split'), victim, 'sms'));
      sessionAfter(await startPhoneEnrollment(v.ctx, hubSession('alice-split'), victim, 'sms'));
      assert.equal(await delivered(victim), 5, 'the hosted users\' shared budget for the number is spent: nothing more sent');

      // The application still has its own 5 sends to the number, and no more.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await startApi(victim)).status);
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);
      assert.equal(await delivered(victim), 10);
      const refused = await startApi(victim);
      assert.equal(refused.body.code, 60203);

      // Ten minutes later the hub may send again.
      v.clock?.advance(600_000);
      sessionAfter(await startPhoneEnrollment(v.ctx, hubSession('carol-split'), victim, 'sms'));
      assert.equal(await delivered(victim), 11);
    });

    it('the application\'s check by To never sees a verification a hub user started: no approval, no 60202; by sid it is the account\'s as any other', async () => {
      const number = E164(3);
      let session = sessionAfter(await startPhoneEnrollment(v.ctx, hubSession('dave-split'), number, 'sms'));
      const hubCode = await v.lastCode(number);
      const byTo = await checkApi({ To: number, Code: hubCode });
      assert.equal(byTo.status, 404, JSON.stringify(byTo.body));
      assert.equal(byTo.body.code, 20404);
      const row = await v.ctx.db.kysely.selectFrom('verifications').select(['sid', 'status', 'check_attempts', 'requester']).where('service_sid', '=', serviceSid).where('destination', '=', number).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, Number(row.check_attempts), row.requester], ['pending', 0, 'hosted:dave-split'], 'the check by To did not touch the hub\'s verification');

      // Five wrong codes on the hub end the hub's verification; the application's check by To still finds nothing of its own (20404, not 60202).
      for (let i = 0; i < 5; i++) session = sessionAfter(await checkPhoneEnrollment(v.ctx, session, wrongCode(hubCode)));
      const afterEnd = await checkApi({ To: number, Code: hubCode });
      assert.equal(afterEnd.body.code, 20404, JSON.stringify(afterEnd.body));

      // By VerificationSid the API reaches it (the account's verification, whoever started it).
      const fetched = await fetchApi(row.sid);
      assert.equal(fetched.status, 200, JSON.stringify(fetched.body));
      assert.equal(fetched.body.status, 'max_attempts_reached');
      sessionAfter(await startPhoneEnrollment(v.ctx, session, number, 'sms'));
      const second = await v.ctx.db.kysely.selectFrom('verifications').select('sid').where('service_sid', '=', serviceSid).where('destination', '=', number).where('status', '=', 'pending').executeTakeFirstOrThrow();
      const bySid = await checkApi({ VerificationSid: second.sid, Code: await v.lastCode(number) });
      assert.equal(bySid.body.status, 'approved', JSON.stringify(bySid.body));
      assert.ok(!('requester' in fetched.body), 'the requester is not part of the API resource');
    });
  });
}
