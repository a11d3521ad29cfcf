import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { ERROR_CODES, moreInfoUrl, type ErrorCode } from '../../errors/error-codes.ts';
import type { SimulatorPhoneNetwork } from '../../providers/simulator/phone-network.ts';
import type { SimulatedDelivery } from '../../providers/simulator/simulated-delivery.ts';
import type { SimulatorInbox } from '../../providers/simulator/simulator-inbox.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import { bandwidthVoiceRoutes } from '../../providers/bandwidth/bandwidth-voice-routes.ts';
import { challengeEventsRoutes } from '../routes/challenge-events-routes.ts';
import { deviceRoutes } from '../routes/device-routes.ts';
import { docsRoutes } from '../routes/docs-routes.ts';
import { factorsRoutes } from '../routes/factors-routes.ts';
import { handoffClientRoutes, handoffPublicRoutes } from '../routes/handoff-routes.ts';
import { handoffEnrollRoutes } from '../routes/handoff-enroll-routes.ts';
import { operationsRoutes } from '../routes/operations-routes.ts';
import { passkeysRoutes } from '../routes/passkeys-routes.ts';
import { recoveryCodesRoutes } from '../routes/recovery-codes-routes.ts';
import { servicesRoutes } from '../routes/services-routes.ts';
import { simulatorPhoneRoutes } from '../../providers/simulator/simulator-phone-routes.ts';
import { simulatorInboxRoutes } from '../../providers/simulator/simulator-inbox-routes.ts';
import { twilioVoiceRoutes } from '../../providers/twilio/twilio-voice-routes.ts';
import { verificationEventsRoutes } from '../routes/verification-events-routes.ts';
import { factorCallEventsRoutes } from '../routes/factor-call-events-routes.ts';
import { verificationsRoutes } from '../routes/verifications-routes.ts';
import { voiceprintRoutes } from '../routes/voiceprint-routes.ts';
import { webhooksRoutes } from '../routes/webhooks-routes.ts';
import { keysRoutes } from '../routes/keys-routes.ts';
import { messagingConfigurationsRoutes } from '../routes/messaging-configurations-routes.ts';
import { templatesRoutes } from '../routes/templates-routes.ts';
import { rateLimitsRoutes } from '../routes/rate-limits-routes.ts';
import { accessTokensRoutes } from '../routes/access-tokens-routes.ts';
import { attemptsRoutes } from '../routes/attempts-routes.ts';
import { safeListRoutes } from '../routes/safe-list-routes.ts';
import { formsRoutes } from '../routes/forms-routes.ts';
import { passkeysServiceRoutes } from '../routes/passkeys-service-routes.ts';
import { authyKeyRoutes } from '../routes/authy-key-routes.ts';
import { installOpenApi } from './openapi-plugin.ts';
import { serializerCompiler, validatorCompiler } from '../schema/validation.ts';
import { cspDirectives } from '../../../test/support/csp.ts';

type Json = Record<string, unknown>;

const SERVER = 'https://verity.example.test';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const EXPECTED: Record<string, string[]> = {
  '/v2/Services': ['post', 'get'],
  '/v2/Services/{Sid}': ['get', 'post', 'delete'],
  '/v2/Services/{ServiceSid}/Verifications': ['post'],
  '/v2/Services/{ServiceSid}/Verifications/{Sid}': ['get', 'post'],
  '/v2/Services/{ServiceSid}/VerificationCheck': ['post'],
  '/v2/Services/{ServiceSid}/Webhooks': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Webhooks/{Sid}': ['get', 'post', 'delete'],
  '/v2/Services/{ServiceSid}/Entities': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}': ['get', 'delete'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}': ['get', 'post', 'delete'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{FactorSid}/Recordings': ['post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{FactorSid}/Calls': ['post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}': ['get', 'post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications': ['post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Recording': ['post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Calls': ['post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/RecoveryCodes': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/RecoveryCodes/Check': ['post'],
  '/v2/Services/{ServiceSid}/AccessTokens': ['post'],
  '/v2/Services/{ServiceSid}/Passkeys/AuthenticationOptions': ['post'],
  '/v2/Services/{ServiceSid}/Passkeys/Authentications': ['post'],
  '/device/v1/Factors': ['post'],
  '/device/v1/Factors/{Sid}': ['get', 'post'],
  '/device/v1/Factors/{FactorSid}/Challenges': ['get'],
  '/device/v1/Factors/{FactorSid}/Challenges/Stream': ['get'],
  '/device/v1/Factors/{FactorSid}/Challenges/{Sid}': ['post'],
  '/device/v1/EnrollmentCodes/{Code}': ['post'],
  '/events/v1/Challenges/{ChallengeSid}/{Token}': ['get'],
  '/events/v1/Verifications/{VerificationSid}/{Token}': ['get'],
  '/events/v1/Calls/{CallSid}/{Token}': ['get'],
  '/sim/v1/inbox/{address}': ['get'],
  '/sim/v1/inbox/{address}/stream': ['get'],
  '/sim/v1/messages/{id}/status': ['post'],
  '/sim/v1/phones/{number}/calls': ['get'],
  '/sim/v1/phones/{number}/calls/{sid}': ['get'],
  '/sim/v1/phones/{number}/calls/{sid}/answer': ['post'],
  '/sim/v1/phones/{number}/calls/{sid}/reject': ['post'],
  '/sim/v1/phones/{number}/calls/{sid}/hangup': ['post'],
  '/sim/v1/phones/{number}/calls/{sid}/dtmf': ['post'],
  '/sim/v1/phones/{number}/calls/{sid}/speak': ['post'],
  '/sim/v1/phones/{number}/busy': ['post'],
  '/sim/v1/phones/{number}/stream': ['get'],
  '/sim/v1/audio/{file}': ['get'],
  '/voice/twilio/calls/{CallSid}/answer': ['post'],
  '/voice/twilio/calls/{CallSid}/gather': ['post'],
  '/voice/twilio/calls/{CallSid}/record': ['post'],
  '/voice/twilio/calls/{CallSid}/status': ['post'],
  '/voice/bandwidth/calls/{CallSid}/answer': ['post'],
  '/voice/bandwidth/calls/{CallSid}/gather': ['post'],
  '/voice/bandwidth/calls/{CallSid}/record': ['post'],
  '/voice/bandwidth/calls/{CallSid}/disconnect': ['post'],
  '/v2/Services/{ServiceSid}/HandoffClients': ['post', 'get'],
  '/v2/Services/{ServiceSid}/HandoffClients/{Sid}': ['get', 'post', 'delete'],
  '/.well-known/jwks.json': ['get'],
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
  '/openapi.json': ['get'],
  '/docs/errors': ['get'],
};

