/**
 * The servers bench/compare.ts measures Verity against, each run as a child process of its own
 * (`node --import tsx bench/support/peer-server.ts <echo|better-auth> <port> <dir>`), on Fastify
 * like Verity, so the difference measured is what each does per request:
 * - `echo`: a bare Fastify server answering a form POST with a small JSON body (the ceiling of any
 *   Fastify server on this machine, with this load generator).
 * - `better-auth`: better-auth with its phone-number plugin on SQLite (better-sqlite3, WAL, as
 *   better-auth's Kysely adapter runs it), its OTP send (`sendPhoneNumberOTP`, whose `sendOTP`
 *   callback only records the code) and its verify-and-consume (`consumePhoneNumberOTP`: one
 *   attempt of a code, a right code consumes the OTP, a wrong one counts an attempt), called
 *   through `auth.api` (better-auth's server API) from Fastify routes. Its own Web-Request handler
 *   would add cost on top, so the comparison is conservative. Its HTTP rate limits are off, as
 *   Verity's are raised for the benchmark; up to 5 attempts per code, as Verity's check.
 *   `GET /_bench/codes` answers (and forgets) the codes recorded since the last call.
 * Prints `ready` on stdout once listening.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';

const [mode, portText, dir] = process.argv.slice(2);
const port = Number(portText);
if ((mode !== 'echo' && mode !== 'better-auth') || !Number.isInteger(port) || !dir) {
  process.stderr.write('usage: peer-server.ts <echo|better-auth> <port> <dir>\n');
  process.exit(2);
}

const app = Fastify({ logger: false });
await app.register(formbody);

if (mode === 'echo') {
  app.post('/echo', async (request) => {
    const body = request.body as Record<string, string>;
    return { status: 'pending', to: body.To ?? null, valid: false };
  });
} else {
  const { betterAuth } = await import('better-auth');
  const { phoneNumber } = await import('better-auth/plugins/phone-number');
  const { getMigrations } = await import('better-auth/db/migration');
  const sqlite = new Database(join(dir, 'better-auth.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const codes = new Map<string, string>();
  const auth = betterAuth({
    database: sqlite,
    secret: 'bench-secret-bench-secret-bench-secret-0123456789',
    baseURL: `http://127.0.0.1:${port}`,
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { disabled: true },
    plugins: [
      phoneNumber({
        sendOTP: ({ phoneNumber: to, code }) => {
          codes.set(to, code);
        },
        allowedAttempts: 5,
        expiresIn: 600,
      }),
    ],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();

  /** better-auth's APIError carries an HTTP status and a code; anything else is a 500. */
  const failure = (error: unknown): { status: number; body: { code: string } } => {
    const e = error as { statusCode?: unknown; body?: { code?: unknown } };
    if (typeof e.statusCode === 'number') return { status: e.statusCode, body: { code: String(e.body?.code ?? 'ERROR') } };
    return { status: 500, body: { code: error instanceof Error ? error.message : String(error) } };
  };

  app.post('/send-otp', async (request, reply) => {
    const body = request.body as { phoneNumber?: string };
    try {
      return await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: String(body.phoneNumber) } });
    } catch (error) {
      const f = failure(error);
      return reply.status(f.status).send(f.body);
    }
  });
  app.post('/consume', async (request, reply) => {
    const body = request.body as { phoneNumber?: string; code?: string };
    try {
      return await auth.api.consumePhoneNumberOTP({ body: { phoneNumber: String(body.phoneNumber), code: String(body.code) } });
    } catch (error) {
      const f = failure(error);
      return reply.status(f.status).send(f.body);
    }
  });
  app.get('/_bench/codes', async () => {
    const all = Object.fromEntries(codes);
    codes.clear();
    return all;
  });
}

await app.listen({ host: '127.0.0.1', port });
process.stdout.write('ready\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
