import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import { seal } from '../crypto/seal.ts';
import { DomainError } from '../errors/domain-error.ts';
import { redeemSendPass, type SendPass } from '../send-gate/send-gate.ts';
import type { Stores } from '../store/unit-of-work.ts';
import type { CallRow } from '../store/schema.ts';
import { INITIAL_STATE } from './flows/call-flow.ts';
import type { Prompt } from './call-script.ts';
import type { VoiceProvider } from './voice-provider.ts';

/**
 * What both call engines (src/voice/verification-calls, src/voice/factor-calls) share: the call's
 * row, its sealed secret, the one-live-call-per-number rule and the one place a provider is asked
 * to dial, always after the send gate's pass was spent.
 */
export interface OutboundCallDeps {
  stores: Stores;
  clock: Clock;
  keyring: Keyring;
  /** Absent: the call channels are disabled (60223). */
  provider: VoiceProvider | undefined;
}

export class UnknownCallError extends Error {
  constructor(callSid: string) {
    super(`unknown call ${callSid}`);
    this.name = 'UnknownCallError';
  }
}

/** The sealing context of a call's secret: a secret sealed for one call opens for no other. */
export const callSecretContext = (callSid: string): string => `call:${callSid}`;

export function liveCallError(): DomainError {
  return new DomainError('call_in_progress', 'Too many concurrent requests for phone number: a call to this number is still in progress');
}

/** Refuses a call to a number that already has one live (a second call would confuse the caller). */
export async function assertNoLiveCall(deps: { stores: Pick<Stores, 'calls'> }, destination: string): Promise<void> {
  if (await deps.stores.calls.liveFor(destination)) throw liveCallError();
}

/** The configured voice provider, or a channel_disabled refusal (60223). */
export function voiceProviderOf(deps: Pick<OutboundCallDeps, 'provider'>): VoiceProvider {
  if (!deps.provider) throw new DomainError('channel_disabled', 'Delivery channel disabled: no voice provider is configured');
  return deps.provider;
}

/** Who a call is for and what it says; the rest of its row is the same for every call. */
export interface CallDraft {
  accountSid: string;
  serviceSid: string;
  verificationSid: string | null;
  factorSid: string | null;
  challengeSid: string | null;
  destination: string;
  callerId: string;
  flow: string;
  /** The code to speak or the digits to expect ('' for none); stored sealed. */
  secret: string;
}

/** A new queued, live call. */
export function newCallRow(deps: OutboundCallDeps, provider: VoiceProvider, draft: CallDraft): CallRow {
  const now = deps.clock.now();
  const sid = newSid('CL');
  return {
    sid,
    account_sid: draft.accountSid,
    service_sid: draft.serviceSid,
    verification_sid: draft.verificationSid,
    factor_sid: draft.factorSid,
    challenge_sid: draft.challengeSid,
    destination: draft.destination,
    caller_id: draft.callerId,
    provider: provider.name,
    provider_call_id: null,
    flow: draft.flow,
    flow_state: JSON.stringify(INITIAL_STATE),
    secret_sealed: seal(deps.keyring, draft.secret, callSecretContext(sid)),
    status: 'queued',
    active: true,
    end_reason: null,
    date_answered: null,
    date_ended: null,
    date_created: now,
    date_updated: now,
  };
}

export interface Dialing {
  /** The verification (or factor) the provider files the call under. */
  requestSid: string;
  ringTimeoutSeconds: number;
  flash: boolean;
  /** The flow's opening prompts (PlaceCallRequest.openingPrompts). */
  openingPrompts?: Prompt[];
  /** Makes the call's row live (and records whatever goes with it); throws 60212 when the number has a live call. */
  insert: (call: CallRow) => Promise<void>;
  /** The provider did not place the call: end its row and say why (must throw). */
  refused: (call: CallRow, error: unknown) => Promise<never>;
}

/**
 * Places `call`: spends the send gate's `pass` first (nothing reaches the provider around the gate),
 * makes the row live, asks the provider to dial, and keeps the provider's id of the call.
 */
export async function placeOutboundCall(deps: OutboundCallDeps, provider: VoiceProvider, pass: SendPass, call: CallRow, dialing: Dialing): Promise<CallRow> {
  redeemSendPass(pass, { to: call.destination, medium: 'call', serviceSid: call.service_sid });
  await dialing.insert(call);
  try {
    const { providerCallId } = await provider.placeCall({ callSid: call.sid, verificationSid: dialing.requestSid, to: call.destination, from: call.caller_id, ringTimeoutSeconds: dialing.ringTimeoutSeconds, flash: dialing.flash, ...(dialing.openingPrompts ? { openingPrompts: dialing.openingPrompts } : {}) });
    return (await deps.stores.calls.update(call.sid, { provider_call_id: providerCallId, date_updated: deps.clock.now() })) ?? call;
  } catch (error) {
    return dialing.refused(call, error);
  }
}
