import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { CALL_MESSAGES, type CallMessageKey } from '../hosted/call-messages.ts';
import { renderCallApproval, renderCallCode, renderFlashCall, type CallProgressView } from '../hosted/call-pages.ts';
import { sessionReturnPath } from '../hosted/session-links.ts';
import { translate, type MessageParams } from '../hosted/i18n.ts';
import { CallsStore } from '../store/calls-store.ts';
import type { CallRow, ServiceRow, VerificationRow } from '../store/schema.ts';
import { VerificationsStore } from '../store/verifications-store.ts';
import { displayCode } from '../verify/display-code.ts';
import { announce, recordVerificationChange } from '../verify/record-verification-change.ts';
import { startVerification } from '../verify/start-verification.ts';
import { verificationEventsUrl } from '../voice/verification-voice-fields.ts';
import { HandoffPageError, sessionCompleted, type HandoffSession } from './handoff-session.ts';
import { chooserAgain, finish, maskPhone, sessionService, type Submission } from './hosted-handoff.ts';
import { checkInSession, hostedVerificationRequester, spendSessionSend } from './session-budget.ts';

/** RFC 8176 §2: "tel", confirmation by telephone call, for every call-based proof. */
const TEL_AMR = ['tel'];

/** What a pending verification of the number can still serve: a code (texted or spoken), a press-1 with number match, or a flash call. */
type CallKind = 'code' | 'press_one_number' | 'flash';

/** A message of these pages in the session's language. */
const say = (session: HandoffSession, key: CallMessageKey, params?: MessageParams): string => translate(CALL_MESSAGES, session.locale, key, params);

/** " Try again in 5 minutes." when Verify said when (a 429's Retry-After), else nothing. */
function retryIn(session: HandoffSession, error: VerityError): string {
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
export async function callProgress(ctx: AppContext, verificationSid: string): Promise<CallProgressView> {
  const calls = await new CallsStore(ctx.db.kysely).listForVerification(verificationSid);
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
  const pending = await new VerificationsStore(ctx.db.kysely).findPending(service.sid, phone, hostedVerificationRequester(ctx, session));
  if (!pending || kindOf(pending) === wanted) return;
  const canceled = await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await new VerificationsStore(trx).completePending(pending.sid, 'canceled', ctx.clock.now());
    if (row) await recordVerificationChange(ctx, trx, row);
    return row;
  });
  if (!canceled) return;
  announce(ctx, canceled);
  if (canceled.voice_flow !== null) await ctx.voice.engine.hangUpCallsOf(canceled.sid);
}

/** "Call again" while the last call still rings: the same page, saying why no second call was placed. */
const stillCalling = (session: HandoffSession): string => say(session, 'stillCalling');

/** Verify's refusal of a second live call to the same number (60212). */
const isLiveCallRefusal = (error: unknown): boolean => error instanceof VerityError && error.code === 60212;

/** The chooser with the reason no call was placed; other errors are not the user's to read. */
export async function callNotPlaced(ctx: AppContext, session: HandoffSession, error: unknown, what = 'call'): Promise<Submission> {
  if (!(error instanceof VerityError)) throw error;
  if (error.code === 60203 || error.code === 60410) return chooserAgain(ctx, session, say(session, 'tooManySends', { retry: retryIn(session, error) }));
  if (error.code === 60212) return chooserAgain(ctx, session, say(session, 'stillCallingHangUp'));
  if (error.code === 60223) return chooserAgain(ctx, session, say(session, what === 'call' ? 'callsUnavailable' : 'flashUnavailable'));
  if (error.code === 60605) return chooserAgain(ctx, session, say(session, 'countryNotAllowed'));
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
    const current = isLiveCallRefusal(error) && session.call?.kind === 'press_one' ? await new VerificationsStore(ctx.db.kysely).find(service.sid, session.call.verificationSid) : undefined;
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
function callEndReason(call: CallRow | undefined): CallMessageKey {
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
  const row = await new VerificationsStore(ctx.db.kysely).find(service.sid, started.verificationSid);
  const cleared: HandoffSession = { ...session, call: undefined };
  if (!row || row.destination !== phone || row.voice_flow !== 'press_one_number') return chooserAgain(ctx, cleared, say(session, 'approvalGone'));
  if (row.status === 'approved') return finish(ctx, session, TEL_AMR);
  if (row.status === 'denied') return chooserAgain(ctx, cleared, say(session, 'deniedOnCall'));
  if (row.status === 'failed') return chooserAgain(ctx, cleared, say(session, 'callFailed'));
  if (row.status !== 'pending' || row.expires_at <= ctx.clock.now()) return chooserAgain(ctx, cleared, say(session, 'approvalExpired'));
  const calls = await new CallsStore(ctx.db.kysely).listForVerification(row.sid);
  const latest = calls.at(-1);
  if (latest?.active === 1) return approvalPage(ctx, session, phone, row, say(session, 'notApprovedYet'));
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
    const current = isLiveCallRefusal(error) && session.call?.kind === 'flashcall' ? await new VerificationsStore(ctx.db.kysely).find(service.sid, session.call.verificationSid) : undefined;
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
  const length = (await new VerificationsStore(ctx.db.kysely).find(service.sid, started.verificationSid))?.code_length ?? ctx.config.voice.flashCall?.codeLength ?? 4;
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
    if (!(error instanceof VerityError)) throw error;
    if (error.code === 60202) return chooserAgain(ctx, cleared, say(session, 'tooManyWrongNumbers', { retry: retryIn(session, error) }));
    if (error.status === 404) return chooserAgain(ctx, cleared, say(session, 'flashExpired'));
    if (error.code === 60200) return again(say(session, 'enterLastDigits', { digits: length }));
    throw error;
  }
  if (row.status === 'approved' && row.destination === phone && row.service_sid === service.sid) return finish(ctx, session, TEL_AMR);
  if (row.status === 'pending') return again(say(session, 'wrongDigits', { digits: length }));
  return chooserAgain(ctx, cleared, say(session, 'wrongOrExpired'));
}
