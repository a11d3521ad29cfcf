import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthyError, AUTHY_ERRORS, authyErrorOf } from '../../authy/authy-error.ts';
import { appIdOf, authenticateAuthyKey } from '../../authy/authy-keys.ts';
import { requestAuthyToken, verifyAuthyToken } from '../../authy/authy-tokens.ts';
import { authyDevices, loadAuthyUser, maskedPhone, registerAuthyUser, removeAuthyUser } from '../../authy/authy-users.ts';
import { nestParams, type ParamValue, type Params } from '../../authy/bracket-params.ts';
import { approvalView, createApprovalRequest, loadApproval } from '../../authy/onetouch.ts';
import { checkPhoneVerification, phoneVerificationStatus, startPhoneVerification } from '../../authy/phone-verification.ts';
import type { AppContext } from '../../context.ts';
import { LeasedRateLimiter, type BucketPolicy, type TakeResult } from '../../store/rate-limit-store.ts';
import type { AuthyAppRow, ServiceRow } from '../../store/schema.ts';
import { rateLimitKeyOf } from '../client-address.ts';

/** Where Verity serves the Authy API: `require('authy')(key, 'https://verity.example/authy')` (docs/authy.md). */
export const AUTHY_BASE_PATH = '/authy';

interface AuthyRequestState {
  app: AuthyAppRow;
  service: ServiceRow;
  params: Params;
}

const states = new WeakMap<FastifyRequest, AuthyRequestState>();

const stateOf = (request: FastifyRequest): AuthyRequestState => {
  const state = states.get(request);
  if (!state) throw new AuthyError('60001');
  return state;
};

const text = (value: ParamValue | undefined): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);
const truthy = (value: ParamValue | undefined): boolean => value === 'true' || (value as unknown) === true || value === '1';

const policy = (limit: { perSecond: number; burst: number }): BucketPolicy => ({ capacity: limit.burst, refillPerSecond: limit.perSecond });

/** Authy's error body: `error_code` a string, `success: false`, the message twice (top level and `errors`). */
function errorBody(error: AuthyError): Record<string, unknown> {
  return { ...error.extra, message: error.message, success: false, errors: { message: error.message }, error_code: error.code };
}

/** The query string's pairs, bracket keys nested (Fastify's parser keeps `details[a]` flat). */
function queryParams(request: FastifyRequest): Params {
  const at = request.url.indexOf('?');
  return at < 0 ? {} : nestParams(new URLSearchParams(request.url.slice(at + 1)));
}

/**
 * The npm `authy` client sends its parameters as a form body even on GET (`phones/verification/check`);
 * Fastify parses no body on GET, so it is read here, bounded by the body limit.
 */
