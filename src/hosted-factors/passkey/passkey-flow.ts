import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AppContext } from '../../context.ts';
import { DomainError, isDomainError, isRefusal, type DomainReason } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { AMR_BY_FACTOR_TYPE, createChallenge, DEFAULT_CHALLENGE_TTL_MS, respondToChallenge } from '../../factors/challenges.ts';
import { deleteUnverifiedFactor } from '../../factors/delete-factor.ts';
import { ensureEntity } from '../../factors/entities.ts';
import { createPasskeyFactor, verifyPasskeyFactor } from '../../factors/passkeys/passkey-factor.ts';
import { MAX_PASSKEY_PAYLOAD, parseAuthenticationResponse } from '../../factors/passkeys/passkey-protocol.ts';
import { renderPasskeyEnroll, renderPasskeySignIn } from './passkey-pages.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { translate, waitParams, type MessageKey } from '../../i18n/translator.ts';
import { sessionReturnPath } from '../../handoff/session-links.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { HandoffPageError, requireEnrollment, sessionCompleted, type HandoffSession } from '../../handoff/handoff-session.ts';
import { enrollHub } from '../enrollment-hub.ts';
import { chooserAgain } from '../chooser.ts';
import { finish } from '../finish.ts';
import { sessionService, usableSession, type Submission } from '../hosted-flow.ts';
import { hostedPasskeySettings } from './passkey-factor.ts';

type PasskeyMessageKey = MessageKey<'passkey'>;

/** Why the browser's WebAuthn call failed (the DOMException's name), as the key of its words for the user. */
const CLIENT_ERRORS: Record<string, PasskeyMessageKey> = {
  NotAllowedError: 'clientNotAllowed',
  AbortError: 'clientAbort',
  SecurityError: 'clientSecurity',
  InvalidStateError: 'clientInvalidState',
  NotSupportedError: 'clientNotSupported',
  ConstraintError: 'clientConstraint',
};

/** The user-facing message for a failure the page reported; unknown names get a general one. */
export function clientErrorMessage(name: string, locale?: PageLocale): string {
  return translate(locale, `passkey.${CLIENT_ERRORS[name] ?? 'clientUnknown'}`);
}

/** A message of the passkey pages in the session's language. */
const say = (session: HandoffSession, key: PasskeyMessageKey, params?: Record<string, string | number>): string => translate(session.locale, `passkey.${key}`, params);

/** " Try again in …" when the refusal says when, in the session's language. */
const retryIn = (session: HandoffSession, error: { retryAfterSeconds: number | undefined }): string => (error.retryAfterSeconds === undefined ? '' : say(session, 'retryIn', waitParams(error.retryAfterSeconds)));

/** What the page posts back: the credential's JSON, or the name of the error the browser raised. */
export interface PasskeyAnswer {
  response?: string | undefined;
  error?: string | undefined;
}

/** The page's report of a client-side failure, if it sent one instead of a response. */
function clientError(answer: PasskeyAnswer): string | undefined {
  if (answer.response !== undefined && answer.response !== '') return undefined;
  const name = answer.error ?? '';
  return /^[A-Za-z]{1,40}$/.test(name) ? name : 'UnknownError';
}

function allowsPasskeys(session: HandoffSession): void {
  if (!session.request.factors.includes('passkeys')) throw new HandoffPageError(400, say(session, 'notAccepted'), { locale: session.locale });
}

async function passkeyFactor(ctx: AppContext, session: HandoffSession, entity: EntityRow, factorSid: string | undefined): Promise<FactorRow> {
  const factor = factorSid && /^YF[0-9a-f]{32}$/.test(factorSid) ? await ctx.stores.factors.find(entity.sid, factorSid) : undefined;
  if (!factor || factor.factor_type !== 'passkeys' || factor.status !== 'verified') throw new HandoffPageError(400, say(session, 'notThisSignIn'), { locale: session.locale });
  return factor;
}

/**
 * "Use a passkey": a Verify challenge for the chosen passkey factor (its WebAuthn options allow
 * that credential only, with the service's user verification), remembered in the session, and
 * the page whose script asks the browser for the assertion. The challenge lives until the session
 * ends or five minutes pass, whichever is first, and is answered once; every refused assertion
 * counts toward the entity's lock-out (NIST SP 800-63B-4 §3.2.2), across the page's new challenges.
 */
export async function startPasskey(ctx: AppContext, session: HandoffSession, factorSid: string | undefined, message?: string): Promise<Submission> {
  const opened = await openPasskeyChallenge(ctx, session, factorSid);
  if (opened.kind === 'elsewhere') return chooserAgain(ctx, session, say(session, 'wrongSite', { app: session.appName }));
  const { factor, options, session: next } = opened;
  return {
    kind: 'page',
    session: next,
    script: true,
    render: (sealed) => renderPasskeySignIn({ appName: session.appName, session: sealed, factorSid: factor.sid, name: factor.friendly_name, options, leave: sessionReturnPath(session.id), message, locale: session.locale }),
  };
}

