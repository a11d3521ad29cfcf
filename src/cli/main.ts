import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createAccount, rotateAuthToken } from '../accounts/account-credentials.ts';
import { apiKeysCommand } from './api-keys-command.ts';
import { authyKeyCommand } from './authy-key-command.ts';
import { voiceprintCommand } from './voiceprint-command.ts';
import { runClusterPrimary } from '../cluster/cluster-primary.ts';
import { clusterWorker } from '../cluster/cluster-worker.ts';
import { singleOwnerProblems } from '../cluster/single-owner-check.ts';
import { ConfigError, type Config } from '../config/config.ts';
import { withDevelopmentVoiceprint } from '../config/voiceprint-config.ts';
import { createLogger } from '../observability/logger.ts';
import { resealSecrets } from '../crypto/reseal-secrets.ts';
import { createContext, prepareDatabase } from '../create-context.ts';
import type { RouteSnapshot } from '../messaging/routing/routing-snapshot.ts';
import { loadVerityConfig, providerPlugin } from '../providers/registry.ts';
import { startServer } from '../server.ts';
import { ensureDevAccount } from './dev-account.ts';

const USAGE = `Usage: verity <command>

  serve [--dev] [--no-demo] [--workers N]
                                   start the server (--dev also prints a development account and
                                   starts the Demo Bank sample site on VERITY_DEMO_PORT, default 3000;
                                   --workers N, or VERITY_WORKERS: N processes on the one port)
  migrate                          apply database migrations
  accounts create --name NAME      create an API account; prints {"account_sid","auth_token"}
  accounts list                    list accounts (never their tokens; token_sealed false: rotate the
                                   token so its Twilio-format webhooks can be signed)
  accounts rotate-token --sid AC…  issue a new auth token (the old one stops working); the new one
                                   is also kept sealed, so Twilio-format webhooks can be signed
  keys create --account AC… [--name NAME]
                                   create an API key; prints {"sid","secret",…} (the secret only now)
  keys list --account AC…          list an account's API keys (never their secrets)
  keys revoke --account AC… --sid SK…
                                   delete an API key: requests with it fail at once
  keys generate                    print a new random master key for VERITY_MASTER_KEY
  keys rotate                      re-encrypt stored secrets under VERITY_MASTER_KEY (the old key
                                   must be listed in VERITY_RETIRED_MASTER_KEYS while this runs)
  authy-key create|rotate|revoke VA…
                                   the service's Authy API key (docs/authy.md); create and rotate
                                   print {"service_sid","app_id","api_key"} (the key only now)
  voiceprint cohort --model M.onnx --audio DIR --out FILE [--per-speaker 20]
                                   cohort file of a speaker-embedding model for VERITY_VOICEPRINT_COHORT
                                   (DIR: one folder of WAV files per background speaker)
  authenticator <command> …        the command-line authenticator (= verity-authenticator; try --help)

Configuration comes from VERITY_* environment variables (see docs/configuration.md).`;

/** Commands that print a result keep stdout for it; their logs go to stderr. */
const toStderr = () => pino.destination({ fd: 2, sync: true });

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(argv.includes('--dev'), !argv.includes('--no-demo'), workersOption(argv));
      case 'migrate': {
        const ctx = await createContext(loadVerityConfig(), { logDestination: toStderr() });
        await ctx.db.close();
        console.log(JSON.stringify({ migrated: true, database: ctx.db.dialect }));
        return 0;
      }
      case 'accounts':
        return await accounts(sub, rest);
      case 'authy-key':
        return await authyKeyCommand(sub, rest, USAGE);
      case 'voiceprint':
        return await voiceprintCommand(sub, rest, USAGE);
      case 'authenticator':
        // Loaded on demand: the authenticator needs none of the server's modules.
        return await (await import('../authenticator/main.ts')).main(argv.slice(1));
      case 'keys':
        if (sub === 'generate') {
          console.log(randomBytes(32).toString('hex'));
          return 0;
        }
        if (sub === 'create' || sub === 'list' || sub === 'revoke') return await apiKeysCommand(sub, rest, USAGE);
        if (sub === 'rotate') {
          const ctx = await createContext(loadVerityConfig(), { logDestination: toStderr() });
          try {
            console.log(JSON.stringify({ key_id: ctx.keyring.keyId, tables: await resealSecrets(ctx.stores, ctx.keyring) }));
          } finally {
            await ctx.db.close();
          }
          return 0;
        }
        break;
      case undefined:
      case 'help':
      case '--help':
        console.log(USAGE);
        return 0;
    }
    console.error(USAGE);
    return 2;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78; // EX_CONFIG
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
      console.error(`Cannot listen on ${address ?? 'the configured host'}:${port ?? '?'}: ${code === 'EADDRINUSE' ? 'the port is already in use (another Verity?)' : 'permission denied'}. Set VERITY_PORT or VERITY_HOST.`);
      return 69; // EX_UNAVAILABLE
    }
    throw error;
  }
}

