import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { HandoffSession } from '../../handoff/handoff-session.ts';
import type { Submission } from '../hosted-flow.ts';
import { openPasskeyChallenge, startPasskey, startPasskeyEnrollment, verifyPasskey, verifyPasskeyEnrollment } from './passkey-flow.ts';
import { verifyIdentify } from './passkey-identify-flow.ts';
import { SIMPLEWEBAUTHN_BROWSER_PATH } from './passkey-pages.ts';
import { serveHostedAssets, serveHostedFile } from '../../http/routes/handoff-assets.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HandoffPageError } from '../../handoff/handoff-session.ts';
import { formStep, performScriptStep } from '../../http/routes/handoff-flow.ts';
import { hostedPage } from '../../http/routes/hosted-page-schema.ts';
import * as passkeySchemas from './passkey-schema.ts';
import type { PasskeyFields } from './passkey-schema.ts';

/**
 * SimpleWebAuthn's browser bundle in node_modules. Its package exports only its entry points, so
 * the UMD file is found next to the resolved CommonJS entry (`script/index.js`).
 */
function simpleWebAuthnBrowserBundle(): string {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@simplewebauthn/browser'));
  return fileURLToPath(new URL('../dist/bundle/index.umd.min.js', entry));
}

/** A form field as one string; a repeated or missing field is undefined (the schema types it, passkey-schema.ts). */
const field = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The hosted passkey pages: `POST /handoff/passkey` (the chooser's "Use a passkey") shows the
 * prompt page, whose script posts the assertion to `POST /handoff/passkey/verify`;
 * `POST /handoff/enroll/passkey` (needs the session's enrollment grant) shows the page that
 * creates a passkey, whose script posts it to `POST /handoff/enroll/passkey/verify`.
 */
export function passkeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  serveHostedFile(app, SIMPLEWEBAUTHN_BROWSER_PATH, simpleWebAuthnBrowserBundle(), {
    operationId: 'handoffSimpleWebAuthnBrowser',
    summary: 'SimpleWebAuthn\'s browser bundle for the passkey pages',
    description: '`@simplewebauthn/browser`\'s UMD bundle (it defines `SimpleWebAuthnBrowser`), served from this server so the passkey pages\' CSP can stay `script-src \'self\'`.',
  });
  // The pages' own script (assets/handoff-passkey.js), beside the other factors' files under /handoff/assets/.
  serveHostedAssets(app, new URL('./assets/', import.meta.url), {
    'handoff-passkey.js': {
      operationId: 'handoffPasskeyScript',
      summary: 'The passkey pages\' script',
      description: 'Calls `navigator.credentials.get()` or `navigator.credentials.create()` with the page\'s options (through SimpleWebAuthn\'s browser bundle) and posts the result, or the browser\'s error name, with the page\'s form.',
    },
    'handoff-passkey-card.js': {
      operationId: 'handoffPasskeyCardScript',
      summary: 'The chooser\'s one-click passkey card script',
      description: 'On "Use a passkey" in the chooser: asks `/handoff/passkey/options` for the WebAuthn options, calls `navigator.credentials.get()` at once and posts the assertion (or the browser\'s error name) to `/handoff/passkey/verify`; without script, or when it cannot, the card\'s form goes to the passkey page.',
    },
  });

  // The chooser's one-click card: the options of a new challenge as JSON; the chooser stays, its form token unchanged.
  app.withTypeProvider<ZodTypeProvider>().post('/handoff/passkey/options', hostedPage(passkeySchemas.passkeyOptionsSchema), async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    const body = (request.body ?? {}) as PasskeyFields;
    try {
      const done = await performScriptStep<{ options: Record<string, unknown> } | { fallback: true }>(ctx, request, body.session, async (session) => {
        const opened = await openPasskeyChallenge(ctx, session, field(body.factor));
        return opened.kind === 'opened' ? { session: opened.session, answer: { options: opened.options as unknown as Record<string, unknown> } } : { session, answer: { fallback: true as const } };
      });
      return reply.status(200).send(done?.answer ?? { fallback: true });
    } catch (error) {
      // Any refusal: the card's form goes to the passkey page, which shows it with its words.
      if (error instanceof HandoffPageError) return reply.status(200).send({ fallback: true });
      throw error;
    }
  });

  /** A step of the passkey pages: its script posts the form with the credential's JSON or the browser's error name. */
  const step = (path: string, schema: { body: z.ZodType<PasskeyFields | undefined> }, run: (session: HandoffSession, body: PasskeyFields) => Promise<Submission>): void =>
    formStep(app, ctx, path, schema, run, () => 'passkey');
  const answerOf = (body: PasskeyFields) => ({ response: field(body.response), error: field(body.error) });

  step('/handoff/passkey', passkeySchemas.passkeySchema, (session, body) => startPasskey(ctx, session, field(body.factor)));
  step('/handoff/passkey/verify', passkeySchemas.passkeyVerifySchema, (session, body) => verifyPasskey(ctx, session, field(body.factor), answerOf(body)));
  // Usernameless sign-in (`purpose: 'identify'`): the "Sign in with a passkey" page's script posts here.
  step('/handoff/passkey/identify', passkeySchemas.passkeyIdentifySchema, (session, body) => verifyIdentify(ctx, session, answerOf(body)));
  step('/handoff/enroll/passkey', passkeySchemas.enrollPasskeySchema, (session) => startPasskeyEnrollment(ctx, session));
  step('/handoff/enroll/passkey/verify', passkeySchemas.enrollPasskeyVerifySchema, (session, body) => verifyPasskeyEnrollment(ctx, session, answerOf(body)));
}
