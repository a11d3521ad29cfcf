import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../crypto/clock.ts';
import { asWireError } from '../http/domain-error-mapping.ts';
import { Metrics } from '../observability/metrics.ts';
import { migrateToLatest, openDatabase } from '../store/database.ts';
import { createStores } from '../store/unit-of-work.ts';
import { SendGate, SendPass, redeemSendPass } from './send-gate.ts';
import type { SendGatePolicy, SendRequest } from './send-policy.ts';

const db = openDatabase('sqlite::memory:');
await migrateToLatest(db);
after(() => db.close());

const POLICY: SendGatePolicy = {
  perDestination: { capacity: 2, refillPerSecond: 2 / 600 },
  prefix: { digits: 7, bucket: { capacity: 3, refillPerSecond: 3 / 600 } },
  perAccount: { capacity: 6, refillPerSecond: 0.01 },
};

let accounts = 0;
function newGate(): { gate: SendGate; request: (to: string, overrides?: Partial<SendRequest>) => SendRequest } {
  const gate = new SendGate({ stores: createStores(db), clock: new ManualClock(), metrics: new Metrics(), policy: POLICY });
  const accountSid = `AC${++accounts}`;
  const request = (to: string, overrides: Partial<SendRequest> = {}): SendRequest => ({
    accountSid,
    serviceSid: 'VA1',
    allowedCountries: null,
    destination: to.includes('@') ? { kind: 'email', address: to } : { kind: 'phone', address: to, country: to.startsWith('+44') ? 'GB' : 'US' },
    channel: to.includes('@') ? 'email' : 'sms',
    feature: 'verification',
    ...overrides,
  });
  return { gate, request };
}

