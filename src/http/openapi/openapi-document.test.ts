import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { AppContext } from '../../context.ts';
import { ERROR_CODES } from '../../errors/error-codes.ts';
import type { SimulatorInbox } from '../../providers/simulator/simulator-inbox.ts';
import { challengeEventsRoutes } from '../routes/challenge-events-routes.ts';
import { deviceRoutes } from '../routes/device-routes.ts';
import { docsRoutes } from '../routes/docs-routes.ts';
import { factorsRoutes } from '../routes/factors-routes.ts';
import { operationsRoutes } from '../routes/operations-routes.ts';
import { recoveryCodesRoutes } from '../routes/recovery-codes-routes.ts';
import { servicesRoutes } from '../routes/services-routes.ts';
import { simulatorRoutes } from '../routes/simulator-routes.ts';
import { verificationsRoutes } from '../routes/verifications-routes.ts';
import { webhooksRoutes } from '../routes/webhooks-routes.ts';
import { openApiDocument } from './openapi-document.ts';

type Json = Record<string, unknown>;

const SERVER = 'https://verity.example.test';
const doc = openApiDocument(SERVER);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const EXPECTED: Record<string, string[]> = {
  '/v2/Services': ['post', 'get'],
  '/v2/Services/{ServiceSid}': ['get', 'post', 'delete'],
  '/v2/Services/{ServiceSid}/Verifications': ['post'],
  '/v2/Services/{ServiceSid}/Verifications/{Sid}': ['get', 'post'],
  '/v2/Services/{ServiceSid}/VerificationCheck': ['post'],
  '/v2/Services/{ServiceSid}/Webhooks': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Webhooks/{Sid}': ['get', 'post', 'delete'],
  '/v2/Services/{ServiceSid}/Entities': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}': ['get', 'delete'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}': ['get', 'post', 'delete'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}': ['get', 'post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}/Notifications': ['post'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/RecoveryCodes': ['post', 'get'],
  '/v2/Services/{ServiceSid}/Entities/{Identity}/RecoveryCodes/Check': ['post'],
  '/v2/Services/{ServiceSid}/AccessTokens': ['post'],
  '/device/v1/Factors': ['post'],
  '/device/v1/Factors/{FactorSid}': ['get', 'post'],
  '/device/v1/Factors/{FactorSid}/Challenges': ['get'],
  '/device/v1/Factors/{FactorSid}/Challenges/Stream': ['get'],
  '/device/v1/Factors/{FactorSid}/Challenges/{Sid}': ['post'],
  '/events/v1/Challenges/{Sid}/{Token}': ['get'],
  '/sim/v1/inbox/{address}': ['get'],
  '/sim/v1/inbox/{address}/stream': ['get'],
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
  '/openapi.json': ['get'],
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
  assert.ok(typeof info.description === 'string' && info.description.length > 200);
  assert.deepEqual(doc.servers, [{ url: SERVER }]);
  const tags = (doc.tags as { name: string }[]).map((t) => t.name);
  for (const { op } of operations()) for (const tag of op.tags as string[]) assert.ok(tags.includes(tag), `tag ${tag} is declared`);
  // The result is plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
});

test('every route and method is documented, with a unique operationId', () => {
  const paths = doc.paths as Record<string, Json>;
  for (const [path, methods] of Object.entries(EXPECTED)) {
    assert.ok(paths[path], `path ${path}`);
    for (const method of methods) assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  }
  const ids = operations().map(({ op }) => op.operationId);
  assert.equal(new Set(ids).size, ids.length);
});

test('every route the route modules register is documented (build-app wires these)', async () => {
  const app = Fastify({ exposeHeadRoutes: false });
  const registered: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registered.push(`${method.toLowerCase()} ${route.url.replace(/:[A-Za-z]+/g, '{}')}`);
  });
  // Registering routes touches nothing but these (the handlers are never called here).
  const ctx = { db: { kysely: {}, dialect: 'sqlite' }, config: { publicUrl: SERVER } } as unknown as AppContext;
  operationsRoutes(app, ctx, { shuttingDown: false });
  simulatorRoutes(app, ctx, {} as SimulatorInbox);
  for (const routes of [deviceRoutes, challengeEventsRoutes, servicesRoutes, verificationsRoutes, webhooksRoutes, factorsRoutes, recoveryCodesRoutes]) routes(app, ctx);
  await app.ready();
  const documented = new Set(operations().map(({ path, method }) => `${method} ${path.replace(/\{[A-Za-z-]+\}/g, '{}')}`));
  assert.ok(registered.length > 30);
  for (const route of registered) assert.ok(documented.has(route), `${route} is documented`);
  await app.close();
});

test('every $ref resolves to a component', () => {
  const refs: string[] = [];
  walk(doc, (n) => {
    if (typeof n.$ref === 'string') refs.push(n.$ref);
  });
  assert.ok(refs.length > 50);
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
      const content = (response.content as Json)['application/json'] as Json;
      assert.deepEqual(content.schema, { $ref: '#/components/schemas/Error' }, `${method} ${path} ${status}`);
      for (const example of Object.values(content.examples as Record<string, { value: Json }>)) {
        assert.equal(example.value.status, Number(status), `${method} ${path} ${status}`);
        assert.ok(String(example.value.code) in ERROR_CODES);
        assert.equal(example.value.more_info, `https://www.twilio.com/docs/errors/${String(example.value.code)}`);
      }
    }
  }
});

