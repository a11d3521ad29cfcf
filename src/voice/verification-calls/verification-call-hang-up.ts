import type { Logger } from 'pino';
import type { Stores } from '../../store/unit-of-work.ts';
import type { LiveCallHangUp } from '../../verify/lifecycle/verification-lifecycle.ts';
import type { VoiceProvider } from '../voice-provider.ts';

/**
 * Hangs up the live calls of a verification that ended some other way than on its call (approved
 * by a code or the API, canceled). The provider then reports the end like any other, so the call's
 * row and progress stream close the usual way. A provider that fails to hang up is logged, not
 * thrown: the verification has already ended, and its call can no longer change it.
 */
export class VerificationCallHangUp implements LiveCallHangUp {
  constructor(private readonly deps: { stores: Pick<Stores, 'calls'>; provider: VoiceProvider | undefined; logger: Pick<Logger, 'warn'> }) {}

  async hangUpCallsOf(verificationSid: string): Promise<void> {
    const { provider, logger } = this.deps;
    for (const call of await this.deps.stores.calls.listForVerification(verificationSid)) {
      if (!call.active || !provider || !call.provider_call_id) continue;
      try {
        await provider.hangup(call.sid, call.provider_call_id);
      } catch (error) {
        logger.warn({ err: error, callSid: call.sid }, 'hanging up a call failed');
      }
    }
  }
}
