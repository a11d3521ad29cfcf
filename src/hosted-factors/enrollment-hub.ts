import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { AppContext } from '../context.ts';
import type { PageLocale } from '../i18n/locales.ts';
import { translate, type MessageKey, type MessageParams } from '../i18n/translator.ts';
import { isDomainError, isRefusal } from '../errors/domain-error.ts';
import { VerityError } from '../errors/verity-error.ts';
import { AMR_BY_FACTOR_TYPE } from '../factors/challenges.ts';
import { ensureEntity } from '../factors/entities.ts';
import { deleteFactor } from '../factors/delete-factor.ts';
import { renameFactor } from '../factors/rename-factor.ts';
import { issueEnrollmentToken } from '../factors/push/enrollment-tokens.ts';
import { enrollmentCodeUrl, issueEnrollmentCode } from '../factors/push/enrollment-codes.ts';
import { recoveryCodeSummary, regenerateRecoveryCodes } from '../factors/recovery/recovery-codes.ts';
import { base32Encode, otpauthUri } from '../factors/totp/otpauth-uri.ts';
import { qrCodeSvg } from '../factors/totp/qr-code.ts';
import { createTotpFactor, factorSecret, totpConfig, updateTotpFactor } from '../factors/totp/totp-factor.ts';
import { enrollPhoneCodePage, enrollPushPage, enrollRecoveryCodesPage, enrollRemovePage, enrollTotpPage, type EnrollNotice, type ListedFactor } from './enroll-pages.ts';
import { enrollHubPage } from './hub-page.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../store/schema.ts';
import type { StoreSet } from '../store/store-set.ts';
import { startVerification } from '../verify/start-verification.ts';
import type { HandoffRequest } from '../handoff/handoff-claims.ts';
import { completeSession, HANDOFF_SESSION_MS, HandoffPageError, requireEnrollment, sessionCompleted, type HandoffSession } from '../handoff/handoff-session.ts';
import type { PhoneChannel } from '../handoff/factor-options.ts';
import { startHostedHandoff } from './chooser.ts';
import type { EnrollOffers, HubListing } from './hosted-factor.ts';
import { HOSTED_FACTORS } from './registry.ts';
import { maskPhone, resultLocation, type Submission } from './hosted-flow.ts';
import type { EnrollmentProgress } from '../handoff/handoff-session.ts';
import { issueHandoffResult } from '../handoff/issue-handoff-result.ts';
import { checkInSession, hostedVerificationRequester, spendSessionSend } from '../handoff/session-budget.ts';
import { parseMethodName } from '../handoff/method-name.ts';
import { sessionReturnPath } from '../handoff/session-links.ts';

/**
 * The enrollment hub of a `purpose: enroll` hand-off (docs/handoff.md): the user adds sign-in
 * methods on Verity's pages, then "Done" sends a result back to the application.
 *
 * Who may enroll: a user who already has a factor (or unused recovery codes) proves one first on the
 * normal chooser (step-up; the grant's `amr` is that proof); a user with none proves the phone the
 * application vouches for when it passed one; otherwise the application's own sign-in is the only
 * proof (`amr: []`). Every step checks the grant here (requireEnrollment), never the browser's word.
 */

/** The hub's steps in progress, carried in the sealed session. */

/** Push enrollment tokens of the hub live this long (pasting a token takes longer than scanning it). */
const PUSH_TOKEN_SECONDS = 300;

/** The hub's words in the session's language (the `enroll-notice` messages, src/i18n/messages). */
const say = (session: HandoffSession, key: MessageKey<'enroll-notice'>, params?: MessageParams): string => translate(session.locale, `enroll-notice.${key}`, params);

/** A method's name in the hub's list: its hosted factor's label (registry.ts), else its factor type. */
const factorLabel = (session: HandoffSession, type: string): string => {
  const label = HOSTED_FACTORS.find((f) => f.enrollment?.label?.factorType === type)?.enrollment?.label;
  return label ? translate(session.locale, `enroll.${label.message}`) : type;
};

/** The hub's "add" cards: what each hosted factor offers (registry.ts); none unless a factor offers it. */
const offersOf = (listing: HubListing): EnrollOffers =>
  Object.assign({ totp: false, push: false, recoveryCodes: false, phone: [], passkey: false, voiceprint: false } satisfies EnrollOffers, ...HOSTED_FACTORS.map((f) => f.enrollment?.offer(listing) ?? {}));
