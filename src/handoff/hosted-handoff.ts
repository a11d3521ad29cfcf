import type { AppContext } from '../context.ts';
import { HANDOFF_MESSAGES } from '../hosted/handoff-messages.ts';
import { translate, translator, type PageLocale } from '../hosted/i18n.ts';
import { VerityError } from '../errors/verity-error.ts';
import { challengeEventsUrl } from '../factors/challenge-progress.ts';
import { AMR_BY_FACTOR_TYPE, createChallenge, DEFAULT_CHALLENGE_TTL_MS, fetchChallenge, MAX_CHALLENGE_ATTEMPTS, respondToChallenge } from '../factors/challenges.ts';
import { recoveryCodeSummary, useRecoveryCode } from '../factors/recovery/recovery-codes.ts';
import { EntitiesStore } from '../store/entities-store.ts';
import { FactorsStore } from '../store/factors-store.ts';
import { HandoffClientsStore } from '../store/handoff-clients-store.ts';
import { ServicesStore } from '../store/services-store.ts';
import type { EntityRow, ServiceRow } from '../store/schema.ts';
import { startVerification } from '../verify/start-verification.ts';
import type { HandoffFactor, HandoffRequest } from './handoff-claims.ts';
import { completeSession, HANDOFF_SESSION_MS, HandoffPageError, newSessionId, sessionCompleted, type HandoffSession } from './handoff-session.ts';
import { callCodePage, callNotPlaced, clearOtherKindOfVerification } from './hosted-call.ts';
import { grantEnrollment } from './hosted-enrollment.ts';
import { issueHandoffResult } from './issue-handoff-result.ts';
import { checkInSession, hostedVerificationRequester, spendSessionSend } from './session-budget.ts';
import { passkeyOptions } from './hosted-passkey.ts';

/** The factor types the hosted pages can run so far. */
export const HOSTED_FACTORS: readonly HandoffFactor[] = ['totp', 'push', 'sms', 'call', 'flashcall', 'recovery_code', 'voiceprint', 'passkeys'];

export type PhoneChannel = 'sms' | 'call';

export type FactorOption =
  | { kind: 'totp'; factorSid: string; name: string }
  | { kind: 'push'; factorSid: string; name: string }
  /** A code to the phone number the application passed (`phone`), shown masked. */
  | { kind: 'phone'; channel: PhoneChannel; masked: string }
  /** "Approve with a call" (press the digits shown) or a flash call to that number (hosted-call.ts). */
  | { kind: 'phone_call'; mode: 'press_one' | 'flashcall'; masked: string }
  | { kind: 'recovery_code'; remaining: number }
  /** "Use your voice": a voiceprint challenge recorded in the browser (hosted-voiceprint.ts). */
  | { kind: 'voiceprint'; factorSid: string; name: string }
  /** "Use a passkey": the user's passkeys in one card, a WebAuthn assertion in the browser (hosted-passkey.ts). */
  | { kind: 'passkey'; passkeys: Array<{ factorSid: string; name: string }> }
  /** Enrolled and allowed by the request, but not yet runnable on these pages. */
  | { kind: 'unavailable'; type: string; name: string };

export interface HandoffView {
  session: HandoffSession;
  options: FactorOption[];
}

/** The waiting page of a push: the number to match, and the challenge's progress stream (a path on this server). */
export interface PushWait {
  session: HandoffSession;
  numberMatch: string | null;
  eventsPath: string;
}

/** The code form of a code sent to the user's phone. */
export interface PhoneCodeWait {
  session: HandoffSession;
  channel: PhoneChannel;
  masked: string;
}

/** The outcome of a POST: a result to send back, the page again with a message, or the next step of a push or phone code. */
export type Submission =
  | { kind: 'result'; location: string }
  /** `tone: 'status'` for guidance rather than a failure (the enrollment step-up). */
  | { kind: 'retry'; view: HandoffView; message: string; tone?: 'alert' | 'status' }
  | { kind: 'push'; wait: PushWait; message?: string | undefined }
  | { kind: 'phone'; wait: PhoneCodeWait; message?: string | undefined }
  /** Any other page, rendered by its factor's page module; `sealed` is replaced by the sealed session. */
  | { kind: 'page'; session: HandoffSession; render: (sealed: string) => string; status?: number; script?: boolean };

