import { createHash, timingSafeEqual } from 'node:crypto';
import { basicCredentials } from '../../net/basic-credentials.ts';

/**
 * Bandwidth signs nothing: its callbacks carry the callback credentials Verity gave it as HTTP
 * Basic. Returns a checker of `Authorization` headers that compares in constant time, and says
 * whether credentials were missing or wrong (for logs, which never show what was sent).
 *
 * @example
 * const check = bandwidthCallbackAuth('verity', callbackPassword);
 * check(request.headers.authorization); // 'ok' | 'missing' | 'wrong'
 */
export function bandwidthCallbackAuth(username: string, password: string): (header: string | undefined) => 'ok' | 'missing' | 'wrong' {
  const expected = credentialDigest(username, password);
  return (header) => {
    const given = basicCredentials(header);
    if (!given) return 'missing';
    return timingSafeEqual(credentialDigest(given.username, given.password), expected) ? 'ok' : 'wrong';
  };
}

/**
 * A fixed-length digest of the credentials, so timingSafeEqual can compare them whatever their
 * lengths. Each part is hashed separately first, so `a:b:c` cannot be split two ways.
 */
function credentialDigest(username: string, password: string): Buffer {
  const part = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return createHash('sha256').update(part(username)).update(part(password)).digest();
}
