import { VOICEPRINTS_UNAVAILABLE } from '../../config/voiceprint-config.ts';
import { PAGE_LOCALES, resolveLocale, type Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translator.ts';
import type { AppContext } from '../../context.ts';
import { DomainError, isDomainError, isRefusal } from '../../errors/domain-error.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import type { CallRow, ChallengeRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { serviceCountries } from '../../services/service-settings.ts';
import { parseDestination, type Destination } from '../../verify/destination.ts';
import type { CallInstruction, Prompt } from '../../voice/call-script.ts';
import type { FactorCallHandler } from '../../voice/factor-calls/factor-call-engine.ts';
import { CALL_PROMPTS } from '../../voice/flows/call-prompts.ts';
import { hangUpAfter, say, type FlowState } from '../../voice/flows/call-flow.ts';
import { respondWithRecording } from './voiceprint-challenge.ts';
import { digitsToSay } from './voiceprint-prompts.ts';
import { addEnrollmentRecording, voiceprintConfig } from './voiceprint-factor.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type VoiceprintCallsDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'sendGate' | 'stores' | 'voice' | 'voiceprints'>;

/** Recordings one call may take (bad ones included) before it gives up. */
const MAX_RECORDINGS_PER_CALL = 6;
/** Mismatches allowed on one verification call before it hangs up. */
const MAX_MISMATCHES_PER_CALL = 2;

/** Whether the factor is checked with prompted digits (`Voiceprint.Mode` digits) rather than its pass phrase. */
const isDigitsMode = (factor: FactorRow): boolean => (JSON.parse(factor.config) as { mode?: string }).mode === 'digits';

/** A refusal's stable code for the progress events (locked, expired…), never its message. */
const refusalCode = (error: unknown): string => (error instanceof DomainError ? error.reason : 'refused');

const record = (prompts: Prompt[]): CallInstruction => ({ prompts: [], then: { kind: 'record', prompt: prompts, maxSeconds: 8, silenceSeconds: 2 } });

/**
 * Places the call that enrols a voiceprint (`voiceprint_enroll`: the pass phrase three times) or
 * answers a voiceprint challenge (`voiceprint_verify`: once, a second try on a mismatch). The call
 * belongs to the factor (and challenge), not to a verification; the recordings go through the same
 * checks as uploaded ones. Like every outbound call it passes the send gate (country allow-list,
 * per-destination budget shared with verifications, prefix cap, account budget) before it is placed.
 */
export async function startVoiceprintCall(ctx: VoiceprintCallsDeps, service: ServiceRow, input: VoiceprintCallInput): Promise<CallRow> {
  const destination = await assertVoiceprintCallPossible(ctx, input);
  const pass = await ctx.sendGate.admit({ accountSid: service.account_sid, serviceSid: service.sid, allowedCountries: serviceCountries(service), destination, channel: 'call', feature: 'voiceprint_call' });
  return ctx.voice.engine.factors.startFactorCall(pass, {
    service,
    destination: destination.address,
    flow: input.challenge ? 'voiceprint_verify' : 'voiceprint_enroll',
    factorSid: input.factor.sid,
    challengeSid: input.challenge?.sid ?? null,
  });
}

interface VoiceprintCallInput {
  to: string;
  factor: FactorRow;
  challenge: ChallengeRow | undefined;
}

/**
 * The refusals of a voiceprint call that cost nothing (voiceprints off, a challenge no longer
 * pending, a factor already enrolled, no voice provider, a call already live on the number): the
 * hosted pages check them before they spend the session's send budget.
 */
export async function assertVoiceprintCallPossible(ctx: VoiceprintCallsDeps, input: VoiceprintCallInput): Promise<Extract<Destination, { kind: 'phone' }>> {
  // Voiceprints off (VERITY_VOICEPRINT) or no models: refused before a call is paid for.
  if (!ctx.voiceprints) throw new DomainError('not_applicable', `Invalid Param: ${VOICEPRINTS_UNAVAILABLE}`);
  const destination = parseDestination(input.to);
  if (destination.kind !== 'phone') throw invalidParameter('To', 'expected a phone number');
  if (input.challenge && input.challenge.status !== 'pending') throw new DomainError('wrong_state', `Invalid Request: the challenge is already ${input.challenge.status}`);
  if (input.challenge && input.challenge.expiration_date <= ctx.clock.now()) throw new DomainError('wrong_state', 'Invalid Request: the challenge has expired');
  if (!input.challenge && input.factor.status === 'verified') throw new DomainError('wrong_state', 'Invalid Request: this voiceprint is already enrolled');
  // Refusals that spend nothing come first: no provider, a call already live on this number.
  if (!ctx.voice.provider) throw new DomainError('channel_disabled', 'Delivery channel disabled: no voice provider is configured');
  await ctx.voice.engine.assertNoLiveCall(destination.address);
  return destination;
}

/** Runs the voiceprint calls' conversations for the call engine. */
export function voiceprintCallHandler(ctx: VoiceprintCallsDeps): FactorCallHandler {
  const context = async (call: CallRow) => {
    const service = await ctx.stores.services.find(call.account_sid, call.service_sid);
    const factor = call.factor_sid ? await ctx.stores.factors.findBySid(call.factor_sid) : undefined;
    const locale: Locale = resolveLocale(service?.default_locale);
    return { service, factor, locale, p: CALL_PROMPTS[locale] };
  };
  /** What to say now: the pass phrase, or in digits mode the digits of the challenge (or the enrolment's next prompt). */
  const askFor = async (call: CallRow, factor: FactorRow, locale: Locale, p: (typeof CALL_PROMPTS)[Locale]): Promise<Prompt[]> => {
    const challenge = call.challenge_sid ? await ctx.stores.challenges.findBySid(call.challenge_sid) : undefined;
    const digits = digitsToSay(factor, challenge);
    if (digits === undefined) return [say(p.sayPassPhrase, locale)];
    // The digits sentence is in the page languages; other call languages hear it in English.
    const spoken: Locale = (PAGE_LOCALES as readonly string[]).includes(locale) ? locale : 'en';
    return [say(translate(spoken, 'voicecall.sayDigits', { digits }), spoken)];
  };
  return {
    async answered(call) {
      const { factor, locale, p } = await context(call);
      if (!factor) return hangUpAfter([say(p.noLongerValid, locale)]);
      return record(await askFor(call, factor, locale, p));
    },
    async digits(call) {
      const { factor, locale, p } = await context(call);
      if (!factor) return hangUpAfter([say(p.noLongerValid, locale)]);
      return record(await askFor(call, factor, locale, p));
    },
    async recording(call, wav, state: FlowState) {
      const { service, factor, locale, p } = await context(call);
      const gone = { event: 'failed' as const, reason: 'no_longer_valid' };
      if (!service || !factor) return { instruction: hangUpAfter([say(p.noLongerValid, locale)]), state, progress: { outcome: gone } };
      const recordings = state.repeats + 1;
      const next = { ...state, repeats: recordings };
      const last = recordings >= MAX_RECORDINGS_PER_CALL;
      const again = async (text: string, current: FactorRow = factor): Promise<CallInstruction> => {
        if (last) return hangUpAfter([say(p.noInput, locale)]);
        if (!isDigitsMode(current)) return record([say(text, locale)]);
        // Digits mode: the digits to say (an enrolment's next prompt, or the challenge's own), after why if a take was unusable.
        return record([...(text === p.sayItAgain ? [] : [say(text, locale)]), ...(await askFor(call, current, locale, p))]);
      };
      // The call gives up after its last recording: a failed outcome, for the page to offer another way.
      const givenUp = last ? { event: 'failed' as const, reason: 'too_many_recordings' } : undefined;
      try {
        if (call.flow === 'voiceprint_enroll') {
          const progress = await addEnrollmentRecording(ctx, service, factor, wav);
          const config = voiceprintConfig(progress.factor);
          const scored = { decision: progress.problem ? 'refused' : 'kept', accepted: config.recordings_accepted, needed: config.recordings_needed };
          if (progress.factor.status === 'verified') return { instruction: hangUpAfter([say(p.voiceprintReady, locale)]), state: next, progress: { scored, outcome: { event: 'approved' as const } } };
          return { instruction: await again(progress.problem ? p.recordAgain : p.sayItAgain, progress.factor), state: next, progress: { scored, outcome: givenUp } };
        }
        const entity = await ctx.stores.entities.find(call.service_sid, factor.identity);
        if (!entity || !call.challenge_sid) return { instruction: hangUpAfter([say(p.noLongerValid, locale)]), state: next, progress: { outcome: gone } };
        const { outcome } = await respondWithRecording(ctx, service, entity, call.challenge_sid, wav);
        // The decision only: never the score or threshold (the events reach the user's browser).
        const scored = { decision: outcome.decision };
        if (outcome.decision === 'match') return { instruction: hangUpAfter([say(p.voiceMatched, locale)]), state: next, progress: { scored, outcome: { event: 'approved' as const } } };
        const mismatches = state.tries + 1;
        const replay = outcome.reasons.includes('replay_suspected');
        if (replay || mismatches >= MAX_MISMATCHES_PER_CALL) {
          return { instruction: hangUpAfter([say(p.voiceNotMatched, locale)]), state: { ...next, tries: mismatches }, progress: { scored, outcome: { event: 'denied' as const, reason: replay ? 'replay_suspected' : 'voice_mismatch' } } };
        }
        return { instruction: await again(p.recordAgain), state: { ...next, tries: mismatches }, progress: { scored, outcome: givenUp } };
      } catch (error) {
        // A poor recording is asked for again; anything else (locked, expired) ends the call.
        if (isDomainError(error, 'recording_rejected', 'invalid_recording')) {
          return { instruction: await again(p.recordAgain), state: next, progress: { scored: { decision: 'rejected', reason: 'quality' }, outcome: givenUp } };
        }
        if (isRefusal(error)) return { instruction: hangUpAfter([say(p.noLongerValid, locale)]), state: next, progress: { outcome: { event: 'failed' as const, reason: refusalCode(error) } } };
        throw error;
      }
    },
  };
}
