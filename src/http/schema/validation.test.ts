import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify from 'fastify';
import { z } from 'zod';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { serializerCompiler, validatorCompiler, type ResponseChecks } from './validation.ts';
import * as field from './wire-fields.ts';

async function appWith(checks: ResponseChecks, reply: unknown) {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler(checks));
  app.setErrorHandler((error, _request, res) => (error instanceof VerityError ? res.status(error.status).send(errorBody(error)) : res.status(500).send({ message: 'internal' })));
  app.post('/thing', { schema: { body: field.fields({ Size: field.integer(1, 3) }), response: { 200: z.object({ size: z.number(), nested: z.object({ a: z.string() }) }) } } }, async () => reply);
  await app.ready();
  return app;
}

it('a body that breaks its schema is the hosted API\'s 60200 error', async () => {
  const app = await appWith({ mode: 'fail', violations: [] }, { size: 1, nested: { a: 'x' } });
  const res = await app.inject({ method: 'POST', url: '/thing', payload: { Size: '9' } });
  assert.equal(res.statusCode, 400);
  assert.deepEqual({ code: res.json().code, message: res.json().message }, { code: 60200, message: 'Invalid parameter: Size (expected an integer from 1 to 3)' });
  await app.close();
});

it('a response with a field its schema does not declare is a violation (strictly, at any depth)', async () => {
  const checks: ResponseChecks = { mode: 'record', violations: [] };
  const app = await appWith(checks, { size: 1, nested: { a: 'x', secret: 'y' } });
  const res = await app.inject({ method: 'POST', url: '/thing', payload: { Size: 2 } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { size: 1, nested: { a: 'x', secret: 'y' } }, 'the wire bytes never depend on the schema');
  assert.equal(checks.violations.length, 1);
  assert.equal(checks.violations[0]?.issues[0]?.code, 'unrecognized_keys');
  await app.close();
});

it('in fail mode (NODE_ENV=test) a violation fails the request', async () => {
  const app = await appWith({ mode: 'fail', violations: [] }, { size: 'one', nested: { a: 'x' } });
  const res = await app.inject({ method: 'POST', url: '/thing', payload: { Size: 2 } });
  assert.equal(res.statusCode, 500);
  await app.close();
});
