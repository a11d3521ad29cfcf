import type { FastifyReply } from 'fastify';
import { pageHeaders } from '../http/security-headers.ts';

/**
 * The console's security headers (admin-routes.ts gives them to every console route and asset).
 * Same-origin stylesheet only: no script at all, no inline style, no framing; forms submit to us.
 * `Referrer-Policy: same-origin` (not `no-referrer`): with `no-referrer` Chromium sends
 * `Origin: null` on the console's own form posts, which the same-origin check must refuse;
 * `same-origin` sends the real Origin to the console and nothing to other sites.
 */
export const ADMIN_HEADERS = pageHeaders(
  {
    'default-src': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  },
  { referrerPolicy: { policy: 'same-origin' } },
);

/** No console response is cached: every one is about a signed-in operator's account. */
const noStore = (reply: FastifyReply): FastifyReply => reply.header('Cache-Control', 'no-store');

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return noStore(reply).status(status).header('Content-Type', 'text/html; charset=utf-8').send(body);
}

/** 303 See Other to a local path (Post/Redirect/Get; the path is always built or checked by us). */
export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return noStore(reply).status(303).header('Location', location).send();
}
