import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsoleClient } from '../admin/console-client.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { basic, otherCode, startReceiver, type Receiver } from '../support/test-helpers.ts';
import { createClient, requestToken } from '../handoff/handoff-support.ts';

/** True when `needle` occurs in `haystack` not as part of a longer run of digits. */
function containsToken(haystack: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`).test(haystack);
}

describe('logs never carry codes, tokens or secrets', () => {
  let v: TestVerity;
  let receiver: Receiver;
  before(async () => {
    // debug, so even the chattiest lines are checked.
    v = await startVerity({ env: { VERITY_LOG_LEVEL: 'debug' } });
    receiver = await startReceiver();
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  it('runs a full flow, then finds none of the secrets in the logs but finds the request lines', { timeout: 30_000 }, async () => {
    const secrets = new Map<string, string>();
    secrets.set('auth token', v.authToken);
    secrets.set('Basic credentials', basic(v.accountSid, v.authToken).slice('Basic '.length));

    // A 10-digit code length makes an accidental match in timestamps or durations implausible.
    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Log Audit', CodeLength: '10', CustomCodeEnabled: 'true' });
    assert.equal(service.status, 201);
    const sid = service.body.sid as string;

    const webhook = await v.api('POST', `/v2/Services/${sid}/Webhooks`, { FriendlyName: 'audit', EventTypes: ['*'], WebhookUrl: `${receiver.url}/hook?token=url-secret-123`, Format: 'verity' });
    assert.equal(webhook.status, 201);
    assert.equal(typeof webhook.body.secret, 'string');
    secrets.set('webhook secret', webhook.body.secret);

    const verify = async (form: Record<string, string>) => {
      const r = await v.api('POST', `/v2/Services/${sid}/Verifications`, form);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const check = async (form: Record<string, string>) => {
      const r = await v.api('POST', `/v2/Services/${sid}/VerificationCheck`, form);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };

    // SMS: a wrong code, a resend, the right code.
    const sms = '+14155550160';
    await verify({ To: sms, Channel: 'sms' });
    const smsCode = await v.lastCode(sms);
    assert.equal(smsCode.length, 10);
    secrets.set('sms code', smsCode);
    secrets.set('wrong sms code', otherCode(smsCode));
    assert.equal((await check({ To: sms, Code: otherCode(smsCode) })).status, 'pending');
    await verify({ To: sms, Channel: 'sms' });
    assert.equal(await v.lastCode(sms), smsCode);
    assert.equal((await check({ To: sms, Code: smsCode })).status, 'approved');

    // Call: the code is spoken digit by digit; neither form may be logged.
    const call = '+14155550161';
    const callVerification = await verify({ To: call, Channel: 'call' });
    const phone = v.phone(call);
    const heard = phone.heard(await phone.answer((await phone.latestCall()).sid));
    const callCode = (/code is ((?:\d, )+\d)\./.exec(heard)?.[1] ?? '').replace(/\D/g, '');
    assert.equal(callCode.length, 10, heard);
    secrets.set('call code', callCode);
    secrets.set('spoken call code', callCode.split('').join(', '));
    assert.equal((await check({ VerificationSid: callVerification.sid, Code: callCode })).status, 'approved');
    // The progress stream's URL carries its token in the path; the stream ends (the call is decided).
    const eventsUrl = callVerification.links.events as string;
    secrets.set('progress-stream token', eventsUrl.split('/').at(-1) as string);
    assert.equal((await fetch(eventsUrl)).status, 200);

    // Email, with the twilio client too (its own request path).
    const email = 'log-audit@example.com';
    await v.client.verify.v2.services(sid).verifications.create({ to: email, channel: 'email' });
    const emailCode = await v.lastCode(email);
    secrets.set('email code', emailCode);
    assert.equal((await v.client.verify.v2.services(sid).verificationChecks.create({ to: email, code: otherCode(emailCode) })).status, 'pending');
    assert.equal((await v.client.verify.v2.services(sid).verificationChecks.create({ to: email, code: emailCode })).status, 'approved');

    // A custom code, sent as JSON.
    const customCode = 'Kx7Qp2Zm9W';
    secrets.set('custom code', customCode);
    const custom = await fetch(`${v.url}/v2/Services/${sid}/Verifications`, {
      method: 'POST',
      headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/json' },
      body: JSON.stringify({ To: '+14155550162', Channel: 'sms', CustomCode: customCode }),
    });
    assert.equal(custom.status, 201);
    assert.equal((await check({ To: '+14155550162', Code: 'Zz9Yy8Xx7W' })).status, 'pending');
    secrets.set('wrong custom code', 'Zz9Yy8Xx7W');
    assert.equal((await check({ To: '+14155550162', Code: customCode })).status, 'approved');

    // Failure paths: a wrong password, a locked-out check, a malformed body.
    const wrongPassword = 'e'.repeat(64);
    secrets.set('presented wrong password', wrongPassword);
    assert.equal((await v.api('GET', '/v2/Services', undefined, { user: v.accountSid, password: wrongPassword })).status, 401);
    const bad = await fetch(`${v.url}/v2/Services/${sid}/VerificationCheck`, {
      method: 'POST',
      headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/json' },
      body: `{"To":"${sms}","Code":"${smsCode}"`,
    });
    assert.equal(bad.status, 400);

    // A hand-off: the request token travels in the query string (`/handoff?request=eyJ…`).
    const handoffClient = await createClient(v, sid);
    const handoffToken = await requestToken(v, handoffClient);
    secrets.set('hand-off request token', handoffToken);
    secrets.set('hand-off request signature', handoffToken.split('.').at(-1) as string);
    const handoff = await fetch(`${v.url}/handoff?request=${handoffToken}`, { redirect: 'manual' });
    assert.ok(handoff.status < 500, `the hand-off answered ${handoff.status}`);
    await handoff.arrayBuffer();

    // A phone number typed into the admin console's search, in both encodings a browser may send.
    const searched = '+14155550177';
    const operator = new ConsoleClient(v.url);
    assert.equal((await operator.signIn(v.accountSid, v.authToken)).status, 303, 'the operator signs in to the console');
    for (const query of [`to=${encodeURIComponent(searched)}`, `to=${searched}`, `q=${encodeURIComponent(searched)}`]) {
      const page = await operator.get(`/admin/services/${sid}?${query}`);
      assert.equal(page.status, 200, `the admin search answered ${page.status}`);
    }

    // Let the webhook deliveries happen, so the dispatcher's logging is covered too.
    await receiver.waitFor((r) => r.headers['verity-event-type'] === 'verification.approved' && r.body.includes('+14155550162'));

    const logs = v.logs();
    for (const [name, value] of secrets) {
      assert.ok(!containsToken(logs, value), `the ${name} appears in the logs`);
    }
    assert.ok(!logs.includes('url-secret-123'), 'the webhook URL (which may carry a token) appears in the logs');
    for (const spelling of [searched, encodeURIComponent(searched), searched.slice(1)]) {
      assert.ok(!logs.includes(spelling), `the phone number searched for in the admin console appears in the logs as ${spelling}`);
    }

    // The logs are not simply empty: every line is JSON, and requests are logged by method and URL.
    const lines = logs.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
    assert.ok(lines.length > 20, `only ${lines.length} log lines`);
    const completed = lines.filter((l) => l.msg === 'request completed');
    const incoming = lines.filter((l) => l.msg === 'incoming request');
    assert.ok(completed.length >= 15, `only ${completed.length} "request completed" lines`);
    assert.ok(incoming.some((l) => l.req?.method === 'POST' && String(l.req?.url).endsWith('/VerificationCheck')), 'the VerificationCheck request is logged');
    // Masked, not dropped: the lines still say which route was asked for.
    assert.ok(incoming.some((l) => l.req?.url === '/handoff?request=[redacted]'), 'the hand-off request is logged, its token masked');
    assert.ok(incoming.some((l) => l.req?.url === `/admin/services/${sid}?to=[redacted]`), 'the admin search is logged, its query masked');
    assert.ok(incoming.some((l) => l.req?.url === `/events/v1/Verifications/${callVerification.sid}/[redacted]`), 'the progress stream is logged, its token masked');
    assert.ok(completed.some((l) => l.res?.statusCode === 401), 'expected completed.some((l) => l.res?.statusCode === 401)');
    assert.ok(completed.every((l) => typeof l.responseTime === 'number'), "expected completed.every((l) => typeof l.responseTime === 'number')");
    assert.ok(lines.every((l) => l.service === 'verity'), "expected lines.every((l) => l.service === 'verity')");
    // Request headers are never logged (authorization lives there).
    assert.ok(incoming.every((l) => l.req?.headers === undefined), 'expected incoming.every((l) => l.req?.headers === undefined)');
  });
});