const PHONE_AMR: Record<PhoneChannel, string> = { sms: 'sms', call: 'tel' };

const progressOf = (session: HandoffSession): EnrollmentProgress => session.enrolling ?? { proven: [] };
const withProgress = (session: HandoffSession, patch: Partial<EnrollmentProgress>): HandoffSession => ({ ...session, enrolling: { ...progressOf(session), ...patch } });
const sessionStart = (session: HandoffSession): number => session.expiresAt - HANDOFF_SESSION_MS;

async function sessionService(ctx: AppContext, session: HandoffSession): Promise<ServiceRow> {
  const service = await ctx.stores.services.find(session.accountSid, session.request.serviceSid);
  if (!service) throw new HandoffPageError(403, say(session, 'serviceGone'), { locale: session.locale });
  return service;
}

/**
 * The first page of an enrollment hand-off: the chooser when the user has something to prove (a
 * verified factor or unused recovery codes), the phone code when the user has nothing yet but the
 * application vouches for a phone, else the hub at once.
 */
export async function startEnrollment(ctx: AppContext, request: HandoffRequest, locale: PageLocale = 'en'): Promise<Submission> {
  const view = await startHostedHandoff(ctx, request, locale);
  const entity = await ctx.stores.entities.find(request.serviceSid, request.subject);
  if (entity && (await hasProof(ctx, entity))) {
    return { kind: 'retry', view, tone: 'status', message: translate(locale, 'enroll-notice.stepUpFirst') };
  }
  if (view.options.some((o) => o.kind === 'phone')) {
    return { kind: 'retry', tone: 'status', view: { ...view, options: view.options.filter((o) => o.kind === 'phone' || o.kind === 'phone_call') }, message: translate(locale, 'enroll-notice.phoneFirst') };
  }
  return enrollHub(ctx, { ...view.session, enrollment: { amr: [] } });
}

async function hasProof(ctx: AppContext, entity: EntityRow): Promise<boolean> {
  const factors = await ctx.stores.factors.list(entity.sid, 50, 0);
  if (factors.some((f) => f.status === 'verified')) return true;
  return (await recoveryCodeSummary(ctx, entity)).remaining > 0;
}

/** Instead of a result: the grant (the `amr` just proven) and the hub. Called by `finish` for `purpose: enroll`. */
export async function grantEnrollment(ctx: AppContext, session: HandoffSession, amr: string[]): Promise<Submission> {
  return enrollHub(ctx, { ...session, push: undefined, phone: undefined, enrollment: { amr } }, say(session, 'granted'));
}

/**
 * The user's entity for an enrollment step: created for a new user, and always the one the session
 * started with (a session never moves to another entity). The session is returned with it.
 */
async function enrollmentEntity(ctx: AppContext, session: HandoffSession): Promise<{ session: HandoffSession; entity: EntityRow; service: ServiceRow }> {
  requireEnrollment(session);
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, say(session, 'alreadyFinished'), { locale: session.locale });
  const service = await sessionService(ctx, session);
  let entity: EntityRow;
  try {
    entity = await ensureEntity(ctx, service, session.request.subject);
  } catch (error) {
    if (isRefusal(error)) throw new HandoffPageError(400, say(session, 'badSubject'), { locale: session.locale });
    throw error;
  }
  if (session.entitySid !== undefined && session.entitySid !== entity.sid) throw new HandoffPageError(403, say(session, 'entityChanged'), { locale: session.locale });
  return { session: { ...session, entitySid: entity.sid }, entity, service };
}

/**
 * The hub: the user's sign-in methods and what can be added. Other factors' enrollment pages call it
 * after their step (`message` tells what happened, already in the session's language).
 *
 * @example
 * return enrollHub(ctx, session, translate(session.locale, 'passkey.added', { app: session.appName }));
 */