/** All but the last 2 digits hidden: `+14155550123` → `••••••••••23`. */
export function maskPhone(phone: string): string {
  return '•'.repeat(Math.max(0, phone.length - 2)) + phone.slice(-2);
}

const PHONE_AMR: Record<PhoneChannel, string> = { sms: 'sms', call: 'tel' };

const FACTOR_TYPE_BY_HANDOFF: Record<string, HandoffFactor> = { totp: 'totp', push: 'push', voiceprint: 'voiceprint', passkeys: 'passkeys' };

async function findEntity(ctx: AppContext, request: HandoffRequest): Promise<EntityRow | undefined> {
  return new EntitiesStore(ctx.db.kysely).find(request.serviceSid, request.subject);
}

/** The user's verified factors that the request allows, each as the pages offer it. */
async function factorOptions(ctx: AppContext, request: HandoffRequest, entity: EntityRow | undefined, session: HandoffSession): Promise<FactorOption[]> {
  const allowed = new Set<string>(request.factors);
  // A code to the application's trusted number needs no factor enrolled here.
  const phone: FactorOption[] = request.phone ? (['sms', 'call'] as const).filter((c) => allowed.has(c)).map((channel) => ({ kind: 'phone', channel, masked: maskPhone(request.phone as string) })) : [];
  if (request.phone && allowed.has('call')) phone.push({ kind: 'phone_call', mode: 'press_one', masked: maskPhone(request.phone) });
  if (request.phone && allowed.has('flashcall') && ctx.config.voice.flashCall) phone.push({ kind: 'phone_call', mode: 'flashcall', masked: maskPhone(request.phone) });
  if (!entity) return phone;
  const options: FactorOption[] = [];
  const factors = await new FactorsStore(ctx.db.kysely).list(entity.sid, 50, 0);
  for (const factor of factors) {
    const type = FACTOR_TYPE_BY_HANDOFF[factor.factor_type];
    if (factor.status !== 'verified' || !type || !allowed.has(type)) continue;
    if (type === 'totp' && session.challenges[factor.sid]) options.push({ kind: 'totp', factorSid: factor.sid, name: factor.friendly_name });
    else if (type === 'push') options.push({ kind: 'push', factorSid: factor.sid, name: factor.friendly_name });
    else if (type === 'voiceprint' && ctx.voiceprints) options.push({ kind: 'voiceprint', factorSid: factor.sid, name: factor.friendly_name });
    else if (type === 'passkeys') continue; // all of them in one card, just below
    else if (type !== 'totp') options.push({ kind: 'unavailable', type, name: factor.friendly_name });
  }
  options.push(...(await passkeyOptions(ctx, session, factors)));
  options.push(...phone);
  if (allowed.has('recovery_code')) {
    const { remaining } = await recoveryCodeSummary(ctx, entity);
    if (remaining > 0) options.push({ kind: 'recovery_code', remaining });
  }
  return options;
}

/**
 * Starts the hosted hand-off for a verified request: opens one challenge (10 minutes) per verified
 * TOTP factor the request allows, so the challenge's attempt limit, the entity's lock-out and the
 * single use of a time step all apply, and returns the session the pages carry.
 */
export async function startHostedHandoff(ctx: AppContext, request: HandoffRequest, locale: PageLocale = 'en'): Promise<HandoffView> {
  const now = ctx.clock.now();
  const client = await new HandoffClientsStore(ctx.db.kysely).get(request.clientSid);
  if (!client) throw new VerityError(64102, 'Hand-off client unknown: iss must be the sid of a hand-off client');
  const entity = await findEntity(ctx, request);
  const session: HandoffSession = { id: newSessionId(), request, accountSid: client.account_sid, appName: client.friendly_name, entitySid: entity?.sid, challenges: {}, locale, expiresAt: now + HANDOFF_SESSION_MS };
  if (entity && request.factors.includes('totp')) {
    const service = await new ServicesStore(ctx.db.kysely).find(client.account_sid, request.serviceSid);
    const factors = service ? await new FactorsStore(ctx.db.kysely).list(entity.sid, 50, 0) : [];
    for (const factor of factors.filter((f) => f.factor_type === 'totp' && f.status === 'verified').slice(0, 5)) {
      const challenge = await createChallenge(ctx, service as NonNullable<typeof service>, entity, {
        factorSid: factor.sid,
        expirationDate: new Date(session.expiresAt).toISOString(),
        message: 'Sign-in hand-off',
      });
      session.challenges[factor.sid] = challenge.sid;
    }
  }
  return { session, options: await factorOptions(ctx, request, entity, session) };
}

