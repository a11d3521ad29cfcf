import basicAuth from 'basic-auth';

/** The user name and password of an HTTP Basic `Authorization` header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * The credentials of an `Authorization: Basic …` header (RFC 7617), or undefined when the header
 * is missing, of another scheme, not base64 or without the colon. The one Basic parser: the API's
 * `AccountSid:AuthToken` and the callbacks of providers that authenticate with Basic (Bandwidth).
 * The scheme is case-insensitive (RFC 7235 §2.1).
 *
 * @example
 * const given = basicCredentials(request.headers.authorization); // { username, password } | undefined
 */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const parsed = basicAuth.parse(header);
  return parsed && { username: parsed.name, password: parsed.pass };
}