async function getBody(request: FastifyRequest, limit: number): Promise<Params | undefined> {
  const type = request.headers['content-type'] ?? '';
  const length = Number(request.headers['content-length'] ?? '0');
  if (!type.startsWith('application/x-www-form-urlencoded') || !(length > 0)) return undefined;
  if (length > limit) throw new AuthyError('60002', 'Request body too large', {}, { status: 413 });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AuthyError('60002', 'Request body too large', {}, { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return nestParams(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * The Authy API (docs/authy.md), under AUTHY_BASE_PATH: its own key authentication (header
 * `X-Authy-API-Key`, or `api_key` in the query or body), its own error envelope, form, JSON or query
 * parameters with bracket nesting. Each route is a thin adapter over src/authy/.
 */
export async function authyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const limiter = new LeasedRateLimiter(ctx.stores.rateLimits);
  const limits = ctx.config.rateLimits;
  const refuseIfLimited = (limit: string, taken: TakeResult): void => {
    if (taken.allowed) return;
    ctx.metrics.rateLimited.inc({ limit });
    throw new AuthyError('60003', undefined, {}, { retryAfterSeconds: taken.retryAfterSeconds });
  };

  // Bracket-nested form bodies (`details[Requested by]=…`, `logos[0][res]=…`), as Authy's clients send them.
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: ctx.config.bodyLimitBytes }, (_request, body, done) => {
    done(null, nestParams(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((raw: FastifyError | AuthyError, request, reply) => {
    let error = authyErrorOf(raw);
    if (!(error instanceof AuthyError)) {
      const fst = raw as FastifyError;
      if (fst.code === 'FST_ERR_CTP_BODY_TOO_LARGE') error = new AuthyError('60002', 'Request body too large', {}, { status: 413 });
      else if (fst.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') error = new AuthyError('60002', 'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json', {}, { status: 415 });
      else if (typeof fst.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) error = new AuthyError('60002', 'Malformed request body');
      else {
        request.log.error({ err: raw }, 'unhandled error');
        error = new AuthyError('60000', AUTHY_ERRORS['60000'].title, {}, { status: 500 });
      }
    }
    const authyError = error as AuthyError;
    if (authyError.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(authyError.retryAfterSeconds));
    return reply.status(authyError.status).send(errorBody(authyError));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody(new AuthyError('60000', 'Not found', {}, { status: 404 }))));

  // After the body is parsed: the key may be in it. One failed-authentication bucket per client IP,
  // shared with the Verify API's; an authenticated app spends its account's and service's buckets.
  app.addHook('preHandler', async (request) => {
    const body = request.method === 'GET' ? await getBody(request, ctx.config.bodyLimitBytes) : request.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) throw new AuthyError('60002', 'Expected a JSON object or form parameters');
    const params: Params = { ...queryParams(request), ...((body as Params | undefined) ?? {}) };
    const header = request.headers['x-authy-api-key'];
    const presented = (typeof header === 'string' ? header : undefined) ?? text(params['api_key']);
    const authyApp = presented === undefined ? undefined : await authenticateAuthyKey(ctx, presented);
    const service = authyApp && (await ctx.stores.services.find(authyApp.account_sid, authyApp.service_sid));
    const now = ctx.clock.now();
    if (!authyApp || !service) {
      refuseIfLimited('auth_failures', await ctx.stores.rateLimits.take(`authfail:${rateLimitKeyOf(request.ip)}`, policy(limits.authFailures), now));
      throw new AuthyError('60001', 'Invalid API key');
    }
    refuseIfLimited('account', await limiter.take(`acct:${service.account_sid}`, policy(limits.account), now));
    refuseIfLimited('service', await limiter.take(`svc:${service.account_sid}:${service.sid}`, policy(limits.service), now));
    states.set(request, { app: authyApp, service, params });
  });

  const p = (request: FastifyRequest) => stateOf(request).params;
  const idOf = (request: FastifyRequest): string => (request.params as { id: string }).id;
  const ok = (reply: FastifyReply, body: Record<string, unknown>) => reply.status(200).send(body);

  // Application ---------------------------------------------------------------------------------

  app.get('/protected/json/app/details', async (request, reply) => {
    const { app: authyApp, service } = stateOf(request);
    return ok(reply, {
      app: { name: service.friendly_name, plan: 'verity', sms_enabled: ctx.routing.router.sendsChannel('sms'), phone_calls_enabled: ctx.voice.provider !== undefined, app_id: appIdOf(authyApp), onetouch_enabled: true },
      message: 'Application information.',
      success: true,
    });
  });

  app.get('/protected/json/app/stats', async (request, reply) => {
    const { app: authyApp, service } = stateOf(request);
    const users = await ctx.stores.authyUsers.count(service.sid);
    return ok(reply, { message: 'Monthly statistics.', count: 0, stats: [], total_users: users, app_id: appIdOf(authyApp), success: true });
  });

  // Users ---------------------------------------------------------------------------------------

  app.post('/protected/json/users/new', async (request, reply) => {
    const { app: authyApp, service, params } = stateOf(request);
    const user = (params['user'] ?? {}) as Params;
    const row = await registerAuthyUser(ctx, authyApp, service, {
      email: text(user['email'] ?? params['email']),
      cellphone: text(user['cellphone'] ?? params['cellphone']),
      countryCode: text(user['country_code'] ?? params['country_code']),
    });
    return ok(reply, { message: 'User created successfully.', user: { id: row.authy_id }, success: true });
  });

  app.get('/protected/json/users/:id/status', async (request, reply) => {
    const { service } = stateOf(request);
    const user = await loadAuthyUser(ctx, service, idOf(request));
    const { factors } = await authyDevices(ctx, user);
    const devices = factors.map((f) => (f.factor_type === 'push' ? 'verity_push' : f.factor_type === 'totp' ? 'authenticator_app' : f.factor_type));
    return ok(reply, {
      status: {
        authy_id: user.authy_id,
        confirmed: factors.length > 0,
        registered: factors.some((f) => f.factor_type === 'push' || f.factor_type === 'totp'),
        country_code: Number(user.country_code),
        phone_number: maskedPhone(user),
        email: user.email,
        devices,
        has_hard_token: false,
        account_disabled: false,
        // Verity extension: the entity whose factors are this user's devices (enrol a push factor for it).
        identity: user.identity,
      },
      message: 'User status.',
      success: true,
    });
  });

  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const { service } = stateOf(request);
    const user = await loadAuthyUser(ctx, service, idOf(request));
    await removeAuthyUser(ctx, service, user);
    return ok(reply, { message: 'User was added to remove.', success: true });
  };
  // Authy's documentation, authy-python and the npm client each use another path.
  app.post('/protected/json/users/:id/remove', remove);
  app.post('/protected/json/users/:id/delete', remove);
  app.post('/protected/json/users/delete/:id', remove);

  // Tokens --------------------------------------------------------------------------------------

  for (const channel of ['sms', 'call'] as const) {
    app.get(`/protected/json/${channel}/:id`, async (request, reply) => {
      const { service } = stateOf(request);
      const user = await loadAuthyUser(ctx, service, idOf(request));
      const params = p(request);
      return ok(reply, await requestAuthyToken(ctx, service, user, channel, { force: truthy(params['force']), locale: text(params['locale']) }));
    });
  }

  app.get('/protected/json/verify/:token/:id', async (request, reply) => {
    const { service } = stateOf(request);
    const user = await loadAuthyUser(ctx, service, idOf(request));
    await verifyAuthyToken(ctx, service, user, (request.params as { token: string }).token);
    // A string "true", as Authy answers this one call (the npm client checks `token`).
    return ok(reply, { message: 'Token is valid.', token: 'is valid', success: 'true' });
  });

  // OneTouch ------------------------------------------------------------------------------------

  app.post('/onetouch/json/users/:id/approval_requests', async (request, reply) => {
    const { app: authyApp, service, params } = stateOf(request);
    const user = await loadAuthyUser(ctx, service, idOf(request));
    const row = await createApprovalRequest(ctx, authyApp, service, user, {
      message: params['message'],
      details: params['details'],
      hiddenDetails: params['hidden_details'],
      logos: params['logos'],
      secondsToExpire: params['seconds_to_expire'],
    });
    return ok(reply, { approval_request: { uuid: row.uuid }, success: true });
  });

  app.get('/onetouch/json/approval_requests/:uuid', async (request, reply) => {
    const { app: authyApp, service } = stateOf(request);
    const { approval, challenge } = await loadApproval(ctx, service, (request.params as { uuid: string }).uuid);
    const user = await ctx.stores.authyUsers.find(service.sid, approval.authy_id);
    return ok(reply, { approval_request: approvalView(authyApp, service, user, approval, challenge), success: true });
  });

  // Phone verification --------------------------------------------------------------------------

  app.post('/protected/json/phones/verification/start', async (request, reply) => {
    const { service, params } = stateOf(request);
    return ok(
      reply,
      await startPhoneVerification(ctx, service, {
        phoneNumber: text(params['phone_number']),
        countryCode: text(params['country_code']),
        via: text(params['via']),
        locale: text(params['locale']),
        codeLength: text(params['code_length']),
        customCode: text(params['custom_code']),
        customMessage: text(params['custom_message']),
      }),
    );
  });

  app.get('/protected/json/phones/verification/check', async (request, reply) => {
    const { service, params } = stateOf(request);
    await checkPhoneVerification(ctx, service, { phoneNumber: text(params['phone_number']), countryCode: text(params['country_code']), code: text(params['verification_code']) });
    return ok(reply, { message: 'Verification code is correct.', success: true });
  });

  app.get('/protected/json/phones/verification/status', async (request, reply) => {
    const { service, params } = stateOf(request);
    return ok(reply, await phoneVerificationStatus(ctx, service, { phoneNumber: text(params['phone_number']), countryCode: text(params['country_code']) }));
  });
}
