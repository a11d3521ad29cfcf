import { createHmac } from 'node:crypto';

/**
 * `X-Authy-Signature` of a OneTouch callback, as Authy documents it and its libraries check it
 * (authy-python `OneTouch.validate_one_touch_signature`, authy-client `SignatureAssert`):
 * 1. the callback URL without its query;
 * 2. the JSON body flattened to bracket form (`approval_request[transaction][status]=approved`;
 *    booleans `true`/`false`, null an empty value, empty objects and arrays nothing), every key and
 *    value percent-encoded (RFC 3986 unreserved characters kept, so `/` is `%2F` and a space `%20`,
 *    which then becomes `+`), the `k=v` pairs sorted as plain strings, array indices then written `[]`;
 * 3. `nonce|METHOD|url|params`, HMAC-SHA256 keyed by the application's API key, base64.
 */
export function signOneTouchCallback(input: { apiKey: string; nonce: string; method: string; url: string; body: unknown }): string {
  const url = new URL(input.url);
  const base = `${url.protocol}//${url.host}${url.pathname}`;
  const data = `${input.nonce}|${input.method.toUpperCase()}|${base}|${sortedParams(input.body)}`;
  return createHmac('sha256', input.apiKey).update(data, 'utf8').digest('base64');
}

/** RFC 3986 percent-encoding (as Python's `quote(…, safe='')` and the `qs` package do). */
const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function flatten(value: unknown, key: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${key}${encode(`[${index}]`)}`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, key === '' ? encode(k) : `${key}${encode(`[${k}]`)}`, out);
  } else {
    const text = value === null || value === undefined ? '' : typeof value === 'boolean' ? String(value) : String(value as string | number);
    out.push(`${key}=${encode(text)}`);
  }
}

/** Step 2: the sorted, encoded parameters of a body. */
function sortedParams(body: unknown): string {
  const pairs: string[] = [];
  flatten(body, '', pairs);
  return pairs
    .map((pair) => pair.replace(/%20/g, '+'))
    .sort()
    .join('&')
    .replace(/%5B[0-9]*%5D/g, '%5B%5D');
}
