import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhookSignature } from '../../src/events/webhook-signature.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/test-helpers.ts';

const YW = /^YW[0-9a-f]{32}$/;

describe('webhooks, end to end with a local receiver', () => {
  let v: TestVerity;
  let receiver: Receiver;
  let serviceSid: string;
  let clientHook: { sid: string; secret: string };
  let rawHook: { sid: string; secret: string };

  before(async () => {
    v = await startVerity();
    receiver = await startReceiver();
    serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Hooks' })).sid;
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  const hooks = () => v.client.verify.v2.services(serviceSid).webhooks;
  const eventsFor = (path: string, type: string, verificationSid: string) => (r: ReceivedRequest) =>
    r.url === path && r.headers['verity-event-type'] === type && (JSON.parse(r.body) as { data: { sid: string } }).data.sid === verificationSid;
  const nowSeconds = () => Date.now() / 1000;

  it('creates webhooks with the twilio client and with the raw API; only the raw answer carries the secret', async () => {
    const created = await hooks().create({ friendlyName: 'client hook', eventTypes: ['verification.approved', 'verification.pending'], webhookUrl: `${receiver.url}/client` });
    assert.match(created.sid, YW);
    assert.equal(created.serviceSid, serviceSid);
    assert.equal(created.accountSid, v.accountSid);
    assert.equal(created.friendlyName, 'client hook');
    assert.deepEqual(created.eventTypes, ['verification.approved', 'verification.pending']);
    assert.equal(created.webhookUrl, `${receiver.url}/client`);
    assert.equal(created.status, 'enabled');
    assert.equal(created.webhookMethod, 'POST');
    assert.equal(created.version, 'v2');
    assert.equal(created.url, `${v.url}/v2/Services/${serviceSid}/Webhooks/${created.sid}`);
    // The client keeps only the fields it knows: `secret` is not on the instance nor in toJSON().
    assert.equal('secret' in (created.toJSON() as object), false);
    assert.equal((created as unknown as Record<string, unknown>).secret, undefined);
    // The HTTP answer did carry it (read from the client's last response).
    const last = (v.client as any).httpClient.lastResponse as { statusCode: number; body: unknown };
    assert.equal(last.statusCode, 201);
    const lastBody = (typeof last.body === 'string' ? JSON.parse(last.body) : last.body) as { sid: string; secret: string };
    assert.equal(lastBody.sid, created.sid);
    assert.equal(typeof lastBody.secret, 'string');
    assert.ok(lastBody.secret.length >= 32, 'a long random secret');
    clientHook = { sid: created.sid, secret: lastBody.secret };
    // This suite checks Verity's JSON envelope: the client cannot send the Format extension, so the
    // webhook is switched by an update (Twilio's form format, the default, is twilio-webhooks.test.ts's).
    assert.equal((lastBody as { format?: string }).format, 'twilio', 'Twilio format by default');
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Webhooks/${created.sid}`, { Format: 'verity' })).body.format, 'verity');

    const raw = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, {
      FriendlyName: 'raw hook',
      EventTypes: ['verification.approved', 'verification.pending'],
      WebhookUrl: `${receiver.url}/raw`,
      Format: 'verity',
    });
    assert.equal(raw.status, 201, JSON.stringify(raw.body));
    assert.match(raw.body.sid, YW);
    assert.deepEqual(raw.body.event_types, ['verification.approved', 'verification.pending']);
    assert.equal(typeof raw.body.secret, 'string');
    assert.notEqual(raw.body.secret, clientHook.secret);
    rawHook = { sid: raw.body.sid, secret: raw.body.secret };

    // The secret is shown once: fetch and list never return it.
    const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Webhooks/${rawHook.sid}`);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.body.secret, undefined);
    assert.ok(!JSON.stringify((await v.api('GET', `/v2/Services/${serviceSid}/Webhooks`)).body).includes(rawHook.secret), 'the webhook list never shows the secret');
  });

  it('delivers signed verification.pending then verification.approved, without the code', { timeout: 20_000 }, async () => {
    const to = '+14155550170';
    const verification = await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' });
    const code = await v.lastCode(to);

    const pending = await receiver.waitFor(eventsFor('/raw', 'verification.pending', verification.sid));
    const approvedBefore = receiver.requests.find(eventsFor('/raw', 'verification.approved', verification.sid));
    assert.equal(approvedBefore, undefined, 'nothing approved yet');

    const checked = await v.client.verify.v2.services(serviceSid).verificationChecks.create({ to, code });
    assert.equal(checked.status, 'approved');
    const approved = await receiver.waitFor(eventsFor('/raw', 'verification.approved', verification.sid));
    assert.ok(receiver.requests.indexOf(pending) < receiver.requests.indexOf(approved), 'pending arrives before approved');

    for (const [delivery, status] of [[pending, 'pending'], [approved, 'approved']] as const) {
      assert.equal(delivery.method, 'POST');
      assert.match(String(delivery.headers['content-type']), /^application\/json/);
      const body = JSON.parse(delivery.body) as Record<string, any>;
      assert.equal(body.type, `verification.${status}`);
      assert.match(body.id, /^EV[0-9a-f]{32}$/);
      assert.equal(delivery.headers['verity-event-id'], body.id);
      assert.equal(body.account_sid, v.accountSid);
      assert.equal(body.service_sid, serviceSid);
      assert.ok(!Number.isNaN(Date.parse(body.created)), 'expected !Number.isNaN(Date.parse(body.created))');
      assert.equal(body.data.sid, verification.sid);
      assert.equal(body.data.to, '+14155550170');
      assert.equal(body.data.channel, 'sms');
      assert.equal(body.data.status, status);
      assert.equal(body.data.valid, status === 'approved');
      // No code anywhere in the delivery.
      assert.equal('code' in body.data, false);
      assert.ok(!delivery.body.includes(code), 'the code is in the webhook body');

      const signature = delivery.headers['verity-signature'] as string;
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.equal(verifyWebhookSignature(rawHook.secret, signature, delivery.body, { nowSeconds: nowSeconds() }), true);
      assert.equal(verifyWebhookSignature('wrong-secret', signature, delivery.body, { nowSeconds: nowSeconds() }), false);
      assert.equal(verifyWebhookSignature(clientHook.secret, signature, delivery.body, { nowSeconds: nowSeconds() }), false, "another webhook's secret");
      assert.equal(verifyWebhookSignature(rawHook.secret, signature, delivery.body.replace('"sms"', '"call"'), { nowSeconds: nowSeconds() }), false, 'tampered body');
      assert.equal(verifyWebhookSignature(rawHook.secret, signature, delivery.body, { nowSeconds: nowSeconds() + 3600 }), false, 'replayed an hour later');
    }

    // The client-created webhook got the same events, signed with its own secret.
    for (const type of ['verification.pending', 'verification.approved']) {
      const delivery = await receiver.waitFor(eventsFor('/client', type, verification.sid));
      assert.equal(verifyWebhookSignature(clientHook.secret, delivery.headers['verity-signature'] as string, delivery.body, { nowSeconds: nowSeconds() }), true);
    }
  });

  it('does not deliver event types the webhook did not subscribe to', { timeout: 20_000 }, async () => {
    const to = '+14155550171';
    const verification = await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' });
    await v.client.verify.v2.services(serviceSid).verifications(verification.sid).update({ status: 'canceled' });
    await receiver.waitFor(eventsFor('/raw', 'verification.pending', verification.sid));
    const canceledEvents = await v.ctx.db.kysely.selectFrom('events').select('sid').where('resource_sid', '=', verification.sid).where('type', '=', 'verification.canceled').execute();
    assert.equal(canceledEvents.length, 1, 'the event itself was recorded');
    const deliveries = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('sid').where('event_sid', '=', canceledEvents[0]!.sid).execute();
    assert.equal(deliveries.length, 0, 'but no webhook subscribed to it');
    assert.equal(receiver.requests.some((r) => r.headers['verity-event-type'] === 'verification.canceled'), false);
  });

  it('lists, fetches, updates (disables) and deletes through the twilio client; a disabled webhook gets nothing', { timeout: 20_000 }, async () => {
    const listed = await hooks().list();
    assert.deepEqual(listed.map((h) => h.sid).sort(), [clientHook.sid, rawHook.sid].sort());
    const paged = await hooks().list({ pageSize: 1 });
    assert.equal(paged.length, 2, 'the client follows next_page_url');

    const fetched = await hooks()(clientHook.sid).fetch();
    assert.equal(fetched.friendlyName, 'client hook');
    assert.deepEqual(fetched.eventTypes, ['verification.approved', 'verification.pending']);
    assert.equal(fetched.status, 'enabled');

    const disabled = await hooks()(clientHook.sid).update({ status: 'disabled', friendlyName: 'client hook (off)' });
    assert.equal(disabled.status, 'disabled');
    assert.equal(disabled.friendlyName, 'client hook (off)');
    assert.deepEqual(disabled.eventTypes, ['verification.approved', 'verification.pending'], 'untouched fields keep their values');
    assert.equal((await hooks()(clientHook.sid).fetch()).status, 'disabled');

    const before = receiver.requests.filter((r) => r.url === '/client').length;
    const to = '+14155550172';
    const verification = await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' });
    await v.client.verify.v2.services(serviceSid).verificationChecks.create({ to, code: await v.lastCode(to) });
    // The enabled webhook receives both events; by then the disabled one would have had its share.
    await receiver.waitFor(eventsFor('/raw', 'verification.approved', verification.sid));
    await receiver.waitFor(eventsFor('/raw', 'verification.pending', verification.sid));
    assert.equal(receiver.requests.filter((r) => r.url === '/client').length, before, 'the disabled webhook received a delivery');
    const queued = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('sid').where('webhook_sid', '=', clientHook.sid).where('status', '=', 'pending').execute();
    assert.equal(queued.length, 0, 'nothing is queued for the disabled webhook either');

    // Re-enable through an update of EventTypes + Status and it receives again.
    const enabled = await hooks()(clientHook.sid).update({ status: 'enabled', eventTypes: ['verification.pending'] });
    assert.equal(enabled.status, 'enabled');
    assert.deepEqual(enabled.eventTypes, ['verification.pending']);
    const to2 = '+14155550173';
    const second = await v.client.verify.v2.services(serviceSid).verifications.create({ to: to2, channel: 'sms' });
    await receiver.waitFor(eventsFor('/client', 'verification.pending', second.sid));

    assert.equal(await hooks()(clientHook.sid).remove(), true);
    await assert.rejects(hooks()(clientHook.sid).fetch(), (e: any) => e.status === 404 && e.code === 20404);
    await assert.rejects(hooks()(clientHook.sid).remove(), (e: any) => e.status === 404 && e.code === 20404);
    assert.deepEqual((await hooks().list()).map((h) => h.sid), [rawHook.sid]);
  });

  it('refuses bad webhook parameters with 60200', async () => {
    const create = (form: Record<string, string | string[]>) => v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'bad', EventTypes: '*', WebhookUrl: `${receiver.url}/x`, ...form });
    for (const [form, param] of [
      [{ EventTypes: 'verification.nope' }, 'EventTypes'],
      [{ WebhookUrl: 'ftp://example.com/hook' }, 'WebhookUrl'],
      [{ WebhookUrl: 'not a url' }, 'WebhookUrl'],
      [{ WebhookUrl: 'http://user:pass@example.com/hook' }, 'WebhookUrl'],
      [{ Status: 'paused' }, 'Status'],
    ] as const) {
      const r = await create(form);
      assert.equal(r.status, 400, JSON.stringify(form));
      assert.equal(r.body.code, 60200);
      assert.match(r.body.message, new RegExp(param));
    }
    const missing = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'bad', WebhookUrl: `${receiver.url}/x` });
    assert.equal(missing.body.code, 60200);
    assert.match(missing.body.message, /EventTypes/);
  });
});
