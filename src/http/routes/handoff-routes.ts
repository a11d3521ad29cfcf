import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { clientReturnUrls, createHandoffClient, HANDOFF_CLIENT_SID } from '../../handoff/handoff-clients.ts';
import { publishedHandoffJwks } from '../../handoff/handoff-signing-keys.ts';
import { trustedReturnTo, verifyHandoffRequest } from '../../handoff/verify-handoff-request.ts';
import { HandoffPageError, openSession, sealSession } from '../../handoff/handoff-session.ts';
import { startEnrollment } from '../../handoff/hosted-enrollment.ts';
import { startIdentify } from '../../handoff/hosted-passkey-identify.ts';
import { checkFlashCall, continueCallApproval, startCallApproval, startFlashCall } from '../../handoff/hosted-call.ts';
import { checkPhoneCode, chooserAgain, continuePush, startHostedHandoff, startPhoneCode, startPush, submitRecoveryCode, submitTotp, type HandoffView, type Submission } from '../../handoff/hosted-handoff.ts';
import { HANDOFF_ERRORS, type HandoffErrorKey } from '../../hosted/handoff-messages.ts';
import { negotiateLocale, translate, type PageLocale } from '../../hosted/i18n.ts';
import { HANDOFF_CSS, HANDOFF_CSS_PATH, HANDOFF_PUSH_JS, HANDOFF_PUSH_JS_PATH, handoffCsp, renderChooser, renderError, renderPhoneCode, renderPushWait } from '../../hosted/handoff-pages.ts';
import { notFound, VerityError } from '../../errors/verity-error.ts';
import { HandoffClientsStore } from '../../store/handoff-clients-store.ts';
import type { HandoffClientRow } from '../../store/schema.ts';
import { pageResponse, readPage } from '../pagination.ts';
import { Params } from '../params.ts';
import { wireDate } from '../wire-format.ts';
import { loadService } from './services-routes.ts';
import { handoffPasskeyRoutes } from './handoff-passkey-routes.ts';

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

