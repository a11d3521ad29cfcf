import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryRulesError, matchRule, parseDeliveryRules, parseLatency, planDelivery, seededRandom } from './delivery-rules.ts';

test('parses every outcome, latencies, percentages and instance-only rules', () => {
  const rules = parseDeliveryRules('+4477=undelivered:30006 40%,deliver; +1555=blackhole; sim-b:*=deliver@8000; +33=failed; +49=reject; +48=reject-permanent@100-200; x@=undelivered');
  assert.deepEqual(
    rules.map((r) => [r.instance, r.prefix, r.choices]),
    [
      [undefined, '+4477', [{ outcome: { kind: 'undelivered', errorCode: '30006' }, percent: 40 }, { outcome: { kind: 'deliver' } }]],
      [undefined, '+1555', [{ outcome: { kind: 'blackhole' } }]],
      ['sim-b', '', [{ outcome: { kind: 'deliver' }, latency: [8000, 8000] }]],
      [undefined, '+33', [{ outcome: { kind: 'failed', errorCode: '30008' } }]],
      [undefined, '+49', [{ outcome: { kind: 'reject', retryable: true } }]],
      [undefined, '+48', [{ outcome: { kind: 'reject', retryable: false }, latency: [100, 200] }]],
      [undefined, 'x@', [{ outcome: { kind: 'undelivered', errorCode: '30003' } }]],
    ],
  );
  assert.deepEqual(parseDeliveryRules(''), []);
  assert.deepEqual(parseDeliveryRules(' ; '), []);
  // All choices with a share that leave some over: the rest is delivered.
  assert.deepEqual(parseDeliveryRules('*=blackhole 25%')[0]?.choices.at(-1), { outcome: { kind: 'deliver' }, percent: 75 });
});

test('refuses malformed rules with a message naming the rule', () => {
  for (const [text, problem] of [
    ['+44', /expected match=outcome/],
    ['=deliver', /prefix or \*/],
    ['+44=bounce', /unknown outcome "bounce"/],
    ['+44=deliver:30003', /takes no error code/],
    ['+44=undelivered:a:b', /bad error code/],
    ['+44=undelivered 60%,blackhole 50%', /add up to 110/],
    ['+44=deliver@soon', /latency "soon"/],
    ['+44=deliver@900-100', /ends before it starts/],
    ['+44=deliver@9999999', /expected milliseconds/],
    ['bad name:+44=deliver', /bad instance name/],
  ] as const) {
    assert.throws(() => parseDeliveryRules(text), (error: unknown) => error instanceof DeliveryRulesError && problem.test(error.message), text);
  }
  assert.deepEqual(parseLatency('2000'), [2000, 2000]);
  assert.deepEqual(parseLatency(' 400 - 1500 '), [400, 1500]);
});

test('the longest prefix wins, and a rule for the instance beats one for every instance', () => {
  const rules = parseDeliveryRules('*=deliver; +44=blackhole; +4477=failed; sim-b:+44=undelivered; sim-b:+4477=reject');
  assert.equal(matchRule(rules, 'sim-a', '+15550001111')?.text, '*=deliver');
  assert.equal(matchRule(rules, 'sim-a', '+441234')?.text, '+44=blackhole');
  assert.equal(matchRule(rules, 'sim-a', '+447700900123')?.text, '+4477=failed');
  assert.equal(matchRule(rules, 'sim-b', '+441234')?.text, 'sim-b:+44=undelivered');
  assert.equal(matchRule(rules, 'sim-b', '+447700900123')?.text, 'sim-b:+4477=reject');
  assert.equal(matchRule(parseDeliveryRules('+44=deliver'), 'sim-a', '+33123'), undefined);
});

test('shares follow the percentages, deterministically for a seed', () => {
  const rules = parseDeliveryRules('+44=undelivered:30006 40%,blackhole 10%,deliver');
  const run = (seed: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: 2000 }, () => planDelivery(rules, { instance: 'simulator', to: '+447700900123', latency: [400, 1500], random }));
  };
  const plans = run(7);
  const share = (kind: string) => plans.filter((p) => p.outcome.kind === kind).length / plans.length;
  assert.ok(Math.abs(share('undelivered') - 0.4) < 0.04, `undelivered ${share('undelivered')}`);
  assert.ok(Math.abs(share('blackhole') - 0.1) < 0.03, `blackhole ${share('blackhole')}`);
  assert.ok(Math.abs(share('deliver') - 0.5) < 0.04, `deliver ${share('deliver')}`);
  assert.ok(plans.every((p) => p.latencyMs >= 400 && p.latencyMs <= 1500 && p.rule === '+44=undelivered:30006 40%,blackhole 10%,deliver'), 'latency within the default range');
  assert.deepEqual(run(7), plans);
  assert.notDeepEqual(run(8), plans);
  // No rule: delivered, with the default latency.
  const plain = planDelivery([], { instance: 'simulator', to: '+15550001111', latency: [1000, 1000], random: seededRandom(1) });
  assert.deepEqual(plain, { outcome: { kind: 'deliver' }, latencyMs: 1000 });
});