export async function enrollHub(ctx: AppContext, session: HandoffSession, message?: string, tone: EnrollNotice['tone'] = 'status', status?: number, field?: EnrollNotice['field']): Promise<Submission> {
  const { session: current, entity } = await enrollmentEntity(ctx, session);
  const factors = await ctx.stores.factors.list(entity.sid, 50, 0);
  const listed: ListedFactor[] = await Promise.all(
    factors
      .filter((f) => f.status === 'verified')
      .map(async (f) => ({ sid: f.sid, name: f.friendly_name, type: factorLabel(current, f.factor_type), kind: f.factor_type, created: f.date_created, lastUsed: await lastUsedOf(ctx, f), manageable: mayManage(current, f) })),
  );
  const recovery = await recoveryCodeSummary(ctx, entity);
  const allowed = new Set<string>(current.request.factors);
  const progress = progressOf(current);
  const trusted = current.request.phone;
  return {
    kind: 'page',
    session: current,
    ...(status !== undefined ? { status } : {}),
    render: (sealed) =>
      enrollHubPage({
        appName: current.appName,
        session: sealed,
        leave: sessionReturnPath(current.id),
        locale: current.locale,
        ...(current.request.displayName !== undefined ? { displayName: current.request.displayName } : {}),
        factors: listed,
        recoveryCodes: recovery,
        // The number the application vouches for is its own: shown masked, as on the chooser, and changed there.
        trustedPhone: trusted !== undefined && phoneOffered(current) ? maskPhone(trusted) : undefined,
        phoneNumber: progress.phoneNumber,
        offers: offersOf({ ctx, session: current, allowed, factors }),
        notice: message ? { text: message, tone, field } : undefined,
      }),
  };
}

/**
 * When a factor last proved a sign-in (`factors.date_last_used`, migration 0031); for a passkey also
 * its credential's last assertion (passkey_credentials.date_last_used), whichever is later.
 */
async function lastUsedOf(ctx: AppContext, factor: FactorRow): Promise<number | null> {
  const own = factor.date_last_used ?? null;
  if (factor.factor_type !== 'passkeys') return own;
  const credential = await ctx.stores.passkeyCredentials.findByFactor(factor.sid);
  const asserted = credential?.date_last_used ?? null;
  return own === null ? asserted : asserted === null ? own : Math.max(own, asserted);
}

// Managing methods: rename and remove ---------------------------------------------------------------

/** The application vouches for a phone and lets its user sign in with a code to it. */
const phoneOffered = (session: HandoffSession): boolean => session.request.phone !== undefined && session.request.factors.some((f) => f === 'sms' || f === 'call');

/**
 * Step-up for changing a method: the session proved a factor on these pages (the grant's `amr`), or
 * the method was added in this very session. A grant without proof (`amr: []`, a user who had
 * nothing to prove) may only undo what it added itself.
 */
function mayManage(session: HandoffSession, factor: FactorRow): boolean {
  const grant = requireEnrollment(session);
  return grant.amr.length > 0 || factor.date_created >= sessionStart(session);
}

/**
 * The user's verified factor `sid` for a rename or a removal, with the step-up checked: a factor of
 * another user (or none) is refused as unknown, whatever the form says.
 */
async function managedFactor(ctx: AppContext, session: HandoffSession, sid: string | undefined): Promise<{ session: HandoffSession; factor: FactorRow } | { refusal: Submission }> {
  const { session: current, entity } = await enrollmentEntity(ctx, session);
  const factor = typeof sid === 'string' && /^YF[0-9a-f]{32}$/.test(sid) ? await ctx.stores.factors.find(entity.sid, sid) : undefined;
  if (!factor || factor.status !== 'verified') return { refusal: await enrollHub(ctx, current, say(current, 'methodGone'), 'alert', 404) };
  if (!mayManage(current, factor)) return { refusal: await enrollHub(ctx, current, say(current, 'manageNeedsProof'), 'alert', 403) };
  return { session: current, factor };
}

/** "Rename": the method's new name (parseMethodName), or the hub with the reason it was refused. */
export async function renameMethod(ctx: AppContext, session: HandoffSession, sid: string | undefined, input: string | undefined): Promise<Submission> {
  const managed = await managedFactor(ctx, session, sid);
  if ('refusal' in managed) return managed.refusal;
  const { session: current, factor } = managed;
  const name = parseMethodName(input);
  if (name === undefined) return enrollHub(ctx, current, say(current, 'nameInvalid'), 'alert', 400, factor.sid);
  const renamed = await renameFactor(ctx, factor, name);
  if (!renamed) return enrollHub(ctx, current, say(current, 'methodGone'), 'alert', 404);
  return enrollHub(ctx, current, say(current, 'renamed', { name }));
}

