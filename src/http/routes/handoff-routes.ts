import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { clientReturnUrls, createHandoffClient, HANDOFF_CLIENT_SID } from '../../handoff/handoff-clients.ts';
import { publishedHandoffJwks } from '../../handoff/handoff-signing-keys.ts';
import { trustedRefusalTarget, verifyHandoffRequest } from '../../handoff/verify-handoff-request.ts';
import { findSessionOfRequest, type HandoffSession } from '../../handoff/handoff-session.ts';
import { errorLocation } from '../../handoff/issue-handoff-result.ts';
import { startEnrollment } from '../../handoff/hosted-enrollment.ts';
import { startIdentify } from '../../handoff/hosted-passkey-identify.ts';
import { checkFlashCall, continueCallApproval, startCallApproval, startFlashCall } from '../../handoff/hosted-call.ts';
import { checkPhoneCode, chooserAgain, continuePush, startHostedHandoff, startPhoneCode, startPush, submitRecoveryCode, submitTotp, type Submission } from '../../handoff/hosted-handoff.ts';
import { HANDOFF_ERRORS, HANDOFF_PAGE_MESSAGES, type HandoffErrorKey } from '../../hosted/handoff-messages.ts';
import { negotiateLocale, translate } from '../../hosted/i18n.ts';
import { HANDOFF_CSS, HANDOFF_CSS_PATH, HANDOFF_PUSH_JS, HANDOFF_PUSH_JS_PATH, renderError } from '../../hosted/handoff-pages.ts';
import { notFound, VerityError } from '../../errors/verity-error.ts';
import { HandoffClientsStore } from '../../store/handoff-clients-store.ts';
import type { HandoffClientRow } from '../../store/schema.ts';
import { friendlyName as checkedFriendlyName } from '../../services/friendly-name.ts';
import { pageResponse, readPage } from '../pagination.ts';
import { Params } from '../params.ts';
import { wireDate } from '../wire-format.ts';
import { loadService } from './services-routes.ts';
import { handoffPasskeyRoutes } from './handoff-passkey-routes.ts';
import { beginSession, browserLocale, browserSecretOf, performStep, returnToApplication, seeOther, sendPage, sessionPagePath, showSession, type StepOptions } from './handoff-flow.ts';

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
    // Shown on the hosted pages and spoken in approval calls: the same filter as a service's name.
    const friendlyName = checkedFriendlyName('FriendlyName', p.required('FriendlyName', { max: 64 }), 64) as string;
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

const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

function hostedAssets(): Map<string, { type: string; body: Buffer }> {
  const dir = new URL('../../hosted/assets/', import.meta.url);
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const name of readdirSync(dir)) {
    const type = ASSET_TYPES[extname(name)];
    if (type) assets.set(name, { type, body: readFileSync(new URL(name, dir)) });
  }
  return assets;
}

