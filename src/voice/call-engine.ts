import type { Kysely } from 'kysely';
import { resolveLocale } from '../channels/templates/message-templates.ts';
import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import { VerityError } from '../errors/verity-error.ts';
import { CallsStore } from '../store/calls-store.ts';
import { CheckFailuresStore } from '../store/check-failures-store.ts';
import { RateLimitStore } from '../store/rate-limit-store.ts';
import { redeemSendPass, type SendPass } from '../send-gate/send-gate.ts';
import type { CallRow, Database, ServiceRow, VerificationRow } from '../store/schema.ts';
import { ServicesStore } from '../store/services-store.ts';
import { VerificationsStore } from '../store/verifications-store.ts';
import { failureKey, lockoutDelayMs, sendBucketKey } from '../verify/limits.ts';
import { announce, recordVerificationChange } from '../verify/record-verification-change.ts';
import type { CallEnd, CallInstruction } from './call-script.ts';
import { CALL_PROMPTS } from './flows/call-prompts.ts';
import { INITIAL_STATE, hangUpAfter, say, type FlowFacts, type FlowState, type FlowTurn, type VoiceFlow } from './flows/call-flow.ts';
import { CALL_FLOWS } from './flows/flows.ts';
import { announceProgress, recordProgress } from './verification-progress.ts';
import type { CallEvents } from './voice-provider.ts';

/** A live call no provider has reported on for this long is ended as failed by the sweeper. */
export const STALE_CALL_MS = 15 * 60_000;

export class UnknownCallError extends Error {
  constructor(callSid: string) {
    super(`unknown call ${callSid}`);
    this.name = 'UnknownCallError';
  }
}

const secretContext = (callSid: string): string => `call:${callSid}`;

type Turn = { instruction: CallInstruction; changed?: VerificationRow | undefined };

/** Conversations of calls that belong to a factor rather than a verification (voiceprint enrolment and checks). */
export interface FactorCallHandler {
  answered(call: CallRow): Promise<CallInstruction>;
  digits(call: CallRow, digits: string): Promise<CallInstruction>;
  recording(call: CallRow, wav: Buffer, state: FlowState): Promise<{ instruction: CallInstruction; state: FlowState }>;
}

/** The flows of factor calls. */
export type FactorCallFlow = 'voiceprint_enroll' | 'voiceprint_verify';

/**
 * Runs verification calls: places them through the configured voice provider and turns what the
 * provider reports (CallEvents) into the flow's next instruction, the verification's outcome and
 * its progress events. Each event is one transaction that locks the verification row first (its
 * progress counter) and then reads the call, so concurrent reports about one call are serialized.
 */
export class CallEngine implements CallEvents {
  /** Set once at wiring (create-context.ts): the voiceprint calls' conversations. */
  factorCalls: FactorCallHandler | undefined;

  constructor(private readonly ctx: AppContext) {}

  /**
   * Places a call for a factor (voiceprint enrolment or check); it has no verification and no progress
   * stream. `pass` is the send gate's permission for this call.
   */
  async startFactorCall(pass: SendPass, input: { service: ServiceRow; destination: string; flow: FactorCallFlow; factorSid: string; challengeSid: string | null }): Promise<CallRow> {
    const { ctx } = this;
    const provider = ctx.voice.provider;
    if (!provider) throw new VerityError(60223, 'Delivery channel disabled: no voice provider is configured');
    redeemSendPass(pass, { to: input.destination, medium: 'call', serviceSid: input.service.sid });
    await this.assertNoLiveCall(input.destination);
    const now = ctx.clock.now();
    const sid = newSid('CL');
    const call: CallRow = {
      sid,
      account_sid: input.service.account_sid,
      service_sid: input.service.sid,
      verification_sid: null,
      factor_sid: input.factorSid,
      challenge_sid: input.challengeSid,
      destination: input.destination,
      caller_id: ctx.config.voice.from,
      provider: provider.name,
      provider_call_id: null,
      flow: input.flow,
      flow_state: JSON.stringify(INITIAL_STATE),
      secret_sealed: seal(ctx.keyring, '', secretContext(sid)),
      status: 'queued',
      active: 1,
      end_reason: null,
      date_answered: null,
      date_ended: null,
      date_created: now,
      date_updated: now,
    };
    if (!(await new CallsStore(ctx.db.kysely).insertLive(call))) throw liveCallError();
    try {
      const { providerCallId } = await provider.placeCall({ callSid: sid, verificationSid: input.factorSid, to: input.destination, from: call.caller_id, ringTimeoutSeconds: ctx.config.voice.ringTimeoutSeconds, flash: false });
      return (await new CallsStore(ctx.db.kysely).update(sid, { provider_call_id: providerCallId, date_updated: ctx.clock.now() })) ?? call;
    } catch (error) {
      await new CallsStore(ctx.db.kysely).end(sid, 'failed', 'the provider did not place the call', ctx.clock.now());
      throw new VerityError(30008, `Delivery failed: the voice provider did not place the call (${provider.name})`, { cause: error });
    }
  }

