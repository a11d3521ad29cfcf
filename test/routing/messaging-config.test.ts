import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { messagingConfigJsonSchema } from '../../scripts/generate-docs.ts';
import { derivedMessagingServiceSid } from '../../src/config/messaging-config.ts';
import { ManualClock } from '../../src/crypto/clock.ts';
import { createMessagingRouting } from '../../src/messaging/routing/messaging-routing.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { createProviders } from '../../src/providers/create-providers.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/store/database.ts';
import { createStores } from '../../src/store/unit-of-work.ts';
import { configProblems } from '../support/config-problems.ts';
import { startVerity } from '../support/start-verity.ts';
import { startFakeTwilio, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, type FakeTwilio } from '../providers/fake-twilio.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-messaging-'));
let files = 0;
function configFile(content: unknown): string {
  const file = join(dir, `messaging-${files++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const BASE_ENV = { NODE_ENV: 'test', VERITY_SMS_PROVIDER: 'simulator', VERITY_VOICE_PROVIDER: 'simulator', VERITY_EMAIL_PROVIDER: 'simulator' };
const messagingProblems = (content: unknown, env: NodeJS.ProcessEnv = {}) => configProblems({ ...BASE_ENV, ...env, VERITY_MESSAGING_CONFIG: configFile(content) });

describe('VERITY_MESSAGING_CONFIG', () => {
  it('is optional: without it there is no messaging configuration', () => {
    assert.equal(loadVerityConfig(BASE_ENV).messaging, undefined);
  });

  it('reads instances, routes and health, with defaults, settings from the file or the environment', () => {
    const config = loadVerityConfig({
      ...BASE_ENV,
      TW_EU_TOKEN: 'eu-auth-token-0123456789',
      VERITY_MESSAGING_CONFIG: configFile({
        instances: {
          'tw-eu': { plugin: 'twilio', settings: { VERITY_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID, VERITY_TWILIO_AUTH_TOKEN: { env: 'TW_EU_TOKEN' } }, from: 'Verity' },
        },
        routes: [
          { id: 'eu', channel: 'sms', prefixes: ['+44', '+33'], targets: [{ instance: 'tw-eu' }, { instance: 'simulator', tier: 2 }], deliveryTimeoutSeconds: 15 },
          { id: 'rest', channel: 'sms', targets: [{ instance: 'simulator' }] },
        ],
        health: { openBelowRate: 0.5 },
      }),
    });
    const messaging = config.messaging;
    assert.ok(messaging, 'loaded');
    const eu = messaging.instances.find((i) => i.name === 'tw-eu');
    assert.equal(eu?.settings.VERITY_TWILIO_AUTH_TOKEN, 'eu-auth-token-0123456789');
    assert.equal(eu?.settings.VERITY_TWILIO_API_BASE, 'https://api.twilio.com', 'an unset row takes its default');
    assert.equal(eu?.from, 'Verity');
    assert.deepEqual(messaging.instances.find((i) => i.name === 'simulator')?.declared, false, 'a plug-in named by a target is an instance with the environment\'s settings');
    assert.deepEqual(messaging.routes[0], {
      id: 'eu', channel: 'sms', prefixes: ['+44', '+33'], services: [], messagingServiceSid: derivedMessagingServiceSid('eu'),
      targets: [{ instance: 'tw-eu', tier: 1, weight: 1 }, { instance: 'simulator', tier: 2, weight: 1 }], deliveryTimeoutMs: 15_000,
    });
    assert.equal(messaging.routes[1]?.deliveryTimeoutMs, 20_000);
    assert.equal(messaging.health.openBelowRate, 0.5);
    assert.equal(messaging.health.minSamples, 20);
  });

  it('reports every problem of the file with every other configuration problem, by its path', () => {
    const problems = messagingProblems(
      {
        instances: {
          'tw-eu': { plugin: 'twilio', settings: { VERITY_TWILIO_ACCOUNT_SID: 'nope', VERITY_TWILIO_AUTH_TOKEN: { env: 'MISSING_TOKEN' }, VERITY_SMPP_URL: 'smpp://x' } },
          twilio: { plugin: 'simulator' },
          Bad_Name: { plugin: 'twilio' },
          ghost: { plugin: 'carrier-pigeon' },
        },
        routes: [
          { id: 'a', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'tw-eu' }, { instance: 'tw-eu' }, { instance: 'nobody' }] },
          { id: 'a', channel: 'fax', targets: [{ instance: 'tw-eu' }] },
          { id: 'b', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'smtp' }] },
        ],
      },
      { VERITY_PORT: 'not a port' },
    );
    // The file's schema errors come first (the name pattern): fix those, then the rest are checked.
    assert.deepEqual(problems, ['VERITY_PORT: Invalid input: expected number, received NaN', 'VERITY_MESSAGING_CONFIG: instances.Bad_Name: lower-case letters, digits and `-` (at most 40)']);
    const fixed = messagingProblems({
      instances: {
        'tw-eu': { plugin: 'twilio', settings: { VERITY_TWILIO_ACCOUNT_SID: 'nope', VERITY_TWILIO_AUTH_TOKEN: { env: 'MISSING_TOKEN' }, VERITY_SMPP_URL: 'smpp://x' } },
        twilio: { plugin: 'simulator' },
        ghost: { plugin: 'carrier-pigeon' },
      },
      routes: [
        { id: 'a', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'tw-eu' }, { instance: 'tw-eu' }, { instance: 'nobody' }] },
        { id: 'a', channel: 'fax', targets: [{ instance: 'tw-eu' }] },
        { id: 'b', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'smtp' }] },
      ],
    });
    const expected = [
      /routes\[0\]\.targets\[1\]\.instance: tw-eu appears twice in route a/,
      /routes\[0\]\.targets\[2\]\.instance: nobody is neither an instance nor a provider plug-in/,
      /routes\[1\]\.channel: fax is not a channel of any provider/,
      /routes\[2\]\.targets\[0\]\.instance: smtp \(smtp\) does not deliver the sms channel/,
      /routes: the id a is used twice/,
      /routes: a and b both serve sms to \+44 for every service/,
      /instances\.tw-eu\.settings\.VERITY_SMPP_URL: not a setting of the twilio provider/,
      /instances\.tw-eu\.settings\.VERITY_TWILIO_AUTH_TOKEN: the environment variable MISSING_TOKEN is not set/,
      /instances\.tw-eu\.settings\.VERITY_TWILIO_ACCOUNT_SID: must be AC followed by 32 hex characters/,
      /instances\.twilio: the name of another plug-in/,
      /instances\.ghost\.plugin: no provider plug-in is named carrier-pigeon/,
    ];
    for (const pattern of expected) assert.ok(fixed.some((p) => p.startsWith('VERITY_MESSAGING_CONFIG: ') && pattern.test(p)), `${pattern} in:\n${fixed.join('\n')}`);
    assert.equal(fixed.length, expected.length, fixed.join('\n'));
  });

  it('reports a missing required setting by the channels the instance serves, and a development-only plug-in in production', () => {
    const problems = messagingProblems({ instances: { 'tw-eu': { plugin: 'twilio' } }, routes: [{ id: 'r', channel: 'sms', targets: [{ instance: 'tw-eu' }] }] });
    assert.deepEqual(problems, [
      'VERITY_MESSAGING_CONFIG: instances.tw-eu.settings.VERITY_TWILIO_ACCOUNT_SID: required by the twilio provider',
      'VERITY_MESSAGING_CONFIG: instances.tw-eu.settings.VERITY_TWILIO_AUTH_TOKEN: required by the twilio provider',
    ]);
    const production = configProblems({
      NODE_ENV: 'production', VERITY_MASTER_KEY: 'a'.repeat(64), VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none',
      VERITY_MESSAGING_CONFIG: configFile({ instances: { sim: { plugin: 'simulator' } }, routes: [{ id: 'r', channel: 'sms', targets: [{ instance: 'sim' }, { instance: 'console' }] }] }),
    });
    assert.deepEqual(production.filter((p) => /development only/.test(p)).length, 2, production.join('\n'));
  });

  it('reports a file that cannot be read or is not JSON', () => {
    assert.match(messagingProblems('{ not json').join('\n'), /VERITY_MESSAGING_CONFIG: cannot read .* as JSON/);
    assert.match(configProblems({ ...BASE_ENV, VERITY_MESSAGING_CONFIG: join(dir, 'missing.json') }).join('\n'), /VERITY_MESSAGING_CONFIG: cannot read .*missing\.json/);
  });

  it('loads docs/messaging.example.json (the example of docs/providers.md) with its secrets in the environment', () => {
    const config = loadVerityConfig({
      ...BASE_ENV,
      VERITY_MESSAGING_CONFIG: fileURLToPath(new URL('../../docs/messaging.example.json', import.meta.url)),
      SMPP_EU_PASSWORD: 'secret1', SMPP_BACKUP_PASSWORD: 'secret2', TELNYX_API_KEY: 'KEY0123456789abcdef', TELNYX_PUBLIC_KEY: Buffer.alloc(32, 1).toString('base64'), TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN,
    });
    assert.deepEqual(config.messaging?.routes.map((r) => r.id), ['europe', 'north-america', 'bank-uk', 'world']);
    assert.equal(config.messaging?.instances.find((i) => i.name === 'smpp-eu')?.settings.VERITY_SMPP_PASSWORD, 'secret1');
  });

  it('docs/messaging-config.schema.json is the file\'s schema (run `npm run docs` after changing src/config/messaging-config.ts)', () => {
    assert.equal(readFileSync(new URL('../../docs/messaging-config.schema.json', import.meta.url), 'utf8'), messagingConfigJsonSchema());
  });
});

describe('provider instances', () => {
  let db: Db;
  let eu: FakeTwilio;
  let us: FakeTwilio;
  before(async () => {
    db = openDatabase('sqlite::memory:');
    await migrateToLatest(db);
    [eu, us] = await Promise.all([startFakeTwilio(), startFakeTwilio()]);
  });
  after(async () => {
    await Promise.all([eu.close(), us.close(), db.close()]);
  });

  it('builds two instances of one plug-in side by side, each with its own settings, sender and name', async () => {
    const twilio = (fake: FakeTwilio) => ({ plugin: 'twilio', settings: { VERITY_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID, VERITY_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN, VERITY_TWILIO_API_BASE: fake.apiBase } });
    const config = loadVerityConfig({
      ...BASE_ENV,
      VERITY_PUBLIC_URL: 'https://verity.example.com',
      VERITY_MESSAGING_CONFIG: configFile({
        instances: { 'tw-eu': { ...twilio(eu), from: 'VerityEU' }, 'tw-us': { ...twilio(us), from: '+15005550006' } },
        routes: [{ id: 'all', channel: 'sms', targets: [{ instance: 'tw-eu' }, { instance: 'tw-us', tier: 2 }] }],
      }),
    });
    const clock = new ManualClock();
    const names: string[] = [];
    const built = createProviders(config, {
      config, stores: createStores(db), clock, logger: pino({ level: 'silent' }), events: () => assert.fail('no calls'), instance: 'unused',
      deliveryStatus: { report: async () => 'unknown' },
    });
    names.push(...built.instances.keys());
    assert.deepEqual(names.sort(), ['simulator', 'tw-eu', 'tw-us']);
    const routing = createMessagingRouting({ config, providers: built.providers, instances: built.instances, stores: createStores(db), clock, metrics: new Metrics(), onError: (error) => assert.fail(String(error)) });
    const plan = routing.router.plan({ channel: 'sms', to: '+447400123456', serviceSid: `VA${'1'.repeat(32)}` });
    assert.deepEqual(plan.targets.map((t) => t.instance), ['tw-eu', 'tw-us']);
    for (const [i, target] of plan.targets.entries()) {
      await target.provider.send({ channel: 'sms', to: '+447400123456', body: `code ${i}`, locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `attempt-${i}` });
    }
    assert.deepEqual(eu.received.map((r) => [r.form.get('From'), r.form.get('Body')]), [['VerityEU', 'code 0']]);
    assert.deepEqual(us.received.map((r) => [r.form.get('From'), r.form.get('Body')]), [['+15005550006', 'code 1']]);
    // Each instance's receipts come back to its own webhook path.
    assert.deepEqual([eu, us].map((fake) => fake.received[0]?.form.get('StatusCallback')), ['https://verity.example.com/messaging/tw-eu/status', 'https://verity.example.com/messaging/tw-us/status']);
    const snapshot = routing.snapshot();
    assert.deepEqual(snapshot.routes.filter((r) => r.channel !== 'whatsapp').map((r) => [r.id, r.implicit]), [['all', false], ['default:call', true], ['default:email', true]], 'sms has a configured default route: no implicit one');
  });

  it('mounts each instance\'s receipt webhook under its own name in one server', async () => {
    const file = configFile({
      instances: Object.fromEntries(['tw-eu', 'tw-us'].map((name) => [name, { plugin: 'twilio', settings: { VERITY_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID, VERITY_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN, VERITY_TWILIO_API_BASE: eu.apiBase } }])),
      routes: [{ id: 'all', channel: 'sms', targets: [{ instance: 'tw-eu' }, { instance: 'tw-us' }] }],
    });
    const v = await startVerity({ env: { VERITY_MESSAGING_CONFIG: file } });
    try {
      const post = (instance: string) => fetch(`${v.url}/messaging/${instance}/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MessageSid=SM1&MessageStatus=delivered' });
      for (const instance of ['tw-eu', 'tw-us']) {
        const status = (await post(instance)).status;
        assert.ok(status === 401 || status === 403, `${instance}: an unsigned receipt is refused (${status}), so the route exists`);
      }
      assert.equal((await post('tw-xx')).status, 404);
    } finally {
      await v.close();
    }
  });
});