/** Headers of every hosted page: HTML, strict CSP, never cached, never framed, no referrer (the URL holds a token). */
function sendPage(reply: FastifyReply, status: number, html: string, formTargets: string[] = [], options: { script?: boolean } = {}): FastifyReply {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', handoffCsp(formTargets, options))
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .send(html);
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

/** The language of a page shown before (or without) a session: the browser's Accept-Language. */
const browserLocale = (reply: FastifyReply): PageLocale => negotiateLocale(undefined, reply.request.headers['accept-language']);

function sendChooser(reply: FastifyReply, ctx: AppContext, view: HandoffView, status = 200, message?: string, failed?: string, tone?: 'alert' | 'status'): FastifyReply {
  const { request } = view.session;
  const html = renderChooser({ appName: view.session.appName, session: sealSession(ctx, view.session), options: view.options, returnTo: request.returnTo, message, failed, tone, locale: view.session.locale });
  // After the 303 the browser lands on return_to: CSP form-action must allow its origin.
  return sendPage(reply, status, html, [new URL(request.returnTo).origin]);
}

export async function answer(reply: FastifyReply, ctx: AppContext, run: () => Promise<Submission>, failed: string): Promise<FastifyReply> {
  try {
    const outcome = await run();
    if (outcome.kind === 'result') return reply.status(303).header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').header('Location', outcome.location).send();
    const returnTo = (outcome.kind === 'retry' ? outcome.view.session : outcome.kind === 'page' ? outcome.session : outcome.wait.session).request.returnTo;
    const targets = [new URL(returnTo).origin];
    if (outcome.kind === 'page') return sendPage(reply, outcome.status ?? 200, outcome.render(sealSession(ctx, outcome.session)), targets, { script: outcome.script === true });
    if (outcome.kind === 'push') {
      const { wait } = outcome;
      const html = renderPushWait({ appName: wait.session.appName, session: sealSession(ctx, wait.session), numberMatch: wait.numberMatch, eventsPath: wait.eventsPath, returnTo, message: outcome.message, locale: wait.session.locale });
      return sendPage(reply, 200, html, targets, { script: true });
    }
    if (outcome.kind === 'phone') {
      const { wait } = outcome;
      return sendPage(
        reply,
        200,
        renderPhoneCode({ appName: wait.session.appName, session: sealSession(ctx, wait.session), channel: wait.channel, masked: wait.masked, returnTo, message: outcome.message, locale: wait.session.locale }),
        targets,
      );
    }
    return sendChooser(reply, ctx, outcome.view, 200, outcome.message, failed, outcome.tone);
  } catch (error) {
    if (error instanceof HandoffPageError) {
      // The session's language when the refusal knows it; else (no session, or a tampered one) the browser's.
      const locale = error.locale ?? browserLocale(reply);
      return sendPage(reply, error.status, renderError(translate(HANDOFF_ERRORS, locale, 'cannotContinue'), error.text(locale), undefined, { locale }));
    }
    throw error;
  }
}

type HandoffForm = { Body: { session?: string; factor?: string; code?: string; channel?: string } | undefined };

/**
 * The unauthenticated half: Verity's published result-signing keys and the hosted hand-off pages.
 *
 * `GET /handoff?request=…` verifies the request (spending its `jti`) and shows the factor chooser;
 * `POST /handoff/totp` and `POST /handoff/recovery-code` take the sealed session and a code, and on
 * success answer 303 to `return_to?result=<jwt>&state=<state>`. `POST /handoff/push` sends a push
 * challenge and shows the waiting page, whose `POST /handoff/push/continue` checks the challenge's
 * status here; `POST /handoff/phone` sends a code to the application's trusted number and
 * `POST /handoff/phone/check` checks it.
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
      const locale = browserLocale(reply);
      return sendPage(reply, 400, renderError(translate(HANDOFF_ERRORS, locale, 'linkIncomplete'), translate(HANDOFF_ERRORS, locale, 'linkWithoutRequest'), undefined, { locale }));
    }
    let handoff;
    try {
      handoff = await verifyHandoffRequest(ctx, token);
    } catch (error) {
      if (!(error instanceof VerityError)) throw error;
      const returnTo = await trustedReturnTo(ctx, token);
      // The request's ui_locales cannot be trusted here: the browser's language. The API's English reason stays, as details for developers.
      const locale = browserLocale(reply);
      const title = translate(HANDOFF_ERRORS, locale, ERROR_TITLES[error.code] ?? 'linkInvalid');
      return sendPage(reply, error.status, renderError(title, translate(HANDOFF_ERRORS, locale, 'linkRefused'), returnTo, { locale, details: error.message }));
    }
    const locale = negotiateLocale(handoff.uiLocales, request.headers['accept-language']);
    // `purpose: enroll`: the step-up chooser, the phone code or the enrollment hub (hosted-enrollment.ts).
    if (handoff.purpose === 'enroll') return answer(reply, ctx, async () => startEnrollment(ctx, handoff, locale), '');
    // `purpose: identify`: the usernameless "Sign in with a passkey" page (hosted-passkey-identify.ts).
    if (handoff.purpose === 'identify') return answer(reply, ctx, async () => startIdentify(ctx, handoff, locale), '');
    return sendChooser(reply, ctx, await startHostedHandoff(ctx, handoff, locale));
  });

  // Passkeys: the chooser's "Use a passkey" and the enrollment page (handoff-passkey-routes.ts).
  handoffPasskeyRoutes(app, ctx);

  app.post<HandoffForm>('/handoff/totp', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => submitTotp(ctx, openSession(ctx, body.session), body.factor, body.code), body.factor ?? '');
  });

  app.post<HandoffForm>('/handoff/recovery-code', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => submitRecoveryCode(ctx, openSession(ctx, body.session), body.code), 'recovery_code');
  });

  app.post<HandoffForm>('/handoff/push', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => startPush(ctx, openSession(ctx, body.session), body.factor), 'push');
  });

  app.post<HandoffForm>('/handoff/push/continue', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => continuePush(ctx, openSession(ctx, body.session)), 'push');
  });

  app.post<HandoffForm>('/handoff/phone', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => startPhoneCode(ctx, openSession(ctx, body.session), body.channel), 'phone');
  });

  // "Try another way": back to the chooser from any waiting page (fallback between factors).
  app.post<HandoffForm>('/handoff/choose', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => chooserAgain(ctx, openSession(ctx, body.session), ''), '');
  });

  app.post<HandoffForm>('/handoff/phone/check', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => checkPhoneCode(ctx, openSession(ctx, body.session), body.code), 'phone');
  });

  // "Approve with a call" (press the digits shown) and its waiting page's continue; a flash call and its last digits (hosted-call.ts).
  app.post<HandoffForm>('/handoff/call', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => startCallApproval(ctx, openSession(ctx, body.session)), 'call');
  });

  app.post<HandoffForm>('/handoff/call/continue', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => continueCallApproval(ctx, openSession(ctx, body.session)), 'call');
  });

  app.post<HandoffForm>('/handoff/flashcall', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => startFlashCall(ctx, openSession(ctx, body.session)), 'flashcall');
  });

  app.post<HandoffForm>('/handoff/flashcall/check', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => checkFlashCall(ctx, openSession(ctx, body.session), body.code), 'flashcall');
  });
}
