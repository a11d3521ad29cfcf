import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { VerityError, errorBody } from '../errors/verity-error.ts';
import { parseFormToken } from '../handoff/handoff-session.ts';
import { VOICEPRINT_ENROLL_UPLOAD_PATH, VOICEPRINT_UPLOAD_PATH } from '../hosted-factors/voiceprint/voiceprint-flow.ts';
import { renderError } from '../hosted/handoff-pages.ts';
import type { PageLocale } from '../i18n/locales.ts';
import { negotiateLocale } from '../i18n/negotiate-locale.ts';
import { translate } from '../i18n/translator.ts';
import { rateLimitKeyOf } from './client-address.ts';
import { hostedPageHeaders } from './routes/handoff-flow.ts';
import { LeasedRateLimiter, type BucketPolicy, type TakeResult } from '../store/rate-limit-store.ts';

/**
 * Request limits of the unauthenticated browser and device surfaces, in the database (token buckets
 * shared by every Verity process), each per-IP one keyed by rateLimitKeyOf (an IPv6 client by its /64):
 * - hosted hand-off pages (`/handoff/**`, every GET and POST): per client IP and per hand-off session;
 *   the actions that send a code or place a call have their own, stricter buckets per IP and per
 *   session. A refusal is a 429 page in the page's language with `Retry-After`.
 * - the push device API (`/device/v1/**`): per client IP, per factor (device), and failed device
 *   authentications per client IP (the bucket failed API authentications spend too); 20429 with
 *   `Retry-After`.
 * - the progress streams (`/events/v1/**`) that hosted and login pages' scripts keep open: opening
 *   one spends the hosted pages' per-IP bucket, and one IP may hold only so many open at once on
 *   this process (StreamsPerIp); 20429 with `Retry-After`.
 * What one session may send in all is its budget (src/handoff/session-budget.ts), not a rate.
 */

/** The hosted actions that send an SMS or place a call (route patterns, POST). */
const HOSTED_SEND_ROUTES: ReadonlySet<string> = new Set(['/handoff/phone', '/handoff/call', '/handoff/flashcall', '/handoff/enroll/phone']);
/** Hosted endpoints a page's script reads as JSON: their refusal is JSON too. */
const HOSTED_JSON_ROUTES: ReadonlySet<string> = new Set([VOICEPRINT_UPLOAD_PATH, VOICEPRINT_ENROLL_UPLOAD_PATH, '/handoff/enroll/push/status']);
/** The header that carries the form token with a voiceprint upload (hosted-factors/voiceprint/voiceprint-routes.ts). */
const SESSION_HEADER = 'x-handoff-session';
/** A session id as the session's page URL carries it (`/handoff/page/:id`, handoff-session.ts). */
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

type Surface = 'hosted' | 'device' | 'events';

/** The surface a request belongs to, by its matched route, or by its path for one that matched none (404 probes count too). */
function surfaceOf(request: FastifyRequest): Surface | undefined {
  return surfaceOfRoute(request.routeOptions.url ?? request.url.split('?')[0] ?? '');
}

function surfaceOfRoute(url: string): Surface | undefined {
  const path = url.toLowerCase();
  if (path === '/handoff' || path.startsWith('/handoff/')) return 'hosted';
  if (path === '/device/v1' || path.startsWith('/device/v1/')) return 'device';
  if (path === '/events/v1' || path.startsWith('/events/v1/')) return 'events';
  return undefined;
}

const policy = (limit: { perSecond: number; burst: number }): BucketPolicy => ({ capacity: limit.burst, refillPerSecond: limit.perSecond });
const isSend = (request: FastifyRequest): boolean => request.method === 'POST' && HOSTED_SEND_ROUTES.has(request.routeOptions.url ?? '');

/**
 * The id of the hand-off session a hosted request names: its page's URL, or the form token of a
 * POST (form field or upload header). Not looked up: an id that names no session spends only its
 * own bucket, and the route refuses it anyway.
 */
