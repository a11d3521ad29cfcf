import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { brandLogoPath, clientReturnUrls, createHandoffClient, HANDOFF_CLIENT_SID, updateHandoffClient, type BrandingInput } from '../../handoff/handoff-clients.ts';
import { publishedHandoffJwks } from '../../handoff/handoff-signing-keys.ts';
import { trustedRefusalTarget, verifyHandoffRequest } from '../../handoff/verify-handoff-request.ts';
import { findSessionOfRequest } from '../../handoff/handoff-session.ts';
import { errorLocation } from '../../handoff/issue-handoff-result.ts';
import { startEnrollment } from '../../hosted-factors/enrollment-hub.ts';
import { FACTOR_ROUTES } from '../../hosted-factors/factor-routes.ts';
import { startIdentify } from '../../hosted-factors/passkey/passkey-identify-flow.ts';
import { chooserAgain, startHostedHandoff } from '../../hosted-factors/chooser.ts';
import type { Submission } from '../../hosted-factors/hosted-flow.ts';
import { renderError } from '../../hosted/handoff-pages.ts';
import { negotiateLocale } from '../../i18n/negotiate-locale.ts';
import { translate, type MessageKey } from '../../i18n/translator.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { notFound } from '../../errors/verity-error.ts';
import { asWireError } from '../domain-error-mapping.ts';
import type { HandoffClientRow } from '../../store/schema.ts';
import { friendlyName as checkedFriendlyName } from '../../services/friendly-name.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import { isoSeconds } from '../../time/format.ts';
import { loadService, serviceFirst } from './services-routes.ts';
import { BRANDING_BODY_LIMIT, createHandoffClientSchema, deleteHandoffClientSchema, fetchHandoffClientSchema, handoffJwksSchema, listHandoffClientsSchema, updateHandoffClientSchema } from './handoff-clients-schema.ts';
import { handoffBrandRoutes } from './handoff-brand-routes.ts';
import { serveHostedAssets } from './handoff-assets.ts';
import { hostedPage } from './hosted-page-schema.ts';
import * as pageSchemas from './handoff-pages-schema.ts';
import { beginSession, browserLocale, browserSecretOf, formStep, returnToApplication, seeOther, sendPage, sessionPagePath, showSession } from './handoff-flow.ts';

function clientResource(row: HandoffClientRow, base: string) {
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    friendly_name: row.friendly_name,
    return_urls: clientReturnUrls(row),
    algorithm: row.algorithm,
    jwks: row.jwks,
    branding: {
      primary_color: row.primary_color,
      background_color: row.background_color,
      support_url: row.support_url,
      logo_url: row.logo_version === null ? null : `${base}${brandLogoPath(row)}`,
    },
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url: `${base}/v2/Services/${row.service_sid}/HandoffClients/${row.sid}`,
  };
}

