import type { Kysely } from 'kysely';
import { resolveLocale } from '../channels/templates/message-templates.ts';
import type { AppContext } from '../context.ts';
import { newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import { VerityError } from '../errors/verity-error.ts';
import { CallsStore } from '../store/calls-store.ts';
import { CheckFailuresStore } from '../store/check-failures-store.ts';
import { RateLimitStore } from '../store/rate-limit-store.ts';
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

/**
 * Runs verification calls: places them through the configured voice provider and turns what the
 * provider reports (CallEvents) into the flow's next instruction, the verification's outcome and
 * its progress events. Each event is one transaction that locks the verification row first (its
 * progress counter) and then reads the call, so concurrent reports about one call are serialized.
 */
export class CallEngine implements CallEvents {
  constructor(private readonly ctx: AppContext) {}

  /** Refuses a call to a number that already has one live (a second call would confuse the caller). */
  async assertNoLiveCall(destination: string): Promise<void> {
    if (await new CallsStore(this.ctx.db.kysely).liveFor(destination)) throw liveCallError();
  }

  /** Places the call of `verification`; `secret` is the code to speak or the digits to expect. */
  async startCall(verification: VerificationRow, flow: VoiceFlow, secret: string, callerId: string, ringTimeoutSeconds: number): Promise<CallRow> {
    const { ctx } = this;
    const provider = ctx.voice.provider;
    if (!provider) throw new VerityError(60223, 'Delivery channel disabled: no voice provider is configured');
    const now = ctx.clock.now();
    const sid = newSid('CL');
    const call: CallRow = {
      sid,
      account_sid: verification.account_sid,
      service_sid: verification.service_sid,
      verification_sid: verification.sid,
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
    await this.inCall(callSid, async (trx, call, verification) => {
      if (call.status !== 'queued') return;
      await recordProgress(this.ctx, trx, verification, 'ringing', call.sid);
      await new CallsStore(trx).update(call.sid, { status: 'ringing', date_updated: this.ctx.clock.now() });
    });
  }

  async answered(callSid: string): Promise<CallInstruction> {
    return this.turn(callSid, async (trx, call, verification, facts) => {
      const now = this.ctx.clock.now();
      await recordProgress(this.ctx, trx, verification, 'answered', call.sid);
      await new CallsStore(trx).update(call.sid, { status: 'in-progress', date_answered: now, date_updated: now });
      return CALL_FLOWS[call.flow as VoiceFlow].start(facts);
    });
  }

  async digits(callSid: string, digits: string): Promise<CallInstruction> {
    return this.turn(callSid, async (trx, call, verification, facts) => {
      // How many keys, never which: the digits may be the code.
      await recordProgress(this.ctx, trx, verification, 'digits_received', call.sid, { count: digits.length, timeout: digits === '' });
      const state = JSON.parse(call.flow_state) as FlowState;
      return CALL_FLOWS[call.flow as VoiceFlow].digits(facts, state, digits);
    });
  }

  /** No flow records yet (voice biometrics will); a recording ends the call politely. */
  async recording(callSid: string): Promise<CallInstruction> {
    return this.turn(callSid, async (_trx, _call, _verification, facts) => ({
      instruction: hangUpAfter([say(CALL_PROMPTS[facts.locale].noLongerValid, facts.locale)]),
      state: INITIAL_STATE,
    }));
  }

  async ended(callSid: string, how: CallEnd, detail?: string): Promise<void> {
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
    if (!known) throw new UnknownCallError(callSid);
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const verification = await new VerificationsStore(trx).findForUpdate(known.service_sid, known.verification_sid, ctx.db.dialect);
      const call = await new CallsStore(trx).findForUpdate(callSid, ctx.db.dialect);
      if (!verification || !call) throw new UnknownCallError(callSid);
      return work(trx, call, verification);
    });
    announceProgress(ctx, known.verification_sid);
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
      await new RateLimitStore(trx, this.ctx.db.dialect).reset(sendBucketKey(verification.service_sid, verification.destination));
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
