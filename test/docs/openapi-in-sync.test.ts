import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { DOCUMENT_PATH, SDK_TYPES_PATH, documentText, generateDocument, generateSdkTypes } from '../../scripts/openapi/generate-openapi.ts';

// The OpenAPI document is generated from the routes' zod schemas and committed with the SDK types
// generated from it: a route change without `npm run openapi` fails here.
it('docs/openapi.json and the SDK\'s generated types are what `npm run openapi` writes', async () => {
  const document = await generateDocument();
  assert.equal(readFileSync(DOCUMENT_PATH, 'utf8'), documentText(document), 'docs/openapi.json is out of date: run `npm run openapi`');
  assert.equal(readFileSync(SDK_TYPES_PATH, 'utf8'), await generateSdkTypes(document), 'packages/sdk/src/generated/api-types.ts is out of date: run `npm run openapi`');
});
