import assert from 'node:assert/strict';
import { it } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { Params } from './params.ts';

const fails = (fn: () => unknown, name: string) =>
  assert.throws(fn, (e: unknown) => e instanceof VerityError && e.code === 60200 && e.message.includes(name));

it('reads form parameters strictly', () => {
  const p = new Params({ To: '+1', Flag: 'true', N: '7', Twice: ['a', 'b'], Json: '{"a":1}', Bad: '[1]' });
  assert.equal(p.string('To'), '+1');
  assert.equal(p.boolean('Flag'), true);
  assert.equal(p.integer('N', 1, 10), 7);
  assert.deepEqual(p.list('Twice'), ['a', 'b']);
  assert.deepEqual(p.json('Json'), { a: 1 });
  assert.equal(p.string('Missing'), undefined);
  fails(() => p.string('Twice'), 'Twice');
  fails(() => p.integer('N', 8, 10), 'N');
  fails(() => new Params({ N: '1e3' }).integer('N', 0, 5000), 'N');
  fails(() => new Params({ Flag: 'yes' }).boolean('Flag'), 'Flag');
  fails(() => p.json('Bad'), 'Bad');
  fails(() => p.required('Missing'), 'Missing');
  fails(() => new Params({ To: 'x'.repeat(11) }).string('To', { max: 10 }), 'To');
});