/** "Remove", first step: the page that asks to confirm (nothing is removed yet). */
export async function confirmRemoveMethod(ctx: AppContext, session: HandoffSession, sid: string | undefined): Promise<Submission> {
  const managed = await managedFactor(ctx, session, sid);
  if ('refusal' in managed) return managed.refusal;
  const { session: current, factor } = managed;
  if (!(await otherMethodsLeft(ctx, current, factor, ctx.stores))) return enrollHub(ctx, current, say(current, 'lastMethod', { app: current.appName }), 'alert', 409);
  return {
    kind: 'page',
    session: current,
    render: (sealed) =>
      enrollRemovePage({ appName: current.appName, session: sealed, locale: current.locale, factor: { sid: factor.sid, name: factor.friendly_name, type: factorLabel(current, factor.factor_type), kind: factor.factor_type } }),
  };
}

/**
 * "Remove", confirmed: the factor is deleted (with `factor.deleted`) unless it is the user's last
 * method and the application did not allow that; the check and the deletion share one transaction
 * with the entity row-locked, so two removals at once cannot both pass it.
 */
export async function removeMethod(ctx: AppContext, session: HandoffSession, sid: string | undefined): Promise<Submission> {
  const managed = await managedFactor(ctx, session, sid);
  if ('refusal' in managed) return managed.refusal;
  const { session: current, factor } = managed;
  const removed = await deleteFactor(ctx, factor, { unless: async (trx) => !(await trx.factors.find(factor.entity_sid, factor.sid)) || !(await otherMethodsLeft(ctx, current, factor, trx)) });
  if (!removed) {
    const still = await ctx.stores.factors.find(factor.entity_sid, factor.sid);
    return enrollHub(ctx, current, say(current, still ? 'lastMethod' : 'methodGone', { app: current.appName }), 'alert', still ? 409 : 404);
  }
  return enrollHub(ctx, current, say(current, 'removed', { name: factor.friendly_name }));
}

/**
 * Whether the user keeps a way to sign in without `factor`: another verified factor, an unused
 * recovery code, or the phone the application vouches for (and offers codes to); or the
 * application allowed removing the last one (`allow_remove_last`).
 */
async function otherMethodsLeft(ctx: AppContext, session: HandoffSession, factor: FactorRow, tx: Pick<StoreSet, 'factors' | 'recoveryCodes'>): Promise<boolean> {
  if (session.request.allowRemoveLast === true || phoneOffered(session)) return true;
  const others = (await tx.factors.list(factor.entity_sid, 50, 0)).filter((f) => f.status === 'verified' && f.sid !== factor.sid);
  if (others.length > 0) return true;
  return (await tx.recoveryCodes.summary(factor.entity_sid)).remaining > 0;
}

/** What the refusal says when the application does not offer a factor. */
const NOT_OFFERED = { totp: 'notOfferedTotp', push: 'notOfferedPush', recovery_code: 'notOfferedRecovery', sms: 'notOfferedSms', call: 'notOfferedCall' } as const;

function allow(session: HandoffSession, factor: keyof typeof NOT_OFFERED): void {
  requireEnrollment(session);
  if (!(session.request.factors as readonly string[]).includes(factor)) throw new HandoffPageError(400, say(session, NOT_OFFERED[factor]), { locale: session.locale });
}

// Authenticator app (TOTP) ------------------------------------------------------------------------

const issuerOf = (service: ServiceRow): string => {
  const issuer = service.extras['Totp.Issuer'];
  return typeof issuer === 'string' && issuer !== '' ? issuer : service.friendly_name;
};

/**
 * The account people see in their authenticator app, passkey manager or push device: the request's
 * display name (`name` claim), else the method's own name, never `sub` (an id, often opaque).
 */
const accountLabel = (session: HandoffSession, methodName: string): string => session.request.displayName ?? methodName;

async function totpPage(ctx: AppContext, session: HandoffSession, service: ServiceRow, factor: FactorRow, message?: string): Promise<Submission> {
  const config = totpConfig(factor);
  const secret = factorSecret(ctx, factor);
  const base32 = base32Encode(secret);
  // Key Uri Format: the label is `Issuer:account`, and neither part may contain a colon.
  const label = accountLabel(session, factor.friendly_name).replace(/:/g, ' ').trim();
  const uri = otpauthUri({ type: 'totp', issuer: issuerOf(service).replace(/:/g, ' ').trim(), label, secret, algorithm: config.alg, digits: config.code_length, period: config.time_step });
  const qr = await qrCodeSvg(uri);
  return {
    kind: 'page',
    session,
    render: (sealed) => enrollTotpPage({ appName: session.appName, session: sealed, locale: session.locale, qrSvg: qr, secret: base32, uri, digits: config.code_length, message }),
  };
}

