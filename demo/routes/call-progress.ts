import { followEvents, type VerificationProgressEvent } from '@verity/sdk';

type CallOutcome = 'approved' | 'retry' | null;

export interface CallState {
  stage: string;
  message: string;
  outcome: CallOutcome;
  /** How many times wrong digits were keyed in on this call. */
  wrongDigits?: number;
}

const MESSAGES: Record<string, string> = {
  queued: 'Placing the call…',
  ringing: 'Your phone is ringing. Answer it.',
  answered: 'Call answered. Listen, then type the code on the keypad.',
  prompt_played: 'Type the code shown here on the keypad.',
  digits_received: 'Checking the digits…',
  wrong_digits: 'That code was not right. Listen, and type the code shown here again.',
  approved: 'Phone verified. Opening your account…',
  max_attempts_reached: 'The code was typed wrong too many times. Press “Call again” to get a new call and code.',
  failed: 'The phone check failed. Press “Call again” to try once more.',
  expired: 'The code expired. Press “Call again” to get a new one.',
  canceled: 'The call was canceled. Press “Call again” to try once more.',
  'no-answer': 'Nobody answered the call. Press “Call again” when your phone is at hand.',
  busy: 'Your line was busy. Press “Call again” in a moment.',
  rejected: 'The call was declined. Press “Call again” to try once more.',
  completed: 'The call ended before the code was typed. Press “Call again” to try once more.',
};
const RETRY = new Set(['max_attempts_reached', 'failed', 'expired', 'canceled', 'no-answer', 'busy', 'rejected', 'completed']);
const FOLLOW_MS = 15 * 60_000;

/**
 * Follows each sign-up call's progress stream at Verity (server-side: the browser cannot read
 * Verity's stream cross-origin) and keeps the latest state for the page's polled endpoint. Like
 * Twilio, Verity answers 404 for a verification once it is approved, so the `approved` event read
 * here from Verity's stream is what tells the server the phone was verified.
 */
export class CallProgress {
  private readonly states = new Map<string, CallState>();
  private readonly stopping = new AbortController();

  follow(verificationSid: string, eventsUrl: string): void {
    this.states.set(verificationSid, { stage: 'queued', message: MESSAGES.queued as string, outcome: null });
    const timer = setTimeout(() => this.states.delete(verificationSid), FOLLOW_MS);
    timer.unref();
    void followEvents<VerificationProgressEvent>(eventsUrl, {
      signal: AbortSignal.any([AbortSignal.timeout(FOLLOW_MS), this.stopping.signal]),
      // Each event names its verification: one for another would be a wrong URL, not progress.
      onEvent: ({ event, data }) => {
        if (data?.verification_sid !== verificationSid) return this.record(verificationSid, 'failed');
        // A prompt played after wrong digits: say so, the call goes on (until the third time).
        this.record(verificationSid, event === 'prompt_played' && data.data.note === 'wrong_digits' ? 'wrong_digits' : event);
      },
    }).catch(() => this.record(verificationSid, 'failed'));
  }

  private record(verificationSid: string, event: string): void {
    const current = this.states.get(verificationSid);
    // An outcome stands: the goodbye prompt and the call's end after it change nothing.
    if (!current || current.outcome !== null) return;
    let message = MESSAGES[event];
    if (!message) return;
    const wrongDigits = (current.wrongDigits ?? 0) + (event === 'wrong_digits' ? 1 : 0);
    if (event === 'failed' && wrongDigits > 0) message = "The code was typed wrong too many times. Press “Call again” to get a new call and code.";
    this.states.set(verificationSid, { stage: event, message, outcome: event === 'approved' ? 'approved' : RETRY.has(event) ? 'retry' : null, wrongDigits });
  }

  state(verificationSid: string): CallState | undefined {
    return this.states.get(verificationSid);
  }

  forget(verificationSid: string): void {
    this.states.delete(verificationSid);
  }

  /** Stops following every call (the demo is shutting down). */
  stop(): void {
    this.stopping.abort();
  }
}
