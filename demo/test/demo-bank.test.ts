import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { VerityClient } from '@verity/sdk';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice, type TestDevice } from '../../test/support/push-device.ts';
import type { TestVerity } from '../../test/support/start-verity.ts';
import { eventually, hidden, startDemoUnderTest, Visitor, type Answer, type DemoUnderTest } from './demo-harness.ts';

const TOTP = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;
const PASSWORD = 'velvet tractor umbrella 42';

/** Demo Bank driven over HTTP against a real Verity: sign-up by keypad call, sign-in by hand-off, push-approved transfers. */
describe('Demo Bank (integration)', () => {
  let t: DemoUnderTest;
  let v: TestVerity;
  let verity: VerityClient;
  let base: string;
  const clock = () => v.clock as NonNullable<TestVerity['clock']>;

  before(async () => {
    t = await startDemoUnderTest({ manualClock: true });
    v = t.v;
    base = t.demo.url;
    verity = new VerityClient({ baseUrl: v.url, accountSid: v.accountSid, authToken: v.authToken });
  });
  after(async () => t?.close());

  const userId = (username: string): string => {
    const user = t.demo.ctx.users.byUsername(username);
    assert.ok(user, `user ${username}`);
    return user.id;
  };

  /** Answers the newest call to `phone` on the simulator and keys in `digits`. */
  async function keyIn(phone: string, digits: string, times = 1): Promise<void> {
    const sim = v.phone(phone);
    let call = await eventually(async () => (await sim.calls()).find((c) => c.status === 'ringing'), 5_000, `a ringing call to ${phone}`);
    call = await sim.answer(call.sid);
    for (let i = 0; i < times; i++) call = await sim.dtmf(call.sid, `${digits}#`);
  }

  const progress = async (visitor: Visitor, outcome: string) =>
    eventually(async () => {
      const state = JSON.parse((await visitor.get('/signup/progress')).html) as { outcome: string | null; message: string };
      return state.outcome === outcome ? state : undefined;
    }, 10_000, `call outcome ${outcome}`);

  async function signUp(username: string, phone: string): Promise<Visitor> {
    const visitor = new Visitor(base);
    await visitor.get('/signup');
    const started = await visitor.post('/signup', { username, password: PASSWORD, phone });
    assert.equal(started.status, 303, started.html);
    const page = await visitor.get('/signup/call');
    const code = /<p class="display-code"[^>]*>(\d+)<\/p>/.exec(page.html)?.[1];
    assert.ok(code, 'display code shown');
    await keyIn(phone, code);
    await progress(visitor, 'approved');
    const done = await visitor.post('/signup/complete', {});
    assert.equal(done.status, 303, done.html);
    assert.equal(done.location, '/account');
    return visitor;
  }

  async function enrollTotp(identity: string): Promise<string> {
    const factor = await verity.factors.create(t.config.serviceSid, identity, { factorType: 'totp', friendlyName: 'Authenticator' });
    const secret = (factor.binding as { secret: string }).secret;
    const verified = await verity.factors.verify(t.config.serviceSid, identity, factor.sid, totp(base32Decode(secret), clock().now(), TOTP));
    assert.equal(verified.status, 'verified');
    clock().advance(30_000); // the verifying code's time step is spent
    return secret;
  }

  /** Password step, then Verity's hosted TOTP page; returns Verity's redirect back to the demo (not yet followed). */
  async function signInAtVerity(visitor: Visitor, username: string, secret: string, remember = false): Promise<string> {
    await visitor.get('/signin');
    const step = await visitor.post('/signin', { username, password: PASSWORD, ...(remember ? { remember: '1' } : {}) });
    assert.equal(step.status, 303, step.html);
    assert.ok(step.location?.startsWith(`${v.url}/handoff?request=`), step.location ?? '');
    const chooser = await visitor.get(step.location as string);
    assert.equal(chooser.status, 200, chooser.html);
    const factor = hidden(chooser.html, 'factor');
    const answered = await visitor.post(`${v.url}/handoff/totp`, { session: hidden(chooser.html, 'session'), factor, code: totp(base32Decode(secret), clock().now(), TOTP) }, null);
    assert.equal(answered.status, 303, answered.html);
    clock().advance(30_000);
    return answered.location as string;
  }

  const signOut = async (visitor: Visitor) => {
    await visitor.get('/account'); // a page with the signed-in session's token
    assert.equal((await visitor.post('/signout', {})).status, 303);
  };

  it('refuses a POST without the CSRF token, or with another session\'s token (403), and changes nothing', async () => {
    const visitor = new Visitor(base);
    await visitor.get('/signup');
    const missing = await visitor.post('/signup', { username: 'mallory', password: PASSWORD, phone: '+14155550100' }, null);
    assert.equal(missing.status, 403);
    assert.match(missing.html, /security token is missing or out of date/);
    const other = new Visitor(base);
    await other.get('/signin');
    const foreign = await visitor.post('/signup', { username: 'mallory', password: PASSWORD, phone: '+14155550100' }, other.csrf);
    assert.equal(foreign.status, 403);
    assert.equal(t.demo.ctx.users.byUsername('mallory'), undefined);
    assert.equal((await v.phone('+14155550100').calls()).length, 0);
  });

  it('sends strict security headers', async () => {
    const page = await new Visitor(base).get('/signin');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, new RegExp(`form-action 'self' ${v.url.replace(/[.]/g, '\\.')}`));
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('demo_session='));
    assert.match(cookie ?? '', /HttpOnly/);
    assert.match(cookie ?? '', /SameSite=Lax/);
  });

  it('refuses common and weak passwords with zxcvbn\'s advice, before any call', async () => {
    const visitor = new Visitor(base);
    await visitor.get('/signup');
    const common = await visitor.post('/signup', { username: 'weakling', password: 'password1', phone: '+14155550101' });
    assert.equal(common.status, 400);
    assert.match(common.html, /most commonly used passwords/);
    const weak = await visitor.post('/signup', { username: 'weakling', password: 'qwertyuiop1234', phone: '+14155550101' });
    assert.equal(weak.status, 400);
    assert.match(weak.html, /similar to a commonly used password/);
    assert.match(weak.html, /<ul class="suggestions"><li>/);
    const badPhone = await visitor.post('/signup', { username: 'weakling', password: PASSWORD, phone: '12' });
    assert.equal(badPhone.status, 400);
    assert.match(badPhone.html, /valid phone number in international format/);
    assert.equal((await v.phone('+14155550101').calls()).length, 0);
  });

  it('signs up with a keypad-code call answered on the simulated phone; the account exists only once Verity approved', async () => {
    const visitor = new Visitor(base);
    await visitor.get('/signup');
    const started = await visitor.post('/signup', { username: 'alice', password: PASSWORD, phone: '+1 415 555 0102' });
    assert.equal(started.status, 303, started.html);
    const page = await visitor.get('/signup/call');
    const code = /<p class="display-code"[^>]*>(\d+)<\/p>/.exec(page.html)?.[1] as string;
    assert.match(code, /^\d{4,10}$/);
    assert.ok(page.html.includes(`href="${v.url}/phone" target="_blank" rel="noopener"`), 'development: a link to the virtual phone');
    // Not approved yet: no account.
    const early = await visitor.post('/signup/complete', {});
    assert.equal(early.status, 409);
    assert.match(early.html, /not verified yet/);
    assert.equal(t.demo.ctx.users.byUsername('alice'), undefined);

    await keyIn('+14155550102', code);
    const state = await progress(visitor, 'approved');
    assert.match(state.message, /Phone verified/);
    const done = await visitor.post('/signup/complete', {});
    assert.equal(done.status, 303);
    const account = await visitor.follow(done);
    assert.equal(account.status, 200);
    assert.match(account.html, /Hello, alice/);
    assert.match(account.html, /You signed in with: <strong>password \+ phone call<\/strong>/);
    const user = t.demo.ctx.users.byUsername('alice');
    assert.equal(user?.phone, '+14155550102');
    assert.match(user?.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.match(user?.id ?? '', /^demo-[0-9a-f]{24}$/);
  });

  it('reports a code keyed wrong 3 times, and "call again" places a new call that can succeed', async () => {
    const visitor = new Visitor(base);
    await visitor.get('/signup');
    await visitor.post('/signup', { username: 'bob', password: PASSWORD, phone: '+14155550103' });
    const first = await visitor.get('/signup/call');
    const code = /<p class="display-code"[^>]*>(\d+)<\/p>/.exec(first.html)?.[1] as string;
    const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    await keyIn('+14155550103', wrong, 3);
    const failed = await progress(visitor, 'retry');
    assert.match(failed.message, /typed wrong too many times/);
    const refused = await visitor.post('/signup/complete', {});
    assert.equal(refused.status, 409);
    assert.match(refused.html, /not verified/);
    assert.equal(t.demo.ctx.users.byUsername('bob'), undefined);

    const again = await visitor.post('/signup/call-again', {});
    assert.equal(again.status, 303);
    const second = await visitor.get('/signup/call');
    const newCode = /<p class="display-code"[^>]*>(\d+)<\/p>/.exec(second.html)?.[1] as string;
    await keyIn('+14155550103', newCode);
    await progress(visitor, 'approved');
    assert.equal((await visitor.post('/signup/complete', {})).status, 303);
    assert.ok(t.demo.ctx.users.byUsername('bob'), "expected t.demo.ctx.users.byUsername('bob')");
  });

  it('tells the user when nobody answers', async () => {
    const visitor = new Visitor(base);
    await visitor.get('/signup');
    await visitor.post('/signup', { username: 'carol', password: PASSWORD, phone: '+14155550104' });
    const sim = v.phone('+14155550104');
    const call = await eventually(async () => (await sim.calls()).find((c) => c.status === 'ringing'), 5_000, 'ringing call');
    await sim.reject(call.sid);
    const state = await progress(visitor, 'retry');
    assert.match(state.message, /declined|Nobody answered/);
  });

  describe('sign-in through the hand-off', () => {
    let visitor: Visitor;
    let secret: string;
    before(async () => {
      visitor = await signUp('dave', '+14155550105');
      secret = await enrollTotp(userId('dave'));
      await signOut(visitor);
    });

    it('refuses a wrong password and an unknown user with the same message', async () => {
      await visitor.get('/signin');
      const wrong = await visitor.post('/signin', { username: 'dave', password: 'not the password at all' });
      const unknown = await visitor.post('/signin', { username: 'nobody-here', password: PASSWORD });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      for (const answer of [wrong, unknown]) assert.match(answer.html, /The username or the password is wrong\./);
      // Online guessing: the sixth try in 15 minutes is refused, even with the right password.
      for (let i = 0; i < 4; i++) assert.equal((await visitor.post('/signin', { username: 'nobody-here', password: `guess ${i}` })).status, 401);
      const limited = await visitor.post('/signin', { username: 'NOBODY-here', password: PASSWORD });
      assert.equal(limited.status, 429);
      assert.match(limited.html, /Too many wrong passwords for this username\. Try again in 15 minutes\./);
    });

    it('asks Verity with a signed request for the user\'s opaque identity, all factors and the verified phone', async () => {
      await visitor.get('/signin');
      const step = await visitor.post('/signin', { username: 'dave', password: PASSWORD });
      const claims = decodeJwt(new URL(step.location as string).searchParams.get('request') as string);
      assert.equal(claims.sub, userId('dave'));
      // What Verity shows in authenticator apps, passkey managers and push devices: the username, not the opaque id.
      assert.equal(claims.name, 'dave');
      assert.equal(claims.iss, t.config.handoffClientSid);
      assert.equal(claims.aud, v.url);
      assert.equal(claims.phone, '+14155550105');
      assert.equal(claims.return_to, `${base}/handoff/return`);
      assert.deepEqual(new Set(claims.factors as string[]), new Set(['totp', 'push', 'sms', 'call', 'flashcall', 'passkeys', 'voiceprint', 'recovery_code']));
      assert.match(claims.state as string, /^[A-Za-z0-9_-]{43}$/);
    });

    it('"Cancel and go back" at Verity (the return URL without a result) signs nobody in', async () => {
      await visitor.get('/signin');
      await visitor.post('/signin', { username: 'dave', password: PASSWORD });
      const canceled = await visitor.get('/handoff/return');
      assert.equal(canceled.location, '/signin');
      assert.match((await visitor.get('/signin')).html, /You canceled the second step at Verity, so you are not signed in\./);
      assert.equal((await visitor.get('/account')).location, '/signin');
    });

    it('signs in with TOTP at Verity and shows the methods used', async () => {
      const back = await signInAtVerity(visitor, 'dave', secret);
      assert.ok(back.startsWith(`${base}/handoff/return?`), back);
      const returned = await visitor.get(back);
      assert.equal(returned.status, 303, returned.html);
      assert.equal(returned.location, '/account');
      const account = await visitor.get('/account');
      assert.match(account.html, /You signed in with: <strong>password \+ one-time code<\/strong>/);
      await signOut(visitor);
      assert.equal((await visitor.get('/account')).location, '/signin');
    });

    it('refuses a replayed result: the same answer twice at once signs in once', async () => {
      const back = await signInAtVerity(visitor, 'dave', secret);
      const answers = await Promise.all([visitor.get(back), visitor.get(back)]);
      const ok = answers.filter((a) => a.status === 303 && a.location === '/account');
      const refused = answers.filter((a) => a.status === 400);
      assert.equal(ok.length, 1, answers.map((a) => a.status).join());
      assert.equal(refused.length, 1);
      // Both requests carried the pending sign-in: the recorded jti is what refuses the second.
      assert.match((refused[0] as Answer).html, /already used/);
      // And later, from the signed-in session: refused too.
      const later = await visitor.get(back);
      assert.equal(later.status, 400);
      await signOut(visitor);
    });

    it('refuses a result for an earlier attempt (state mismatch) and a tampered one', async () => {
      const first = await signInAtVerity(visitor, 'dave', secret);
      // A second attempt in the same browser: the first attempt's answer no longer fits.
      const second = await signInAtVerity(visitor, 'dave', secret);
      const stale = await visitor.get(first);
      assert.equal(stale.status, 400);
      assert.match(stale.html, /not for the sign-in started in this browser/);
      assert.equal((await visitor.get('/account')).location, '/signin');

      const third = await signInAtVerity(visitor, 'dave', secret);
      const url = new URL(third);
      const token = url.searchParams.get('result') as string;
      const [h, p, s] = token.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      payload.amr = ['hwk'];
      url.searchParams.set('result', `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
      const tampered = await visitor.get(url.toString());
      assert.equal(tampered.status, 400);
      assert.match(tampered.html, /not signed by Verity/);
      assert.equal((await visitor.get('/account')).location, '/signin');
      void second;
    });

    it('remembers the device: the next sign-in skips the hand-off, until the device is forgotten', async () => {
      const back = await signInAtVerity(visitor, 'dave', secret, true);
      assert.equal((await visitor.get(back)).location, '/account');
      const deviceCookie = visitor.cookies.get('demo_device');
      assert.ok(deviceCookie, 'device cookie set');
      const stored = t.demo.ctx.db.prepare('SELECT token_hash, expires_at, created_at FROM devices').all() as Array<{ token_hash: string; expires_at: number; created_at: number }>;
      assert.equal(stored.length, 1);
      assert.match(stored[0]?.token_hash ?? '', /^[0-9a-f]{64}$/);
      assert.equal(Math.round(((stored[0]?.expires_at ?? 0) - (stored[0]?.created_at ?? 0)) / 86_400_000), 30);
      await signOut(visitor);

      await visitor.get('/signin');
      const skipped = await visitor.post('/signin', { username: 'dave', password: PASSWORD });
      assert.equal(skipped.location, '/account');
      const account = await visitor.get('/account');
      assert.match(account.html, /password \+ this remembered device/);
      // A remembered device is not enough to link a new authenticator.
      const link = await visitor.post('/account/security/push-token', {});
      assert.equal(link.status, 403);
      assert.match(link.html, /sign in again with your second factor/);
      const deviceId = /action="\/account\/devices\/([0-9a-f]+)\/revoke"/.exec(account.html)?.[1];
      assert.ok(deviceId, 'expected deviceId');
      // Another user's password with this device cookie still goes to Verity.
      await signOut(visitor);
      await visitor.get('/signin');
      const stranger = new Visitor(base);
      stranger.cookies.set('demo_device', deviceCookie);
      await stranger.get('/signin');
      const alice = await stranger.post('/signin', { username: 'alice', password: PASSWORD });
      assert.ok(alice.location?.startsWith(`${v.url}/handoff?`), 'expected alice.location?.startsWith(`${v.url}/handoff?`)');

      await visitor.post('/signin', { username: 'dave', password: PASSWORD });
      await visitor.get('/account');
      const revoked = await visitor.post(`/account/devices/${deviceId}/revoke`, {});
      assert.equal(revoked.status, 303);
      await signOut(visitor);
      await visitor.get('/signin');
      const again = await visitor.post('/signin', { username: 'dave', password: PASSWORD });
      assert.ok(again.location?.startsWith(`${v.url}/handoff?`), 'forgotten device: the hand-off again');
    });

    it('"Set up sign-in methods": an enroll hand-off (step-up with TOTP), a new phone confirmed at Verity updates the account', async () => {
      const back = await signInAtVerity(visitor, 'dave', secret);
      await visitor.get(back);
      await visitor.get('/account');
      const enroll = await visitor.post('/account/security/enroll', {});
      assert.equal(enroll.status, 303);
      const claims = decodeJwt(new URL(enroll.location as string).searchParams.get('request') as string);
      assert.equal(claims.purpose, 'enroll');
      assert.equal(claims.sub, userId('dave'));

      const chooser = await visitor.get(enroll.location as string);
      assert.equal(chooser.status, 200, chooser.html);
      const hub = await visitor.post(`${v.url}/handoff/totp`, { session: hidden(chooser.html, 'session'), factor: hidden(chooser.html, 'factor'), code: totp(base32Decode(secret), clock().now(), TOTP) }, null);
      assert.match(hub.html, /Your sign-in methods/);
      clock().advance(30_000);
      const newPhone = '+14155550155';
      const form = await visitor.post(`${v.url}/handoff/enroll/phone`, { session: hidden(hub.html, 'session'), phone_number: newPhone, channel: 'sms' }, null);
      assert.match(form.html, /Confirm your phone number/);
      const confirmed = await visitor.post(`${v.url}/handoff/enroll/phone/check`, { session: hidden(form.html, 'session'), code: await v.lastCode(newPhone) }, null);
      const done = await visitor.post(`${v.url}/handoff/enroll/done`, { session: hidden(confirmed.html, 'session') }, null);
      assert.equal(done.status, 303, done.html);
      const returned = await visitor.get(done.location as string);
      assert.equal(returned.location, '/account', returned.html);
      const account = await visitor.get('/account');
      assert.match(account.html, /Your sign-in methods and your phone number were updated\./);
      assert.equal(t.demo.ctx.users.byUsername('dave')?.phone, newPhone);
      await signOut(visitor);
    });
  });

  describe('transfers approved by push', () => {
    let visitor: Visitor;
    let device: TestDevice;
    let identity: string;
    before(async () => {
      visitor = await signUp('erin', '+14155550106');
      identity = userId('erin');
    });

    const startTransfer = async (amount: string, payee: string): Promise<{ id: string; page: Answer }> => {
      await visitor.get('/transfer');
      const created = await visitor.post('/transfer', { amount, payee });
      assert.equal(created.status, 303, created.html);
      const id = /\/transfer\/(tr_[0-9a-f]+)$/.exec(created.location as string)?.[1] as string;
      return { id, page: await visitor.get(created.location as string) };
    };
    const statusOf = (id: string) => (t.demo.ctx.db.prepare('SELECT status FROM transfers WHERE id = ?').get(id) as { status: string }).status;

    it('asks the user to set up push first when there is no push factor', async () => {
      await visitor.get('/transfer');
      const refused = await visitor.post('/transfer', { amount: '10', payee: 'Acme Ltd' });
      assert.equal(refused.status, 409);
      assert.match(refused.html, /no push authenticator yet/);
      assert.match(refused.html, /href="\/account#security"/);
      const bad = await visitor.post('/transfer', { amount: '10.999', payee: 'Acme Ltd' });
      assert.equal(bad.status, 400);
    });

    it('executes a transfer approved on the phone with exactly its amount and payee', async () => {
      device = await enrollDevice(v, t.config.serviceSid, identity);
      const { id, page } = await startTransfer('1250.5', 'Acme Ltd · IBAN DE89 3704');
      const shown = /id="number-match"[^>]*>(\d{2})</.exec(page.html)?.[1];
      assert.ok(shown, 'number to match shown');
      const [challenge] = await device.pending();
      assert.ok(challenge, 'expected challenge');
      assert.equal(challenge.details.message, 'Approve transfer');
      assert.deepEqual(challenge.details.fields, [
        { label: 'Amount', value: '$1,250.50' },
        { label: 'Payee', value: 'Acme Ltd · IBAN DE89 3704' },
      ]);
      assert.deepEqual(challenge.hidden_details, { transfer_id: id });
      const status = JSON.parse((await visitor.get(`/transfer/${id}/status`)).html) as { status: string };
      assert.equal(status.status, 'pending');
      const early = await visitor.post(`/transfer/${id}/complete`, {});
      assert.equal(early.status, 409);
      assert.equal(statusOf(id), 'pending');

      assert.equal((await device.answer(challenge, 'approved', shown)).status, 200);
      assert.equal((JSON.parse((await visitor.get(`/transfer/${id}/status`)).html) as { status: string }).status, 'approved');
      const done = await visitor.post(`/transfer/${id}/complete`, {});
      assert.equal(done.status, 200, done.html);
      assert.match(done.html, /\$1,250\.50 is on its way to Acme Ltd/);
      assert.equal(statusOf(id), 'executed');
      // Sending the form again does not send the money again.
      assert.match((await visitor.post(`/transfer/${id}/complete`, {})).html, /already sent/);
    });

    it('refuses to execute when the approved details differ from the transfer', async () => {
      const { id, page } = await startTransfer('20', 'Bob Builder');
      const shown = /id="number-match"[^>]*>(\d{2})</.exec(page.html)?.[1];
      const [challenge] = await device.pending();
      assert.ok(challenge, 'expected challenge');
      assert.equal((await device.answer(challenge, 'approved', shown)).status, 200);
      // The stored transfer changed after the approval (say, a bug or an insider): the approval does not carry over.
      t.demo.ctx.db.prepare('UPDATE transfers SET amount_cents = 2000000 WHERE id = ?').run(id);
      const refused = await visitor.post(`/transfer/${id}/complete`, {});
      assert.equal(refused.status, 409);
      assert.match(refused.html, /does not match this transfer \(the approved amount or payee differs\)/);
      assert.equal(statusOf(id), 'refused');
    });

    it('does not execute a denied transfer', async () => {
      const { id } = await startTransfer('75', 'Mallory');
      const [challenge] = await device.pending();
      assert.ok(challenge, 'expected challenge');
      assert.equal((await device.answer(challenge, 'denied')).status, 200);
      const denied = await visitor.post(`/transfer/${id}/complete`, {});
      assert.equal(denied.status, 409);
      assert.match(denied.html, /declined the transfer on your phone/);
      assert.equal(statusOf(id), 'denied');
      const account = await visitor.get('/account');
      assert.match(account.html, /status-denied/);
      assert.match(account.html, /status-executed/);
    });

    it('does not show another customer\'s transfer', async () => {
      const { id } = await startTransfer('5', 'Someone');
      const stranger = await signUp('frank', '+14155550107');
      assert.equal((await stranger.get(`/transfer/${id}`)).status, 404);
      assert.equal((await stranger.post(`/transfer/${id}/complete`, {})).status, 404);
    });
  });

  it('bootstraps once: a restart reuses the saved service and client (0600 file); a new return URL gets a new client and the old one is deleted', async () => {
    const { bootstrapDemo } = await import('../bootstrap.ts');
    const { statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const options = { verityUrl: v.url, accountSid: v.accountSid, authToken: v.authToken, dataDir: t.dataDir, publicUrl: base, host: '127.0.0.1', port: t.config.port };
    const again = await bootstrapDemo(options);
    assert.equal(again.serviceSid, t.config.serviceSid);
    assert.equal(again.handoffClientSid, t.config.handoffClientSid);
    assert.equal(again.cookieSecret, t.config.cookieSecret);
    assert.equal(statSync(join(t.dataDir, 'demo-bank.json')).mode & 0o777, 0o600);
    const moved = await bootstrapDemo({ ...options, publicUrl: 'http://localhost:1' });
    assert.equal(moved.serviceSid, t.config.serviceSid);
    assert.notEqual(moved.handoffClientSid, t.config.handoffClientSid);
    assert.deepEqual((await verity.handoffClients.fetch(moved.serviceSid, moved.handoffClientSid)).return_urls, ['http://localhost:1/handoff/return']);
    // The replaced client no longer exists at Verity (its secret is worthless). Last test: the running demo used it.
    await assert.rejects(verity.handoffClients.fetch(moved.serviceSid, t.config.handoffClientSid as string), (error: unknown) => error instanceof Error && 'status' in error && error.status === 404);
    const restored = await bootstrapDemo(options);
    assert.equal(restored.publicUrl, base);
    assert.notEqual(restored.handoffClientSid, moved.handoffClientSid);
  });
});
