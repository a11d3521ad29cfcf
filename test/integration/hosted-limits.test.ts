import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HandoffPageError, type HandoffSession } from '../../src/handoff/handoff-session.ts';
import { checkPhoneEnrollment, startPhoneEnrollment } from '../../src/hosted-factors/enrollment-hub.ts';
import type { Submission } from '../../src/hosted-factors/hosted-flow.ts';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient, hiddenField, HostedBrowser, hubSession as newHubSession, sessionAfter, type HostedPage } from '../handoff/handoff-support.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { otherCode } from '../support/test-helpers.ts';
import { cspDirectives } from '../support/csp.ts';

/*
 * Security finding 2 (SMS/voice pumping through the hosted pages), finding 3 (one user locking out
 * another's number) and broken journey 8 (check by To after five wrong codes). Each test attacks as
 * a script would: bursts from one address, one hub session aimed at many numbers, wrong codes typed
 * on the hub for a number that is not the attacker's.
 */

const E164 = (n: number): string => `+1415555${String(n).padStart(4, '0')}`;

/** Every hosted page's headers on a refusal, and its Retry-After. */
function assertLimitedPage(response: Response, html: string, title: RegExp): void {
  assert.equal(response.status, 429);
  assert.match(response.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/, 'Retry-After in whole seconds');
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  assert.deepEqual(cspDirectives(response.headers.get('content-security-policy')).get('default-src'), ["'none'"]);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(html, title);
}

describe('hosted pages: per-IP and per-session request limits', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({
      manualClock: true,
      env: { VERITY_RATE_HOSTED_IP_BURST: '8', VERITY_RATE_HOSTED_IP_PER_SECOND: '1', VERITY_RATE_HOSTED_SEND_IP_BURST: '3', VERITY_RATE_HOSTED_SEND_SESSION_BURST: '2' },
    });
  });
  after(async () => v.close());

  it('a burst of sending POSTs from one IP gets a 429 page with Retry-After once the send bucket is empty, in the browser\'s language', async () => {
    const statuses: number[] = [];
    let last: { response: Response; html: string } | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${v.url}/handoff/phone`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de' }, body: 'channel=sms' });
      statuses.push(response.status);
      last = { response, html: await response.text() };
    }
    // The first three reach the route (which refuses the missing session); then the per-IP send bucket is empty.
    assert.deepEqual(statuses.slice(0, 3).map((s) => s === 429), [false, false, false], `statuses ${statuses.join(',')}`);
    assert.deepEqual(statuses.slice(3), [429, 429]);
    const { response, html } = last as { response: Response; html: string };
    assertLimitedPage(response, html, /Zu viele Anfragen/);
    assert.equal(response.headers.get('retry-after'), '10', 'one send token refills in 10 s (6 per minute)');
  });

  it('a burst of page views from one IP gets 429 once the page bucket is empty; time refills it', async () => {
    v.clock?.advance(60_000);
    const statuses: number[] = [];
    let last: { response: Response; html: string } | undefined;
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${v.url}/handoff`);
      statuses.push(response.status);
      last = { response, html: await response.text() };
    }
    assert.equal(statuses.filter((s) => s === 429).length, 4, `statuses ${statuses.join(',')}`);
    const { response, html } = last as { response: Response; html: string };
    assertLimitedPage(response, html, /Too many requests/);
    v.clock?.advance(1_000);
    assert.notEqual((await fetch(`${v.url}/handoff`)).status, 429, 'a token refilled after a second');
  });
});

