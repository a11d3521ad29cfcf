import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_KEY_SID, createApiKey } from '../../accounts/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { notFound, VerityError } from '../../errors/verity-error.ts';
import type { ApiKeyRow } from '../../store/schema.ts';
import { pageOf } from '../pagination.ts';
import { apiKeyPage, apiKeyResource } from '../resources/api-key-resource.ts';
import { createKeySchema, deleteKeySchema, fetchKeySchema, listKeysSchema, updateKeySchema } from './keys-schema.ts';

/**
 * Twilio's 2010-04-01 Keys resource, the only one of that API Verity serves (every other
 * `/2010-04-01` path stays 404). api-auth.ts has already refused a path naming another account.
 */
export function keysRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const keyPath = (accountSid: string, sid: string) => `/Accounts/${accountSid}/Keys/${sid}.json`;
  /** As on Twilio, a standard key can do what its account can except manage keys: that takes the auth token. */
  const authTokenOnly = async (request: FastifyRequest): Promise<void> => {
    if (request.apiKeySid !== null) throw new VerityError(20003, 'Authenticate: API keys are managed with the account\'s auth token, not with an API key');
  };
  const loadKey = async (accountSid: string, sid: string): Promise<ApiKeyRow> => {
    const row = API_KEY_SID.test(sid) ? await ctx.stores.apiKeys.find(accountSid, sid) : undefined;
    if (!row) throw notFound(keyPath(accountSid, sid));
    return row;
  };

  api.post('/2010-04-01/Accounts/:accountSid/Keys.json', { schema: createKeySchema, preValidation: authTokenOnly }, async (request, reply) => {
    const { row, secret } = await createApiKey(ctx.stores.apiKeys, ctx.keyring, request.account.sid, request.body.FriendlyName ?? '', ctx.clock.now());
    request.log.info({ apiKey: row.sid }, 'API key created');
    return reply.status(201).send({ ...apiKeyResource(row), secret });
  });

  api.get('/2010-04-01/Accounts/:accountSid/Keys.json', { schema: listKeysSchema, preValidation: authTokenOnly }, async (request) => {
    const page = pageOf(request.query);
    const rows = await ctx.stores.apiKeys.list(request.account.sid, { limit: page.pageSize + 1, offset: page.offset });
    return apiKeyPage(request.account.sid, rows.slice(0, page.pageSize), page, rows.length > page.pageSize);
  });

  api.get('/2010-04-01/Accounts/:accountSid/Keys/:keySid.json', { schema: fetchKeySchema, preValidation: authTokenOnly }, async (request) =>
    apiKeyResource(await loadKey(request.account.sid, request.params.keySid)),
  );

  api.post('/2010-04-01/Accounts/:accountSid/Keys/:keySid.json', { schema: updateKeySchema, preValidation: authTokenOnly }, async (request) => {
    const existing = await loadKey(request.account.sid, request.params.keySid);
    const name = request.body.FriendlyName;
    const row = name === undefined ? existing : await ctx.stores.apiKeys.rename(request.account.sid, existing.sid, name, ctx.clock.now());
    if (!row) throw notFound(keyPath(request.account.sid, request.params.keySid));
    return apiKeyResource(row);
  });

  api.delete('/2010-04-01/Accounts/:accountSid/Keys/:keySid.json', { schema: deleteKeySchema, preValidation: authTokenOnly }, async (request, reply) => {
    const sid = request.params.keySid;
    if (!API_KEY_SID.test(sid) || !(await ctx.stores.apiKeys.delete(request.account.sid, sid))) throw notFound(keyPath(request.account.sid, sid));
    request.log.info({ apiKey: sid }, 'API key deleted');
    return reply.status(204).send();
  });
}
