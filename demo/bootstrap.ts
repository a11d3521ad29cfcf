import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VerityApiError, VerityClient } from '@verity/sdk';
import { applyDemoBranding } from './brand.ts';
import { returnUrlOf, type DemoConfig } from './config.ts';

/** What `npm start` keeps in `<data dir>/demo-bank.json` (mode 0600) so restarts reuse it. */
interface SavedSetup {
  account_sid: string;
  service_sid: string;
  handoff_client_sid: string;
  handoff_client_secret: string;
  return_url: string;
  cookie_secret: string;
}

export interface BootstrapOptions {
  verityUrl: string;
  accountSid: string;
  authToken: string;
  dataDir: string;
  /** The demo's public URL, e.g. `http://127.0.0.1:3000`. */
  publicUrl: string;
  host: string;
  port: number;
  /** Verity's virtual phone, when its simulated carrier is on. */
  virtualPhoneUrl?: string | undefined;
  /** Whether calls ring the virtual phone too (false when Verity's voice provider is a real one, e.g. a SIP trunk). Default true. */
  callsRingVirtualPhone?: boolean;
}

const exists = async (load: () => Promise<unknown>): Promise<boolean> =>
  load().then(
    () => true,
    (error: unknown) => {
      if (error instanceof VerityApiError && error.status === 404) return false;
      throw error;
    },
  );

/**
 * Development set-up through the SDK with the development account: a "Demo Bank" service and an
 * HS256 hand-off client whose return URL is the demo's. Saved in the data directory and reused while
 * they still exist at Verity and the return URL is unchanged; recreated otherwise.
 */
export async function bootstrapDemo(options: BootstrapOptions): Promise<DemoConfig> {
  const path = join(options.dataDir, 'demo-bank.json');
  const verity = new VerityClient({ baseUrl: options.verityUrl, accountSid: options.accountSid, authToken: options.authToken });
  const returnUrl = returnUrlOf(options.publicUrl);
  let saved: SavedSetup | undefined = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SavedSetup) : undefined;
  if (saved && saved.account_sid !== options.accountSid) saved = undefined;

  let serviceSid = saved?.service_sid;
  if (!serviceSid || !(await exists(() => verity.services.fetch(serviceSid as string)))) {
    serviceSid = (await verity.services.create({ friendlyName: 'Demo Bank', push: { numberMatching: true } })).sid;
    saved = undefined;
  }
  // Passkeys run on Verity's hosted pages, so the relying party is Verity's host (kept up to date
  // on every start: the URL may change). WebAuthn refuses an IP address as an RP ID.
  const verityOrigin = new URL(options.verityUrl);
  if (!/^[\d.]+$|^\[/.test(verityOrigin.hostname)) {
    await verity.services.update(serviceSid, { passkeys: { relyingPartyId: verityOrigin.hostname, relyingPartyName: 'Demo Bank', origins: [verityOrigin.origin], authenticatorAttachment: 'any' } });
  }
  let clientSid = saved?.handoff_client_sid;
  let secret = saved?.handoff_client_secret;
  if (!clientSid || !secret || saved?.return_url !== returnUrl || !(await exists(() => verity.handoffClients.fetch(serviceSid as string, clientSid as string)))) {
    const client = await verity.handoffClients.create(serviceSid, { friendlyName: 'Demo Bank', returnUrls: [returnUrl] });
    if (!client.secret) throw new Error('Verity created the hand-off client without returning its secret');
    // The client it replaces (another return URL) must not keep a valid secret at Verity.
    const replaced = saved?.handoff_client_sid;
    if (replaced) await exists(() => verity.handoffClients.remove(serviceSid as string, replaced));
    clientSid = client.sid;
    secret = client.secret;
  }
  // Its look on Verity's pages: the hop from the bank to Verity keeps the bank's colours and logo (brand.ts).
  const home = new URL(options.publicUrl);
  const supportUrl = home.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(home.hostname) ? `${home.origin}/` : undefined;
  await applyDemoBranding({ verityUrl: options.verityUrl, accountSid: options.accountSid, authToken: options.authToken, serviceSid, clientSid, supportUrl });
  const next: SavedSetup = { account_sid: options.accountSid, service_sid: serviceSid, handoff_client_sid: clientSid, handoff_client_secret: secret, return_url: returnUrl, cookie_secret: saved?.cookie_secret ?? randomBytes(32).toString('base64url') };
  writeFileSync(path, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return {
    verityUrl: options.verityUrl.replace(/\/+$/, ''),
    accountSid: options.accountSid,
    authToken: options.authToken,
    serviceSid,
    handoffClientSid: clientSid,
    handoffClientSecret: secret,
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    host: options.host,
    port: options.port,
    cookieSecret: next.cookie_secret,
    databasePath: join(options.dataDir, 'demo.sqlite'),
    virtualPhoneUrl: options.virtualPhoneUrl,
    callsRingVirtualPhone: options.callsRingVirtualPhone ?? true,
  };
}
