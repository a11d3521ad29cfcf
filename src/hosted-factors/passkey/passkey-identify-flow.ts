import type { AppContext } from '../../context.ts';
import { DomainError, isRefusal, type DomainReason } from '../../errors/domain-error.ts';
import type { VerityError } from '../../errors/verity-error.ts';
import { completeSignIn, createSignInOptions } from '../../factors/passkeys/passkey-sign-in.ts';
import { MAX_PASSKEY_PAYLOAD } from '../../factors/passkeys/passkey-protocol.ts';
import { renderPasskeyIdentify } from './passkey-pages.ts';
import { sessionReturnPath } from '../../handoff/session-links.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { translate, type MessageKey } from '../../i18n/translator.ts';
import type { HandoffRequest } from '../../handoff/handoff-claims.ts';
import { completeSession, HandoffPageError, sessionCompleted, type HandoffSession } from '../../handoff/handoff-session.ts';
import { hostedPasskeySettings } from './passkey-factor.ts';
import { clientErrorMessage, type PasskeyAnswer } from './passkey-flow.ts';
import { startHostedHandoff } from '../chooser.ts';
import { resultLocation, sessionService, type Submission } from '../hosted-flow.ts';
import { issueHandoffResult } from '../../handoff/issue-handoff-result.ts';

/**
 * Usernameless sign-in through the hand-off (`purpose: 'identify'`): the request names no user, the
 * page asks the browser for any discoverable passkey of the service's RP ID, and the passkey backend
 * (passkey-sign-in.ts) says whose it is. User verification is required whatever the service's
 * settings: the passkey is then the only factor, and multi-factor only with the device's biometric
 * or PIN (NIST SP 800-63B-4 §3.1.7, multi-factor cryptographic authenticator).
 */
const UV = { requireUserVerification: true } as const;

type PasskeyMessageKey = MessageKey<'passkey'>;

const say = (session: HandoffSession, key: PasskeyMessageKey): string => translate(session.locale, `passkey.${key}`, { app: session.appName });

function identifying(session: HandoffSession): void {
  if (session.request.purpose !== 'identify') throw new HandoffPageError(400, say(session, 'notAccepted'), { locale: session.locale });
}

/** The page with fresh options (each set is used once), and a message when the last try failed. */
async function identifyPage(ctx: AppContext, session: HandoffSession, message?: string, status?: number): Promise<Submission> {
  identifying(session);
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
  const service = await sessionService(ctx, session);
  const common = { appName: session.appName, session: '', leave: sessionReturnPath(session.id), locale: session.locale };
  if (!hostedPasskeySettings(ctx, service)) {
    return { kind: 'page', session, status: 200, render: (sealed) => renderPasskeyIdentify({ ...common, session: sealed, options: undefined, message: say(session, 'identifyNotHere') }) };
  }
  const { authentication_options: options } = await createSignInOptions(ctx, service, UV);
  return { kind: 'page', session, script: true, ...(status !== undefined ? { status } : {}), render: (sealed) => renderPasskeyIdentify({ ...common, session: sealed, options, message }) };
}

/** `GET /handoff?request=…` with `purpose: 'identify'`: the session (no entity yet) and the "Sign in with a passkey" page. */
export async function startIdentify(ctx: AppContext, request: HandoffRequest, locale: PageLocale = 'en'): Promise<Submission> {
  const { session } = await startHostedHandoff(ctx, request, locale);
  return identifyPage(ctx, { ...session, entitySid: undefined });
}

/** Backend refusals, by reason, as the words for the user. */
const REFUSALS: Partial<Record<DomainReason, PasskeyMessageKey>> = {
  passkey_counter_not_increased: 'counterBackwards',
  passkey_sign_in_failed: 'didNotVerify',
  passkey_options_unknown: 'expired',
  passkey_not_recognised: 'identifyUnknown',
  passkey_user_verification_required: 'identifyNoUv',
};

/**
 * The page's answer: a client-side failure (no passkey here, cancelled…), or the
 * AuthenticationResponseJSON, judged by completeSignIn with user verification required (options
 * used once, credential known and verified, user handle, signature, origin, RP ID, UV flag,
 * counter). Identified → the session is spent and the result names the passkey's identity, with
 * the backend's amr. Any refusal → the page again with its reason and fresh options.
 */
export async function verifyIdentify(ctx: AppContext, session: HandoffSession, answer: PasskeyAnswer): Promise<Submission> {
  identifying(session);
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
  const service = await sessionService(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return identifyPage(ctx, session);
  const payload = answer.response ?? '';
  if (payload === '') {
    const name = /^[A-Za-z]{1,40}$/.test(answer.error ?? '') ? (answer.error as string) : 'UnknownError';
    ctx.logger.info({ error: name }, 'hosted passkey identify: the browser reported a failure');
    return identifyPage(ctx, session, clientErrorMessage(name, session.locale));
  }
  if (payload.length > MAX_PASSKEY_PAYLOAD) return identifyPage(ctx, session, say(session, 'notAResponse'), 400);
  let identity: string;
  let amr: string[];
  try {
    ({ identity, amr } = await completeSignIn(ctx, service, payload, UV));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return identifyPage(ctx, session, say(session, identifyRefusal(error)), 400);
  }
  if (!(await completeSession(ctx, session))) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
  const result = await issueHandoffResult(ctx, session.request, { amr: amr.length > 0 ? amr : ['swk'], authTime: ctx.clock.now(), subject: identity });
  return { kind: 'result', location: resultLocation(session.request, result) };
}

/** Which words a backend refusal deserves, by its reason (passkey-sign-in.ts). */
function identifyRefusal(error: DomainError | VerityError): PasskeyMessageKey {
  return (error instanceof DomainError ? REFUSALS[error.reason] : undefined) ?? 'notAResponse';
}
