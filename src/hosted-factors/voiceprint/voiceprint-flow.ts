import type { AppContext } from '../../context.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { AMR_BY_FACTOR_TYPE, createChallenge, DEFAULT_CHALLENGE_TTL_MS, MAX_CHALLENGE_ATTEMPTS } from '../../factors/challenges.ts';
import { voiceprintFailureKey } from '../../factors/voiceprint-factor/biometric-lockout.ts';
import { respondWithRecording } from '../../factors/voiceprint-factor/voiceprint-challenge.ts';
import { addEnrollmentRecording, createVoiceprintFactor, ENROLLMENT_RECORDINGS, voiceprintConfig } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { renderVoiceprintNotice, renderVoiceprintRecorder } from './voiceprint-pages.ts';
import { sessionReturnPath } from '../../handoff/session-links.ts';
import type { PageLocale } from '../../i18n/locales.ts';
import { translate, waitParams, type MessageKey, type MessageParams } from '../../i18n/translator.ts';
import type { EntityRow, FactorRow } from '../../store/schema.ts';
import { HandoffPageError, requireEnrollment, sessionCompleted, type HandoffSession } from '../../handoff/handoff-session.ts';
import { chooserAgain } from '../chooser.ts';
import { finish } from '../finish.ts';
import { sessionService, usableSession, type Submission } from '../hosted-flow.ts';

/**
 * The phrase a voiceprint enrolled on these pages is recorded with, in English (kept in the factor's
 * metadata, so the sign-in page shows it). The engine is text-dependent: the same words each time.
 */
export const HOSTED_PASS_PHRASE = translate('en', 'voiceprint.passPhrase');

/** The phrase a new voiceprint is set up with in the page's language (sign-in shows the stored one). */
const hostedPassPhrase = (locale: PageLocale | undefined): string => translate(locale, 'voiceprint.passPhrase');

type VoiceprintMessageKey = MessageKey<'voiceprint'>;

/** A message of the voice pages in the session's language. */
const say = (session: HandoffSession, key: VoiceprintMessageKey, params?: MessageParams): string => translate(session.locale, `voiceprint.${key}`, params);

/** Where the recording page uploads its WAV (audio/wav body, sealed session in HANDOFF_SESSION_HEADER). */
export const VOICEPRINT_UPLOAD_PATH = '/handoff/voiceprint/recording';
export const VOICEPRINT_ENROLL_UPLOAD_PATH = '/handoff/enroll/voiceprint/recording';
/** The enrollment hub the page returns to when the voiceprint is made. */
export const ENROLLMENT_HUB_PATH = '/handoff/enroll';

/**
 * What an upload answers, as JSON to the page's script: the result URL to go to, or a message to
 * show with the session to carry on (`retry`: whether another take may be recorded here).
 */
export type RecordingAnswer =
  | { kind: 'result'; location: string }
  | { kind: 'message'; session: HandoffSession; message: string; retry: boolean }
  /** An enrolment take was kept: `accepted` of `needed`. */
  | { kind: 'progress'; session: HandoffSession; accepted: number; needed: number; message?: string | undefined; prompt?: string | undefined }
  /** The voiceprint is made: back to the enrollment hub. */
  | { kind: 'enrolled'; session: HandoffSession; message: string };

/** What the user can fix, per quality problem of the engine (src/factors/voiceprint/quality). */
const QUALITY_ADVICE: Record<string, VoiceprintMessageKey> = {
  too_short: 'tooShort',
  too_quiet: 'tooQuiet',
  clipped: 'clipped',
  too_noisy: 'tooNoisy',
  mostly_silence: 'mostlySilence',
  digits_unclear: 'digitsUnclear',
};

/** What to fix in a refused recording, in the page's language (an unknown problem keeps the engine's own words). */
export function qualityAdvice(error: { details: Record<string, unknown> | undefined }, locale?: PageLocale): string {
  const problems = (error.details as { problems?: Array<{ code: string; message: string }> } | undefined)?.problems ?? [];
  const advice = [
    ...new Set(
      problems.map((p) => {
        const key = QUALITY_ADVICE[p.code];
        return key ? translate(locale, `voiceprint.${key}`) : p.message;
      }),
    ),
  ];
  return advice.length > 0 ? advice.join(' ') : translate(locale, 'voiceprint.unusable');
}

