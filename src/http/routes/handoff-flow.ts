import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import {
  claimHostedSession,
  createHostedSession,
  findHostedSession,
  FORM_TOKEN_SLOT,
  formToken,
  HandoffPageError,
  HANDOFF_SESSION_MS,
  isBrowserSecret,
  newBrowserSecret,
  parseFormToken,
  releaseHostedSession,
  restoreHostedSession,
  type HandoffSession,
  type HostedPage,
  type HostedSession,
} from '../../handoff/handoff-session.ts';
import type { Submission } from '../../hosted-factors/hosted-flow.ts';
import { errorLocation, type HandoffErrorCode } from '../../handoff/issue-handoff-result.ts';
import { renderChooser } from '../../hosted-factors/chooser-page.ts';
import { lastMethodOf, methodOfStep, rememberLastMethod, type LastMethodUser } from '../../hosted-factors/last-method.ts';
import type { HandoffFactor } from '../../handoff/handoff-claims.ts';
import { handoffCsp, renderError } from '../../hosted/handoff-pages.ts';
import { renderPhoneCode, renderPushWait } from '../../hosted/wait-pages.ts';
import { readCookie } from '../cookies.ts';
import { pageHeaders, type SecurityHeaders } from '../security-headers.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { negotiateLocale } from '../../i18n/negotiate-locale.ts';
import { translate } from '../../i18n/translator.ts';
import { sessionPagePath, sessionReturnPath } from '../../handoff/session-links.ts';
import { hostedPage } from './hosted-page-schema.ts';
import { fillBrandSlots, type PageBrand } from '../../hosted/page-brand.ts';

/*
 * The hosted pages' flow (docs/handoff.md, "Back, Forward and reload"): every step is a POST that
 * acts once and answers 303 to the session's page, a GET that only shows the step the session is
 * at. The session lives on the server (handoff-session.ts), bound to the browser by a cookie; a
 * form carries the session id and the form nonce of the page it came from, and a POST acts only by
 * claiming that nonce, so a resubmitted, doubled or stale form changes nothing.
 */

export { sessionPagePath };

/** The browser binding cookie: `__Host-` (Secure, Path=/, no Domain) whenever the pages are served over HTTPS. */
const cookieName = (ctx: AppContext): string => (ctx.config.publicUrl.startsWith('https:') ? '__Host-verity_handoff' : 'verity_handoff');
/** The cookie outlives many sessions (each lasts 10 minutes): it only says which browser opened them. */
const COOKIE_MAX_AGE_SECONDS = 24 * 3600;

/** The browser's binding secret from its cookie, if it sent a well-formed one. */
export function browserSecretOf(ctx: AppContext, request: FastifyRequest): string | undefined {
  const value = readCookie(request, cookieName(ctx));
  return value !== undefined && isBrowserSecret(value) ? value : undefined;
}

/**
 * The browser's binding secret, set (or refreshed) as an HttpOnly cookie. SameSite=Lax: it comes
 * with the top-level GET that arrives from the application's site, never with a POST from another
 * site, so no other site can act on a session through the browser (and the form nonce is needed too).
 */
function bindBrowser(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  const secret = browserSecretOf(ctx, request) ?? newBrowserSecret();
  const secure = ctx.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  void reply.header('Set-Cookie', `${cookieName(ctx)}=${secret}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`);
  return secret;
}

/**
 * A hosted page's security headers (security-headers.ts): its strict CSP (handoffCsp: what the page
 * loads, where its forms lead), never framed, no referrer. Without Cross-Origin-Opener-Policy: an
 * application may open the pages in a window of its own and keep its handle on it.
 */
export const hostedPageHeaders = (formTargets: string[] = [], options: { script?: boolean } = {}): SecurityHeaders =>
  pageHeaders(handoffCsp(formTargets, options), { crossOriginOpenerPolicy: false });

/** Every hosted page: HTML with its brand slots filled (the session's brand, else Verity's; page-brand.ts), its security headers, never cached. */
export function sendPage(reply: FastifyReply, status: number, html: string, formTargets: string[] = [], options: { script?: boolean; brand?: PageBrand | undefined } = {}): FastifyReply {
  reply.helmet(hostedPageHeaders(formTargets, options));
  return reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(fillBrandSlots(html, options.brand));
}

