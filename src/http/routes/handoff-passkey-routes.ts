import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { HandoffSession } from '../../handoff/handoff-session.ts';
import type { Submission } from '../../handoff/hosted-handoff.ts';
import { startPasskey, startPasskeyEnrollment, verifyPasskey, verifyPasskeyEnrollment } from '../../handoff/hosted-passkey.ts';
import { verifyIdentify } from '../../handoff/hosted-passkey-identify.ts';
import { SIMPLEWEBAUTHN_BROWSER_PATH } from '../../hosted/passkey-pages.ts';
import { performStep } from './handoff-flow.ts';

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
 * The hosted passkey pages: `POST /handoff/passkey` (the chooser's "Use a passkey") shows the
 * prompt page, whose script posts the assertion to `POST /handoff/passkey/verify`;
 * `POST /handoff/enroll/passkey` (needs the session's enrollment grant) shows the page that
 * creates a passkey, whose script posts it to `POST /handoff/enroll/passkey/verify`.
 */
export function handoffPasskeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const bundle = simpleWebAuthnBrowserBundle();
  app.get(SIMPLEWEBAUTHN_BROWSER_PATH, async (_request, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300').header('X-Content-Type-Options', 'nosniff').send(bundle),
  );

  /** A step of the passkey pages: its script posts the form with the credential's JSON or the browser's error name. */
  const step = (path: string, run: (session: HandoffSession, body: NonNullable<PasskeyForm['Body']>) => Promise<Submission>): void => {
    app.post<PasskeyForm>(path, async (request, reply) => {
      const body = request.body ?? {};
      return performStep(ctx, request, reply, field(body.session), (session) => run(session, body), { failed: 'passkey' });
    });
  };
  const answerOf = (body: NonNullable<PasskeyForm['Body']>) => ({ response: field(body.response), error: field(body.error) });

  step('/handoff/passkey', (session, body) => startPasskey(ctx, session, field(body.factor)));
  step('/handoff/passkey/verify', (session, body) => verifyPasskey(ctx, session, field(body.factor), answerOf(body)));
  // Usernameless sign-in (`purpose: 'identify'`): the "Sign in with a passkey" page's script posts here.
  step('/handoff/passkey/identify', (session, body) => verifyIdentify(ctx, session, answerOf(body)));
  step('/handoff/enroll/passkey', (session) => startPasskeyEnrollment(ctx, session));
  step('/handoff/enroll/passkey/verify', (session, body) => verifyPasskeyEnrollment(ctx, session, answerOf(body)));
}
