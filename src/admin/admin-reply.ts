import type { FastifyReply } from 'fastify';

/** Same-origin stylesheet only: no script at all, no inline style, no framing; forms submit to us. */
export const ADMIN_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The console's response headers. `Referrer-Policy: same-origin` (not `no-referrer`): with
 * `no-referrer` Chromium sends `Origin: null` on the console's own form posts, which the same-origin
 * check must refuse; `same-origin` sends the real Origin to the console and nothing to other sites.
 */
export function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', ADMIN_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-store');
}

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return secure(reply).status(status).header('Content-Type', 'text/html; charset=utf-8').send(body);
}

/** 303 See Other to a local path (Post/Redirect/Get; the path is always built or checked by us). */
export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return secure(reply).status(303).header('Location', location).send();
}
