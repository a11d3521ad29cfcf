import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseClock, offsetFromSamples } from './clock.ts';

test('the offset comes from the sample with the shortest round trip, the remote time taken at its middle', () => {
  const measured = offsetFromSamples([
    { sentAt: 1_000, remoteMs: 6_100, receivedAt: 1_200 }, // 200 ms round trip: offset 5,000 ± 100
    { sentAt: 2_000, remoteMs: 7_005, receivedAt: 2_010 }, // 10 ms: offset 5,000 ± 5 (the one taken)
    { sentAt: 3_000, remoteMs: 9_000, receivedAt: 3_400 }, // a slow answer, far off
  ]);
  assert.deepEqual(measured, { offsetMs: 5_000, roundTripMs: 10 });
  assert.equal(offsetFromSamples([]), undefined);
});

test('a DatabaseClock reads the system clock plus the measured offset, and re-measures on sync', async () => {
  let remoteAhead = 3_600_000;
  let reads = 0;
  const clock = new DatabaseClock(async () => {
    reads += 1;
    return Date.now() + remoteAhead;
  }, 4);
  assert.equal(clock.offsetMs, 0, 'the system clock until the first sync');
  const first = await clock.sync();
  assert.equal(reads, 4, 'one read per sample');
  // The remote answers at once: the offset is the hour, give or take the (tiny) round trip.
  assert.ok(Math.abs(first.offsetMs - 3_600_000) < 1_000, `offset ${first.offsetMs}`);
  assert.ok(Math.abs(clock.now() - Date.now() - 3_600_000) < 1_000, 'now() is the database\'s time');
  remoteAhead = -60_000;
  const second = await clock.sync();
  assert.ok(Math.abs(second.changeMs + 3_660_000) < 1_000, `the change is reported (${second.changeMs})`);
  assert.ok(clock.now() < Date.now(), 'a database behind this node pulls now() back');
});
