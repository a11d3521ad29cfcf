import { resolveLocale } from '../../i18n/locales.ts';
import { unseal } from '../../crypto/seal.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { SendPass } from '../../send-gate/send-gate.ts';
import type { CallRow, ServiceRow, VerificationRow } from '../../store/schema.ts';
import type { TransactionStores } from '../../store/unit-of-work.ts';
import { failureKey, lockoutDelayMs } from '../../verify/limits.ts';
import type { VerificationLifecycle, VerificationTransaction } from '../../verify/lifecycle/verification-lifecycle.ts';
import { announceProgress, recordProgress, type VerificationBus } from '../../verify/lifecycle/verification-progress.ts';
import { spokenPrompts, type CallEnd, type CallInstruction } from '../call-script.ts';
import { CALL_PROMPTS } from '../flows/call-prompts.ts';
import { INITIAL_STATE, hangUpAfter, say, type FlowFacts, type FlowState, type FlowTurn, type VoiceFlow } from '../flows/call-flow.ts';
import { CALL_FLOWS } from '../flows/flows.ts';
import { UnknownCallError, callSecretContext, liveCallError, newCallRow, placeOutboundCall, voiceProviderOf, type OutboundCallDeps } from '../outbound-call.ts';

export interface VerificationCallDeps extends OutboundCallDeps {
  bus: VerificationBus;
  metrics: Pick<Metrics, 'deliveries'>;
  /** Where a call's decision (and a verification found expired) becomes a status change. */
  lifecycle: VerificationLifecycle;
}

type Turn = { instruction: CallInstruction };

/**
 * Runs the calls placed for verifications: places them through the voice provider and turns what
 * the provider reports into the flow's next instruction (src/voice/flows), the verification's
 * progress events and, through the verification lifecycle, its outcome. Each event is one
 * transaction that locks the verification row first (its progress counter) and then reads the
 * call, so concurrent reports about one call are serialized.
 */
export class VerificationCallEngine {
  constructor(private readonly deps: VerificationCallDeps) {}

  /**
   * Places the call of `verification`; `secret` is the code to speak or the digits to expect. `pass`
   * is the send gate's permission for this call. When the provider refuses, the call is ended
   * failed and the provider's error thrown on (the caller reports the delivery failure).
   */
  async startCall(pass: SendPass, verification: VerificationRow, flow: VoiceFlow, secret: string, callerId: string, ringTimeoutSeconds: number): Promise<CallRow> {
    const { deps } = this;
    const provider = voiceProviderOf(deps);
    const call = newCallRow(deps, provider, {
      accountSid: verification.account_sid,
      serviceSid: verification.service_sid,
      verificationSid: verification.sid,
      factorSid: null,
      challengeSid: null,
      destination: verification.destination,
      callerId,
      flow,
      secret,
    });
    const service = await deps.stores.services.find(verification.account_sid, verification.service_sid);
    const opening = CALL_FLOWS[flow].start(this.factsOf(verification, service, secret)).instruction;
    return placeOutboundCall(deps, provider, pass, call, {
      requestSid: verification.sid,
      ringTimeoutSeconds,
      flash: flow === 'flash',
      openingPrompts: spokenPrompts(opening),
      insert: async (row) => {
        await deps.stores.transaction(async (tx) => {
          await recordProgress(tx, deps.clock, verification, 'queued', row.sid, { flow, provider: provider.name });
          if (!(await tx.calls.insertLive(row))) throw liveCallError();
        });
        announceProgress(deps.bus, verification.sid);
      },
      refused: async (row, error) => {
        await this.ended(row.sid, 'failed', 'the provider did not place the call');
        throw error;
      },
    });
  }

  async ringing(callSid: string): Promise<void> {
    await this.inCall(callSid, async (tx, call, verification) => {
      if (call.status !== 'queued') return;
      await recordProgress(tx.stores, this.deps.clock, verification, 'ringing', call.sid);
      await tx.stores.calls.update(call.sid, { status: 'ringing', date_updated: this.deps.clock.now() });
    });
  }

  async answered(callSid: string): Promise<CallInstruction> {
    return this.turn(callSid, async (trx, call, verification, facts) => {
      const now = this.deps.clock.now();
      await recordProgress(trx, this.deps.clock, verification, 'answered', call.sid);
      await trx.calls.update(call.sid, { status: 'in-progress', date_answered: now, date_updated: now });
      return CALL_FLOWS[call.flow as VoiceFlow].start(facts);
    });
  }

  async digits(callSid: string, digits: string): Promise<CallInstruction> {
    return this.turn(callSid, async (trx, call, verification, facts) => {
      // How many keys, never which: the digits may be the code.
      await recordProgress(trx, this.deps.clock, verification, 'digits_received', call.sid, { count: digits.length, timeout: digits === '' });
      const state = JSON.parse(call.flow_state) as FlowState;
      return CALL_FLOWS[call.flow as VoiceFlow].digits(facts, state, digits);
    });
  }

