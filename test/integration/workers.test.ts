import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import pg from 'pg';
import { startVerityChild, type VerityChild } from '../support/verity-child.ts';
import { waitUntil } from '../support/wait-for.ts';

/**
 * `verity serve --workers 2`: two processes on one port (node:cluster), one database. Correctness
 * must not change: concurrent right codes approve a verification exactly once, the attempt limit
 * holds across workers, and a live stream on one worker sees a change made through the other (the
 * IPC relay on SQLite, LISTEN/NOTIFY on PostgreSQL). Every request opens its own connection, so the
 * cluster spreads them over both workers; the logs (each line names its worker) prove it did.
 */

const RAISED_LIMITS = {
  VERITY_RATE_ACCOUNT_PER_SECOND: '1000000', VERITY_RATE_ACCOUNT_BURST: '1000000',
  VERITY_RATE_SERVICE_PER_SECOND: '1000000', VERITY_RATE_SERVICE_BURST: '1000000',
  VERITY_SEND_ACCOUNT_PER_SECOND: '1000000', VERITY_SEND_ACCOUNT_BURST: '1000000',
  VERITY_FRAUD_PREFIX_MAX_SENDS: '1000000',
  // Calls that "complete" at once, in the process that placed them (the simulator's phones are refused with workers).
  VERITY_VOICE_PROVIDER: 'console',
};

interface Answer {
  status: number;
  body: string;
  localPort: number;
}

