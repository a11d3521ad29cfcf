import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { API_KEY_SID, createApiKey } from '../accounts/api-keys.ts';
import { createContext } from '../create-context.ts';
import { loadVerityConfig } from '../providers/registry.ts';
import { apiKeyResource } from '../http/resources/api-key-resource.ts';

/**
 * `verity keys create|list|revoke`: an operator's way to the API keys of an account, the same rows
 * as `/2010-04-01/Accounts/{AC}/Keys` (JSON lines on stdout; the secret only from `create`).
 */
export async function apiKeysCommand(sub: 'create' | 'list' | 'revoke', args: string[], usage: string): Promise<number> {
  const { values } = parseArgs({ args, options: { account: { type: 'string' }, name: { type: 'string' }, sid: { type: 'string' } } });
  const accountSid = values.account?.trim() ?? '';
  if (!/^AC[0-9a-f]{32}$/.test(accountSid) || (sub === 'revoke' && !API_KEY_SID.test(values.sid ?? ''))) {
    console.error(`keys ${sub} needs --account AC…${sub === 'revoke' ? ' and --sid SK…' : ''}\n\n${usage}`);
    return 2;
  }
  const ctx = await createContext(loadVerityConfig({ ...process.env, VERITY_LOG_LEVEL: process.env.VERITY_LOG_LEVEL ?? 'warn' }), { logDestination: pino.destination({ fd: 2, sync: true }) });
  try {
    if (!(await ctx.stores.accounts.find(accountSid))) {
      console.error(`no account ${accountSid}`);
      return 1;
    }
    if (sub === 'create') {
      const { row, secret } = await createApiKey(ctx.stores.apiKeys, ctx.keyring, accountSid, values.name?.trim() ?? '', ctx.clock.now());
      console.log(JSON.stringify({ ...apiKeyResource(row), account_sid: accountSid, secret }));
      return 0;
    }
    if (sub === 'list') {
      for (const row of await ctx.stores.apiKeys.list(accountSid, { limit: 10_000, offset: 0 })) console.log(JSON.stringify(apiKeyResource(row)));
      return 0;
    }
    const sid = values.sid ?? '';
    if (!(await ctx.stores.apiKeys.delete(accountSid, sid))) {
      console.error(`no key ${sid} in account ${accountSid}`);
      return 1;
    }
    console.log(JSON.stringify({ sid, revoked: true }));
    return 0;
  } finally {
    await ctx.db.close();
  }
}
