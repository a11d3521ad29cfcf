import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { forgetService } from '../http/routes/services-routes.ts';
import { updateServiceSchema } from '../http/routes/services-schema.ts';
import { NO_DETAIL } from '../http/schema/wire-fields.ts';
import { serviceUpdate, type ServiceSettingsInput } from '../services/service-settings.ts';
import { csrfToken, form, serviceSid, text } from './admin-form-schemas.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { recordAdminAction } from './audit-log.ts';
import { SETTING_FIELDS, SETTINGS_NOTICES, settingsPage, settingsPath } from './settings-pages.ts';

const pageSchema = { hide: true, params: serviceSid, querystring: form({ done: text('The notice of the save just carried out (SETTINGS_NOTICES).') }) };
// The settings themselves pass through (looseObject): the API's own schema checks them in the handler.
const saveSchema = { hide: true, params: serviceSid, body: form({ csrf_token: csrfToken(), version: text('The service\'s last change when the form was shown: a form older than a later change saves nothing.') }) };

/** What one posted key holds as the form's text: a checkbox list joined, a lone value as is. */
function postedText(raw: unknown, kind: string): string {
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (kind === 'bool') return values.includes('true') ? 'true' : 'false';
  if (kind === 'channels') return [...new Set(values)].sort().join(',');
  return values[0] ?? '';
}

/** The field and detail of the API's `Invalid parameter: <Key> (<detail>)` (a domain check's refusal). */
function refusedField(error: VerityError): { key: string; message: string } | undefined {
  const match = /^Invalid parameter: (\S+)(?: \((.*)\))?$/.exec(error.message);
  return match?.[1] ? { key: match[1], message: match[2] ?? 'not accepted' } : undefined;
}

const sentence = (detail: string): string => `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`;

/**
 * The console's service settings (`/admin/services/{sid}/settings`). A save is checked by the API's
 * code path, not a copy: the changed fields go through the update operation's zod schema
 * (services-schema.ts) and then serviceUpdate (service-settings.ts, the domain rules), so the console
 * accepts and refuses exactly what `POST /v2/Services/{sid}` does; each refusal is shown at its field.
 * Only the fields whose value differs from the stored one are sent, as an API client would. Registered
 * in the console's signed-in scope (admin-routes.ts): same-origin and CSRF are checked before this.
 */
export function settingsAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const serviceOf = async (viewer: Viewer, sid: string) => (/^VA[0-9a-f]{32}$/.test(sid) ? ctx.stores.services.find(viewer.account.sid, sid) : undefined);
  const notFound = (viewer: Viewer, sid: string) => messagePage(viewer, 'Service not found', `No service ${sid} in this account.`);

  admin.get('/admin/services/:serviceSid/settings', { schema: pageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const service = await serviceOf(viewer, request.params.serviceSid);
    if (!service) return sendPage(reply, 404, notFound(viewer, request.params.serviceSid));
    const done = request.query.done !== undefined && Object.hasOwn(SETTINGS_NOTICES, request.query.done) ? request.query.done : undefined;
    return sendPage(reply, 200, settingsPage({ viewer, service, done, voiceprint: ctx.voiceprintStatus }));
  });

  admin.post('/admin/services/:serviceSid/settings', { schema: saveSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const service = await serviceOf(viewer, request.params.serviceSid);
    if (!service) return sendPage(reply, 404, notFound(viewer, request.params.serviceSid));
    const body = request.body as Record<string, unknown>;
    const values: Record<string, string> = {};
    const changed: Record<string, string | string[]> = {};
    for (const field of SETTING_FIELDS) {
      const value = postedText(body[field.key], field.kind);
      values[field.key] = value;
      if (value !== field.current(service)) changed[field.key] = field.kind === 'channels' ? value.split(',').filter(Boolean) : value;
    }
    const refuse = (errors: Record<string, string>) => sendPage(reply, 400, settingsPage({ viewer, service, values, errors, voiceprint: ctx.voiceprintStatus }));

    if (request.body.version !== String(service.date_updated)) {
      return sendPage(reply, 409, settingsPage({ viewer, service, voiceprint: ctx.voiceprintStatus, errors: { form: 'The settings were changed elsewhere since this form was shown. Here they are as they are now: make your change again.' } }));
    }
    const changedKeys = Object.keys(changed);
    if (changedKeys.length === 0) return redirect(reply, `${settingsPath(service.sid)}?done=unchanged`);

    // The API's schema, every refusal at once (the API answers only the first).
    const parsed = updateServiceSchema.body.safeParse(changed);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? 'form');
        errors[key] ??= issue.message === NO_DETAIL ? 'Not accepted.' : sentence(issue.message);
      }
      return refuse(errors);
    }
    let patch;
    try {
      // The domain rules (friendly-name content, locales, countries, channels, host names).
      patch = serviceUpdate(service, parsed.data as ServiceSettingsInput, ctx.clock.now());
    } catch (error) {
      if (!(error instanceof VerityError)) throw error;
      const field = refusedField(error);
      return refuse(field && SETTING_FIELDS.some((f) => f.key === field.key) ? { [field.key]: sentence(field.message) } : { form: error.message });
    }
    await ctx.stores.services.update(viewer.account.sid, service.sid, patch);
    forgetService(ctx, viewer.account.sid, service.sid);
    ctx.logger.info({ account: viewer.account.sid, service: service.sid, fields: changedKeys }, 'admin: service settings updated');
    // The names of the fields changed, never their values.
    await recordAdminAction(ctx, viewer, { action: 'service.update', targetSid: service.sid, detail: { fields: changedKeys.join(', ') } });
    return redirect(reply, `${settingsPath(service.sid)}?done=saved`);
  });
}
