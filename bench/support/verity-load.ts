import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import type { Numbers} from './load.ts';
import { checkPhase, runLoad, timedPhase, type Measured, type PhaseSettings, type PooledCode } from './load.ts';
import type { Server } from './verity-process.ts';

/**
 * Verity's create and check phases as bench/compare.ts and bench/rows.ts measure them: one
 * account, one service, the simulator SMS provider, creates with a distinct `To` each, checks over
 * a pool of pending verifications whose codes come from the simulator's inbox.
 */

/**
 * The API and send limits raised for a benchmark: it is one account from one IP naming one service and
 * a few number prefixes, so the limits would otherwise be the result. 10^6/s is ~100× any rate reached
 * here; far higher refill rates make a bucket's handling of out-of-order timestamps (a few ms apart
 * under load) cost a whole burst, so stay at 10^6.
 */
export const LIMITS_LIFTED = {
  VERITY_RATE_ACCOUNT_PER_SECOND: '1000000',
  VERITY_RATE_ACCOUNT_BURST: '1000000',
  VERITY_RATE_IP_PER_SECOND: '1000000',
  VERITY_RATE_IP_BURST: '1000000',
  VERITY_RATE_SERVICE_PER_SECOND: '1000000',
  VERITY_RATE_SERVICE_BURST: '1000000',
  VERITY_FRAUD_PREFIX_MAX_SENDS: '1000000',
  VERITY_SEND_ACCOUNT_PER_SECOND: '1000000',
  VERITY_SEND_ACCOUNT_BURST: '1000000',
} as const;

/** The server's environment for a benchmark: every API limit raised (one account, one IP, one service and a few number prefixes would otherwise be the result). */
export function benchEnv(dataDir: string, databaseUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    VERITY_DATA_DIR: dataDir,
    VERITY_DATABASE_URL: databaseUrl,
    VERITY_HOST: '127.0.0.1',
    VERITY_PORT: String(port),
    VERITY_LOG_LEVEL: 'warn',
    VERITY_MASTER_KEY: randomBytes(32).toString('hex'),
    VERITY_SMS_PROVIDER: 'simulator',
    VERITY_VOICE_PROVIDER: 'simulator',
    VERITY_EMAIL_PROVIDER: 'simulator',
    ...LIMITS_LIFTED,
  };
}

export interface BenchAccount {
  account_sid: string;
  auth_token: string;
}

export const basicAuth = (account: BenchAccount): string => 'Basic ' + Buffer.from(`${account.account_sid}:${account.auth_token}`).toString('base64');
const form = (authorization: string): Record<string, string> => ({ authorization, 'content-type': 'application/x-www-form-urlencoded' });

export async function createService(url: string, account: BenchAccount): Promise<string> {
  const res = await fetch(`${url}/v2/Services`, { method: 'POST', headers: form(basicAuth(account)), body: 'FriendlyName=Bench' });
  const service = (await res.json()) as { sid?: string };
  if (res.status !== 201 || !service.sid) throw new Error(`creating the service failed: ${res.status} ${JSON.stringify(service)}`);
  return service.sid;
}

/** The latest code the simulator delivered to each of `tos`. */
export async function inboxCodes(url: string, connections: number, tos: string[]): Promise<Map<string, string>> {
  let next = 0;
  const codes = new Map<string, string>();
  await runLoad({
    name: 'pool codes',
    url,
    connections,
    amount: tos.length,
    request: { method: 'GET', path: '/sim/v1/inbox/x', setupRequest: (req) => ({ ...req, path: `/sim/v1/inbox/${encodeURIComponent(tos[next++ % tos.length]!)}` }) },
    classify: (status, body) => {
      const latest = status === 200 ? (JSON.parse(body) as { messages: Array<{ to: string; body: string }> }).messages[0] : undefined;
      const match = latest && /(\d(?:, )?){4,10}/.exec(latest.body.replace(/@\S+ #\d+/, ''));
      if (latest && match) codes.set(latest.to, match[0].replace(/\D/g, ''));
      return String(status);
    },
  });
  return codes;
}

/**
 * Creates (timed) then checks (`poolSize` pending verifications after `s.group` of warm-up) on a
 * running server. `numbers` gives distinct destinations that no earlier verification used.
 */
export async function verityPhases(s: PhaseSettings, server: Server, account: BenchAccount, serviceSid: string, poolSize: number, numbers: Numbers): Promise<[Measured, Measured]> {
  const headers = form(basicAuth(account));
  const createPath = `/v2/Services/${serviceSid}/Verifications`;
  const create = (): autocannon.Request => ({
    method: 'POST',
    path: createPath,
    headers,
    setupRequest: (req) => ({ ...req, body: `To=${encodeURIComponent(numbers.take())}&Channel=sms` }),
  });
  const pid = server.child.pid;
  const created = await timedPhase(s, 'Verity create (POST /Verifications)', server.url, pid, create, (status, body) => status === 201 && body.includes('"status":"pending"'));
  const tos: string[] = [];
  const prepared = await runLoad({
    name: 'pool',
    url: server.url,
    connections: s.connections,
    // A few more than needed: under heavy load a create can fail or its message reach the inbox late.
    amount: Math.ceil((poolSize + s.group) * 1.02) + s.connections,
    request: create(),
    classify: (status, body) => {
      if (status === 201) tos.push((JSON.parse(body) as { to: string }).to);
      return String(status);
    },
  });
  const codes = await inboxCodes(server.url, s.connections, tos);
  const pool: PooledCode[] = tos
    .filter((to) => codes.has(to))
    .slice(0, poolSize + s.group)
    .map((to) => ({ id: `To=${encodeURIComponent(to)}`, code: codes.get(to)! }));
  if (pool.length < poolSize + s.group) throw new Error(`Verity: only ${pool.length} of ${poolSize + s.group} verifications could be prepared (creates: ${JSON.stringify(prepared.breakdown)}, codes found: ${codes.size})`);
  const checked = await checkPhase(s, 'Verity check (POST /VerificationCheck)', server.url, pid, `/v2/Services/${serviceSid}/VerificationCheck`, headers, pool, (item, code) => `${item.id}&Code=${code}`, (status, body) =>
    status === 200 && body.includes('"status":"approved"') ? 'right' : status === 200 && body.includes('"status":"pending"') ? 'wrong' : `${status} ${body.slice(0, 80)}`,
  );
  return [created, checked];
}