describe('the enrollment hub driven over HTTP as a pumping script would', () => {
  let v: TestVerity;
  let serviceSid: string;
  let client: { sid: string; secret: string };
  const RETURN = 'https://app.example.com/back';
  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_RATE_HOSTED_SESSION_BURST: '12' } });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    client = await createSecretClient(v, serviceSid, 'Acme Shop', RETURN);
  });
  after(async () => v.close());

  const openHub = async (browser: HostedBrowser, subject: string): Promise<HostedPage> =>
    browser.get(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject, state: 's', returnTo: RETURN, factors: ['sms', 'call'], now: v.ctx.clock.now(), purpose: 'enroll' }));

  it('one hub session reaches at most 3 numbers: the 4th number gets a page error and no SMS', async () => {
    const browser = new HostedBrowser();
    let page = await openHub(browser, 'pumper-http-1');
    assert.equal(page.status, 200);
    for (const n of [801, 802, 803]) {
      page = await browser.post(v.url, '/handoff/enroll/phone', { session: hiddenField(page.html, 'session'), phone_number: E164(n), channel: 'sms' });
      assert.match(page.html, /Confirm your phone number/, `number ${n}`);
    }
    const fourth = await browser.post(v.url, '/handoff/enroll/phone', { session: hiddenField(page.html, 'session'), phone_number: E164(804), channel: 'sms' });
    assert.equal(fourth.status, 429);
    assert.match(fourth.html, /at most 3 different phone numbers in one sign-in session\. Nothing was sent\./);
    assert.equal((await v.inbox(E164(804))).length, 0);
  });

  it('reloading one session\'s page in a loop gets 429 from the per-session bucket', async () => {
    const browser = new HostedBrowser();
    const hub = await openHub(browser, 'reloader-http-1');
    assert.match(hub.url, /\/handoff\/page\//);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await browser.get(hub.url)).status);
    assert.deepEqual(statuses.slice(-3), [429, 429, 429], `statuses ${statuses.join(',')}`);
    // Another session from the same address is not held back by this one.
    assert.equal((await openHub(new HostedBrowser(), 'reloader-http-2')).status, 200);
  });
});

