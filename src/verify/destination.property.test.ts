import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { VerityError } from '../errors/verity-error.ts';
import { parseDestination } from './destination.ts';

/**
 * Properties of `To` normalisation on generated input (fast-check, fixed seed): however a valid
 * number is written, it becomes one E.164 string (rate limits, lock-outs and the stored destination
 * key on it); E.164 is a fixed point; anything else is a 60200, never another exception.
 */
const RUNS = { seed: 164, numRuns: 400 };

/** A valid mobile number of every country libphonenumber-js knows (its example numbers), in E.164. */
const E164_MOBILES = getCountries().flatMap((country) => getExampleNumber(country, examples)?.number ?? []);

/** The number as a person or a form may write it: separators between digits, with or without the `+`. */
const written = fc
  .tuple(fc.constantFrom(...E164_MOBILES), fc.boolean(), fc.infiniteStream(fc.constantFrom('', '', '', ' ', '-', '.', ' (', ') ')))
  .map(([e164, plus, separators]) => {
    const digits = e164.slice(1).split('');
    const it = separators[Symbol.iterator]();
    const text = digits.map((d, i) => (i === 0 ? d : `${it.next().value as string}${d}`)).join('');
    return { e164, text: (plus ? '+' : '') + text };
  })
  .filter(({ text }) => text.length <= 32);

test('a valid number normalises to its E.164 form however it is written', () => {
  assert.ok(E164_MOBILES.length > 200, `example numbers of ${E164_MOBILES.length} countries`);
  fc.assert(
    fc.property(written, ({ e164, text }) => {
      const parsed = parseDestination(`  ${text} `);
      assert.equal(parsed.kind, 'phone');
      assert.equal(parsed.address, e164, `${JSON.stringify(text)} → ${parsed.address}`);
      assert.deepEqual(parseDestination(parsed.address), parsed, 'E.164 is a fixed point');
    }),
    RUNS,
  );
});

test('any input is either a 60200 or an E.164 number that normalises to itself', () => {
  const digitsAndPunctuation = fc.string({ unit: fc.constantFrom(...'0123456789+ ().-'.split('')), maxLength: 34 });
  fc.assert(
    fc.property(fc.oneof(digitsAndPunctuation, fc.string({ maxLength: 34 })), (raw) => {
      let parsed;
      try {
        parsed = parseDestination(raw);
      } catch (error) {
        assert.ok(error instanceof VerityError && error.code === 60200, `${JSON.stringify(raw)} threw ${String(error)}`);
        return;
      }
      if (parsed.kind === 'email') {
        assert.equal(parseDestination(parsed.address).address, parsed.address);
        return;
      }
      assert.match(parsed.address, /^\+[1-9]\d{1,14}$/, `${JSON.stringify(raw)} → ${parsed.address}`);
      const again = parseDestination(parsed.address);
      assert.deepEqual(again, parsed);
    }),
    RUNS,
  );
});

test('an email address normalises to lower case whatever its case', () => {
  const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
  const domain = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\.[a-z]{2,6}$/);
  fc.assert(
    fc.property(local, domain, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (user, host, upper) => {
      const address = `${user}@${host}`;
      const mixed = address.split('').map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
      assert.deepEqual(parseDestination(mixed), { kind: 'email', address });
    }),
    RUNS,
  );
});
