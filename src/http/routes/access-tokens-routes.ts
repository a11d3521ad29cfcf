import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { fetchAccessToken } from '../../factors/push/access-token-records.ts';
import { accessTokenResource } from '../resources/access-token-resource.ts';
import { API_ERRORS } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { pathSid } from '../schema/resource-fields.ts';
import { AccessToken } from './factors-schema.ts';
import { ServicePath } from './services-schema.ts';
import { loadService } from './services-routes.ts';

const fetchAccessTokenSchema = operation({
  operationId: 'fetchAccessToken',
  tag: 'Factors',
  summary: 'Fetch an enrollment token',
  description: 'Answers an AccessToken (with its `token`) until its `ttl` ends; Verity keeps it sealed until then and forgets it after.',
  caller: 'account',
  params: ServicePath.extend({ sid: pathSid('YK', 'The token\'s SID.') }),
  ok: { 200: { description: 'The token.', schema: AccessToken } },
  errors: [{ code: 20404, when: 'unknown service, no such token in the service, or the token expired.', message: 'The requested resource /Services/VA…/AccessTokens/YK… was not found' }, ...API_ERRORS],
});

/** `GET /v2/Services/{VA}/AccessTokens/{YK}` (the create is in factors-routes.ts). */
export function accessTokensRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/v2/Services/:serviceSid/AccessTokens/:sid', { schema: fetchAccessTokenSchema }, async (request) => {
    const service = await loadService(ctx, request);
    const { sid } = request.params;
    const token = /^YK[0-9a-f]{32}$/.test(sid) ? await fetchAccessToken(ctx, service.account_sid, service.sid, sid) : undefined;
    if (!token) throw notFound(`/Services/${service.sid}/AccessTokens/${sid}`);
    return accessTokenResource(token, ctx.config.publicUrl);
  });
}
