import { z } from 'zod';
import { operation } from '../schema/operation.ts';

/** The API's own description: the OpenAPI document and the error-codes page (unauthenticated). */

export const openApiDocumentSchema = operation({
  operationId: 'openApiDocument',
  tag: 'Operations',
  summary: 'This OpenAPI document',
  description: 'The OpenAPI 3.1 document of the API; rendered at /docs. Unauthenticated.',
  caller: 'none',
  ok: { 200: { description: 'The document.', schema: z.record(z.string(), z.unknown()) } },
  errors: [],
});

export const errorCodesPageSchema = operation({
  operationId: 'errorCodesPage',
  tag: 'Operations',
  summary: 'The error codes (HTML)',
  description:
    'Every error code with its HTTP status, title and when it is answered; each row is anchored by its code (`/docs/errors#64205`). The `more_info` of a code Verity added links here. Unauthenticated.',
  caller: 'none',
  ok: { 200: { description: 'An HTML page.', contentType: 'text/html', schema: z.string() } },
  errors: [],
});
