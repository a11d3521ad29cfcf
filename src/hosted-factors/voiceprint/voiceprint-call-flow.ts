import type { AppContext } from '../../context.ts';
import { isDomainError, isRefusal } from '../../errors/domain-error.ts';
import { AMR_BY_FACTOR_TYPE } from '../../factors/challenges.ts';
import { assertVoiceprintCallPossible, startVoiceprintCall } from '../../factors/voiceprint-factor/voiceprint-calls.ts';
import { HandoffPageError, type HandoffSession } from '../../handoff/handoff-session.ts';
import { spendSessionSend } from '../../handoff/session-budget.ts';
import { sessionReturnPath } from '../../handoff/session-links.ts';
import { translate, type MessageKey, type MessageParams } from '../../i18n/translator.ts';
import type { CallRow, ChallengeRow, EntityRow, FactorCallEventRow, FactorRow } from '../../store/schema.ts';
import { factorCallEventsUrl } from '../../voice/factor-calls/factor-call-progress.ts';
import { chooserAgain } from '../chooser.ts';
import { enrollHub } from '../enrollment-hub.ts';
import { finish } from '../finish.ts';
import { maskPhone, sessionService, usableSession, type Submission } from '../hosted-flow.ts';
import { callNotPlaced } from '../phone/call-flow.ts';
import { renderVoiceprintCall, type VoiceprintCallView } from './voiceprint-call-pages.ts';
import { startVoiceprint, startVoiceprintEnrollment } from './voiceprint-flow.ts';

/** The forms of "Call me and I will say my phrase": place the call, and look at it (the page's script posts this when the call has an outcome). */
export const VOICEPRINT_CALL_PATH = '/handoff/voiceprint/call';
export const VOICEPRINT_CALL_CONTINUE_PATH = '/handoff/voiceprint/call/continue';
export const ENROLL_VOICEPRINT_CALL_PATH = '/handoff/enroll/voiceprint/call';
export const ENROLL_VOICEPRINT_CALL_CONTINUE_PATH = '/handoff/enroll/voiceprint/call/continue';

type Purpose = VoiceprintCallView['purpose'];

/** A message of these pages in the session's language. */
const say = (session: HandoffSession, key: MessageKey<'voicecall'>, params?: MessageParams): string => translate(session.locale, `voicecall.${key}`, params);

/**
 * The number a sign-in call goes to: the application's trusted number (`phone` of the request),
 * only when the request allows calls, as for the code calls. Never a number typed on these pages.
 */
function signInPhone(session: HandoffSession): string {
  const phone = session.request.phone;
  if (!phone || !session.request.factors.includes('call') || !session.request.factors.includes('voiceprint')) {
    throw new HandoffPageError(400, say(session, 'notAccepted'), { locale: session.locale });
  }
  return phone;
}

/**
 * The number an enrolment call goes to: the one confirmed by a code on the hub in this session, else
 * the application's trusted number; only when the request allows calls.
 */
function enrollmentPhone(session: HandoffSession): string | undefined {
  if (!session.request.factors.includes('call')) return undefined;
  return session.enrolling?.phoneNumber ?? session.request.phone;
}

/** The factor's newest call (for `challenge`, or its enrolment call) and its events so far. */
async function followed(ctx: AppContext, factorSid: string, challengeSid: string | null): Promise<{ call: CallRow | undefined; events: FactorCallEventRow[] }> {
  const call = await ctx.stores.factorCallEvents.latestCall(factorSid, challengeSid);
  return { call, events: call ? await ctx.stores.factorCallEvents.listAfter(call.sid, 0) : [] };
}

/** The call page: the call's progress so far and, while it is live, its stream (a path on this server: the page's CSP allows only 'self'). */
async function callPage(ctx: AppContext, session: HandoffSession, purpose: Purpose, phone: string, factor: FactorRow, challengeSid: string | null, message?: string): Promise<Submission> {
  const { call, events } = await followed(ctx, factor.sid, challengeSid);
  const live = call?.active === true;
  const phrase = typeof factor.metadata?.['pass_phrase'] === 'string' ? factor.metadata['pass_phrase'] : undefined;
  // Digits mode: the challenge's own prompt on sign-in; on enrolment the call reads each take's digits out.
  const digitsMode = (JSON.parse(factor.config) as { mode?: string }).mode === 'digits';
  const challenge = digitsMode && challengeSid ? await ctx.stores.challenges.findBySid(challengeSid) : undefined;
  const digits = !digitsMode ? undefined : challengeSid ? challenge?.details.prompt : 'on_call';
  return {
    kind: 'page',
    session,
    script: true,
    render: (sealed) =>
      renderVoiceprintCall({
        purpose,
        appName: session.appName,
        session: sealed,
        masked: maskPhone(phone),
        phrase,
        digits,
        factorSid: factor.sid,
        eventsPath: call && live ? new URL(factorCallEventsUrl(ctx, call.sid)).pathname : undefined,
        events: events.map((e) => ({ sequence: e.sequence, event: e.event, data: e.data })),
        leave: sessionReturnPath(session.id),
        message,
        locale: session.locale,
      }),
  };
}