/** "Add an authenticator app": a new unverified TOTP factor, its QR code and its secret for typing in. */
export async function startTotpEnrollment(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  allow(session, 'totp');
  const { session: current, entity, service } = await enrollmentEntity(ctx, session);
  const pending = progressOf(current).totp;
  const factors = ctx.stores.factors;
  // The same page again (reload, back button) reuses the factor not yet verified instead of piling up new ones.
  const existing = pending ? await factors.find(entity.sid, pending) : undefined;
  if (existing && existing.status === 'unverified') return totpPage(ctx, current, service, existing);
  let created;
  try {
    created = await createTotpFactor(ctx, service, entity, { friendlyName: say(current, 'totpFactorName', { app: current.appName }).slice(0, 64) });
  } catch (error) {
    if (isRefusal(error)) return enrollHub(ctx, current, say(current, 'totpCannotAdd'), 'alert');
    throw error;
  }
  return totpPage(ctx, withProgress(current, { totp: created.row.sid }), service, created.row);
}

/** The first code of the new authenticator app: right → verified (the hub says so); wrong → the QR page again. */
export async function verifyTotpEnrollment(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  allow(session, 'totp');
  const { session: current, entity, service } = await enrollmentEntity(ctx, session);
  const sid = progressOf(current).totp;
  const factor = sid ? await ctx.stores.factors.find(entity.sid, sid) : undefined;
  if (!factor || factor.factor_type !== 'totp') return enrollHub(ctx, withProgress(current, { totp: undefined }), say(current, 'totpNotOpen'), 'alert');
  if (factor.status === 'verified') return enrollHub(ctx, withProgress(current, { totp: undefined }), say(current, 'totpAdded'));
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{6,8}$/.test(digits)) return totpPage(ctx, current, service, factor, say(current, 'totpFormat'));
  let row;
  try {
    row = await updateTotpFactor(ctx, factor, { authPayload: digits });
  } catch (error) {
    if (isDomainError(error, 'factor_attempts_exhausted')) {
      // Removed as the API removes a factor: with its factor.deleted event for the application's webhooks.
      await deleteFactor(ctx, factor);
      return enrollHub(ctx, withProgress(current, { totp: undefined }), say(current, 'totpLocked'), 'alert');
    }
    throw error;
  }
  if (row.status === 'verified') return enrollHub(ctx, withProgress(current, { totp: undefined }), say(current, 'totpAdded'));
  return totpPage(ctx, current, service, row, say(current, 'totpWrong'));
}

// Push device -------------------------------------------------------------------------------------

/** "Add a push device": a single-use enrollment token (text and QR) for the user's authenticator. */
export async function startPushEnrollment(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  allow(session, 'push');
  const { session: current, service } = await enrollmentEntity(ctx, session);
  const now = ctx.clock.now();
  const ttl = Math.min(PUSH_TOKEN_SECONDS, Math.floor((current.expiresAt - now) / 1000));
  if (ttl < 30) return enrollHub(ctx, current, say(current, 'pushExpiring'), 'alert');
  const friendlyName = say(current, 'pushFactorName', { app: current.appName }).slice(0, 64);
  const issued = await issueEnrollmentToken(ctx, service, { identity: current.request.subject, factorType: 'push', friendlyName, accountName: accountLabel(current, friendlyName), ttlSeconds: ttl });
  const until = now + ttl * 1000;
  // The QR code holds a short code's URL (under 100 characters), not the 665-character token: easy to scan from any screen.
  const { code } = await issueEnrollmentCode(ctx, issued.token, until);
  const next = withProgress(current, { push: { since: now, until, token: issued.token, code } });
  return pushPage(ctx, next);
}

async function pushPage(ctx: AppContext, session: HandoffSession, message?: string): Promise<Submission> {
  const { token, until, code } = progressOf(session).push as NonNullable<EnrollmentProgress['push']>;
  // A session from before codes existed shows the token in the QR code, as it did.
  const qr = await qrCodeSvg(code !== undefined ? enrollmentCodeUrl(ctx, code) : token);
  const minutes = Math.max(1, Math.round((until - ctx.clock.now()) / 60_000));
  // script: the page's own script asks /handoff/enroll/push/status and checks as soon as the device is set up.
  return { kind: 'page', session, script: true, render: (sealed) => enrollPushPage({ appName: session.appName, session: sealed, locale: session.locale, token, code: code ?? '', qrSvg: qr, minutes, message }) };
}