  /** Recordings belong to voiceprint calls; a verification's flow never records, so it ends politely. */
  async recording(callSid: string): Promise<CallInstruction> {
    return this.turn(callSid, async (_trx, _call, _verification, facts) => ({
      instruction: hangUpAfter([say(CALL_PROMPTS[facts.locale].noLongerValid, facts.locale)]),
      state: INITIAL_STATE,
    }));
  }

  async ended(callSid: string, how: CallEnd, detail?: string): Promise<void> {
    const ended = await this.inCall(callSid, async (tx, call, verification) => {
      // Ends are reported once, however often a provider repeats them.
      if (!call.active) return undefined;
      await recordProgress(tx.stores, this.deps.clock, verification, how, callSid, detail ? { reason: detail } : {});
      return tx.stores.calls.end(callSid, how, detail ?? null, this.deps.clock.now());
    });
    if (ended) this.deps.metrics.deliveries.inc({ channel: 'call', provider: ended.provider, outcome: how });
  }

  /** Runs `work` in a lifecycle transaction with the call and its verification; the verification row is locked first. */
  private async inCall<T>(callSid: string, work: (tx: VerificationTransaction, call: CallRow, verification: VerificationRow) => Promise<T>): Promise<T> {
    const { deps } = this;
    const known = await deps.stores.calls.find(callSid);
    const verificationSid = known?.verification_sid;
    if (!known || !verificationSid) throw new UnknownCallError(callSid);
    const result = await deps.lifecycle.transaction(async (tx) => {
      const verification = await tx.stores.verifications.findForUpdate(known.service_sid, verificationSid);
      const call = await tx.stores.calls.findForUpdate(callSid);
      if (!verification || !call) throw new UnknownCallError(callSid);
      return work(tx, call, verification);
    });
    announceProgress(deps.bus, verificationSid);
    return result;
  }

  /**
   * One step of the conversation: the flow's answer to an event, applied to the verification. A call
   * whose verification is no longer pending (expired, canceled, decided) is told so and hung up.
   */
  private async turn(callSid: string, step: (trx: TransactionStores, call: CallRow, verification: VerificationRow, facts: FlowFacts) => Promise<FlowTurn>): Promise<CallInstruction> {
    const { deps } = this;
    const result = await this.inCall<Turn>(callSid, async (tx, call, verification) => {
      const trx = tx.stores;
      const service = await trx.services.find(call.account_sid, call.service_sid);
      const facts = this.factsOf(verification, service, unseal(deps.keyring, call.secret_sealed, callSecretContext(call.sid)));
      const now = deps.clock.now();
      if (!call.active) return { instruction: hangUpAfter([]) };
      const expired = verification.status === 'pending' && verification.expires_at <= now ? await tx.end(verification.sid, { to: 'expired', by: 'clock' }) : undefined;
      if (verification.status !== 'pending' || expired) {
        await recordProgress(trx, deps.clock, verification, 'prompt_played', call.sid, { prompts: 1, reason: 'no_longer_pending' });
        return { instruction: hangUpAfter([say(CALL_PROMPTS[facts.locale].noLongerValid, facts.locale)]) };
      }
      const turn = await step(trx, call, verification, facts);
      await trx.calls.update(call.sid, { flow_state: JSON.stringify(turn.state), date_updated: now });
      if (turn.note === 'wrong_digits') await this.countFailure(trx, verification, now);
      // The call's decision, applied as a code check's would be (limits, events, progress).
      if (turn.outcome) await tx.end(verification.sid, { to: turn.outcome, by: 'call' });
      const prompts = spokenPrompts(turn.instruction).length;
      await recordProgress(trx, deps.clock, verification, 'prompt_played', call.sid, { prompts, ...(turn.note ? { note: turn.note } : {}) });
      return { instruction: turn.instruction };
    });
    return result.instruction;
  }

  /** A wrong code keyed in counts toward the destination's lock-out, like a wrong code checked. */
  private async countFailure(trx: TransactionStores, verification: VerificationRow, now: number): Promise<void> {
    const failures = trx.checkFailures;
    const key = failureKey(verification.service_sid, verification.destination);
    const delay = lockoutDelayMs(await failures.recordFailure(key, now));
    if (delay > 0) await failures.lock(key, now + delay);
  }

  private factsOf(verification: VerificationRow, service: ServiceRow | undefined, secret: string): FlowFacts {
    return {
      serviceName: verification.custom_friendly_name ?? service?.friendly_name ?? 'Verity',
      locale: resolveLocale(verification.locale ?? service?.default_locale),
      secret,
      amount: verification.amount,
      payee: verification.payee,
    };
  }
}
