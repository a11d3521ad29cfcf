import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, type ErrorCase } from '../schema/error-responses.ts';
import { ErrorBody } from '../schema/resource-fields.ts';
import { DOCUMENT_INFO, RESPONSE_HEADERS, SECURITY_SCHEMES, TAGS } from './document-info.ts';
import { eventSchemas, webhooks } from './document-webhooks.ts';

type Json = Record<string, unknown>;
type OpenApiDocument = Json & { paths?: Record<string, Record<string, Json>>; components?: Json & { schemas?: Record<string, Json> } };

/**
 * zod leaves `default` out of a request field's JSON Schema when the field transforms its input
 * (every wire field does: wire-fields.ts reads the form's text), although the default is the
 * request's. It is put back from the field's metadata. Besides that, as fastify-type-provider-zod's
 * own override does: a union drops the empty branches zod writes for what JSON Schema cannot say.
 */
const zodToJsonConfig = {
  override(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
    const meta = z.globalRegistry.get(ctx.zodSchema as z.ZodType);
    if (meta && 'default' in meta && !('default' in ctx.jsonSchema)) ctx.jsonSchema.default = meta.default;
    if (ctx.zodSchema instanceof z.ZodUnion && Array.isArray(ctx.jsonSchema.anyOf)) ctx.jsonSchema.anyOf = (ctx.jsonSchema.anyOf as Json[]).filter((branch) => Object.keys(branch).length > 0);
  },
};
const zodTransform = createJsonSchemaTransform({ zodToJsonConfig });
const zodComponents = createJsonSchemaTransformObject({ zodToJsonConfig });
// Every error response refers to it (error-responses.ts); registered with the zod registry on import.
void ErrorBody;

/**
 * @fastify/swagger in dynamic mode: the OpenAPI 3.1 document is built from the zod schemas the
 * routes declare (params, query, body, responses; summary, description, tags and security beside
 * them). Routes that declare no schema (hosted pages, voice platforms' webhooks, the docs' own
 * assets) are left out. Registered on the root instance before any route, so it sees them all.
 */
export async function installOpenApi(app: FastifyInstance, serverUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: DOCUMENT_INFO,
      servers: [{ url: serverUrl.replace(/\/+$/, '') || '/' }],
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES, headers: RESPONSE_HEADERS },
    } as never,
    transform: (route) => {
      const schema = route.schema as (Json & { okDescriptions?: Record<string, string>; okHeaders?: Record<string, Json>; errors?: ErrorCase[] }) | undefined;
      if (!isDocumented(schema)) return { schema: { hide: true } as never, url: route.url };
      const { okDescriptions = {}, okHeaders = {}, errors = [], body, ...rest } = schema as NonNullable<typeof schema>;
      // A body given per content type (a recording) is converted here: the zod transform takes one schema.
      const content = body && typeof body === 'object' && 'content' in body ? (body.content as Record<string, { schema: z.ZodType }>) : undefined;
      const transformed = zodTransform({ ...route, schema: (content ? rest : { ...rest, body }) as never });
      if (content) (transformed.schema as Json).body = { content: Object.fromEntries(Object.entries(content).map(([type, media]) => [type, { schema: jsonSchemaOf(media.schema) }])) };
      const responses = ((transformed.schema as Json).response ?? {}) as Record<string, Json>;
      // Success responses carry their description next to the (referenced) schema; errors their codes.
      for (const [status, description] of Object.entries(okDescriptions)) {
        const body = responses[status];
        const content = body && 'content' in body ? (body.content as Json) : body ? { 'application/json': { schema: body } } : undefined;
        // @fastify/swagger reads a response header as its JSON schema, with the description beside the type.
        const named = okHeaders[status] as Record<string, { description: string; schema: Json }> | undefined;
        const headers = named ? { headers: Object.fromEntries(Object.entries(named).map(([name, header]) => [name, { ...header.schema, description: header.description }])) } : {};
        responses[status] = content ? { description, ...headers, content } : { description, ...headers, type: 'null' };
      }
      Object.assign(responses, errorResponses(errors));
      const params = (transformed.schema as Json).params as Json | undefined;
      const names = documentNames(route.url);
      return { ...transformed, url: twilioPath(route.url, names), schema: { ...(transformed.schema as Json), ...(params ? { params: twilioParams(params, names) } : {}), response: responses } as never };
    },
    transformObject: (document) => {
      const { components, ...generated } = zodComponents(document) as OpenApiDocument;
      // HEAD is answered for every GET; a route declaring both (a static file's) is listed as its GET.
      for (const item of Object.values(generated.paths ?? {})) if (item.get) delete item.head;
      unwrapHeaderRefs(generated.paths ?? {});
      // What no route declares: the webhook Verity calls and the event payloads (document-webhooks.ts).
      const events = eventSchemas();
      const schemas = { ...components?.schemas, ...events } as Record<string, Json>;
      return tidy({ ...generated, webhooks: webhooks(), components: { ...components, schemas } }, Object.keys(events));
    },
  });
}

