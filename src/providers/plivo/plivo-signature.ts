import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as a body parser gives them: a repeated name becomes an array. */
export type PlivoParams = Readonly<Record<string, string | readonly string[] | undefined>>;

const values = (value: string | readonly string[]): string[] => (typeof value === 'string' ? [value] : [...value].sort());

/**
 * The string Plivo signs for a POST callback (X-Plivo-Signature-V3), as its SDKs build it
 * (plivo-node `validateV3Signature`, plivo-python `validate_v3_signature`): the URL without its
 * query; then, when the URL has a query or the body has parameters, `?` and the URL's query
 * parameters sorted as `k=v` joined by `&`; a `.` when there are both; the body parameters sorted
 * by name as `name` + `value` with no separators (a repeated one once per value, values sorted);
 * finally `.` and the nonce.
 */
export function plivoV3SignedString(url: string, params: PlivoParams, nonce: string): string {
  const queryAt = url.indexOf('?');
  const base = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1))) query.set(name, [...(query.get(name) ?? []), value]);
  const queryString = [...query.keys()].sort().flatMap((name) => values(query.get(name) ?? []).map((value) => `${name}=${value}`)).join('&');
  const names = Object.keys(params).filter((name) => params[name] !== undefined).sort();
  const body = names.flatMap((name) => values(params[name] as string | readonly string[]).map((value) => name + value)).join('');
  let signed = base;
  if (queryString !== '' || names.length > 0) signed += `?${queryString}`;
  if (queryString !== '' && names.length > 0) signed += '.';
  return `${signed}${body}.${nonce}`;
}

/** base64 HMAC-SHA256 of the signed string, keyed with the Auth Token. */
export function plivoV3Signature(authToken: string, url: string, params: PlivoParams, nonce: string): string {
  return createHmac('sha256', authToken).update(plivoV3SignedString(url, params, nonce), 'utf8').digest('base64');
}

/**
 * Whether `header` (X-Plivo-Signature-V3: one or several comma-separated signatures, any of which
 * may match, e.g. while a token is rotated) signs `url`, `params` and `nonce` with `authToken`.
 * Every candidate is compared in constant time, with no early exit.
 *
 * @example
 * isValidPlivoV3Signature(authToken, headers['x-plivo-signature-v3'], headers['x-plivo-signature-v3-nonce'], `${publicUrl}${request.url}`, request.body);
 */
export function isValidPlivoV3Signature(authToken: string, header: string | undefined, nonce: string | undefined, url: string, params: PlivoParams): boolean {
  if (!header || !nonce || authToken === '') return false;
  const expected = Buffer.from(plivoV3Signature(authToken, url, params, nonce), 'utf8');
  let valid = false;
  for (const candidate of header.split(',')) {
    const given = Buffer.from(candidate.trim(), 'utf8');
    // A base64 SHA-256 has a fixed, public length: comparing it first leaks nothing.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
