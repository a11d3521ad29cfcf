import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_HEALTH, derivedMessagingServiceSid, type HealthSettings, type RouteTargetConfig } from '../../src/config/messaging-config.ts';
import { ManualClock } from '../../src/crypto/clock.ts';
import { MessagingRouter, type RoutableInstance } from '../../src/messaging/routing/messaging-router.ts';
import { implicitRoute, RouteTable, type Route } from '../../src/messaging/routing/route-table.ts';
import { ServiceRouteChoices } from '../../src/messaging/routing/service-route-choices.ts';
import { seededRandom } from '../../src/messaging/routing/weighted-order.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import type { Channel } from '../../src/providers/provider.ts';

const SERVICE = `VA${'1'.repeat(32)}`;
const OTHER_SERVICE = `VA${'2'.repeat(32)}`;
const UK = '+447400123456';
const UK_LANDLINE = '+442071838750';
const FR = '+33612345678';
const US = '+12025550123';

function instance(name: string): RoutableInstance {
  return { name, plugin: name.split('-')[0] ?? name, provider: { name, send: async () => ({ providerMessageId: `${name}-1` }) } };
}

function route(id: string, targets: (string | Partial<RouteTargetConfig> & { instance: string })[], options: { channel?: Channel; prefixes?: string[]; services?: string[] } = {}): Route {
  return {
    id,
    channel: options.channel ?? 'sms',
    prefixes: options.prefixes ?? [],
    services: options.services ?? [],
    messagingServiceSid: derivedMessagingServiceSid(id),
    targets: targets.map((t) => (typeof t === 'string' ? { instance: t, tier: 1, weight: 1 } : { tier: 1, weight: 1, ...t })),
    deliveryTimeoutMs: 20_000,
    implicit: false,
  };
}

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'sim'];
const instances = new Map(NAMES.map((name) => [name, instance(name)]));

