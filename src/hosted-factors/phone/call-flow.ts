import type { AppContext } from '../../context.ts';
import { isDomainError, isRefusal } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { renderCallApproval, renderCallCode, renderFlashCall, type CallProgressView } from './call-pages.ts';
import { sessionReturnPath } from '../../handoff/session-links.ts';
import { translate, type MessageKey, type MessageParams } from '../../i18n/translator.ts';
import type { CallRow, ServiceRow, VerificationRow } from '../../store/schema.ts';
import { displayCode } from '../../verify/display-code.ts';
import { startVerification } from '../../verify/start-verification.ts';
import { verificationEventsUrl } from '../../http/resources/event-stream-links.ts';
import { HandoffPageError, sessionCompleted, type HandoffSession } from '../../handoff/handoff-session.ts';
import { chooserAgain } from '../chooser.ts';
import { finish } from '../finish.ts';
import { maskPhone, sessionService, type Submission } from '../hosted-flow.ts';
import { checkInSession, hostedVerificationRequester, spendSessionSend } from '../../handoff/session-budget.ts';

/** RFC 8176 §2: "tel", confirmation by telephone call, for every call-based proof. */
const TEL_AMR = ['tel'];

/** What a pending verification of the number can still serve: a code (texted or spoken), a press-1 with number match, or a flash call. */
type CallKind = 'code' | 'press_one_number' | 'flash';

/** A message of these pages in the session's language. */
const say = (session: HandoffSession, key: MessageKey<'call'>, params?: MessageParams): string => translate(session.locale, `call.${key}`, params);

/** " Try again in 5 minutes." when Verify said when (a 429's Retry-After), else nothing. */
function retryIn(session: HandoffSession, error: { retryAfterSeconds: number | undefined }): string {
  const seconds = error.retryAfterSeconds;
  if (seconds === undefined) return '';
  return ` ${seconds >= 120 ? say(session, 'retryMinutes', { minutes: Math.ceil(seconds / 60) }) : say(session, 'retrySeconds', { seconds })}`;
}

async function notCompleted(ctx: AppContext, session: HandoffSession): Promise<void> {
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, say(session, 'alreadyCompleted'), { locale: session.locale });
}

/** The application's trusted number, if the request allows this way of using it. */
function trustedPhone(session: HandoffSession, factor: 'call' | 'flashcall'): string {
  const phone = session.request.phone;
  if (!phone || !session.request.factors.includes(factor)) {
    throw new HandoffPageError(400, say(session, factor === 'call' ? 'callsNotAccepted' : 'flashNotAccepted'), { locale: session.locale });
  }
  return phone;
}

/** The progress stream of a verification (a path on this server: the page's CSP allows only 'self') and its newest call. */
async function callProgress(ctx: AppContext, verificationSid: string): Promise<CallProgressView> {
  const calls = await ctx.stores.calls.listForVerification(verificationSid);
  return { eventsPath: new URL(verificationEventsUrl(ctx, verificationSid)).pathname, callSid: calls.at(-1)?.sid };
}

const kindOf = (row: VerificationRow): CallKind | 'other' => {
  if (row.voice_flow === null || row.voice_flow === 'speak_code') return 'code';
  return row.voice_flow === 'press_one_number' || row.voice_flow === 'flash' ? row.voice_flow : 'other';
};

/**
 * Verify keeps one pending verification per number and resends it with its own flow: a code cannot
 * become a press-1 or a flash call, nor the other way round. So when the user picks another kind of
 * call (or a text after a press-1), the number's pending verification of another kind is canceled
 * first. Unlike `Status=canceled` on the API, this keeps the send budget: switching methods must not
 * reset the 5-sends-per-10-minutes limit.
 */
export async function clearOtherKindOfVerification(ctx: AppContext, session: HandoffSession, service: ServiceRow, phone: string, wanted: CallKind): Promise<void> {
  // Only the session's user's own pending verification: never the application's, nor another user's.
  const pending = await ctx.stores.verifications.findPending(service.sid, phone, hostedVerificationRequester(ctx, session));
  if (!pending || kindOf(pending) === wanted) return;
  // The lifecycle also hangs up a call still live for it.
  await ctx.verificationLifecycle.end(pending.sid, { to: 'canceled', by: 'hosted_page' });
}

/** "Call again" while the last call still rings: the same page, saying why no second call was placed. */
const stillCalling = (session: HandoffSession): string => say(session, 'stillCalling');

/** Verify's refusal of a second live call to the same number. */
const isLiveCallRefusal = (error: unknown): boolean => isDomainError(error, 'call_in_progress');

