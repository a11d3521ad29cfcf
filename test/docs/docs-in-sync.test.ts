import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { configurationDoc, errorsDoc } from '../../scripts/generate-docs.ts';

const read = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

it('docs/errors.md lists every error code (run `npm run docs` after changing src/errors/error-codes.ts)', () => {
  assert.equal(read('errors.md'), errorsDoc());
});

it('docs/configuration.md lists every setting (run `npm run docs` after changing src/config/config.ts)', () => {
  assert.equal(read('configuration.md'), configurationDoc());
});
