import type { Clock } from '../crypto/clock.ts';
import type { Stores } from '../store/unit-of-work.ts';
import type { CallRow } from '../store/schema.ts';
import type { CallEnd, CallInstruction } from './call-script.ts';
import type { FactorCallEngine } from './factor-calls/factor-call-engine.ts';
import { UnknownCallError, assertNoLiveCall } from './outbound-call.ts';
import type { VerificationCallEngine } from './verification-calls/verification-call-engine.ts';
import type { CallEvents } from './voice-provider.ts';

/** A live call no provider has reported on for this long is ended as failed by the sweeper. */
export const STALE_CALL_MS = 15 * 60_000;

/**
 * What providers report to (CallEvents): each report goes to the engine that placed the call, the
 * verification calls engine or the factor calls engine, told apart by the call's row. Also the
 * number's one-live-call rule and the sweep of calls whose provider went silent, which apply to both.
 */
export class CallRouter implements CallEvents {
  constructor(
    private readonly deps: { stores: Pick<Stores, 'calls'>; clock: Clock },
    readonly verifications: VerificationCallEngine,
    readonly factors: FactorCallEngine,
  ) {}

  /** Refuses a call to a number that already has one live (a second call would confuse the caller). */
  async assertNoLiveCall(destination: string): Promise<void> {
    await assertNoLiveCall(this.deps, destination);
  }

  async ringing(callSid: string): Promise<void> {
    const call = await this.find(callSid);
    return call.verification_sid === null ? this.factors.ringing(call) : this.verifications.ringing(callSid);
  }

  async answered(callSid: string): Promise<CallInstruction> {
    const call = await this.find(callSid);
    return call.verification_sid === null ? this.factors.answered(call) : this.verifications.answered(callSid);
  }

  async digits(callSid: string, digits: string): Promise<CallInstruction> {
    const call = await this.find(callSid);
    return call.verification_sid === null ? this.factors.digits(call, digits) : this.verifications.digits(callSid, digits);
  }

  async recording(callSid: string, wav: Buffer): Promise<CallInstruction> {
    const call = await this.find(callSid);
    return call.verification_sid === null ? this.factors.recording(call, wav) : this.verifications.recording(callSid);
  }

  async ended(callSid: string, how: CallEnd, detail?: string): Promise<void> {
    const call = await this.find(callSid);
    return call.verification_sid === null ? this.factors.ended(call, how, detail) : this.verifications.ended(callSid, how, detail);
  }

  /** Ends live calls whose provider went silent, so no call stays live (and blocks its number) forever. */
  async sweepStaleCalls(): Promise<number> {
    const stale = await this.deps.stores.calls.findStale(this.deps.clock.now() - STALE_CALL_MS, 100);
    for (const call of stale) await this.ended(call.sid, 'failed', 'no report from the provider');
    return stale.length;
  }

  private async find(callSid: string): Promise<CallRow> {
    const call = await this.deps.stores.calls.find(callSid);
    if (!call) throw new UnknownCallError(callSid);
    return call;
  }
}
