import type { FastifyReply } from 'fastify';

export { readCookie } from '../http/cookies.ts';

/**
 * The console's two cookies. Both are HttpOnly (no script reads them; the pages have none anyway),
 * `SameSite=Strict` (a browser never sends them with a request another site started, not even a
 * top-level link), `Secure` outside development (and whenever the public URL is https), and scoped
 * to the console's paths so they never accompany an API, hosted-page or device request.
 *
 * Names: with `Secure`, the cookies carry the `__Host-` prefix: the browser refuses such a cookie
 * unless it was set over a secure connection, with `Secure`, `Path=/` and no `Domain`, so neither a
 * plain-http page, a network attacker nor a sibling subdomain can plant one (planting the planter's
 * own signed-in session would sign the operator in to the attacker's account: login CSRF). The price
 * is `Path=/`: the session cookie also accompanies API and hosted-page requests, which ignore it (it
 * is HttpOnly and SameSite=Strict). In development over http (no `Secure` possible) the cookies keep
 * plain names and the console's paths.
 */
export interface CookieSettings {
  env: 'development' | 'test' | 'production';
  publicUrl: string;
}

function secure(settings: CookieSettings): boolean {
  return settings.env !== 'development' || settings.publicUrl.startsWith('https:');
}

/**
 * True when a browser will drop the session cookie: it is `Secure`, but the request came over plain
 * http to a host other than localhost/loopback (browsers accept Secure cookies over http only there).
 * The sign-in page then says the console needs HTTPS instead of looping back to itself.
 */
export function cookieWillBeDropped(settings: CookieSettings, protocol: string, hostname: string): boolean {
  return secure(settings) && protocol === 'http' && !['localhost', '127.0.0.1', '[::1]', '::1'].includes(hostname);
}

function named(base: string, settings: CookieSettings): string {
  return secure(settings) ? `__Host-${base}` : base;
}

export const SESSION_COOKIE_PATH = '/admin';
export const SIGN_IN_PATH = '/admin/sign-in';

export const sessionCookieName = (settings: CookieSettings): string => named('verity-admin-session', settings);
export const signInCookieName = (settings: CookieSettings): string => named('verity-admin-sign-in', settings);

/**
 * Sets a cookie (no `Max-Age`: it ends with the browser session; the server enforces the timeouts), or
 * expires it when `value` is undefined. Values are base64url (no quoting needed).
 */
export function writeCookie(reply: FastifyReply, settings: CookieSettings, name: string, path: string, value: string | undefined): void {
  // `__Host-` cookies must have Path=/ (see the names above).
  const attributes = [`${name}=${value ?? ''}`, `Path=${secure(settings) ? '/' : path}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure(settings)) attributes.push('Secure');
  if (value === undefined) attributes.push('Max-Age=0');
  // Fastify appends to an existing Set-Cookie instead of replacing it.
  void reply.header('set-cookie', attributes.join('; '));
}