/** Why a call that ended without an outcome ended, from its last events, in the user's words. */
function endedMessage(session: HandoffSession, purpose: Purpose, events: FactorCallEventRow[]): string {
  const names = events.map((e) => e.event);
  const outcome = [...events].reverse().find((e) => e.event === 'denied' || (e.event === 'failed' && names.includes('answered')));
  if (outcome?.event === 'denied') return say(session, outcome.data['reason'] === 'replay_suspected' ? 'endedReplay' : 'endedNoMatch');
  if (outcome) return say(session, 'endedGaveUp');
  const end = names.at(-1);
  if (end === 'no-answer') return say(session, 'endedNoAnswer');
  if (end === 'busy') return say(session, 'endedBusy');
  if (end === 'rejected') return say(session, 'endedDeclined');
  return say(session, purpose === 'enroll' ? 'endedEnroll' : 'endedEarly');
}

/** Verify's refusals of the call, for the enrolment page (the sign-in's go back to the chooser with call.* messages). */
function enrollRefusal(session: HandoffSession, error: unknown): string {
  if (!isRefusal(error)) throw error;
  if (isDomainError(error, 'send_limit', 'prefix_blocked', 'account_budget_exhausted')) return say(session, 'tooManyCalls');
  if (isDomainError(error, 'call_in_progress')) return say(session, 'otherCallLive');
  if (isDomainError(error, 'channel_disabled')) return say(session, 'callsUnavailable');
  if (isDomainError(error, 'country_blocked')) return say(session, 'countryNotAllowed');
  return say(session, 'couldNotCall');
}

/**
 * Places the call unless this factor (or challenge) already has one live: pressing the button again,
 * reloading or going Back never places a second call, nor spends the session's budget. Each call
 * spends one of the session's sends (the same budget as codes and code calls) and passes the send gate.
 */
async function placeCall(ctx: AppContext, session: HandoffSession, purpose: Purpose, phone: string, factor: FactorRow, challenge: ChallengeRow | undefined): Promise<Submission> {
  const challengeSid = challenge?.sid ?? null;
  const latest = await ctx.stores.factorCallEvents.latestCall(factor.sid, challengeSid);
  if (latest?.active) return callPage(ctx, session, purpose, phone, factor, challengeSid, say(session, 'stillCalling'));
  const service = await sessionService(ctx, session);
  const notPlaced = (error: unknown): Promise<Submission> =>
    purpose === 'verify' ? callNotPlaced(ctx, session, error) : enrollHub(ctx, { ...session, voiceprintEnrollment: undefined }, enrollRefusal(session, error), 'alert');
  try {
    // What would refuse the call anyway (another call live on the number, a challenge no longer
    // pending, voiceprints off, no provider) is checked before the session's budget is spent.
    await assertVoiceprintCallPossible(ctx, { to: phone, factor, challenge });
  } catch (error) {
    return notPlaced(error);
  }
  await spendSessionSend(ctx, session, phone);
  try {
    await startVoiceprintCall(ctx, service, { to: phone, factor, challenge });
  } catch (error) {
    return notPlaced(error);
  }
  return callPage(ctx, session, purpose, phone, factor, challengeSid);
}

async function voiceprintOf(ctx: AppContext, entity: EntityRow, factorSid: string | undefined): Promise<FactorRow | undefined> {
  const factor = factorSid ? await ctx.stores.factors.find(entity.sid, factorSid) : undefined;
  return factor?.factor_type === 'voiceprint' ? factor : undefined;
}

/**
 * Sign-in, "Call me and I will say my phrase": opens (or keeps) the session's voiceprint challenge
 * exactly as "Use your voice" does (voiceprint-flow.ts: lock-out, attempt limits, one challenge per
 * session), then calls the application's trusted number; the call records the phrase and answers
 * the challenge. The page follows the call live.
 */
export async function startVoiceprintByCall(ctx: AppContext, session: HandoffSession, factorSid: string | undefined): Promise<Submission> {
  const phone = signInPhone(session);
  const opened = await startVoiceprint(ctx, session, factorSid);
  // Not the recording page: the chooser again with the reason (paused, unavailable…).
  if (opened.kind !== 'page' || !opened.session.voiceprint) return opened;
  const next = opened.session;
  const open = next.voiceprint as NonNullable<HandoffSession['voiceprint']>;
  const entity = await usableSession(ctx, next);
  const factor = await voiceprintOf(ctx, entity, open.factorSid);
  const challenge = await ctx.stores.challenges.find(entity.sid, open.challengeSid);
  if (!factor || !challenge) throw new HandoffPageError(400, say(session, 'noCall'), { locale: session.locale });
  return placeCall(ctx, next, 'verify', phone, factor, challenge);
}