describe('push device API: per-IP limits and failed device authentications', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_RATE_IP_BURST: '6', VERITY_RATE_IP_PER_SECOND: '1', VERITY_RATE_AUTH_FAILURES_BURST: '3' } });
  });
  after(async () => v.close());

  it('failed device authentications past the per-IP budget answer 20429 with Retry-After instead of 401', async () => {
    const factor = `YF${'0'.repeat(32)}`;
    const answers: Array<{ status: number; code: number; retryAfter: string | null }> = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${v.url}/device/v1/Factors/${factor}`, { headers: { authorization: 'Bearer not-a-device-token' } });
      answers.push({ status: response.status, code: ((await response.json()) as { code: number }).code, retryAfter: response.headers.get('retry-after') });
    }
    assert.deepEqual(answers.map((a) => a.status), [401, 401, 401, 429, 429]);
    assert.equal(answers[3]?.code, 20429);
    assert.match(answers[3]?.retryAfter ?? '', /^[1-9][0-9]*$/);
  });

  it('limits every device endpoint per client IP (20429, Retry-After), unknown paths included', async () => {
    v.clock?.advance(3_600_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${v.url}/device/v1/Factors`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'FriendlyName=x' });
      statuses.push(response.status);
    }
    assert.equal(statuses.includes(429), false, `statuses ${statuses.join(',')}`);
    for (const path of ['/device/v1/Factors', '/device/v1/no-such-endpoint']) {
      const limited = await fetch(`${v.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'FriendlyName=x' });
      assert.equal(limited.status, 429, path);
      assert.equal(((await limited.json()) as { code: number }).code, 20429);
      assert.equal(limited.headers.get('retry-after'), '1', 'one request per second refills');
    }
  });
});

for (const database of DATABASES) {
  describe(`hub sessions: a bounded number of numbers and sends, wrong codes that lock no one else (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    });
    after(async () => v.close());

    const hubSession = (subject: string): HandoffSession => newHubSession(v, serviceSid, subject);
    const delivered = async (number: string): Promise<number> => (await v.inbox(number)).length;
    const refusedWith = (key: string) => (error: unknown) => error instanceof HandoffPageError && error.key === key && error.status === 429;

    /** Sends a code to `number` from the hub and types `wrong` wrong codes; returns the session as it stands. */
    async function wrongCodes(session: HandoffSession, number: string, wrong: number): Promise<HandoffSession> {
      let current = sessionAfter(await startPhoneEnrollment(v.ctx, session, number, 'sms'));
      const code = otherCode(await v.lastCode(number));
      for (let i = 0; i < wrong; i++) current = sessionAfter(await checkPhoneEnrollment(v.ctx, current, code));
      return current;
    }

    it('one session sends codes to at most 3 distinct numbers: the 4th is refused with a page error and nothing is sent', async () => {
      let session = hubSession('pumper-1');
      for (const n of [1, 2, 3]) session = sessionAfter(await startPhoneEnrollment(v.ctx, session, E164(100 + n), 'sms'));
      assert.deepEqual(await Promise.all([1, 2, 3].map((n) => delivered(E164(100 + n)))), [1, 1, 1]);
      await assert.rejects(startPhoneEnrollment(v.ctx, session, E164(104), 'sms'), refusedWith('sessionNumbersSpent'));
      assert.equal(await delivered(E164(104)), 0, 'nothing sent to the 4th number');
      // A number already used in the session may still get its resend.
      sessionAfter(await startPhoneEnrollment(v.ctx, session, E164(101), 'sms'));
      assert.equal(await delivered(E164(101)), 2);
    });

    it('one session sends at most 10 codes in all, whatever the numbers; the 11th is refused and not sent', async () => {
      let session = hubSession('pumper-2');
      const plan = [201, 201, 201, 201, 202, 202, 202, 202, 203, 203];
      for (const n of plan) session = sessionAfter(await startPhoneEnrollment(v.ctx, session, E164(n), 'sms'));
      await assert.rejects(startPhoneEnrollment(v.ctx, session, E164(203), 'sms'), refusedWith('sessionSendsSpent'));
      assert.deepEqual(await Promise.all([201, 202, 203].map((n) => delivered(E164(n)))), [4, 4, 2]);
    });

    it('the budget is the session id\'s, so an earlier copy of the session spends the same budget', async () => {
      const first = hubSession('pumper-3');
      for (const n of [301, 302, 303]) await startPhoneEnrollment(v.ctx, first, E164(n), 'sms');
      // The same session as it stood before any send: its id still names the spent budget.
      await assert.rejects(startPhoneEnrollment(v.ctx, { ...first, enrolling: undefined }, E164(304), 'sms'), refusedWith('sessionNumbersSpent'));
      assert.equal(await delivered(E164(304)), 0);
    });

    it('wrong codes typed on the hub for a victim\'s number never lock the application\'s own API checks of it, but still lock the attacker', async () => {
      const victim = E164(400);
      // The attacker's sessions: 5 + 5 wrong codes, then a third verification.
      const attacker = await wrongCodes(hubSession('attacker'), victim, 5);
      await wrongCodes(attacker, victim, 5);
      // Ten consecutive failures: the attacker (this user of the application, in any session) is now locked out of the number.
      const next = sessionAfter(await startPhoneEnrollment(v.ctx, hubSession('attacker'), victim, 'sms'));
      const refused = await checkPhoneEnrollment(v.ctx, next, '000000');
      assert.equal(refused.kind, 'page');
      assert.match((refused as Extract<Submission, { kind: 'page' }>).render('x'), /role="alert"/);
      // The application's own check of the victim's number: a wrong code is just wrong, the right one approves.
      const started = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: victim, Channel: 'sms' });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const code = await v.lastCode(victim);
      const wrong = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: victim, Code: otherCode(code) });
      assert.equal(wrong.status, 200, JSON.stringify(wrong.body));
      assert.equal(wrong.body.status, 'pending');
      const right = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: victim, Code: code });
      assert.equal(right.status, 200, JSON.stringify(right.body));
      assert.equal(right.body.status, 'approved');
      const keys = await v.ctx.db.kysely.selectFrom('check_failures').select(['key', 'consecutive', 'locked_until']).where('key', 'like', `${serviceSid}:${victim}%`).execute();
      assert.deepEqual(
        keys.map((k) => [k.key, k.consecutive, k.locked_until > v.ctx.clock.now()]),
        [[`${serviceSid}:${victim}:hosted:attacker`, 10, true]],
        'counted for the attacker only (the approval cleared nothing of theirs)',
      );

    });

    it('a session may enter at most 10 wrong codes: then its code steps end (page error) and it sends nothing more', async () => {
      let session = await wrongCodes(hubSession('typo-user-1'), E164(501), 5);
      session = await wrongCodes(session, E164(502), 4);
      // The 10th wrong code is still checked (on a third number: no lock-out of this user for it yet).
      session = await wrongCodes(session, E164(503), 1);
      const code = await v.lastCode(E164(503));
      await assert.rejects(checkPhoneEnrollment(v.ctx, session, code), refusedWith('sessionWrongCodes'), 'even the right code is refused: the step has ended');
      const row = await v.ctx.db.kysely.selectFrom('verifications').select(['status', 'check_attempts']).where('destination', '=', E164(503)).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, Number(row.check_attempts)], ['pending', 1], 'the refused check was not counted on the verification');
      await assert.rejects(startPhoneEnrollment(v.ctx, session, E164(503), 'sms'), refusedWith('sessionWrongCodes'));
      assert.equal(await delivered(E164(503)), 1, 'no further send');
    });

    it('a right code does not spend the session\'s wrong codes', async () => {
      let session = hubSession('careful-user-1');
      for (const number of [E164(600), E164(601), E164(602)]) {
        session = sessionAfter(await startPhoneEnrollment(v.ctx, session, number, 'sms'));
        session = sessionAfter(await checkPhoneEnrollment(v.ctx, session, await v.lastCode(number)));
      }
      const spent = await v.ctx.db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', `hosted-wrong:${session.id}`).executeTakeFirst();
      assert.equal(spent?.tokens, 10, 'three right codes left all ten wrong codes');
    });
  });
}