test('/v2 operations use HTTP Basic, /device/v1 ones a bearer JWT, and both document 20003; the others are open', () => {
  const schemes = (doc.components as Json).securitySchemes as Json;
  assert.deepEqual({ type: (schemes.accountAuth as Json).type, scheme: (schemes.accountAuth as Json).scheme }, { type: 'http', scheme: 'basic' });
  assert.deepEqual({ type: (schemes.bearerAuth as Json).type, scheme: (schemes.bearerAuth as Json).scheme }, { type: 'http', scheme: 'bearer' });
  for (const { path, method, op } of operations()) {
    if (path.startsWith('/v2/') || path.startsWith('/device/')) {
      assert.deepEqual(op.security, [path.startsWith('/v2/') ? { accountAuth: [] } : { bearerAuth: [] }], `${method} ${path}`);
      assert.match(descriptions((op.responses as Json)['401']).join(' '), /20003/, `${method} ${path}`);
      assert.match(descriptions((op.responses as Json)['429']).join(' '), /20429/, `${method} ${path}`);
    } else {
      assert.deepEqual(op.security, [], `${method} ${path}`);
    }
  }
});

test('request bodies are form-encoded component schemas; Verity extensions are marked', () => {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  for (const { path, method, op } of operations()) {
    if (method !== 'post' || !(path.startsWith('/v2/') || path.startsWith('/device/'))) continue;
    const content = (op.requestBody as Json).content as Json;
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
  const created = schemas.WebhookCreated?.allOf as Json[];
  assert.equal(((created[1]?.properties as Record<string, Json>).secret as Json)['x-verity-extension'], true);
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
  assert.ok(((sse.responses as Json)['200'] as Json).content && 'text/event-stream' in (((sse.responses as Json)['200'] as Json).content as Json));
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
  assert.equal(props('FactorUpdateParams').AuthPayload?.maxLength, 5456);
  assert.equal(props('ChallengeUpdateParams').AuthPayload?.maxLength, 5456);
  assert.deepEqual(props('Factor').factor_type?.enum, ['totp', 'push']);

  const challenge = props('Challenge');
  for (const field of ['number_match', 'amr', 'denied_reason']) assert.equal(challenge[field]?.['x-verity-extension'], true, field);
  assert.equal(((challenge.links?.properties as Record<string, Json>).events as Json)['x-verity-extension'], true);
  assert.ok(props('RecoveryCodeCheck').amr);

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
  assert.match(text(paths['/device/v1/Factors/{FactorSid}']?.post), /60311/);
  const stream = paths['/device/v1/Factors/{FactorSid}/Challenges/Stream']?.get as Json;
  assert.ok('text/event-stream' in (((stream.responses as Json)['200'] as Json).content as Json));
  assert.match(String(stream.description), /event: challenge/);
  assert.ok(props('DeviceChallenge').number_match_required);
  assert.equal(props('DeviceChallenge').number_match, undefined);

  const events = paths['/events/v1/Challenges/{Sid}/{Token}']?.get as Json;
  assert.deepEqual(events.security, []);
  assert.ok('text/event-stream' in (((events.responses as Json)['200'] as Json).content as Json));
  assert.match(text(events), /20404/);
  assert.match(String(events.description), /Last-Event-ID/);
  for (const name of ['created', 'delivered', 'approved', 'denied', 'expired']) assert.match(String(events.description), new RegExp(`\`${name}\``));
  assert.deepEqual(props('ChallengeProgressEvent').sequence?.enum, [1, 2, 3]);
});

test('docsRoutes serves /openapi.json and a Swagger UI page at /docs', async () => {
  const app = Fastify();
  await docsRoutes(app, SERVER);
  await app.ready();
  try {
    const json = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(json.statusCode, 200);
    assert.match(String(json.headers['content-type']), /^application\/json/);
    assert.deepEqual(json.json(), doc);

    const page = await app.inject({ method: 'GET', url: '/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<html/i);
    assert.match(page.body, /Verity API/);

    // Assets come from the package, not a CDN: the page works offline.
    assert.doesNotMatch(page.body, /https?:\/\/(cdn|unpkg|cdnjs)/);
    const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    assert.equal(bundle.statusCode, 200);
    const uiDocument = await app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(uiDocument.statusCode, 200);
    assert.equal((uiDocument.json() as Json).openapi, '3.1.0');
  } finally {
    await app.close();
  }
});

test('docsRoutes defaults the server URL (build-app calls it with the app only)', async () => {
  const app = Fastify();
  await docsRoutes(app);
  await app.ready();
  try {
    const json = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.deepEqual((json.json() as Json).servers, [{ url: 'http://127.0.0.1:4000' }]);
  } finally {
    await app.close();
  }
});