/** The phrase to show for a factor: the one it was enrolled with here, if it was. */
function phraseOf(factor: FactorRow): string | undefined {
  const metadata = factor.metadata ?? {};
  return typeof metadata['pass_phrase'] === 'string' ? metadata['pass_phrase'] : undefined;
}

async function voiceprintFactor(ctx: AppContext, entity: EntityRow, factorSid: string | undefined): Promise<FactorRow | undefined> {
  const factor = factorSid && /^YF[0-9a-f]{32}$/.test(factorSid) ? await ctx.stores.factors.find(entity.sid, factorSid) : undefined;
  return factor?.factor_type === 'voiceprint' ? factor : undefined;
}

const waitText = (session: HandoffSession, seconds: number): string => say(session, 'wait', waitParams(seconds));

/** " Try again in …" when the refusal says when. */
const retryIn = (session: HandoffSession, error: { retryAfterSeconds: number | undefined }): string =>
  error.retryAfterSeconds === undefined ? '' : say(session, 'retryIn', { wait: waitText(session, error.retryAfterSeconds) });

/**
 * "Use your voice": opens a voiceprint challenge for this session (or keeps the pending one, so its
 * attempt limit holds) and answers the recording page. A factor paused after too many mismatches
 * sends the user back to the chooser with the time to wait.
 */
export async function startVoiceprint(ctx: AppContext, session: HandoffSession, factorSid: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  if (!session.request.factors.includes('voiceprint')) throw new HandoffPageError(400, say(session, 'notAccepted'), { locale: session.locale });
  const factor = await voiceprintFactor(ctx, entity, factorSid);
  if (!factor || factor.status !== 'verified') throw new HandoffPageError(400, say(session, 'notPart'), { locale: session.locale });
  if (!ctx.voiceprints) return chooserAgain(ctx, session, say(session, 'unavailableNow'));
  const now = ctx.clock.now();
  const lockedUntil = await ctx.stores.checkFailures.lockedUntil(voiceprintFailureKey(factor.sid));
  if (lockedUntil > now) {
    return chooserAgain(ctx, session, say(session, 'pausedFor', { wait: waitText(session, Math.ceil((lockedUntil - now) / 1000)) }));
  }

  let challengeSid = session.voiceprint?.factorSid === factor.sid ? session.voiceprint.challengeSid : undefined;
  const open = challengeSid ? await ctx.stores.challenges.find(entity.sid, challengeSid) : undefined;
  // Digits mode: the challenge's own digits (a retry on the same challenge says the same ones).
  let prompt = open?.details.prompt;
  if (!open || open.status !== 'pending' || open.expiration_date <= now || open.attempts >= MAX_CHALLENGE_ATTEMPTS) {
    const service = await sessionService(ctx, session);
    try {
      const expiresAt = Math.min(session.expiresAt, now + DEFAULT_CHALLENGE_TTL_MS);
      const created = await createChallenge(ctx, service, entity, { factorSid: factor.sid, expirationDate: new Date(expiresAt).toISOString(), message: `Sign in to ${session.appName}`.slice(0, 256) });
      challengeSid = created.sid;
      prompt = created.details.prompt;
    } catch (error) {
      if (isDomainError(error, 'voiceprint_challenge_limit')) return chooserAgain(ctx, session, say(session, 'tooManyChecks'));
      throw error;
    }
  }
  const next: HandoffSession = { ...session, voiceprint: { factorSid: factor.sid, challengeSid: challengeSid as string } };
  const phrase = phraseOf(factor);
  return {
    kind: 'page',
    session: next,
    script: true,
    render: (sealed) => renderVoiceprintRecorder({ mode: 'verify', appName: session.appName, session: sealed, phrase, prompt, uploadPath: VOICEPRINT_UPLOAD_PATH, leave: sessionReturnPath(session.id), locale: session.locale }),
  };
}