describe('check by To after five wrong codes (hosted API: 60202)', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true });
  });
  after(async () => v.close());

  it('answers 60202 to the 6th check by To, 20404 once the code lifetime is over, and checks a newer pending verification', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const to = E164(700);
    const check = (form: Record<string, string>) => v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, form);
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })).status, 201);
    const wrong = otherCode(await v.lastCode(to));
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await check({ To: to, Code: wrong })).body.status as string);
    assert.deepEqual(statuses, ['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);

    const sixth = await check({ To: to, Code: wrong });
    assert.equal(sixth.status, 429, JSON.stringify(sixth.body));
    assert.equal(sixth.body.code, 60202);

    // A new verification to the number is checked as usual.
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })).status, 201);
    const approved = await check({ To: to, Code: await v.lastCode(to) });
    assert.equal(approved.body.status, 'approved');
    assert.equal((await check({ To: to, Code: wrong })).body.code, 20404, 'the newest is approved: nothing to check');

    // Another number whose max_attempts_reached verification outlived its code: 20404.
    const other = E164(701);
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: other, Channel: 'sms' })).status, 201);
    const otherWrong = otherCode(await v.lastCode(other));
    for (let i = 0; i < 5; i++) await check({ To: other, Code: otherWrong });
    assert.equal((await check({ To: other, Code: otherWrong })).body.code, 60202);
    v.clock?.advance(11 * 60_000);
    assert.equal((await check({ To: other, Code: otherWrong })).body.code, 20404);
  });
});

describe('progress streams (/events/v1): per-IP limits on opening and on streams held open', () => {
  const MAX_STREAMS = 3;
  let v: TestVerity;
  let serviceSid: string;
  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_EVENTS_MAX_STREAMS_PER_IP: String(MAX_STREAMS), VERITY_RATE_HOSTED_IP_BURST: '6', VERITY_RATE_HOSTED_IP_PER_SECOND: '1' } });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Streams' })).body.sid as string;
  });
  after(async () => v.close());

  /** Opens a stream and waits for its first bytes (the server holds it open from then on). */
  async function open(url: string): Promise<{ status: number; body: any; retryAfter: string | null; close: () => void }> {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    if (response.status !== 200) return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after'), close: () => undefined };
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    return { status: 200, body: undefined, retryAfter: null, close: () => controller.abort() };
  }

  it('opening streams spends the hosted pages\' per-IP bucket: a burst (unknown streams included) gets 20429 with Retry-After once it is empty; time refills it', async () => {
    const probe = `${v.url}/events/v1/Verifications/VE${'0'.repeat(32)}/not-a-token`;
    const replies: Array<{ status: number; code: unknown; retryAfter: string | null }> = [];
    for (let i = 0; i < 10; i++) {
      const response = await fetch(probe);
      replies.push({ status: response.status, code: ((await response.json()) as { code?: unknown }).code, retryAfter: response.headers.get('retry-after') });
    }
    assert.deepEqual(replies.map((r) => r.status), [404, 404, 404, 404, 404, 404, 429, 429, 429, 429]);
    for (const r of replies.filter((x) => x.status === 429)) {
      assert.equal(r.code, 20429);
      assert.equal(r.retryAfter, '1', 'one token refills in a second');
    }
    v.clock?.advance(1_000);
    assert.equal((await fetch(probe)).status, 404, 'a token refilled after a second');
  });

  it(`one IP holds at most ${MAX_STREAMS} streams open at once: the next answers 20429 with Retry-After; a closed stream frees its slot`, async () => {
    v.clock?.advance(60_000);
    // A call verification stays pending (its stream open) until the phone is answered.
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: E164(190), Channel: 'call' });
    const url = created.body.links.events as string;
    const held = [];
    for (let i = 0; i < MAX_STREAMS; i++) held.push(await open(url));
    assert.deepEqual(held.map((s) => s.status), Array(MAX_STREAMS).fill(200));

    const refused = await open(url);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 20429);
    assert.match(refused.retryAfter ?? '', /^[1-9][0-9]*$/, 'Retry-After in whole seconds');

    // The slot is freed once the server sees the connection close (asynchronously): retry, bounded.
    held.shift()?.close();
    let reopened = await open(url);
    for (let tries = 0; reopened.status === 429 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      reopened = await open(url);
    }
    assert.equal(reopened.status, 200, 'a closed stream gave its slot back');
    held.push(reopened);
    assert.equal((await open(url)).status, 429, 'and the cap still holds');
    for (const stream of held) stream.close();
  });
});

