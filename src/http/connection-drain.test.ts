import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { ConnectionDrain } from './connection-drain.ts';

/** A Fastify app whose `onRequest` (standing in for authentication) waits until the test lets it go. */
async function appWithSlowOnRequest() {
  const app = Fastify();
  const drain = new ConnectionDrain();
  drain.install(app);
  let entered!: () => void;
  const inOnRequest = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  app.addHook('onRequest', async (request) => {
    if (request.url !== '/slow') return;
    entered();
    await released;
  });
  app.get('/slow', async () => ({ ok: true }));
  app.post('/upload', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, drain, port, inOnRequest, release };
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function readAll(socket: Socket): Promise<{ text: string; reset: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    let reset = false;
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => (reset = true));
    socket.on('close', () => resolve({ text, reset }));
  });
}

test('a request that arrived whole but is still in its onRequest hooks is answered, not cut off, when the drain starts', async () => {
  const { app, drain, port, inOnRequest, release } = await appWithSlowOnRequest();
  try {
    const socket = await openSocket(port);
    const answer = readAll(socket);
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await inOnRequest;
    // A half-sent upload on another connection must still be closed at once.
    const stalled = await openSocket(port);
    const stalledAnswer = readAll(stalled);
    stalled.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    await new Promise<void>((resolve) => setImmediate(resolve));
    const drained = drain.drain(Date.now() + 60_000);
    const closedStalled = await stalledAnswer;
    assert.equal(closedStalled.text, '', 'the half-sent upload gets no answer');
    release();
    const { text } = await answer;
    assert.match(text, /^HTTP\/1\.1 200/, `the complete request is answered (got ${JSON.stringify(text.slice(0, 80))})`);
    assert.match(text, /\{"ok":true\}/);
    assert.deepEqual(await drained, { cutOff: 0 });
  } finally {
    await app.close();
  }
});