/**
 * Path parameters as Twilio's own OpenAPI description (twilio-oai, `twilio_verify_v2.json`) spells
 * them: the SID of the resource a path ends at is `{Sid}` (`/v2/Services/{Sid}`,
 * `…/Verifications/{Sid}`), a parent's SID is named after its resource (`{ServiceSid}`,
 * `…/Challenges/{ChallengeSid}/Notifications`), and other parameters are capitalised (`{Identity}`,
 * `{Token}`). The routes name them in camelCase after their resource (`:serviceSid`,
 * `:verificationSid`), from which the rule derives the document's names. The simulated carrier's
 * routes (`/sim/`, Verity's own) keep their lower-case names.
 */
function documentNames(url: string): Map<string, string> {
  const names = new Map<string, string>();
  if (url.startsWith('/sim/')) return names;
  const segments = url.split('/');
  segments.forEach((segment, index) => {
    if (!segment.startsWith(':')) return;
    // The 2010-04-01 API's paths end in `.json` (`…/Keys/:keySid.json`).
    const name = segment.slice(1).replace(/\.json$/, '');
    names.set(name, index === segments.length - 1 && name.endsWith('Sid') ? 'Sid' : name.charAt(0).toUpperCase() + name.slice(1));
  });
  return names;
}

function twilioPath(url: string, names: Map<string, string>): string {
  return url.replace(/:(\w+)/g, (_match, name: string) => `:${names.get(name) ?? name}`);
}

function twilioParams(schema: Json, names: Map<string, string>): Json {
  const properties = (schema.properties ?? {}) as Json;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : undefined;
  const renamed = (name: string): string => names.get(name) ?? name;
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(properties).map(([name, property]) => [renamed(name), property])),
    ...(required ? { required: required.map(renamed) } : {}),
  };
}

/**
 * @fastify/swagger writes every response header as a schema, so a reference to a shared header
 * (error-responses.ts: `Retry-After`, `WWW-Authenticate`) comes out as `{schema: {$ref}}`; OpenAPI
 * wants the reference as the header itself.
 */
function unwrapHeaderRefs(paths: Record<string, Record<string, Json>>): void {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const response of Object.values((operation.responses ?? {}) as Record<string, Json>)) {
        const headers = response.headers as Record<string, Json> | undefined;
        for (const [name, header] of Object.entries(headers ?? {})) {
          const ref = (header.schema as Json | undefined)?.$ref;
          if (headers && typeof ref === 'string' && ref.startsWith('#/components/headers/')) headers[name] = { $ref: ref };
        }
      }
    }
  }
}

/** A request body schema of one content type, as JSON Schema (it refers to no component). */
function jsonSchemaOf(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Json;
  delete json.$schema;
  return json;
}

/** A route is in the document when it declares at least one zod schema and is not hidden. */
function isDocumented(schema: Json | undefined): boolean {
  if (!schema || schema.hide === true) return false;
  const parts = [schema.params, schema.querystring, schema.body, ...Object.values((schema.response as Json | undefined) ?? {})];
  // A body or response given per content type (`content: {<type>: {schema}}`) counts by its schemas.
  const schemas = parts.flatMap((part) => (part && typeof part === 'object' && 'content' in part ? Object.values(part.content as Record<string, { schema: unknown }>).map((media) => media.schema) : [part]));
  return schemas.some((part) => part instanceof z.ZodType);
}

/**
 * Keeps only the component schemas the paths and webhooks use, and `keep` (the zod registry is global), and names request
 * components without the `Input` suffix fastify-type-provider-zod adds to tell request from
 * response schemas apart, where no response schema has the name.
 */
function tidy(document: OpenApiDocument, keep: string[]): OpenApiDocument {
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')) {
        const name = child.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(child);
    }
  };
  visit(document.paths);
  visit(document.webhooks);
  for (const name of ['Error', ...keep]) {
    used.add(name);
    visit(schemas[name]);
  }
  const rename = new Map<string, string>();
  for (const name of used) if (name.endsWith('Input') && !used.has(name.slice(0, -'Input'.length))) rename.set(name, name.slice(0, -'Input'.length));
  const kept = Object.fromEntries([...used].map((name) => [rename.get(name) ?? name, schemas[name] as Json] as const).sort(([a], [b]) => a.localeCompare(b)));
  const text = JSON.stringify({ ...document, components: { ...document.components, schemas: kept } }, (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' ? value.replace(/^#\/components\/schemas\/(.+)$/, (ref, name: string) => `#/components/schemas/${rename.get(name) ?? name}`) : value,
  );
  return JSON.parse(text) as OpenApiDocument;
}
