import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { AMR_BY_FACTOR_TYPE, createChallenge, DEFAULT_CHALLENGE_TTL_MS, respondToChallenge } from '../factors/challenges.ts';
import { ensureEntity } from '../factors/entities.ts';
import { createPasskeyFactor, verifyPasskeyFactor } from '../factors/passkeys/passkey-factor.ts';
import { MAX_PASSKEY_PAYLOAD, parseAuthenticationResponse } from '../factors/passkeys/passkey-protocol.ts';
import { passkeySettings, type PasskeySettings } from '../factors/passkeys/passkey-settings.ts';
import { renderPasskeyEnroll, renderPasskeySignIn } from '../hosted/passkey-pages.ts';
import { EntitiesStore } from '../store/entities-store.ts';
import { FactorsStore } from '../store/factors-store.ts';
import { PasskeyCredentialsStore } from '../store/passkey-credentials-store.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../store/schema.ts';
import { HandoffPageError, requireEnrollment, sessionCompleted, type HandoffSession } from './handoff-session.ts';
import { enrollHub } from './hosted-enrollment.ts';
import { chooserAgain, finish, retryAfter, sessionService, usableSession, type FactorOption, type Submission } from './hosted-handoff.ts';

/**
 * The hosted pages run WebAuthn on Verity's own origin (VERITY_PUBLIC_URL), so a service's passkeys
 * work there only if that origin is one of its `Passkeys.RelyingParty.Origins` and its host is the
 * RP ID or a subdomain of it (WebAuthn §5.1.2: the RP ID must be a registrable suffix of the page's
 * host, or the browser refuses with SecurityError). Undefined when they cannot run here.
 */
export function hostedPasskeySettings(ctx: AppContext, service: ServiceRow): PasskeySettings | undefined {
  let settings: PasskeySettings;
  try {
    settings = passkeySettings(service);
  } catch (error) {
    if (error instanceof VerityError) return undefined;
    throw error;
  }
  const page = new URL(ctx.config.publicUrl);
  const hostMatches = page.hostname === settings.rpId || page.hostname.endsWith(`.${settings.rpId}`);
  return hostMatches && settings.origins.includes(page.origin) ? settings : undefined;
}

/**
 * The chooser's passkey card: the user's verified passkeys, when the request allows `passkeys` and
 * the service's relying party fits these pages; otherwise they are listed as not available here.
 */
export async function passkeyOptions(ctx: AppContext, session: HandoffSession, factors: FactorRow[]): Promise<FactorOption[]> {
  const passkeys = factors.filter((f) => f.factor_type === 'passkeys' && f.status === 'verified');
  if (passkeys.length === 0 || !session.request.factors.includes('passkeys')) return [];
  const service = await sessionService(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return passkeys.map((f) => ({ kind: 'unavailable', type: 'passkeys', name: f.friendly_name }));
  return [{ kind: 'passkey', passkeys: passkeys.map((f) => ({ factorSid: f.sid, name: f.friendly_name })) }];
}

/** Why the browser's WebAuthn call failed (the DOMException's name), in words for the user. */
const CLIENT_ERRORS: Record<string, string> = {
  NotAllowedError:
    'The passkey prompt was closed or timed out, or this device has no passkey for your account here. Try again, or try another way.',
  AbortError: 'The passkey prompt was interrupted before it finished. Try again.',
  SecurityError: 'Your browser refused to use a passkey on this address. Try another way.',
  InvalidStateError: 'This device already holds a passkey for your account here, so you can already sign in with it. Add a passkey on another device instead.',
  NotSupportedError: 'This device cannot make the kind of passkey this application asks for. Try another device, or try another way.',
  ConstraintError: 'This device cannot check that it is you (fingerprint, face, PIN or screen lock), which this application requires. Try another device, or try another way.',
};

/** The user-facing message for a failure the page reported; unknown names get a general one. */
export function clientErrorMessage(name: string): string {
  return CLIENT_ERRORS[name] ?? 'Your browser could not use a passkey. Try again, or try another way.';
}

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
  if (!session.request.factors.includes('passkeys')) throw new HandoffPageError(400, 'The application does not accept passkeys for this sign-in.');
}

async function passkeyFactor(ctx: AppContext, entity: EntityRow, factorSid: string | undefined): Promise<FactorRow> {
  const factor = factorSid && /^YF[0-9a-f]{32}$/.test(factorSid) ? await new FactorsStore(ctx.db.kysely).find(entity.sid, factorSid) : undefined;
  if (!factor || factor.factor_type !== 'passkeys' || factor.status !== 'verified') throw new HandoffPageError(400, 'This passkey is not part of this sign-in. Start again from the application.');
  return factor;
}