async function accounts(sub: string | undefined, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, sid: { type: 'string' } } });
  const ctx = await createContext(loadVerityConfig({ ...process.env, VERITY_LOG_LEVEL: process.env.VERITY_LOG_LEVEL ?? 'warn' }), { logDestination: toStderr() });
  try {
    if (sub === 'create') {
      const name = values.name?.trim();
      if (!name) {
        console.error('accounts create needs --name NAME');
        return 2;
      }
      const { account, authToken } = await createAccount(ctx.stores, ctx.keyring, name, ctx.clock.now());
      console.log(JSON.stringify({ account_sid: account.sid, auth_token: authToken }));
      return 0;
    }
    if (sub === 'list') {
      for (const a of await ctx.stores.accounts.list()) {
        // token_sealed false: an account from before sealed tokens, whose Twilio-format webhooks go out in Verity's format until rotate-token (docs/webhooks.md).
        console.log(JSON.stringify({ account_sid: a.sid, friendly_name: a.friendly_name, status: a.status, token_sealed: a.auth_token_sealed !== null, date_created: new Date(a.date_created).toISOString() }));
      }
      return 0;
    }
    if (sub === 'rotate-token' && values.sid) {
      const token = await rotateAuthToken(ctx.stores, ctx.keyring, values.sid, ctx.clock.now());
      if (!token) {
        console.error(`no account ${values.sid}`);
        return 1;
      }
      console.log(JSON.stringify({ account_sid: values.sid, auth_token: token }));
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await ctx.db.close();
  }
}

/** The routes of VERITY_MESSAGING_CONFIG, one line each (`uk-sms  sms +44: sim-a → sim-b, 10 s`), under the banner's provider line. */
function configuredRoutes(routes: readonly RouteSnapshot[]): string[] {
  const configured = routes.filter((route) => !route.implicit);
  if (configured.length === 0) return [];
  return [
    `  Routes (VERITY_MESSAGING_CONFIG; the admin console's Delivery page shows their health):`,
    ...configured.map((route) => {
      const where = route.prefixes.length > 0 ? route.prefixes.join(' ') : 'any number';
      const timeout = route.deliveryTimeoutMs === undefined || route.targets.length < 2 ? '' : `, fails over after ${route.deliveryTimeoutMs / 1000} s without a receipt`;
      return `    ${route.id}  ${route.channel} ${where}: ${route.targets.map((target) => target.instance).join(' → ')}${timeout}`;
    }),
  ];
}

/** `--workers N` or `--workers=N`; undefined when absent (VERITY_WORKERS decides). */
function workersOption(argv: string[]): number | undefined {
  const at = argv.findIndex((arg) => arg === '--workers' || arg.startsWith('--workers='));
  if (at < 0) return undefined;
  const raw = argv[at]?.includes('=') ? argv[at]?.slice('--workers='.length) : argv[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 256) throw new ConfigError([`--workers must be a whole number from 1 to 256 (got ${raw ?? 'nothing'})`]);
  return value;
}