/** The title of the page refusing a hand-off request, per error code of verify-handoff-request.ts (texts in handoff-messages.ts). */
const ERROR_TITLES: Record<number, HandoffErrorKey> = {
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

type HandoffForm = { Body: { session?: string; factor?: string; code?: string; channel?: string } | undefined };

/**
 * The unauthenticated half: Verity's published result-signing keys and the hosted hand-off pages.
 *
 * `GET /handoff?request=…` verifies the request (spending its `jti`), stores the session bound to
 * this browser and answers 303 to the session's page `GET /handoff/page/:id`, which shows the step
 * the session is at (handoff-flow.ts). Every step is a POST with the form's token (`session`) that
 * acts once and answers 303 to that page, or to `return_to?result=<jwt>&state=<state>`:
 * `/handoff/totp` and `/handoff/recovery-code` check a code; `/handoff/push` sends a push challenge
 * whose waiting page posts `/handoff/push/continue` (the challenge's status is read here);
 * `/handoff/phone` sends a code to the application's trusted number, `/handoff/phone/check` checks it.
 */
export function handoffPublicRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    // Short caching: a rotated key appears within minutes, and the old one stays published for 24 h.
    void reply.header('Cache-Control', 'public, max-age=300');
    return publishedHandoffJwks(ctx);
  });

  app.get(HANDOFF_CSS_PATH, async (_request, reply) =>
    reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=300').header('X-Content-Type-Options', 'nosniff').send(HANDOFF_CSS),
  );

  app.get(HANDOFF_PUSH_JS_PATH, async (_request, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300').header('X-Content-Type-Options', 'nosniff').send(HANDOFF_PUSH_JS),
  );

  // Every other file of src/hosted/assets (page scripts of each factor), read once at start.
  const assets = hostedAssets();
  app.get<{ Params: { name: string } }>('/handoff/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) throw notFound(`/handoff/assets/${request.params.name}`);
    return reply.header('Content-Type', asset.type).header('Cache-Control', 'public, max-age=300').header('X-Content-Type-Options', 'nosniff').send(asset.body);
  });

  app.get<{ Querystring: { request?: string } }>('/handoff', async (request, reply) => {
    const token = typeof request.query.request === 'string' ? request.query.request : '';
    if (token === '' || token.length > 8192) {
      const locale = browserLocale(request);
      return sendPage(reply, 400, renderError(translate(HANDOFF_ERRORS, locale, 'linkIncomplete'), translate(HANDOFF_ERRORS, locale, 'linkWithoutRequest'), undefined, { locale }));
    }
    let handoff;
    try {
      handoff = await verifyHandoffRequest(ctx, token);
    } catch (error) {
      if (!(error instanceof VerityError)) throw error;
      const target = await trustedRefusalTarget(ctx, token);
      // The same link opened again in the browser it already opened a session in: that session's page.
      if (error.code === 64107 && target?.jti !== undefined) {
        const id = await findSessionOfRequest(ctx, target.clientSid, target.jti, browserSecretOf(ctx, request));
        if (id !== undefined) return seeOther(reply, sessionPagePath(id));
      }
      ctx.logger.info({ code: error.code, clientSid: target?.clientSid }, `hand-off request refused: ${error.message}`);
      // The request's ui_locales cannot be trusted here: the browser's language. The developer's reason goes to the application only.
      const locale = browserLocale(request);
      const title = translate(HANDOFF_ERRORS, locale, ERROR_TITLES[error.code] ?? 'linkInvalid');
      const back = target
        ? { href: await errorLocation(ctx, target, REFUSAL_ERRORS[error.code] ?? 'invalid_request', error.message), label: translate(HANDOFF_PAGE_MESSAGES, locale, 'errorReturn', { app: target.appName }) }
        : undefined;
      return sendPage(reply, error.status, renderError(title, translate(HANDOFF_ERRORS, locale, 'linkRefused'), back, { locale }));
    }
    const locale = negotiateLocale(handoff.uiLocales, request.headers['accept-language']);
    return beginSession(ctx, request, reply, async (): Promise<Submission> => {
      // `purpose: enroll`: the step-up chooser, the phone code or the enrollment hub (hosted-enrollment.ts).
      if (handoff.purpose === 'enroll') return startEnrollment(ctx, handoff, locale);
      // `purpose: identify`: the usernameless "Sign in with a passkey" page (hosted-passkey-identify.ts).
      if (handoff.purpose === 'identify') return startIdentify(ctx, handoff, locale);
      return { kind: 'retry', view: await startHostedHandoff(ctx, handoff, locale), message: '' };
    });
  });

  // The session's page (what every step answers 303 to) and the way back to the application from it.
  app.get<{ Params: { id: string } }>('/handoff/page/:id', async (request, reply) => showSession(ctx, request, reply, request.params.id));
  app.get<{ Params: { id: string } }>('/handoff/page/:id/return', async (request, reply) => returnToApplication(ctx, request, reply, request.params.id));

  // Passkeys: the chooser's "Use a passkey" and the enrollment page (handoff-passkey-routes.ts).
  handoffPasskeyRoutes(app, ctx);

  /** A step of the pages: the form's token is its `session` field. */
  const step = (path: string, run: (session: HandoffSession, body: NonNullable<HandoffForm['Body']>) => Promise<Submission>, failed: (body: NonNullable<HandoffForm['Body']>) => StepOptions['failed']): void => {
    app.post<HandoffForm>(path, async (request, reply) => {
      const body = request.body ?? {};
      return performStep(ctx, request, reply, body.session, (session) => run(session, body), { failed: failed(body) });
    });
  };

  step('/handoff/totp', (session, body) => submitTotp(ctx, session, body.factor, body.code), (body) => body.factor ?? '');
  step('/handoff/recovery-code', (session, body) => submitRecoveryCode(ctx, session, body.code), () => 'recovery_code');
  step('/handoff/push', (session, body) => startPush(ctx, session, body.factor), () => 'push');
  step('/handoff/push/continue', (session) => continuePush(ctx, session), () => 'push');
  step('/handoff/phone', (session, body) => startPhoneCode(ctx, session, body.channel), () => 'phone');
  // "Try another way": back to the chooser from any waiting page (fallback between factors).
  step('/handoff/choose', (session) => chooserAgain(ctx, session, ''), () => '');
  step('/handoff/phone/check', (session, body) => checkPhoneCode(ctx, session, body.code), () => 'phone');
  // "Approve with a call" (press the digits shown) and its waiting page's continue; a flash call and its last digits (hosted-call.ts).
  step('/handoff/call', (session) => startCallApproval(ctx, session), () => 'call');
  step('/handoff/call/continue', (session) => continueCallApproval(ctx, session), () => 'call');
  step('/handoff/flashcall', (session) => startFlashCall(ctx, session), () => 'flashcall');
  step('/handoff/flashcall/check', (session, body) => checkFlashCall(ctx, session, body.code), () => 'flashcall');
}
