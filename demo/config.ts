import { join } from 'node:path';

/** Everything the demo needs to run: where Verity is, its API credentials and hand-off client, and its own address. */
export interface DemoConfig {
  /** Verity's public URL (its VERITY_PUBLIC_URL): API calls and the hand-off's audience. */
  verityUrl: string;
  accountSid: string;
  authToken: string;
  /** The Verity service the demo's users are entities of. */
  serviceSid: string;
  /** The demo's HS256 hand-off client and its secret. */
  handoffClientSid: string;
  handoffClientSecret: string;
  /** Where browsers reach the demo, e.g. `http://127.0.0.1:3000` (return URL = `${publicUrl}/handoff/return`). */
  publicUrl: string;
  host: string;
  port: number;
  /** Signs the session and device cookies (at least 32 characters). */
  cookieSecret: string;
  /** The demo's own SQLite file. */
  databasePath: string;
  /** Development: Verity's virtual phone, linked from the pages where a call, text or push arrives. */
  virtualPhoneUrl?: string | undefined;
  /** Whether calls ring that virtual phone (false: Verity calls real phones, e.g. over a SIP trunk, and the call pages do not point to it). */
  callsRingVirtualPhone?: boolean;
}

export class DemoConfigError extends Error {
  override readonly name = 'DemoConfigError';
}

/** The return route registered with Verity: results arrive here. */
export const returnUrlOf = (publicUrl: string): string => `${publicUrl.replace(/\/+$/, '')}/handoff/return`;

/**
 * Reads the demo's configuration from the environment (see demo/README.md); every missing or
 * malformed variable is reported at once.
 */
export function demoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const problems: string[] = [];
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const port = Number(env.DEMO_PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('DEMO_PORT must be a port number');
  const host = env.DEMO_HOST ?? '127.0.0.1';
  const config: DemoConfig = {
    verityUrl: need('VERITY_URL').replace(/\/+$/, ''),
    accountSid: need('VERITY_ACCOUNT_SID'),
    authToken: need('VERITY_AUTH_TOKEN'),
    serviceSid: need('DEMO_SERVICE_SID'),
    handoffClientSid: need('DEMO_HANDOFF_CLIENT_SID'),
    handoffClientSecret: need('DEMO_HANDOFF_CLIENT_SECRET'),
    publicUrl: (env.DEMO_PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    host,
    port,
    cookieSecret: need('DEMO_COOKIE_SECRET'),
    databasePath: env.DEMO_DATABASE ?? join(env.DEMO_DATA_DIR ?? 'data', 'demo.sqlite'),
    virtualPhoneUrl: env.DEMO_VIRTUAL_PHONE_URL,
  };
  if (config.cookieSecret && config.cookieSecret.length < 32) problems.push('DEMO_COOKIE_SECRET must have at least 32 characters');
  for (const name of ['verityUrl', 'publicUrl'] as const) {
    if (config[name] && !/^https?:\/\/[^/]+$/.test(config[name])) problems.push(`${name === 'verityUrl' ? 'VERITY_URL' : 'DEMO_PUBLIC_URL'} must be an origin such as http://localhost:3000`);
  }
  if (problems.length > 0) throw new DemoConfigError(`Demo Bank configuration:\n  ${problems.join('\n  ')}`);
  return config;
}