const WRONG_SITE = (appName: string): string => `Passkeys for ${appName} cannot be used on this page (they belong to another address). Use another method.`;

/**
 * "Use a passkey": a Verify challenge for the chosen passkey factor (its WebAuthn options allow
 * that credential only, with the service's user verification), remembered in the session, and
 * the page whose script asks the browser for the assertion. The challenge lives until the session
 * ends or five minutes pass, whichever is first, and is answered once; every refused assertion
 * counts toward the entity's lock-out (NIST SP 800-63B-4 §3.2.2), across the page's new challenges.
 */
export async function startPasskey(ctx: AppContext, session: HandoffSession, factorSid: string | undefined, message?: string): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  allowsPasskeys(session);
  const factor = await passkeyFactor(ctx, entity, factorSid);
  const service = await sessionService(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return chooserAgain(ctx, session, WRONG_SITE(session.appName));
  const expiresAt = Math.min(session.expiresAt, ctx.clock.now() + DEFAULT_CHALLENGE_TTL_MS);
  const challenge = await createChallenge(ctx, service, entity, { factorSid: factor.sid, expirationDate: new Date(expiresAt).toISOString(), message: `Sign in to ${session.appName}`.slice(0, 256) });
  if (!challenge.passkeyOptions) throw new Error('a passkey challenge without WebAuthn options');
  const options = challenge.passkeyOptions;
  const next: HandoffSession = { ...session, challenges: { ...session.challenges, [factor.sid]: challenge.sid } };
  return {
    kind: 'page',
    session: next,
    script: true,
    render: (sealed) => renderPasskeySignIn({ appName: session.appName, session: sealed, factorSid: factor.sid, name: factor.friendly_name, options, returnTo: session.request.returnTo, message }),
  };
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
  const factor = await passkeyFactor(ctx, entity, factorSid);
  const challengeSid = session.challenges[factor.sid];
  if (!challengeSid) throw new HandoffPageError(400, 'No passkey request was started on this page. Start again from the application.');
  const again = (message: string): Promise<Submission> => startPasskey(ctx, session, factor.sid, message);

  const failure = clientError(answer);
  if (failure !== undefined) {
    ctx.logger.info({ factorSid: factor.sid, error: failure }, 'hosted passkey sign-in: the browser reported a failure');
    return again(clientErrorMessage(failure));
  }
  const payload = answer.response as string;
  let credentialId: string;
  try {
    if (payload.length > MAX_PASSKEY_PAYLOAD) throw new Error('too long');
    credentialId = parseAuthenticationResponse(payload).id;
  } catch {
    return again('Your browser sent an answer that is not a passkey response. Try again.');
  }
  const stored = await new PasskeyCredentialsStore(ctx.db.kysely).findByFactor(factor.sid);
  try {
    const row = await respondToChallenge(ctx, entity, challengeSid, { authPayload: payload });
    if (row.status === 'approved') return await finish(ctx, session, AMR_BY_FACTOR_TYPE['passkeys'] ?? ['swk']);
    return again('Your passkey was not accepted. Try again.');
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    const cleared: HandoffSession = { ...session, challenges: Object.fromEntries(Object.entries(session.challenges).filter(([sid]) => sid !== factor.sid)) };
    if (error.code === 60324 && stored?.credential_id !== credentialId) {
      return again(`That passkey is not registered for your account with ${session.appName}. Choose the passkey “${factor.friendly_name}”, or try another way.`);
    }
    if (error.code === 60324) return again('Your passkey’s answer did not verify for this page (it was signed for another request or site). Try again.');
    if (error.code === 64202) {
      return again('This passkey was refused: its signature counter went backwards, which happens when a passkey has been copied. Use another method, and check the passkeys on your account.');
    }
    if (error.code === 60306) return again('The passkey request expired or was already used. We prepared a new one: try again.');
    if (error.code === 60308) return chooserAgain(ctx, cleared, `Too many failed passkey attempts for this account.${retryAfter(error)} Use another method.`);
    if (error.status === 404) return again('The passkey request no longer exists. We prepared a new one: try again.');
    throw error;
  }
}

