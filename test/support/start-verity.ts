import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { InjectOptions } from 'fastify';
import type twilio from 'twilio';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import type { AppContext } from '../../src/context.ts';
import { createContext, type ContextOptions } from '../../src/create-context.ts';
import { ManualClock } from '../../src/crypto/clock.ts';
import { startServer } from '../../src/server.ts';

export interface TestVerity {
  url: string;
  ctx: AppContext;
  clock: ManualClock | undefined;
  accountSid: string;
  authToken: string;
  /** Every log line written so far (JSON text). */
  logs: () => string;
  /** The official twilio client, its requests redirected to this server. */
  client: ReturnType<typeof twilio>;
  /** `curl -u` equivalent: an HTTP call with Basic auth and a form body. */
  api: (method: string, path: string, form?: Record<string, string | string[]>, auth?: { user: string; password: string } | null) => Promise<{ status: number; body: any; headers: Headers }>;
  inbox: (address: string) => Promise<Array<{ channel: string; to: string; from: string; body: string; date_created: string }>>;
  /** The last code delivered to `address` (read from the simulated carrier). */
  lastCode: (address: string) => Promise<string>;
  /** The simulated phone `number`: its calls, newest first, and actions on them (see simulator-phone-routes.ts). */
  phone: (number: string) => SimPhone;
  close: () => Promise<void>;
}

export interface SimCall {
  sid: string;
  from: string;
  to: string;
  status: string;
  prompts: Array<{ text: string; locale: string; audio_url: string | null }>;
  waiting_for: 'digits' | 'recording' | null;
}

export interface SimPhone {
  calls(): Promise<SimCall[]>;
  /** The newest call, waiting until one exists (up to 5 s). */
  latestCall(): Promise<SimCall>;
  answer(sid: string): Promise<SimCall>;
  dtmf(sid: string, digits: string): Promise<SimCall>;
  hangup(sid: string): Promise<SimCall>;
  reject(sid: string): Promise<SimCall>;
  /** Everything said on the call so far, in order. */
  heard(call: SimCall): string;
}

/** The API's rate limits (per account, IP, service, failed authentication) out of the way: suites call far faster than any client. */
export const UNLIMITED_API_RATES = {
  VERITY_RATE_ACCOUNT_BURST: '100000',
  VERITY_RATE_ACCOUNT_PER_SECOND: '100000',
  VERITY_RATE_IP_BURST: '100000',
  VERITY_RATE_IP_PER_SECOND: '100000',
  VERITY_RATE_SERVICE_BURST: '100000',
  VERITY_RATE_SERVICE_PER_SECOND: '100000',
  VERITY_RATE_AUTH_FAILURES_BURST: '100000',
};

export interface StartOptions extends ContextOptions {
  env?: Record<string, string>;
  manualClock?: boolean;
  /** Use PostgreSQL at this URL (a fresh schema is created and dropped). */
  postgresUrl?: string;
}