/** Verity extension: the applications that may hand their users to Verity (account-authenticated /v2 scope; handoff-clients-schema.ts). */
export function handoffClientRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const store = ctx.stores.handoffClients;
  const load = async (serviceSid: string, sid: string): Promise<HandoffClientRow> => {
    const row = HANDOFF_CLIENT_SID.test(sid) ? await store.getInService(serviceSid, sid) : undefined;
    if (!row) throw notFound(`/Services/${serviceSid}/HandoffClients/${sid}`);
    return row;
  };

  /** The branding parameters as client-branding.ts takes them. */
  const brandingOf = (p: { PrimaryColor?: string | undefined; BackgroundColor?: string | undefined; SupportUrl?: string | undefined; Logo?: string | undefined; ClearLogo?: boolean | undefined }): BrandingInput => ({
    primaryColor: p.PrimaryColor,
    backgroundColor: p.BackgroundColor,
    supportUrl: p.SupportUrl,
    logo: p.Logo,
    clearLogo: p.ClearLogo,
  });
  // A logo (≤ 64 KB, base64) may not fit the API's usual body limit.
  const bodyLimit = ctx.config.bodyLimitBytes > BRANDING_BODY_LIMIT ? ctx.config.bodyLimitBytes : BRANDING_BODY_LIMIT;

  api.post('/v2/Services/:serviceSid/HandoffClients', { schema: createHandoffClientSchema, preValidation: serviceFirst(ctx), bodyLimit }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    // The schema checked the name (the same filter as a service's name); this trims it.
    const friendlyName = checkedFriendlyName('FriendlyName', p.FriendlyName, 64) as string;
    // Without Jwks the client is HS256 and Verity generates its secret.
    const { row, secret } = await createHandoffClient(ctx, { accountSid: service.account_sid, serviceSid: service.sid, friendlyName, returnUrls: p.ReturnUrl ?? [], jwks: p.Jwks, branding: brandingOf(p) });
    // The HS256 secret is shown once; only its sealed form is stored.
    return reply.status(201).send({ ...clientResource(row, ctx.config.publicUrl), ...(secret !== undefined ? { secret } : {}) });
  });

  api.get('/v2/Services/:serviceSid/HandoffClients', { schema: listHandoffClientsSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const page = pageOf(request.query);
    const rows = await store.list(service.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((r) => clientResource(r, ctx.config.publicUrl));
    return pageResponse('handoff_clients', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services/${service.sid}/HandoffClients`);
  });

  api.get('/v2/Services/:serviceSid/HandoffClients/:clientSid', { schema: fetchHandoffClientSchema }, async (request) => {
    const service = await loadService(ctx, request);
    return clientResource(await load(service.sid, request.params.clientSid), ctx.config.publicUrl);
  });

  api.post('/v2/Services/:serviceSid/HandoffClients/:clientSid', { schema: updateHandoffClientSchema, preValidation: serviceFirst(ctx), bodyLimit }, async (request) => {
    const service = await loadService(ctx, request);
    const current = await load(service.sid, request.params.clientSid);
    const p = request.body;
    const friendlyName = p.FriendlyName === undefined ? undefined : (checkedFriendlyName('FriendlyName', p.FriendlyName, 64) as string);
    const row = await updateHandoffClient(ctx, current, { friendlyName, branding: brandingOf(p) });
    if (!row) throw notFound(`/Services/${service.sid}/HandoffClients/${current.sid}`);
    return clientResource(row, ctx.config.publicUrl);
  });

  api.delete('/v2/Services/:serviceSid/HandoffClients/:clientSid', { schema: deleteHandoffClientSchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    if (!(await store.delete(service.sid, request.params.clientSid))) throw notFound(`/Services/${service.sid}/HandoffClients/${request.params.clientSid}`);
    return reply.status(204).send();
  });
}

/** The title of the page refusing a hand-off request, per error code of verify-handoff-request.ts (texts: the `handoff-error` messages, src/i18n/messages). */
const ERROR_TITLES: Record<number, MessageKey<'handoff-error'>> = {
  64101: 'link64101',
  64102: 'link64102',
  64103: 'link64103',
  64104: 'link64104',
  64105: 'link64105',
  64106: 'link64106',
  64107: 'link64107',
  64108: 'link64108',
  64109: 'link64109',
};

/** A refused request is for the application's developers: its code and reason go to the log and, signed, to the application. */
const REFUSAL_ERRORS: Record<number, 'expired' | 'invalid_request'> = { 64104: 'expired' };

/**
 * The unauthenticated half: Verity's published result-signing keys and the hosted hand-off pages.
 *
 * `GET /handoff?request=…` verifies the request (spending its `jti`), stores the session bound to
 * this browser and answers 303 to the session's page `GET /handoff/page/:id`, which shows the step
 * the session is at (handoff-flow.ts). Every step is a POST with the form's token (`session`) that
 * acts once and answers 303 to that page, or to `return_to?result=<jwt>&state=<state>`. Each
 * factor's forms are its own routes (hosted-factors/factor-routes.ts); `/handoff/choose` ("Try
 * another way") is the chooser's.
 */
export async function handoffPublicRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/.well-known/jwks.json', { schema: handoffJwksSchema }, async (_request, reply) => {
    // Short caching: a rotated key appears within minutes, and the old one stays published for 24 h.
    void reply.header('Cache-Control', 'public, max-age=300');
    return publishedHandoffJwks(ctx);
  });

  // The files of src/hosted/assets (the stylesheet), listed once at start; each factor serves its own scripts under the same prefix.
  serveHostedAssets(app, new URL('../../hosted/assets/', import.meta.url), {
    'handoff.css': { operationId: 'handoffStylesheet', summary: 'The hosted pages\' stylesheet', description: 'The one stylesheet of the hosted hand-off pages (their CSP allows nothing else).' },
    'handoff-hub.css': { operationId: 'handoffHubStylesheet', summary: 'The enrollment hub\'s stylesheet', description: 'The enrollment hub\'s styles, linked after handoff.css on every hosted page.' },
  });

  // Each client's brand stylesheet and logo (handoff-brand-routes.ts): this server's, as the pages' CSP asks.
  handoffBrandRoutes(app, ctx);

  const pages = app.withTypeProvider<ZodTypeProvider>();
  pages.get('/handoff', hostedPage(pageSchemas.startHandoffSchema), async (request, reply) => {
    const token = typeof request.query.request === 'string' ? request.query.request : '';
    if (token === '' || token.length > 8192) {
      const locale = browserLocale(request);
      return sendPage(reply, 400, renderError(translate(locale, 'handoff-error.linkIncomplete'), translate(locale, 'handoff-error.linkWithoutRequest'), undefined, { locale }));
    }
    let handoff;
    try {
      handoff = await verifyHandoffRequest(ctx, token);
    } catch (thrown) {
      const error = asWireError(thrown);
      if (!error) throw thrown;
      const target = await trustedRefusalTarget(ctx, token);
      // The same link opened again in the browser it already opened a session in: that session's page.
      if (isDomainError(thrown, 'handoff_request_replayed') && target?.jti !== undefined) {
        const id = await findSessionOfRequest(ctx, target.clientSid, target.jti, browserSecretOf(ctx, request));
        if (id !== undefined) return seeOther(reply, sessionPagePath(id));
      }
      ctx.logger.info({ code: error.code, clientSid: target?.clientSid }, `hand-off request refused: ${error.message}`);
      // The request's ui_locales cannot be trusted here: the browser's language. The developer's reason goes to the application only.
      const locale = browserLocale(request);
      const title = translate(locale, `handoff-error.${ERROR_TITLES[error.code] ?? 'linkInvalid'}`);
      const back = target
        ? { href: await errorLocation(ctx, target, REFUSAL_ERRORS[error.code] ?? 'invalid_request', error.message), label: translate(locale, 'handoff.errorReturn', { app: target.appName }) }
        : undefined;
      return sendPage(reply, error.status, renderError(title, translate(locale, 'handoff-error.linkRefused'), back, { locale }));
    }
    const locale = negotiateLocale(handoff.uiLocales, request.headers['accept-language']);
    return beginSession(ctx, request, reply, async (): Promise<Submission> => {
      // `purpose: enroll`: the step-up chooser, the phone code or the enrollment hub (hosted-factors/enrollment-hub.ts).
      if (handoff.purpose === 'enroll') return startEnrollment(ctx, handoff, locale);
      // `purpose: identify`: the usernameless "Sign in with a passkey" page (hosted-factors/passkey/passkey-identify-flow.ts).
      if (handoff.purpose === 'identify') return startIdentify(ctx, handoff, locale);
      return { kind: 'retry', view: await startHostedHandoff(ctx, handoff, locale), message: '' };
    });
  });

  // The session's page (what every step answers 303 to) and the way back to the application from it.
  pages.get('/handoff/page/:id', hostedPage(pageSchemas.showHandoffPageSchema), async (request, reply) => showSession(ctx, request, reply, request.params.id));
  pages.get('/handoff/page/:id/return', hostedPage(pageSchemas.returnFromHandoffSchema), async (request, reply) => returnToApplication(ctx, request, reply, request.params.id));

  // "Try another way": back to the chooser from any waiting page (fallback between factors).
  formStep(app, ctx, '/handoff/choose', pageSchemas.chooseSchema, (session) => chooserAgain(ctx, session, ''), () => '');

  // Each factor's forms, scripts' endpoints and browser files (src/hosted-factors/<factor>/<factor>-routes.ts).
  for (const routes of Object.values(FACTOR_ROUTES)) await routes(app, ctx);
}