/** The enrollment page's entity: the session's, or created for a user enrolling a first factor. */
async function enrollingEntity(ctx: AppContext, session: HandoffSession, service: ServiceRow): Promise<EntityRow> {
  if (session.entitySid !== undefined) {
    const entity = await new EntitiesStore(ctx.db.kysely).find(session.request.serviceSid, session.request.subject);
    if (!entity || entity.sid !== session.entitySid) throw new HandoffPageError(403, 'This account changed since the page was opened. Start again from the application.');
    return entity;
  }
  try {
    return await ensureEntity(ctx, service, session.request.subject);
  } catch (error) {
    if (error instanceof VerityError && error.status === 400) throw new HandoffPageError(400, 'This account’s name cannot hold sign-in methods here. Ask the application’s support.');
    throw error;
  }
}

async function enrollmentContext(ctx: AppContext, session: HandoffSession): Promise<{ service: ServiceRow; entity: EntityRow }> {
  requireEnrollment(session);
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'This page was already completed. Start again from the application to set up another method.');
  allowsPasskeys(session);
  const service = await sessionService(ctx, session);
  return { service, entity: await enrollingEntity(ctx, session, service) };
}

/** The hub with the reason, when the service's relying party does not fit these pages. */
const notHere = (ctx: AppContext, session: HandoffSession): Promise<Submission> =>
  enrollHub(ctx, { ...session, passkeyEnrollment: undefined }, `Passkeys for ${session.appName} cannot be added on this page (they belong to another address). Choose another method.`, 'alert');

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
  const factors = new FactorsStore(ctx.db.kysely);
  const earlier = session.passkeyEnrollment ? await factors.find(entity.sid, session.passkeyEnrollment.factorSid) : undefined;
  if (earlier?.factor_type === 'passkeys' && earlier.status === 'unverified') await factors.delete(earlier.sid);
  const { row, binding } = await createPasskeyFactor(ctx, service, entity, { friendlyName: `Passkey for ${session.appName}`.slice(0, 64) });
  const next: HandoffSession = { ...session, entitySid: entity.sid, passkeyEnrollment: { factorSid: row.sid } };
  return {
    kind: 'page',
    session: next,
    script: true,
    render: (sealed) => renderPasskeyEnroll({ appName: session.appName, session: sealed, options: binding.registration_options, returnTo: session.request.returnTo, message }),
  };
}

const REGISTRATION_ERRORS: Record<number, string> = {
  60311: 'Your device’s new passkey could not be verified for this page (its site or request did not match). Try again.',
  60310: 'Too many failed attempts to add this passkey. We prepared a new one: try again.',
  64201: 'Adding the passkey took too long (5 minutes at most). We prepared a new request: try again.',
};

/**
 * The enrollment page's answer: the RegistrationResponseJSON, verified by the passkey backend
 * (challenge, origin, RP ID, user verification as required; one credential once per service).
 * Verified → the factor is the user's, and the enrollment hub says so.
 */
export async function verifyPasskeyEnrollment(ctx: AppContext, session: HandoffSession, answer: PasskeyAnswer): Promise<Submission> {
  const { service, entity } = await enrollmentContext(ctx, session);
  if (!hostedPasskeySettings(ctx, service)) return notHere(ctx, session);
  const factorSid = session.passkeyEnrollment?.factorSid;
  const factor = factorSid ? await new FactorsStore(ctx.db.kysely).find(entity.sid, factorSid) : undefined;
  if (!factor || factor.factor_type !== 'passkeys') throw new HandoffPageError(400, 'No passkey is being added on this page. Start again from the enrollment page.');
  const added = (): Promise<Submission> => enrollHub(ctx, { ...session, passkeyEnrollment: undefined }, `Passkey added: next time ${session.appName} asks you to confirm it’s you, choose “Use a passkey”.`);
  // A second post of the same page after success: nothing more to do.
  if (factor.status === 'verified') return added();
  const failure = clientError(answer);
  if (failure !== undefined) {
    ctx.logger.info({ factorSid: factor.sid, error: failure }, 'hosted passkey enrollment: the browser reported a failure');
    return startPasskeyEnrollment(ctx, session, clientErrorMessage(failure));
  }
  if ((answer.response as string).length > MAX_PASSKEY_PAYLOAD) return startPasskeyEnrollment(ctx, session, 'Your browser sent an answer that is not a new passkey. Try again.');
  try {
    const row = await verifyPasskeyFactor(ctx, service, factor, answer.response);
    if (row.status !== 'verified') return startPasskeyEnrollment(ctx, session, 'The passkey was not added. Try again.');
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    const message = REGISTRATION_ERRORS[error.code] ?? (error.status === 400 ? 'Your browser sent an answer that is not a new passkey. Try again.' : undefined);
    if (message === undefined) throw error;
    return startPasskeyEnrollment(ctx, session, message);
  }
  return added();
}
