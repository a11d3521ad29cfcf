/**
 * TOTP verification throughput in-process and through the HTTP API, next to the machine's raw
 * HMAC-SHA-1 rate. Each verification with skew 1 computes three HMACs (steps t-1, t, t+1), so the
 * ideal ratio of verifications to raw HMACs is about 1:3; the gap shows library, database and HTTP cost.
 *   npm run bench:totp [-- --seconds 3 --entities 4000 --connections 50]
 *
 * The HTTP phase answers challenges (POST …/Entities/{Identity}/Challenges with AuthPayload) on a
 * Verity started as a separate process. A TOTP step is accepted once per factor, so the load is
 * spread over many entities: each gets 4 wrong codes, then the right one (which clears its failure
 * counter), never two requests of one entity in flight together.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { base32Decode } from '../src/factors/totp/otpauth-uri.ts';
import { freePort, runCli, startServer, tempDirs } from './support/verity-process.ts';
import { totp } from '../src/factors/totp/otp.ts';
import { verifyTotp } from '../src/factors/totp/verify-totp.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    entities: { type: 'string', default: '4000' },
    connections: { type: 'string', default: '50' },
    'no-http': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const ENTITIES = Number(values.entities);
const CONNECTIONS = Number(values.connections);

function rate(label: string, fn: () => void): number {
  for (let i = 0; i < 2_000; i++) fn(); // warm-up
  let n = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1_000; i++) fn();
    n += 1_000;
  }
  const perSecond = n / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(52)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s`);
  return perSecond;
}

const secret = randomBytes(20);
const counter = Buffer.alloc(8);
const now = Date.now();
const options = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };
const right = totp(secret, now, options);
const wrong = right === '000000' ? '111111' : '000000';

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${cpu} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; ${seconds} s per measurement, one thread`);
const hmac = rate('raw HMAC-SHA-1 (node:crypto, 8-byte message)', () => {
  counter.writeBigUInt64BE(BigInt(now));
  createHmac('sha1', secret).update(counter).digest();
});
const generate = rate('TOTP generate (one HMAC + truncation)', () => totp(secret, now, options));
const verifyRight = rate('TOTP verify, right code, skew 1 (3 HMACs)', () => verifyTotp(secret, right, now, options, null));
const verifyWrong = rate('TOTP verify, wrong code, skew 1 (3 HMACs)', () => verifyTotp(secret, wrong, now, options, null));
console.log('');
console.log(`generate / raw HMAC        ${(generate / hmac).toFixed(2)}  (ideal 1.00)`);
console.log(`verify / raw HMAC          ${(verifyRight / hmac).toFixed(2)}  (ideal 0.33 with skew 1)`);
console.log(`verify (wrong) / raw HMAC  ${(verifyWrong / hmac).toFixed(2)}`);

if (!values['no-http']) await httpPhase(hmac);

async function httpPhase(rawHmacPerSecond: number): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'verity-bench-totp-'));
  tempDirs.add(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    VERITY_DATA_DIR: dataDir,
    VERITY_PORT: String(await freePort()),
    VERITY_LOG_LEVEL: 'warn',
    VERITY_MASTER_KEY: randomBytes(32).toString('hex'),
    VERITY_RATE_ACCOUNT_PER_SECOND: '1000000',
    VERITY_RATE_ACCOUNT_BURST: '1000000',
    VERITY_RATE_IP_PER_SECOND: '1000000',
    VERITY_RATE_IP_BURST: '1000000',
  };
  const account = JSON.parse((await runCli(root, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
  const server = await startServer(root, env, join(dataDir, 'server.log'));
  try {
    const authorization = 'Basic ' + Buffer.from(`${account.account_sid}:${account.auth_token}`).toString('base64');
    const post = async (path: string, form: Record<string, string>) => {
      const res = await fetch(server.url + path, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const service = (await post('/v2/Services', { FriendlyName: 'Bench TOTP' })).body.sid as string;

    // Setup (not measured): one verified TOTP factor per entity, verified with this step's code.
    console.log(`\nHTTP: enrolling ${ENTITIES} entities with a verified TOTP factor…`);
    const started = Date.now();
    const enrolled: Array<{ path: string; factorSid: string; right: string; wrong: string }> = new Array(ENTITIES);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = next++; i < ENTITIES; i = next++) {
          const identity = `bench-user-${String(i).padStart(6, '0')}`;
          const factor = (await post(`/v2/Services/${service}/Entities/${identity}/Factors`, { FriendlyName: 'bench', FactorType: 'totp' })).body;
          const secret = base32Decode((factor.binding as { secret: string }).secret);
          const at = Date.now();
          const verified = await post(`/v2/Services/${service}/Entities/${identity}/Factors/${factor.sid}`, { AuthPayload: totp(secret, at, options) });
          if (verified.body.status !== 'verified') throw new Error(`enrolment failed: ${JSON.stringify(verified.body)}`);
          // The step after the one that verified the factor: accepted (skew 1) and never used yet.
          const right = totp(secret, at + 30_000, options);
          enrolled[i] = { path: `/v2/Services/${service}/Entities/${identity}/Challenges`, factorSid: factor.sid as string, right, wrong: right === '000000' ? '111111' : '000000' };
        }
      }),
    );
    console.log(`HTTP: enrolled in ${((Date.now() - started) / 1000).toFixed(1)} s; answering ${ENTITIES * 5} challenges (4 wrong, then the right code, per entity)`);

    let k = 0;
    const outcomes = new Map<string, number>();
    const result = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      amount: ENTITIES * 5,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const n = k++;
            const entity = enrolled[n % ENTITIES] as (typeof enrolled)[number];
            const code = Math.floor(n / ENTITIES) < 4 ? entity.wrong : entity.right;
            return { ...request, path: entity.path, headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: `FactorSid=${entity.factorSid}&AuthPayload=${code}` };
          },
          onResponse: (status, body) => {
            let label = String(status);
            try {
              const json = JSON.parse(body) as { status?: string; code?: number };
              label += json.status ? ` ${json.status}` : json.code ? ` error ${json.code}` : '';
            } catch {
              // not JSON
            }
            outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
          },
        },
      ],
    });
    const perSecond = result.requests.total / (result.duration || 1);
    console.log(`HTTP challenge answers (TOTP verifications)   ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  (${CONNECTIONS} connections, server log level warn, SQLite)`);
    console.log(`outcomes: ${[...outcomes].map(([label, count]) => `${label}: ${count}`).join(', ')}`);
    console.log(`HTTP verifications / raw HMAC  ${(perSecond / rawHmacPerSecond).toFixed(4)}  (${Math.round(rawHmacPerSecond / perSecond)} raw HMACs per HTTP verification)`);
  } finally {
    await server.stop();
  }
}
