import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { readServerSentEvents } from '../../src/authenticator/sse-reader.ts';
import { DATABASES, type SimCall, type TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, linksOf, postForm, sessionReturnOf, startHandoffVerity, waitForPrompt } from './handoff-support.ts';
import { cspDirectives } from '../support/csp.ts';

const RETURN = 'http://localhost:9999/back';
// Simulated phones wait a tenth of real time (a 20 s ring is 2 s); flash calls ring 10 s (1 s).
const ENV = { VERITY_SIMULATOR_TIME_SCALE: '0.1', VERITY_VOICE_RING_TIMEOUT_SECONDS: '20', VERITY_FLASHCALL_CALLER_IDS: '+44203120XXXX', VERITY_FLASHCALL_RING_SECONDS: '10' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The hosted pages' phone calls (code read out, press 1 with number match, flash call) driven as a browser without script would. */
for (const database of DATABASES) {
  describe(`hosted hand-off calls (${database.name})`, () => {
    let v: TestVerity;
    let clientSid: string;
    let secret: string;
    let counter = 0;
    before(async () => {
      ({ v, clientSid, secret } = await startHandoffVerity(RETURN, { database, clientName: 'Shop Co', env: ENV }));
      // Markup is refused in new names now; a client registered before keeps its name: still escaped on pages.
      await v.ctx.db.kysely.updateTable('handoff_clients').set({ friendly_name: 'Shop <Co>' }).where('sid', '=', clientSid).execute();
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const newPhone = () => `+1415557${String(1000 + ++counter).slice(-4)}`;
    const requestUrl = (subject: string, state: string, factors: HandoffFactorType[], phone: string) =>
      buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state, returnTo: RETURN, factors, phone, now: clock().now() });

    const get = getPage;
    const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);
    const hidden = hiddenField;
    const attribute = (html: string, name: string): string => {
      const match = new RegExp(`${name}="([^"]*)"`).exec(html);
      assert.ok(match, `attribute ${name}`);
      return match[1] as string;
    };
    /** The page's only link is the session's way back (a signed error result), never the bare return_to. */
    const wayBackOnly = (html: string): void => assert.deepEqual(linksOf(html), [sessionReturnOf(html)]);
    async function waitForCall(phone: string, status: string): Promise<SimCall> {
      for (let i = 0; i < 200; i++) {
        const [call] = await v.phone(phone).calls();
        if (call?.status === status) return call;
        await sleep(50);
      }
      assert.fail(`no ${status} call to ${phone}`);
    }
    async function verifyResult(location: string, state: string, subject: string) {
      const url = new URL(location);
      assert.equal(`${url.origin}${url.pathname}`, RETURN);
      const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
      return verifyHandoffResult({ token: url.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: state, expectedSubject: subject, jwks, now: clock().now() });
    }

    it('call with a code: the code page follows the call (script, progress stream), offers call again / text instead / another way; the spoken code returns amr tel', async () => {
      const phone = newPhone();
      const chooser = await get(await requestUrl('user-call-1', 'state-call-1', ['sms', 'call'], phone));
      assert.equal(chooser.status, 200);
      assert.match(chooser.html, /Call me with a code/);
      assert.match(chooser.html, /Approve with a call/);
      assert.doesNotMatch(chooser.html, /Missed call/, 'no flash call unless the request allows it');

      const page = await post('/handoff/phone', { session: hidden(chooser.html, 'session'), channel: 'call' });
      assert.equal(page.status, 200);
      const csp = cspDirectives(page.headers.get('content-security-policy'));
      assert.deepEqual([csp.get('script-src'), csp.get('connect-src')], [["'self'"], ["'self'"]]);
      assert.match(page.html, /<script src="\/handoff\/assets\/handoff-call\.js" defer><\/script>/);
      assert.match(page.html, /id="call-status" role="status" aria-live="polite"/);
      assert.match(page.html, /Call again/);
      assert.match(page.html, /Text me instead/);
      assert.match(page.html, /Try another way/);
      wayBackOnly(page.html);
      assert.doesNotMatch(page.html, new RegExp(phone.slice(1, -2)), 'the number stays masked');
      const eventsPath = attribute(page.html, 'data-events');
      assert.match(eventsPath, /^\/events\/v1\/Verifications\/VE[0-9a-f]{32}\/[\w-]+$/);
      const callSid = attribute(page.html, 'data-call');
      assert.match(callSid, /^CL[0-9a-f]{32}$/);

      const ringing = await waitForCall(phone, 'ringing');
      assert.equal(ringing.sid, callSid);
      // "Call again" while the phone still rings: the same page, saying why no second call was placed.
      const tooSoon = await post('/handoff/phone', { session: hidden(page.html, 'session'), channel: 'call' });
      assert.match(tooSoon.html, /role="alert">We are still on a call to your phone\./);
      assert.equal(attribute(tooSoon.html, 'data-call'), callSid);
      await v.phone(phone).answer(ringing.sid);
      const spoken = await waitForPrompt(v, phone, /Your verification code is/);
      assert.match(v.phone(phone).heard(spoken), /This is Acme\./);
      const code = /code is ([\d, ]+)\./.exec(v.phone(phone).heard(spoken))?.[1]?.replace(/\D/g, '') ?? '';
      assert.match(code, /^\d{6}$/);

      // The page's stream: the call's steps in order, no code in any event.
      const abort = new AbortController();
      const response = await fetch(`${v.url}${eventsPath}`, { signal: abort.signal });
      const seen: string[] = [];
      for await (const event of readServerSentEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
        seen.push(event.event);
        assert.doesNotMatch(event.data, new RegExp(code));
        if (event.event === 'prompt_played') break;
      }
      abort.abort();
      assert.deepEqual(seen.slice(0, 3), ['queued', 'ringing', 'answered']);

      // Each step's page has its own form token: the forms of the page before are stale.
      const session = hidden(tooSoon.html, 'session');
      const wrong = await post('/handoff/phone/check', { session, code: code === '000000' ? '111111' : '000000' });
      assert.match(wrong.html, /role="alert">That code is not right\./);
      assert.match(wrong.html, /data-events=/, 'the wrong-code page still follows the call');
      const right = await post('/handoff/phone/check', { session: hidden(wrong.html, 'session'), code });
      assert.equal(right.status, 303);
      const result = await verifyResult(right.headers.get('location') as string, 'state-call-1', 'user-call-1');
      assert.deepEqual(result.amr, ['tel']);
    });

    it('press 1 with number match: the page shows the digits, continue reads the outcome on the server, approved → amr tel', async () => {
      const phone = newPhone();
      const chooser = await get(await requestUrl('user-press-1', 'state-press-1', ['call'], phone));
      const page = await post('/handoff/call', { session: hidden(chooser.html, 'session') });
      assert.equal(page.status, 200);
      assert.match(page.html, /<h1>Approve with a call<\/h1>/);
      assert.match(page.html, /Shop &lt;Co&gt;/);
      const digits = /id="number-match"[^>]*>(\d{2})</.exec(page.html)?.[1];
      assert.ok(digits, 'two digits to key in');
      assert.match(page.html, /id="call-continue"/);
      assert.match(page.html, /Try another way/);
      wayBackOnly(page.html);
      const session = hidden(page.html, 'session');

      // The browser's word counts for nothing: before the call is answered, continue waits.
      const early = await post('/handoff/call/continue', { session });
      assert.equal(early.status, 200);
      assert.match(early.html, /role="alert">Not approved yet\./);

      const call = await waitForCall(phone, 'ringing');
      // "Call again" while it rings: the same page and digits, saying why no second call was placed.
      const tooSoon = await post('/handoff/call', { session: hidden(early.html, 'session') });
      assert.match(tooSoon.html, /role="alert">We are still on a call to your phone\./);
      assert.equal(/id="number-match"[^>]*>(\d{2})</.exec(tooSoon.html)?.[1], digits);
      await v.phone(phone).answer(call.sid);
      const asked = await waitForPrompt(v, phone, /enter the two digits shown on your screen/);
      // The application's name is what the call asks to approve.
      assert.match(v.phone(phone).heard(asked), /This is Shop <Co>\. A sign-in to your account is waiting for your approval\./);
      await v.phone(phone).dtmf(call.sid, `${digits}#`);
      await waitForPrompt(v, phone, /Approved\./);

      const done = await post('/handoff/call/continue', { session: hidden(tooSoon.html, 'session') });
      assert.equal(done.status, 303);
      const result = await verifyResult(done.headers.get('location') as string, 'state-press-1', 'user-press-1');
      assert.deepEqual(result.amr, ['tel']);
      // One result per session: the form again acts no more, and the session's page says it is done.
      assert.match((await post('/handoff/call/continue', { session: hidden(tooSoon.html, 'session') })).html, /You already confirmed this sign-in/);
    });

    it('press 1: other digits deny, a declined call says so; both lead back to the chooser with the reason', async () => {
      const phone = newPhone();
      const chooser = await get(await requestUrl('user-press-2', 'state-press-2', ['call', 'sms'], phone));
      const page = await post('/handoff/call', { session: hidden(chooser.html, 'session') });
      const digits = /id="number-match"[^>]*>(\d{2})</.exec(page.html)?.[1] as string;
      const call = await waitForCall(phone, 'ringing');
      await v.phone(phone).answer(call.sid);
      await waitForPrompt(v, phone, /enter the two digits/);
      await v.phone(phone).dtmf(call.sid, `${digits === '99' ? '98' : '99'}#`);
      await waitForPrompt(v, phone, /denied|Denied/);
      const denied = await post('/handoff/call/continue', { session: hidden(page.html, 'session') });
      assert.equal(denied.status, 200);
      assert.match(denied.html, /role="alert">The sign-in was denied on the call/);
      assert.match(denied.html, /Call me to approve/);

      // One live call per number: wait for the first to hang up.
      await waitForCall(phone, 'completed');
      // A new call (a new verification: the denied one is over); this time it is declined.
      const again = await post('/handoff/call', { session: hidden(denied.html, 'session') });
      assert.match(again.html, /<h1>Approve with a call<\/h1>/);
      assert.notEqual(/id="number-match"[^>]*>(\d{2})</.exec(again.html)?.[1], undefined);
      const second = await waitForCall(phone, 'ringing');
      assert.notEqual(second.sid, call.sid);
      await v.phone(phone).reject(second.sid);
      await waitForCall(phone, 'rejected');
      const declined = await post('/handoff/call/continue', { session: hidden(again.html, 'session') });
      assert.match(declined.html, /role="alert">Our call was declined\. Call again, or use another method\./);

      // Switching to a text: the pending press-1 is canceled first, and the texted code works.
      const sms = await post('/handoff/phone', { session: hidden(declined.html, 'session'), channel: 'sms' });
      assert.equal(sms.status, 200);
      assert.match(sms.html, /We texted a code to/);
      assert.match(sms.html, /Try another way/);
      const right = await post('/handoff/phone/check', { session: hidden(sms.html, 'session'), code: await v.lastCode(phone) });
      assert.equal(right.status, 303);
      assert.deepEqual((await verifyResult(right.headers.get('location') as string, 'state-press-2', 'user-press-2')).amr, ['sms']);
    });

    it('flash call: the page names the caller id prefix and the digits to enter; wrong digits say so, the right ones return amr tel', async () => {
      const phone = newPhone();
      const chooser = await get(await requestUrl('user-flash-1', 'state-flash-1', ['flashcall'], phone));
      assert.match(chooser.html, /Give me a missed call/);
      assert.doesNotMatch(chooser.html, /Call me with a code/);
      const page = await post('/handoff/flashcall', { session: hidden(chooser.html, 'session') });
      assert.equal(page.status, 200);
      assert.match(page.html, /We are calling you from a number starting with <span class="phone">\+44203120<\/span>: enter its last 4 digits\./);
      assert.match(page.html, /data-mode="flash"/);
      wayBackOnly(page.html);
      const missed = await waitForCall(phone, 'no-answer');
      const last = missed.from.slice(-4);
      assert.ok(missed.from.startsWith('+44203120'), "expected missed.from.startsWith('+44203120')");

      const wrong = await post('/handoff/flashcall/check', { session: hidden(page.html, 'session'), code: last === '0000' ? '1111' : '0000' });
      assert.match(wrong.html, /role="alert">Those are not the last digits of the number that called you\./);
      assert.match(wrong.html, /aria-invalid="true"/);
      const malformed = await post('/handoff/flashcall/check', { session: hidden(wrong.html, 'session'), code: 'abc' });
      assert.match(malformed.html, /role="alert">Enter the last 4 digits of the number that called you\./);
      const right = await post('/handoff/flashcall/check', { session: hidden(malformed.html, 'session'), code: last });
      assert.equal(right.status, 303);
      assert.deepEqual((await verifyResult(right.headers.get('location') as string, 'state-flash-1', 'user-flash-1')).amr, ['tel']);
    });

    it('refuses a call or a flash call the request does not allow, and a continue with no call started', async () => {
      const phone = newPhone();
      const smsOnly = await get(await requestUrl('user-refuse-1', 'state-refuse-1', ['sms'], phone));
      assert.doesNotMatch(smsOnly.html, /Approve with a call|Missed call/);
      const session = hidden(smsOnly.html, 'session');
      const call = await post('/handoff/call', { session });
      assert.equal(call.status, 400);
      assert.match(call.html, /does not accept calls to your phone/);
      const flash = await post('/handoff/flashcall', { session });
      assert.equal(flash.status, 400);
      assert.match(flash.html, /does not accept missed calls to your phone/);
      assert.equal((await post('/handoff/call/continue', { session })).status, 400);
      assert.equal((await post('/handoff/flashcall/check', { session, code: '1234' })).status, 400);
      assert.equal((await post('/handoff/call', { session: 'forged' })).status, 400);
    });

    it('serves the call script', async () => {
      const script = await fetch(`${v.url}/handoff/assets/handoff-call.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.match(await script.text(), /new EventSource\(path\)/);
    });
  });
}
