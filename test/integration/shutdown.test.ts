import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { startVerityChild } from '../support/verity-child.ts';
import { waitUntil } from '../support/wait-for.ts';

/**
 * Graceful shutdown of a real `verity serve` (SIGTERM): connections with no request being handled —
 * connected and silent, headers half sent, body half sent, idle keep-alive — are closed at once
 * (Node's server.close() alone waited for them forever), while a request whose handler is running
 * still gets its answer, and a webhook receiver that never answers does not keep the process alive.
 * No timings are asserted: the grace period is long (30 s) and the test proves the order of events
 * (the stalled sockets close while the running request is still held) and that the process exits.
 */

interface RawSocket {
  socket: Socket;
  closed: boolean;
  received: string;
}

async function rawSocket(port: number, send: string): Promise<RawSocket> {
  const socket = connect(port, '127.0.0.1');
  const raw: RawSocket = { socket, closed: false, received: '' };
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => (raw.received += chunk.toString()));
  socket.on('close', () => (raw.closed = true));
  await new Promise((resolve) => socket.once('connect', resolve));
  if (send) socket.write(send);
  return raw;
}

test('SIGTERM closes stalled connections at once, answers the running request, and exits despite a slow webhook receiver', { timeout: 180_000 }, async (t) => {
  // A Twilio API stand-in whose answers the test can hold: a create is then inside its handler.
  let hold = false;
  const held: Array<() => void> = [];
  const twilio = createHttpServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const answer = (): void => void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued' }));
      if (hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => twilio.listen(0, '127.0.0.1', resolve));
  // A webhook receiver that accepts connections, reads, and never answers.
  let hookBytes = 0;
  const sinkSockets: Socket[] = [];
  const sink = createTcpServer((socket) => {
    sinkSockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => (hookBytes += chunk.length));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    twilio.closeAllConnections();
    twilio.close();
    for (const socket of sinkSockets) socket.destroy();
    sink.close();
  });

  const verity = await startVerityChild({
    env: {
      VERITY_SMS_PROVIDER: 'twilio',
      VERITY_TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
      VERITY_TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
      VERITY_TWILIO_API_BASE: `http://127.0.0.1:${(twilio.address() as AddressInfo).port}`,
      VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true',
      VERITY_SHUTDOWN_GRACE_MS: '30000',
    },
  });
  t.after(() => verity.dispose());
  const headers = { authorization: verity.authorization, 'content-type': 'application/x-www-form-urlencoded' };
  const post = (path: string, body: string) => fetch(`${verity.url}${path}`, { method: 'POST', headers, body });

  const service = (await (await post('/v2/Services', 'FriendlyName=Shutdown')).json()) as { sid: string };
  const hook = await post(`/v2/Services/${service.sid}/Webhooks`, `FriendlyName=slow&EventTypes=*&WebhookUrl=${encodeURIComponent(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`)}`);
  assert.equal(hook.status, 201, await hook.text());
  const first = await post(`/v2/Services/${service.sid}/Verifications`, 'To=%2B447811000001&Channel=sms');
  assert.equal(first.status, 201, await first.text());
  // The webhook dispatcher is now waiting on the receiver that never answers.
  await waitUntil('a webhook delivery sent to the receiver that never answers', () => hookBytes > 0, { timeoutMs: 30_000 });

  const checkBody = 'To=%2B447811000001&Code=123456';
  const check = `POST /v2/Services/${service.sid}/VerificationCheck HTTP/1.1\r\nHost: x\r\nAuthorization: ${verity.authorization}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${checkBody.length}\r\n\r\n${checkBody}`;
  const stalled = {
    silent: await rawSocket(verity.port, ''),
    'half-sent headers': await rawSocket(verity.port, check.slice(0, 40)),
    'half-sent body': await rawSocket(verity.port, check.slice(0, check.length - 6)),
    'idle keep-alive': await rawSocket(verity.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
  };
  await waitUntil('the keep-alive request answered', () => stalled['idle keep-alive'].received.includes('\r\n\r\n'));

  hold = true;
  const running = post(`/v2/Services/${service.sid}/Verifications`, 'To=%2B447811000002&Channel=sms');
  await waitUntil('the second create inside its handler (its SMS send held)', () => held.length === 1, { timeoutMs: 30_000 });

  verity.child.kill('SIGTERM');
  await waitUntil('the server logging that it shuts down', () => verity.output().includes('"msg":"shutting down"'), { timeoutMs: 30_000 });
  // Before the held request is released (and long before the 30 s grace period ends): none of these
  // has a handler running, so none may hold the shutdown.
  await waitUntil(
    `the stalled connections closed by the server (still open: ${Object.entries(stalled).filter(([, s]) => !s.closed).map(([name]) => name).join(', ')})`,
    () => Object.values(stalled).every((s) => s.closed),
    { timeoutMs: 20_000 },
  );
  assert.equal(stalled['half-sent body'].received, '', 'a request whose body never arrived gets no answer: its handler never ran');

  for (const answer of held) answer();
  const answered = await running;
  assert.equal(answered.status, 201, 'the request running when SIGTERM arrived gets its answer');
  assert.equal(((await answered.json()) as { status: string }).status, 'pending');

  const { code, signal } = await verity.exited;
  assert.equal(signal, null, verity.output().slice(-2000));
  assert.equal(code, 0, verity.output().slice(-2000));
  const log = verity.output();
  assert.ok(!log.includes('requests still running at the shutdown deadline'), 'no request was left running (a half-sent body is not in flight)');
  assert.match(log, /"msg":"shut down"/);
});
