import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { parse as parseForm } from 'node:querystring';
import { after, before, describe, it } from 'node:test';
import type twilio from 'twilio';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, openAuthToken, rotateAuthToken } from '../../src/accounts/account-credentials.ts';
import { ensureDevAccount } from '../../src/cli/dev-account.ts';
import { verifyWebhookSignature } from '../../src/events/webhook-signature.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

const lib = () => createRequire(import.meta.url)('twilio') as typeof twilio;

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  params: Record<string, string>;
  /** What `twilio.webhook()` did with the request: `next` (valid), or the status it answered. */
  middleware: 'next' | number;
}

/**
 * A receiver written as for Twilio: express-style request and response objects (what
 * `express.urlencoded({ extended: false })` gives: the body parsed by node:querystring) handed to the
 * installed client's `twilio.webhook()` middleware, which answers 403 to a bad signature and calls
 * `next()` for a good one. Its token can change (a rotated account token).
 */
async function twilioReceiver(authToken: () => string): Promise<{ url: string; received: Received[]; waitFor: (p: (r: Received) => boolean, what: string) => Promise<Received>; close: () => Promise<void> }> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const form = String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded');
      const params = form ? (parseForm(raw) as Record<string, string>) : {};
      const request = {
        protocol: 'http',
        headers: req.headers,
        originalUrl: req.url ?? '/',
        body: params,
        header: (name: string) => req.headers[name.toLowerCase()] as string | undefined,
      };
      let status = 204;
      let middleware: Received['middleware'] = 'next';
      const response = {
        type: () => response,
        status: (code: number) => {
          status = code;
          middleware = code;
          return response;
        },
        send: () => response,
      };
      lib().webhook(authToken())(request as never, response as never, () => undefined);
      received.push({ path: req.url ?? '/', headers: req.headers, raw, params, middleware });
      res.writeHead(status).end();
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const waitFor = (predicate: (r: Received) => boolean, what: string) =>
    new Promise<Received>((resolve, reject) => {
      const check = () => {
        const found = received.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within 10 s (got ${received.map((r) => `${r.path} ${r.params.type ?? r.raw.slice(0, 40)}`).join('; ')})`));
      }, 10_000);
      waiters.add(check);
      check();
    });
  return { url, received, waitFor, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const TOTP = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };

for (const database of DATABASES) {
  describe(`webhooks in Twilio's format, validated with the installed twilio client (${database.name})`, () => {
    let v: TestVerity;
    let token: string;
    let receiver: Awaited<ReturnType<typeof twilioReceiver>>;
    let serviceSid: string;
    let hookUrl: string;

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      token = v.authToken;
      receiver = await twilioReceiver(() => token);
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Twilio hooks' })).sid;
      // A query string: the signature covers the URL exactly as configured.
      hookUrl = `${receiver.url}/hooks/verify?tenant=acme&note=a%20b`;
    });
    after(async () => {
      await v.close();
      await receiver.close();
    });

    it('signs factor.* and challenge.* events as Twilio does (form body, X-Twilio-Signature, idempotency token)', { timeout: 30_000 }, async () => {
      const hook = await v.client.verify.v2.services(serviceSid).webhooks.create({ friendlyName: 'push', eventTypes: ['*'], webhookUrl: hookUrl });
      const raw = await v.api('GET', `/v2/Services/${serviceSid}/Webhooks/${hook.sid}`);
      assert.equal(raw.body.format, 'twilio', 'Twilio format by default');
      assert.equal(raw.body.version, 'v2');

      const identity = 'user-0000-0042';
      const entity = v.client.verify.v2.services(serviceSid).entities(identity);
      const factor = await entity.newFactors.create({ friendlyName: 'phone app', factorType: 'totp' });
      const seed = base32Decode((factor.binding as { secret: string }).secret);
      const now = Date.now();
      await entity.factors(factor.sid).update({ authPayload: totp(seed, now, TOTP) });
      const challenge = await entity.challenges.create({ factorSid: factor.sid, authPayload: totp(seed, now + 30_000, TOTP) });
      assert.equal(challenge.status, 'approved');

      const of = (type: string) => (r: Received) => r.params.type === type && r.path.startsWith('/hooks/verify');
      for (const type of ['factor.created', 'factor.verified', 'challenge.approved']) {
        const delivery = await receiver.waitFor(of(type), type);
        assert.equal(delivery.middleware, 'next', `twilio.webhook() accepts ${type}`);
        assert.equal(delivery.path, '/hooks/verify?tenant=acme&note=a%20b', 'the URL as configured, query string included');
        assert.match(String(delivery.headers['content-type']), /^application\/x-www-form-urlencoded/);
        const signature = String(delivery.headers['x-twilio-signature']);
        assert.equal(lib().validateRequest(token, signature, hookUrl, delivery.params), true, `${type}: validateRequest with the configured URL`);
        assert.equal(lib().validateRequest(token, signature, `${receiver.url}/hooks/verify`, delivery.params), false, 'the query string is signed');
        assert.equal(lib().validateRequest('0'.repeat(64), signature, hookUrl, delivery.params), false, 'another token');
        assert.match(String(delivery.headers['i-twilio-idempotency-token']), /^WD[0-9a-f]{32}$/);
        const p = delivery.params;
        assert.match(p.uuid ?? '', /^EV[0-9a-f]{32}$/);
        assert.equal(p.account_sid, v.accountSid);
        assert.equal(p.service_sid, serviceSid);
        assert.equal(p.entity_identity, identity);
        assert.equal(p.factor_sid, factor.sid);
        assert.equal(p.factor_type, 'totp');
        assert.equal(p.factor_friendly_name, 'phone app');
        assert.ok(!delivery.raw.includes((factor.binding as { secret: string }).secret), 'no seed in the event');
      }
      const approved = await receiver.waitFor(of('challenge.approved'), 'challenge.approved');
      assert.equal(approved.params.challenge_sid, challenge.sid);
      assert.equal(approved.params.challenge_status, 'approved');
      const details = JSON.parse(approved.params.challenge_details ?? 'null') as Record<string, unknown>;
      assert.equal(typeof details, 'object', 'challenge_details is JSON text');
      // Only Twilio's documented parameters, nothing of Verity's own.
      const allowed = ['uuid', 'type', 'account_sid', 'service_sid', 'entity_identity', 'factor_sid', 'factor_type', 'factor_friendly_name', 'challenge_sid', 'challenge_details', 'challenge_hidden_details', 'challenge_metadata', 'challenge_status'];
      for (const name of Object.keys(approved.params)) assert.ok(allowed.includes(name), `${name} is a documented parameter`);
      assert.equal('factor_status' in (await receiver.waitFor(of('factor.created'), 'factor.created')).params, false);
    });

    it('a tampered body or URL fails twilio.validateRequest and twilio.webhook()', { timeout: 20_000 }, async () => {
      const delivery = await receiver.waitFor((r) => r.params.type === 'challenge.approved', 'challenge.approved');
      const signature = String(delivery.headers['x-twilio-signature']);
      assert.equal(lib().validateRequest(token, signature, hookUrl, { ...delivery.params, challenge_status: 'denied' }), false, 'a changed value');
      assert.equal(lib().validateRequest(token, signature, hookUrl, { ...delivery.params, extra: '1' }), false, 'an added parameter');
      assert.equal(lib().validateRequest(token, signature, hookUrl.replace('acme', 'evil'), delivery.params), false, 'another query');

      // The same request replayed with one parameter changed, through the middleware.
      const tampered = new URLSearchParams(delivery.raw);
      tampered.set('challenge_status', 'denied');
      const before = receiver.received.length;
      const res = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: tampered.toString() });
      assert.equal(res.status, 403);
      assert.equal(receiver.received[before]?.middleware, 403, 'twilio.webhook() refuses it');
      const replay = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: delivery.raw });
      assert.equal(replay.status, 204, 'the untouched request passes');
    });

    it('sends Verity-only events (verification.*) form-encoded and signed the same way', { timeout: 20_000 }, async () => {
      const url = `${receiver.url}/hooks/verifications?x=1`;
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'lifecycle', EventTypes: ['verification.approved'], WebhookUrl: url });
      assert.equal(created.status, 201);
      const to = '+14155550142';
      const verification = await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' });
      const code = await v.lastCode(to);
      await v.client.verify.v2.services(serviceSid).verificationChecks.create({ to, code });
      const delivery = await receiver.waitFor((r) => r.path.startsWith('/hooks/verifications') && r.params.sid === verification.sid, 'verification.approved');
      assert.equal(delivery.middleware, 'next');
      assert.equal(lib().validateRequest(token, String(delivery.headers['x-twilio-signature']), url, delivery.params), true);
      const p = delivery.params;
      assert.equal(p.type, 'verification.approved');
      assert.equal(p.status, 'approved');
      assert.equal(p.to, to);
      assert.equal(p.account_sid, v.accountSid);
      assert.equal(p.valid, 'true');
      assert.deepEqual(JSON.parse(p.sna_attempts_error_codes ?? 'null'), [], 'arrays and objects are JSON text');
      assert.ok(!delivery.raw.includes(code), 'no code');
    });

    it('Version=v1 leaves out challenge_metadata; Format=verity keeps the signed JSON envelope', { timeout: 20_000 }, async () => {
      const v1 = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'legacy', EventTypes: ['challenge.denied'], WebhookUrl: `${receiver.url}/hooks/v1`, Version: 'v1' });
      assert.equal(v1.status, 201, JSON.stringify(v1.body));
      assert.equal(v1.body.version, 'v1');
      const verity = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'envelope', EventTypes: ['challenge.denied'], WebhookUrl: `${receiver.url}/hooks/verity`, Format: 'verity' });
      assert.equal(verity.body.format, 'verity');
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'x', EventTypes: '*', WebhookUrl: `${receiver.url}/x`, Format: 'json' })).body.code, 60200);

      const device = await enrollDevice(v, serviceSid, 'user-0000-0043');
      const challenge = await v.api('POST', `/v2/Services/${serviceSid}/Entities/user-0000-0043/Challenges`, { FactorSid: device.factorSid, 'Details.Message': 'Sign in?', Metadata: JSON.stringify({ os: 'Android' }) });
      assert.equal(challenge.status, 201, JSON.stringify(challenge.body));
      const seen = (await device.pending()).find((c) => c.sid === challenge.body.sid);
      assert.ok(seen, 'the device sees the challenge');
      await device.answer(seen, 'denied');

      const legacy = await receiver.waitFor((r) => r.path === '/hooks/v1', 'v1 delivery');
      assert.equal(legacy.middleware, 'next');
      assert.equal(legacy.params.challenge_status, 'denied');
      assert.equal('challenge_metadata' in legacy.params, false);
      const envelope = await receiver.waitFor((r) => r.path === '/hooks/verity', 'verity delivery');
      assert.match(String(envelope.headers['content-type']), /^application\/json/);
      assert.equal(envelope.headers['x-twilio-signature'], undefined);
      assert.equal(verifyWebhookSignature(verity.body.secret as string, String(envelope.headers['verity-signature']), envelope.raw, { nowSeconds: Date.now() / 1000 }), true);
    });

    it('an account without a sealed token gets Verity\'s format and a warning until its token is rotated', { timeout: 30_000 }, async () => {
      // An account created before migration 0019: the digest only.
      await v.ctx.db.kysely.updateTable('accounts').set({ auth_token_sealed: null }).where('sid', '=', v.accountSid).execute();
      const url = `${receiver.url}/hooks/legacy-account`;
      const hook = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'old account', EventTypes: ['verification.pending'], WebhookUrl: url });
      const send = async (to: string) => (await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' })).sid;

      const first = await send('+14155550143');
      const fallback = await receiver.waitFor((r) => r.path === '/hooks/legacy-account' && r.raw.includes(first), 'the fallback delivery');
      assert.match(String(fallback.headers['content-type']), /^application\/json/);
      assert.equal(verifyWebhookSignature(hook.body.secret as string, String(fallback.headers['verity-signature']), fallback.raw, { nowSeconds: Date.now() / 1000 }), true);
      assert.match(v.logs(), /no sealed auth token/);

      // `verity accounts rotate-token` (the same function) seals the new token: from now on, Twilio's format.
      token = (await rotateAuthToken(v.ctx.stores, v.ctx.keyring, v.accountSid, v.ctx.clock.now())) as string;
      const second = await send('+14155550144');
      const signed = await receiver.waitFor((r) => r.path === '/hooks/legacy-account' && r.params.sid === second, 'the signed delivery');
      assert.equal(signed.middleware, 'next');
      assert.equal(lib().validateRequest(token, String(signed.headers['x-twilio-signature']), url, signed.params), true);
    });

    it('the development account (npm start) gets its token sealed from its saved credentials, without a rotation', async () => {
      const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Development', v.ctx.clock.now());
      await v.ctx.db.kysely.updateTable('accounts').set({ auth_token_sealed: null }).where('sid', '=', account.sid).execute();
      writeFileSync(join(v.ctx.config.dataDir, 'dev-account.json'), JSON.stringify({ account_sid: account.sid, auth_token: authToken }));
      assert.deepEqual(await ensureDevAccount(v.ctx), { account_sid: account.sid, auth_token: authToken }, 'the same credentials');
      const row = await v.ctx.stores.accounts.find(account.sid);
      assert.ok(row, 'the account is there');
      assert.equal(openAuthToken(v.ctx.keyring, row), authToken);
    });

    it('webhooks that existed before migration 0019 are in Verity\'s format', async () => {
      const sid = `YW${'1'.repeat(32)}`;
      // As the row was written by the old code: no format column given.
      await v.ctx.db.kysely
        .insertInto('webhooks')
        .columns(['sid', 'account_sid', 'service_sid', 'friendly_name', 'event_types', 'webhook_url', 'webhook_method', 'status', 'version', 'secret_sealed', 'date_created', 'date_updated'])
        .values({ sid, account_sid: v.accountSid, service_sid: serviceSid, friendly_name: 'old', event_types: '["*"]', webhook_url: 'https://example.com/h', webhook_method: 'POST', status: 'disabled', version: 'v2', secret_sealed: 'x', date_created: 0, date_updated: 0 } as never)
        .execute();
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Webhooks/${sid}`)).body.format, 'verity');
    });
  });
}
