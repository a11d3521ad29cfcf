import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountAuthenticator, createAccount, sealExistingToken } from '../accounts/account-credentials.ts';
import type { AppContext } from '../context.ts';
import { writePrivateFile } from '../store/private-files.ts';

/**
 * Development only: one account whose credentials are kept in `<data dir>/dev-account.json`
 * (mode 0600), so `npm start` can print working credentials on every start. The database
 * holds the token's keyed hash and the token sealed (for X-Twilio-Signature); a development
 * account older than sealed tokens gets its token sealed here, from the saved file.
 */
export async function ensureDevAccount(ctx: AppContext): Promise<{ account_sid: string; auth_token: string }> {
  const path = join(ctx.config.dataDir, 'dev-account.json');
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { account_sid: string; auth_token: string };
    const account = await new AccountAuthenticator(ctx.stores, ctx.keyring, ctx.clock, 0).authenticate(saved.account_sid, saved.auth_token);
    if (account) {
      await sealExistingToken(ctx.stores, ctx.keyring, account, saved.auth_token);
      return saved;
    }
  }
  const { account, authToken } = await createAccount(ctx.stores, ctx.keyring, 'Development', ctx.clock.now());
  const saved = { account_sid: account.sid, auth_token: authToken };
  // Replaced, not overwritten in place: a file left 0644 by an older version ends 0600 too.
  writePrivateFile(path, JSON.stringify(saved, null, 2) + '\n');
  return saved;
}
