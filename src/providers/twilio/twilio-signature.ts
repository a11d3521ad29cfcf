import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as a body parser gives them: a repeated name becomes an array. */
export type TwilioParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The X-Twilio-Signature of a webhook: base64 HMAC-SHA1, keyed by the auth token, of the full URL
 * Twilio requested (with its query) followed by every POST parameter sorted by name as
 * `name + value`, without separators (a repeated parameter contributes each distinct value, sorted).
 * Same algorithm as twilio-node's `getExpectedTwilioSignature` (src/webhooks/webhooks.ts).
 *
 * @example
 * twilioSignature(authToken, 'https://verity.example.com/voice/twilio/calls/CL…/answer', { CallSid: 'CA…', CallStatus: 'in-progress' });
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  // Default sort (UTF-16 code units), as twilio-node: Object.keys(params).sort().
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      data += name + value;
    } else {
      for (const v of [...new Set(value)].sort()) data += name + v;
    }
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * Whether `signature` (the X-Twilio-Signature header, possibly missing) was made with `authToken`
 * over `url` and `params`. The URL is tried as given and with its default port added or removed
 * (`:443` for https, `:80` for http), since Twilio may sign either form; a non-default port is
 * always part of the URL. (twilio-node's validator is more lenient: it also drops a non-default
 * port and retries with the URL re-encoded by `new URL()` and the legacy querystring module.
 * Verity builds its callback URLs itself, so it needs neither.) Comparisons take constant time.
 *
 * @example
 * if (!isValidTwilioSignature(authToken, request.headers['x-twilio-signature'], `${publicUrl}${request.url}`, request.body)) reply.code(403);
 */
export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: TwilioParams): boolean {
  if (typeof signature !== 'string' || signature === '' || authToken === '') return false;
  const given = Buffer.from(signature, 'utf8');
  let valid = false;
  // Check every candidate (no early exit), so the time taken does not say which form matched.
  for (const candidate of urlVariants(url)) {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    // The length of a base64 SHA-1 is fixed and public, so comparing it first leaks nothing.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}

/** The URL as given, plus the same URL with its scheme's default port added or removed. */
export function urlVariants(url: string): string[] {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https://' ? '443' : scheme.toLowerCase() === 'http://' ? '80' : undefined;
  if (defaultPort === undefined) return [url];
  const userInfoEnd = authority.lastIndexOf('@') + 1;
  const userInfo = authority.slice(0, userInfoEnd);
  const hostAndPort = authority.slice(userInfoEnd);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  const host = portStart < 0 ? hostAndPort : hostAndPort.slice(0, portStart);
  const port = portStart < 0 ? '' : hostAndPort.slice(portStart + 1);
  if (port === '') return [url, `${scheme}${userInfo}${host}:${defaultPort}${rest}`];
  if (port === defaultPort) return [url, `${scheme}${userInfo}${host}${rest}`];
  return [url];
}