/**
 * After the call page (its script posts this on an outcome; without script, the Refresh button):
 * the challenge's status read here, never the browser's word. Approved → the result (amr as "Use
 * your voice": the voice is the factor proven); decided otherwise → the chooser with the reason;
 * still pending → the call page, live or with why the call ended and the ways on.
 */
export async function continueVoiceprintByCall(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const phone = signInPhone(session);
  const open = session.voiceprint;
  if (!open) throw new HandoffPageError(400, say(session, 'noCall'), { locale: session.locale });
  const entity = await usableSession(ctx, session);
  const factor = await voiceprintOf(ctx, entity, open.factorSid);
  const challenge = await ctx.stores.challenges.find(entity.sid, open.challengeSid);
  const cleared: HandoffSession = { ...session, voiceprint: undefined };
  if (!factor || !challenge) return chooserAgain(ctx, cleared, say(session, 'checkGone'));
  // The voice, heard on a call Verity placed to the user's number: a voice biometric and a telephone (RFC 8176).
  if (challenge.status === 'approved') return finish(ctx, session, [...(AMR_BY_FACTOR_TYPE.voiceprint ?? ['vbm']), 'tel']);
  if (challenge.status === 'denied') return chooserAgain(ctx, cleared, say(session, challenge.denied_reason === 'replay_suspected' ? 'endedReplay' : 'denied'));
  if (challenge.status !== 'pending' || challenge.expiration_date <= ctx.clock.now()) return chooserAgain(ctx, cleared, say(session, 'expired'));
  const { call, events } = await followed(ctx, factor.sid, challenge.sid);
  if (!call) return chooserAgain(ctx, session, say(session, 'noCall'));
  if (call.active) return callPage(ctx, session, 'verify', phone, factor, challenge.sid, say(session, 'stillOnCall'));
  return callPage(ctx, session, 'verify', phone, factor, challenge.sid, endedMessage(session, 'verify', events));
}

/**
 * Enrollment hub, "Call me and I will say my phrase": creates (or resumes) the session's unverified
 * voiceprint as the microphone set-up does (voiceprint-flow.ts), then calls the number confirmed on
 * the hub (or the application's trusted one): three takes of the phrase on the call make the
 * voiceprint. The page follows the call live and returns to the hub when it is made.
 */
export async function startEnrollmentByCall(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const phone = enrollmentPhone(session);
  if (!phone) return enrollHub(ctx, session, say(session, 'hubNoPhone'), 'alert');
  const opened = await startVoiceprintEnrollment(ctx, session);
  // Not the recording page: the notice of why voice cannot be set up (it says so, with the way back).
  if (opened.kind !== 'page' || opened.script !== true || !opened.session.voiceprintEnrollment) return opened;
  const next = opened.session;
  const entity = await enrollmentEntityOf(ctx, next);
  const factor = entity ? await voiceprintOf(ctx, entity, next.voiceprintEnrollment?.factorSid) : undefined;
  if (!factor) return enrollHub(ctx, next, say(session, 'setupGone'), 'alert');
  return placeCall(ctx, next, 'enroll', phone, factor, undefined);
}

async function enrollmentEntityOf(ctx: AppContext, session: HandoffSession): Promise<EntityRow | undefined> {
  const entity = await ctx.stores.entities.find(session.request.serviceSid, session.request.subject);
  return entity && (session.entitySid === undefined || entity.sid === session.entitySid) ? entity : undefined;
}

/** After the enrolment call page: the factor's status read here. Verified → the hub, which lists the new voice; otherwise the call page. */
export async function continueEnrollmentByCall(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const started = session.voiceprintEnrollment;
  const cleared: HandoffSession = { ...session, voiceprintEnrollment: undefined };
  const entity = started ? await enrollmentEntityOf(ctx, session) : undefined;
  const factor = entity ? await voiceprintOf(ctx, entity, started?.factorSid) : undefined;
  if (!factor) return enrollHub(ctx, cleared, say(session, 'setupGone'), 'alert');
  if (factor.status === 'verified') return enrollHub(ctx, cleared, translate(session.locale, 'voiceprint.setUpDone'));
  const phone = enrollmentPhone(session);
  if (!phone) return enrollHub(ctx, session, say(session, 'hubNoPhone'), 'alert');
  const { call, events } = await followed(ctx, factor.sid, null);
  if (!call) return enrollHub(ctx, session, say(session, 'noCall'), 'alert');
  if (call.active) return callPage(ctx, session, 'enroll', phone, factor, null, say(session, 'stillOnCall'));
  return callPage(ctx, session, 'enroll', phone, factor, null, endedMessage(session, 'enroll', events));
}
