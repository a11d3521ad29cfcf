import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/http/build-app.ts';
import { DeliveryError, type DeliveryProvider, type OutboundMessage } from '../../src/providers/provider.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { basic } from '../support/test-helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/verity.js');

/** Environment for a child process: no VERITY_* or test-runner variables leak in from ours. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, val] of Object.entries(process.env)) {
    if (k.startsWith('VERITY_') || k === 'NODE_ENV' || k.startsWith('NODE_TEST')) continue;
    env[k] = val;
  }
  return { ...env, ...extra };
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`, which then fails the test). */
function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** A plain node:http request (so the test controls keep-alive through `agent`). */
function httpRequest(url: string, options: { method: string; headers?: Record<string, string>; body?: string; agent: Agent | false }): Promise<{ status: number; body: string }> {
  return new Promise((resolveResponse, reject) => {
    const req = request(url, { method: options.method, headers: options.headers, agent: options.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a server-sent event stream with node:http; `keepAlive: false` sends Connection: close. */
function openStream(url: string, keepAlive: boolean): Promise<{ status: number; text: () => string; waitFor: (p: RegExp) => Promise<void>; ended: Promise<void> }> {
  return new Promise((resolveStream, reject) => {
    const req = request(url, { agent: keepAlive ? undefined : false }, (res) => {
      let text = '';
      const waiters: Array<() => void> = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((r) => res.on('end', () => r()));
      const waitFor = async (pattern: RegExp): Promise<void> => {
        while (!pattern.test(text)) await new Promise<void>((r) => waiters.push(r));
      };
      resolveStream({ status: res.statusCode ?? 0, text: () => text, waitFor, ended });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('operations endpoints', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity();
  });
  after(async () => v.close());

  it('answers /healthz and /readyz without credentials', async () => {
    const health = await fetch(`${v.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${v.url}/readyz`);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as { status: string; database: string };
    assert.equal(body.status, 'ready');
    assert.equal(body.database, 'sqlite');
  });

  it('exposes Prometheus metrics that follow the traffic', async () => {
    const before = await (await fetch(`${v.url}/metrics`)).text();
    assert.doesNotMatch(before, /verity_verifications_total\{channel="sms",status="pending"\}/);

    const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Metrics' })).body.sid as string;
    const created = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550120', Channel: 'sms' });
    assert.equal(created.status, 201);
    await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: '+14155550120', Code: '000000' === (await v.lastCode('+14155550120')) ? '111111' : '000000' });

    const res = await fetch(`${v.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^verity_verifications_total\{channel="sms",status="pending"\} 1$/m);
    assert.match(text, /^verity_http_request_duration_seconds_bucket\{.*route="\/v2\/Services\/:serviceSid\/Verifications".*status_code="201".*\} \d+$/m);
    assert.match(text, /^verity_verification_checks_total\{result="wrong_code"\} 1$/m);
    assert.match(text, /^verity_deliveries_total\{channel="sms",provider="simulator",outcome="accepted"\} 1$/m);
    // Unmatched routes are one label value, not one per URL.
    await fetch(`${v.url}/no/such/${Math.random()}`);
    const after = await (await fetch(`${v.url}/metrics`)).text();
    assert.match(after, /route="unmatched"/);
    assert.doesNotMatch(after, /no\/such/);
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const res = await fetch(`${v.url}/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const doc = (await res.json()) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.ok(doc.paths['/v2/Services/{ServiceSid}/Verifications'], Object.keys(doc.paths).join(', '));
    assert.ok(doc.paths['/v2/Services/{ServiceSid}/VerificationCheck'], "expected doc.paths['/v2/Services/{ServiceSid}/VerificationCheck']");
    const docs = await fetch(`${v.url}/docs`);
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
  });
});

describe('graceful shutdown', () => {
  /** An SMS provider that takes 300 ms, and says when a send has begun. */
  function slowProvider(): DeliveryProvider & { started: Promise<void>; sent: OutboundMessage[] } {
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const sent: OutboundMessage[] = [];
    return {
      name: 'slow',
      started,
      sent,
      async send(message) {
        markStarted();
        await delay(300);
        sent.push(message);
        return { providerMessageId: 'SLOW1' };
      },
    };
  }

  it('waits for a handler whose client went away before closing the database', { timeout: 20_000 }, async () => {
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    // Fails after a delay, so the handler still needs the database (to mark the verification failed).
    const sms: DeliveryProvider = {
      name: 'slow-failing',
      async send() {
        markStarted();
        await delay(300);
        throw new DeliveryError('carrier down', { retryable: false });
      },
    };
    const v = await startVerity({ providers: { sms } });
    const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Abort' })).body.sid as string;
    const abort = new AbortController();
    const request = fetch(`${v.url}/v2/Services/${service}/Verifications`, {
      method: 'POST',
      headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B14155550127&Channel=sms',
      signal: abort.signal,
    }).catch(() => undefined);
    await started;
    abort.abort();
    await request;
    const began = performance.now();
    await v.close();
    assert.ok(performance.now() - began >= 150, 'close() waited for the abandoned handler');
    assert.doesNotMatch(v.logs(), /destroyed|unhandled error/);
    assert.match(v.logs(), /delivery failed/);
  });

  it('finishes an in-flight create, ends SSE streams, refuses new connections and releases the database', { timeout: 20_000 }, async () => {
    const sms = slowProvider();
    const v = await startVerity({ providers: { sms } });
    let closed: Promise<void> | undefined;
    try {
      const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Drain' })).body.sid as string;
      // An open SSE stream (the simulator inbox exists: only the providers were replaced).
      const stream = await openStream(`${v.url}/sim/v1/inbox/${encodeURIComponent('+14155550121')}/stream`, false);
      assert.equal(stream.status, 200);
      await stream.waitFor(/: connected/);

      const inFlight = httpRequest(`${v.url}/v2/Services/${service}/Verifications`, {
        method: 'POST',
        headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'To=%2B14155550122&Channel=sms',
        agent: false,
      });
      await sms.started;
      const began = performance.now();
      closed = v.close();

      // New connections are refused (or, on a reused socket, answered 503).
      const probe = await fetch(`${v.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      assert.ok(probe === 'refused' || probe === 503, `new request during shutdown got ${probe}`);

      const created = await inFlight;
      assert.equal(created.status, 201, created.body);
      assert.equal(JSON.parse(created.body).status, 'pending');
      assert.equal(sms.sent.length, 1);

      // The stream is ended by the server, without an event.
      await stream.ended;
      assert.doesNotMatch(stream.text(), /^data:/m);

      const finished = await Promise.race([closed.then(() => 'closed'), delay(5_000).then(() => 'still closing')]);
      assert.equal(finished, 'closed');
      assert.ok(performance.now() - began >= 200, 'close() waited for the slow delivery');
      await assert.rejects(fetch(`${v.url}/readyz`), 'the port is released');
      await assert.rejects(v.ctx.db.kysely.selectFrom('accounts').selectAll().execute(), 'the database is closed');
    } finally {
      await (closed ?? v.close());
    }
  });

  it('completes close() promptly when a keep-alive client had a request in flight', {
    timeout: 20_000,
  }, async () => {
    const sms = slowProvider();
    const v = await startVerity({ providers: { sms } });
    const agent = new Agent({ keepAlive: true });
    let closed: Promise<void> | undefined;
    try {
      const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Drain' })).body.sid as string;
      const inFlight = httpRequest(`${v.url}/v2/Services/${service}/Verifications`, {
        method: 'POST',
        headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'To=%2B14155550126&Channel=sms',
        agent,
      });
      await sms.started;
      closed = v.close();
      assert.equal((await inFlight).status, 201);
      const finished = await Promise.race([closed.then(() => 'closed'), delay(2_000).then(() => 'still closing')]);
      assert.equal(finished, 'closed', 'close() still waits for an idle keep-alive socket 2 s after the last response');
    } finally {
      // Drop the client's sockets so the server can finish closing either way.
      agent.destroy();
      await (closed ?? v.close());
    }
  });

  it('closes a busy connection after its in-flight response during the drain (pipelined requests are not started)', { timeout: 20_000 }, async () => {
    const sms = slowProvider();
    const v = await startVerity({ providers: { sms } });
    let closed: Promise<void> | undefined;
    try {
      const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Drain' })).body.sid as string;
      const { hostname, port } = new URL(v.url);
      const socket = connect(Number(port), hostname);
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      const ended = new Promise<void>((r) => socket.on('close', () => r()));
      await new Promise<void>((r) => socket.once('connect', () => r()));
      const body = 'To=%2B14155550123&Channel=sms';
      socket.write(
        `POST /v2/Services/${service}/Verifications HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${basic(v.accountSid, v.authToken)}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await sms.started;
      closed = v.close();
      // Pipelined on the busy connection, after shutdown began: the server answers the in-flight
      // request with Connection: close and ends the socket; the client retries elsewhere.
      socket.write(`GET /readyz HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      const finished = await Promise.race([ended.then(() => 'ended'), delay(5_000).then(() => 'still open')]);
      socket.destroy();
      assert.equal(finished, 'ended');
      const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      assert.deepEqual(statuses, [201], received);
      assert.match(received, /connection: close/i);
      await closed;
    } finally {
      await (closed ?? v.close());
    }
  });

  it('answers requests that reach the app during the drain with 503 and the {code: 20503} error body', async () => {
    const v = await startVerity();
    try {
      const { app, state } = await buildApp(v.ctx);
      state.shuttingDown = true;
      for (const url of ['/v2/Services', '/readyz', '/healthz']) {
        const res = await app.inject({ method: 'GET', url, headers: { authorization: basic(v.accountSid, v.authToken) } });
        assert.equal(res.statusCode, 503, url);
        assert.equal(res.headers.connection, 'close', url);
        const json = res.json() as { code: number; status: number; more_info: string };
        assert.equal(json.code, 20503, url);
        assert.equal(json.status, 503, url);
      }
      await app.close();
    } finally {
      await v.close();
    }
  });

  it('lets the process exit on its own after close() (no handle left open)', { timeout: 30_000 }, async () => {
    const script = `
      import { startVerity } from ${JSON.stringify(join(ROOT, 'test/support/start-verity.ts'))};
      const v = await startVerity();
      const service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Exit' })).body.sid;
      await v.api('POST', '/v2/Services/' + service + '/Webhooks', { FriendlyName: 'w', EventTypes: '*', WebhookUrl: 'http://127.0.0.1:9/unreachable' });
      await v.api('POST', '/v2/Services/' + service + '/Verifications', { To: '+14155550125', Channel: 'sms' });
      const stream = await fetch(v.url + '/sim/v1/inbox/%2B14155550125/stream');
      const reader = stream.body.getReader();
      await reader.read();
      await v.close();
      console.log('closed');
    `;
    const result = await run(['--import', 'tsx', '--input-type=module', '-e', script], childEnv({}), 25_000);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^closed$/m);
  });
});

describe('the verity CLI', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'verity-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an account, migrates, and serves with it; SIGTERM shuts down cleanly', { timeout: 60_000 }, async () => {
    const env = childEnv({ VERITY_DATA_DIR: dataDir, VERITY_LOG_LEVEL: 'warn' });
    const created = await run([BIN, 'accounts', 'create', '--name', 'X'], env);
    assert.equal(created.code, 0, created.stderr);
    const lastLine = created.stdout.trim().split('\n').pop() ?? '';
    const account = JSON.parse(lastLine) as { account_sid: string; auth_token: string };
    assert.match(account.account_sid, /^AC[0-9a-f]{32}$/);
    assert.equal(typeof account.auth_token, 'string');
    assert.ok(account.auth_token.length >= 32, 'expected account.auth_token.length >= 32');
    // The token is printed once, never logged.
    assert.ok(!created.stderr.includes(account.auth_token), 'expected !created.stderr.includes(account.auth_token)');

    const migrated = await run([BIN, 'migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.deepEqual(JSON.parse(migrated.stdout.trim().split('\n').pop() ?? ''), { migrated: true, database: 'sqlite' });

    const listed = await run([BIN, 'accounts', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes(account.account_sid), 'expected listed.stdout.includes(account.account_sid)');
    assert.ok(!listed.stdout.includes(account.auth_token), 'expected !listed.stdout.includes(account.auth_token)');

    // Serve on a free port, call the API with the CLI-made account, then SIGTERM.
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: childEnv({ VERITY_DATA_DIR: dataDir, VERITY_LOG_LEVEL: 'info', VERITY_PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "Server listening" line: ${out} ${err}`)), 15_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolveUrl(m[1] as string);
          }
        });
      });
      const res = await fetch(`${url}/v2/Services`, { method: 'POST', headers: { authorization: basic(account.account_sid, account.auth_token), 'content-type': 'application/x-www-form-urlencoded' }, body: 'FriendlyName=CLI' });
      assert.equal(res.status, 201);
      child.kill('SIGTERM');
      const code = await Promise.race([exited, delay(15_000).then(() => 'timeout' as const)]);
      assert.equal(code, 0, `serve exit after SIGTERM: ${code}\n${err}`);
      assert.ok(!out.includes(account.auth_token), 'the auth token is not in the server logs');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad configuration, listing every problem on stderr', { timeout: 30_000 }, async () => {
    const result = await run([BIN, 'serve'], childEnv({ VERITY_DATA_DIR: dataDir, VERITY_PORT: 'abc', VERITY_DATABASE_URL: 'mysql://x' }));
    assert.notEqual(result.code, 0);
    assert.equal(result.code, 78, 'EX_CONFIG');
    assert.match(result.stderr, /VERITY_PORT/);
    assert.match(result.stderr, /VERITY_DATABASE_URL/);
  });

  it('prints usage and exits 2 for an unknown command', { timeout: 30_000 }, async () => {
    const result = await run([BIN, 'frobnicate'], childEnv({ VERITY_DATA_DIR: dataDir }));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: verity/);
  });
});
