import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { sendQuietly, type ClusterMessage } from './cluster-messages.ts';

/** A child on an IPC channel that is SIGKILLed; returns it as soon as it is dead (its 'disconnect' may still be on the way). */
async function killedChild(): Promise<ChildProcess> {
  const child = fork('-e', ['setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [] });
  await once(child, 'spawn');
  child.kill('SIGKILL');
  await once(child, 'exit');
  return child;
}

// Large enough that the write cannot finish before the kernel reports the closed pipe.
const BIG: ClusterMessage = { verity: 'bus', topic: 'outbox', value: 'x'.repeat(1 << 20) };

describe('sendQuietly (the cluster IPC channel)', () => {
  test('a send to a worker that was just killed is reported to the caller, never raised as an unhandled error', async () => {
    const child = await killedChild();
    const errors: Error[] = [];
    const unexpected: Error[] = [];
    child.on('error', (error) => unexpected.push(error));
    for (let i = 0; i < 5; i++) sendQuietly(child, BIG, (error) => errors.push(error));
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (child.connected) await once(child, 'disconnect');
    sendQuietly(child, BIG, (error) => errors.push(error));
    assert.ok(errors.length > 0, 'the failed sends are reported');
    assert.deepEqual(unexpected, [], 'nothing reached the process as an error event');
  });

  test('the bare send it replaces does raise an error event there (so the test above can fail)', async () => {
    const child = await killedChild();
    const raised = once(child, 'error');
    child.send(BIG);
    const [error] = (await raised) as [Error];
    assert.match(String((error as NodeJS.ErrnoException).code), /EPIPE|ERR_IPC_CHANNEL_CLOSED/);
  });
});