function router(routes: Route[], options: { seed?: number; health?: Partial<HealthSettings>; choices?: ServiceRouteChoices; clock?: ManualClock; metrics?: Metrics } = {}) {
  const clock = options.clock ?? new ManualClock();
  return {
    clock,
    router: new MessagingRouter({
      table: new RouteTable(routes),
      instances,
      clock,
      random: seededRandom(options.seed ?? 1),
      health: { ...DEFAULT_HEALTH, ...options.health },
      ...(options.choices ? { serviceChoices: options.choices } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    }),
  };
}

const names = (plan: { targets: { instance: string }[] }) => plan.targets.map((t) => t.instance);

describe('MessagingRouter: which route', () => {
  const table = [
    route('uk', ['a'], { prefixes: ['+44'] }),
    route('uk-mobile', ['b'], { prefixes: ['+447'] }),
    route('vip-uk', ['c'], { prefixes: ['+44'], services: [SERVICE] }),
    route('vip-any', ['d'], { services: [SERVICE] }),
    route('world', ['e']),
    route('mail', ['f'], { channel: 'email' }),
    implicitRoute('call', 'sim'),
  ];
  const { router: r } = router(table);

  it('takes the longest matching E.164 prefix', () => {
    assert.equal(r.plan({ channel: 'sms', to: UK, serviceSid: OTHER_SERVICE }).routeId, 'uk-mobile');
    assert.equal(r.plan({ channel: 'sms', to: UK_LANDLINE, serviceSid: OTHER_SERVICE }).routeId, 'uk');
  });

  it('takes a route limited to the service before any route for every service, and its longest prefix among them', () => {
    assert.equal(r.plan({ channel: 'sms', to: UK, serviceSid: SERVICE }).routeId, 'vip-uk', 'a service route beats the longer +447 of every service');
    assert.equal(r.plan({ channel: 'sms', to: FR, serviceSid: SERVICE }).routeId, 'vip-any');
  });

  it('falls back to the channel default, then to the implicit route, and plans nothing for a channel without any', () => {
    assert.equal(r.plan({ channel: 'sms', to: FR, serviceSid: OTHER_SERVICE }).routeId, 'world');
    assert.equal(r.plan({ channel: 'email', to: 'x@example.com', serviceSid: OTHER_SERVICE }).routeId, 'mail');
    const call = r.plan({ channel: 'call', to: UK, serviceSid: SERVICE });
    assert.deepEqual([call.routeId, names(call), call.deliveryTimeoutMs], ['default:call', ['sim'], undefined]);
    assert.deepEqual(r.plan({ channel: 'whatsapp', to: UK, serviceSid: SERVICE }), { routeId: 'none:whatsapp', targets: [], deliveryTimeoutMs: undefined });
  });

  it('follows a service\'s MessagingConfiguration for the country, then for `all`, and passes over one naming a missing route', async () => {
    const clock = new ManualClock();
    const rows = [
      { service_sid: OTHER_SERVICE, country: 'GB', route_id: 'world' },
      { service_sid: OTHER_SERVICE, country: 'all', route_id: derivedMessagingServiceSid('uk') },
      { service_sid: SERVICE, country: 'FR', route_id: 'gone' },
      { service_sid: SERVICE, country: 'US', route_id: 'mail' },
    ];
    const choices = new ServiceRouteChoices({ load: async () => rows, clock, onError: (error) => assert.fail(String(error)) });
    await choices.refresh();
    const { router: withChoices } = router(table, { clock, choices });
    assert.equal(withChoices.plan({ channel: 'sms', to: UK, serviceSid: OTHER_SERVICE }).routeId, 'world');
    assert.equal(withChoices.plan({ channel: 'sms', to: FR, serviceSid: OTHER_SERVICE }).routeId, 'uk', 'country `all`, named by its MessagingServiceSid');
    assert.equal(withChoices.plan({ channel: 'sms', to: FR, serviceSid: SERVICE }).routeId, 'vip-any', 'a missing route is passed over');
    assert.equal(withChoices.plan({ channel: 'sms', to: US, serviceSid: SERVICE }).routeId, 'vip-any', 'an e-mail route is not an SMS route');
  });

  it('property: the chosen route is the service\'s if any matches, and among the candidates has the longest matching prefix', () => {
    const prefix = fc.stringMatching(/^\+[1-9][0-9]{0,3}$/);
    const spec = fc.record({ prefixes: fc.array(prefix, { maxLength: 3 }), forService: fc.boolean() });
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 6 }), fc.stringMatching(/^\+[1-9][0-9]{6,12}$/), (specs, to) => {
        const routes = specs.map((x, i) => route(`r${i}`, ['a'], { prefixes: x.prefixes, services: x.forService ? [SERVICE] : [] }));
        const chosen = router(routes).router.plan({ channel: 'sms', to, serviceSid: SERVICE }).routeId;
        const matchLength = (r: Route) => (r.prefixes.length === 0 ? 0 : Math.max(-1, ...r.prefixes.filter((p) => to.startsWith(p)).map((p) => p.length)));
        const serviceMatches = routes.filter((r) => r.services.length > 0 && matchLength(r) >= 0);
        const candidates = serviceMatches.length > 0 ? serviceMatches : routes.filter((r) => r.services.length === 0 && matchLength(r) >= 0);
        if (candidates.length === 0) {
          assert.equal(chosen, 'none:sms');
          return;
        }
        const best = Math.max(...candidates.map(matchLength));
        const winner = routes.find((r) => r.id === chosen);
        assert.ok(winner && candidates.includes(winner), `${chosen} is a candidate`);
        assert.equal(matchLength(winner), best);
      }),
      { numRuns: 300 },
    );
  });

  it('counts selections per route (snapshot and verity_route_selections_total)', async () => {
    const metrics = new Metrics();
    const { router: counted } = router(table, { metrics });
    for (let i = 0; i < 3; i++) counted.plan({ channel: 'sms', to: UK, serviceSid: OTHER_SERVICE });
    assert.equal(counted.snapshot().routes.find((x) => x.id === 'uk-mobile')?.selections, 3);
    assert.match(await metrics.registry.metrics(), /verity_route_selections_total\{route="uk-mobile",channel="sms"\} 3/);
  });
});