/** One request on its own connection (no keep-alive pool), so the cluster picks a worker for each. */
function call(verity: VerityChild, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${verity.url}${path}`, { method, agent: false, headers: { authorization: verity.authorization, ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, localPort }));
    });
    let localPort = 0;
    req.on('socket', (socket) => socket.once('connect', () => (localPort = socket.localPort ?? 0)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Which worker served the connection from `localPort` (Fastify's `incoming request` line names the worker and the client port). */
function workerOf(verity: VerityChild, localPort: number): number | undefined {
  const port = new RegExp(`"remotePort":${localPort}[,}]`);
  // The latest line: a client port can be reused by a later connection of the test.
  const line = verity.output().split('\n').filter((l) => l.includes('"incoming request"') && port.test(l)).pop();
  return line === undefined ? undefined : (JSON.parse(line) as { worker?: number }).worker;
}

async function codeFor(verity: VerityChild, to: string): Promise<string> {
  let code = '';
  await waitUntil(`the code sent to ${to} in the simulator inbox`, async () => {
    const inbox = JSON.parse((await call(verity, 'GET', `/sim/v1/inbox/${encodeURIComponent(to)}`)).body) as { messages: Array<{ body: string }> };
    code = /\b(\d{6})\b/.exec(inbox.messages[0]?.body ?? '')?.[1] ?? '';
    return code !== '';
  });
  return code;
}

async function runScenario(verity: VerityChild, options: { crash?: boolean } = {}): Promise<void> {
  await waitUntil('both workers listening', () => new Set(verity.output().split('\n').filter((l) => l.includes('Server listening')).map((l) => (JSON.parse(l) as { worker?: number }).worker)).size === 2, { timeoutMs: 60_000 });
  const service = JSON.parse((await call(verity, 'POST', '/v2/Services', 'FriendlyName=Workers')).body) as { sid: string };
  const base = `/v2/Services/${service.sid}`;

  // A verification's live progress stream opened several times (so on both workers), then the
  // verification canceled through one worker: every stream must hear it (it ends, being decided).
  const watched = await call(verity, 'POST', `${base}/Verifications`, `To=${encodeURIComponent('+447811900000')}&Channel=call`);
  assert.equal(watched.status, 201, watched.body);
  const { sid: watchedSid, links } = JSON.parse(watched.body) as { sid: string; links: { events?: string } };
  assert.ok(links.events, `a call verification links its event stream: ${watched.body}`);
  const streams = await Promise.all(
    Array.from({ length: 6 }, () => new Promise<{ text: string; ended: boolean; localPort: number }>((resolve, reject) => {
      const req = httpRequest(links.events as string, { agent: false }, (res) => {
        const stream = { text: '', ended: false, localPort: req.socket?.localPort ?? 0 };
        res.on('data', (chunk: Buffer) => {
          stream.text += chunk.toString();
          if (stream.text.includes(': connected')) resolve(stream);
        });
        res.on('end', () => (stream.ended = true));
        res.on('error', () => undefined);
      });
      req.on('error', reject);
      req.end();
    })),
  );
  const cancel = await call(verity, 'POST', `${base}/Verifications/${watchedSid}`, 'Status=canceled');
  assert.equal(cancel.status, 200, cancel.body);
  await waitUntil('every stream (on either worker) ending on the cancel', () => streams.every((s) => s.ended), { timeoutMs: 20_000 });
  await waitUntil('the log lines of the streams and the cancel', () => [cancel, ...streams].every((c) => workerOf(verity, c.localPort) !== undefined));
  const canceller = workerOf(verity, cancel.localPort);
  const streamWorkers = new Set(streams.map((s) => workerOf(verity, s.localPort)));
  assert.ok(canceller !== undefined && streamWorkers.has(canceller === 0 ? 1 : 0), `a stream on the worker that did not make the change (change on ${canceller}, streams on ${[...streamWorkers].join(', ')})`);

  // Many verifications, each checked concurrently with its right code 4 times and 2 wrong codes.
  const count = 12;
  const numbers = Array.from({ length: count }, (_, i) => `+4478119${String(i).padStart(5, '0')}`);
  const creates = await Promise.all(numbers.map((to) => call(verity, 'POST', `${base}/Verifications`, `To=${encodeURIComponent(to)}&Channel=sms`)));
  for (const created of creates) assert.equal(created.status, 201, created.body);
  const codes = await Promise.all(numbers.map((to) => codeFor(verity, to)));
  const checks = await Promise.all(
    numbers.map((to, i) => {
      const wrong = String((Number(codes[i]) + 1) % 1_000_000).padStart(6, '0');
      return Promise.all([codes[i], codes[i], wrong, codes[i], wrong, codes[i]].map((code) => call(verity, 'POST', `${base}/VerificationCheck`, `To=${encodeURIComponent(to)}&Code=${code}`)));
    }),
  );
  // The server's log lines arrive through a pipe, a little after the answers.
  await waitUntil('the log line of every check', () => checks.flat().every((answer) => workerOf(verity, answer.localPort) !== undefined));
  const servedBy = new Set(checks.flat().map((answer) => workerOf(verity, answer.localPort)));
  assert.deepEqual([...servedBy].sort(), [0, 1], 'the checks were spread over both workers');
  for (const [i, answers] of checks.entries()) {
    for (const answer of answers) assert.ok(answer.status < 500, `no server error: ${answer.status} ${answer.body}`);
    const approved = answers.filter((a) => a.status === 200 && (JSON.parse(a.body) as { status: string }).status === 'approved');
    assert.equal(approved.length, 1, `${numbers[i]}: exactly one approval among concurrent right codes: ${answers.map((a) => `${a.status} ${a.body.slice(0, 80)}`).join(' | ')}`);
  }

  // The attempt limit (5 checks per verification) holds when the checks land on different workers.
  const limited = '+447811800000';
  assert.equal((await call(verity, 'POST', `${base}/Verifications`, `To=${encodeURIComponent(limited)}&Channel=sms`)).status, 201);
  const code = await codeFor(verity, limited);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const wrongChecks = await Promise.all(Array.from({ length: 10 }, () => call(verity, 'POST', `${base}/VerificationCheck`, `To=${encodeURIComponent(limited)}&Code=${wrong}`)));
  const counted = wrongChecks.filter((a) => a.status === 200);
  assert.equal(counted.length, 5, `exactly 5 checks counted: ${wrongChecks.map((a) => `${a.status} ${a.body.slice(0, 60)}`).join(' | ')}`);
  const late = await call(verity, 'POST', `${base}/VerificationCheck`, `To=${encodeURIComponent(limited)}&Code=${code}`);
  assert.ok(late.status !== 200 || (JSON.parse(late.body) as { status: string }).status !== 'approved', `the right code after the limit approves nothing: ${late.body}`);

  // /metrics sums both workers: every check above is counted once, whichever worker answered it.
  const metrics = (await call(verity, 'GET', '/metrics')).body;
  const approvedTotal = Number(/verity_verification_checks_total\{result="approved"\} (\d+)/.exec(metrics)?.[1]);
  assert.equal(approvedTotal, count, `approved checks summed over the workers:\n${metrics.split('\n').filter((l) => l.startsWith('verity_verification_checks_total')).join('\n')}`);

  if (options.crash) {
    // A worker killed outright is replaced (with its index: worker 0 runs the background jobs).
    const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(verity.child.pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((pid) => pid > 0);
    assert.equal(pids.length, 2, `two worker processes: ${pids.join(', ')}`);
    process.kill(pids[0] as number, 'SIGKILL');
    await waitUntil('the primary restarting the killed worker', () => verity.output().split('\n').filter((l) => l.includes('Server listening')).length >= 3, { timeoutMs: 60_000 }).catch((error: unknown) => {
      // Say what the cluster printed: a restart that never came and a worker that failed to boot look alike from here.
      throw new Error(`${(error as Error).message}\n${verity.output().slice(-3000)}`);
    });
    assert.match(verity.output(), /"msg":"worker exited; restarting it"/);
    assert.equal((await call(verity, 'GET', '/readyz')).status, 200);
  }

  // SIGTERM to the primary: both workers drain and the whole cluster exits.
  verity.child.kill('SIGTERM');
  const { code: exitCode } = await verity.exited;
  assert.equal(exitCode, 0, verity.output().slice(-3000));
}

describe('serve --workers 2', { timeout: 240_000 }, () => {
  test('SQLite: one approval per verification, limits, live events across workers, summed metrics, a killed worker replaced, clean exit', async (t) => {
    const verity = await startVerityChild({ args: ['--workers', '2'], env: RAISED_LIMITS });
    t.after(() => verity.dispose());
    await runScenario(verity, { crash: true });
  });

  const postgres = process.env.VERITY_TEST_POSTGRES_URL;
  test('PostgreSQL: the same', { skip: postgres ? false : 'VERITY_TEST_POSTGRES_URL is not set' }, async (t) => {
    const schema = `workers_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: postgres });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    t.after(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    const url = new URL(postgres as string);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const verity = await startVerityChild({ args: ['--workers', '2'], env: RAISED_LIMITS, databaseUrl: url.toString() });
    t.after(() => verity.dispose());
    await runScenario(verity);
  });

  test('--workers 2 is refused with the simulator voice provider (its calls live in one process)', async () => {
    await assert.rejects(startVerityChild({ args: ['--workers', '2'], env: { VERITY_VOICE_PROVIDER: 'simulator' } }), /--workers above 1: VERITY_VOICE_PROVIDER=simulator/);
  });
});
