import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { adminRoutes } from '../admin/admin-routes.ts';
import { installApiAuth } from './api-auth.ts';
import { installCrossSiteGuard } from './cross-site-guard.ts';
import { challengeEventsRoutes } from './routes/challenge-events-routes.ts';
import { deviceRoutes } from './routes/device-routes.ts';
import { verificationEventsRoutes } from './routes/verification-events-routes.ts';
import { factorCallEventsRoutes } from './routes/factor-call-events-routes.ts';
import { voiceprintRoutes } from './routes/voiceprint-routes.ts';
import { ConnectionDrain } from './connection-drain.ts';
import { installErrorHandling } from './error-handler.ts';
import { installOpenApi } from './openapi/openapi-plugin.ts';
import { serializerCompiler, validatorCompiler, type ResponseChecks } from './schema/validation.ts';
import { installHostedRateLimits } from './hosted-rate-limits.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { docsRoutes } from './routes/docs-routes.ts';
import { recoveryCodesRoutes } from './routes/recovery-codes-routes.ts';
import { passkeysRoutes } from './routes/passkeys-routes.ts';
import { passkeysServiceRoutes } from './routes/passkeys-service-routes.ts';
import { factorsRoutes } from './routes/factors-routes.ts';
import { handoffClientRoutes, handoffPublicRoutes } from './routes/handoff-routes.ts';
import { handoffEnrollRoutes } from './routes/handoff-enroll-routes.ts';
import { operationsRoutes } from './routes/operations-routes.ts';
import { servicesRoutes } from './routes/services-routes.ts';
import { verificationsRoutes } from './routes/verifications-routes.ts';
import { messagingConfigurationsRoutes } from './routes/messaging-configurations-routes.ts';
import { templatesRoutes } from './routes/templates-routes.ts';
import { rateLimitsRoutes } from './routes/rate-limits-routes.ts';
import { webhooksRoutes } from './routes/webhooks-routes.ts';
import { AUTHY_BASE_PATH, authyRoutes } from './routes/authy-routes.ts';
import { authyKeyRoutes } from './routes/authy-key-routes.ts';
import { accessTokensRoutes } from './routes/access-tokens-routes.ts';
import { attemptsRoutes } from './routes/attempts-routes.ts';
import { formsRoutes } from './routes/forms-routes.ts';
import { safeListRoutes } from './routes/safe-list-routes.ts';
import { keysRoutes } from './routes/keys-routes.ts';

export interface BuiltApp {
  app: FastifyInstance;
  /** `shuttingDown` is set when shutdown begins, so /readyz answers 503 and load balancers drain this node. */
  state: { shuttingDown: boolean };
  /** The server's connections and running requests, for a graceful shutdown (src/server.ts). */
  connections: ConnectionDrain;
  /** Responses that did not match their route's schema (recorded when NODE_ENV=test). */
  responseChecks: ResponseChecks;
}

/** Wires every HTTP route onto one Fastify instance. */
export async function buildApp(ctx: AppContext): Promise<BuiltApp> {
  const state = { shuttingDown: false };
  const connections = new ConnectionDrain();
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // A child logger per request (bound to its reqId) costs ~1 % of a check; only info and debug
    // lines (one request's story) need it, so above info requests log through the root logger.
    ...(ctx.logger.isLevelEnabled('info') ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    // Our own drain hook below answers 503 with the API's error body instead.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });
  installErrorHandling(app, () => ctx.config.publicUrl);
  // The pages' security headers (helmet): first, so every route's hooks, and the hosted pages' 429, can use it.
  await installSecurityHeaders(app);
  // Routes declare zod schemas: they validate input (60200 as the hosted API words it), are
  // checked against responses in tests, and make the OpenAPI document (src/http/schema/).
  const responseChecks: ResponseChecks = { mode: ctx.config.env === 'test' ? 'fail' : 'off', violations: [] };
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler(responseChecks));
  await installOpenApi(app, ctx.config.publicUrl);
  // Only form and JSON bodies are API input; anything else is a 415, not a silently ignored string.
  app.removeContentTypeParser('text/plain');
  await app.register(formbody, { bodyLimit: ctx.config.bodyLimitBytes });

  // While draining: refuse new requests with 20503 and close every connection after its response,
  // so keep-alive sockets do not hold shutdown open until their idle timeout.
  app.addHook('onRequest', async () => {
    if (state.shuttingDown) throw new VerityError(20503, 'Service unavailable: the server is shutting down');
  });
  app.addHook('onSend', async (_request, reply) => {
    if (state.shuttingDown) void reply.header('Connection', 'close');
  });
  // Every route's requests count as in flight while their handler runs (shutdown waits for those only).
  connections.install(app);
  // Per-IP and per-session limits of the hosted pages and the device API: before any route, so every one inherits them.
  installHostedRateLimits(app, ctx);

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpLatency.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  operationsRoutes(app, ctx, state);
  await docsRoutes(app, ctx.config.publicUrl);
  await handoffPublicRoutes(app, ctx);
  handoffEnrollRoutes(app, ctx);
  await adminRoutes(app, ctx);

  await app.register(async (device) => {
    deviceRoutes(device, ctx);
    challengeEventsRoutes(device, ctx);
    verificationEventsRoutes(device, ctx);
    factorCallEventsRoutes(device, ctx);
  });

  // The Authy API (docs/authy.md): its own key auth and error envelope, outside the Basic-auth scope.
  await app.register(
    async (authy) => {
      await authyRoutes(authy, ctx);
    },
    { prefix: AUTHY_BASE_PATH },
  );

  // The configured providers' routes (src/providers/registry.ts): carriers' webhooks, each
  // authenticated as its platform does, and the simulator's inboxes, phones and virtual phone page.
  for (const routes of ctx.providerRoutes) await routes(app, ctx);

  await app.register(async (api) => {
    // Before authentication: a cross-site request is refused without a Basic challenge.
    installCrossSiteGuard(api, () => ctx.config.publicUrl);
    installApiAuth(api, ctx);
    servicesRoutes(api, ctx);
    verificationsRoutes(api, ctx);
    webhooksRoutes(api, ctx);
    authyKeyRoutes(api, ctx);
    // Twilio's 2010-04-01 API keys: the only /2010-04-01 routes (any other path there answers 404).
    keysRoutes(api, ctx);
    messagingConfigurationsRoutes(api, ctx);
    templatesRoutes(api, ctx);
    rateLimitsRoutes(api, ctx);
    factorsRoutes(api, ctx);
    accessTokensRoutes(api, ctx);
    // Account-level analytics and lists: /v2/Attempts (+ /Summary, a static path the router prefers to /:sid), /v2/SafeList, /v2/Forms.
    attemptsRoutes(api, ctx);
    safeListRoutes(api, ctx);
    formsRoutes(api, ctx);
    recoveryCodesRoutes(api, ctx);
    passkeysRoutes(api, ctx);
    passkeysServiceRoutes(api, ctx);
    handoffClientRoutes(api, ctx);
    // Its audio/wav body parser stays in its own scope: other /v2 routes keep answering 415 to audio.
    await api.register(async (scope) => voiceprintRoutes(scope, ctx));
  });
  return { app, state, connections, responseChecks };
}
