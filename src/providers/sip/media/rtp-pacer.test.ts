import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtpPacer, type PacerTimer } from './rtp-pacer.ts';

/**
 * A virtual monotonic clock and timer for the pacer: `runUntil` fires the pending wake-up at its due
 * time plus `lateness` (how late the event loop woke it), so tick times are exact and the tests do not
 * depend on how busy the machine is. Listeners may advance `now` themselves (a blocked event loop).
 */
class VirtualTime {
  now = 1000;
  private pending: { at: number; wake: () => void } | undefined;
  readonly timer: PacerTimer = (wake, ms) => {
    const entry = { at: this.now + ms, wake };
    this.pending = entry;
    return () => {
      if (this.pending === entry) this.pending = undefined;
    };
  };
  /** Fires wake-ups until `done()` or none is pending (at most `limit`). */
  runUntil(done: () => boolean, lateness = 0, limit = 10_000): void {
    for (let i = 0; i < limit && !done() && this.pending; i++) {
      const { at, wake } = this.pending;
      this.pending = undefined;
      this.now = Math.max(this.now, at + lateness);
      wake();
    }
  }
}

const virtualPacer = (time: VirtualTime, maxCatchUp?: number) => new RtpPacer({ now: () => time.now, timer: time.timer, ...(maxCatchUp ? { maxCatchUp } : {}) });

/** A pacer on virtual time, and a listener recording each tick's time and skip count until `until` says stop. */
function pacedRun(options: { maxCatchUp?: number; lateness?: number }, until: (tick: number, time: VirtualTime) => boolean | void): { at: number[]; skipped: number[]; started: number; pacer: RtpPacer } {
  const time = new VirtualTime();
  const pacer = virtualPacer(time, options.maxCatchUp);
  const started = time.now;
  const at: number[] = [];
  const skipped: number[] = [];
  let finished = false;
  const leave = pacer.join((skip) => {
    at.push(time.now);
    skipped.push(skip);
    if (until(at.length, time)) {
      finished = true;
      leave();
    }
  });
  time.runUntil(() => finished, options.lateness ?? 0);
  return { at, skipped, started, pacer };
}

test('ticks stay on the 20 ms grid: a late wake-up never shifts the later ticks', () => {
  // Every wake-up 1.7 ms late (a busy event loop): a setTimeout(20) chain would drift 1.7 ms per tick
  // (≈ 200 ms after 120 ticks); on the grid every tick stays within 1.7 ms of its own time.
  const { at, started, pacer } = pacedRun({ lateness: 1.7 }, (tick) => tick === 120);
  const lateness = at.map((t, i) => t - (started + 20 * (i + 1)));
  assert.ok(lateness.every((ms) => ms >= -1 && ms <= 1.7 + 1e-9), `lateness ${Math.min(...lateness)}…${Math.max(...lateness)} ms`);
  assert.ok(at.at(-1)! - started <= 120 * 20 + 1.7 + 1e-9, `120th tick at ${at.at(-1)! - started} ms`);
  assert.equal(pacer.size, 0, 'left');
});

test('one timer for every stream: all listeners run in the same tick, in the order they joined', () => {
  const time = new VirtualTime();
  const pacer = virtualPacer(time);
  const order: string[] = [];
  const leaveA = pacer.join(() => order.push('a'));
  const leaveB = pacer.join(() => order.push('b'));
  time.runUntil(() => order.length >= 6);
  leaveA();
  leaveB();
  assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a', 'b']);
});

test('after a stall the owed ticks are sent back to back, and beyond catch-up they are reported skipped', () => {
  // Tick 5's listener blocks the event loop for 150 ms: 7 ticks are owed at the next wake-up; 3 run
  // back to back (catch-up), the 4 older ones are reported skipped on the first of them.
  const { at, skipped, started } = pacedRun({ maxCatchUp: 3 }, (tick, time) => {
    if (tick === 5) time.now += 150;
    return tick === 20;
  });
  assert.deepEqual(skipped.slice(0, 5), [0, 0, 0, 0, 0]);
  assert.equal(skipped[5], 4, 'the first tick after the stall says 4 slots were dropped');
  assert.deepEqual(skipped.slice(6), new Array(14).fill(0));
  assert.deepEqual(at.slice(5, 8), [at[5], at[5], at[5]], 'the catch-up ticks run back to back (not 20 ms apart)');
  // Frames accounted for (sent + skipped) match the clock.
  assert.equal(at.length + 4, Math.round((at.at(-1)! - started) / 20));
});

test('a throwing listener does not stop the clock of the others', () => {
  const time = new VirtualTime();
  const pacer = virtualPacer(time);
  const leave = pacer.join(() => {
    throw new Error('one call failed');
  });
  let ticks = 0;
  const leaveCounter = pacer.join(() => void ticks++);
  time.runUntil(() => ticks === 3);
  leave();
  leaveCounter();
  assert.equal(ticks, 3);
});

test('lateness recordings: one sample per tick, several may overlap', () => {
  const time = new VirtualTime();
  const pacer = virtualPacer(time);
  const stopA = pacer.measureLateness();
  let stopB: (() => number[]) | undefined;
  let ticks = 0;
  const leave = pacer.join(() => {
    ticks++;
    if (ticks === 3) stopB = pacer.measureLateness();
    time.now += 0.25; // each tick's sending takes 0.25 ms
  });
  time.runUntil(() => ticks === 10, 0.5);
  leave();
  const a = stopA();
  const b = stopB!();
  assert.equal(a.length, 10);
  assert.equal(b.length, 8, 'B started inside tick 3 and sees that tick too');
  // Each sample is the tick's ideal time to the end of its sending: the first wake-up 0.5 ms late
  // plus 0.25 ms of sending; later ones are asked for up to 1 ms early (libuv's 1 ms granularity).
  assert.equal(Math.round(a[0]! * 1000) / 1000, 0.75);
  assert.ok(a.every((ms) => ms >= -1 && ms <= 0.75 + 1e-9), `lateness ${a.join(' ')}`);
});

test('the timer is unref\'d: a pacer with listeners does not keep a process alive', async () => {
  const { spawn } = await import('node:child_process');
  const url = new URL('./rtp-pacer.ts', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const { sharedPacer } = await import(${JSON.stringify(url)}); sharedPacer.join(() => {}); console.log('joined');`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(killer);
  assert.equal(output.trim(), 'joined');
  assert.deepEqual([code, signal], [0, null], 'exited by itself, not killed');
});