async function attemptsLeft(ctx: AppContext, entity: EntityRow, challengeSid: string): Promise<number> {
  const row = await ctx.stores.challenges.find(entity.sid, challengeSid);
  return row && row.status === 'pending' ? Math.max(0, MAX_CHALLENGE_ATTEMPTS - row.attempts) : 0;
}

const attemptsText = (session: HandoffSession, left: number): string => say(session, 'attemptsLeft', { left });

/**
 * One recording answering the session's voiceprint challenge, checked by the voiceprint factor
 * (quality gates, replay defence, biometric lock-out): a match issues the result (amr ["vbm"]); any
 * other outcome is a specific message, with whether the user may record again.
 */
export async function submitVoiceprintRecording(ctx: AppContext, session: HandoffSession, wav: Uint8Array): Promise<RecordingAnswer> {
  const entity = await usableSession(ctx, session);
  const open = session.voiceprint;
  if (!open || !session.request.factors.includes('voiceprint')) throw new HandoffPageError(400, say(session, 'noCheck'), { locale: session.locale });
  const service = await sessionService(ctx, session);
  const stop = (message: string): RecordingAnswer => ({ kind: 'message', session: { ...session, voiceprint: undefined }, message, retry: false });
  const again = (message: string): RecordingAnswer => ({ kind: 'message', session, message, retry: true });
  let answered;
  try {
    answered = await respondWithRecording(ctx, service, entity, open.challengeSid, wav);
  } catch (error) {
    if (isDomainError(error, 'recording_rejected')) {
      const left = await attemptsLeft(ctx, entity, open.challengeSid);
      return (left === 0 ? stop : again)(`${qualityAdvice(error, session.locale)} ${attemptsText(session, left)}`);
    }
    if (isDomainError(error, 'invalid_recording')) return again(say(session, 'unreadableVerify'));
    if (isDomainError(error, 'voiceprint_locked')) return stop(say(session, 'paused', { retry: retryIn(session, error) }));
    if (isDomainError(error, 'challenge_attempts_exhausted', 'entity_locked')) return stop(say(session, 'tooManyRecordings'));
    if (isDomainError(error, 'wrong_state')) return stop(say(session, 'expired'));
    if (isDomainError(error, 'not_applicable')) return stop(say(session, 'unavailableNow'));
    if (error instanceof VerityError && error.status === 404) return stop(say(session, 'gone'));
    throw error;
  }
  const { outcome } = answered;
  if (outcome.decision === 'match') {
    const done = await finish(ctx, session, AMR_BY_FACTOR_TYPE.voiceprint ?? ['vbm']);
    if (done.kind !== 'result') throw new Error('finish() answers a result');
    return { kind: 'result', location: done.location };
  }
  if (outcome.reasons.includes('replay_suspected')) {
    return stop(say(session, 'replay'));
  }
  const locked = (await ctx.stores.checkFailures.lockedUntil(voiceprintFailureKey(open.factorSid))) - ctx.clock.now();
  if (locked > 0) return stop(say(session, 'mismatchLocked', { wait: waitText(session, Math.ceil(locked / 1000)) }));
  const left = await attemptsLeft(ctx, entity, open.challengeSid);
  if (left === 0) return stop(say(session, 'mismatchNoneLeft', { attempts: attemptsText(session, 0) }));
  return again(say(session, outcome.reasons.includes('digits_mismatch') ? 'digitsMismatch' : 'mismatchAgain', { attempts: attemptsText(session, left) }));
}

/** The entity an enrollment session may add a factor to. */
async function enrollmentEntity(ctx: AppContext, session: HandoffSession): Promise<EntityRow | undefined> {
  requireEnrollment(session);
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, say(session, 'setupCompleted'), { locale: session.locale });
  if (!session.request.factors.includes('voiceprint')) throw new HandoffPageError(400, say(session, 'notOffered'), { locale: session.locale });
  const entity = await ctx.stores.entities.find(session.request.serviceSid, session.request.subject);
  if (entity && session.entitySid !== undefined && entity.sid !== session.entitySid) throw new HandoffPageError(403, say(session, 'setupAccountChanged'), { locale: session.locale });
  return entity;
}