async function notCompleted(ctx: AppContext, session: HandoffSession): Promise<void> {
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
}

export async function usableSession(ctx: AppContext, session: HandoffSession): Promise<EntityRow> {
  await notCompleted(ctx, session);
  const entity = await findEntity(ctx, session.request);
  if (!entity || entity.sid !== session.entitySid) throw new HandoffPageError(403, 'noFactorAnyMore', { locale: session.locale });
  return entity;
}

export async function finish(ctx: AppContext, session: HandoffSession, amr: string[]): Promise<Submission> {
  // An enrollment hand-off: the factor just passed grants the hub instead of a result (hosted-enrollment.ts).
  if (session.request.purpose === 'enroll') return grantEnrollment(ctx, session, amr);
  if (!(await completeSession(ctx, session))) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
  const result = await issueHandoffResult(ctx, session.request, { amr, authTime: ctx.clock.now() });
  return { kind: 'result', location: resultLocation(session.request, result) };
}

/** `return_to` with `result` and `state` added to its query (the URL was verified against the client's list). */
export function resultLocation(request: HandoffRequest, result: string): string {
  const url = new URL(request.returnTo);
  url.searchParams.set('result', result);
  url.searchParams.set('state', request.state);
  return url.toString();
}

/** " Try again in 30 seconds." (with its leading space) in the page's language, or nothing without a Retry-After. */
export const retryAfter = (error: VerityError, locale?: PageLocale): string => {
  const seconds = error.retryAfterSeconds;
  if (seconds === undefined) return '';
  return seconds >= 120 ? translate(HANDOFF_MESSAGES, locale, 'retryMinutes', { minutes: Math.ceil(seconds / 60) }) : translate(HANDOFF_MESSAGES, locale, 'retrySeconds', { seconds });
};

/** A TOTP code for one of the session's challenges. */
export async function submitTotp(ctx: AppContext, session: HandoffSession, factorSid: string | undefined, code: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(HANDOFF_MESSAGES, session.locale);
  const challengeSid = factorSid ? session.challenges[factorSid] : undefined;
  if (!challengeSid) throw new HandoffPageError(400, 'totpNotInSession', { locale: session.locale });
  const view = async (message: string): Promise<Submission> => ({ kind: 'retry', message, view: { session, options: await factorOptions(ctx, session.request, entity, session) } });
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{6,8}$/.test(digits)) return view(t('totpFormat'));
  let row;
  try {
    row = await respondToChallenge(ctx, entity, challengeSid, { authPayload: digits });
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    if (error.code === 60308 && error.retryAfterSeconds !== undefined) return view(t('tooManyForAccount', { retry: retryAfter(error, session.locale) }));
    if (error.code === 60308) return view(t('tooManyOnPage'));
    if (error.code === 60306) throw new HandoffPageError(403, 'pageExpiredOrUsed', { locale: session.locale });
    throw error;
  }
  if (row.status === 'approved') return finish(ctx, session, ['otp']);
  const left = Math.max(0, MAX_CHALLENGE_ATTEMPTS - row.attempts);
  return view(t('totpWrong', { left }));
}

