import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtpPacer } from './rtp-pacer.ts';

/** Calls `listener` on every tick until it returns true; resolves with the ticks' times and skips. */
function run(pacer: RtpPacer, until: (tick: number, now: number) => boolean | void): Promise<{ at: number[]; skipped: number[] }> {
  // The pacer's timer is unref'd (it never keeps a process alive): hold the test's process open.
  const keepAlive = setInterval(() => undefined, 1000);
  return new Promise((resolve) => {
    const at: number[] = [];
    const skipped: number[] = [];
    const leave = pacer.join((skip) => {
      at.push(performance.now());
      skipped.push(skip);
      if (until(at.length, at.at(-1)!)) {
        leave();
        clearInterval(keepAlive);
        resolve({ at, skipped });
      }
    });
  });
}

test('ticks stay on the 20 ms grid: lateness does not accumulate', async () => {
  const pacer = new RtpPacer();
  const started = performance.now();
  const { at } = await run(pacer, (tick) => tick === 120);
  // Tick n is due at started + 20·n. A setTimeout(20) chain would be ≥ 1 ms later at every tick
  // (≥ 120 ms by the end); on the grid the typical tick is within a ms or two of its time, and a
  // stall of the machine (other processes) delays single ticks without shifting the later ones.
  const lateness = at.map((t, i) => t - (started + 20 * (i + 1))).sort((a, b) => a - b);
  const median = lateness[Math.floor(lateness.length / 2)]!;
  assert.ok(median > -1.5 && median < 3, `median lateness ${median.toFixed(2)} ms`);
  const last = at.at(-1)! - started;
  assert.ok(last >= 120 * 20 - 2 && last < 120 * 20 + 50, `120th tick at ${last.toFixed(1)} ms`);
  assert.equal(pacer.size, 0, 'left');
});

test('one timer for every stream: all listeners run in the same tick, in the order they joined', async () => {
  const pacer = new RtpPacer();
  const order: string[] = [];
  const leaveA = pacer.join(() => order.push('a'));
  const leaveB = pacer.join(() => order.push('b'));
  await run(pacer, (tick) => tick === 3);
  leaveA();
  leaveB();
  assert.deepEqual(order.slice(0, 6), ['a', 'b', 'a', 'b', 'a', 'b']);
});

test('after a stall the owed ticks are sent back to back, and beyond catch-up they are reported skipped', async () => {
  const pacer = new RtpPacer({ maxCatchUp: 3 });
  const started = performance.now();
  const { at, skipped } = await run(pacer, (tick, now) => {
    if (tick === 5) while (performance.now() - now < 150); // the event loop blocked for 150 ms
    return tick === 20;
  });
  // The stall owes ~7 ticks: 3 run at once (catch-up) with the skipped count on the first of them.
  const totalSkipped = skipped.reduce((a, b) => a + b, 0);
  assert.ok(totalSkipped >= 3 && totalSkipped <= 8, `skipped ${totalSkipped} (≈ 7 owed − 3 caught up, more if the machine stalled us further)`);
  const burst = at.slice(5, 8);
  assert.ok(burst.at(-1)! - burst[0]! < 10, 'catch-up ticks run back to back (not 20 ms apart)');
  // Frames accounted for (sent + skipped) still match the clock.
  const frames = at.length + totalSkipped;
  const expected = (at.at(-1)! - started) / 20;
  assert.ok(Math.abs(frames - expected) <= 2, `frames ${frames} vs clock ${expected.toFixed(1)}`);
});

test('a throwing listener does not stop the clock of the others', async () => {
  const pacer = new RtpPacer();
  const leave = pacer.join(() => {
    throw new Error('one call failed');
  });
  const { at } = await run(pacer, (tick) => tick === 3);
  leave();
  assert.equal(at.length, 3);
});

test('lateness recordings: one sample per tick, several may overlap', async () => {
  const pacer = new RtpPacer();
  const stopA = pacer.measureLateness();
  let stopB: (() => number[]) | undefined;
  await run(pacer, (tick) => {
    if (tick === 3) stopB = pacer.measureLateness();
    return tick === 10;
  });
  const a = stopA();
  const b = stopB!();
  assert.equal(a.length, 10);
  assert.equal(b.length, 8, 'B started inside tick 3 and sees that tick too');
  assert.ok(a.every((ms) => ms > -1.5 && ms < 50), `plausible lateness ${a.map((ms) => ms.toFixed(1)).join(' ')}`);
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
