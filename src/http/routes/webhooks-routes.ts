import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { invalidParameter, notFound } from '../../errors/verity-error.ts';
import { EVENT_TYPES, isEventTypeFilter } from '../../events/event-types.ts';
import { checkWebhookUrl } from '../../events/webhook-target.ts';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, webhookEventTypes } from '../../events/webhooks-store.ts';
import type { WebhookRow } from '../../store/schema.ts';
import { pageResponse, readPage } from '../pagination.ts';
import { Params } from '../params.ts';
import { wireDate } from '../wire-format.ts';
import { loadService } from './services-routes.ts';

type ServicePath = { Params: { serviceSid: string } };
type WebhookPath = { Params: { serviceSid: string; webhookSid: string } };

function webhookResource(row: WebhookRow, base: string): Record<string, unknown> {
  return {
    url: `${base}/v2/Services/${row.service_sid}/Webhooks/${row.sid}`,
    sid: row.sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    friendly_name: row.friendly_name,
    event_types: webhookEventTypes(row),
    webhook_method: row.webhook_method,
    webhook_url: row.webhook_url,
    status: row.status,
    version: row.version,
    date_created: wireDate(row.date_created),
    date_updated: wireDate(row.date_updated),
  };
}

/** The WebhookUrl parameter, checked against the outbound address policy (SSRF defence, 64501). */
async function webhookUrl(p: Params, required: boolean, ctx: AppContext): Promise<string | undefined> {
  const value = required ? p.required('WebhookUrl', { max: 2048 }) : p.string('WebhookUrl', { max: 2048 });
  if (value === undefined) return undefined;
  return checkWebhookUrl(value, { policy: ctx.config.webhooks.addressPolicy, resolveHost: ctx.resolveHost });
}

function eventTypes(p: Params, required: boolean): string[] | undefined {
  const list = p.list('EventTypes').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) {
    if (required) throw invalidParameter('EventTypes', 'required');
    return undefined;
  }
  const bad = list.filter((t) => !isEventTypeFilter(t));
  if (bad.length) throw invalidParameter('EventTypes', `expected * or any of ${EVENT_TYPES.join(', ')}`);
  return [...new Set(list)];
}

/** The hosted API's Webhooks resource; Verity signs every delivery with the secret returned on create. */
export function webhooksRoutes(app: FastifyInstance, ctx: AppContext): void {
  const loadWebhook = async (serviceSid: string, sid: string): Promise<WebhookRow> => {
    const row = /^YW[0-9a-f]{32}$/.test(sid) ? await getWebhook(ctx.db.kysely, serviceSid, sid) : undefined;
    if (!row) throw notFound(`/Services/${serviceSid}/Webhooks/${sid}`);
    return row;
  };

  app.post<ServicePath>('/v2/Services/:serviceSid/Webhooks', async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = new Params(request.body);
    const friendlyName = p.required('FriendlyName', { max: 64 });
    const types = eventTypes(p, true) as string[];
    const { row, secret } = await createWebhook(ctx.db.kysely, ctx.keyring, ctx.clock, {
      accountSid: service.account_sid,
      serviceSid: service.sid,
      friendlyName,
      eventTypes: types,
      webhookUrl: (await webhookUrl(p, true, ctx)) as string,
      status: p.oneOf('Status', ['enabled', 'disabled']),
      version: p.oneOf('Version', ['v2']),
    });
    // The signing secret is shown once; only its sealed form is stored.
    return reply.status(201).send({ ...webhookResource(row, ctx.config.publicUrl), secret });
  });

  app.get<ServicePath>('/v2/Services/:serviceSid/Webhooks', async (request) => {
    const service = await loadService(ctx, request);
    const page = readPage(new Params(request.query));
    const rows = await listWebhooks(ctx.db.kysely, service.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((r) => webhookResource(r, ctx.config.publicUrl));
    return pageResponse('webhooks', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services/${service.sid}/Webhooks`);
  });

  app.get<WebhookPath>('/v2/Services/:serviceSid/Webhooks/:webhookSid', async (request) => {
    const service = await loadService(ctx, request);
    return webhookResource(await loadWebhook(service.sid, request.params.webhookSid), ctx.config.publicUrl);
  });

  app.post<WebhookPath>('/v2/Services/:serviceSid/Webhooks/:webhookSid', async (request) => {
    const service = await loadService(ctx, request);
    await loadWebhook(service.sid, request.params.webhookSid);
    const p = new Params(request.body);
    const friendlyName = p.string('FriendlyName', { max: 64 });
    const types = eventTypes(p, false);
    const url = await webhookUrl(p, false, ctx);
    const row = await updateWebhook(ctx.db.kysely, ctx.clock, service.sid, request.params.webhookSid, {
      ...(friendlyName !== undefined ? { friendlyName } : {}),
      ...(types ? { eventTypes: types } : {}),
      ...(url ? { webhookUrl: url } : {}),
      ...(p.has('Status') ? { status: p.oneOf('Status', ['enabled', 'disabled']) } : {}),
      ...(p.has('Version') ? { version: p.oneOf('Version', ['v2']) } : {}),
    });
    if (!row) throw notFound(`/Services/${service.sid}/Webhooks/${request.params.webhookSid}`);
    return webhookResource(row, ctx.config.publicUrl);
  });

  app.delete<WebhookPath>('/v2/Services/:serviceSid/Webhooks/:webhookSid', async (request, reply) => {
    const service = await loadService(ctx, request);
    if (!(await deleteWebhook(ctx.db.kysely, service.sid, request.params.webhookSid))) throw notFound(`/Services/${service.sid}/Webhooks/${request.params.webhookSid}`);
    return reply.status(204).send();
  });
}