/** The chooser with the reason no call was placed; other errors are not the user's to read. */
export async function callNotPlaced(ctx: AppContext, session: HandoffSession, error: unknown, what = 'call'): Promise<Submission> {
  if (!isRefusal(error)) throw error;
  if (isDomainError(error, 'send_limit', 'prefix_blocked')) return chooserAgain(ctx, session, say(session, 'tooManySends', { retry: retryIn(session, error) }));
  if (isLiveCallRefusal(error)) return chooserAgain(ctx, session, say(session, 'stillCallingHangUp'));
  if (isDomainError(error, 'channel_disabled')) return chooserAgain(ctx, session, say(session, what === 'call' ? 'callsUnavailable' : 'flashUnavailable'));
  if (isDomainError(error, 'country_blocked')) return chooserAgain(ctx, session, say(session, 'countryNotAllowed'));
  return chooserAgain(ctx, session, say(session, 'couldNotCall'));
}

/** The code page of a call that reads the code out (`Channel=call`), following the call's progress. */
export async function callCodePage(ctx: AppContext, session: HandoffSession, phone: string, verificationSid: string, message?: string, messageAt: 'field' | 'page' = 'field'): Promise<Submission> {
  const progress = await callProgress(ctx, verificationSid);
  const smsAllowed = session.request.factors.includes('sms');
  return {
    kind: 'page',
    session,
    script: true,
    render: (sealed) => renderCallCode({ appName: session.appName, session: sealed, masked: maskPhone(phone), progress, smsAllowed, leave: sessionReturnPath(session.id), message, messageAt, locale: session.locale }),
  };
}

/**
 * "Approve with a call": Verity calls the application's trusted number and the user keys in the two
 * digits this page shows (VoiceFlow=press_one with NumberMatch), so the call approves this sign-in
 * and no other. The application's name is the verification's friendly name, spoken on the call.
 */
export async function startCallApproval(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  await notCompleted(ctx, session);
  const phone = trustedPhone(session, 'call');
  const service = await sessionService(ctx, session);
  await spendSessionSend(ctx, session, phone);
  let verification: VerificationRow;
  try {
    await clearOtherKindOfVerification(ctx, session, service, phone, 'press_one_number');
    // The call speaks the pages' language.
    verification = await startVerification(ctx, {
      service,
      to: phone,
      channel: 'call',
      voiceFlow: 'press_one',
      numberMatch: true,
      customFriendlyName: session.appName.slice(0, 64),
      locale: session.locale,
      requester: hostedVerificationRequester(ctx, session),
    });
  } catch (error) {
    // "Call again" while the last call still rings: the same waiting page, saying why.
    const current = isLiveCallRefusal(error) && session.call?.kind === 'press_one' ? await ctx.stores.verifications.find(service.sid, session.call.verificationSid) : undefined;
    if (current?.status === 'pending' && current.voice_flow === 'press_one_number') return approvalPage(ctx, session, phone, current, stillCalling(session));
    return callNotPlaced(ctx, session, error);
  }
  return approvalPage(ctx, { ...session, call: { verificationSid: verification.sid, kind: 'press_one' } }, phone, verification);
}

async function approvalPage(ctx: AppContext, session: HandoffSession, phone: string, verification: VerificationRow, message?: string): Promise<Submission> {
  const digits = displayCode(ctx, verification);
  if (!digits) throw new Error(`verification ${verification.sid} has no number to match`);
  const progress = await callProgress(ctx, verification.sid);
  return {
    kind: 'page',
    session,
    script: true,
    render: (sealed) => renderCallApproval({ appName: session.appName, session: sealed, numberMatch: digits, masked: maskPhone(phone), progress, leave: sessionReturnPath(session.id), message, locale: session.locale }),
  };
}

/** Why a call ended without a decision, in the user's words. */
function callEndReason(call: CallRow | undefined): MessageKey<'call'> {
  switch (call?.status) {
    case 'no-answer':
      return 'endNoAnswer';
    case 'busy':
      return 'endBusy';
    case 'rejected':
      return 'endRejected';
    case 'completed':
      return 'endCompleted';
    default:
      return 'endOther';
  }
}

/**
 * After the waiting page (its script posts this on an outcome, the button without script): the
 * verification's status read here, never the browser's word. Approved → the result (amr ["tel"]);
 * denied, expired or a call that ended without an answer → the chooser with the reason; a call still
 * in progress → the waiting page again.
 */
export async function continueCallApproval(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  await notCompleted(ctx, session);
  const started = session.call;
  if (started?.kind !== 'press_one') throw new HandoffPageError(400, say(session, 'noApprovalStarted'), { locale: session.locale });
  const phone = trustedPhone(session, 'call');
  const service = await sessionService(ctx, session);
  const row = await ctx.stores.verifications.find(service.sid, started.verificationSid);
  const cleared: HandoffSession = { ...session, call: undefined };
  if (!row || row.destination !== phone || row.voice_flow !== 'press_one_number') return chooserAgain(ctx, cleared, say(session, 'approvalGone'));
  if (row.status === 'approved') return finish(ctx, session, TEL_AMR);
  if (row.status === 'denied') return chooserAgain(ctx, cleared, say(session, 'deniedOnCall'));
  if (row.status === 'failed') return chooserAgain(ctx, cleared, say(session, 'callFailed'));
  if (row.status !== 'pending' || row.expires_at <= ctx.clock.now()) return chooserAgain(ctx, cleared, say(session, 'approvalExpired'));
  const calls = await ctx.stores.calls.listForVerification(row.sid);
  const latest = calls.at(-1);
  if (latest?.active === true) return approvalPage(ctx, session, phone, row, say(session, 'notApprovedYet'));
  return chooserAgain(ctx, session, say(session, 'callEnded', { reason: say(session, callEndReason(latest)) }));
}