/** The hosted hand-off pages (hosted-factors/<factor>/*-schema.ts, hosted-page-schema.ts) and their files. */
const HOSTED_PAGES: Record<string, string[]> = {
  '/handoff': ['get'],
  '/handoff/totp': ['post'],
  '/handoff/recovery-code': ['post'],
  '/handoff/push': ['post'],
  '/handoff/push/continue': ['post'],
  '/handoff/phone': ['post'],
  '/handoff/phone/check': ['post'],
  '/handoff/call': ['post'],
  '/handoff/call/continue': ['post'],
  '/handoff/flashcall': ['post'],
  '/handoff/flashcall/check': ['post'],
  '/handoff/assets/handoff-push.js': ['get'],
  '/handoff/assets/handoff.css': ['get'],
  '/handoff/assets/handoff-hub.css': ['get'],
  '/handoff/brand/{HandoffClientSid}/{Version}.css': ['get'],
  '/handoff/brand/{HandoffClientSid}/logo/{Version}': ['get'],
  '/handoff/assets/handoff-enroll-push.js': ['get'],
  '/handoff/assets/handoff-hub.js': ['get'],
  '/handoff/assets/handoff-voiceprint.js': ['get'],
  '/handoff/assets/handoff-voiceprint-worklet.js': ['get'],
  '/handoff/assets/handoff-voiceprint-call.js': ['get'],
  '/handoff/assets/vendor/simplewebauthn-browser.js': ['get'],
  '/handoff/assets/handoff-passkey.js': ['get'],
  '/handoff/assets/handoff-call.js': ['get'],
  '/handoff/choose': ['post'],
  '/handoff/enroll': ['post'],
  '/handoff/enroll/totp': ['post'],
  '/handoff/enroll/totp/verify': ['post'],
  '/handoff/enroll/push': ['post'],
  '/handoff/enroll/push/check': ['post'],
  '/handoff/enroll/push/status': ['post'],
  '/handoff/enroll/recovery-codes': ['post'],
  '/handoff/enroll/phone': ['post'],
  '/handoff/enroll/phone/check': ['post'],
  '/handoff/enroll/done': ['post'],
  '/handoff/voiceprint': ['post'],
  '/handoff/voiceprint/recording': ['post'],
  '/handoff/voiceprint/call': ['post'],
  '/handoff/voiceprint/call/continue': ['post'],
  '/handoff/enroll/voiceprint/call': ['post'],
  '/handoff/enroll/voiceprint/call/continue': ['post'],
  '/handoff/enroll/voiceprint': ['post'],
  '/handoff/enroll/voiceprint/recording': ['post'],
  '/handoff/passkey/identify': ['post'],
};

function operations(): { path: string; method: string; op: Json }[] {
  const out: { path: string; method: string; op: Json }[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of METHODS) if (item[method]) out.push({ path, method, op: item[method] as Json });
  }
  return out;
}

function walk(value: unknown, visit: (node: Json, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit, key));
  else if (value && typeof value === 'object') {
    visit(value as Json, key);
    for (const [k, v] of Object.entries(value)) walk(v, visit, k);
  }
}

/** Every `description` string under a node. */
function descriptions(node: unknown): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (typeof n.description === 'string') out.push(n.description);
  });
  return out;
}

function resolvePointer(ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `only local refs: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Json)[part] : undefined;
  }
  return node;
}

test('the document is OpenAPI 3.1.0 with info, servers and tags', () => {
  assert.equal(doc.openapi, '3.1.0');
  const info = doc.info as Json;
  assert.equal(info.title, 'Verity');
  assert.equal(info.version, '0.1.0');
  assert.ok(typeof info.description === 'string' && info.description.length > 200, "expected typeof info.description === 'string' && info.description.length > 200");
  assert.deepEqual(doc.servers, [{ url: SERVER }]);
  const tags = (doc.tags as { name: string }[]).map((t) => t.name);
  for (const { op } of operations()) for (const tag of op.tags as string[]) assert.ok(tags.includes(tag), `tag ${tag} is declared`);
  // The result is plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
});

/**
 * The app every test reads the document from: the generator installed first (as build-app does),
 * then every route module — all three voice providers' routes, where build-app registers the
 * configured one — and docsRoutes; the document is what GET /openapi.json serves.
 */
let app: FastifyInstance;
let doc: Json;
/** `<method> <path with {}>` of every route registered (HEAD aside). */
const registered: string[] = [];

before(async () => {
  app = Fastify({ exposeHeadRoutes: false });
  // As build-app does: routes declare zod schemas.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ mode: 'off', violations: [] }));
  app.addHook('onRoute', (route) => {
    // @fastify/static declares HEAD beside GET itself; the app answers HEAD for every GET anyway (exposeHeadRoutes).
    for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method.toLowerCase()} ${route.url.replace(/:[A-Za-z]+/g, '{}')}`);
  });
  await installOpenApi(app, SERVER);
  // Registering routes touches nothing but these (the handlers and hooks are never called here).
  const logger = { child: () => logger };
  const ctx = { db: { kysely: {}, dialect: 'sqlite' }, stores: {}, config: { publicUrl: SERVER }, logger } as unknown as AppContext;
  operationsRoutes(app, ctx, { shuttingDown: false });
  simulatorInboxRoutes(app, ctx, {} as SimulatorInbox, {} as SimulatedDelivery);
  for (const routes of [deviceRoutes, challengeEventsRoutes, verificationEventsRoutes, factorCallEventsRoutes, servicesRoutes, verificationsRoutes, webhooksRoutes, factorsRoutes, recoveryCodesRoutes, passkeysRoutes, handoffClientRoutes, handoffEnrollRoutes, keysRoutes, messagingConfigurationsRoutes, templatesRoutes, rateLimitsRoutes, accessTokensRoutes, attemptsRoutes, safeListRoutes, formsRoutes, passkeysServiceRoutes, authyKeyRoutes]) routes(app, ctx);
  // The hosted pages, as build-app registers them (each hosted factor's own routes included).
  await handoffPublicRoutes(app, ctx);
  // In its own scope, as in build-app's API scope: its audio/wav parser would clash with the simulated phones'.
  await app.register(async (api) => voiceprintRoutes(api, ctx));
  // build-app registers one voice provider's routes, as configured; all three are registered here.
  const events = {} as CallEvents;
  await simulatorPhoneRoutes(app, ctx, {} as SimulatorPhoneNetwork);
  await twilioVoiceRoutes(app, { logger: ctx.logger, authToken: 'dummy-auth-token-0123456789', publicUrl: SERVER, events });
  await bandwidthVoiceRoutes(app, { logger: ctx.logger, callbackUsername: 'verity', callbackPassword: 'dummy-password-0123456789', publicUrl: SERVER, events });
  await docsRoutes(app, SERVER);
  await app.ready();
  const served = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(served.statusCode, 200);
  doc = served.json() as Json;
});

