import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { openSession } from '../../handoff/handoff-session.ts';
import { startPasskey, startPasskeyEnrollment, verifyPasskey, verifyPasskeyEnrollment } from '../../handoff/hosted-passkey.ts';
import { verifyIdentify } from '../../handoff/hosted-passkey-identify.ts';
import { SIMPLEWEBAUTHN_BROWSER_PATH } from '../../hosted/passkey-pages.ts';
import { answer } from './handoff-routes.ts';

/**
 * SimpleWebAuthn's browser bundle, read once from node_modules. Its package exports only its entry
 * points, so the UMD file is found next to the resolved CommonJS entry (`script/index.js`).
 */
function simpleWebAuthnBrowserBundle(): Buffer {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@simplewebauthn/browser'));
  return readFileSync(new URL('../dist/bundle/index.umd.min.js', entry));
}

type PasskeyForm = { Body: { session?: unknown; factor?: unknown; response?: unknown; error?: unknown } | undefined };

/** A form field as one string; a repeated or missing field is undefined. */
const field = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The hosted passkey pages: `POST /handoff/passkey` (the chooser's "Use a passkey") answers the
 * prompt page, whose script posts the assertion to `POST /handoff/passkey/verify`;
 * `POST /handoff/enroll/passkey` (needs the session's enrollment grant) answers the page that
 * creates a passkey, whose script posts it to `POST /handoff/enroll/passkey/verify`.
 */
export function handoffPasskeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const bundle = simpleWebAuthnBrowserBundle();
  app.get(SIMPLEWEBAUTHN_BROWSER_PATH, async (_request, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300').header('X-Content-Type-Options', 'nosniff').send(bundle),
  );

  app.post<PasskeyForm>('/handoff/passkey', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => startPasskey(ctx, openSession(ctx, field(body.session)), field(body.factor)), 'passkey');
  });

  app.post<PasskeyForm>('/handoff/passkey/verify', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => verifyPasskey(ctx, openSession(ctx, field(body.session)), field(body.factor), { response: field(body.response), error: field(body.error) }), 'passkey');
  });

  // Usernameless sign-in (`purpose: 'identify'`): the "Sign in with a passkey" page's script posts here.
  app.post<PasskeyForm>('/handoff/passkey/identify', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => verifyIdentify(ctx, openSession(ctx, field(body.session)), { response: field(body.response), error: field(body.error) }), 'passkey');
  });

  app.post<PasskeyForm>('/handoff/enroll/passkey', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => startPasskeyEnrollment(ctx, openSession(ctx, field(body.session))), 'passkey');
  });

  app.post<PasskeyForm>('/handoff/enroll/passkey/verify', async (request, reply) => {
    const body = request.body ?? {};
    return answer(reply, ctx, async () => verifyPasskeyEnrollment(ctx, openSession(ctx, field(body.session)), { response: field(body.response), error: field(body.error) }), 'passkey');
  });
}
