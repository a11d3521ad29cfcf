import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { derivedMessagingServiceSid } from '../../src/config/messaging-config.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';

const GB = '+447400123456';
const DE = '+4915112345678';
const FR = '+33612345678';
const PINNED_SID = `MG${'a'.repeat(32)}`;
/** The one service the operator's `dedicated` route serves (not one these tests create). */
const DEDICATED_SERVICE = `VA${'c'.repeat(32)}`;

/** Verify's MessagingConfigurations over the routes of a messaging configuration file, with the official twilio client. */
for (const database of DATABASES) describe(`MessagingConfigurations API (${database.name})`, () => {
  let v: TestVerity;
  let serviceSid: string;
  let otherServiceSid: string;
  const configs = () => v.client.verify.v2.services(serviceSid).messagingConfigurations;

  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'verity-routes-')), 'messaging.json');
    writeFileSync(file, JSON.stringify({
      routes: [
        { id: 'main', channel: 'sms', targets: [{ instance: 'simulator' }] },
        { id: 'france', channel: 'sms', prefixes: ['+33'], targets: [{ instance: 'console' }], messagingServiceSid: PINNED_SID },
        { id: 'mail', channel: 'email', targets: [{ instance: 'simulator' }] },
        { id: 'dedicated', channel: 'sms', prefixes: ['+49'], services: [DEDICATED_SERVICE], targets: [{ instance: 'console' }] },
      ],
    }));
    v = await startVerity({ manualClock: true, env: { VERITY_MESSAGING_CONFIG: file }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Routed' })).sid;
    otherServiceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Other' })).sid;
  });
  after(async () => v.close());

  const routeOf = (to: string, sid = serviceSid) => v.ctx.messaging.router.plan({ channel: 'sms', to, serviceSid: sid }).routeId;

  it('creates a configuration by the route\'s messagingServiceSid and routes that country\'s SMS through it at once', async () => {
    assert.equal(routeOf(GB), 'main');
    const created = await configs().create({ country: 'GB', messagingServiceSid: PINNED_SID });
    assert.equal(created.country, 'GB');
    assert.equal(created.messagingServiceSid, PINNED_SID);
    assert.equal(created.serviceSid, serviceSid);
    assert.equal(created.accountSid, v.accountSid);
    assert.equal(created.url, `${v.url}/v2/Services/${serviceSid}/MessagingConfigurations/GB`);
    assert.ok(created.dateCreated instanceof Date && !Number.isNaN(created.dateCreated.getTime()), 'date_created parses');
    assert.equal(routeOf(GB), 'france');
    assert.equal(routeOf(DE), 'main', 'other countries keep their route');
    assert.equal(routeOf(GB, otherServiceSid), 'main', 'other services keep their route');
  });

  it('takes the route id as well (a Verity extension), and `all` for every country without its own', async () => {
    const all = await v.api('POST', `/v2/Services/${serviceSid}/MessagingConfigurations`, { Country: 'all', MessagingServiceSid: 'france' });
    assert.equal(all.status, 201);
    assert.equal(all.body.messaging_service_sid, PINNED_SID);
    assert.equal(routeOf(DE), 'france');
  });

  it('fetches, lists, updates and deletes', async () => {
    assert.equal((await configs()('GB').fetch()).messagingServiceSid, PINNED_SID);
    const listed = await configs().list();
    assert.deepEqual(listed.map((c) => c.country).sort(), ['GB', 'all']);
    const updated = await configs()('GB').update({ messagingServiceSid: derivedMessagingServiceSid('main') });
    assert.equal(updated.messagingServiceSid, derivedMessagingServiceSid('main'));
    assert.equal(routeOf(GB), 'main');
    assert.equal(await configs()('all').remove(), true);
    assert.equal(routeOf(DE), 'main');
    assert.equal(routeOf(FR), 'france', 'the file\'s prefix routes still apply');
  });

  it('refuses an unknown or non-SMS route, a bad country and a second configuration for one country (60200), and answers 20404 for none', async () => {
    const invalid = async (country: string, messagingServiceSid: string) => restError(configs().create({ country, messagingServiceSid }));
    const unknown = await invalid('FR', `MG${'b'.repeat(32)}`);
    assert.deepEqual([unknown.code, unknown.status, unknown.message], [60200, 400, 'Invalid parameter: MessagingServiceSid (no sms route of this Verity has it)']);
    assert.equal((await invalid('FR', 'mail')).code, 60200, 'an email route');
    assert.match((await invalid('XX', 'main')).message, /Country/);
    assert.match((await invalid('GB', 'main')).message, /has a messaging configuration for GB/);
    assert.equal((await restError(configs()('DE').fetch())).code, 20404);
    assert.equal((await restError(configs()('DE').update({ messagingServiceSid: 'main' }))).code, 20404);
    assert.equal((await restError(configs()('DE').remove())).code, 20404);
    const missing = await v.api('GET', `/v2/Services/VA${'0'.repeat(32)}/MessagingConfigurations`);
    assert.equal(missing.body.code, 20404);
  });

  it('never lets a service take a route the file limits to other services, by the API or by a stored choice', async () => {
    const refused = await restError(configs().create({ country: 'FR', messagingServiceSid: 'dedicated' }));
    assert.deepEqual([refused.code, refused.status], [60200, 400]);
    const now = v.ctx.clock.now();
    await v.ctx.stores.messagingConfigurations.insert({ service_sid: otherServiceSid, country: 'FR', account_sid: v.accountSid, route_id: 'dedicated', date_created: now, date_updated: now });
    await v.ctx.routing.serviceChoices.refresh();
    assert.equal(routeOf(FR, otherServiceSid), 'france', 'a stored choice of a route for other services is passed over');
    assert.equal(v.ctx.messaging.router.plan({ channel: 'sms', to: DE, serviceSid: DEDICATED_SERVICE }).routeId, 'dedicated', 'the route still serves its own service');
    await v.ctx.stores.messagingConfigurations.delete(otherServiceSid, 'FR');
    await v.ctx.routing.serviceChoices.refresh();
  });

  it('follows a change another node made once its copy is older than 5 s', async () => {
    const now = v.ctx.clock.now();
    await v.ctx.stores.messagingConfigurations.insert({ service_sid: otherServiceSid, country: 'DE', account_sid: v.accountSid, route_id: 'france', date_created: now, date_updated: now });
    assert.equal(routeOf(DE, otherServiceSid), 'main', 'this node has not reloaded yet');
    v.clock?.advance(5001);
    routeOf(DE, otherServiceSid); // a stale copy starts a reload in the background…
    await v.ctx.routing.serviceChoices.refresh(); // …which this joins
    assert.equal(routeOf(DE, otherServiceSid), 'france');
  });

  it('sends a code through the chosen route end to end', async () => {
    await configs().create({ country: 'DE', messagingServiceSid: 'france' });
    await v.client.verify.v2.services(serviceSid).verifications.create({ to: DE, channel: 'sms' });
    assert.deepEqual(await v.inbox(DE), [], 'the console provider, not the simulator, got it');
    await v.client.verify.v2.services(serviceSid).verifications.create({ to: GB, channel: 'sms' });
    assert.equal((await v.inbox(GB)).length, 1);
  });
});
