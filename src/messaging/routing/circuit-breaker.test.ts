import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HEALTH, type HealthSettings } from '../../config/messaging-config.ts';
import { ManualClock } from '../../crypto/clock.ts';
import type { AttemptOutcome } from '../route-plan.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

const settings: HealthSettings = { ...DEFAULT_HEALTH, windowSize: 10, windowSeconds: 600, minSamples: 5, openBelowRate: 0.6, openAfterRejections: 3, cooldownSeconds: 60, probeEvery: 4, closeAfterProbes: 2 };

function feed(breaker: CircuitBreaker, clock: ManualClock, outcomes: AttemptOutcome[]): void {
  for (const outcome of outcomes) {
    clock.advance(1000);
    breaker.record(outcome, clock.now());
  }
}

describe('CircuitBreaker', () => {
  it('stays closed while the delivery rate holds, and below minSamples whatever the rate', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(settings, clock.now());
    feed(breaker, clock, ['undelivered', 'timeout', 'undelivered', 'undelivered']);
    assert.equal(breaker.stateAt(clock.now()), 'closed', 'four failures are below minSamples (5)');
    const fresh = new CircuitBreaker(settings, clock.now());
    feed(fresh, clock, ['delivered', 'delivered', 'undelivered', 'delivered', 'undelivered', 'delivered']);
    assert.equal(fresh.stateAt(clock.now()), 'closed', '4/6 = 0.67 is not below 0.6');
  });

  it('opens when the rate over at least minSamples falls below the threshold, and says why', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(settings, clock.now());
    feed(breaker, clock, ['delivered', 'delivered', 'undelivered', 'timeout', 'undelivered']);
    const view = breaker.view(clock.now());
    assert.equal(view.state, 'open');
    assert.match(view.reason, /delivery rate 0\.40 < 0\.6 over 5 outcomes/);
    assert.equal(view.halfOpenAt, clock.now() + 60_000);
  });

  it('opens after openAfterRejections consecutive rejections, and any other outcome resets the run', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ ...settings, minSamples: 1000 }, clock.now());
    feed(breaker, clock, ['rejected', 'rejected', 'delivered', 'rejected', 'rejected']);
    assert.equal(breaker.stateAt(clock.now()), 'closed', 'the delivered outcome broke the run');
    feed(breaker, clock, ['rejected']);
    assert.equal(breaker.stateAt(clock.now()), 'open');
    assert.match(breaker.view(clock.now()).reason, /3 sends rejected in a row/);
  });

  it('forgets outcomes older than windowSeconds and beyond windowSize', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(settings, clock.now());
    feed(breaker, clock, ['undelivered', 'undelivered', 'undelivered', 'undelivered']);
    clock.advance(600_000);
    feed(breaker, clock, ['delivered']);
    assert.deepEqual(breaker.view(clock.now()).window, { samples: 1, delivered: 1, deliveryRate: 1 });
    feed(breaker, clock, Array<AttemptOutcome>(12).fill('delivered'));
    assert.equal(breaker.view(clock.now()).window.samples, 10);
  });

  it('goes half-open after the cool-down, probes one send in probeEvery, and closes after closeAfterProbes delivered probes', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(settings, clock.now());
    feed(breaker, clock, ['rejected', 'rejected', 'rejected']);
    clock.advance(59_999);
    assert.equal(breaker.stateAt(clock.now()), 'open');
    assert.equal(breaker.takeProbe(clock.now()), false, 'no probe while open');
    clock.advance(1);
    assert.equal(breaker.stateAt(clock.now()), 'half-open');
    assert.deepEqual([1, 2, 3, 4, 5].map(() => breaker.takeProbe(clock.now())), [true, false, false, false, true]);
    feed(breaker, clock, ['delivered']);
    assert.equal(breaker.stateAt(clock.now()), 'half-open');
    assert.deepEqual(breaker.view(clock.now()).probes, { delivered: 1, needed: 2 });
    feed(breaker, clock, ['delivered']);
    const view = breaker.view(clock.now());
    assert.equal(view.state, 'closed');
    assert.equal(view.window.samples, 0, 'closing starts a fresh window');
  });

  it('opens again on a failed probe, for a new cool-down', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(settings, clock.now());
    feed(breaker, clock, ['rejected', 'rejected', 'rejected']);
    clock.advance(60_000);
    assert.equal(breaker.stateAt(clock.now()), 'half-open');
    feed(breaker, clock, ['delivered', 'timeout']);
    const view = breaker.view(clock.now());
    assert.equal(view.state, 'open');
    assert.match(view.reason, /probe was timeout/);
    assert.equal(view.halfOpenAt, clock.now() + 60_000);
  });

  it('ignores outcomes that arrive while open (sends made before it opened)', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(settings, clock.now());
    feed(breaker, clock, ['rejected', 'rejected', 'rejected']);
    const before = breaker.view(clock.now());
    feed(breaker, clock, ['delivered', 'delivered', 'delivered']);
    assert.equal(breaker.stateAt(clock.now()), 'open');
    assert.equal(breaker.view(clock.now()).since, before.since);
  });
});
