import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { clientReturnUrls, createHandoffClient, HANDOFF_CLIENT_SID } from '../../handoff/handoff-clients.ts';
import { publishedHandoffJwks } from '../../handoff/handoff-signing-keys.ts';
import { verifyHandoffRequest } from '../../handoff/verify-handoff-request.ts';
import { notFound } from '../../errors/verity-error.ts';
import { HandoffClientsStore } from '../../store/handoff-clients-store.ts';
import type { HandoffClientRow } from '../../store/schema.ts';
import { pageResponse, readPage } from '../pagination.ts';
import { Params } from '../params.ts';
import { wireDate } from '../wire-format.ts';
import { loadService } from './services-routes.ts';

type ServicePath = { Params: { serviceSid: string } };
type ClientPath = { Params: { serviceSid: string; clientSid: string } };

function clientResource(row: HandoffClientRow, base: string): Record<string, unknown> {
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    friendly_name: row.friendly_name,
    return_urls: clientReturnUrls(row),
    algorithm: row.algorithm,
    jwks: row.jwks ? (JSON.parse(row.jwks) as unknown) : null,
    date_created: wireDate(row.date_created),
    date_updated: wireDate(row.date_updated),
    url: `${base}/v2/Services/${row.service_sid}/HandoffClients/${row.sid}`,
  };
}

/** Verity extension: the applications that may hand their users to Verity (account-authenticated /v2 scope). */
export function handoffClientRoutes(app: FastifyInstance, ctx: AppContext): void {
  const store = new HandoffClientsStore(ctx.db.kysely);
  const load = async (serviceSid: string, sid: string): Promise<HandoffClientRow> => {
    const row = HANDOFF_CLIENT_SID.test(sid) ? await store.getInService(serviceSid, sid) : undefined;
    if (!row) throw notFound(`/Services/${serviceSid}/HandoffClients/${sid}`);
    return row;
  };

  app.post<ServicePath>('/v2/Services/:serviceSid/HandoffClients', async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = new Params(request.body);
    const friendlyName = p.required('FriendlyName', { max: 64 });
    // Without Jwks the client is HS256 and Verity generates its secret.
    const jwks = p.string('Jwks', { max: 16_384 });
    const { row, secret } = await createHandoffClient(ctx, { accountSid: service.account_sid, serviceSid: service.sid, friendlyName, returnUrls: p.list('ReturnUrl'), jwks });
    // The HS256 secret is shown once; only its sealed form is stored.
    return reply.status(201).send({ ...clientResource(row, ctx.config.publicUrl), ...(secret !== undefined ? { secret } : {}) });
  });

  app.get<ServicePath>('/v2/Services/:serviceSid/HandoffClients', async (request) => {
    const service = await loadService(ctx, request);
    const page = readPage(new Params(request.query));
    const rows = await store.list(service.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((r) => clientResource(r, ctx.config.publicUrl));
    return pageResponse('handoff_clients', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services/${service.sid}/HandoffClients`);
  });

  app.get<ClientPath>('/v2/Services/:serviceSid/HandoffClients/:clientSid', async (request) => {
    const service = await loadService(ctx, request);
    return clientResource(await load(service.sid, request.params.clientSid), ctx.config.publicUrl);
  });

  app.delete<ClientPath>('/v2/Services/:serviceSid/HandoffClients/:clientSid', async (request, reply) => {
    const service = await loadService(ctx, request);
    if (!(await store.delete(service.sid, request.params.clientSid))) throw notFound(`/Services/${service.sid}/HandoffClients/${request.params.clientSid}`);
    return reply.status(204).send();
  });
}

/**
 * The unauthenticated half: Verity's published result-signing keys, and the entry point of a hand-off.
 * The hosted pages that run the factor come later; for now `/handoff` verifies the request (and spends
 * its `jti`) and acknowledges it as JSON.
 */
export function handoffPublicRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    // Short caching: a rotated key appears within minutes, and the old one stays published for 24 h.
    void reply.header('Cache-Control', 'public, max-age=300');
    return publishedHandoffJwks(ctx);
  });

  app.get('/handoff', async (request) => {
    const token = new Params(request.query).required('request', { max: 8192 });
    const handoff = await verifyHandoffRequest(ctx, token);
    return {
      status: 'accepted',
      client_sid: handoff.clientSid,
      service_sid: handoff.serviceSid,
      subject: handoff.subject,
      factors: handoff.factors,
      return_to: handoff.returnTo,
      expires_at: wireDate(handoff.expiresAt * 1000),
    };
  });
}
