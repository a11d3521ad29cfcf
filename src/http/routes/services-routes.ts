import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LRUCache } from 'lru-cache';
import type { AppContext } from '../../context.ts';
import { VerityError, notFound } from '../../errors/verity-error.ts';
import { findTemplate } from '../../verify/templates/templates.ts';
import { serviceResource } from '../resources/service-resource.ts';
import { newServiceRow, serviceUpdate } from '../../services/service-settings.ts';
import type { ServiceRow } from '../../store/schema.ts';
import { ttlCache } from '../../time/ttl-cache.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pageOf, pageResponse } from '../pagination.ts';
import { createServiceSchema, deleteServiceSchema, fetchServiceSchema, listServicesSchema, updateServiceSchema } from './services-schema.ts';

type WithSid = { Params: { serviceSid: string } };

/**
 * Services are read on every Verify request but change rarely: rows are kept for a second (never
 * "not found" answers), and this process forgets a row as soon as it updates or deletes it, so
 * only a change made by another Verity process can take up to SERVICE_CACHE_MS to be seen.
 */
const SERVICE_CACHE_MS = 1000;
const serviceCaches = new WeakMap<AppContext, LRUCache<string, ServiceRow>>();

function serviceCache(ctx: AppContext): LRUCache<string, ServiceRow> {
  let cache = serviceCaches.get(ctx);
  if (!cache) serviceCaches.set(ctx, (cache = ttlCache(ctx.clock, { max: 10_000, ttlMs: SERVICE_CACHE_MS })));
  return cache;
}

/** Forgets a cached service row after a change (the admin console's settings form calls it too). */
export function forgetService(ctx: AppContext, accountSid: string, sid: string): void {
  serviceCache(ctx).delete(`${accountSid}:${sid}`);
}

/** The service a request already loaded (serviceFirst, then the handler): one lookup per request. */
const servicesOfRequests = new WeakMap<FastifyRequest, ServiceRow>();

/** Loads a service of the authenticated account; another account's service does not exist (20404). */
export async function loadService(ctx: AppContext, request: FastifyRequest<WithSid>): Promise<ServiceRow> {
  const sid = request.params.serviceSid;
  if (!/^VA[0-9a-f]{32}$/.test(sid)) throw notFound(`/Services/${sid}`);
  const seen = servicesOfRequests.get(request);
  if (seen?.sid === sid) return seen;
  const key = `${request.account.sid}:${sid}`;
  const cache = serviceCache(ctx);
  const cached = cache.get(key);
  if (cached) {
    servicesOfRequests.set(request, cached);
    return cached;
  }
  const row = await ctx.stores.services.find(request.account.sid, sid);
  if (!row) {
    cache.delete(key);
    throw notFound(`/Services/${sid}`);
  }
  cache.set(key, row);
  servicesOfRequests.set(request, row);
  return row;
}

/**
 * Looks the path's service up before the body is validated, so an unknown service answers 20404
 * whatever the body holds, as it always has (a route's preValidation hook).
 */
export function serviceFirst(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    await loadService(ctx, request as FastifyRequest<WithSid>);
  };
}

export function servicesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const store = () => ctx.stores.services;
  const api = app.withTypeProvider<ZodTypeProvider>();

  // A default template that does not exist would silently send the built-in text: refused when it is set.
  const requireTemplate = async (accountSid: string, sid: string | undefined) => {
    if (sid && !(await findTemplate(ctx, accountSid, sid))) throw new VerityError(60228, 'Template was not found: DefaultTemplateSid names no template of this account');
  };

  api.post('/v2/Services', { schema: createServiceSchema }, async (request, reply) => {
    await requireTemplate(request.account.sid, request.body.DefaultTemplateSid);
    const row = newServiceRow(request.account.sid, request.body, ctx.clock.now());
    await store().insert(row);
    return reply.status(201).send(serviceResource(row, ctx.config.publicUrl));
  });

  api.get('/v2/Services', { schema: listServicesSchema }, async (request) => {
    const page = pageOf(request.query);
    const rows = await store().list(request.account.sid, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => serviceResource(r, ctx.config.publicUrl));
    return pageResponse('services', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services`);
  });

  api.get('/v2/Services/:serviceSid', { schema: fetchServiceSchema }, async (request) => serviceResource(await loadService(ctx, request), ctx.config.publicUrl));

  api.post('/v2/Services/:serviceSid', { schema: updateServiceSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const row = await loadService(ctx, request);
    await requireTemplate(request.account.sid, request.body.DefaultTemplateSid);
    const patch = serviceUpdate(row, request.body, ctx.clock.now());
    await store().update(request.account.sid, row.sid, patch);
    forgetService(ctx, request.account.sid, row.sid);
    return serviceResource({ ...row, ...patch }, ctx.config.publicUrl);
  });

  api.delete('/v2/Services/:serviceSid', { schema: deleteServiceSchema }, async (request, reply) => {
    const row = await loadService(ctx, request);
    await store().delete(request.account.sid, row.sid);
    forgetService(ctx, request.account.sid, row.sid);
    return reply.status(204).send();
  });
}
