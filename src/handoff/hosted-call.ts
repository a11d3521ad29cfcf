import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { renderCallApproval, renderCallCode, renderFlashCall, type CallProgressView } from '../hosted/call-pages.ts';
import { CallsStore } from '../store/calls-store.ts';
import type { CallRow, ServiceRow, VerificationRow } from '../store/schema.ts';
import { VerificationsStore } from '../store/verifications-store.ts';
import { checkVerification } from '../verify/check-verification.ts';
import { displayCode } from '../verify/display-code.ts';
import { announce, recordVerificationChange } from '../verify/record-verification-change.ts';
import { startVerification } from '../verify/start-verification.ts';
import { verificationEventsUrl } from '../voice/verification-voice-fields.ts';
import { HandoffPageError, sessionCompleted, type HandoffSession } from './handoff-session.ts';
import { chooserAgain, finish, maskPhone, retryAfter, sessionService, type Submission } from './hosted-handoff.ts';

/** RFC 8176 §2: "tel", confirmation by telephone call, for every call-based proof. */
const TEL_AMR = ['tel'];

/** What a pending verification of the number can still serve: a code (texted or spoken), a press-1 with number match, or a flash call. */
type CallKind = 'code' | 'press_one_number' | 'flash';

async function notCompleted(ctx: AppContext, session: HandoffSession): Promise<void> {
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'This sign-in was already completed. Start again from the application if you need to sign in again.');
}

