import { ERROR_CODES, moreInfoUrl, type ErrorCode } from '../../errors/error-codes.ts';

/**
 * The error responses of the OpenAPI document: every operation lists, per HTTP status, the error
 * codes it can answer, when, and an example body. Routes name their cases in their schema
 * (`errors`); the document generator turns them into responses (openapi-plugin.ts).
 */

type Json = Record<string, unknown>;

const JSON_TYPE = 'application/json';
const schemaRef = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

export interface ErrorCase {
  code: ErrorCode;
  /** When this operation returns the code. */
  when: string;
  /** HTTP status when it differs from the code's usual one (20001 as 413 or 415). */
  status?: number;
  /** The response carries Retry-After. */
  retryAfter?: boolean;
  /** Example `message`; defaults to the code's title. */
  message?: string;
  /** Example `details` (Verity extension of the error body). */
  details?: Json;
}

const statusText: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

export function errorResponses(cases: ErrorCase[]): Record<string, Json> {
  const byStatus = new Map<number, ErrorCase[]>();
  for (const c of cases) {
    const status = c.status ?? ERROR_CODES[c.code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), c]);
  }
  const out: Record<string, Json> = {};
  for (const [status, group] of [...byStatus.entries()].sort(([a], [b]) => a - b)) {
    const lines = group.map((c) => `- \`${c.code}\` ${ERROR_CODES[c.code].title}: ${c.when}${c.retryAfter ? ' (with `Retry-After`)' : ''}`);
    const headers: Json = {};
    if (group.some((c) => c.retryAfter)) headers['Retry-After'] = { $ref: '#/components/headers/RetryAfter' };
    if (status === 401) headers['WWW-Authenticate'] = { $ref: '#/components/headers/WwwAuthenticate' };
    const examples: Json = {};
    for (const c of group) {
      const key = examples[String(c.code)] ? `${c.code}-${Object.keys(examples).length}` : String(c.code);
      examples[key] = {
        summary: `${c.code} ${ERROR_CODES[c.code].title}`,
        value: { code: c.code, message: c.message ?? ERROR_CODES[c.code].title, more_info: moreInfoUrl(c.code), status, ...(c.details ? { details: c.details } : {}) },
      };
    }
    out[String(status)] = {
      description: `${statusText[status] ?? 'Error'}. Error codes:\n\n${lines.join('\n')}`,
      ...(Object.keys(headers).length ? { headers } : {}),
      content: { [JSON_TYPE]: { schema: schemaRef('Error'), examples } },
    };
  }
  return out;
}

/** Errors every authenticated API operation can return. */
export const API_ERRORS: ErrorCase[] = [
  { code: 20003, when: 'missing or wrong HTTP Basic credentials (`AccountSid:AuthToken`).', message: 'Authenticate' },
  { code: 20403, when: 'the request carries a web browser\'s cross-site signals (`Sec-Fetch-Site` other than `none`/`same-origin`, or an `Origin` other than Verity\'s public origin): the API is for servers; refused before authentication.', message: 'Forbidden: the API does not accept requests from web pages of other sites (Origin / Sec-Fetch-Site). Call it from your server.' },
  { code: 20429, when: 'the account or the client IP exceeded its request rate (token buckets shared by every Verity process).', retryAfter: true, message: 'Too many requests' },
  { code: 20500, when: 'an unexpected error; details are only in the server log.' },
  { code: 20503, when: 'the server is shutting down or its database is unreachable; retry on another node.' },
];

/** Errors of operations that read a request body. */
export const BODY_ERRORS: ErrorCase[] = [
  { code: 20001, when: 'the body is malformed.', message: 'Malformed request body' },
  { code: 20001, status: 413, when: 'the body is larger than `VERITY_BODY_LIMIT_BYTES` (64 KiB by default).', message: 'Request body too large' },
  {
    code: 20001,
    status: 415,
    when: 'the Content-Type is neither `application/x-www-form-urlencoded` nor `application/json`.',
    message: 'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json',
  },
];

export const SERVICE_NOT_FOUND: ErrorCase = {
  code: 20404,
  when: 'no service with this `ServiceSid` belongs to the authenticated account (a malformed SID is reported the same way).',
  message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef was not found',
};

export const PAGE_ERRORS: ErrorCase[] = [{ code: 60200, when: '`PageSize`, `Page` or `PageToken` is out of range or malformed.', message: 'Invalid parameter: PageSize (expected an integer from 1 to 1000)' }];

