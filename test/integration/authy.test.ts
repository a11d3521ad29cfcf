import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import authyClient from 'authy';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { pythonValidator } from '../support/authy-python-validator.ts';
import { enrollDevice, type TestDevice } from '../support/push-device.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { otherCode, startReceiver, type Receiver } from '../support/test-helpers.ts';

/** The published npm `authy` client (1.4.0): callback style; a non-200 answer comes back as `err` (the body). */
interface AuthyClient {
  register_user(email: string, cellphone: string, countryCode: string, cb: Callback): void;
  user_status(id: number, cb: Callback): void;
  delete_user(id: number, cb: Callback): void;
  request_sms(id: number, force: boolean, cb: Callback): void;
  request_call(id: number, force: boolean, cb: Callback): void;
  verify(id: number, token: string, cb: Callback): void;
  send_approval_request(id: number, payload: { message: string; details?: Record<string, string>; seconds_to_expire?: number }, hidden: Record<string, string>, logos: Array<{ res: string; url: string }> | null, cb: Callback): void;
  check_approval_status(uuid: string, cb: Callback): void;
  phones(): {
    verification_start(phone: string, countryCode: string, via: string, cb: Callback): void;
    verification_check(phone: string, countryCode: string, code: string, cb: Callback): void;
    verification_status(phone: string, countryCode: string, cb: Callback): void;
  };
}
type Callback = (err: any, res: any) => void;
type Outcome = { ok: true; body: any } | { ok: false; body: any };

const authyModule = (key: string, url: string): AuthyClient => authyClient(key, url) as AuthyClient;

/** Calls an `authy` client method; resolves with its answer or its error body (never rejects on an API error). */
function call(fn: (cb: Callback) => void): Promise<Outcome> {
  return new Promise((resolve) => fn((err, res) => resolve(err ? { ok: false, body: err } : { ok: true, body: res })));
}
const success = async (fn: (cb: Callback) => void): Promise<any> => {
  const outcome = await call(fn);
  assert.ok(outcome.ok, `expected success, got ${JSON.stringify(outcome.body)}`);
  return outcome.body;
};
const failure = async (fn: (cb: Callback) => void): Promise<any> => {
  const outcome = await call(fn);
  assert.equal(outcome.ok, false, `expected an error, got ${JSON.stringify(outcome.body)}`);
  return outcome.body;
};

const PHONE = '415-555-2671';
const E164 = '+14155552671';
const TOTP_OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

