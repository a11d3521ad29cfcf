import assert from 'node:assert/strict';
import { it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { installOpenApi } from '../openapi/openapi-plugin.ts';
import { serializerCompiler, validatorCompiler } from '../schema/validation.ts';
import { formText, formToken, hostedPage, pageForm } from './hosted-page-schema.ts';

it('a hosted page route gets its form and query exactly as sent, and stays out of the document', async () => {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
  await installOpenApi(app, 'http://127.0.0.1:4000');
  await app.register(formbody);
  const seen: unknown[] = [];
  const pages = app.withTypeProvider<ZodTypeProvider>();
  pages.post('/form', hostedPage({ body: pageForm({ session: formToken(), code: formText('A code.') }), querystring: z.object({ request: formText('A request.') }) }), async (request) => {
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

  const document = app.swagger() as { paths?: Record<string, unknown> };
  assert.equal(document.paths?.['/form'], undefined);
  await app.close();
});