/** Starts a real Verity on 127.0.0.1 with a fresh SQLite file (or a fresh PostgreSQL schema). */
export async function startVerity(options: StartOptions = {}): Promise<TestVerity> {
  const dataDir = mkdtempSync(join(tmpdir(), 'verity-test-'));
  let databaseUrl = `sqlite:${join(dataDir, 'verity.db')}`;
  let dropSchema: (() => Promise<void>) | undefined;
  if (options.postgresUrl) {
    const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: options.postgresUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const u = new URL(options.postgresUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = u.toString();
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: options.postgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  }
  let logText = '';
  const logDestination = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const config = loadVerityConfig({
    NODE_ENV: 'test',
    VERITY_DATA_DIR: dataDir,
    VERITY_DATABASE_URL: databaseUrl,
    VERITY_PORT: '0',
    VERITY_LOG_LEVEL: 'info',
    ...UNLIMITED_API_RATES,
    // Hosted pages and device calls: suites post far faster than a person (and a manual clock never refills);
    // test/integration/hosted-limits.test.ts sets its own. The session budgets keep their defaults.
    VERITY_RATE_HOSTED_IP_BURST: '100000',
    VERITY_RATE_HOSTED_SESSION_BURST: '100000',
    VERITY_RATE_HOSTED_SEND_IP_BURST: '100000',
    VERITY_RATE_HOSTED_SEND_SESSION_BURST: '1000',
    VERITY_RATE_DEVICE_FACTOR_BURST: '100000',
    // The tests' receivers listen on 127.0.0.1; the SSRF tests turn this off again.
    VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true',
    ...options.env,
  });
  const clock = options.manualClock ? new ManualClock(Date.now()) : undefined;
  const ctx = await createContext(config, { logDestination, ...options, ...(clock ? { clock } : {}) });
  const server = await startServer(ctx, { port: 0, host: '127.0.0.1' });
  // The public URL is only known once the port is; tests read resources with it.
  ctx.config.publicUrl = server.url;
  const { account, authToken } = await createAccount(ctx.stores, ctx.keyring, 'Test', ctx.clock.now());

  let client: TestVerity['client'] | undefined;
  /** The twilio package (hundreds of CommonJS modules, ~0.6 s of CPU under tsx) loads on first use: most suites never use the client. */
  const twilioClient = (): TestVerity['client'] => {
    if (client) return client;
    const load = createRequire(import.meta.url)('twilio') as typeof twilio;
    class LocalRequestClient extends load.RequestClient {
      override request(opts: any): Promise<any> {
        return super.request({ ...opts, uri: String(opts.uri).replace(/^https:\/\/[^/]+/, server.url) });
      }
    }
    client = load(account.sid, authToken, { httpClient: new LocalRequestClient() });
    return client;
  };

  const api: TestVerity['api'] = async (method, path, form, auth) => {
    const headers: Record<string, string> = {};
    const credentials = auth === undefined ? { user: account.sid, password: authToken } : auth;
    if (credentials) headers.authorization = 'Basic ' + Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
    let body: string | undefined;
    if (form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    // In process (Fastify's inject): the same routes, hooks and checks, without a socket per call.
    const res = await server.inject({ method: method as InjectOptions['method'], url: path, headers, ...(body === undefined ? {} : { payload: body }) });
    const text = res.body;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) for (const one of [value].flat()) if (one !== undefined) responseHeaders.append(name, String(one));
    return { status: res.statusCode, body: parsed, headers: responseHeaders };
  };
  const inbox: TestVerity['inbox'] = async (address) => {
    const res = await server.inject({ url: `/sim/v1/inbox/${encodeURIComponent(address)}` });
    return (res.json() as { messages: any[] }).messages;
  };
  const lastCode = async (address: string): Promise<string> => {
    const [latest] = await inbox(address);
    if (!latest) throw new Error(`nothing delivered to ${address}`);
    const match = /(\d(?:, )?){4,10}/.exec(latest.body.replace(/@\S+ #\d+/, ''));
    if (!match) throw new Error(`no code in "${latest.body}"`);
    return match[0].replace(/\D/g, '');
  };
  const simCall = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await server.inject({ method: method as InjectOptions['method'], url: `/sim/v1/phones/${path}`, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }) });
    const parsed = res.json() as any;
    if (res.statusCode < 200 || res.statusCode > 299) throw Object.assign(new Error(`sim ${method} ${path}: ${res.statusCode} ${JSON.stringify(parsed)}`), { status: res.statusCode, body: parsed });
    return parsed;
  };
  const phone = (number: string): SimPhone => {
    const n = encodeURIComponent(number);
    const calls = async (): Promise<SimCall[]> => ((await simCall('GET', `${n}/calls`)) as { calls: SimCall[] }).calls;
    return {
      calls,
      latestCall: async () => {
        for (let i = 0; i < 100; i++) {
          const [latest] = await calls();
          if (latest) return latest;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`no call to ${number}`);
      },
      answer: (sid) => simCall('POST', `${n}/calls/${sid}/answer`),
      dtmf: (sid, digits) => simCall('POST', `${n}/calls/${sid}/dtmf`, { digits }),
      hangup: (sid) => simCall('POST', `${n}/calls/${sid}/hangup`),
      reject: (sid) => simCall('POST', `${n}/calls/${sid}/reject`),
      heard: (call) => call.prompts.map((p) => p.text).join(' '),
    };
  };
  return {
    url: server.url,
    ctx,
    phone,
    clock,
    accountSid: account.sid,
    authToken,
    logs: () => logText,
    get client() {
      return twilioClient();
    },
    api,
    inbox,
    lastCode,
    close: async () => {
      await server.close();
      await dropSchema?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` against SQLite, and against PostgreSQL too when VERITY_TEST_POSTGRES_URL is set. */
export const DATABASES: Array<{ name: string; postgresUrl?: string }> = [
  { name: 'sqlite' },
  ...(process.env.VERITY_TEST_POSTGRES_URL ? [{ name: 'postgres', postgresUrl: process.env.VERITY_TEST_POSTGRES_URL }] : []),
];

export { sql };
