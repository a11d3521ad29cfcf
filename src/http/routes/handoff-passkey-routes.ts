import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { HandoffSession } from '../../handoff/handoff-session.ts';
import type { Submission } from '../../hosted-factors/hosted-flow.ts';
import { startPasskey, startPasskeyEnrollment, verifyPasskey, verifyPasskeyEnrollment } from '../../hosted-factors/passkey/passkey-flow.ts';
import { verifyIdentify } from '../../hosted-factors/passkey/passkey-identify-flow.ts';
import { SIMPLEWEBAUTHN_BROWSER_PATH } from '../../hosted-factors/passkey/passkey-pages.ts';
import { serveStaticFile } from '../static-assets.ts';
import { performStep } from './handoff-flow.ts';
import { formText, formToken, hostedPage, pageForm } from './hosted-page-schema.ts';

/**
 * SimpleWebAuthn's browser bundle in node_modules. Its package exports only its entry points, so
 * the UMD file is found next to the resolved CommonJS entry (`script/index.js`).
 */
function simpleWebAuthnBrowserBundle(): string {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@simplewebauthn/browser'));
  return fileURLToPath(new URL('../dist/bundle/index.umd.min.js', entry));
}

/** What the passkey pages post (their scripts fill in `response` or `error`). */
const PasskeyForm = pageForm({
  session: formToken(),
  factor: formText('The sid of the passkey factor the chooser offered.'),
  response: formText('The JSON of the browser\'s AuthenticationResponse or RegistrationResponse (`credential.toJSON()`).'),
  error: formText('The name of the browser\'s error when the ceremony failed (`NotAllowedError`, …).'),
});
type PasskeyFields = NonNullable<z.output<typeof PasskeyForm>>;

/** A form field as one string; a repeated or missing field is undefined (the schema types it, hosted-page-schema.ts). */
const field = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The hosted passkey pages: `POST /handoff/passkey` (the chooser's "Use a passkey") shows the
 * prompt page, whose script posts the assertion to `POST /handoff/passkey/verify`;
 * `POST /handoff/enroll/passkey` (needs the session's enrollment grant) shows the page that
 * creates a passkey, whose script posts it to `POST /handoff/enroll/passkey/verify`.
 */
export function handoffPasskeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  serveStaticFile(app, SIMPLEWEBAUTHN_BROWSER_PATH, simpleWebAuthnBrowserBundle(), { cacheControl: 'public, max-age=300' });

  /** A step of the passkey pages: its script posts the form with the credential's JSON or the browser's error name. */
  const api = app.withTypeProvider<ZodTypeProvider>();
  const options = hostedPage({ body: PasskeyForm });
  const step = (path: string, run: (session: HandoffSession, body: PasskeyFields) => Promise<Submission>): void => {
    api.post(path, options, async (request, reply) => {
      const body = request.body ?? {};
      return performStep(ctx, request, reply, field(body.session), (session) => run(session, body), { failed: 'passkey' });
    });
  };
  const answerOf = (body: PasskeyFields) => ({ response: field(body.response), error: field(body.error) });

  step('/handoff/passkey', (session, body) => startPasskey(ctx, session, field(body.factor)));
  step('/handoff/passkey/verify', (session, body) => verifyPasskey(ctx, session, field(body.factor), answerOf(body)));
  // Usernameless sign-in (`purpose: 'identify'`): the "Sign in with a passkey" page's script posts here.
  step('/handoff/passkey/identify', (session, body) => verifyIdentify(ctx, session, answerOf(body)));
  step('/handoff/enroll/passkey', (session) => startPasskeyEnrollment(ctx, session));
  step('/handoff/enroll/passkey/verify', (session, body) => verifyPasskeyEnrollment(ctx, session, answerOf(body)));
}
