import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { enrollDevice } from '../support/push-device.ts';
import { pythonValidator } from '../support/authy-python-validator.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';

/** A callback receiver that answers 500 to its first `failures` requests, then 200. */
async function flakyReceiver(failures: number) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string; status: number }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = received.length < failures ? 500 : 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/onetouch`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** OneTouch callbacks: the webhooks' SSRF guard, and retries with back-off on the injected clock; the key's failure limit. */
describe('OneTouch callbacks: address policy and retries; failed keys limited', () => {
  let v: TestVerity;
  let strict: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true });
    strict = await startVerity({ env: { VERITY_WEBHOOK_ALLOW_LOOPBACK: 'false', VERITY_RATE_AUTH_FAILURES_BURST: '3' } });
  });
  after(async () => {
    await v.close();
    await strict.close();
  });

  it('refuses a callback URL on a refused address (64501), as a webhook URL', async () => {
    const serviceSid = (await strict.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
    for (const url of ['http://127.0.0.1:9/cb', 'http://169.254.169.254/latest', 'http://[::1]/x']) {
      const refused = await strict.api('POST', `/v2/Services/${serviceSid}/AuthyApiKey`, { OneTouchCallbackUrl: url });
      assert.equal(refused.status, 400, url);
      assert.equal(refused.body.code, 64501, url);
    }
    const badUrl = await strict.api('POST', `/v2/Services/${serviceSid}/AuthyApiKey`, { OneTouchCallbackUrl: 'ftp://example.com/x' });
    assert.equal(badUrl.body.code, 60200);
    assert.equal((await strict.api('GET', `/v2/Services/${serviceSid}/AuthyApp`)).status, 404, 'no application was created');
  });

  it('limits failed keys per client IP like the API\'s Basic auth: 401 60001, then 429 60003', async () => {
    const attempt = () => fetch(`${strict.url}/authy/protected/json/app/details`, { headers: { 'X-Authy-API-Key': 'not-a-key' } });
    for (let i = 0; i < 3; i++) {
      const res = await attempt();
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error_code: string }).error_code, '60001');
    }
    const limited = await attempt();
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after'), 'Retry-After is set');
    assert.equal(((await limited.json()) as { error_code: string }).error_code, '60003');
  });

  it('retries a refused callback with back-off, then delivers it signed', async () => {
    const receiver = await flakyReceiver(2);
    try {
      const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
      const issued = await v.api('POST', `/v2/Services/${serviceSid}/AuthyApiKey`, { OneTouchCallbackUrl: receiver.url });
      const key = issued.body.api_key as string;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${v.url}/authy${path}`, { method, headers: { 'X-Authy-API-Key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return (await res.json()) as any;
      };
      const id = (await call('POST', '/protected/json/users/new', { user: { email: 'a@example.com', cellphone: '4155552690', country_code: '1' } })).user.id as number;
      const device = await enrollDevice(v, serviceSid, `authy-user-${id}`);
      const uuid = (await call('POST', `/onetouch/json/users/${id}/approval_requests`, { message: 'Log in?' })).approval_request.uuid as string;
      const status = await call('GET', `/onetouch/json/approval_requests/${uuid}`);
      const challenge = (await device.pending()).find((c) => c.sid === status.approval_request._id);
      assert.ok(challenge, 'the device lists the request');
      const number = (await v.api('GET', `/v2/Services/${serviceSid}/Entities/authy-user-${id}/Challenges/${challenge.sid}`)).body.number_match as string;
      assert.equal((await device.answer(challenge, 'approved', number)).status, 200);

      await waitUntil('the first attempt', () => receiver.received.length === 1);
      const row = async () => v.ctx.db.kysely.selectFrom('authy_approval_requests').selectAll().where('uuid', '=', uuid).executeTakeFirstOrThrow();
      await waitUntil('the first attempt is recorded', async () => (await row()).callback_attempts === 1);
      assert.equal((await row()).callback_state, 'awaiting');
      assert.equal((await row()).callback_last_error, 'HTTP 500');
      // The next attempt waits for its back-off (5 s ± 20 %) on the server's clock.
      const wait = Number((await row()).callback_next_at) - v.ctx.clock.now();
      assert.ok(wait >= 4_000 && wait <= 6_000, `back-off of ${wait} ms`);
      for (const attempt of [2, 3]) {
        // The previous attempt's back-off is counted from its settle: advance the clock only after it.
        await waitUntil(`attempt ${attempt - 1} is recorded`, async () => (await row()).callback_attempts === attempt - 1);
        v.clock?.advance(60_000);
        v.ctx.bus.publish('outbox', { type: 'test', resourceSid: uuid });
        await waitUntil(`attempt ${attempt}`, () => receiver.received.length === attempt);
      }
      await waitUntil('delivered', async () => (await row()).callback_state === 'delivered');
      // A request nobody answers is not called back, and stops being waited for once it expires.
      const unanswered = (await call('POST', `/onetouch/json/users/${id}/approval_requests`, { message: 'Anyone?', seconds_to_expire: 60 })).approval_request.uuid as string;
      const stateOf = async () => (await v.ctx.db.kysely.selectFrom('authy_approval_requests').select('callback_state').where('uuid', '=', unanswered).executeTakeFirstOrThrow()).callback_state;
      assert.equal(await stateOf(), 'awaiting');
      v.clock?.advance(61_000);
      // As the maintenance's expiry of the challenge announces it (the callbacks close unanswerable requests then, or every 30 s).
      v.ctx.bus.publish('outbox', { type: 'challenge.expired', resourceSid: unanswered });
      await waitUntil('the unanswered request is closed', async () => (await stateOf()) === 'expired');
      assert.equal((await call('GET', `/onetouch/json/approval_requests/${unanswered}`)).approval_request.status, 'expired');
      assert.equal(receiver.received.length, 3, 'no callback for an expired request');
      const last = receiver.received[2];
      assert.ok(last, 'the third attempt');
      const body = JSON.parse(last.body) as Record<string, unknown>;
      assert.equal(body.status, 'approved');
      assert.equal(pythonValidator(key, String(last.headers['x-authy-signature']), String(last.headers['x-authy-signature-nonce']), 'POST', receiver.url, body), true);
    } finally {
      await receiver.close();
    }
  });
});