function sessionIdOf(request: FastifyRequest): string | undefined {
  const id = (request.params as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string' && SESSION_ID.test(id)) return id;
  const body = request.body as { session?: unknown } | undefined;
  const header = request.headers[SESSION_HEADER];
  return parseFormToken(typeof body === 'object' && body !== null && body.session !== undefined ? body.session : header)?.id;
}

/** The hosted pages' 429: their error page (or JSON for a script), with the pages' headers and Retry-After. */
function refuseHosted(reply: FastifyReply, locale: PageLocale, retryAfterSeconds: number): FastifyReply {
  const text =
    retryAfterSeconds >= 120
      ? translate(locale, 'handoff-error.rateLimitedMinutes', { minutes: Math.ceil(retryAfterSeconds / 60) })
      : translate(locale, 'handoff-error.rateLimitedSeconds', { seconds: retryAfterSeconds });
  void reply.status(429).header('Retry-After', String(retryAfterSeconds)).header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
  if (HOSTED_JSON_ROUTES.has(reply.request.routeOptions.url ?? '')) return reply.send({ message: text, retry: true });
  reply.helmet(hostedPageHeaders());
  return reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .send(renderError(translate(locale, 'handoff-error.rateLimitedTitle'), text, undefined, { locale }));
}

const tooManyRequests = (retryAfterSeconds: number): VerityError => new VerityError(20429, 'Too many requests', { retryAfterSeconds });

/**
 * When to try again after the cap on open streams: a guess, as no one knows when a stream ends (when
 * its verification or challenge is decided, usually within a minute). EventSource does not retry a
 * 429 by itself; the page's script decides.
 */
const STREAMS_RETRY_AFTER_SECONDS = 10;

/**
 * Progress streams open per client IP (keyed by rateLimitKeyOf: an IPv6 client by its /64), in this
 * process. A stream stays open for as long as its verification or challenge is pending (minutes),
 * and what it holds is this process's (a socket, a timer, a database poll every second): so the cap
 * is counted here, in memory, not in the database. A token bucket alone would not do: at its refill
 * rate an address could pile up streams without end. Behind a load balancer one address may hold the
 * cap on each process.
 */
class StreamsPerIp {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** Reserves a slot for `ip` (false: it holds the maximum already); `release` gives it back. */
  reserve(ip: string): boolean {
    const held = this.open.get(ip) ?? 0;
    if (held >= this.max) return false;
    this.open.set(ip, held + 1);
    return true;
  }

  release(ip: string): void {
    const held = this.open.get(ip) ?? 0;
    if (held <= 1) this.open.delete(ip);
    else this.open.set(ip, held - 1);
  }
}

/**
 * Installs the limits on the root instance, before any route: each route of a limited surface gets
 * the hooks as its own first route-level hooks (an `onRoute` hook), so the API's routes run none of
 * them; requests that match no route (404 probes) still spend the per-IP buckets (a root `onRequest`
 * hook that only acts on those). No scope of a limited surface adds hooks of its own before its
 * routes' hooks, so the order is as if these were root hooks: 429 before 401 and 60200.
 */
export function installHostedRateLimits(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new LeasedRateLimiter(ctx.stores.rateLimits);
  // Sends and failed authentications are rare and must count exactly: one database take each, no leases.
  const exact = ctx.stores.rateLimits;
  const limits = ctx.config.hostedLimits;
  const authFailures = policy(ctx.config.rateLimits.authFailures);
  const browserLocale = (request: FastifyRequest): PageLocale => negotiateLocale(undefined, request.headers['accept-language']);
  const streams = new StreamsPerIp(limits.streamsPerIp);

  /** The first refusal of `takes` (run in order, stopping at the first), counted by its limit. */
  const firstRefusal = async (takes: Array<[string, () => Promise<TakeResult>]>): Promise<number | undefined> => {
    for (const [limit, take] of takes) {
      const taken = await take();
      if (!taken.allowed) {
        ctx.metrics.rateLimited.inc({ limit });
        return taken.retryAfterSeconds;
      }
    }
    return undefined;
  };

  // Per IP before the body is read (a refused upload is not parsed).
  const perIp = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const surface = surfaceOf(request);
    if (!surface) return;
    const now = ctx.clock.now();
    const ip = rateLimitKeyOf(request.ip);
    if (surface === 'hosted') {
      const wait = await firstRefusal([
        ['hosted_ip', () => limiter.take(`hosted-ip:${ip}`, policy(limits.ip), now)],
        ...(isSend(request) ? [['hosted_send_ip', () => exact.take(`hosted-send-ip:${ip}`, policy(limits.sendIp), now)] as [string, () => Promise<TakeResult>]] : []),
      ]);
      if (wait !== undefined) return refuseHosted(reply, browserLocale(request), wait);
      return;
    }
    if (surface === 'events') {
      // The slot is reserved before the first await (no two requests can both take the last one)
      // and held until the response ends, whatever ends it: the stream closing, a 404, a refusal.
      if (!streams.reserve(ip)) {
        ctx.metrics.rateLimited.inc({ limit: 'events_streams_ip' });
        throw tooManyRequests(STREAMS_RETRY_AFTER_SECONDS);
      }
      reply.raw.once('close', () => streams.release(ip));
      const wait = await firstRefusal([['events_ip', () => limiter.take(`hosted-ip:${ip}`, policy(limits.ip), now)]]);
      if (wait !== undefined) throw tooManyRequests(wait);
      return;
    }
    const wait = await firstRefusal([['ip', () => limiter.take(`ip:${ip}`, policy(ctx.config.rateLimits.ip), now)]]);
    if (wait !== undefined) throw tooManyRequests(wait);
    return undefined;
  };

  // Per session (hosted) once the body and the path parameters are known.
  const perSession = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (surfaceOf(request) !== 'hosted') return undefined;
    const now = ctx.clock.now();
    const id = sessionIdOf(request);
    if (id === undefined) return undefined;
    const wait = await firstRefusal([
      ['hosted_session', () => limiter.take(`hosted-session:${id}`, policy(limits.session), now)],
      ...(isSend(request) ? [['hosted_send_session', () => exact.take(`hosted-send-session:${id}`, policy(limits.sendSession), now)] as [string, () => Promise<TakeResult>]] : []),
    ]);
    return wait === undefined ? undefined : refuseHosted(reply, browserLocale(request), wait);
  };

  // Per factor (device) once the path is known, before the device is authenticated and its input
  // validated (the routes' own preValidation hooks and schemas come after): 429 before 401 and 60200.
  const perFactor = async (request: FastifyRequest): Promise<void> => {
    if (surfaceOf(request) !== 'device') return;
    const now = ctx.clock.now();
    const factorSid = (request.params as { factorSid?: unknown } | undefined)?.factorSid;
    if (typeof factorSid !== 'string' || !/^YF[0-9a-f]{32}$/.test(factorSid)) return;
    const wait = await firstRefusal([['device_factor', () => limiter.take(`device-factor:${factorSid}`, policy(limits.deviceFactor), now)]]);
    if (wait !== undefined) throw tooManyRequests(wait);
  };

  // A failed device authentication (401) spends the client IP's bucket of failures; past it, a failed
  // attempt answers 429 instead, as a failed API authentication does (api-auth.ts). A device with
  // its right key is never held back: phones share carrier NAT addresses, and device keys and
  // enrollment tokens are far too long to guess.
  const deviceAuthFailures = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (reply.statusCode !== 401 || surfaceOf(request) !== 'device') return payload;
    const taken = await exact.take(`authfail:${rateLimitKeyOf(request.ip)}`, authFailures, ctx.clock.now());
    if (taken.allowed) return payload;
    ctx.metrics.rateLimited.inc({ limit: 'auth_failures' });
    const error = tooManyRequests(taken.retryAfterSeconds);
    void reply.status(429).header('Retry-After', String(taken.retryAfterSeconds)).removeHeader('WWW-Authenticate').header('Content-Type', 'application/json; charset=utf-8');
    return JSON.stringify(errorBody(error, ctx.config.publicUrl));
  };

  app.addHook('onRoute', (route) => {
    const surface = surfaceOfRoute(route.url ?? route.path);
    if (!surface) return;
    // Fastify copies a GET route's options into its HEAD route: add each hook once.
    route.onRequest = withFirst(perIp, route.onRequest);
    if (surface === 'hosted') route.preHandler = withFirst(perSession, route.preHandler);
    if (surface === 'device') {
      route.preValidation = withFirst(perFactor, route.preValidation);
      route.onSend = withFirst(deviceAuthFailures, route.onSend);
    }
  });
  app.addHook('onRequest', async (request, reply) => (request.is404 ? perIp(request, reply) : undefined));
}

/** `hook` first, then the route's own hooks of that stage (none, one, or a list), without adding it twice. */
function withFirst<H>(hook: H, own: H | H[] | undefined): H[] {
  const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
  return list.includes(hook) ? list : [hook, ...list];
}