/** A recovery code: single use, amr ["otp"]. */
export async function submitRecoveryCode(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(HANDOFF_MESSAGES, session.locale);
  if (!session.request.factors.includes('recovery_code')) throw new HandoffPageError(400, 'recoveryNotAccepted', { locale: session.locale });
  const view = async (message: string): Promise<Submission> => ({ kind: 'retry', message, view: { session, options: await factorOptions(ctx, session.request, entity, session) } });
  const text = (code ?? '').trim();
  if (text.length === 0 || text.length > 32) return view(t('recoveryFormat'));
  let outcome;
  try {
    outcome = await useRecoveryCode(ctx, entity, text);
  } catch (error) {
    if (error instanceof VerityError && error.code === 60308) return view(t('tooManyForAccount', { retry: retryAfter(error, session.locale) }));
    throw error;
  }
  if (!outcome.valid || !outcome.amr) return view(t('recoveryWrong'));
  return finish(ctx, session, outcome.amr);
}

export const chooserAgain = async (ctx: AppContext, session: HandoffSession, message: string): Promise<Submission> => ({
  kind: 'retry',
  message,
  view: { session, options: await factorOptions(ctx, session.request, await findEntity(ctx, session.request), session) },
});

export async function sessionService(ctx: AppContext, session: HandoffSession): Promise<ServiceRow> {
  const service = await new ServicesStore(ctx.db.kysely).find(session.accountSid, session.request.serviceSid);
  if (!service) throw new HandoffPageError(403, 'serviceGone', { locale: session.locale });
  return service;
}

/**
 * "Approve on your phone": a push challenge to one of the user's verified push factors, with the
 * application's name (never a secret) as its details, and the waiting page that follows it.
 */
export async function startPush(ctx: AppContext, session: HandoffSession, factorSid: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(HANDOFF_MESSAGES, session.locale);
  if (!session.request.factors.includes('push')) throw new HandoffPageError(400, 'pushNotAccepted', { locale: session.locale });
  const factor = factorSid && /^YF[0-9a-f]{32}$/.test(factorSid) ? await new FactorsStore(ctx.db.kysely).find(entity.sid, factorSid) : undefined;
  if (!factor || factor.factor_type !== 'push' || factor.status !== 'verified') throw new HandoffPageError(400, 'phoneNotInSession', { locale: session.locale });
  const service = await sessionService(ctx, session);
  const expiresAt = Math.min(session.expiresAt, ctx.clock.now() + DEFAULT_CHALLENGE_TTL_MS);
  let challenge;
  try {
    challenge = await createChallenge(ctx, service, entity, {
      factorSid: factor.sid,
      expirationDate: new Date(expiresAt).toISOString(),
      message: t('pushChallenge', { app: session.appName }).slice(0, 256),
      fields: [JSON.stringify({ label: t('pushChallengeField'), value: session.appName.slice(0, 128) })],
    });
  } catch (error) {
    if (error instanceof VerityError && error.code === 64001) return chooserAgain(ctx, session, t('pushTooMany'));
    throw error;
  }
  const next: HandoffSession = { ...session, push: challenge.sid };
  return { kind: 'push', wait: pushWait(ctx, next, challenge.number_match) };
}

function pushWait(ctx: AppContext, session: HandoffSession, numberMatch: string | null): PushWait {
  return { session, numberMatch, eventsPath: new URL(challengeEventsUrl(ctx, session.push as string)).pathname };
}

/**
 * After the waiting page: the push challenge's status read here, never the browser's word. Approved
 * → the result (amr ["swk"]); denied or expired → the chooser with the reason; pending → waiting.
 */
export async function continuePush(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(HANDOFF_MESSAGES, session.locale);
  const sid = session.push;
  if (!sid) throw new HandoffPageError(400, 'noPushStarted', { locale: session.locale });
  const cleared: HandoffSession = { ...session, push: undefined };
  let row;
  try {
    row = await fetchChallenge(ctx, entity, sid);
  } catch (error) {
    if (error instanceof VerityError && error.status === 404) return chooserAgain(ctx, cleared, t('pushGone'));
    throw error;
  }
  if (row.factor_type !== 'push' || row.entity_sid !== entity.sid) throw new HandoffPageError(400, 'pushNotInSession', { locale: session.locale });
  if (row.status === 'approved') return finish(ctx, session, AMR_BY_FACTOR_TYPE.push ?? ['swk']);
  if (row.status === 'denied') return chooserAgain(ctx, cleared, t('pushDenied'));
  if (row.status !== 'pending') return chooserAgain(ctx, cleared, t('pushExpired'));
  return { kind: 'push', wait: pushWait(ctx, session, row.number_match), message: t('pushNotYet') };
}

