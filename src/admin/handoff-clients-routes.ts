import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { updateHandoffClient, type BrandingInput } from '../handoff/handoff-clients.ts';
import { friendlyName as checkedFriendlyName } from '../services/friendly-name.ts';
import type { HandoffClientRow } from '../store/schema.ts';
import { csrfToken, form, text } from './admin-form-schemas.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { recordAdminAction } from './audit-log.ts';
import { BRANDING_FIELDS, HANDOFF_CLIENT_NOTICES, HANDOFF_CLIENTS_PATH, brandingValues, handoffClientPage, handoffClientsPage, type BrandingFieldKey } from './handoff-clients-pages.ts';

const listSchema = { hide: true };
const clientSid = z.object({ clientSid: z.string().meta({ description: 'The hand-off client (`HC…`; a malformed SID is "not found").' }) });
const detailSchema = { hide: true, params: clientSid, querystring: form({ done: text('The notice of the save just carried out.') }) };
const saveSchema = {
  hide: true,
  params: clientSid,
  body: form({
    csrf_token: csrfToken(),
    version: text('The client\'s last change when the form was shown: a form older than a later change saves nothing.'),
    FriendlyName: text('The name (as the API\'s FriendlyName).'),
    PrimaryColor: text('#rrggbb, empty: Verity\'s colours (as the API\'s PrimaryColor).'),
    BackgroundColor: text('#rrggbb, empty: the pages\' own (as the API\'s BackgroundColor).'),
    SupportUrl: text('https URL, empty: none (as the API\'s SupportUrl).'),
    ClearLogo: text('`true` removes the logo (as the API\'s ClearLogo).'),
  }),
};

/** The field and detail of the API's `Invalid parameter: <Key> (<detail>)`, or of a contrast refusal (64130, `details.parameter`). */
function refusedField(error: VerityError): { key: string; message: string } | undefined {
  const parameter = error.details?.parameter;
  const match = /^(?:Invalid parameter|Branding colours refused): (\S+)(?: \((.*)\))?$/.exec(error.message);
  const key = typeof parameter === 'string' ? parameter : match?.[1];
  if (!key) return undefined;
  const detail = match?.[2] ?? 'not accepted';
  return { key, message: `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` };
}

/** Most services, and clients per service, the page lists (the API pages through any number). */
const SERVICES_LIMIT = 100;
const CLIENTS_LIMIT = 100;

/** The console's hand-off clients (read-only). Registered in the console's signed-in scope (admin-routes.ts). */
export function handoffClientsAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();

  admin.get(HANDOFF_CLIENTS_PATH, { schema: listSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const services = await ctx.stores.services.list(viewer.account.sid, SERVICES_LIMIT, 0);
    const groups = await Promise.all(services.map(async (service) => ({ service, clients: await ctx.stores.handoffClients.list(service.sid, { limit: CLIENTS_LIMIT, offset: 0 }) })));
    return sendPage(reply, 200, handoffClientsPage(viewer, groups));
  });

  /** The client and its service, if both are this account's. */
  const find = async (viewer: Viewer, sid: string) => {
    const client = /^HC[0-9a-f]{32}$/.test(sid) ? await ctx.stores.handoffClients.get(sid) : undefined;
    const service = client && client.account_sid === viewer.account.sid ? await ctx.stores.services.find(viewer.account.sid, client.service_sid) : undefined;
    return client && service ? { client, service } : undefined;
  };
  const notFound = (viewer: Viewer, sid: string) => messagePage(viewer, 'Hand-off client not found', `No hand-off client ${sid} in this account.`, { href: HANDOFF_CLIENTS_PATH, label: 'Back to hand-off clients' });

  admin.get(`${HANDOFF_CLIENTS_PATH}/:clientSid`, { schema: detailSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const found = await find(viewer, request.params.clientSid);
    if (!found) return sendPage(reply, 404, notFound(viewer, request.params.clientSid));
    const done = request.query.done !== undefined && Object.hasOwn(HANDOFF_CLIENT_NOTICES, request.query.done) ? request.query.done : undefined;
    return sendPage(reply, 200, handoffClientPage(viewer, found.service, found.client, { done }));
  });

  /**
   * The branding form: only the fields that differ from the stored ones are sent, through the API's
   * own checks (friendly-name rules, then updateHandoffClient: colours, WCAG contrast 64130, https
   * support link), each refusal shown at its field. Same-origin and CSRF are checked by the console's hooks.
   */
  admin.post(`${HANDOFF_CLIENTS_PATH}/:clientSid`, { schema: saveSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const found = await find(viewer, request.params.clientSid);
    if (!found) return sendPage(reply, 404, notFound(viewer, request.params.clientSid));
    const { client, service } = found;
    const body = request.body;
    const current = brandingValues(client);
    const values = { ...current };
    for (const f of BRANDING_FIELDS) values[f.key] = (body[f.key] ?? '').trim().slice(0, f.max + 1);
    values.ClearLogo = body.ClearLogo === 'true' ? 'true' : '';
    const refuse = (status: number, errors: Partial<Record<BrandingFieldKey | 'form', string>>, shown = values) => sendPage(reply, status, handoffClientPage(viewer, service, client, { values: shown, errors }));

    if (body.version !== String(client.date_updated)) {
      return refuse(409, { form: 'The client was changed elsewhere since this form was shown. Here it is as it is now: make your change again.' }, current);
    }
    const changed = BRANDING_FIELDS.filter((f) => values[f.key] !== current[f.key]).map((f) => f.key);
    const clearLogo = values.ClearLogo === 'true';
    if (changed.length === 0 && !clearLogo) return redirect(reply, `${HANDOFF_CLIENTS_PATH}/${client.sid}?done=unchanged`);

    const has = (key: BrandingFieldKey) => changed.includes(key as (typeof changed)[number]);
    const branding: BrandingInput = {
      ...(has('PrimaryColor') ? { primaryColor: values.PrimaryColor } : {}),
      ...(has('BackgroundColor') ? { backgroundColor: values.BackgroundColor } : {}),
      ...(has('SupportUrl') ? { supportUrl: values.SupportUrl } : {}),
      ...(clearLogo ? { clearLogo: true } : {}),
    };
    let row: HandoffClientRow | undefined;
    try {
      if (has('FriendlyName') && values.FriendlyName === '') return refuse(400, { FriendlyName: 'Required.' });
      const friendlyName = has('FriendlyName') ? checkedFriendlyName('FriendlyName', values.FriendlyName, 64) : undefined;
      row = await updateHandoffClient(ctx, client, { friendlyName, branding });
    } catch (error) {
      if (!(error instanceof VerityError)) throw error;
      const field = refusedField(error);
      const known = field && (BRANDING_FIELDS.some((f) => f.key === field.key) || field.key === 'ClearLogo');
      return refuse(400, known ? { [field.key]: field.message } : { form: error.message });
    }
    if (!row) return sendPage(reply, 404, notFound(viewer, client.sid));
    const fields = [...changed, ...(clearLogo ? ['ClearLogo'] : [])];
    ctx.logger.info({ account: viewer.account.sid, client: client.sid, fields }, 'admin: hand-off client updated');
    await recordAdminAction(ctx, viewer, { action: 'handoff_client.update', targetSid: client.sid, detail: { fields: fields.join(', ') } });
    return redirect(reply, `${HANDOFF_CLIENTS_PATH}/${client.sid}?done=saved`);
  });
}