after(async () => {
  await app.close();
});

test('every route and method is documented, with a unique operationId', () => {
  const paths = doc.paths as Record<string, Json>;
  for (const [path, methods] of Object.entries({ ...EXPECTED, ...HOSTED_PAGES })) {
    assert.ok(paths[path], `path ${path}`);
    for (const method of methods) assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  }
  const ids = operations().map(({ op }) => op.operationId);
  assert.equal(new Set(ids).size, ids.length);
});

test('every route the route modules register is documented, and every documented route exists (build-app wires these)', () => {
  const documented = new Set(operations().map(({ path, method }) => `${method} ${path.replace(/\{[A-Za-z-]+\}/g, '{}')}`));
  // Swagger UI's own page and assets (docsRoutes) are not part of the API.
  const routes = registered.filter((route) => !/^get \/docs(\/|$)/.test(route) || route === 'get /docs/errors');
  assert.ok(routes.length > 50, 'expected routes.length > 50');
  for (const route of routes) assert.ok(documented.has(route), `${route} is documented`);
  for (const route of documented) assert.ok(routes.includes(route), `${route} is registered`);
});

test('every path parameter is declared inline, and a SID\'s has its pattern', () => {
  // The SID prefix of the resource a path segment names (the resources' `sid` fields carry the same).
  const PREFIX: Record<string, string> = {
    Services: 'VA', Verifications: 'VE', Webhooks: 'YW', Factors: 'YF', Challenges: 'YC', HandoffClients: 'HC', calls: 'CL',
    Accounts: 'AC', Keys: 'SK', RateLimits: 'RK', Buckets: 'BL', Attempts: 'VL', AccessTokens: 'YK', Templates: 'HJ',
  };
  let sids = 0;
  for (const { path, method, op } of operations()) {
    // Twilio's 2010-04-01 paths end in `.json` (`/Keys/{Sid}.json`), a brand stylesheet's in `.css`.
    const segments = path.split('/').map((segment) => segment.replace(/\.(json|css)$/, ''));
    const inPath = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path');
    const names = segments.filter((segment) => /^\{.+\}$/.test(segment)).map((segment) => segment.slice(1, -1));
    assert.deepEqual(inPath.map((p) => p.name).sort(), [...names].sort(), `${method} ${path}`);
    for (const parameter of inPath) {
      assert.equal(parameter.required, true, `${method} ${path} ${String(parameter.name)}`);
      assert.ok(typeof parameter.description === 'string' && parameter.description.length > 0, `${method} ${path} ${String(parameter.name)} has a description`);
      const name = String(parameter.name);
      if (!/^(Sid|sid|[A-Z][A-Za-z]*Sid)$/.test(name)) continue;
      // A rate limit is addressed by its SID or its UniqueName, as on the hosted API.
      if (segments[segments.indexOf(`{${name}}`) - 1] === 'RateLimits' || name === 'RateLimitSid') continue;
      // `{Sid}` names the resource the path ends at; `{ServiceSid}` a parent, named after it.
      const resource = name.toLowerCase() === 'sid' ? segments[segments.indexOf(`{${name}}`) - 1] : `${name.slice(0, -'Sid'.length)}s`;
      const prefix = PREFIX[resource === 'Calls' ? 'calls' : String(resource)];
      assert.ok(prefix, `${method} ${path}: a SID prefix for ${name}`);
      assert.equal((parameter.schema as Json).pattern, `^${prefix}[0-9a-f]{32}$`, `${method} ${path} ${name}`);
      sids += 1;
    }
  }
  assert.ok(sids > 40, `expected SID path parameters, found ${sids}`);
  // Twilio's spelling (twilio-oai's twilio_verify_v2.json).
  const paths = doc.paths as Record<string, Json>;
  for (const path of ['/v2/Services/{Sid}', '/v2/Services/{ServiceSid}/Verifications/{Sid}', '/v2/Services/{ServiceSid}/Webhooks/{Sid}', '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}', '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}', '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications']) assert.ok(paths[path], path);
  const identity = ((paths['/v2/Services/{ServiceSid}/Entities/{Identity}']?.get as Json).parameters as Json[]).find((p) => p.name === 'Identity') as Json;
  assert.deepEqual(identity.schema, { type: 'string', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$' });
  const token = ((paths['/events/v1/Verifications/{VerificationSid}/{Token}']?.get as Json).parameters as Json[]).find((p) => p.name === 'Token') as Json;
  assert.equal((token.schema as Json).pattern, '^[A-Za-z0-9_-]{32}$');
});

test('every $ref resolves to a component', () => {
  const refs: string[] = [];
  walk(doc, (n, key) => {
    if (typeof n.$ref !== 'string') return;
    refs.push(n.$ref);
    // A shared response header is the header object itself, not a header's schema.
    if (n.$ref.startsWith('#/components/headers/')) assert.notEqual(key, 'schema', `${n.$ref} is a header, not a schema`);
  });
  assert.ok(refs.length > 50, 'expected refs.length > 50');
  for (const ref of new Set(refs)) {
    assert.match(ref, /^#\/components\/(schemas|parameters|headers)\/[A-Za-z]+$/);
    assert.ok(resolvePointer(ref) !== undefined, `${ref} resolves`);
  }
  const schemas = (doc.components as Json).schemas as Json;
  for (const name of ['Service', 'ServiceList', 'Verification', 'VerificationCheck', 'Webhook', 'WebhookList', 'Error', 'ListMeta']) assert.ok(schemas[name], name);
  assert.deepEqual((schemas.Error as Json).required, ['code', 'message', 'more_info', 'status']);
});

test('every error code appears in the error responses of some operation', () => {
  const text = operations()
    .flatMap(({ op }) => Object.entries(op.responses as Json).filter(([status]) => Number(status) >= 400).flatMap(([, r]) => descriptions(r)))
    .join('\n');
  for (const code of Object.keys(ERROR_CODES)) assert.match(text, new RegExp(`\\b${code}\\b`), `error code ${code}`);
});

test('error responses are consistent: examples carry the status of the response and a known code', () => {
  for (const { path, method, op } of operations()) {
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      if (Number(status) < 400 || path === '/readyz') continue;
      // The hosted hand-off pages refuse with an HTML page, not the API's JSON error.
      if (path.startsWith('/handoff') && (response.content as Json)['text/html']) continue;
      // The voice pages' uploads and the push set-up poll answer their script in JSON (a message to show), not the API's error body.
      if (path.startsWith('/handoff/') && (path.endsWith('/recording') || path === '/handoff/enroll/push/status')) continue;
      const content = (response.content as Json)['application/json'] as Json;
      assert.deepEqual(content.schema, { $ref: '#/components/schemas/Error' }, `${method} ${path} ${status}`);
      for (const example of Object.values(content.examples as Record<string, { value: Json }>)) {
        assert.equal(example.value.status, Number(status), `${method} ${path} ${status}`);
        assert.ok(String(example.value.code) in ERROR_CODES, 'expected String(example.value.code) in ERROR_CODES');
        assert.equal(example.value.more_info, moreInfoUrl(example.value.code as ErrorCode));
      }
    }
  }
});

test('/v2 operations use HTTP Basic, /device/v1 ones a bearer JWT, and both document 20003; voice webhooks are authenticated as their platform does; the others are open', () => {
  const schemes = (doc.components as Json).securitySchemes as Json;
  const scheme = (name: string): Json => ({ type: (schemes[name] as Json).type, scheme: (schemes[name] as Json).scheme });
  assert.deepEqual(scheme('accountAuth'), { type: 'http', scheme: 'basic' });
  assert.deepEqual(scheme('bearerAuth'), { type: 'http', scheme: 'bearer' });
  assert.deepEqual(scheme('bandwidthCallbackAuth'), { type: 'http', scheme: 'basic' });
  for (const { path, method, op } of operations()) {
    const responses = op.responses as Json;
    // A short enrolment code is its own credential (the enrollment hub's QR code): open, like the hosted pages.
    if (path.startsWith('/device/v1/EnrollmentCodes/')) {
      assert.deepEqual(op.security, [], `${method} ${path}`);
    } else if (path.startsWith('/v2/') || path.startsWith('/2010-04-01/') || path.startsWith('/device/')) {
      assert.deepEqual(op.security, [path.startsWith('/device/') ? { bearerAuth: [] } : { accountAuth: [] }], `${method} ${path}`);
      assert.match(descriptions(responses['401']).join(' '), /20003/, `${method} ${path}`);
      assert.match(descriptions(responses['429']).join(' '), /20429/, `${method} ${path}`);
    } else if (path.startsWith('/voice/bandwidth/')) {
      assert.deepEqual(op.security, [{ bandwidthCallbackAuth: [] }], `${method} ${path}`);
      assert.match(descriptions(responses['401']).join(' '), /20003/, `${method} ${path}`);
      assert.deepEqual(op.tags, ['Voice provider webhooks']);
    } else if (path.startsWith('/voice/twilio/')) {
      // A signature over the request, not a credential: a required header, and 403 when it does not match.
      assert.deepEqual(op.security, [], `${method} ${path}`);
      assert.ok((op.parameters as Json[]).some((p) => p.name === 'X-Twilio-Signature' && p.in === 'header' && p.required === true), `${method} ${path}`);
      assert.match(descriptions(responses['403']).join(' '), /20003/, `${method} ${path}`);
      assert.deepEqual(op.tags, ['Voice provider webhooks']);
    } else {
      assert.deepEqual(op.security, [], `${method} ${path}`);
    }
  }
});

test('request bodies are form-encoded component schemas; Verity extensions are marked', () => {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  for (const { path, method, op } of operations()) {
    if (method !== 'post' || !(path.startsWith('/v2/') || path.startsWith('/device/'))) continue;
    // Redeeming a short enrolment code takes no body: the code is the path.
    if (path.startsWith('/device/v1/EnrollmentCodes/')) continue;
    const content = (op.requestBody as Json).content as Json;
    // Voice recordings (Verity extensions) are the WAV itself.
    if (/\/Recordings?$/.test(path)) {
      assert.deepEqual(Object.keys(content), ['audio/wav'], path);
      const wav = (content['audio/wav'] as Json).schema as Json;
      assert.deepEqual([wav.type, wav.format], ['string', 'binary'], path);
      continue;
    }
    // The service-level Passkeys actions take the WebAuthn JSON the official client sends.
    if (/^\/v2\/Services\/\{ServiceSid\}\/Passkeys\//.test(path)) {
      assert.ok(content['application/json'], `${path} takes JSON`);
      continue;
    }
    const form = content['application/x-www-form-urlencoded'] as Json;
    assert.ok(form, `${path} is form-encoded`);
    const name = String((form.schema as Json).$ref).split('/').pop() as string;
    const properties = schemas[name]?.properties as Record<string, Json>;
    for (const [param, schema] of Object.entries(properties)) {
      assert.match(param, /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*$/, `${name}.${param} is PascalCase`);
      assert.ok(typeof schema.description === 'string' && schema.description.length > 0, `${name}.${param} has a description`);
    }
  }
  const create = schemas.ServiceCreateParams?.properties as Record<string, Json>;
  for (const param of ['CodeExpirySeconds', 'DefaultLocale', 'AllowedCountries', 'EnabledChannels', 'WebOtpDomain']) {
    assert.equal(create[param]?.['x-verity-extension'], true, param);
    assert.match(String(create[param]?.description), /Verity extension/, param);
  }
  assert.equal(create.FriendlyName?.['x-verity-extension'], undefined);
  assert.deepEqual(create.CodeLength && [create.CodeLength.minimum, create.CodeLength.maximum], [4, 10]);
  assert.deepEqual(schemas.ServiceCreateParams?.required, ['FriendlyName']);
  assert.deepEqual(schemas.VerificationCreateParams?.required, ['To', 'Channel']);
  assert.deepEqual((schemas.VerificationUpdateParams?.properties as Record<string, Json>).Status?.enum, ['canceled', 'approved']);
  // The secret, shown only on creation: beside the webhook's fields (`allOf`) or among them.
  const created = ((schemas.WebhookCreated?.allOf as Json[] | undefined)?.[1] ?? schemas.WebhookCreated) as Json;
  assert.equal(((created.properties as Record<string, Json>).secret as Json)['x-verity-extension'], true);
});

test('the semantics that differ from the hosted API are described', () => {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const check = paths['/v2/Services/{ServiceSid}/VerificationCheck']?.post as Json;
  const text = [check.description, ...descriptions(check.responses)].join('\n');
  assert.match(text, /wrong code is not an error/i);
  assert.match(text, /"pending"/);
  assert.match(text, /20404/);
  assert.match(text, /10 consecutive wrong codes/);
  assert.match(text, /60202/);
  assert.match(text, /Retry-After/);
  const start = paths['/v2/Services/{ServiceSid}/Verifications']?.post as Json;
  const startText = [start.description, ...descriptions(start.responses), ...descriptions((doc.components as Json).schemas)].join('\n');
  for (const code of ['60200', '60203', '60410', '60605', '60223', '30008', '20429', '20003']) assert.match(startText, new RegExp(code));
  assert.match(startText, /CustomCodeEnabled, else 60200/);
  const sse = paths['/sim/v1/inbox/{address}/stream']?.get as Json;
  assert.ok(((sse.responses as Json)['200'] as Json).content && 'text/event-stream' in (((sse.responses as Json)['200'] as Json).content as Json), 'the stream answers text/event-stream');
  assert.match(String(sse.description), /Development only/);
});

test('push approval is described: enrollment tokens, push factors and challenges, the device API and progress events', () => {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  const props = (name: string): Record<string, Json> => schemas[name]?.properties as Record<string, Json>;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const text = (op: Json | undefined): string => [op?.description, ...descriptions(op?.responses)].join('\n');

  const token = props('AccessTokenCreateParams');
  assert.deepEqual([token.Ttl?.minimum, token.Ttl?.maximum, token.Ttl?.default], [60, 300, 60]);
  assert.deepEqual(token.FactorType?.enum, ['push']);
  assert.deepEqual(schemas.AccessToken?.required, ['sid', 'account_sid', 'service_sid', 'entity_identity', 'factor_type', 'factor_friendly_name', 'token', 'ttl', 'date_created', 'url']);
  assert.match(String(props('AccessToken').sid?.pattern), /^\^YK/);

  const create = props('FactorCreateParams');
  assert.deepEqual(create['Config.NotificationPlatform']?.enum, ['apn', 'fcm', 'none']);
  assert.deepEqual([create['Config.NotificationToken']?.minLength, create['Config.NotificationToken']?.maxLength], [32, 255]);
  for (const param of ['Binding.Alg', 'Binding.PublicKey', 'Config.AppId', 'Config.SdkVersion']) assert.ok(create[param], param);
  // The field takes a passkey's RegistrationResponse too (16384); a push statement's limit (5456) is checked per FactorType and said in the description.
  assert.equal(props('FactorUpdateParams').AuthPayload?.maxLength, 16384);
  assert.match(String(props('FactorUpdateParams').AuthPayload?.description), /at most 5456 characters/);
  assert.equal(props('ChallengeUpdateParams').AuthPayload?.maxLength, 5456);
  // Every factor type the API returns (passkeys too, which the written document left out).
  assert.deepEqual([...(props('Factor').factor_type?.enum as string[])].sort(), ['passkeys', 'push', 'totp', 'voiceprint']);

  const challenge = props('Challenge');
  for (const field of ['number_match', 'amr', 'denied_reason']) assert.equal(challenge[field]?.['x-verity-extension'], true, field);
  assert.equal(((challenge.links?.properties as Record<string, Json>).events as Json)['x-verity-extension'], true);
  assert.ok(props('RecoveryCodeCheck').amr, "expected props('RecoveryCodeCheck').amr");

  const service = props('ServiceCreateParams');
  assert.deepEqual([service['Push.NumberMatching']?.default, service['Push.NumberMatching']?.['x-verity-extension']], [true, true]);
  const cap = service['Push.MaxChallengesSinceSuccess'] as Json;
  assert.deepEqual([cap.minimum, cap.maximum, cap.default, cap['x-verity-extension']], [1, 100, 5, true]);
  const pushSettings = (props('Service').push?.properties ?? {}) as Record<string, Json>;
  for (const field of ['number_matching', 'max_challenges_since_success']) assert.equal(pushSettings[field]?.['x-verity-extension'], true, field);

  const entity = '/v2/Services/{ServiceSid}/Entities/{Identity}';
  assert.match(text(paths[`${entity}/Factors/{Sid}`]?.post), /60311/);
  assert.match(text(paths[`${entity}/Challenges`]?.post), /64001/);
  assert.match(text(paths[`${entity}/Challenges`]?.post), /number_match/);
  for (const code of ['60324', '60306', '60308']) assert.match(text(paths[`${entity}/Challenges/{Sid}`]?.post), new RegExp(code));

  const respond = paths['/device/v1/Factors/{FactorSid}/Challenges/{Sid}']?.post;
  for (const code of ['20003', '20404', '20429', '60200', '60300', '60306', '60308', '60324']) assert.match(text(respond), new RegExp(code), code);
  assert.match(String(respond?.description), /Verity extension/);
  assert.match(text(paths['/device/v1/Factors/{Sid}']?.post), /60311/);
  const stream = paths['/device/v1/Factors/{FactorSid}/Challenges/Stream']?.get as Json;
  assert.ok('text/event-stream' in (((stream.responses as Json)['200'] as Json).content as Json), 'the stream answers text/event-stream');
  assert.match(String(stream.description), /event: challenge/);
  assert.ok(props('DeviceChallenge').number_match_required, "expected props('DeviceChallenge').number_match_required");
  assert.equal(props('DeviceChallenge').number_match, undefined);

  const events = paths['/events/v1/Challenges/{ChallengeSid}/{Token}']?.get as Json;
  assert.deepEqual(events.security, []);
  assert.ok('text/event-stream' in (((events.responses as Json)['200'] as Json).content as Json), 'the events stream answers text/event-stream');
  assert.match(text(events), /20404/);
  assert.match(String(events.description), /Last-Event-ID/);
  for (const name of ['created', 'delivered', 'approved', 'denied', 'expired']) assert.match(String(events.description), new RegExp(`\`${name}\``));
  assert.deepEqual(props('ChallengeProgressEvent').sequence?.enum, [1, 2, 3]);
});

test('voice is described: call flows, flash calls, the progress stream and events, simulated phones and the platforms\' webhooks', () => {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  const props = (name: string): Record<string, Json> => schemas[name]?.properties as Record<string, Json>;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const text = (op: Json | undefined): string => [op?.description, ...descriptions(op?.responses)].join('\n');
  const contentTypes = (op: Json | undefined, status: string): string[] => Object.keys((((op?.responses as Json)[status] as Json | undefined)?.content as Json | undefined) ?? {});

  const create = props('VerificationCreateParams');
  assert.ok((create.Channel?.enum as string[]).includes('flashcall'), "expected (create.Channel?.enum as string[]).includes('flashcall')");
  assert.deepEqual([create.VoiceFlow?.enum, create.VoiceFlow?.default, create.VoiceFlow?.['x-verity-extension']], [['speak_code', 'keypad_code', 'press_one'], 'speak_code', true]);
  assert.deepEqual([create.NumberMatch?.type, create.NumberMatch?.['x-verity-extension']], ['boolean', true]);
  assert.match(String(create.CustomCode?.description), /keypad_code or press_one/);

  const verification = props('Verification');
  for (const field of ['voice_flow', 'number_match', 'display_code', 'flash_call', 'links']) assert.equal(verification[field]?.['x-verity-extension'], true, field);
  assert.deepEqual(verification.voice_flow?.enum, ['speak_code', 'keypad_code', 'press_one', 'flash']);
  assert.deepEqual(verification.display_code?.type, ['string', 'null']);
  // An object or null: its object branch (`anyOf`) or itself.
  const objectOf = (schema: Json | undefined): Json => (((schema?.anyOf ?? schema?.oneOf) as Json[] | undefined)?.find((branch) => branch.type === 'object') ?? schema ?? {}) as Json;
  assert.deepEqual(Object.keys(objectOf(verification.flash_call).properties as Json), ['caller_id_prefix', 'code_length']);
  assert.ok((verification.links?.properties as Json).events, 'expected (verification.links?.properties as Json).events');
  for (const status of ['denied', 'failed']) assert.ok((verification.status?.enum as string[]).includes(status), status);
  assert.equal(props('VerificationCheck').voice_flow, undefined);

  const start = paths['/v2/Services/{ServiceSid}/Verifications']?.post;
  const startResponses = start?.responses as Json;
  assert.match(descriptions(startResponses['429']).join('\n'), /`60212`.*call to this number is still in progress/);
  assert.match(descriptions(startResponses['400']).join('\n'), /VoiceFlow unknown/);
  assert.match(descriptions(startResponses['400']).join('\n'), /VERITY_FLASHCALL_CALLER_IDS/);
  for (const phrase of [/display_code/, /`denied`/, /`failed`/, /whole caller id/, /verification\.progress/, /verification\.denied/]) assert.match(text(start), phrase);

  const code = props('VerificationCheckParams').Code as Json;
  const pattern = new RegExp(String(code.pattern));
  for (const ok of ['123456', 'A1b2', '+442031201234']) assert.match(ok, pattern);
  for (const bad of ['123', '+1234', '12-34']) assert.doesNotMatch(bad, pattern);
  const check = paths['/v2/Services/{ServiceSid}/VerificationCheck']?.post;
  assert.match(text(check), /decided on the call/);
  assert.match(text(check), /caller id/);

  const stream = paths['/events/v1/Verifications/{VerificationSid}/{Token}']?.get as Json;
  assert.deepEqual(stream.security, []);
  assert.deepEqual(contentTypes(stream, '200'), ['text/event-stream']);
  assert.match(text(stream), /20404/);
  assert.match(String(stream.description), /Last-Event-ID/);
  const events = ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'denied', 'failed', 'expired', 'canceled', 'max_attempts_reached', 'completed', 'no-answer', 'busy', 'rejected'];
  for (const name of events) assert.match(String(stream.description), new RegExp(`\\| \`${name}\` \\|`), name);
  const progress = schemas.VerificationProgressEvent as Json;
  assert.equal(progress['x-verity-extension'], true);
  assert.deepEqual(progress.required, ['verification_sid', 'sequence', 'event', 'call_sid', 'data', 'date']);
  assert.deepEqual([...(props('VerificationProgressEvent').event?.enum as string[])].sort(), [...events].sort());

  const eventTypes = ((props('WebhookCreateParams').EventTypes as Json).items as Json).enum as string[];
  for (const type of ['verification.progress', 'verification.denied']) assert.ok(eventTypes.includes(type), type);
  assert.ok(((props('WebhookEvent').data as Json).oneOf as Json[]).some((s) => s.$ref === '#/components/schemas/VerificationProgressEvent'), 'WebhookEvent.data includes VerificationProgressEvent');

  for (const [path, item] of Object.entries(paths).filter(([p]) => p.startsWith('/sim/v1/phones') || p.startsWith('/sim/v1/audio'))) {
    for (const op of Object.values(item).filter((v) => (v as Json).operationId)) {
      assert.deepEqual((op as Json).tags, ['Simulator'], path);
      assert.match(String((op as Json).description), /Development only/, path);
    }
  }
  assert.ok('audio/wav' in (((paths['/sim/v1/phones/{number}/calls/{sid}/speak']?.post as Json).requestBody as Json).content as Json), 'speak takes audio/wav');
  assert.deepEqual(contentTypes(paths['/sim/v1/audio/{file}']?.get, '200'), ['audio/wav']);
  assert.deepEqual(contentTypes(paths['/sim/v1/phones/{number}/stream']?.get, '200'), ['text/event-stream']);

  for (const event of ['answer', 'gather', 'record']) {
    assert.deepEqual(contentTypes(paths[`/voice/twilio/calls/{CallSid}/${event}`]?.post, '200'), ['text/xml'], event);
    assert.deepEqual(contentTypes(paths[`/voice/bandwidth/calls/{CallSid}/${event}`]?.post, '200'), ['application/xml'], event);
  }
  assert.ok((paths['/voice/twilio/calls/{CallSid}/status']?.post?.responses as Json)['204'], "expected (paths['/voice/twilio/calls/{CallSid}/status']?.post?.responses as Json)['204']");
  assert.ok((paths['/voice/bandwidth/calls/{CallSid}/disconnect']?.post?.responses as Json)['204'], 'the Bandwidth disconnect callback answers 204');
  assert.match(String(paths['/voice/twilio/calls/{CallSid}/answer']?.post?.description), /present only with `VERITY_VOICE_PROVIDER=twilio`/);
  assert.match(String(paths['/voice/bandwidth/calls/{CallSid}/answer']?.post?.description), /present only with `VERITY_VOICE_PROVIDER=bandwidth`/);
});

test('voice biometrics are described: voiceprint factors, recordings, calls, the verdict, the settings and the errors', () => {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  const props = (name: string): Record<string, Json> => schemas[name]?.properties as Record<string, Json>;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const text = (op: Json | undefined): string => [op?.description, ...descriptions(op?.responses)].join('\n');
  const entity = '/v2/Services/{ServiceSid}/Entities/{Identity}';
  // A resource's own fields: beside the ones it shares (`allOf: [shared, own]`), or all in one object.
  const extra = (name: string, part = 1): Record<string, Json> => (((schemas[name]?.allOf as Json[] | undefined)?.[part] ?? schemas[name])?.properties ?? {}) as Record<string, Json>;

  // The error body may carry `details` (64011's problems), an optional extension.
  const error = props('Error');
  assert.equal(error.details?.['x-verity-extension'], true);
  assert.deepEqual(schemas.Error?.required, ['code', 'message', 'more_info', 'status']);
  const problem = props('VoiceprintRecordingProblem');
  assert.deepEqual(problem.code?.enum, ['too_short', 'too_quiet', 'clipped', 'too_noisy', 'mostly_silence', 'narrow_band', 'gated', 'inconsistent', 'digits_unclear']);

  // Factor creation: the type, the rule that a biometric is never the only factor, the config.
  assert.ok((props('FactorCreateParams').FactorType?.enum as string[]).includes('voiceprint'), "expected (props('FactorCreateParams').FactorType?.enum as string[]).includes('voiceprint')");
  const create = text(paths[`${entity}/Factors`]?.post);
  assert.match(create, /60300/);
  assert.match(create, /never the only factor/);
  assert.match(create, /recovery codes/);
  const configs = (props('Factor').config?.anyOf as Json[]).map((c) => c.title);
  assert.ok(configs.includes('Voiceprint config'), "expected configs.includes('Voiceprint config')");
  const voiceprintConfig = (props('Factor').config?.anyOf as Json[]).find((c) => c.title === 'Voiceprint config') as Json;
  assert.deepEqual(voiceprintConfig.required, ['recordings_needed', 'recordings_accepted', 'sample_rate']);
  assert.match(text(paths[`${entity}/Factors/{Sid}`]?.post), /voiceprint[^\n]*60300|60300[^\n]*voiceprint/i);

  // Recordings are audio/wav bodies; an enrolment answers 201 or 200 (a recording dropped as inconsistent).
  const enrol = paths[`${entity}/Factors/{FactorSid}/Recordings`]?.post as Json;
  assert.ok('audio/wav' in ((enrol.requestBody as Json).content as Json), "expected 'audio/wav' in ((enrol.requestBody as Json).content as Json)");
  for (const status of ['200', '201']) assert.deepEqual((((enrol.responses as Json)[status] as Json).content as Json)['application/json'], { schema: { $ref: '#/components/schemas/VoiceprintEnrollment' } }, status);
  const problemOrNull = (extra('VoiceprintEnrollment').enrollment_problem?.oneOf ?? extra('VoiceprintEnrollment').enrollment_problem?.anyOf) as Json[];
  assert.deepEqual(new Set(problemOrNull), new Set([{ type: 'null' }, { $ref: '#/components/schemas/VoiceprintRecordingProblem' }]));
  for (const code of ['60200', '60300', '60306', '64011', '20404', '20003']) assert.match(text(enrol), new RegExp(code), code);
  const rejected = (((enrol.responses as Json)['400'] as Json).content as Json)['application/json'] as Json;
  assert.deepEqual((rejected.examples as Record<string, { value: Json }>)['64011']?.value.details, { problems: [{ code: 'too_quiet', message: 'Speak a little louder, or move closer to the microphone.' }] });

  // Challenges: a recording answers with the verdict; lock-out, attempts, replays, amr vbm.
  const answer = paths[`${entity}/Challenges/{ChallengeSid}/Recording`]?.post as Json;
  assert.ok('audio/wav' in ((answer.requestBody as Json).content as Json), "expected 'audio/wav' in ((answer.requestBody as Json).content as Json)");
  assert.equal((extra('VoiceprintChallenge').voiceprint as Json).$ref, '#/components/schemas/VoiceprintOutcome');
  assert.deepEqual(props('VoiceprintOutcome').decision?.enum, ['match', 'no_match', 'rejected']);
  assert.ok(((props('VoiceprintOutcome').reasons?.items as Json).enum as string[]).includes('replay_suspected'), 'VoiceprintOutcome reasons include replay_suspected');
  for (const code of ['60200', '60300', '60306', '60308', '64011', '64012', '20404']) assert.match(text(answer), new RegExp(code), code);
  assert.ok((((answer.responses as Json)['429'] as Json).headers as Json)['Retry-After'], "expected (((answer.responses as Json)['429'] as Json).headers as Json)['Retry-After']");
  assert.match(text(answer), /vbm/);
  // A nullable enum: `enum` with null, or its string branch (`anyOf`).
  const enumOf = (schema: Json | undefined): string[] => (schema?.enum ?? ((schema?.anyOf as Json[] | undefined)?.find((branch) => Array.isArray(branch.enum))?.enum) ?? []) as string[];
  assert.ok(enumOf(props('Challenge').denied_reason).includes('replay_suspected'), 'Challenge.denied_reason includes replay_suspected');
  assert.ok((props('Challenge').factor_type?.enum as string[]).includes('voiceprint'), "expected (props('Challenge').factor_type?.enum as string[]).includes('voiceprint')");
  assert.match(String(props('Challenge').amr?.description), /voiceprint: `\["vbm"\]`/);

  // Calls: To in a form, the call resource, the voice errors.
  for (const path of [`${entity}/Factors/{FactorSid}/Calls`, `${entity}/Challenges/{ChallengeSid}/Calls`]) {
    const call = paths[path]?.post as Json;
    assert.deepEqual(((call.requestBody as Json).content as Json)['application/x-www-form-urlencoded'], { schema: { $ref: '#/components/schemas/VoiceprintCallParams' } }, path);
    assert.ok((call.responses as Json)['201'], path);
    for (const code of ['60200', '60300', '60306', '60223', '60212', '30008', '20404']) assert.match(text(call), new RegExp(code), `${path} ${code}`);
  }
  assert.deepEqual(schemas.VoiceprintCall?.required, ['call_sid', 'to', 'from', 'status', 'flow', 'factor_sid', 'challenge_sid', 'date_created', 'links']);
  assert.deepEqual(props('VoiceprintCall').flow?.enum, ['voiceprint_enroll', 'voiceprint_verify']);

  // Every voiceprint route and resource is marked as an extension.
  for (const path of ['Factors/{FactorSid}/Recordings', 'Factors/{FactorSid}/Calls', 'Challenges/{ChallengeSid}/Recording', 'Challenges/{ChallengeSid}/Calls']) assert.match(String(paths[`${entity}/${path}`]?.post?.description), /^\*\*Verity extension\.\*\*/, path);
  for (const name of ['VoiceprintEnrollment', 'VoiceprintOutcome', 'VoiceprintChallenge', 'VoiceprintCall', 'VoiceprintCallParams', 'VoiceprintRecordingProblem']) assert.equal(schemas[name]?.['x-verity-extension'], true, name);

  // Service settings.
  const service = props('ServiceCreateParams');
  assert.deepEqual([service['Voiceprint.Threshold']?.type, service['Voiceprint.Threshold']?.minimum, service['Voiceprint.Threshold']?.maximum, service['Voiceprint.Threshold']?.['x-verity-extension']], ['number', -2, 8, true]);
  assert.deepEqual([service['Voiceprint.RetainAudio']?.type, service['Voiceprint.RetainAudio']?.default, service['Voiceprint.RetainAudio']?.['x-verity-extension']], ['boolean', false, true]);
  const settings = props('Service').voiceprint as Json;
  assert.equal(settings['x-verity-extension'], true);
  assert.deepEqual(Object.keys(settings.properties as Json), ['threshold', 'retain_audio', 'mode']);
  // Text-prompted mode: the setting, the challenge's prompt, the verdict's reasons.
  assert.deepEqual([service['Voiceprint.Mode']?.enum, service['Voiceprint.Mode']?.default, service['Voiceprint.Mode']?.['x-verity-extension']], [['pass_phrase', 'digits'], 'pass_phrase', true]);
  assert.equal(props('ChallengeDetails').prompt?.['x-verity-extension'], true);
  for (const reason of ['phrase_mismatch', 'digits_mismatch']) assert.ok(((props('VoiceprintOutcome').reasons?.items as Json).enum as string[]).includes(reason), reason);
});

test('docsRoutes serves the generated document at /openapi.json and in a Swagger UI page at /docs', async () => {
  const json = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(json.statusCode, 200);
  assert.match(String(json.headers['content-type']), /^application\/json/);
  assert.equal(json.headers['cache-control'], 'no-cache');
  assert.equal(json.headers['x-content-type-options'], 'nosniff');
  // The document @fastify/swagger generates from the routes' schemas, as-is.
  assert.deepEqual(json.json(), JSON.parse(JSON.stringify(app.swagger())));

  const page = await app.inject({ method: 'GET', url: '/docs' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /<html/i);
  assert.match(page.body, /Verity API/);

  // Assets come from the package, not a CDN: the page works offline.
  assert.doesNotMatch(page.body, /https?:\/\/(cdn|unpkg|cdnjs)/);
  const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
  assert.equal(bundle.statusCode, 200);
  // Swagger UI shows the same document.
  const uiDocument = await app.inject({ method: 'GET', url: '/docs/json' });
  assert.equal(uiDocument.statusCode, 200);
  assert.deepEqual(uiDocument.json(), doc);

  // The error codes, one anchored row each; a code Verity added says so, a Twilio one links to Twilio.
  const errors = await app.inject({ method: 'GET', url: '/docs/errors' });
  assert.equal(errors.statusCode, 200);
  assert.match(String(errors.headers['content-type']), /^text\/html/);
  assert.deepEqual(cspDirectives(errors.headers['content-security-policy']).get('default-src'), ["'none'"]);
  assert.match(errors.body, /<tr id="64205"><td><a href="#64205">64205<\/a><\/td><td>403<\/td><td>Passkey not recognised<\/td><td>a usernameless sign-in response names no verified passkey[^<]*<\/td><td>Verity<\/td><\/tr>/);
  assert.match(errors.body, /<tr id="60200">.*<a href="https:\/\/www.twilio.com\/docs\/errors\/60200">Twilio<\/a><\/td><\/tr>/);
  assert.match(errors.body, /<code>Passkeys\.UserVerification=required<\/code>/);
  assert.equal((errors.body.match(/<tr id="\d+">/g) ?? []).length, Object.keys(ERROR_CODES).length);
});

test('docsRoutes defaults the server URL (build-app calls it with the app only)', async () => {
  const bare = Fastify();
  await docsRoutes(bare);
  await bare.ready();
  try {
    const json = await bare.inject({ method: 'GET', url: '/openapi.json' });
    assert.deepEqual((json.json() as Json).servers, [{ url: 'http://127.0.0.1:4000' }]);
  } finally {
    await bare.close();
  }
});