function phoneOf(session: HandoffSession, channel: string | undefined): { phone: string; channel: PhoneChannel } {
  if (channel !== 'sms' && channel !== 'call') throw new HandoffPageError(400, 'chooseChannel', { locale: session.locale });
  const phone = session.request.phone;
  if (!phone || !session.request.factors.includes(channel)) throw new HandoffPageError(400, 'phoneNotAccepted', { locale: session.locale });
  return { phone, channel };
}

/**
 * "Text me a code" / "Call me with a code": a Verify verification to the application's trusted
 * number. A call's code page follows the call live (hosted-call.ts); "Call again" comes back here.
 */
export async function startPhoneCode(ctx: AppContext, session: HandoffSession, channelName: string | undefined): Promise<Submission> {
  await notCompleted(ctx, session);
  const t = translator(HANDOFF_MESSAGES, session.locale);
  const { phone, channel } = phoneOf(session, channelName);
  const service = await sessionService(ctx, session);
  await spendSessionSend(ctx, session, phone);
  let verification;
  try {
    // A pending press-1 or flash call to this number cannot carry a code: it is canceled first.
    await clearOtherKindOfVerification(ctx, session, service, phone, 'code');
    verification = await startVerification(ctx, { service, to: phone, channel, locale: session.locale, requester: hostedVerificationRequester(ctx, session) });
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    const calling = session.phone?.channel === 'call' ? session.phone : undefined;
    if (error.code === 60212 && calling) return callCodePage(ctx, session, phone, calling.verificationSid, t('stillCalling'), 'page');
    if (error.code === 60203 || error.code === 60410) return chooserAgain(ctx, session, t('tooManySent', { retry: retryAfter(error, session.locale) }));
    if (error.code === 60223) return chooserAgain(ctx, session, t(channel === 'sms' ? 'smsUnavailable' : 'callsUnavailable'));
    if (channel === 'call') return callNotPlaced(ctx, session, error);
    return chooserAgain(ctx, session, t('smsFailed'));
  }
  const next: HandoffSession = { ...session, phone: { verificationSid: verification.sid, channel } };
  if (channel === 'call') return callCodePage(ctx, next, phone, verification.sid);
  return { kind: 'phone', wait: { session: next, channel, masked: maskPhone(phone) } };
}

/** The code sent to the phone, checked by Verify: approved → the result (amr ["sms"] or ["tel"], RFC 8176). */
export async function checkPhoneCode(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  await notCompleted(ctx, session);
  const t = translator(HANDOFF_MESSAGES, session.locale);
  const sent = session.phone;
  if (!sent) throw new HandoffPageError(400, 'noCodeSent', { locale: session.locale });
  const { phone, channel } = phoneOf(session, sent.channel);
  const again = async (message: string): Promise<Submission> =>
    channel === 'call' ? callCodePage(ctx, session, phone, sent.verificationSid, message) : { kind: 'phone', wait: { session, channel, masked: maskPhone(phone) }, message };
  const cleared: HandoffSession = { ...session, phone: undefined };
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{4,10}$/.test(digits)) return again(t(channel === 'sms' ? 'phoneFormatSms' : 'phoneFormatCall'));
  const service = await sessionService(ctx, session);
  let row;
  try {
    row = await checkInSession(ctx, session, { service, code: digits, verificationSid: sent.verificationSid });
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    if (error.code === 60202) return chooserAgain(ctx, cleared, t('phoneTooManyWrong', { retry: retryAfter(error, session.locale) }));
    if (error.status === 404) return chooserAgain(ctx, cleared, t('phoneCodeGone'));
    throw error;
  }
  if (row.status === 'approved' && row.destination === phone && row.service_sid === service.sid) return finish(ctx, session, [PHONE_AMR[channel]]);
  if (row.status === 'pending') return again(t('phoneWrong'));
  return chooserAgain(ctx, cleared, t('phoneTooManyOrExpired'));
}
