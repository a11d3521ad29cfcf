/**
 * Graceful shutdown: how long `verity serve` takes from SIGTERM to exit after load, and with the
 * connections that used to hold it open (issue 16 item 6; research in docs/scaling.md).
 *
 *   npx tsx bench/shutdown.ts                       # every scenario, 3 s of load each
 *   npx tsx bench/shutdown.ts --duration 5 --scenario after-load --scenario half-sent-body
 *   npx tsx bench/shutdown.ts --verity-root /tmp/verity-before   # another checkout (a baseline)
 *
 * Scenarios (SQLite, simulator SMS, creates at 50 connections through autocannon):
 *   after-load        load runs to its end, then SIGTERM
 *   during-load       SIGTERM while the load is still sending
 *   silent            + 20 sockets connected that sent nothing (a load balancer's pre-connected sockets)
 *   half-sent-headers + 20 sockets that sent half a request line and headers
 *   half-sent-body    + 20 sockets that sent the headers and all but 6 bytes of the body
 *   slow-webhook      a webhook to a receiver that accepts and never answers, then load, then SIGTERM
 * A process still alive `--give-up` seconds after SIGTERM (default 20) is killed and reported as such.
 * Times include Node's own teardown; the machine's load average is printed with them (the machine
 * may be shared: compare rows of one run).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort, runCli, startServer, tempDirs } from './support/verity-process.ts';

const SCENARIOS = ['after-load', 'during-load', 'silent', 'half-sent-headers', 'half-sent-body', 'slow-webhook'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    scenario: { type: 'string', multiple: true },
    'verity-root': { type: 'string' },
    'give-up': { type: 'string', default: '20' },
  },
});
const DURATION = Number(args.duration);
const GIVE_UP_MS = Number(args['give-up']) * 1000;
const ROOT = resolve(args['verity-root'] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const chosen = (args.scenario ?? [...SCENARIOS]) as Scenario[];
for (const name of chosen) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; one of ${SCENARIOS.join(', ')}`);

async function measure(scenario: Scenario): Promise<{ ms: number | undefined; requests: number }> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'verity-bench-shutdown-'));
  tempDirs.add(dataDir);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development',
    VERITY_DATA_DIR: dataDir, VERITY_DATABASE_URL: `sqlite:${join(dataDir, 'verity.db')}`,
    VERITY_HOST: '127.0.0.1', VERITY_PORT: String(port), VERITY_LOG_LEVEL: 'warn',
    VERITY_MASTER_KEY: randomBytes(32).toString('hex'),
    VERITY_SMS_PROVIDER: 'simulator', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'simulator',
    VERITY_RATE_ACCOUNT_PER_SECOND: '1000000', VERITY_RATE_ACCOUNT_BURST: '1000000',
    VERITY_RATE_SERVICE_PER_SECOND: '1000000', VERITY_RATE_SERVICE_BURST: '1000000',
    VERITY_RATE_IP_PER_SECOND: '1000000', VERITY_RATE_IP_BURST: '1000000',
    VERITY_SEND_ACCOUNT_PER_SECOND: '1000000', VERITY_SEND_ACCOUNT_BURST: '1000000',
    VERITY_FRAUD_PREFIX_MAX_SENDS: '1000000', VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true',
  };
  const created = JSON.parse((await runCli(ROOT, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
  const server = await startServer(ROOT, env, join(dataDir, 'server.log'));
  const authorization = 'Basic ' + Buffer.from(`${created.account_sid}:${created.auth_token}`).toString('base64');
  const headers = { authorization, 'content-type': 'application/x-www-form-urlencoded' };
  const service = (await (await fetch(`${server.url}/v2/Services`, { method: 'POST', headers, body: 'FriendlyName=Bench' })).json()) as { sid: string };
  const sinkSockets: Socket[] = [];
  const sink = createServer((socket) => {
    sinkSockets.push(socket);
    socket.on('error', () => undefined);
  });
  if (scenario === 'slow-webhook') {
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const url = encodeURIComponent(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`);
    const hook = await fetch(`${server.url}/v2/Services/${service.sid}/Webhooks`, { method: 'POST', headers, body: `FriendlyName=slow&EventTypes=*&WebhookUrl=${url}` });
    if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${await hook.text()}`);
  }
  let n = 0;
  const load = autocannon({
    url: server.url,
    connections: 50,
    duration: DURATION,
    requests: [{ method: 'POST', path: `/v2/Services/${service.sid}/Verifications`, headers, setupRequest: (r: autocannon.Request) => ({ ...r, body: `To=%2B44781${String(n++).padStart(7, '0')}&Channel=sms` }) }],
  });
  if (scenario === 'during-load') await new Promise((r) => setTimeout(r, (DURATION * 1000) / 2));
  else await load;

  const raw: Socket[] = [];
  const body = 'To=%2B447810000001&Code=123456';
  const request = `POST /v2/Services/${service.sid}/VerificationCheck HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const send = { silent: '', 'half-sent-headers': request.slice(0, 40), 'half-sent-body': request.slice(0, request.length - 6) }[scenario as 'silent'];
  if (send !== undefined) {
    for (let i = 0; i < 20; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      raw.push(socket);
      await new Promise((r) => socket.once('connect', r));
      if (send) socket.write(send);
    }
    // The server reads what was sent (a full round trip proves it has accepted the sockets).
    await fetch(`${server.url}/healthz`);
  }

  const started = performance.now();
  const exited = new Promise<number>((r) => server.child.once('exit', () => r(performance.now() - started)));
  server.child.kill('SIGTERM');
  const ms = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), GIVE_UP_MS))]);
  if (ms === undefined) server.child.kill('SIGKILL');
  if (scenario === 'during-load') await load;
  for (const socket of [...raw, ...sinkSockets]) socket.destroy();
  sink.close();
  await server.stop();
  return { ms, requests: n };
}

const rows: string[] = [];
for (const scenario of chosen) {
  const load = os.loadavg()[0]?.toFixed(2);
  const { ms, requests } = await measure(scenario);
  const row = `${scenario.padEnd(18)} ${ms === undefined ? `> ${GIVE_UP_MS / 1000} s (killed)`.padStart(16) : `${ms.toFixed(0)} ms`.padStart(16)}   creates sent ${String(requests).padStart(6)}   load avg ${load}`;
  console.log(row);
  rows.push(row);
}
console.log(`\nSIGTERM → exit, ${ROOT}, ${os.cpus().length} CPUs, load ${DURATION} s at 50 connections (creates)`);
process.exit(0);