/**
 * `POST /handoff/enroll/voiceprint`: creates the unverified voiceprint factor (or resumes the one of
 * this session) and answers the recording page for its takes. The factor refuses to exist as the
 * user's only one (60300), shown as a clear message with the way back to the set-up page.
 */
export async function startVoiceprintEnrollment(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const entity = await enrollmentEntity(ctx, session);
  const notice = (message: string, status = 200): Submission => ({
    kind: 'page',
    session,
    status,
    render: (sealed) => renderVoiceprintNotice({ appName: session.appName, session: sealed, message, hubPath: ENROLLMENT_HUB_PATH, locale: session.locale }),
  });
  if (!entity) return notice(say(session, 'needsAnotherFactor'), 409);
  const resumed = await voiceprintFactor(ctx, entity, session.voiceprintEnrollment?.factorSid);
  let factor = resumed?.status === 'unverified' ? resumed : undefined;
  if (!factor) {
    const service = await sessionService(ctx, session);
    try {
      factor = await createVoiceprintFactor(ctx, service, entity, { friendlyName: say(session, 'friendlyName'), metadata: { pass_phrase: hostedPassPhrase(session.locale) } });
    } catch (error) {
      if (isDomainError(error, 'not_applicable')) return notice(say(session, ctx.voiceprints ? 'needsAnotherFactor' : 'unavailable'), 409);
      if (error instanceof VerityError && error.status === 429) return notice(say(session, 'tooManyFactors'), 429);
      throw error;
    }
  }
  const next: HandoffSession = { ...session, voiceprintEnrollment: { factorSid: factor.sid } };
  const config = voiceprintConfig(factor);
  return {
    kind: 'page',
    session: next,
    script: true,
    render: (sealed) =>
      renderVoiceprintRecorder({
        mode: 'enroll',
        appName: session.appName,
        session: sealed,
        phrase: phraseOf(factor) ?? hostedPassPhrase(session.locale),
        prompt: config.prompt ?? undefined,
        uploadPath: VOICEPRINT_ENROLL_UPLOAD_PATH,
        leave: sessionReturnPath(session.id),
        progress: { accepted: config.recordings_accepted, needed: config.recordings_needed || ENROLLMENT_RECORDINGS },
        hubPath: ENROLLMENT_HUB_PATH,
        locale: session.locale,
      }),
  };
}

/** One enrolment take: kept (progress), refused with what to fix, or the last one that makes the voiceprint. */
export async function submitEnrollmentRecording(ctx: AppContext, session: HandoffSession, wav: Uint8Array): Promise<RecordingAnswer> {
  const entity = await enrollmentEntity(ctx, session);
  const factor = entity ? await voiceprintFactor(ctx, entity, session.voiceprintEnrollment?.factorSid) : undefined;
  if (!factor) throw new HandoffPageError(400, say(session, 'noSetup'), { locale: session.locale });
  const done: RecordingAnswer = { kind: 'enrolled', session: { ...session, voiceprintEnrollment: undefined }, message: say(session, 'setUpDone') };
  if (factor.status === 'verified') return done;
  const service = await sessionService(ctx, session);
  const config = voiceprintConfig(factor);
  const retry = (message: string): RecordingAnswer => ({ kind: 'progress', session, accepted: config.recordings_accepted, needed: config.recordings_needed, message, prompt: config.prompt ?? undefined });
  let progress;
  try {
    progress = await addEnrollmentRecording(ctx, service, factor, wav);
  } catch (error) {
    if (isDomainError(error, 'recording_rejected')) return retry(qualityAdvice(error, session.locale));
    if (isDomainError(error, 'invalid_recording')) return retry(say(session, 'unreadableEnroll'));
    if (isDomainError(error, 'wrong_state')) return done;
    if (isDomainError(error, 'not_applicable')) return { kind: 'message', session, message: say(session, 'unavailable'), retry: false };
    throw error;
  }
  if (progress.factor.status === 'verified') return done;
  const now = voiceprintConfig(progress.factor);
  const message = progress.problem ? say(session, 'dropped') : undefined;
  return { kind: 'progress', session, accepted: now.recordings_accepted, needed: now.recordings_needed, message, prompt: now.prompt ?? undefined };
}