/** The application's trusted number, if the request allows this way of using it. */
function trustedPhone(session: HandoffSession, factor: 'call' | 'flashcall'): string {
  const phone = session.request.phone;
  if (!phone || !session.request.factors.includes(factor)) {
    throw new HandoffPageError(400, factor === 'call' ? 'The application does not accept calls to your phone for this sign-in.' : 'The application does not accept missed calls to your phone for this sign-in.');
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
export async function clearOtherKindOfVerification(ctx: AppContext, service: ServiceRow, phone: string, wanted: CallKind): Promise<void> {
  const pending = await new VerificationsStore(ctx.db.kysely).findPending(service.sid, phone);
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

const STILL_CALLING = 'We are still on a call to your phone. Answer it, or wait for it to end, then call again.';

/** Verify's refusal of a second live call to the same number (60212). */
const isLiveCallRefusal = (error: unknown): boolean => error instanceof VerityError && error.code === 60212;

/** The chooser with the reason no call was placed; other errors are not the user's to read. */
export async function callNotPlaced(ctx: AppContext, session: HandoffSession, error: unknown, what = 'call'): Promise<Submission> {
  if (!(error instanceof VerityError)) throw error;
  if (error.code === 60203 || error.code === 60410) return chooserAgain(ctx, session, `Too many codes and calls were sent to your phone.${retryAfter(error)} Use another method, or try again later.`);
  if (error.code === 60212) return chooserAgain(ctx, session, 'We are still on a call to your phone. Hang up or wait for it to end, then try again.');
  if (error.code === 60223) return chooserAgain(ctx, session, `${what === 'call' ? 'Calls' : 'Missed calls'} are not available right now. Use another method.`);
  if (error.code === 60605) return chooserAgain(ctx, session, 'We cannot call phone numbers in your country for this application. Use another method.');
  return chooserAgain(ctx, session, 'We could not call your phone. Use another method.');
}

/** The code page of a call that reads the code out (`Channel=call`), following the call's progress. */
export async function callCodePage(ctx: AppContext, session: HandoffSession, phone: string, verificationSid: string, message?: string): Promise<Submission> {
  const progress = await callProgress(ctx, verificationSid);
  const smsAllowed = session.request.factors.includes('sms');
  return {
    kind: 'page',
    session,
    script: true,
    render: (sealed) => renderCallCode({ appName: session.appName, session: sealed, masked: maskPhone(phone), progress, smsAllowed, returnTo: session.request.returnTo, message }),
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
  let verification: VerificationRow;
  try {
    await clearOtherKindOfVerification(ctx, service, phone, 'press_one_number');
    verification = await startVerification(ctx, { service, to: phone, channel: 'call', voiceFlow: 'press_one', numberMatch: true, customFriendlyName: session.appName.slice(0, 64) });
  } catch (error) {
    // "Call again" while the last call still rings: the same waiting page, saying why.
    const current = isLiveCallRefusal(error) && session.call?.kind === 'press_one' ? await new VerificationsStore(ctx.db.kysely).find(service.sid, session.call.verificationSid) : undefined;
    if (current?.status === 'pending' && current.voice_flow === 'press_one_number') return approvalPage(ctx, session, phone, current, STILL_CALLING);
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
    render: (sealed) => renderCallApproval({ appName: session.appName, session: sealed, numberMatch: digits, masked: maskPhone(phone), progress, returnTo: session.request.returnTo, message }),
  };
}

/** Why a call ended without a decision, in the user's words. */
function callEndReason(call: CallRow | undefined): string {
  switch (call?.status) {
    case 'no-answer':
      return 'You did not answer our call.';
    case 'busy':
      return 'Your line was busy when we called.';
    case 'rejected':
      return 'Our call was declined.';
    case 'completed':
      return 'The call ended before the digits were keyed in.';
    default:
      return 'We could not complete the call to your phone.';
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
  if (started?.kind !== 'press_one') throw new HandoffPageError(400, 'No call approval was started on this page. Start again from the application.');
  const phone = trustedPhone(session, 'call');
  const service = await sessionService(ctx, session);
  const row = await new VerificationsStore(ctx.db.kysely).find(service.sid, started.verificationSid);
  const cleared: HandoffSession = { ...session, call: undefined };
  if (!row || row.destination !== phone || row.voice_flow !== 'press_one_number') return chooserAgain(ctx, cleared, 'This call approval no longer exists. Try again or use another method.');
  if (row.status === 'approved') return finish(ctx, session, TEL_AMR);
  if (row.status === 'denied') {
    return chooserAgain(ctx, cleared, 'The sign-in was denied on the call (other digits than the ones shown here were keyed in, or the star key). If that was not you, someone may know your password. Otherwise, try again or use another method.');
  }
  if (row.status === 'failed') return chooserAgain(ctx, cleared, 'We could not complete the call to your phone. Try again or use another method.');
  if (row.status !== 'pending' || row.expires_at <= ctx.clock.now()) return chooserAgain(ctx, cleared, 'The call approval expired before it was approved. Try again or use another method.');
  const calls = await new CallsStore(ctx.db.kysely).listForVerification(row.sid);
  const latest = calls.at(-1);
  if (latest?.active === 1) return approvalPage(ctx, session, phone, row, 'Not approved yet. Answer the call and key in the two digits shown here.');
  return chooserAgain(ctx, session, `${callEndReason(latest)} Call again, or use another method.`);
}

/**
 * A flash call: Verity calls from a number whose last digits are the code and hangs up while it
 * rings; the user types those digits here and Verify checks them (amr ["tel"]).
 */
export async function startFlashCall(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  await notCompleted(ctx, session);
  const phone = trustedPhone(session, 'flashcall');
  if (!ctx.config.voice.flashCall) return chooserAgain(ctx, session, 'Missed calls are not available right now. Use another method.');
  const service = await sessionService(ctx, session);
  let verification: VerificationRow;
  try {
    await clearOtherKindOfVerification(ctx, service, phone, 'flash');
    verification = await startVerification(ctx, { service, to: phone, channel: 'flashcall' });
  } catch (error) {
    const current = isLiveCallRefusal(error) && session.call?.kind === 'flashcall' ? await new VerificationsStore(ctx.db.kysely).find(service.sid, session.call.verificationSid) : undefined;
    if (current?.status === 'pending' && current.voice_flow === 'flash') return flashPage(ctx, session, phone, current.sid, current.code_length, STILL_CALLING);
    return callNotPlaced(ctx, session, error, 'flashcall');
  }
  return flashPage(ctx, { ...session, call: { verificationSid: verification.sid, kind: 'flashcall' } }, phone, verification.sid, verification.code_length);
}

async function flashPage(ctx: AppContext, session: HandoffSession, phone: string, verificationSid: string, digits: number, message?: string): Promise<Submission> {
  const flash = ctx.config.voice.flashCall;
  if (!flash) return chooserAgain(ctx, { ...session, call: undefined }, 'Missed calls are not available right now. Use another method.');
  const progress = await callProgress(ctx, verificationSid);
  return {
    kind: 'page',
    session,
    script: true,
    render: (sealed) => renderFlashCall({ appName: session.appName, session: sealed, masked: maskPhone(phone), callerIdPrefix: flash.prefix, digits, progress, returnTo: session.request.returnTo, message }),
  };
}

/** The flash call's last digits (or its whole number), checked by Verify: approved → the result (amr ["tel"]). */
export async function checkFlashCall(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  await notCompleted(ctx, session);
  const started = session.call;
  if (started?.kind !== 'flashcall') throw new HandoffPageError(400, 'No missed call was started on this page. Start again from the application.');
  const phone = trustedPhone(session, 'flashcall');
  const service = await sessionService(ctx, session);
  const length = (await new VerificationsStore(ctx.db.kysely).find(service.sid, started.verificationSid))?.code_length ?? ctx.config.voice.flashCall?.codeLength ?? 4;
  const again = (message: string) => flashPage(ctx, session, phone, started.verificationSid, length, message);
  const cleared: HandoffSession = { ...session, call: undefined };
  const given = (code ?? '').replace(/[\s().-]/g, '');
  if (!/^\+?\d{4,16}$/.test(given)) return again(`Enter the last ${length} digits of the number that called you.`);
  // Verify takes the last digits, or the whole caller id in E.164 (with its +).
  const asChecked = given.length > length && !given.startsWith('+') ? `+${given}` : given;
  let row: VerificationRow;
  try {
    row = await checkVerification(ctx, { service, code: asChecked, verificationSid: started.verificationSid });
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    if (error.code === 60202) return chooserAgain(ctx, cleared, `Too many wrong numbers.${retryAfter(error)} Ask for a new call or use another method.`);
    if (error.status === 404) return chooserAgain(ctx, cleared, 'This missed call has expired or was already used. Ask for a new call or use another method.');
    if (error.code === 60200) return again(`Enter the last ${length} digits of the number that called you.`);
    throw error;
  }
  if (row.status === 'approved' && row.destination === phone && row.service_sid === service.sid) return finish(ctx, session, TEL_AMR);
  if (row.status === 'pending') return again(`Those are not the last digits of the number that called you. Check the last ${length} digits of the missed call and try again.`);
  return chooserAgain(ctx, cleared, 'Too many wrong numbers, or the missed call expired. Ask for a new call or use another method.');
}
