import type { SendPass } from '../../send-gate/send-gate.ts';
import type { CallRow, ServiceRow } from '../../store/schema.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { CallEnd, CallInstruction } from '../call-script.ts';
import { hangUpAfter, type FlowState } from '../flows/call-flow.ts';
import { UnknownCallError, liveCallError, newCallRow, placeOutboundCall, voiceProviderOf, type OutboundCallDeps } from '../outbound-call.ts';

/** Conversations of calls that belong to a factor rather than a verification (voiceprint enrolment and checks). */
export interface FactorCallHandler {
  answered(call: CallRow): Promise<CallInstruction>;
  digits(call: CallRow, digits: string): Promise<CallInstruction>;
  recording(call: CallRow, wav: Buffer, state: FlowState): Promise<{ instruction: CallInstruction; state: FlowState }>;
}

/** The flows of factor calls. */
export type FactorCallFlow = 'voiceprint_enroll' | 'voiceprint_verify';

export interface FactorCallDeps extends OutboundCallDeps {
  /** The caller id of factor calls and how long they ring (VERITY_VOICE_FROM, VERITY_VOICE_RING_TIMEOUT_SECONDS). */
  voice: { from: string; ringTimeoutSeconds: number };
}

/**
 * Runs the calls placed for factors (voiceprint enrolment and checks): they have no verification,
 * no progress stream and no lifecycle of their own here; the factor's handler speaks and listens.
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
        if (!(await deps.stores.calls.insertLive(row))) throw liveCallError();
      },
      refused: async (row, error) => {
        await deps.stores.calls.end(row.sid, 'failed', 'the provider did not place the call', deps.clock.now());
        throw new DomainError('delivery_failed', `Delivery failed: the voice provider did not place the call (${provider.name})`, { cause: error });
      },
    });
  }

  async ringing(call: CallRow): Promise<void> {
    if (call.status === 'queued') await this.deps.stores.calls.update(call.sid, { status: 'ringing', date_updated: this.deps.clock.now() });
  }

  async answered(call: CallRow): Promise<CallInstruction> {
    if (!call.active) return hangUpAfter([]);
    const now = this.deps.clock.now();
    await this.deps.stores.calls.update(call.sid, { status: 'in-progress', date_answered: now, date_updated: now });
    return this.handlerOf(call).answered(call);
  }

  async digits(call: CallRow, digits: string): Promise<CallInstruction> {
    return call.active ? this.handlerOf(call).digits(call, digits) : hangUpAfter([]);
  }

  async recording(call: CallRow, wav: Buffer): Promise<CallInstruction> {
    if (!call.active) return hangUpAfter([]);
    const turn = await this.handlerOf(call).recording(call, wav, JSON.parse(call.flow_state) as FlowState);
    await this.deps.stores.calls.update(call.sid, { flow_state: JSON.stringify(turn.state), date_updated: this.deps.clock.now() });
    return turn.instruction;
  }

  async ended(call: CallRow, how: CallEnd, detail?: string): Promise<void> {
    await this.deps.stores.calls.end(call.sid, how, detail ?? null, this.deps.clock.now());
  }

  private handlerOf(call: CallRow): FactorCallHandler {
    if (!this.handler) throw new UnknownCallError(call.sid);
    return this.handler;
  }
}