describe('per-IP limits count an IPv6 client by its /64 (behind a trusted proxy)', () => {
  const MAX_STREAMS = 2;
  let v: TestVerity;
  before(async () => {
    v = await startVerity({
      manualClock: true,
      env: {
        VERITY_TRUST_PROXY: 'loopback',
        VERITY_RATE_HOSTED_IP_BURST: '6',
        VERITY_RATE_HOSTED_IP_PER_SECOND: '1',
        VERITY_RATE_HOSTED_SEND_IP_BURST: '3',
        VERITY_RATE_IP_BURST: '4',
        VERITY_RATE_IP_PER_SECOND: '1',
        VERITY_EVENTS_MAX_STREAMS_PER_IP: String(MAX_STREAMS),
      },
    });
  });
  after(async () => v.close());

  /** A request as the local proxy forwards it: the client's address appended to X-Forwarded-For. */
  const from = (client: string, path: string, init: RequestInit = {}) => fetch(`${v.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': client } });
  const sendForm = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'channel=sms' };

  it('hosted pages: a new address of the same /64 for every request still empties the per-IP bucket; another /64 has its own', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 9; i++) statuses.push((await from(`2001:db8:a:1::${i}`, '/handoff')).status);
    assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, false, false, false, true, true, true], `statuses ${statuses.join(',')}`);
    assert.notEqual((await from('2001:db8:a:2::1', '/handoff')).status, 429, 'the neighbouring /64 is another subscriber');
  });

  it('hosted sends: the per-IP send bucket is the /64\'s too', async () => {
    v.clock?.advance(3_600_000);
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await from(`2001:db8:b:1:${i}::1`, '/handoff/phone', sendForm)).status);
    assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, true, true], `statuses ${statuses.join(',')}`);
    assert.notEqual((await from('2001:db8:b:2::1', '/handoff/phone', sendForm)).status, 429);
  });

  it('the device API: its per-IP bucket is the /64\'s', async () => {
    v.clock?.advance(3_600_000);
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await from(`2001:db8:c:1::${i}`, '/device/v1/no-such-endpoint')).status);
    assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, false, true, true], `statuses ${statuses.join(',')}`);
    assert.notEqual((await from('2001:db8:c:2::1', '/device/v1/no-such-endpoint')).status, 429);
  });

  it(`progress streams: one /64 holds at most ${MAX_STREAMS} open at once, whatever address each comes from`, async () => {
    v.clock?.advance(3_600_000);
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Streams' })).body.sid as string;
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: E164(191), Channel: 'call' });
    const path = new URL(created.body.links.events as string).pathname;
    const controllers: AbortController[] = [];
    const open = async (client: string): Promise<number> => {
      const controller = new AbortController();
      controllers.push(controller);
      const response = await from(client, path, { signal: controller.signal });
      if (response.status === 200) await (response.body as ReadableStream<Uint8Array>).getReader().read();
      else await response.text();
      return response.status;
    };
    try {
      assert.deepEqual([await open('2001:db8:d:1::1'), await open('2001:db8:d:1::2')], [200, 200]);
      assert.equal(await open('2001:db8:d:1:ffff::3'), 429, 'a third address of the /64 is over the cap');
      assert.equal(await open('2001:db8:d:2::1'), 200, 'another /64 has its own slots');
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });
});
