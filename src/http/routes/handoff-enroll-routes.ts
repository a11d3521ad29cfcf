import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { HandoffSession } from '../../handoff/handoff-session.ts';
import { confirmRemoveMethod, enrollHub, finishEnrollment, removeMethod, renameMethod } from '../../hosted-factors/enrollment-hub.ts';
import type { Submission } from '../../hosted-factors/hosted-flow.ts';
import { formStep } from './handoff-flow.ts';
import { serveHostedAssets } from './handoff-assets.ts';
import * as enrollSchemas from './handoff-enroll-schema.ts';
import type { EnrollFields } from './handoff-enroll-schema.ts';

/**
 * The enrollment hub of a `purpose: enroll` hand-off (docs/handoff.md). Every form posts its token
 * (`session`) and is one step of the flow (handoff-flow.ts: acts once, then 303 to the session's
 * page); each refuses a session without the enrollment grant (403) or already finished (409).
 * Rename and remove name the factor by sid; it must be the session's user's (else 404), covered by
 * the session's step-up (else 403), and a removal must leave a method (else 409).
 * Adding a method is each factor's own routes (`/handoff/enroll/<method>`, hosted-factors/<factor>/<factor>-routes.ts).
 */
export function handoffEnrollRoutes(app: FastifyInstance, ctx: AppContext): void {
  /** A step of the hub: `run` gets this browser's session and the form's fields. */
  const step = (path: string, schema: { body: z.ZodType<EnrollFields | undefined> }, run: (session: HandoffSession, body: EnrollFields) => Promise<Submission>): void => formStep(app, ctx, path, schema, run);

  serveHostedAssets(app, new URL('../../hosted-factors/hub/assets/', import.meta.url), {
    'handoff-hub.js': {
      operationId: 'handoffHubScript',
      summary: 'The recovery codes page\'s script',
      description: 'Shows Copy (Clipboard API), Download (a .txt file built in the browser) and Print (the print stylesheet shows only the codes) on the recovery codes page; without it the codes are shown alone.',
    },
  });
  step('/handoff/enroll', enrollSchemas.enrollHubSchema, (session) => enrollHub(ctx, session));
  step('/handoff/enroll/rename', enrollSchemas.enrollRenameSchema, (session, body) => renameMethod(ctx, session, body.factor, body.friendly_name));
  // Remove asks first (a page with the confirm button); only /confirm deletes.
  step('/handoff/enroll/remove', enrollSchemas.enrollRemoveSchema, (session, body) => confirmRemoveMethod(ctx, session, body.factor));
  step('/handoff/enroll/remove/confirm', enrollSchemas.enrollRemoveConfirmSchema, (session, body) => removeMethod(ctx, session, body.factor));
  step('/handoff/enroll/done', enrollSchemas.enrollDoneSchema, (session) => finishEnrollment(ctx, session));
}