async function serve(dev: boolean, withDemo: boolean, workersFlag: number | undefined): Promise<number> {
  const config = dev ? devPublicUrl(withDevelopmentVoiceprint(loadVerityConfig())) : loadVerityConfig();
  const workers = workersFlag ?? config.workers;
  if (cluster.isPrimary && workers > 1) return await servePrimary(config, workers, dev);
  const worker = cluster.isWorker ? clusterWorker() : undefined;
  const ctx = await createContext(config, { defaultMetrics: true, worker });
  worker?.serveMetrics(ctx.metrics.registry);
  // With several workers only one runs the background jobs (they would herd on the same rows otherwise).
  const server = await startServer(ctx, { backgroundJobs: worker === undefined || worker.index === 0 });
  let demo: DevDemo | undefined;
  if (dev && config.env !== 'production') {
    const account = await ensureDevAccount(ctx);
    const base = config.publicUrl;
    const phone = ctx.simulator ? { url: `${base}/phone`, ringsCalls: providerPlugin(config.providers.voice)?.simulated === true } : undefined;
    demo = withDemo ? await startDevDemo(config, account, phone) : { skipped: '--no-demo' };
    const lines = [
      '',
      `  Verity is running at ${base}  (database: ${ctx.db.dialect}, providers: sms=${config.providers.sms} call=${config.providers.voice} email=${config.providers.email} whatsapp=${config.providers.whatsapp})`,
      ...configuredRoutes(ctx.routing.snapshot().routes),
      '',
      ...('url' in demo ? [`  Demo site     ${demo.url}   (Demo Bank: sign up, sign in with Verity, approve transfers by push)`] : [`  Demo site     not started: ${demo.skipped}`]),
      ...(ctx.simulator ? [`  Virtual phone ${base}/phone   (inbox, calls with a keypad, TOTP and push authenticator)`] : []),
      `  Voiceprint    ${ctx.voiceprintStatus.available ? 'on' : 'off'}   (${ctx.voiceprintStatus.enabled ? (ctx.voiceprintStatus.available ? 'VERITY_VOICEPRINT=off turns it off; off by default in production' : 'enabled, but the models in models/ did not load') : 'VERITY_VOICEPRINT=on turns it on'})`,
      '',
      '  Development account (saved in ' + config.dataDir + '/dev-account.json):',
      `    Account SID  ${account.account_sid}`,
      `    Auth token   ${account.auth_token}`,
      '',
      `  API           ${base}/v2/Services`,
      `  API docs      ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
      ...(ctx.simulator ? [`  SIM inbox     ${base}/sim/v1/inbox/{E.164 number or email}`] : []),
      `  Admin         ${base}/admin   (sign in with the account SID and auth token)`,
      ...(providerPlugin(config.providers.voice)?.simulated ? [`  SIM phones    ${base}/sim/v1/phones/{E.164 number}/calls   (answer, dtmf, hangup: see docs/voice.md)`] : []),
      `  Health        ${base}/healthz  ${base}/readyz  metrics: ${base}/metrics`,
      '',
      "  The README's examples read these variables; paste this line into your shell:",
      `    export VERITY_URL=${base} VERITY_ACCOUNT_SID=${account.account_sid} VERITY_AUTH_TOKEN=${account.auth_token}`,
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.logger.info({ signal }, 'shutting down');
      void Promise.all([server.close(), demo && 'close' in demo ? demo.close() : undefined]).then(() => resolve());
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // Drained and closed: anything still open (a webhook receiver that never answers) must not keep the process alive.
  setTimeout(() => process.exit(), 100).unref();
  return 0;
}

/**
 * `serve --workers N`: checks the configuration can run in several processes, applies migrations
 * (and makes the development master key) once, before any worker opens the database, then runs the
 * cluster primary (src/cluster/cluster-primary.ts) until every worker has drained.
 */
async function servePrimary(config: Config, workers: number, dev: boolean): Promise<number> {
  const problems = singleOwnerProblems(config, { dev });
  if (problems.length > 0) throw new ConfigError(problems);
  await prepareDatabase(config);
  return await runClusterPrimary(config, workers, createLogger(config.logLevel).child({ component: 'cluster' }));
}

/**
 * Development on loopback: browsers reach Verity as `localhost`, not `127.0.0.1`, because WebAuthn
 * refuses an IP address as a relying party ID (passkeys run on Verity's hosted pages). An explicit
 * VERITY_PUBLIC_URL wins.
 */
function devPublicUrl(config: Config): Config {
  if (process.env.VERITY_PUBLIC_URL || config.host !== '127.0.0.1') return config;
  return { ...config, publicUrl: `http://localhost:${config.port}` };
}

type DevDemo = { url: string; close: () => Promise<void> } | { skipped: string };

/**
 * `npm start`: Demo Bank in the same process, set up through the SDK with the development account.
 * The demo is a separate app (demo/, which uses only @verity/sdk); a failure to start it is reported
 * and Verity keeps running.
 */
async function startDevDemo(config: Config, account: { account_sid: string; auth_token: string }, phone: { url: string; ringsCalls: boolean } | undefined): Promise<DevDemo> {
  const port = Number(process.env.VERITY_DEMO_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { skipped: `VERITY_DEMO_PORT must be a port number (got ${process.env.VERITY_DEMO_PORT})` };
  const { bootstrapDemo } = await import('../../demo/bootstrap.ts');
  const { startDemo } = await import('../../demo/server.ts');
  try {
    const demoConfig = await bootstrapDemo({ verityUrl: config.publicUrl, accountSid: account.account_sid, authToken: account.auth_token, dataDir: config.dataDir, publicUrl: `http://127.0.0.1:${port}`, host: config.host, port, virtualPhoneUrl: phone?.url, callsRingVirtualPhone: phone?.ringsCalls ?? false });
    const demo = await startDemo(demoConfig);
    return { url: demo.url, close: demo.close };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return { skipped: `port ${port} is already in use. Set VERITY_DEMO_PORT to a free port, or pass --no-demo.` };
    if (code === 'EACCES') return { skipped: `no permission to listen on port ${port}. Set VERITY_DEMO_PORT.` };
    return { skipped: `${error instanceof Error ? error.message : String(error)}` };
  }
}