const refusedWith = (code: number) => (error: unknown) => asWireError(error)?.code === code;
const tokens = async (key: string) => (await db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', key).executeTakeFirst())?.tokens;

describe('send gate checks', () => {
  it('refuses a disallowed country first (60605), spending no budget', async () => {
    const { gate, request } = newGate();
    const uk = request('+447400123456', { allowedCountries: ['US'] });
    await assert.rejects(gate.admit(uk), refusedWith(60605));
    assert.equal(await tokens('send:VA1:+447400123456'), undefined);
    assert.throws(() => gate.screen({ ...uk, destination: { kind: 'phone', address: '+447400123456', country: undefined } }), refusedWith(60605), 'a number of unknown country is not in any allow-list');
    // Emails have no country.
    await gate.admit(request('a@example.com', { allowedCountries: ['US'] }));
  });

  it('then the per-destination budget (60203), the prefix cap (60410) and the account budget (64301), each with Retry-After', async () => {
    const { gate, request } = newGate();
    await gate.admit(request('+14155550001'));
    await gate.admit(request('+14155550001', { channel: 'call', feature: 'voiceprint_call' }));
    await assert.rejects(gate.admit(request('+14155550001')), (error) => refusedWith(60203)(error) && asWireError(error)?.retryAfterSeconds === 300);
    await gate.admit(request('+14155550002'));
    await assert.rejects(gate.admit(request('+14155550003')), (error) => refusedWith(60410)(error) && asWireError(error)?.retryAfterSeconds === 200);
    // Emails are never prefix-capped; the account has 6 sends, 3 spent.
    await gate.admit(request('b@example.com'));
    await gate.admit(request('+12125550001', { serviceSid: 'VA2' }));
    await gate.admit(request('+13125550001', { serviceSid: 'VA3' }));
    await assert.rejects(gate.admit(request('+16175550001', { serviceSid: 'VA4' })), (error) => refusedWith(64301)(error) && asWireError(error)?.retryAfterSeconds === 100);
  });

  it('spends nothing when a later check refuses: the destination rolls back, the prefix is given back', async () => {
    const { gate, request } = newGate();
    for (let i = 0; i < 6; i++) await gate.admit(request(`s${i}@example.com`, { serviceSid: 'VA9' }));
    await assert.rejects(gate.admit(request('+15035550001', { serviceSid: 'VA9' })), refusedWith(64301));
    assert.equal(await tokens('send:VA9:+15035550001'), undefined, 'the per-destination take was rolled back');
    assert.equal(await tokens('prefix:VA9:+1503555'), 3, 'the prefix take was given back (the bucket is full)');
  });

  it('answers the per-destination budget first even though the prefix and account are taken before it, and gives them back', async () => {
    const { gate, request } = newGate();
    const to = request('+15035550101', { serviceSid: 'VA13' });
    await gate.admit(to);
    await gate.admit(to);
    await assert.rejects(gate.admit(to), refusedWith(60203));
    assert.equal(await tokens('prefix:VA13:+1503555'), 1, 'two sends took two of the prefix\'s three tokens; the refused one gave its token back');
    assert.equal(await tokens(`send-account:${to.accountSid}`), 4, 'and of the account\'s six');
  });
});

describe('failover passes', () => {
  it('count against the prefix cap and the account budget, not the destination\'s sends', async () => {
    const { gate, request } = newGate();
    const to = request('+14155550301', { serviceSid: 'VA8' });
    await gate.admit(to);
    await gate.admit(to);
    await assert.rejects(gate.admit(to), refusedWith(60203), 'the user\'s two sends are spent');
    const pass = await gate.admitFailover(to);
    redeemSendPass(pass, { to: '+14155550301', medium: 'message' });
    assert.equal(await tokens('send:VA8:+14155550301'), 0, 'the failover took nothing from the destination');
    // Prefix cap 3: two sends and one failover spent it.
    await assert.rejects(gate.admitFailover(to), refusedWith(60410), 'a failover is a message to the range');
    await assert.rejects(gate.admitFailover(request('+14155550301', { serviceSid: 'VA8', allowedCountries: ['GB'] })), refusedWith(60605), 'and to the country');
  });

  it('stop at the account budget', async () => {
    const { gate, request } = newGate();
    for (let i = 0; i < 6; i++) await gate.admit(request(`f${i}@example.com`, { serviceSid: 'VA10' }));
    await assert.rejects(gate.admitFailover(request('f0@example.com', { serviceSid: 'VA10' })), refusedWith(64301));
  });
});

describe('SafeList numbers', () => {
  it('skip the prefix cap (admit and failover) and nothing else; only for the account that listed them', async () => {
    const { gate, request } = newGate();
    const stores = createStores(db);
    const listed = request('+14155550401', { serviceSid: 'VA11' });
    await stores.safeList.add({ sid: 'GN1', account_sid: listed.accountSid, phone_number: '+14155550401', date_created: 0 });
    for (const to of ['+14155550402', '+14155550403', '+14155550404']) await gate.admit(request(to, { serviceSid: 'VA11' }));
    await assert.rejects(gate.admit(request('+14155550405', { serviceSid: 'VA11' })), refusedWith(60410), 'the prefix is spent');
    await gate.admit(listed);
    await gate.admitFailover(listed);
    await gate.admit(listed);
    await assert.rejects(gate.admit(listed), refusedWith(60203), 'the destination\'s own limit still holds');
    await assert.rejects(gate.admit(request('+14155550401', { serviceSid: 'VA11', allowedCountries: ['GB'] })), refusedWith(60605), 'and the country allow-list');
    const other = newGate();
    for (const to of ['+14155550402', '+14155550403', '+14155550404']) await other.gate.admit(other.request(to, { serviceSid: 'VA12' }));
    await assert.rejects(other.gate.admit(other.request('+14155550401', { serviceSid: 'VA12' })), refusedWith(60410), 'another account\'s SafeList does not count');
  });
});

describe('send passes', () => {
  it('are needed, single-use and bound to their destination, medium and service', async () => {
    const { gate, request } = newGate();
    const forged = { accountSid: 'AC', serviceSid: 'VA1', to: '+14155550100', channel: 'sms', feature: 'verification' } as unknown as SendPass;
    assert.throws(() => redeemSendPass(forged, { to: '+14155550100', medium: 'message' }), /needs an unused pass/);
    assert.equal(SendPass.isGenuine(forged), false);

    const pass = await gate.admit(request('+14155550100', { serviceSid: 'VA7' }));
    assert.throws(() => redeemSendPass(pass, { to: '+14155550199', medium: 'message' }), /another destination/);
    assert.throws(() => redeemSendPass(pass, { to: '+14155550100', medium: 'call' }), /another kind of delivery/);
    assert.throws(() => redeemSendPass(pass, { to: '+14155550100', medium: 'message', serviceSid: 'VA1' }), /another service/);
    redeemSendPass(pass, { to: '+14155550100', medium: 'message' });
    assert.throws(() => redeemSendPass(pass, { to: '+14155550100', medium: 'message' }), /needs an unused pass/, 'a pass is spent once');
  });
});

/**
 * Architecture: only the modules below may hand something to a provider or the call engine, and
 * the delivery primitives must redeem a pass. A new feature that sends must go through the gate
 * (take a pass from `ctx.sendGate.admit`) and be added here, in review.
 */
describe('architecture: nothing reaches a provider around the send gate', () => {
  const srcRoot = fileURLToPath(new URL('..', import.meta.url));
  const sources = (function walk(dir: string): Array<{ path: string; code: string }> {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
      // Comments may show calls as examples; only code counts.
      const code = readFileSync(full, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      return [{ path: relative(srcRoot, full).split('\\').join('/'), code }];
    });
  })(srcRoot);
  const callersOf = (pattern: RegExp) => sources.filter((file) => pattern.test(file.code)).map((file) => file.path).sort();

  const RULES: Array<{ what: string; pattern: RegExp; allowed: string[] }> = [
    { what: 'sendWithRetry (SMS, email, WhatsApp)', pattern: /(?<!function )\bsendWithRetry\(/, allowed: ['messaging/delivery-dispatcher.ts'] },
    { what: 'the messaging dispatcher (a verification\'s messages and their failovers)', pattern: /\.dispatcher\.dispatch\(/, allowed: ['verify/start-verification.ts'] },
    { what: 'SendGate.admitFailover (a failover\'s pass)', pattern: /(?<!this)\.admitFailover\(/, allowed: ['messaging/delivery-dispatcher.ts'] },
    { what: 'a delivery provider\'s send()', pattern: /\b(provider|providers(\[[^\]]*\]|\.\w+))\??\.send\(/, allowed: ['providers/send-with-retry.ts'] },
    { what: 'the delivery providers of the context (closed by the server; sends go through the messaging dispatcher)', pattern: /\bctx\.providers\b/, allowed: ['server.ts'] },
    { what: 'VerificationCallEngine.startCall (verification and flash calls)', pattern: /\.startCall\(/, allowed: ['verify/start-verification.ts'] },
    { what: 'FactorCallEngine.startFactorCall (voiceprint calls)', pattern: /\.startFactorCall\(/, allowed: ['factors/voiceprint-factor/voiceprint-calls.ts'] },
    { what: 'a voice provider\'s placeCall()', pattern: /\.placeCall\(/, allowed: ['voice/outbound-call.ts'] },
  ];
  for (const rule of RULES) {
    it(`only ${rule.allowed.join(', ')} call ${rule.what}`, () => {
      assert.deepEqual(callersOf(rule.pattern), rule.allowed);
    });
  }

  it('the delivery primitives redeem a pass before anything leaves', () => {
    const file = (path: string) => sources.find((source) => source.path === path)?.code ?? '';
    const retry = file('providers/send-with-retry.ts');
    assert.ok(retry.indexOf('redeemSendPass(pass') > 0 && retry.indexOf('redeemSendPass(pass') < retry.indexOf('.send('), 'sendWithRetry redeems its pass before provider.send');
    // The one function that asks a voice provider to dial redeems a pass first, and both call
    // engines' placing methods (startCall, startFactorCall) dial through it with their pass.
    const functions = file('voice/outbound-call.ts').split(/\n(?=export (?:async )?function )/);
    const placing = functions.filter((fn) => fn.includes('.placeCall('));
    assert.equal(placing.length, 1, 'placeOutboundCall');
    for (const fn of placing) assert.ok(fn.indexOf('redeemSendPass(pass') >= 0 && fn.indexOf('redeemSendPass(pass') < fn.indexOf('.placeCall('), `${fn.slice(0, 60)} redeems a pass first`);
    const engines = { startCall: 'voice/verification-calls/verification-call-engine.ts', startFactorCall: 'voice/factor-calls/factor-call-engine.ts' };
    for (const [method, path] of Object.entries(engines)) {
      const body = file(path).split(/\n {2}(?=(?:async )?\w+\()/).find((m) => m.startsWith(`async ${method}(pass: SendPass`)) ?? '';
      assert.match(body, /return placeOutboundCall\(deps, provider, pass, /, `${method} dials through placeOutboundCall with its pass`);
    }
  });
});