/** A passkey challenge opened for one factor: its WebAuthn options and the session that remembers it. */
export type OpenedPasskey =
  | { kind: 'opened'; session: HandoffSession; factor: FactorRow; options: PublicKeyCredentialRequestOptionsJSON }
  /** The service's relying party does not fit these pages. */
  | { kind: 'elsewhere' };

/**
 * The challenge behind "Use a passkey", for the passkey page and for the chooser's one-click card
 * alike (its script asks for these options, passkey-routes.ts): the same checks, the same
 * challenge (that credential only, the service's user verification, five minutes at most).
 */
export async function openPasskeyChallenge(ctx: AppContext, session: HandoffSession, factorSid: string | undefined): Promise<OpenedPasskey> {
  const entity = await usableSession(ctx, session);
  allowsPasskeys(session);
  const factor = await passkeyFactor(ctx, session, entity, factorSid);
  const service = await sessionService(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return { kind: 'elsewhere' };
  const expiresAt = Math.min(session.expiresAt, ctx.clock.now() + DEFAULT_CHALLENGE_TTL_MS);
  const challenge = await createChallenge(ctx, service, entity, { factorSid: factor.sid, expirationDate: new Date(expiresAt).toISOString(), message: `Sign in to ${session.appName}`.slice(0, 256) });
  if (!challenge.passkeyOptions) throw new Error('a passkey challenge without WebAuthn options');
  return { kind: 'opened', factor, options: challenge.passkeyOptions, session: { ...session, challenges: { ...session.challenges, [factor.sid]: challenge.sid } } };
}

/**
 * The page's answer: a client-side failure, or the AuthenticationResponseJSON, judged by the
 * passkey backend against the challenge the session holds (the challenge it signed, origin, RP ID,
 * user verification as the service requires, and a signature counter that must move forward).
 * Approved → the result with the backend's amr. Any refusal → the page again with its own message
 * and fresh options; too many failures → the chooser.
 */
export async function verifyPasskey(ctx: AppContext, session: HandoffSession, factorSid: string | undefined, answer: PasskeyAnswer): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  allowsPasskeys(session);
  const factor = await passkeyFactor(ctx, session, entity, factorSid);
  const challengeSid = session.challenges[factor.sid];
  if (!challengeSid) throw new HandoffPageError(400, say(session, 'noRequest'), { locale: session.locale });
  const again = (message: string): Promise<Submission> => startPasskey(ctx, session, factor.sid, message);

  const failure = clientError(answer);
  if (failure !== undefined) {
    ctx.logger.info({ factorSid: factor.sid, error: failure }, 'hosted passkey sign-in: the browser reported a failure');
    return again(clientErrorMessage(failure, session.locale));
  }
  const payload = answer.response as string;
  let credentialId: string;
  try {
    if (payload.length > MAX_PASSKEY_PAYLOAD) throw new Error('too long');
    credentialId = parseAuthenticationResponse(payload).id;
  } catch {
    return again(say(session, 'notAResponse'));
  }
  const stored = await ctx.stores.passkeyCredentials.findByFactor(factor.sid);
  try {
    const row = await respondToChallenge(ctx, entity, challengeSid, { authPayload: payload });
    if (row.status === 'approved') return await finish(ctx, session, AMR_BY_FACTOR_TYPE['passkeys'] ?? ['swk']);
    return again(say(session, 'notAccepted2'));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const cleared: HandoffSession = { ...session, challenges: Object.fromEntries(Object.entries(session.challenges).filter(([sid]) => sid !== factor.sid)) };
    if (isDomainError(error, 'challenge_verification_failed') && stored?.credential_id !== credentialId) {
      return again(say(session, 'notRegistered', { app: session.appName, name: factor.friendly_name }));
    }
    if (isDomainError(error, 'challenge_verification_failed')) return again(say(session, 'didNotVerify'));
    if (isDomainError(error, 'passkey_counter_not_increased')) return again(say(session, 'counterBackwards'));
    if (isDomainError(error, 'wrong_state')) return again(say(session, 'expired'));
    if (isDomainError(error, 'challenge_attempts_exhausted', 'entity_locked')) return chooserAgain(ctx, cleared, say(session, 'tooMany', { retry: retryIn(session, error) }));
    if (error instanceof VerityError && error.status === 404) return again(say(session, 'gone'));
    throw error;
  }
}

/** The enrollment page's entity: the session's, or created for a user enrolling a first factor. */
async function enrollingEntity(ctx: AppContext, session: HandoffSession, service: ServiceRow): Promise<EntityRow> {
  if (session.entitySid !== undefined) {
    const entity = await ctx.stores.entities.find(session.request.serviceSid, session.request.subject);
    if (!entity || entity.sid !== session.entitySid) throw new HandoffPageError(403, say(session, 'accountChanged'), { locale: session.locale });
    return entity;
  }
  try {
    return await ensureEntity(ctx, service, session.request.subject);
  } catch (error) {
    // A malformed account name (the subject): invalidParameter('Identity', …).
    if (error instanceof VerityError && error.status === 400) throw new HandoffPageError(400, say(session, 'badAccountName'), { locale: session.locale });
    throw error;
  }
}

