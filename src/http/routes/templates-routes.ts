import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { createTemplate, deleteTemplate, findTemplate, listTemplates } from '../../verify/templates/templates.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import { templateResource } from '../resources/template-resource.ts';
import { createTemplateSchema, deleteTemplateSchema, fetchTemplateSchema, listTemplatesSchema } from './templates-schema.ts';

/** Verify Templates: list (the hosted API's), and create, fetch, delete an account's own (Verity extensions). */
export function templatesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const deps = { stores: ctx.stores, clock: ctx.clock };

  api.get('/v2/Templates', { schema: listTemplatesSchema }, async (request) => {
    const accountSid = request.account.sid;
    const page = pageOf(request.query);
    const all = await listTemplates(deps, accountSid, request.query.FriendlyName);
    const items = all.slice(page.offset, page.offset + page.pageSize).map((t) => templateResource(t, accountSid));
    return pageResponse('templates', items, page, all.length > page.offset + page.pageSize, `${ctx.config.publicUrl}/v2/Templates`, {
      FriendlyName: request.query.FriendlyName,
    });
  });

  api.post('/v2/Templates', { schema: createTemplateSchema }, async (request, reply) => {
    const p = request.body;
    const template = await createTemplate(deps, request.account.sid, { friendlyName: p.FriendlyName, channels: p.Channels, translations: p.Translations }, { allowLinks: ctx.config.templateLinks });
    return reply.status(201).send(templateResource(template, request.account.sid));
  });

  api.get('/v2/Templates/:templateSid', { schema: fetchTemplateSchema }, async (request) => {
    const template = await findTemplate(deps, request.account.sid, request.params.templateSid);
    if (!template) throw notFound(`/Templates/${request.params.templateSid}`);
    return templateResource(template, request.account.sid);
  });

  api.delete('/v2/Templates/:templateSid', { schema: deleteTemplateSchema }, async (request, reply) => {
    await deleteTemplate(deps, request.account.sid, request.params.templateSid);
    return reply.status(204).send();
  });
}
