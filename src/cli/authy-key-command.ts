import { pino } from 'pino';
import { appIdOf, issueAuthyKey, revokeAuthyKey } from '../authy/authy-keys.ts';
import { createContext } from '../create-context.ts';
import { loadVerityConfig } from '../providers/registry.ts';

/**
 * `verity authy-key create|rotate|revoke VA…`: an operator's way to a service's Authy API key, the same
 * as `POST|DELETE /v2/Services/{VA}/AuthyApiKey` (docs/authy.md). The key is printed once, as JSON.
 * `create` refuses a service that has an active key (use `rotate`); `rotate` one that has no application.
 */
export async function authyKeyCommand(sub: string | undefined, args: string[], usage: string): Promise<number> {
  const [serviceSid = ''] = args;
  if ((sub !== 'create' && sub !== 'rotate' && sub !== 'revoke') || !/^VA[0-9a-f]{32}$/.test(serviceSid)) {
    console.error(`authy-key needs create, rotate or revoke and a service SID (VA…)\n\n${usage}`);
    return 2;
  }
  const ctx = await createContext(loadVerityConfig({ ...process.env, VERITY_LOG_LEVEL: process.env.VERITY_LOG_LEVEL ?? 'warn' }), { logDestination: pino.destination({ fd: 2, sync: true }) });
  try {
    const accountSid = await ctx.stores.authyApps.accountOfService(serviceSid);
    const service = accountSid === undefined ? undefined : await ctx.stores.services.find(accountSid, serviceSid);
    if (!service) {
      console.error(`no service ${serviceSid}`);
      return 1;
    }
    const existing = await ctx.stores.authyApps.findByService(serviceSid);
    if (sub === 'revoke') {
      if (!existing) {
        console.error(`service ${serviceSid} has no Authy application`);
        return 1;
      }
      await revokeAuthyKey(ctx, service);
      console.log(JSON.stringify({ service_sid: serviceSid, app_id: appIdOf(existing), key_status: 'revoked' }));
      return 0;
    }
    if (sub === 'create' && existing?.key_digest) {
      console.error(`service ${serviceSid} already has an Authy API key: use authy-key rotate`);
      return 1;
    }
    if (sub === 'rotate' && !existing) {
      console.error(`service ${serviceSid} has no Authy application: use authy-key create`);
      return 1;
    }
    const { app, apiKey } = await issueAuthyKey(ctx, service);
    console.log(JSON.stringify({ service_sid: serviceSid, app_id: appIdOf(app), api_key: apiKey }));
    return 0;
  } finally {
    await ctx.db.close();
  }
}
