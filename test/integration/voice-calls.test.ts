import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readServerSentEvents } from '../../src/authenticator/sse-reader.ts';
import { DeliveryError } from '../../src/providers/provider.ts';
import type { VoiceProvider } from '../../src/voice/voice-provider.ts';
import { verifyWebhookSignature } from '../../src/events/webhook-signature.ts';
import { DATABASES, startVerity, type SimCall, type TestVerity } from '../support/start-verity.ts';
import { startReceiver } from '../support/test-helpers.ts';

// Simulated phones wait a tenth of real time: a 20 s ring is 2 s, a 10 s keypad timeout 1 s.
const TIME_SCALE = 0.1;
const RING_SECONDS = 20;
const ENV = {
  VERITY_VOICE_RING_TIMEOUT_SECONDS: String(RING_SECONDS),
  VERITY_FLASHCALL_CALLER_IDS: '+44203120XXXX',
  VERITY_FLASHCALL_RING_SECONDS: '10',
  VERITY_SIMULATOR_TIME_SCALE: String(TIME_SCALE),
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every call flow end to end through the simulated phone network, on each database. */
for (const database of DATABASES) {
  describe(`voice calls (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let n = 0;
    before(async () => {
      v = await startVerity({ env: ENV, manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme Bank' })).sid;
    });
    after(async () => v.close());

    const newNumber = () => `+1415556${String(1000 + ++n).slice(-4)}`;
    const create = (form: Record<string, string>) => v.api('POST', `/v2/Services/${serviceSid}/Verifications`, form);
    const fetchVerification = (sid: string) => v.api('GET', `/v2/Services/${serviceSid}/Verifications/${sid}`);
    const statusOf = async (sid: string) => (await v.ctx.db.kysely.selectFrom('verifications').select('status').where('sid', '=', sid).executeTakeFirstOrThrow()).status;
    const eventsOf = async (sid: string) => (await v.ctx.db.kysely.selectFrom('verification_events').select(['sequence', 'event', 'data']).where('verification_sid', '=', sid).orderBy('sequence').execute()).map((e) => e.event);
    /** Waits until the call reaches `status` (the simulated phone reports asynchronously). */
    async function waitForCall(to: string, status: string, timeoutMs = 8_000): Promise<SimCall> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [call] = await v.phone(to).calls();
        if (call?.status === status) return call;
        if (Date.now() > deadline) assert.fail(`call to ${to} is ${call?.status}, not ${status}`);
        await sleep(50);
      }
    }
    async function waitForEvent(sid: string, event: string): Promise<string[]> {
      for (let i = 0; i < 160; i++) {
        const events = await eventsOf(sid);
        if (events.includes(event)) return events;
        await sleep(50);
      }
      assert.fail(`no ${event} event: ${(await eventsOf(sid)).join(', ')}`);
    }

    it('speaks the code digit by digit twice, repeats it on 1, and the code then approves (official client)', async () => {
      const to = newNumber();
      const verification = await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'call', locale: 'fr' });
      const phone = v.phone(to);
      const ringing = await waitForCall(to, 'ringing');
      assert.equal(ringing.from, '+15005550006');
      let call = await phone.answer(ringing.sid);
      const heard = phone.heard(call);
      assert.match(heard, /^Bonjour\. Ici Acme Bank\. Votre code de vérification est ((\d, ){5}\d)\. Je répète, votre code est \1\. Pour réentendre le code, appuyez sur 1\.$/);
      const code = (/est ((?:\d, ){5}\d)\./.exec(heard)?.[1] ?? '').replace(/\D/g, '');
      call = await phone.dtmf(call.sid, '1');
      assert.equal(call.prompts.at(-2)?.text, `Votre code de vérification est ${code.split('').join(', ')}.`);
      call = await phone.dtmf(call.sid, '9');
      assert.equal(call.status, 'completed');
      assert.equal(call.prompts.at(-1)?.text, 'Au revoir.');
      const check = await v.client.verify.v2.services(serviceSid).verificationChecks.create({ to, code });
      assert.equal(check.status, 'approved');
      assert.deepEqual(await waitForEvent(verification.sid, 'approved'), [
        'queued',
        'ringing',
        'answered',
        'prompt_played',
        'digits_received',
        'prompt_played',
        'digits_received',
        'prompt_played',
        'completed',
        'approved',
      ]);
      const rows = await v.ctx.db.kysely.selectFrom('verification_events').select('data').where('verification_sid', '=', verification.sid).execute();
      assert.ok(!rows.some((r) => r.data.includes(code)), 'no event carries the code');
    });

    it('leaves the whole window to press 1 once the code prompts have played: 1 pressed 2 s after they end repeats the code', async () => {
      const to = newNumber();
      await create({ To: to, Channel: 'call' });
      const phone = v.phone(to);
      const call = await phone.answer((await waitForCall(to, 'ringing')).sid);
      assert.equal(call.waiting_for, 'digits');
      // How long the phone plays the prompts: their audio (what the virtual phone plays), else the
      // simulator's estimate of 10 characters a second.
      let seconds = 0;
      for (const prompt of call.prompts) {
        if (prompt.audio_url === null) {
          seconds += prompt.text.length / 10;
          continue;
        }
        const wav = Buffer.from(await (await fetch(`${v.url}${prompt.audio_url}`)).arrayBuffer());
        seconds += (wav.length - 44) / 2 / 8000;
      }
      assert.ok(seconds > 10, `the prompts play ${seconds} s`);
      // The caller listens to the end and takes 2 s to press 1 (waits scaled like the simulator's).
      await sleep((seconds + 2) * TIME_SCALE * 1000);
      const repeated = await phone.dtmf(call.sid, '1');
      assert.equal(repeated.status, 'in-progress');
      assert.match(repeated.prompts.at(-2)?.text ?? '', /^Your verification code is (\d, ){5}\d\.$/);
      await phone.hangup(call.sid);
    });

    it('approves when the code shown on screen is keyed in, streams the progress, and never accepts that code in a check', async () => {
      const to = newNumber();
      const created = await create({ To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
      assert.equal(created.status, 201);
      assert.equal(created.body.voice_flow, 'keypad_code');
      const displayCode = created.body.display_code as string;
      assert.match(displayCode, /^\d{6}$/);
      const stream = fetch(created.body.links.events as string);
      const phone = v.phone(to);
      const call = await phone.answer((await waitForCall(to, 'ringing')).sid);
      // The prompt asks for the code and nothing after it: the last digit submits it.
      assert.match(phone.heard(call), /Please enter the code shown on your screen\.$/);
      assert.doesNotMatch(phone.heard(call), /pound|#/);
      assert.ok(!phone.heard(call).includes(displayCode.split('').join(', ')), 'the code is not spoken');
      const refused = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: displayCode });
      assert.equal(refused.body.code, 60200);
      assert.match(refused.body.message, /approved on the phone call/);
      const done = await phone.dtmf(call.sid, displayCode);
      assert.equal(done.prompts.at(-1)?.text, 'Thank you. Your phone number is verified.');
      assert.equal(await statusOf(created.body.sid as string), 'approved');

      const events: Array<{ id: string; event: string }> = [];
      for await (const e of readServerSentEvents((await stream).body as AsyncIterable<Uint8Array>)) events.push({ id: e.id, event: e.event });
      assert.deepEqual(
        events.map((e) => e.event),
        ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'prompt_played', 'completed'],
      );
      assert.deepEqual(
        events.map((e) => Number(e.id)),
        events.map((_, i) => i + 1),
        'sequence numbers 1…n',
      );
      const resumed = await fetch(created.body.links.events as string, { headers: { 'last-event-id': '6' } });
      const rest: string[] = [];
      for await (const e of readServerSentEvents(resumed.body as AsyncIterable<Uint8Array>)) rest.push(e.event);
      assert.deepEqual(rest, ['prompt_played', 'completed']);
    });

    it('fails after three wrong codes keyed in, and leaves it pending after three silences', async () => {
      const to = newNumber();
      const created = await create({ To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
      const phone = v.phone(to);
      let call = await phone.answer((await waitForCall(to, 'ringing')).sid);
      const wrong = String((Number(created.body.display_code) + 1) % 1_000_000).padStart(6, '0');
      for (let i = 0; i < 3; i++) call = await phone.dtmf(call.sid, wrong);
      assert.equal(call.status, 'completed');
      assert.equal(call.prompts.at(-1)?.text, 'Too many wrong codes. Goodbye.');
      assert.equal(await statusOf(created.body.sid as string), 'failed');

      const quiet = newNumber();
      const silent = await create({ To: quiet, Channel: 'call', VoiceFlow: 'keypad_code' });
      const quietPhone = v.phone(quiet);
      await quietPhone.answer((await waitForCall(quiet, 'ringing')).sid);
      // The simulated phone times the gather out (10 s each, scaled) — wait for the three silences.
      const ended = await waitForCall(quiet, 'completed', 20_000);
      assert.match(quietPhone.heard(ended), /We did not receive any input\. Goodbye\.$/);
      assert.equal(await statusOf(silent.body.sid as string), 'pending');
    });

    it('press 1 approves a payment with amount and payee spoken; another key denies; silence times out', async () => {
      const approveTo = newNumber();
      const approve = await create({ To: approveTo, Channel: 'call', VoiceFlow: 'press_one', Amount: '€1,250.00', Payee: 'ACME Ltd' });
      assert.equal(approve.body.display_code, null);
      const phone = v.phone(approveTo);
      let call = await phone.answer((await waitForCall(approveTo, 'ringing')).sid);
      assert.match(phone.heard(call), /approve a payment of €1,250\.00 to ACME Ltd\. To approve, press 1\./);
      call = await phone.dtmf(call.sid, '1');
      assert.equal(call.prompts.at(-1)?.text, 'Approved. Thank you. Goodbye.');
      assert.equal(await statusOf(approve.body.sid as string), 'approved');

      const denyTo = newNumber();
      const deny = await create({ To: denyTo, Channel: 'call', VoiceFlow: 'press_one' });
      const denyPhone = v.phone(denyTo);
      call = await denyPhone.answer((await waitForCall(denyTo, 'ringing')).sid);
      assert.match(denyPhone.heard(call), /A sign-in to your account is waiting for your approval\./);
      await denyPhone.dtmf(call.sid, '2');
      assert.equal(await statusOf(deny.body.sid as string), 'denied');
      assert.equal((await fetchVerification(deny.body.sid as string)).body.status, 'denied');
      assert.ok((await waitForEvent(deny.body.sid as string, 'denied')).includes('completed'), "expected (await waitForEvent(deny.body.sid as string, 'denied')).includes('completed')");
    });

    it('with number matching, approves only the two digits shown on screen', async () => {
      const to = newNumber();
      const created = await create({ To: to, Channel: 'call', VoiceFlow: 'press_one', NumberMatch: 'true' });
      assert.equal(created.body.number_match, true);
      const digits = created.body.display_code as string;
      assert.match(digits, /^\d{2}$/);
      const phone = v.phone(to);
      const call = await phone.answer((await waitForCall(to, 'ringing')).sid);
      assert.match(phone.heard(call), /enter the two digits shown on your screen/);
      await phone.dtmf(call.sid, digits);
      assert.equal(await statusOf(created.body.sid as string), 'approved');

      const other = newNumber();
      const wrong = await create({ To: other, Channel: 'call', VoiceFlow: 'press_one', NumberMatch: 'true' });
      const otherPhone = v.phone(other);
      const c2 = await otherPhone.answer((await waitForCall(other, 'ringing')).sid);
      await otherPhone.dtmf(c2.sid, String((Number(wrong.body.display_code) + 1) % 100).padStart(2, '0'));
      assert.equal(await statusOf(wrong.body.sid as string), 'denied');
      assert.equal((await create({ To: newNumber(), Channel: 'sms', NumberMatch: 'true' })).body.code, 60200);
      assert.equal((await create({ To: newNumber(), Channel: 'call', VoiceFlow: 'speak_loudly' })).body.code, 60200);
    });

    it('places a flash call whose caller id ends in the code, drops it, and checks the last digits or the whole caller id', async () => {
      const to = newNumber();
      const created = await create({ To: to, Channel: 'flashcall' });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.flash_call, { caller_id_prefix: '+44203120', code_length: 4 });
      const ringing = await waitForCall(to, 'ringing');
      assert.match(ringing.from, /^\+44203120\d{4}$/);
      // Never answered: the provider drops it after the short ring.
      const dropped = await waitForCall(to, 'no-answer', 5_000);
      assert.deepEqual(dropped.prompts, []);
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: '+44209999' + ringing.from.slice(-4) })).body.code, 60200);
      const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: ringing.from });
      assert.equal(check.body.status, 'approved');

      const second = newNumber();
      await create({ To: second, Channel: 'flashcall' });
      const answered = await v.phone(second).answer((await waitForCall(second, 'ringing')).sid);
      assert.equal(answered.status, 'completed');
      assert.match(v.phone(second).heard(answered), /This call only verifies your phone number/);
      const short = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: second, Code: answered.from.slice(-4) });
      assert.equal(short.body.status, 'approved');
      assert.equal((await create({ To: newNumber(), Channel: 'flashcall', VoiceFlow: 'keypad_code' })).body.code, 60200);
    });

    it('ends unanswered, busy, rejected and hung-up calls with the right status, leaving the verification pending', async () => {
      const cases: Array<[string, (to: string, call: SimCall) => Promise<unknown>, string]> = [
        ['no-answer', async () => undefined, 'no-answer'],
        ['rejected', (to, call) => v.phone(to).reject(call.sid), 'rejected'],
        [
          'hung up mid-flow',
          async (to, call) => {
            await v.phone(to).answer(call.sid);
            return v.phone(to).hangup(call.sid);
          },
          'completed',
        ],
      ];
      for (const [why, act, status] of cases) {
        const to = newNumber();
        const created = await create({ To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
        await act(to, await waitForCall(to, 'ringing'));
        await waitForCall(to, status, (RING_SECONDS * TIME_SCALE + 3) * 1000);
        assert.ok((await waitForEvent(created.body.sid as string, status)).includes(status), why);
        assert.equal(await statusOf(created.body.sid as string), 'pending', why);
        const live = await v.ctx.db.kysely.selectFrom('calls').select(['active', 'status']).where('verification_sid', '=', created.body.sid as string).executeTakeFirstOrThrow();
        assert.deepEqual(live, { active: null, status }, why);
      }
      const busyTo = newNumber();
      await fetch(`${v.url}/sim/v1/phones/${encodeURIComponent(busyTo)}/busy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ busy: true }) });
      const busy = await create({ To: busyTo, Channel: 'call' });
      assert.ok((await waitForEvent(busy.body.sid as string, 'busy')).includes('queued'), "expected (await waitForEvent(busy.body.sid as string, 'busy')).includes('queued')");
      // The number is free again: the app may call once more (a resend).
      await fetch(`${v.url}/sim/v1/phones/${encodeURIComponent(busyTo)}/busy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ busy: false }) });
      assert.equal((await create({ To: busyTo, Channel: 'call' })).status, 201);
    });

    it('tells a caller whose verification expired or was canceled, and hangs up canceled calls', async () => {
      const to = newNumber();
      const created = await create({ To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
      const phone = v.phone(to);
      const call = await phone.answer((await waitForCall(to, 'ringing')).sid);
      v.clock?.advance(11 * 60_000);
      const late = await phone.dtmf(call.sid, created.body.display_code as string);
      assert.equal(late.prompts.at(-1)?.text, 'This request is no longer valid. Goodbye.');
      assert.equal(late.status, 'completed');
      assert.equal(await statusOf(created.body.sid as string), 'expired');

      const other = newNumber();
      const canceledOne = await create({ To: other, Channel: 'call', VoiceFlow: 'press_one' });
      await waitForCall(other, 'ringing');
      const canceled = await v.api('POST', `/v2/Services/${serviceSid}/Verifications/${canceledOne.body.sid as string}`, { Status: 'canceled' });
      assert.equal(canceled.body.status, 'canceled');
      await waitForCall(other, 'canceled');
      // Two `canceled` events: the verification's, then the call's end (a late `ringing` report may sit between).
      for (let i = 0; i < 100 && (await eventsOf(canceledOne.body.sid as string)).filter((e) => e === 'canceled').length < 2; i++) await sleep(50);
      const events = await eventsOf(canceledOne.body.sid as string);
      assert.equal(events.filter((e) => e === 'canceled').length, 2, events.join(', '));
      assert.equal(events.at(-1), 'canceled');
    });

    it('hangs up a live call once a right code checked approves its verification, like Status=approved', async () => {
      const to = newNumber();
      const created = await create({ To: to, Channel: 'call' });
      const phone = v.phone(to);
      const call = await phone.answer((await waitForCall(to, 'ringing')).sid);
      assert.equal(call.status, 'in-progress');
      const code = (/code is ((?:\d, ){5}\d)\./.exec(phone.heard(call))?.[1] ?? '').replace(/\D/g, '');
      const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: code });
      assert.equal(check.body.status, 'approved');
      // An answered call that Verity hangs up ends `completed`, for the reason the phone gives.
      await waitForCall(to, 'completed');
      const events = await waitForEvent(created.body.sid as string, 'completed');
      assert.deepEqual(events.slice(events.indexOf('approved')), ['approved', 'completed'], events.join(', '));
      const row = await v.ctx.db.kysely.selectFrom('calls').select(['active', 'status', 'end_reason']).where('verification_sid', '=', created.body.sid as string).executeTakeFirstOrThrow();
      assert.deepEqual(row, { active: null, status: 'completed', end_reason: 'hung up by Verity' });
    });

    it('refuses a second call while one is live (60212) and counts calls in the same send budget as SMS', async () => {
      const to = newNumber();
      await create({ To: to, Channel: 'call' });
      await waitForCall(to, 'ringing');
      const second = await create({ To: to, Channel: 'call' });
      assert.equal(second.status, 429);
      assert.equal(second.body.code, 60212);
      const parallel = await Promise.all(Array.from({ length: 5 }, () => create({ To: to, Channel: 'flashcall' })));
      assert.ok(parallel.every((r) => r.status >= 400), 'no flash call while a call is live');
      await v.phone(to).reject((await v.phone(to).latestCall()).sid);
      await waitForCall(to, 'rejected');

      // Sends: 1 call so far (the refused ones were not counted); 3 SMS and 1 more call make 5.
      for (let i = 0; i < 3; i++) assert.equal((await create({ To: to, Channel: 'sms' })).status, 201);
      assert.equal((await create({ To: to, Channel: 'call' })).status, 201);
      await v.phone(to).reject((await waitForCall(to, 'ringing')).sid);
      await waitForCall(to, 'rejected');
      const sixth = await create({ To: to, Channel: 'sms' });
      assert.equal(sixth.status, 429);
      assert.equal(sixth.body.code, 60203);
    });

    it('sends every progress event to webhooks as verification.progress, signed and in sequence', async () => {
      const receiver = await startReceiver();
      try {
        const hook = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'progress', WebhookUrl: `${receiver.url}/progress`, EventTypes: ['verification.progress'], Format: 'verity' });
        assert.equal(hook.status, 201);
        const to = newNumber();
        const created = await create({ To: to, Channel: 'call', VoiceFlow: 'press_one' });
        const call = await v.phone(to).answer((await waitForCall(to, 'ringing')).sid);
        await v.phone(to).dtmf(call.sid, '1');
        await waitForEvent(created.body.sid as string, 'completed');
        const expected = await eventsOf(created.body.sid as string);
        // The service's other verifications may report too (the maintenance sweep expires the earlier
        // tests' ones every 5 s): only this verification's deliveries are compared.
        type Progress = { sequence: number; event: string; verification_sid: string };
        const ours = (): Progress[] =>
          receiver.requests
            .map((hit) => (JSON.parse(hit.body) as { data: Progress }).data)
            .filter((data) => data.verification_sid === created.body.sid);
        await receiver.waitFor(() => ours().length >= expected.length, 10_000);
        for (const hit of receiver.requests) {
          assert.ok(verifyWebhookSignature(hook.body.secret as string, String(hit.headers['verity-signature']), hit.body, { nowSeconds: Math.floor(v.ctx.clock.now() / 1000) }), 'the webhook signature verifies');
        }
        assert.deepEqual(
          ours().sort((a, b) => a.sequence - b.sequence).map((d) => d.event),
          expected,
        );
      } finally {
        await receiver.close();
      }
    });

    it('keeps a decided-on-the-call verification a call: no SMS resend, no custom code', async () => {
      const to = newNumber();
      await create({ To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
      await v.phone(to).reject((await waitForCall(to, 'ringing')).sid);
      await waitForCall(to, 'rejected');
      const sms = await create({ To: to, Channel: 'sms' });
      assert.equal(sms.body.code, 60200);
      assert.match(sms.body.message, /Channel=call/);
      assert.deepEqual(await v.inbox(to), [], 'the on-screen code never goes out by SMS');
      const custom = await create({ To: newNumber(), Channel: 'call', VoiceFlow: 'keypad_code', CustomCode: '123456' });
      assert.equal(custom.body.code, 60200);
    });
  });
}

describe('voice provider failures', () => {
  let v: TestVerity;
  let placed = 0;
  before(async () => {
    const failing = (): VoiceProvider => ({
      name: 'failing',
      async placeCall() {
        placed++;
        throw new DeliveryError('carrier said no', { retryable: false });
      },
      async hangup() {},
    });
    v = await startVerity({ voiceProvider: failing });
  });
  after(async () => v.close());

  it('marks the verification failed (30008), ends the call failed, and frees the number', async () => {
    const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Broken' })).body.sid as string;
    const res = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550177', Channel: 'call' });
    assert.equal(res.status, 502);
    assert.equal(res.body.code, 30008);
    assert.equal(placed, 1);
    const row = await v.ctx.db.kysely.selectFrom('verifications').selectAll().where('destination', '=', '+14155550177').executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    const call = await v.ctx.db.kysely.selectFrom('calls').selectAll().where('verification_sid', '=', row.sid).executeTakeFirstOrThrow();
    assert.deepEqual([call.status, call.active], ['failed', null]);
    const events = (await v.ctx.db.kysely.selectFrom('verification_events').select('event').where('verification_sid', '=', row.sid).orderBy('sequence').execute()).map((e) => e.event);
    assert.deepEqual(events, ['queued', 'failed', 'failed']);
    assert.equal((await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550177', Channel: 'call' })).status, 502, 'not blocked by a stuck call');
  });
});