describe('MessagingRouter: which targets, in which order', () => {
  const request = { channel: 'sms' as const, to: UK, serviceSid: SERVICE };

  it('tries the lowest tier first, weighted within a tier, then the next tiers', () => {
    const { router: r } = router([route('r', [{ instance: 'c', tier: 2 }, { instance: 'a', weight: 3 }, { instance: 'b', weight: 1 }, { instance: 'd', tier: 3 }])], { seed: 7 });
    const firsts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const order = names(r.plan(request));
      assert.deepEqual(order.slice(2), ['c', 'd']);
      firsts.set(order[0] ?? '', (firsts.get(order[0] ?? '') ?? 0) + 1);
    }
    const share = (firsts.get('a') ?? 0) / 4000;
    assert.ok(Math.abs(share - 0.75) < 0.03, `weight 3 of 4 leads ${share} of plans`);
  });

  it('leaves an open target out, and moves up the next tier', () => {
    const { router: r, clock } = router([route('r', ['a', { instance: 'b', tier: 2 }])], { health: { openAfterRejections: 2 } });
    for (let i = 0; i < 2; i++) r.observe({ instance: 'a', channel: 'sms', to: UK, outcome: 'rejected', at: clock.now() });
    assert.deepEqual(names(r.plan(request)), ['b']);
    assert.deepEqual(names(r.plan({ ...request, to: FR })), ['a', 'b'], 'health is per country: France still goes through a');
  });

  it('keeps an open target when it is the only one (or every target is open)', () => {
    const { router: r, clock } = router([route('r', ['a', 'b'])], { health: { openAfterRejections: 1 } });
    r.observe({ instance: 'a', channel: 'sms', to: UK, outcome: 'rejected', at: clock.now() });
    assert.deepEqual(names(r.plan(request)), ['b']);
    r.observe({ instance: 'b', channel: 'sms', to: UK, outcome: 'rejected', at: clock.now() });
    assert.deepEqual(new Set(names(r.plan(request))), new Set(['a', 'b']));
  });

  it('probes a half-open target first once every probeEvery plans, puts it last otherwise, and closes it after delivered probes', async () => {
    const metrics = new Metrics();
    const { router: r, clock } = router([route('r', ['a', 'b'])], { health: { openAfterRejections: 1, cooldownSeconds: 30, probeEvery: 3, closeAfterProbes: 2 }, metrics });
    r.observe({ instance: 'a', channel: 'sms', to: UK, outcome: 'rejected', at: clock.now() });
    assert.match(await metrics.registry.metrics(), /verity_circuit_state\{provider="a",country="GB"\} 2/);
    clock.advance(30_000);
    const orders = [1, 2, 3, 4].map(() => names(r.plan(request)));
    assert.deepEqual(orders, [['a', 'b'], ['b', 'a'], ['b', 'a'], ['a', 'b']]);
    assert.match(await metrics.registry.metrics(), /verity_circuit_state\{provider="a",country="GB"\} 1/);
    r.observe({ instance: 'a', channel: 'sms', to: UK, outcome: 'delivered', at: clock.now() });
    r.observe({ instance: 'a', channel: 'sms', to: UK, outcome: 'delivered', at: clock.now() });
    const breaker = r.snapshot().breakers.find((b) => b.instance === 'a');
    assert.equal(breaker?.state, 'closed');
    assert.match(await metrics.registry.metrics(), /verity_circuit_state\{provider="a",country="GB"\} 0/);
  });

  it('property: a plan holds each known target of its route at most once, every one in rotation, and nothing else', () => {
    const target = fc.record({ instance: fc.constantFrom(...NAMES, 'unknown'), tier: fc.integer({ min: 0, max: 3 }), weight: fc.integer({ min: 0, max: 4 }) });
    const outcome = fc.record({ instance: fc.constantFrom(...NAMES), outcome: fc.constantFrom('delivered', 'undelivered', 'rejected', 'timeout') as fc.Arbitrary<'delivered'>, wait: fc.integer({ min: 0, max: 90_000 }) });
    fc.assert(
      fc.property(fc.array(target, { minLength: 1, maxLength: 8 }), fc.array(outcome, { maxLength: 40 }), fc.integer(), (targets, outcomes, seed) => {
        const { router: r, clock } = router([route('r', targets)], { seed, health: { minSamples: 3, openAfterRejections: 2, cooldownSeconds: 60, probeEvery: 2 } });
        for (const o of outcomes) {
          clock.advance(o.wait);
          r.observe({ instance: o.instance, channel: 'sms', to: UK, outcome: o.outcome, at: clock.now() });
          const plan = names(r.plan(request));
          const known = new Set(targets.map((t) => t.instance).filter((n) => n !== 'unknown'));
          assert.equal(new Set(plan).size, plan.length, `a target twice: ${plan.join(',')}`);
          assert.ok(plan.every((n) => known.has(n)), `a target not in the route: ${plan.join(',')}`);
          const states = new Map(r.snapshot().breakers.filter((b) => b.country === 'GB').map((b) => [b.instance, b.state]));
          const inRotation = [...known].filter((n) => states.get(n) !== 'open');
          if (inRotation.length > 0) assert.deepEqual(new Set(plan), new Set(inRotation));
          else assert.deepEqual(new Set(plan), known);
          // Tiers never go backwards among the targets that are closed.
          const tierOf = (n: string) => Math.min(...targets.filter((t) => t.instance === n).map((t) => t.tier));
          const closed = plan.filter((n) => (states.get(n) ?? 'closed') === 'closed').map(tierOf);
          assert.deepEqual(closed, [...closed].sort((x, y) => x - y));
        }
      }),
      { numRuns: 200 },
    );
  });
});
