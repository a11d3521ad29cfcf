import type { CallEnd, CallInstruction, Prompt } from './call-script.ts';

/**
 * The voice side of a provider. Verity places a call and then learns what happens on it through
 * the CallEvents the provider reports (from webhooks, or from the simulated phone); each event that
 * expects the call to continue is answered with the next CallInstruction.
 */
export interface PlaceCallRequest {
  /** Verity's id of the call (`CL…`); providers put it in their webhook URLs. */
  callSid: string;
  verificationSid: string;
  /** E.164. */
  to: string;
  /** E.164 caller id; for a flash call its last digits are the code. */
  from: string;
  /** Give up (no-answer) when the phone has rung this long. */
  ringTimeoutSeconds: number;
  /** A flash call: the provider should not expect it to be answered. */
  flash: boolean;
  /**
   * What the call will most likely say first once answered (the flow's opening prompts), so a
   * provider that renders its own audio (SIP) can render it while the phone rings. A hint only: the
   * answer's instruction is what plays. May contain the code: never log it.
   */
  openingPrompts?: Prompt[];
}

export interface VoiceProvider {
  readonly name: string;
  /** Starts the call; throws DeliveryError (src/providers/provider.ts) when it cannot be placed. */
  placeCall(request: PlaceCallRequest): Promise<{ providerCallId: string }>;
  /** Ends a call Verity no longer needs (a flash call after it rang, a canceled verification). */
  hangup(callSid: string, providerCallId: string): Promise<void>;
}

/** What a provider reports about a call. Unknown call SIDs reject with an Error; providers answer 404. */
export interface CallEvents {
  ringing(callSid: string): Promise<void>;
  /** The callee answered: the first instruction. */
  answered(callSid: string): Promise<CallInstruction>;
  /** The result of a Gather: the digits, or '' when the caller pressed nothing before the timeout. */
  digits(callSid: string, digits: string): Promise<CallInstruction>;
  /** The result of a Record: 16-bit PCM WAV bytes (empty when nothing was recorded). */
  recording(callSid: string, wav: Buffer): Promise<CallInstruction>;
  /** The call is over. `detail` is the provider's reason, for logs (never shown to callers). */
  ended(callSid: string, how: CallEnd, detail?: string): Promise<void>;
}