/** 303 See Other: the browser follows with a GET, and Back or reload never repeats the POST. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.status(303).header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').header('Location', location).send();
}

/** The language of a page shown without a session: the browser's Accept-Language. */
export const browserLocale = (request: FastifyRequest): PageLocale => negotiateLocale(undefined, request.headers['accept-language']);

/** A refusal before any session is known (or of a session of another browser): plain guidance, no link anywhere. */
export function sendRefusal(reply: FastifyReply, error: HandoffPageError): FastifyReply {
  const locale = error.locale ?? browserLocale(reply.request);
  return sendPage(reply, error.status, renderError(translate(locale, 'handoff-error.cannotContinue'), error.text(locale), undefined, { locale }));
}

/** A step's outcome as the page its GET shows from now on (FORM_TOKEN_SLOT for the form token). */
function pageOf(outcome: Exclude<Submission, { kind: 'result' }>, failed: string, lastUsed?: (user: LastMethodUser) => HandoffFactor | undefined): { session: HandoffSession; page: HostedPage } {
  const slot = FORM_TOKEN_SLOT;
  const session = outcome.kind === 'retry' ? outcome.view.session : outcome.kind === 'page' ? outcome.session : outcome.wait.session;
  const { appName, locale, request } = session;
  // After a 303 the browser may land on return_to: CSP form-action must allow its origin.
  const formTargets = [new URL(request.returnTo).origin];
  const leave = sessionReturnPath(session.id);
  const page = (html: string, status = 200, script = false): { session: HandoffSession; page: HostedPage } => ({ session, page: { html, status, script, formTargets } });
  switch (outcome.kind) {
    case 'page':
      return page(outcome.render(slot), outcome.status ?? 200, outcome.script === true);
    case 'push':
      return page(renderPushWait({ ...outcome.wait, appName, session: slot, leave, message: outcome.message, locale }), 200, true);
    case 'phone':
      return page(renderPhoneCode({ ...outcome.wait, appName, session: slot, leave, message: outcome.message, locale }), 200, true);
    case 'retry':
      // A passkey or voice card starts its ceremony from the chooser itself (its own script file).
      return page(
        renderChooser({
          appName,
          session: slot,
          options: outcome.view.options,
          leave,
          message: outcome.message,
          failed: outcome.message ? failed : undefined,
          tone: outcome.tone,
          locale,
          lastUsed: lastUsed?.(request),
          supportUrl: session.brand?.supportUrl,
        }),
        200,
        outcome.view.options.some((o) => o.kind === 'passkey' || o.kind === 'voiceprint'),
      );
  }
}

/**
 * `GET /handoff?request=…` once the request is verified: the session is stored with its first page,
 * bound to this browser, and the browser goes to the session's page (303), so the request URL (its
 * `jti` now spent) never becomes a history entry that Back could reach.
 */
export async function beginSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, first: () => Promise<Submission>): Promise<FastifyReply> {
  let outcome: Submission;
  try {
    outcome = await first();
  } catch (error) {
    if (error instanceof HandoffPageError) return sendRefusal(reply, error);
    throw error;
  }
  if (outcome.kind === 'result') return seeOther(reply, outcome.location);
  const { session, page } = pageOf(outcome, '', (user) => lastMethodOf(ctx, request, user));
  await createHostedSession(ctx, session, page, bindBrowser(ctx, request, reply));
  return seeOther(reply, sessionPagePath(session.id));
}

/** A nonce no form holds: the page served while a POST holds the session posts as a stale form. */
const NO_NONCE = 'A'.repeat(22);

/** The page of a session that ended with a result: nothing more to do here, and the way on to the application. */
function donePage(hosted: HostedSession): string {
  const { session } = hosted;
  const t = (key: 'doneTitle' | 'doneSignedIn' | 'doneEnrolled' | 'continueTo'): string => translate(session.locale, `handoff.${key}`, { app: session.appName });
  return renderError(t('doneTitle'), t(session.request.purpose === 'enroll' ? 'doneEnrolled' : 'doneSignedIn'), { href: sessionReturnPath(session.id), label: t('continueTo') }, { locale: session.locale, tone: 'status' });
}

function expiredPage(session: HandoffSession): string {
  const { locale } = session;
  return renderError(
    translate(locale, 'handoff-error.pageExpiredTitle'),
    translate(locale, 'handoff-error.sessionExpired', { minutes: HANDOFF_SESSION_MS / 60_000 }),
    { href: sessionReturnPath(session.id), label: translate(locale, 'handoff.errorReturn', { app: session.appName }) },
    { locale },
  );
}

