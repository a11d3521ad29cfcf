import type { SendPass } from '../../send-gate/send-gate.ts';
import type { CallRow, ServiceRow } from '../../store/schema.ts';
import type { TransactionStores } from '../../store/unit-of-work.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { spokenPrompts, type CallEnd, type CallInstruction } from '../call-script.ts';
import { hangUpAfter, type FlowState } from '../flows/call-flow.ts';
import { UnknownCallError, liveCallError, newCallRow, placeOutboundCall, voiceProviderOf, type OutboundCallDeps } from '../outbound-call.ts';
import { announceFactorCall, recordFactorCallProgress, type FactorCallEvent } from './factor-call-progress.ts';

/**
 * What a recording turned into, for the call's progress: the recording judged (`scored`: a check's
 * decision, or whether an enrolment take was kept) and the call's outcome, if it has one now.
 * Never a score: the events are shown to the user's browser.
 */
interface FactorTurnProgress {
  scored?: { decision: string; accepted?: number; needed?: number; reason?: string } | undefined;
  outcome?: { event: 'approved' | 'denied' | 'failed'; reason?: string } | undefined;
}

/** Conversations of calls that belong to a factor rather than a verification (voiceprint enrolment and checks). */
export interface FactorCallHandler {
  answered(call: CallRow): Promise<CallInstruction>;
  digits(call: CallRow, digits: string): Promise<CallInstruction>;
  recording(call: CallRow, wav: Buffer, state: FlowState): Promise<{ instruction: CallInstruction; state: FlowState; progress?: FactorTurnProgress }>;
}

/** The flows of factor calls. */
export type FactorCallFlow = 'voiceprint_enroll' | 'voiceprint_verify';

export interface FactorCallDeps extends OutboundCallDeps {
  /** The caller id of factor calls and how long they ring (VERITY_VOICE_FROM, VERITY_VOICE_RING_TIMEOUT_SECONDS). */
  voice: { from: string; ringTimeoutSeconds: number };
  /** Wakes the call's progress streams on every node (src/events/cluster-bus.ts). */
  bus: Parameters<typeof announceFactorCall>[0];
}

/**
 * Runs the calls placed for factors (voiceprint enrolment and checks): the factor's handler speaks
 * and listens; this engine keeps the call's row and its sequence-numbered progress
 * (factor-call-progress.ts), each event in a transaction that locks the call's row first, so
 * concurrent reports about one call get distinct numbers in commit order. The handler's own work
 * (scoring, enrolment) runs between those transactions, never inside one.
 * A call that has ended answers every later report with a bare hang-up.
 */
export class FactorCallEngine {
  /** Set once at wiring (create-context.ts): the voiceprint calls' conversations, which need the whole factor domain. */
  handler: FactorCallHandler | undefined;

  constructor(private readonly deps: FactorCallDeps) {}

  /** Places a call for a factor. `pass` is the send gate's permission for this call. */
  async startFactorCall(pass: SendPass, input: { service: ServiceRow; destination: string; flow: FactorCallFlow; factorSid: string; challengeSid: string | null }): Promise<CallRow> {
    const { deps } = this;
    const provider = voiceProviderOf(deps);
    const call = newCallRow(deps, provider, {
      accountSid: input.service.account_sid,
      serviceSid: input.service.sid,
      verificationSid: null,
      factorSid: input.factorSid,
      challengeSid: input.challengeSid,
      destination: input.destination,
      callerId: deps.voice.from,
      flow: input.flow,
      secret: '',
    });
    return placeOutboundCall(deps, provider, pass, call, {
      requestSid: input.factorSid,
      ringTimeoutSeconds: deps.voice.ringTimeoutSeconds,
      flash: false,
      insert: async (row) => {
        await deps.stores.transaction(async (tx) => {
          if (!(await tx.calls.insertLive(row))) throw liveCallError();
          await recordFactorCallProgress(tx, deps.clock, row, 'queued', { flow: row.flow, provider: provider.name });
        });
        announceFactorCall(deps.bus, row);
      },
      refused: async (row, error) => {
        await this.ended(row, 'failed', 'the provider did not place the call');
        throw new DomainError('delivery_failed', `Delivery failed: the voice provider did not place the call (${provider.name})`, { cause: error });
      },
    });
  }