async function enrollmentContext(ctx: AppContext, session: HandoffSession): Promise<{ service: ServiceRow; entity: EntityRow }> {
  requireEnrollment(session);
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, say(session, 'alreadyCompleted'), { locale: session.locale });
  allowsPasskeys(session);
  const service = await sessionService(ctx, session);
  return { service, entity: await enrollingEntity(ctx, session, service) };
}

/** The hub with the reason, when the service's relying party does not fit these pages. */
const notHere = (ctx: AppContext, session: HandoffSession): Promise<Submission> =>
  enrollHub(ctx, { ...session, passkeyEnrollment: undefined }, say(session, 'notHere', { app: session.appName }), 'alert');

/**
 * "Add a passkey" (needs the session's enrollment grant): an unverified passkey factor with the
 * backend's registration options (attestation `none`, discoverable credential as the service
 * prefers, its user verification, the user's passkeys excluded), whose factor the session holds,
 * and the page whose script asks the browser to create the credential. An earlier attempt of this
 * session that was never verified is removed first.
 */
export async function startPasskeyEnrollment(ctx: AppContext, session: HandoffSession, message?: string): Promise<Submission> {
  const { service, entity } = await enrollmentContext(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return notHere(ctx, session);
  const factors = ctx.stores.factors;
  const earlier = session.passkeyEnrollment ? await factors.find(entity.sid, session.passkeyEnrollment.factorSid) : undefined;
  if (earlier?.factor_type === 'passkeys') await deleteUnverifiedFactor(ctx, earlier.sid);
  const friendlyName = say(session, 'friendlyName', { app: session.appName }).slice(0, 64);
  // The passkey manager shows the request's display name (or the passkey's name), never `sub`.
  const { row, binding } = await createPasskeyFactor(ctx, service, entity, { friendlyName, accountName: session.request.displayName ?? friendlyName });
  const next: HandoffSession = { ...session, entitySid: entity.sid, passkeyEnrollment: { factorSid: row.sid } };
  return {
    kind: 'page',
    session: next,
    script: true,
    render: (sealed) => renderPasskeyEnroll({ appName: session.appName, session: sealed, options: binding.registration_options, leave: sessionReturnPath(session.id), message, locale: session.locale }),
  };
}

const REGISTRATION_ERRORS: Partial<Record<DomainReason, PasskeyMessageKey>> = {
  factor_verification_failed: 'regDidNotVerify',
  factor_attempts_exhausted: 'regTooMany',
  passkey_registration_expired: 'regTooLong',
};

/** A registration the factor cannot take as sent (a malformed response, passkeys not set up here): a 400 on the API. */
const isBadRegistration = (error: DomainError | VerityError): boolean =>
  error instanceof VerityError ? error.status === 400 : isDomainError(error, 'invalid_parameter', 'not_applicable', 'wrong_state');

/**
 * The enrollment page's answer: the RegistrationResponseJSON, verified by the passkey backend
 * (challenge, origin, RP ID, user verification as required; one credential once per service).
 * Verified → the factor is the user's, and the enrollment hub says so.
 */
export async function verifyPasskeyEnrollment(ctx: AppContext, session: HandoffSession, answer: PasskeyAnswer): Promise<Submission> {
  const { service, entity } = await enrollmentContext(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return notHere(ctx, session);
  const factorSid = session.passkeyEnrollment?.factorSid;
  const factor = factorSid ? await ctx.stores.factors.find(entity.sid, factorSid) : undefined;
  if (!factor || factor.factor_type !== 'passkeys') throw new HandoffPageError(400, say(session, 'noEnrollment'), { locale: session.locale });
  const added = (): Promise<Submission> => enrollHub(ctx, { ...session, passkeyEnrollment: undefined }, say(session, 'added', { app: session.appName }));
  // A second post of the same page after success: nothing more to do.
  if (factor.status === 'verified') return added();
  const failure = clientError(answer);
  if (failure !== undefined) {
    ctx.logger.info({ factorSid: factor.sid, error: failure }, 'hosted passkey enrollment: the browser reported a failure');
    return startPasskeyEnrollment(ctx, session, clientErrorMessage(failure, session.locale));
  }
  if ((answer.response as string).length > MAX_PASSKEY_PAYLOAD) return startPasskeyEnrollment(ctx, session, say(session, 'notANewPasskey'));
  try {
    const row = await verifyPasskeyFactor(ctx, service, factor, answer.response);
    if (row.status !== 'verified') return startPasskeyEnrollment(ctx, session, say(session, 'notAdded'));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const key = (error instanceof DomainError ? REGISTRATION_ERRORS[error.reason] : undefined) ?? (isBadRegistration(error) ? 'notANewPasskey' : undefined);
    if (key === undefined) throw error;
    return startPasskeyEnrollment(ctx, session, say(session, key));
  }
  return added();
}