/** The session `id` bound to this browser, or undefined after answering the refusal page (unknown, another browser's). */
async function findSessionOrRefuse(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, id: string): Promise<HostedSession | undefined> {
  try {
    return await findHostedSession(ctx, id, browserSecretOf(ctx, request));
  } catch (error) {
    if (!(error instanceof HandoffPageError)) throw error;
    sendRefusal(reply, error);
    return undefined;
  }
}

/**
 * `GET /handoff/page/:id`: the step the session is at, as its last POST left it (a reload repeats
 * nothing); once a result was issued, the "done" page; once expired, the expired page. Both offer
 * the way back to the application, never a dead end.
 */
export async function showSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, id: string): Promise<FastifyReply> {
  const hosted = await findSessionOrRefuse(ctx, request, reply, id);
  if (!hosted) return reply;
  const { brand } = hosted.session;
  if (hosted.completedAt !== undefined) return sendPage(reply, 200, donePage(hosted), [], { brand });
  if (hosted.expired || !hosted.page) return sendPage(reply, 403, expiredPage(hosted.session), [], { brand });
  const { page } = hosted;
  const html = page.html.replaceAll(FORM_TOKEN_SLOT, formToken(id, hosted.nonce ?? NO_NONCE));
  return sendPage(reply, page.status, html, page.formTargets, { script: page.script, brand });
}

/**
 * `GET /handoff/page/:id/return`: back to the application with a signed error result saying why
 * there is no result: `already_completed` after the result was issued, `expired`, or else
 * `access_denied` (the user left). It changes nothing: the pages stay as they were.
 */
export async function returnToApplication(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, id: string): Promise<FastifyReply> {
  const hosted = await findSessionOrRefuse(ctx, request, reply, id);
  if (!hosted) return reply;
  const { request: handoff } = hosted.session;
  const [code, description]: [HandoffErrorCode, string] =
    hosted.completedAt !== undefined
      ? ['already_completed', 'The hand-off already returned its result; the user came back to its pages (Back) and returned again.']
      : hosted.expired
        ? ['expired', `The user did not finish within ${HANDOFF_SESSION_MS / 60_000} minutes.`]
        : ['access_denied', 'The user left the hosted pages without completing a factor.'];
  const target = { clientSid: handoff.clientSid, state: handoff.state, returnTo: handoff.returnTo, subject: handoff.subject };
  return seeOther(reply, await errorLocation(ctx, target, code, description));
}

/** A refusal of one step inside a live session: the reason, the way back to the step, and the way back to the application. */
function stepRefusal(reply: FastifyReply, session: HandoffSession, error: HandoffPageError): FastifyReply {
  const locale = error.locale ?? session.locale;
  const html = renderError(
    translate(locale, 'handoff-error.cannotContinue'),
    error.text(locale),
    { href: sessionReturnPath(session.id), label: translate(locale, 'handoff.errorReturn', { app: session.appName }) },
    { locale, resume: sessionPagePath(session.id) },
  );
  return sendPage(reply, error.status, html, [], { brand: session.brand });
}

/** What a POST of the hosted pages posts: the form token (`session`), and its own fields. */
interface StepOptions {
  /** The field that the message of a chooser shown again is about (its input gets the error). */
  failed?: string;
}

/**
 * One step of the flow (a form's POST): the session of this browser, taken by claiming the form's
 * nonce, `run` once on it, then 303 to the session's page (or to return_to with the result). A stale
 * form (its nonce used: resubmitted, doubled, from an old page) or a finished or expired session
 * acts not at all and just goes to the session's page, which shows where the session is.
 */