/** Where a push device set-up stands, read on the server: no device yet, enrolled but not verified, added, or the token expired. */
export type PushEnrollmentState = 'waiting' | 'unconfirmed' | 'added' | 'expired';

async function pushEnrollmentState(ctx: AppContext, entity: EntityRow, started: NonNullable<EnrollmentProgress['push']>): Promise<PushEnrollmentState> {
  const factors = (await ctx.stores.factors.list(entity.sid, 50, 0)).filter((f) => f.factor_type === 'push' && f.date_created >= started.since);
  if (factors.some((f) => f.status === 'verified')) return 'added';
  if (factors.length > 0) return 'unconfirmed';
  return ctx.clock.now() >= started.until ? 'expired' : 'waiting';
}

/** For the push set-up page's script: the state only (the page's "check" form does the rest). */
export async function pushEnrollmentStatus(ctx: AppContext, session: HandoffSession): Promise<PushEnrollmentState> {
  allow(session, 'push');
  const { session: current, entity } = await enrollmentEntity(ctx, session);
  const started = progressOf(current).push;
  if (!started) throw new HandoffPageError(400, say(current, 'pushNoSetup'), { locale: current.locale });
  return pushEnrollmentState(ctx, entity, started);
}

/** "My device is set up": a push factor of this user created since the token and verified by the device's own signature. */
export async function checkPushEnrollment(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  allow(session, 'push');
  const { session: current, entity } = await enrollmentEntity(ctx, session);
  const started = progressOf(current).push;
  if (!started) return enrollHub(ctx, current, say(current, 'pushNoSetup'), 'alert');
  const state = await pushEnrollmentState(ctx, entity, started);
  if (state === 'added') return enrollHub(ctx, withProgress(current, { push: undefined }), say(current, 'pushAdded'));
  if (state === 'unconfirmed') return pushPage(ctx, current, say(current, 'pushUnconfirmed'));
  if (state === 'expired') return enrollHub(ctx, withProgress(current, { push: undefined }), say(current, 'pushExpired'), 'alert');
  return pushPage(ctx, current, say(current, 'pushUnused'));
}

// Recovery codes ----------------------------------------------------------------------------------

/** A new set of recovery codes, shown once; the previous set stops working in the same transaction. */
export async function issueRecoveryCodes(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  allow(session, 'recovery_code');
  const { session: current, entity } = await enrollmentEntity(ctx, session);
  const before = await recoveryCodeSummary(ctx, entity);
  const { codes } = await regenerateRecoveryCodes(ctx, entity);
  // script: the page's Copy, Download and Print buttons (handoff-hub.js).
  return { kind: 'page', session: current, script: true, render: (sealed) => enrollRecoveryCodesPage({ appName: current.appName, session: sealed, locale: current.locale, codes, replaced: before.total > 0 }) };
}

// Phone number ------------------------------------------------------------------------------------

