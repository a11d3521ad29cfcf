import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { appIdOf, issueAuthyKey, revokeAuthyKey } from '../../authy/authy-keys.ts';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { checkWebhookUrl } from '../../events/webhook-target.ts';
import type { AuthyAppRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';
import { fetchAuthyAppSchema, issueAuthyApiKeySchema, revokeAuthyApiKeySchema, updateAuthyAppSchema } from './authy-key-schema.ts';
import { loadService, serviceFirst } from './services-routes.ts';

function authyAppResource(ctx: AppContext, row: AuthyAppRow): Record<string, unknown> {
  return {
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    app_id: appIdOf(row),
    key_status: row.key_digest === null ? 'revoked' : 'active',
    onetouch_callback_url: row.onetouch_callback_url,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url: `${ctx.config.publicUrl}/v2/Services/${row.service_sid}/AuthyApp`,
  };
}

/** Verity extension: a service's Authy application and its API key (docs/authy.md). */
export function authyKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The same checks as a webhook URL (absolute http(s), no credentials, the address policy); empty clears it.
  const callbackUrl = async (value: string | undefined): Promise<string | null | undefined> =>
    value === undefined ? undefined : value === '' ? null : checkWebhookUrl(value, { policy: ctx.config.webhooks.addressPolicy, resolveHost: ctx.resolveHost });

  api.post('/v2/Services/:serviceSid/AuthyApiKey', { schema: issueAuthyApiKeySchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const { app: row, apiKey } = await issueAuthyKey(ctx, service, { callbackUrl: await callbackUrl(request.body.OneTouchCallbackUrl) });
    return reply.status(201).send({ ...authyAppResource(ctx, row), api_key: apiKey });
  });

  api.delete('/v2/Services/:serviceSid/AuthyApiKey', { schema: revokeAuthyApiKeySchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    if (!(await revokeAuthyKey(ctx, service))) throw notFound(`/Services/${service.sid}/AuthyApiKey`);
    return reply.status(204).send();
  });

  api.get('/v2/Services/:serviceSid/AuthyApp', { schema: fetchAuthyAppSchema }, async (request) => {
    const service = await loadService(ctx, request);
    const row = await ctx.stores.authyApps.findByService(service.sid);
    if (!row) throw notFound(`/Services/${service.sid}/AuthyApp`);
    return authyAppResource(ctx, row);
  });

  api.post('/v2/Services/:serviceSid/AuthyApp', { schema: updateAuthyAppSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const url = await callbackUrl(request.body.OneTouchCallbackUrl);
    const row = url === undefined ? await ctx.stores.authyApps.findByService(service.sid) : await ctx.stores.authyApps.setCallbackUrl(service.sid, url, ctx.clock.now());
    if (!row) throw notFound(`/Services/${service.sid}/AuthyApp`);
    return authyAppResource(ctx, row);
  });
}