async function performStep(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, token: unknown, run: (session: HandoffSession) => Promise<Submission>, options: StepOptions = {}): Promise<FastifyReply> {
  const form = parseFormToken(token);
  if (!form) return sendRefusal(reply, new HandoffPageError(400, 'sessionInvalid'));
  const hosted = await findSessionOrRefuse(ctx, request, reply, form.id);
  if (!hosted) return reply;
  const here = sessionPagePath(form.id);
  if (hosted.completedAt !== undefined || hosted.expired || hosted.nonce !== form.nonce) return seeOther(reply, here);
  if (!(await claimHostedSession(ctx, form.id, form.nonce))) return seeOther(reply, here);
  let outcome: Submission;
  try {
    outcome = await run(hosted.session);
  } catch (error) {
    await restoreHostedSession(ctx, form.id, form.nonce);
    if (error instanceof HandoffPageError) return stepRefusal(reply, hosted.session, error);
    throw error;
  }
  if (outcome.kind === 'result') {
    await releaseHostedSession(ctx, form.id, { session: hosted.session, page: undefined, nonce: form.nonce, rotate: true, completed: true });
    // The method that just signed the user in comes first on their next chooser in this browser.
    const method = methodOfStep(request.routeOptions.url ?? '', hosted.session);
    if (method) rememberLastMethod(ctx, request, reply, hosted.session.request, method);
    return seeOther(reply, outcome.location);
  }
  const next = pageOf(outcome, options.failed ?? '', (user) => lastMethodOf(ctx, request, user));
  await releaseHostedSession(ctx, form.id, { session: next.session, page: next.page, nonce: form.nonce, rotate: true });
  return seeOther(reply, here);
}

/**
 * A form of the pages as a route: `POST path` with its schema (hosted-page-schema.ts: validated
 * leniently), one step of the flow (performStep) that `run`s on this browser's session with the
 * form's fields; `failed` names the field a chooser shown again with a message is about.
 */
export function formStep<Fields extends { session?: string }>(
  app: FastifyInstance,
  ctx: AppContext,
  path: string,
  schema: { body: z.ZodType<Fields | undefined> },
  run: (session: HandoffSession, body: Fields) => Promise<Submission>,
  failed?: (body: Fields) => string,
): void {
  app.withTypeProvider<ZodTypeProvider>().post(path, hostedPage(schema), async (request, reply) => {
    const body = (request.body ?? {}) as Fields;
    return performStep(ctx, request, reply, body.session, (session) => run(session, body), failed ? { failed: failed(body) } : {});
  });
}

/** What a script's request (JSON) answers after its step: the new session state, and whether a result was issued. */
export interface ScriptStep<T> {
  session: HandoffSession;
  completed?: boolean;
  answer: T;
}

/**
 * A step posted by a page's script (a voice take): like performStep, but the page stays (the form
 * nonce is not rotated, so the page's other forms keep working) and the answer is the script's.
 * Refusals come back as HandoffPageError for the caller to answer in its format; a stale or busy
 * form is `undefined`.
 */
export async function performScriptStep<T>(ctx: AppContext, request: FastifyRequest, token: unknown, run: (session: HandoffSession) => Promise<ScriptStep<T>>): Promise<{ token: string; answer: T } | undefined> {
  const form = parseFormToken(token);
  if (!form) throw new HandoffPageError(400, 'sessionInvalid', { locale: browserLocale(request) });
  const hosted = await findHostedSession(ctx, form.id, browserSecretOf(ctx, request));
  if (hosted.completedAt !== undefined) throw new HandoffPageError(409, 'alreadyCompleted', { locale: hosted.session.locale });
  if (hosted.expired) throw new HandoffPageError(403, 'sessionExpired', { locale: hosted.session.locale, params: { minutes: HANDOFF_SESSION_MS / 60_000 } });
  if (hosted.nonce !== form.nonce || !(await claimHostedSession(ctx, form.id, form.nonce))) return undefined;
  let step: ScriptStep<T>;
  try {
    step = await run(hosted.session);
  } catch (error) {
    await restoreHostedSession(ctx, form.id, form.nonce);
    throw error;
  }
  const nonce = await releaseHostedSession(ctx, form.id, { session: step.session, page: hosted.page, nonce: form.nonce, rotate: false, completed: step.completed === true });
  return { token: formToken(form.id, nonce), answer: step.answer };
}

/** The session of a read-only script request (a status poll): bound to this browser, not finished, not expired. */
export async function readSession(ctx: AppContext, request: FastifyRequest, token: unknown): Promise<HandoffSession> {
  const form = parseFormToken(token);
  if (!form) throw new HandoffPageError(400, 'sessionInvalid', { locale: browserLocale(request) });
  const hosted = await findHostedSession(ctx, form.id, browserSecretOf(ctx, request));
  if (hosted.completedAt !== undefined) throw new HandoffPageError(409, 'alreadyCompleted', { locale: hosted.session.locale });
  if (hosted.expired) throw new HandoffPageError(403, 'sessionExpired', { locale: hosted.session.locale, params: { minutes: HANDOFF_SESSION_MS / 60_000 } });
  return hosted.session;
}
