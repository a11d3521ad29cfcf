import assert from 'node:assert/strict';
import { it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { installOpenApi } from '../openapi/openapi-plugin.ts';
import { serializerCompiler, validatorCompiler } from '../schema/validation.ts';
import { formText, formToken, HOSTED_TAG, hostedOperation, hostedPage, pageForm, refusalPages, stepAnswer } from './hosted-page-schema.ts';

it('a hosted page route gets a form or query its schema refuses exactly as sent (no 60200), and is documented as a page', async () => {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
  await installOpenApi(app, 'http://127.0.0.1:4000');
  await app.register(formbody);
  const seen: unknown[] = [];
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const schema = hostedOperation({
    operationId: 'postForm',
    summary: 'A form.',
    description: 'A form of a page.',
    body: pageForm({ session: formToken(), code: formText('A code.') }, ['session']),
    querystring: z.looseObject({ request: formText('A request.') }),
    answers: { 303: stepAnswer('the next page') },
    refusals: refusalPages({ 400: 'A bad form.' }),
  });
  pages.post('/form', hostedPage(schema), async (request) => {
    seen.push({ body: request.body, query: request.query });
    return 'page';
  });
  await app.ready();

  const form = (payload: string) => app.inject({ method: 'POST', url: '/form?request=a&request=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
  assert.equal((await form('session=s.n&code=1&code=2&extra=x')).statusCode, 200, 'a repeated or unknown field is no 60200: the flow decides');
  assert.equal((await app.inject({ method: 'POST', url: '/form', headers: { 'content-type': 'application/json' }, payload: '{"session":5}' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/form' })).statusCode, 200);
  assert.deepEqual(JSON.parse(JSON.stringify(seen)), [
    { body: { session: 's.n', code: ['1', '2'], extra: 'x' }, query: { request: ['a', 'b'] } },
    { body: { session: 5 }, query: {} },
    { query: {} },
  ]);
  assert.equal((seen[2] as { body?: unknown }).body, undefined, 'no body stays undefined');

  const document = app.swagger() as { paths: Record<string, { post: { tags: string[]; security: unknown[]; requestBody: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> } }> };
  const post = document.paths['/form']?.post;
  assert.ok(post, 'the page is in the document');
  assert.deepEqual(post.tags, [HOSTED_TAG]);
  assert.deepEqual(post.security, [], 'no security scheme: the session cookie and form token are the page\'s credentials');
  assert.deepEqual(Object.keys(post.requestBody.content), ['application/x-www-form-urlencoded']);
  assert.ok(post.responses['303']?.headers?.Location, 'the redirect names its Location');
  assert.deepEqual(Object.keys(post.responses['400']?.content ?? {}), ['text/html'], 'a refusal is an HTML page, not the API\'s error');
  assert.ok(post.responses['429']?.headers?.['Retry-After'], 'the request limits\' 429 names Retry-After');
  await app.close();
});