/**
 * A flash call: Verity calls from a number whose last digits are the code and hangs up while it
 * rings; the user types those digits here and Verify checks them (amr ["tel"]).
 */
export async function startFlashCall(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  await notCompleted(ctx, session);
  const phone = trustedPhone(session, 'flashcall');
  if (!ctx.config.voice.flashCall) return chooserAgain(ctx, session, say(session, 'flashUnavailable'));
  const service = await sessionService(ctx, session);
  await spendSessionSend(ctx, session, phone);
  let verification: VerificationRow;
  try {
    await clearOtherKindOfVerification(ctx, session, service, phone, 'flash');
    verification = await startVerification(ctx, { service, to: phone, channel: 'flashcall', locale: session.locale, requester: hostedVerificationRequester(ctx, session) });
  } catch (error) {
    const current = isLiveCallRefusal(error) && session.call?.kind === 'flashcall' ? await ctx.stores.verifications.find(service.sid, session.call.verificationSid) : undefined;
    if (current?.status === 'pending' && current.voice_flow === 'flash') return flashPage(ctx, session, phone, current.sid, current.code_length, stillCalling(session), 'page');
    return callNotPlaced(ctx, session, error, 'flashcall');
  }
  return flashPage(ctx, { ...session, call: { verificationSid: verification.sid, kind: 'flashcall' } }, phone, verification.sid, verification.code_length);
}

async function flashPage(ctx: AppContext, session: HandoffSession, phone: string, verificationSid: string, digits: number, message?: string, messageAt: 'field' | 'page' = 'field'): Promise<Submission> {
  const flash = ctx.config.voice.flashCall;
  if (!flash) return chooserAgain(ctx, { ...session, call: undefined }, say(session, 'flashUnavailable'));
  const progress = await callProgress(ctx, verificationSid);
  return {
    kind: 'page',
    session,
    script: true,
    render: (sealed) => renderFlashCall({ appName: session.appName, session: sealed, masked: maskPhone(phone), callerIdPrefix: flash.prefix, digits, progress, leave: sessionReturnPath(session.id), message, messageAt, locale: session.locale }),
  };
}

/** The flash call's last digits (or its whole number), checked by Verify: approved → the result (amr ["tel"]). */
export async function checkFlashCall(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  await notCompleted(ctx, session);
  const started = session.call;
  if (started?.kind !== 'flashcall') throw new HandoffPageError(400, say(session, 'noFlashStarted'), { locale: session.locale });
  const phone = trustedPhone(session, 'flashcall');
  const service = await sessionService(ctx, session);
  const length = (await ctx.stores.verifications.find(service.sid, started.verificationSid))?.code_length ?? ctx.config.voice.flashCall?.codeLength ?? 4;
  const again = (message: string) => flashPage(ctx, session, phone, started.verificationSid, length, message);
  const cleared: HandoffSession = { ...session, call: undefined };
  const given = (code ?? '').replace(/[\s().-]/g, '');
  if (!/^\+?\d{4,16}$/.test(given)) return again(say(session, 'enterLastDigits', { digits: length }));
  // Verify takes the last digits, or the whole caller id in E.164 (with its +).
  const asChecked = given.length > length && !given.startsWith('+') ? `+${given}` : given;
  let row: VerificationRow;
  try {
    row = await checkInSession(ctx, session, { service, code: asChecked, verificationSid: started.verificationSid });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (isDomainError(error, 'verification_attempts_exhausted', 'destination_locked')) return chooserAgain(ctx, cleared, say(session, 'tooManyWrongNumbers', { retry: retryIn(session, error) }));
    if (error instanceof VerityError && error.status === 404) return chooserAgain(ctx, cleared, say(session, 'flashExpired'));
    // invalidParameter: a VerityError, as it names the wire parameter (Code).
    if (error instanceof VerityError && error.status === 400) return again(say(session, 'enterLastDigits', { digits: length }));
    throw error;
  }
  if (row.status === 'approved' && row.destination === phone && row.service_sid === service.sid) return finish(ctx, session, TEL_AMR);
  if (row.status === 'pending') return again(say(session, 'wrongDigits', { digits: length }));
  return chooserAgain(ctx, cleared, say(session, 'wrongOrExpired'));
}