for (const database of DATABASES) {
  describe(`the Authy API with the npm authy client (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let apiKey: string;
    let authy: AuthyClient;
    let receiver: Receiver;
    let authyId: number;
    let device: TestDevice;

    const callbackPath = '/authy/callback';
    const raw = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
      const res = await fetch(`${v.url}/authy${path}`, { method, headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body };
    };
    /** authy-python style: the key in the header, JSON bodies. */
    const json = (method: string, path: string, body?: unknown, key = apiKey) =>
      raw(method, path, { headers: { 'X-Authy-API-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    /** The number to match of a push challenge, as the login page shows it (read on the Verify API). */
    const numberOf = async (challengeSid: string): Promise<string | undefined> => {
      const res = await v.api('GET', `/v2/Services/${serviceSid}/Entities/authy-user-${authyId}/Challenges/${challengeSid}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.number_match ?? undefined;
    };

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      receiver = await startReceiver();
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme Bank' })).sid;
      const issued = await v.api('POST', `/v2/Services/${serviceSid}/AuthyApiKey`, { OneTouchCallbackUrl: `${receiver.url}${callbackPath}?ignored=1` });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      apiKey = issued.body.api_key;
      authy = authyModule(apiKey, `${v.url}/authy`);
    });
    after(async () => {
      await receiver.close();
      await v.close();
    });

    it('issues the key once: the application answers without it', async () => {
      assert.match(apiKey, /^[A-Za-z0-9_-]{32}$/);
      const fetched = await v.api('GET', `/v2/Services/${serviceSid}/AuthyApp`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.key_status, 'active');
      assert.equal(fetched.body.api_key, undefined);
      assert.equal(fetched.body.onetouch_callback_url, `${receiver.url}${callbackPath}?ignored=1`);
      const details = await json('GET', '/protected/json/app/details');
      assert.equal(details.status, 200);
      assert.equal(details.body.app.name, 'Acme Bank');
      assert.equal(details.body.app.app_id, fetched.body.app_id);
      assert.equal(details.body.success, true);
    });

    it('registers a user: the same phone gives the same numeric authy_id', async () => {
      const created = await success((cb) => authy.register_user('alice@example.com', PHONE, '1', cb));
      assert.equal(created.success, true);
      assert.equal(created.message, 'User created successfully.');
      assert.equal(typeof created.user.id, 'number');
      authyId = created.user.id;
      const again = await success((cb) => authy.register_user('alice@example.com', '(415) 555 2671', '+1', cb));
      assert.equal(again.user.id, authyId);
      const other = await success((cb) => authy.register_user('bob@example.com', '415-555-2672', '1', cb));
      assert.equal(other.user.id, authyId + 1);
      const status = await success((cb) => authy.user_status(authyId, cb));
      assert.equal(status.status.authy_id, authyId);
      assert.equal(status.status.registered, false);
      assert.equal(status.status.phone_number, 'XXX-XXX-2671');
      assert.deepEqual(status.status.devices, []);
    });

    it('refuses OneTouch for a user without a device (400 60051)', async () => {
      const refused = await failure((cb) => authy.send_approval_request(authyId, { message: 'Log in?' }, {}, null, cb));
      assert.equal(refused.error_code, '60051');
      assert.equal(refused.success, false);
    });

    it('runs OneTouch: details shown, status polled, a device approves, the signed callback arrives', async () => {
      device = await enrollDevice(v, serviceSid, `authy-user-${authyId}`);
      const status = await success((cb) => authy.user_status(authyId, cb));
      assert.equal(status.status.registered, true);

      const sent = await success((cb) =>
        authy.send_approval_request(authyId, { message: 'Login requested for Acme Bank', details: { 'Requested by': 'Alice', Amount: '€1,250.00' } }, { ip_address: '203.0.113.9' }, [{ res: 'default', url: 'https://acme.example/logo.png' }], cb),
      );
      const uuid = sent.approval_request.uuid as string;
      assert.match(uuid, /^[0-9a-f-]{36}$/);
      const pending = await success((cb) => authy.check_approval_status(uuid, cb));
      assert.equal(pending.approval_request.status, 'pending');
      assert.deepEqual(pending.approval_request.details, { 'Requested by': 'Alice', Amount: '€1,250.00' });
      assert.deepEqual(pending.approval_request.hidden_details, { ip_address: '203.0.113.9' });
      assert.deepEqual(pending.approval_request.logos, [{ res: 'default', url: 'https://acme.example/logo.png' }]);
      // Authy's default (24 h) is capped at Verify's 60-minute challenge lifetime.
      assert.equal(pending.approval_request.seconds_to_expire, 3600);

      // The phone sees the request with its details and approves it (signed by its key, with the number to match).
      const challenge = (await device.pending()).find((c) => c.sid === pending.approval_request._id);
      assert.ok(challenge, 'the device lists the approval request');
      assert.equal(challenge.details.message, 'Login requested for Acme Bank');
      const answered = await device.answer(challenge, 'approved', await numberOf(challenge.sid));
      assert.equal(answered.status, 200, JSON.stringify(answered.body));

      const approved = await success((cb) => authy.check_approval_status(uuid, cb));
      assert.equal(approved.approval_request.status, 'approved');
      assert.ok(approved.approval_request.processed_at, 'processed_at is set once answered');

      const callback = await receiver.waitFor((r) => r.url.startsWith(callbackPath) && JSON.parse(r.body).uuid === uuid);
      assert.equal(callback.method, 'POST');
      assert.match(String(callback.headers['content-type']), /^application\/json/);
      const body = JSON.parse(callback.body);
      assert.equal(body.callback_action, 'approval_request_status');
      assert.equal(body.status, 'approved');
      assert.equal(body.authy_id, authyId);
      assert.equal(body.approval_request.transaction.status, 'approved');
      assert.deepEqual(body.approval_request.transaction.hidden_details, { ip_address: '203.0.113.9' });
      const signature = String(callback.headers['x-authy-signature']);
      const nonce = String(callback.headers['x-authy-signature-nonce']);
      assert.match(nonce, /^[0-9]{10}$/);
      // The receiver validates it as authy-python does: URL without its query, the app's API key.
      assert.equal(pythonValidator(apiKey, signature, nonce, 'POST', `${receiver.url}${callbackPath}`, body), true);
      assert.equal(pythonValidator(apiKey, signature, nonce, 'POST', `${receiver.url}/elsewhere`, body), false, 'the URL is signed');
      assert.equal(pythonValidator('another-key', signature, nonce, 'POST', `${receiver.url}${callbackPath}`, body), false, 'the key is the app key');
      assert.equal(pythonValidator(apiKey, signature, nonce, 'POST', `${receiver.url}${callbackPath}`, { ...body, status: 'denied' }), false, 'the body is signed');
    });

    it('reports a denial, and calls back with status denied', async () => {
      const sent = await success((cb) => authy.send_approval_request(authyId, { message: 'Transfer €10?', seconds_to_expire: 120 }, {}, null, cb));
      const uuid = sent.approval_request.uuid as string;
      const pending = await success((cb) => authy.check_approval_status(uuid, cb));
      assert.equal(pending.approval_request.seconds_to_expire, 120);
      const challenge = (await device.pending()).find((c) => c.sid === pending.approval_request._id);
      assert.ok(challenge, 'the device lists the approval request');
      assert.equal((await device.answer(challenge, 'denied')).status, 200);
      assert.equal((await success((cb) => authy.check_approval_status(uuid, cb))).approval_request.status, 'denied');
      const callback = await receiver.waitFor((r) => JSON.parse(r.body).uuid === uuid);
      const body = JSON.parse(callback.body);
      assert.equal(body.status, 'denied');
      assert.equal(pythonValidator(apiKey, String(callback.headers['x-authy-signature']), String(callback.headers['x-authy-signature-nonce']), 'POST', `${receiver.url}${callbackPath}`, body), true);
    });

    it('falls back to SMS: ignored without force, sent with it, resent, verified; a wrong token is refused', async () => {
      const ignored = await success((cb) => authy.request_sms(authyId, false, cb));
      assert.equal(ignored.ignored, true);
      assert.equal((await v.inbox(E164)).length, 0, 'nothing sent without force');

      const sent = await success((cb) => authy.request_sms(authyId, true, cb));
      assert.equal(sent.success, true);
      assert.equal(sent.message, 'SMS token was sent');
      assert.equal(sent.cellphone, '+1-XXX-XXX-XX71');
      const code = await v.lastCode(E164);
      // Resend: the same pending verification, the same code, a second message.
      await success((cb) => authy.request_sms(authyId, true, cb));
      assert.equal((await v.inbox(E164)).length, 2);
      assert.equal(await v.lastCode(E164), code);

      const wrong = await failure((cb) => authy.verify(authyId, otherCode(code), cb));
      assert.deepEqual(wrong, { message: 'Token is invalid', token: 'is invalid', success: false, errors: { message: 'Token is invalid' }, error_code: '60020' });
      const ok = await success((cb) => authy.verify(authyId, code, cb));
      assert.deepEqual(ok, { message: 'Token is valid.', token: 'is valid', success: 'true' });
      assert.ok(!v.logs().includes(`/verify/${code}/`), 'the token in the path is not logged');
      assert.match(v.logs(), /\/authy\/protected\/json\/verify\/\[redacted\]\//, 'the request is logged with its token redacted');
      // A code is accepted once.
      assert.equal((await failure((cb) => authy.verify(authyId, code, cb))).error_code, '60020');
    });

    it('verifies an app token: the TOTP factor of the user', async () => {
      const entity = v.client.verify.v2.services(serviceSid).entities(`authy-user-${authyId}`);
      const factor = await entity.newFactors.create({ friendlyName: 'Authenticator', factorType: 'totp' });
      const secret = base32Decode((factor.binding as { secret: string }).secret);
      const verified = await entity.factors(factor.sid).update({ authPayload: totp(secret, v.ctx.clock.now() - 30_000, TOTP_OPTIONS) });
      assert.equal(verified.status, 'verified');
      const code = totp(secret, v.ctx.clock.now(), TOTP_OPTIONS);
      assert.equal((await failure((cb) => authy.verify(authyId, otherCode(code), cb))).error_code, '60020');
      assert.equal((await success((cb) => authy.verify(authyId, code, cb))).token, 'is valid');
    });

    it('places a voice token call with force', async () => {
      const other = (await success((cb) => authy.register_user('carol@example.com', '415-555-2673', '1', cb))).user.id as number;
      const called = await success((cb) => authy.request_call(other, true, cb));
      assert.equal(called.message, 'Call started...');
      const latest = await v.phone('+14155552673').latestCall();
      assert.equal(latest.to, '+14155552673');
    });

    it('verifies a phone: start, wrong code (60022), check, status', async () => {
      const phones = authy.phones();
      const started = await success((cb) => phones.verification_start('415-555-2674', '1', 'sms', cb));
      assert.equal(started.success, true);
      assert.equal(started.message, 'Text message sent to +1 415-555-2674.');
      assert.ok(started.seconds_to_expire > 0, 'seconds_to_expire is positive');
      const code = await v.lastCode('+14155552674');
      assert.equal((await success((cb) => phones.verification_status('415-555-2674', '1', cb))).status, 'pending');
      const wrong = await failure((cb) => phones.verification_check('415-555-2674', '1', otherCode(code), cb));
      assert.equal(wrong.error_code, '60022');
      const checked = await success((cb) => phones.verification_check('415-555-2674', '1', code, cb));
      assert.equal(checked.message, 'Verification code is correct.');
      assert.equal((await success((cb) => phones.verification_status('415-555-2674', '1', cb))).status, 'verified');
      const none = await failure((cb) => phones.verification_check('415-555-2675', '1', code, cb));
      assert.equal(none.error_code, '60023');
    });

    it('takes JSON bodies with the header key (authy-python)', async () => {
      const created = await json('POST', '/protected/json/users/new', { user: { email: 'dave@example.com', cellphone: '4155552676', country_code: '1' }, send_install_link_via_sms: false });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const id = created.body.user.id as number;
      await enrollDevice(v, serviceSid, `authy-user-${id}`);
      const sent = await json('POST', `/onetouch/json/users/${id}/approval_requests`, {
        message: 'Log in?',
        details: { Browser: 'Firefox', Attempts: 2 },
        hidden_details: { session: 'abc' },
        logos: [
          { res: 'default', url: 'https://acme.example/a.png' },
          { res: 'low', url: 'https://acme.example/b.png' },
        ],
        seconds_to_expire: 0,
      });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const fetched = await json('GET', `/onetouch/json/approval_requests/${sent.body.approval_request.uuid}`);
      assert.equal(fetched.body.approval_request.status, 'pending');
      assert.deepEqual(fetched.body.approval_request.details, { Browser: 'Firefox', Attempts: '2' });
      assert.equal(fetched.body.approval_request.logos.length, 2);
      // 0 = "never" in Authy: capped at 60 minutes here.
      assert.equal(fetched.body.approval_request.seconds_to_expire, 3600);
      const removed = await json('POST', `/protected/json/users/${id}/delete`, {});
      assert.equal(removed.status, 200);
      assert.equal((await json('GET', `/protected/json/users/${id}/status`)).body.error_code, '60026');
    });

    it('answers a bad or missing key with 401 60001, in Authy\'s envelope', async () => {
      const bad = await failure((cb) => authyModule('x'.repeat(32), `${v.url}/authy`).user_status(authyId, cb));
      assert.deepEqual(bad, { message: 'Invalid API key', success: false, errors: { message: 'Invalid API key' }, error_code: '60001' });
      const missing = await raw('GET', '/protected/json/app/details');
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error_code, '60001');
      const inBody = await raw('POST', '/protected/json/users/new', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `api_key=${apiKey}&user[email]=erin@example.com&user[cellphone]=4155552677&user[country_code]=1` });
      assert.equal(inBody.status, 200, JSON.stringify(inBody.body));
    });

    it('answers bad input with 4xx Authy errors, never a 5xx', async () => {
      const cases: Array<[string, string, string | undefined, number, string]> = [
        ['POST', '/protected/json/users/new', JSON.stringify({ user: { cellphone: '4155552678', country_code: '1' } }), 400, '60004'],
        ['POST', '/protected/json/users/new', JSON.stringify({ user: { email: 'x@example.com', cellphone: '12', country_code: '1' } }), 400, '60033'],
        ['POST', '/protected/json/users/new', '{not json', 400, '60002'],
        ['POST', '/protected/json/users/new', '[1,2]', 400, '60002'],
        ['GET', '/protected/json/users/abc/status', undefined, 404, '60026'],
        ['GET', '/protected/json/users/99999999999999999999/status', undefined, 404, '60026'],
        ['GET', `/protected/json/verify/abc/${authyId}`, undefined, 401, '60020'],
        ['POST', `/onetouch/json/users/${authyId}/approval_requests`, JSON.stringify({ message: 'x', seconds_to_expire: 'soon' }), 400, '60004'],
        ['POST', `/onetouch/json/users/${authyId}/approval_requests`, JSON.stringify({ message: 'x', details: { a: { b: 'c' } } }), 400, '60004'],
        ['POST', `/onetouch/json/users/${authyId}/approval_requests`, JSON.stringify({ message: 'x', logos: [{ res: 'huge', url: 'https://a.example/x.png' }] }), 400, '60004'],
        ['POST', `/onetouch/json/users/${authyId}/approval_requests`, JSON.stringify({ details: {} }), 400, '60004'],
        ['GET', '/onetouch/json/approval_requests/00000000-0000-0000-0000-000000000000', undefined, 404, '60049'],
        ['GET', '/onetouch/json/approval_requests/..%2F..', undefined, 404, '60049'],
        ['POST', '/protected/json/phones/verification/start', JSON.stringify({ phone_number: '4155552679', via: 'sms' }), 400, '60004'],
        ['POST', '/protected/json/phones/verification/start', JSON.stringify({ phone_number: '4155552679', country_code: '1', via: 'pigeon' }), 400, '60004'],
        ['GET', '/protected/json/nothing/here', undefined, 404, '60000'],
      ];
      for (const [method, path, body, status, code] of cases) {
        const res = await raw(method, path, { headers: { 'X-Authy-API-Key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body }) });
        assert.equal(res.status, status, `${method} ${path} ${body}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error_code, code, `${method} ${path} ${body}`);
        assert.equal(res.body.success, false);
      }
      // Deep or hostile bracket keys are bounded, never a crash.
      const hostile = await raw('POST', `/onetouch/json/users/${authyId}/approval_requests`, {
        headers: { 'X-Authy-API-Key': apiKey, 'content-type': 'application/x-www-form-urlencoded' },
        body: `message=x&details[__proto__][a]=1&logos[999999][res]=low&${'a'.repeat(10)}${'[b]'.repeat(50)}=1`,
      });
      assert.ok(hostile.status < 500, `no 5xx: ${hostile.status} ${JSON.stringify(hostile.body)}`);
    });

    it('deletes a user on each client\'s path', async () => {
      for (const [i, path] of ['/protected/json/users/{id}/remove', '/protected/json/users/{id}/delete', '/protected/json/users/delete/{id}'].entries()) {
        const id = (await success((cb) => authy.register_user(`del${i}@example.com`, `415-555-26${80 + i}`, '1', cb))).user.id as number;
        const res = await json('POST', path.replace('{id}', String(id)), {});
        assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.message, 'User was added to remove.');
        assert.equal((await failure((cb) => authy.user_status(id, cb))).error_code, '60026');
      }
      const viaClient = (await success((cb) => authy.register_user('del9@example.com', '415-555-2689', '1', cb))).user.id as number;
      await success((cb) => authy.delete_user(viaClient, cb));
      assert.equal((await failure((cb) => authy.user_status(viaClient, cb))).error_code, '60026');
    });

    it('rotates the key: the old one stops working at once, users stay', async () => {
      const rotated = await v.api('POST', `/v2/Services/${serviceSid}/AuthyApiKey`);
      assert.equal(rotated.status, 201);
      assert.notEqual(rotated.body.api_key, apiKey);
      assert.equal((await failure((cb) => authy.user_status(authyId, cb))).error_code, '60001');
      const fresh = authyModule(rotated.body.api_key, `${v.url}/authy`);
      assert.equal((await success((cb) => fresh.user_status(authyId, cb))).status.authy_id, authyId);
      const revoked = await v.api('DELETE', `/v2/Services/${serviceSid}/AuthyApiKey`);
      assert.equal(revoked.status, 204);
      assert.equal((await failure((cb) => fresh.user_status(authyId, cb))).error_code, '60001');
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/AuthyApp`)).body.key_status, 'revoked');
    });
  });
}