/** The number as E.164 if libphonenumber-js finds it valid (international format: the hub knows no country). */
function parseEnrollPhone(input: string | undefined): string | undefined {
  const text = (input ?? '').trim();
  if (text.length === 0 || text.length > 32) return undefined;
  const parsed = parsePhoneNumberFromString(text.startsWith('00') ? `+${text.slice(2)}` : text);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** "Add a phone number": a code to it by SMS or call (Verify, with the service's send limits). */
export async function startPhoneEnrollment(ctx: AppContext, session: HandoffSession, input: string | undefined, channelName: string | undefined): Promise<Submission> {
  requireEnrollment(session);
  if (channelName !== 'sms' && channelName !== 'call') throw new HandoffPageError(400, say(session, 'chooseChannel'), { locale: session.locale });
  const channel: PhoneChannel = channelName;
  allow(session, channel);
  const { session: current, service } = await enrollmentEntity(ctx, session);
  const number = parseEnrollPhone(input);
  if (!number) return enrollHub(ctx, current, say(current, 'phoneInvalid'), 'alert', undefined, 'phone_number');
  // The session's send budget (a handful of numbers, a bounded number of sends): a page error, nothing sent.
  await spendSessionSend(ctx, current, number);
  let verification;
  try {
    // The code's SMS or call speaks the page's language.
    verification = await startVerification(ctx, { service, to: number, channel, locale: current.locale, requester: hostedVerificationRequester(ctx, current) });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (isDomainError(error, 'send_limit')) return enrollHub(ctx, current, say(current, 'phoneTooMany'), 'alert');
    if (isDomainError(error, 'channel_disabled')) return enrollHub(ctx, current, say(current, channel === 'sms' ? 'smsUnavailable' : 'callUnavailable'), 'alert');
    // The provider's reason is for the operator (the log), not for the user's page.
    ctx.logger.info(error instanceof VerityError ? { code: error.code } : { reason: error.reason }, 'hosted enrollment: could not send to the new number');
    return enrollHub(ctx, current, say(current, channel === 'sms' ? 'smsFailed' : 'callFailed'), 'alert');
  }
  const next = withProgress(current, { phone: { number, channel, verificationSid: verification.sid } });
  return phoneCodePage(next, number, channel);
}

function phoneCodePage(session: HandoffSession, number: string, channel: PhoneChannel, message?: string): Submission {
  return {
    kind: 'page',
    session,
    render: (sealed) => enrollPhoneCodePage({ appName: session.appName, session: sealed, locale: session.locale, masked: maskPhone(number), channel, message }),
  };
}

/** The code sent to the new number: approved → the number is kept for the result (`phone_number`). */
export async function checkPhoneEnrollment(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  const { session: current, service } = await enrollmentEntity(ctx, session);
  const sent = progressOf(current).phone;
  if (!sent) return enrollHub(ctx, current, say(current, 'phoneNoCode'), 'alert');
  const cleared = withProgress(current, { phone: undefined });
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{4,10}$/.test(digits)) return phoneCodePage(current, sent.number, sent.channel, say(current, sent.channel === 'sms' ? 'smsCodeFormat' : 'callCodeFormat'));
  let row;
  try {
    row = await checkInSession(ctx, current, { service, code: digits, verificationSid: sent.verificationSid });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (isDomainError(error, 'verification_attempts_exhausted', 'destination_locked')) return enrollHub(ctx, cleared, say(current, 'phoneLocked'), 'alert');
    if (error instanceof VerityError && error.status === 404) return enrollHub(ctx, cleared, say(current, 'phoneCodeGone'), 'alert');
    throw error;
  }
  if (row.status === 'approved' && row.destination === sent.number && row.service_sid === service.sid) {
    const proven = [...new Set([...progressOf(current).proven, PHONE_AMR[sent.channel]])];
    return enrollHub(ctx, withProgress(cleared, { phoneNumber: sent.number, proven }), say(current, 'phoneConfirmed', { number: maskPhone(sent.number), app: current.appName }));
  }
  if (row.status === 'pending') return phoneCodePage(current, sent.number, sent.channel, say(current, 'phoneWrong'));
  return enrollHub(ctx, cleared, say(current, 'phoneFailed'), 'alert');
}

// Done --------------------------------------------------------------------------------------------

/**
 * "Done": the result for the application. Its `amr` is the proof behind the grant; for a user who
 * had nothing to prove (`amr: []`) it is what the user proved on the hub: the first use of a method
 * added in this session (TOTP code → otp, device signature → swk, …) or the code to the new number.
 */
export async function finishEnrollment(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const grant = requireEnrollment(session);
  const { session: current, entity } = await enrollmentEntity(ctx, session);
  const progress = progressOf(current);
  let amr = grant.amr;
  if (amr.length === 0) {
    const added = (await ctx.stores.factors.list(entity.sid, 50, 0)).filter((f) => f.status === 'verified' && f.date_created >= sessionStart(current));
    amr = [...new Set([...progress.proven, ...added.flatMap((f) => AMR_BY_FACTOR_TYPE[f.factor_type] ?? [])])];
  }
  if (amr.length === 0) return enrollHub(ctx, current, say(current, 'finishFirst'), 'alert');
  if (!(await completeSession(ctx, current))) throw new HandoffPageError(409, say(session, 'alreadyFinished'), { locale: session.locale });
  const result = await issueHandoffResult(ctx, current.request, { amr, authTime: ctx.clock.now(), phoneNumber: progress.phoneNumber });
  return { kind: 'result', location: resultLocation(current.request, result) };
}
