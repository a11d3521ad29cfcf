import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { checkWebhookUrl } from '../../events/webhook-target.ts';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, webhookEventTypes } from '../../events/webhooks-store.ts';
import type { WebhookRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import { loadService, serviceFirst } from './services-routes.ts';
import { createWebhookSchema, deleteWebhookSchema, fetchWebhookSchema, FIELDS_AFTER_WEBHOOK_URL, listWebhooksSchema, updateWebhookSchema, webhookUrlOf } from './webhooks-schema.ts';

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
    format: row.format,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
  };
}

/** The hosted API's Webhooks resource; deliveries are signed X-Twilio-Signature (default) or, with `Format=verity`, with the secret returned on create. */
export function webhooksRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  /** WebhookUrl checked against the outbound address policy (SSRF defence, 64501); its shape is the schema's. */
  const checkedUrl = (value: string) => checkWebhookUrl(value, { policy: ctx.config.webhooks.addressPolicy, resolveHost: ctx.resolveHost });
  const loadWebhook = async (serviceSid: string, sid: string): Promise<WebhookRow> => {
    const row = /^YW[0-9a-f]{32}$/.test(sid) ? await getWebhook(ctx.stores.webhooks, serviceSid, sid) : undefined;
    if (!row) throw notFound(`/Services/${serviceSid}/Webhooks/${sid}`);
    return row;
  };
  /**
   * The address check (64501) keeps its old place in the order the fields are checked: after
   * FriendlyName, EventTypes and the URL's shape, before Status and Version. So when the schema's
   * first complaint is about a later field, a refused address answers first; a valid body is
   * checked by the handler (one lookup per request either way).
   */
  const addressBeforeLaterFields = (body: z.ZodType) => async (request: FastifyRequest): Promise<void> => {
    const parsed = body.safeParse(request.body);
    if (parsed.success || !FIELDS_AFTER_WEBHOOK_URL.has(String(parsed.error.issues[0]?.path[0]))) return;
    const url = webhookUrlOf(request.body);
    if (url !== undefined) await checkedUrl(url);
  };
  /** An unknown service or webhook answers 20404 whatever the body holds (before validation). */
  const webhookFirst = async (request: FastifyRequest): Promise<void> => {
    const { webhookSid } = request.params as { webhookSid: string };
    await loadWebhook((await loadService(ctx, request as FastifyRequest<WebhookPath>)).sid, webhookSid);
  };

  api.post('/v2/Services/:serviceSid/Webhooks', { schema: createWebhookSchema, preValidation: [serviceFirst(ctx), addressBeforeLaterFields(createWebhookSchema.body)] }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    const { row, secret } = await createWebhook(ctx.stores.webhooks, ctx.keyring, ctx.clock, {
      accountSid: service.account_sid,
      serviceSid: service.sid,
      friendlyName: p.FriendlyName,
      eventTypes: [...new Set(p.EventTypes)],
      webhookUrl: await checkedUrl(p.WebhookUrl),
      status: p.Status,
      version: p.Version,
      format: p.Format,
    });
    // The signing secret is shown once; only its sealed form is stored.
    return reply.status(201).send({ ...webhookResource(row, ctx.config.publicUrl), secret });
  });

  api.get('/v2/Services/:serviceSid/Webhooks', { schema: listWebhooksSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const page = pageOf(request.query);
    const rows = await listWebhooks(ctx.stores.webhooks, service.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((r) => webhookResource(r, ctx.config.publicUrl));
    return pageResponse('webhooks', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services/${service.sid}/Webhooks`);
  });

  api.get('/v2/Services/:serviceSid/Webhooks/:webhookSid', { schema: fetchWebhookSchema }, async (request) => {
    const service = await loadService(ctx, request);
    return webhookResource(await loadWebhook(service.sid, request.params.webhookSid), ctx.config.publicUrl);
  });

  api.post('/v2/Services/:serviceSid/Webhooks/:webhookSid', { schema: updateWebhookSchema, preValidation: [webhookFirst, addressBeforeLaterFields(updateWebhookSchema.body)] }, async (request) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    const types = p.EventTypes?.length ? [...new Set(p.EventTypes)] : undefined;
    const url = p.WebhookUrl === undefined ? undefined : await checkedUrl(p.WebhookUrl);
    const row = await updateWebhook(ctx.stores.webhooks, ctx.clock, service.sid, request.params.webhookSid, {
      ...(p.FriendlyName !== undefined ? { friendlyName: p.FriendlyName } : {}),
      ...(types ? { eventTypes: types } : {}),
      ...(url ? { webhookUrl: url } : {}),
      ...(p.Status !== undefined ? { status: p.Status } : {}),
      ...(p.Version !== undefined ? { version: p.Version } : {}),
      ...(p.Format !== undefined ? { format: p.Format } : {}),
    });
    if (!row) throw notFound(`/Services/${service.sid}/Webhooks/${request.params.webhookSid}`);
    return webhookResource(row, ctx.config.publicUrl);
  });

  api.delete('/v2/Services/:serviceSid/Webhooks/:webhookSid', { schema: deleteWebhookSchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    if (!(await deleteWebhook(ctx.stores.webhooks, service.sid, request.params.webhookSid))) throw notFound(`/Services/${service.sid}/Webhooks/${request.params.webhookSid}`);
    return reply.status(204).send();
  });
}