  async ringing(call: CallRow): Promise<void> {
    await this.inCall(call.sid, async (tx, locked) => {
      if (locked.status !== 'queued' || !locked.active) return;
      await recordFactorCallProgress(tx, this.deps.clock, locked, 'ringing');
      await tx.calls.update(locked.sid, { status: 'ringing', date_updated: this.deps.clock.now() });
    });
  }

  async answered(call: CallRow): Promise<CallInstruction> {
    if (!call.active) return hangUpAfter([]);
    await this.inCall(call.sid, async (tx, locked) => {
      const now = this.deps.clock.now();
      await recordFactorCallProgress(tx, this.deps.clock, locked, 'answered');
      await tx.calls.update(locked.sid, { status: 'in-progress', date_answered: now, date_updated: now });
    });
    const instruction = await this.handlerOf(call).answered(call);
    await this.played(call, instruction);
    return instruction;
  }

  async digits(call: CallRow, digits: string): Promise<CallInstruction> {
    if (!call.active) return hangUpAfter([]);
    const instruction = await this.handlerOf(call).digits(call, digits);
    // How many keys, never which.
    await this.played(call, instruction, { note: digits === '' ? 'no_input' : 'keys' });
    return instruction;
  }

  async recording(call: CallRow, wav: Buffer): Promise<CallInstruction> {
    if (!call.active) return hangUpAfter([]);
    const state = JSON.parse(call.flow_state) as FlowState;
    await this.record(call, 'recording', { take: state.repeats + 1 });
    const turn = await this.handlerOf(call).recording(call, wav, state);
    await this.inCall(call.sid, async (tx, locked) => {
      const { scored, outcome } = turn.progress ?? {};
      if (scored) await recordFactorCallProgress(tx, this.deps.clock, locked, 'scored', scored);
      if (outcome) await recordFactorCallProgress(tx, this.deps.clock, locked, outcome.event, outcome.reason ? { reason: outcome.reason } : {});
      await recordFactorCallProgress(tx, this.deps.clock, locked, 'prompt_played', { prompts: spokenPrompts(turn.instruction).length });
      await tx.calls.update(locked.sid, { flow_state: JSON.stringify(turn.state), date_updated: this.deps.clock.now() });
    });
    return turn.instruction;
  }

  async ended(call: CallRow, how: CallEnd, detail?: string): Promise<void> {
    await this.inCall(call.sid, async (tx, locked) => {
      // Ends are reported once, however often a provider repeats them.
      if (!locked.active) return;
      await recordFactorCallProgress(tx, this.deps.clock, locked, how, detail ? { reason: detail } : {});
      await tx.calls.end(locked.sid, how, detail ?? null, this.deps.clock.now());
    });
  }

  /** The prompts an instruction says, as one `prompt_played` event. */
  private async played(call: CallRow, instruction: CallInstruction, data: Record<string, unknown> = {}): Promise<void> {
    await this.record(call, 'prompt_played', { prompts: spokenPrompts(instruction).length, ...data });
  }

  private async record(call: CallRow, event: FactorCallEvent, data: Record<string, unknown> = {}): Promise<void> {
    await this.inCall(call.sid, (tx, locked) => recordFactorCallProgress(tx, this.deps.clock, locked, event, data));
  }

  /** Runs `work` in a transaction with the call's row locked, then wakes its streams. */
  private async inCall<T>(callSid: string, work: (tx: TransactionStores, call: CallRow) => Promise<T>): Promise<T> {
    let found: CallRow | undefined;
    const result = await this.deps.stores.transaction(async (tx) => {
      found = await tx.calls.findForUpdate(callSid);
      if (!found) throw new UnknownCallError(callSid);
      return work(tx, found);
    });
    if (found) announceFactorCall(this.deps.bus, found);
    return result;
  }

  private handlerOf(call: CallRow): FactorCallHandler {
    if (!this.handler) throw new UnknownCallError(call.sid);
    return this.handler;
  }
}
