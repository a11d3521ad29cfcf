import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { z } from 'zod';
import { invalidInput } from './validation.ts';
import * as field from './wire-fields.ts';

/** The value of `K` in `body`, or the wire message of the first problem. */
function read(schema: z.ZodType, body: Record<string, unknown>): { ok: unknown } | { error: string } {
  const result = field.fields({ K: schema }).safeParse(body);
  return result.success ? { ok: (result.data as { K: unknown }).K } : { error: invalidInput(result.error).message };
}

it('reads form and JSON values as the hosted API sends them', () => {
  assert.deepEqual(read(field.string({ max: 10 }), { K: '+1' }), { ok: '+1' });
  assert.deepEqual(read(field.string({ max: 10 }), { K: 123 }), { ok: '123' }, 'a JSON number is read as its text');
  assert.deepEqual(read(field.string(), { K: null }), { ok: undefined }, 'null is not given');
  assert.deepEqual(read(field.boolean(), { K: 'TRUE' }), { ok: true });
  assert.deepEqual(read(field.boolean(), { K: false }), { ok: false });
  assert.deepEqual(read(field.integer(1, 10), { K: '7' }), { ok: 7 });
  assert.deepEqual(read(field.number(-100, 100), { K: '-1.25' }), { ok: -1.25 });
  assert.deepEqual(read(field.jsonObject(), { K: '{"a":1}' }), { ok: { a: 1 } });
  assert.deepEqual(read(field.list(), { K: ['a', 'b'] }), { ok: ['a', 'b'] });
  assert.deepEqual(read(field.commaList(), { K: ['US, ca', 'GB', ''] }), { ok: ['US', 'ca', 'GB'] });
  assert.deepEqual(read(field.oneOf(['a', 'b']), { K: 'b' }), { ok: 'b' });
});

it('words every problem as `Invalid parameter: <Key> (<detail>)`', () => {
  assert.deepEqual(read(field.string({ max: 10 }), { K: 'x'.repeat(11) }), { error: 'Invalid parameter: K (at most 10 characters)' });
  assert.deepEqual(read(field.string({ min: 3 }), { K: 'ab' }), { error: 'Invalid parameter: K (at least 3 characters)' });
  assert.deepEqual(read(field.string(), { K: ['a', 'b'] }), { error: 'Invalid parameter: K (given more than once)' });
  assert.deepEqual(read(field.string({ pattern: /^PT\d+$/ }), { K: 'x' }), { error: 'Invalid parameter: K' }, 'no detail without a why');
  assert.deepEqual(read(field.string({ pattern: /^a$/, why: 'only a' }), { K: 'b' }), { error: 'Invalid parameter: K (only a)' });
  assert.deepEqual(read(field.required(), {}), { error: 'Invalid parameter: K (required)' });
  assert.deepEqual(read(field.required(), { K: '' }), { error: 'Invalid parameter: K (required)' });
  assert.deepEqual(read(field.boolean(), { K: 'yes' }), { error: 'Invalid parameter: K (expected true or false)' });
  assert.deepEqual(read(field.integer(0, 5000), { K: '1e3' }), { error: 'Invalid parameter: K (expected an integer from 0 to 5000)' });
  assert.deepEqual(read(field.integer(8, 10), { K: '7' }), { error: 'Invalid parameter: K (expected an integer from 8 to 10)' });
  assert.deepEqual(read(field.oneOf(['a', 'b']), { K: 'c' }), { error: 'Invalid parameter: K (expected one of a, b)' });
  assert.deepEqual(read(field.jsonObject(), { K: '[1]' }), { error: 'Invalid parameter: K (expected a JSON object)' });
  const first = field.fields({ A: field.integer(1, 2), B: field.required() }).safeParse({ A: '9' });
  assert.equal(first.success ? '' : invalidInput(first.error).message, 'Invalid parameter: A (expected an integer from 1 to 2)', 'the first field in schema order');
  assert.deepEqual(field.fields({ A: field.string() }).parse('not an object'), {}, 'a body that is not an object carries no fields');
});