  /** The factor call `callSid`, or undefined when it belongs to a verification. */
  private async factorCall(callSid: string): Promise<CallRow | undefined> {
    const call = await new CallsStore(this.ctx.db.kysely).find(callSid);
    if (!call) throw new UnknownCallError(callSid);
    return call.verification_sid === null ? call : undefined;
  }

  private handlerFor(call: CallRow): FactorCallHandler {
    if (!this.factorCalls || call.active !== 1) throw new UnknownCallError(call.sid);
    return this.factorCalls;
  }

  /** Refuses a call to a number that already has one live (a second call would confuse the caller). */
  async assertNoLiveCall(destination: string): Promise<void> {
    if (await new CallsStore(this.ctx.db.kysely).liveFor(destination)) throw liveCallError();
  }

  /**
   * Places the call of `verification`; `secret` is the code to speak or the digits to expect. `pass`
   * is the send gate's permission for this call.
   */
  async startCall(pass: SendPass, verification: VerificationRow, flow: VoiceFlow, secret: string, callerId: string, ringTimeoutSeconds: number): Promise<CallRow> {
    const { ctx } = this;
    const provider = ctx.voice.provider;
    if (!provider) throw new VerityError(60223, 'Delivery channel disabled: no voice provider is configured');
    redeemSendPass(pass, { to: verification.destination, medium: 'call', serviceSid: verification.service_sid });
    const now = ctx.clock.now();
    const sid = newSid('CL');
    const call: CallRow = {
      sid,
      account_sid: verification.account_sid,
      service_sid: verification.service_sid,
      verification_sid: verification.sid,
      factor_sid: null,
      challenge_sid: null,
      destination: verification.destination,
      caller_id: callerId,
      provider: provider.name,
      provider_call_id: null,
      flow,
      flow_state: JSON.stringify(INITIAL_STATE),
      secret_sealed: seal(ctx.keyring, secret, secretContext(sid)),
      status: 'queued',
      active: 1,
      end_reason: null,
      date_answered: null,
      date_ended: null,
      date_created: now,
      date_updated: now,
    };
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await recordProgress(ctx, trx, verification, 'queued', sid, { flow, provider: provider.name });
      if (!(await new CallsStore(trx).insertLive(call))) throw liveCallError();
    });
    announceProgress(ctx, verification.sid);
    try {
      const { providerCallId } = await provider.placeCall({ callSid: sid, verificationSid: verification.sid, to: verification.destination, from: callerId, ringTimeoutSeconds, flash: flow === 'flash' });
      return (await new CallsStore(ctx.db.kysely).update(sid, { provider_call_id: providerCallId, date_updated: ctx.clock.now() })) ?? call;
    } catch (error) {
      await this.ended(sid, 'failed', 'the provider did not place the call');
      throw error;
    }
  }

  async ringing(callSid: string): Promise<void> {
    const factorCall = await this.factorCall(callSid);
    if (factorCall) {
      if (factorCall.status === 'queued') await new CallsStore(this.ctx.db.kysely).update(callSid, { status: 'ringing', date_updated: this.ctx.clock.now() });
      return;
    }
    await this.inCall(callSid, async (trx, call, verification) => {
      if (call.status !== 'queued') return;
      await recordProgress(this.ctx, trx, verification, 'ringing', call.sid);
      await new CallsStore(trx).update(call.sid, { status: 'ringing', date_updated: this.ctx.clock.now() });
    });
  }

  async answered(callSid: string): Promise<CallInstruction> {
    const factorCall = await this.factorCall(callSid);
    if (factorCall) {
      if (factorCall.active !== 1) return hangUpAfter([]);
      const now = this.ctx.clock.now();
      await new CallsStore(this.ctx.db.kysely).update(callSid, { status: 'in-progress', date_answered: now, date_updated: now });
      return this.handlerFor(factorCall).answered(factorCall);
    }
    return this.turn(callSid, async (trx, call, verification, facts) => {
      const now = this.ctx.clock.now();
      await recordProgress(this.ctx, trx, verification, 'answered', call.sid);
      await new CallsStore(trx).update(call.sid, { status: 'in-progress', date_answered: now, date_updated: now });
      return CALL_FLOWS[call.flow as VoiceFlow].start(facts);
    });
  }

  async digits(callSid: string, digits: string): Promise<CallInstruction> {
    const factorCall = await this.factorCall(callSid);
    if (factorCall) return factorCall.active === 1 ? this.handlerFor(factorCall).digits(factorCall, digits) : hangUpAfter([]);
    return this.turn(callSid, async (trx, call, verification, facts) => {
      // How many keys, never which: the digits may be the code.
      await recordProgress(this.ctx, trx, verification, 'digits_received', call.sid, { count: digits.length, timeout: digits === '' });
      const state = JSON.parse(call.flow_state) as FlowState;
      return CALL_FLOWS[call.flow as VoiceFlow].digits(facts, state, digits);
    });
  }

  /** Recordings belong to voiceprint calls; a verification's flow never records, so it ends politely. */
  async recording(callSid: string, wav: Buffer): Promise<CallInstruction> {
    const factorCall = await this.factorCall(callSid);
    if (factorCall) {
      if (factorCall.active !== 1) return hangUpAfter([]);
      const turn = await this.handlerFor(factorCall).recording(factorCall, wav, JSON.parse(factorCall.flow_state) as FlowState);
      await new CallsStore(this.ctx.db.kysely).update(callSid, { flow_state: JSON.stringify(turn.state), date_updated: this.ctx.clock.now() });
      return turn.instruction;
    }
    return this.turn(callSid, async (_trx, _call, _verification, facts) => ({
      instruction: hangUpAfter([say(CALL_PROMPTS[facts.locale].noLongerValid, facts.locale)]),
      state: INITIAL_STATE,
    }));
  }

  async ended(callSid: string, how: CallEnd, detail?: string): Promise<void> {
    if (await this.factorCall(callSid)) {
      await new CallsStore(this.ctx.db.kysely).end(callSid, how, detail ?? null, this.ctx.clock.now());
      return;
    }
    const ended = await this.inCall(callSid, async (trx, call, verification) => {
      // Ends are reported once, however often a provider repeats them.
      if (call.active !== 1) return undefined;
      await recordProgress(this.ctx, trx, verification, how, callSid, detail ? { reason: detail } : {});
      return new CallsStore(trx).end(callSid, how, detail ?? null, this.ctx.clock.now());
    });
    if (ended) this.ctx.metrics.deliveries.inc({ channel: 'call', provider: ended.provider, outcome: how });
  }

  /** Hangs up the live calls of a verification that ended some other way (canceled, approved by code). */
  async hangUpCallsOf(verificationSid: string): Promise<void> {
    const provider = this.ctx.voice.provider;
    for (const call of await new CallsStore(this.ctx.db.kysely).listForVerification(verificationSid)) {
      if (call.active !== 1 || !provider || !call.provider_call_id) continue;
      try {
        await provider.hangup(call.sid, call.provider_call_id);
      } catch (error) {
        this.ctx.logger.warn({ err: error, callSid: call.sid }, 'hanging up a call failed');
      }
    }
  }

  /** Ends live calls whose provider went silent, so no call stays live (and blocks its number) forever. */
  async sweepStaleCalls(): Promise<number> {
    const stale = await new CallsStore(this.ctx.db.kysely).findStale(this.ctx.clock.now() - STALE_CALL_MS, 100);
    for (const call of stale) await this.ended(call.sid, 'failed', 'no report from the provider');
    return stale.length;
  }

  /** Runs `work` in a transaction with the call and its verification; the verification row is locked first. */
  private async inCall<T>(callSid: string, work: (trx: Kysely<Database>, call: CallRow, verification: VerificationRow) => Promise<T>): Promise<T> {
    const { ctx } = this;
    const known = await new CallsStore(ctx.db.kysely).find(callSid);
    const verificationSid = known?.verification_sid;
    if (!known || !verificationSid) throw new UnknownCallError(callSid);
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const verification = await new VerificationsStore(trx).findForUpdate(known.service_sid, verificationSid, ctx.db.dialect);
      const call = await new CallsStore(trx).findForUpdate(callSid, ctx.db.dialect);
      if (!verification || !call) throw new UnknownCallError(callSid);
      return work(trx, call, verification);
    });
    announceProgress(ctx, verificationSid);
    return result;
  }

  /**
   * One step of the conversation: the flow's answer to an event, applied to the verification. A call
   * whose verification is no longer pending (expired, canceled, decided) is told so and hung up.
   */
  private async turn(callSid: string, step: (trx: Kysely<Database>, call: CallRow, verification: VerificationRow, facts: FlowFacts) => Promise<FlowTurn>): Promise<CallInstruction> {
    const { ctx } = this;
    const result = await this.inCall<Turn>(callSid, async (trx, call, verification) => {
      const service = await new ServicesStore(trx).find(call.account_sid, call.service_sid);
      const facts = this.factsOf(call, verification, service);
      const now = ctx.clock.now();
      if (call.active !== 1) return { instruction: hangUpAfter([]) };
      let changed: VerificationRow | undefined;
      if (verification.status === 'pending' && verification.expires_at <= now) {
        changed = await new VerificationsStore(trx).completePending(verification.sid, 'expired', now);
        if (changed) await recordVerificationChange(ctx, trx, changed);
      }
      if (verification.status !== 'pending' || changed) {
        await recordProgress(ctx, trx, verification, 'prompt_played', call.sid, { prompts: 1, reason: 'no_longer_pending' });
        return { instruction: hangUpAfter([say(CALL_PROMPTS[facts.locale].noLongerValid, facts.locale)]), changed };
      }
      const turn = await step(trx, call, verification, facts);
      await new CallsStore(trx).update(call.sid, { flow_state: JSON.stringify(turn.state), date_updated: now });
      if (turn.note === 'wrong_digits') await this.countFailure(trx, verification, now);
      if (turn.outcome) changed = await this.decide(trx, verification, turn, now);
      const prompts = turn.instruction.prompts.length + (turn.instruction.then.kind === 'hangup' ? 0 : turn.instruction.then.prompt.length);
      await recordProgress(ctx, trx, verification, 'prompt_played', call.sid, { prompts, ...(turn.note ? { note: turn.note } : {}) });
      return { instruction: turn.instruction, changed };
    });
    if (result.changed) announce(ctx, result.changed);
    return result.instruction;
  }

  /** Applies the call's decision to the verification, as a code check would. */
  private async decide(trx: Kysely<Database>, verification: VerificationRow, turn: FlowTurn, now: number): Promise<VerificationRow | undefined> {
    const outcome = turn.outcome;
    if (!outcome) return undefined;
    const decided = await new VerificationsStore(trx).completePending(verification.sid, outcome, now, outcome === 'failed' ? { failure_code: 60202 } : {});
    if (!decided) return undefined;
    if (outcome === 'approved') {
      await new CheckFailuresStore(trx).clear(failureKey(verification.service_sid, verification.destination));
      await new RateLimitStore(trx, this.ctx.db.dialect).reset(sendBucketKey(verification.service_sid, verification.destination, verification.requester));
    }
    // Also records the outcome on the progress stream.
    await recordVerificationChange(this.ctx, trx, decided);
    return decided;
  }

  /** A wrong code keyed in counts toward the destination's lock-out, like a wrong code checked. */
  private async countFailure(trx: Kysely<Database>, verification: VerificationRow, now: number): Promise<void> {
    const failures = new CheckFailuresStore(trx);
    const key = failureKey(verification.service_sid, verification.destination);
    const delay = lockoutDelayMs(await failures.recordFailure(key, now));
    if (delay > 0) await failures.lock(key, now + delay);
  }

  private factsOf(call: CallRow, verification: VerificationRow, service: ServiceRow | undefined): FlowFacts {
    return {
      serviceName: verification.custom_friendly_name ?? service?.friendly_name ?? 'Verity',
      locale: resolveLocale(verification.locale ?? service?.default_locale),
      secret: unseal(this.ctx.keyring, call.secret_sealed, secretContext(call.sid)),
      amount: verification.amount,
      payee: verification.payee,
    };
  }
}

function liveCallError(): VerityError {
  return new VerityError(60212, 'Too many concurrent requests for phone number: a call to this number is still in progress');
}
