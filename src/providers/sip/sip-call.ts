import { setTimeout as delay } from 'node:timers/promises';
import type { CallEnd, CallInstruction } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import { MediaError, type MediaSession } from './media/media-session.ts';
import { playInstruction, type RenderPrompt } from './media/instruction-player.ts';
import type { OutgoingCall, SipLogger } from './signalling/sip-signalling.ts';

export interface SipCallDeps {
  events: () => CallEvents;
  render: RenderPrompt;
  logger: SipLogger;
  /** Hang up once answered calls have lasted this long (the provider's session limit). */
  maxCallMs: number;
  /** Called once the call is over and reported (the provider forgets it). */
  onFinished: (call: SipCall) => void;
}

/** How long the line stays up after the script's last prompt before Verity hangs up. */
const GOODBYE_TAIL_MS = 400;

type Phase = 'calling' | 'ringing' | 'answered' | 'over';

/** When a call's milestones happened (performance.now()), for benchmarks and diagnostics. */
export interface SipCallTimings {
  invitedAt: number;
  ringingAt: number | null;
  answeredAt: number | null;
}

/**
 * One SIP call from INVITE to its reported end: it turns the call's signals (sip-signalling.ts)
 * into CallEvents and runs each CallInstruction the engine answers on the call's media.
 *
 * Serialization, as on the simulated phone: every report to the engine runs in one queue per call,
 * so events arrive in the order they happened and at most one is in flight; the conversation (play
 * an instruction, report its outcome, play the next) is one job of that queue, which the call's end
 * interrupts (the player resolves `hangup` once the signal aborts). The first report runs on a later
 * turn of the event loop than placeCall, so the engine has the providerCallId first.
 *
 * How the call ended is Verity's own decision when it made one (its ring timeout is `no-answer`, its
 * hang-up `canceled` or `completed`, the script's hang-up `completed`); otherwise the SIP outcome.
 */
export class SipCall {
  private phase: Phase = 'calling';
  /** Set by Verity when it ends the call: wins over what SIP reports after the CANCEL/BYE. */
  private decided: { how: CallEnd; detail: string } | undefined;
  private outgoing: OutgoingCall | undefined;
  private readonly ended = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private tail: Promise<void>;
  private endReported = false;
  readonly timings: SipCallTimings = { invitedAt: performance.now(), ringingAt: null, answeredAt: null };

  constructor(
    readonly sid: string,
    /** The call's audio (read-only use outside: stats, benchmarks). */
    readonly media: MediaSession,
    private readonly deps: SipCallDeps,
  ) {
    this.tail = new Promise((resolve) => setImmediate(resolve));
  }

  /** The INVITE is out: rings for at most `ringTimeoutMs`, then ends as not answered. */
  started(outgoing: OutgoingCall, ringTimeoutMs: number): void {
    this.outgoing = outgoing;
    this.after(ringTimeoutMs, () => {
      if (this.phase === 'calling' || this.phase === 'ringing') this.endByVerity('no-answer', 'no answer before the ring timeout');
    });
  }

  // -- what SIP reports --------------------------------------------------------------------------

  progress(_status: number, sdp: string | undefined): void {
    if (this.phase === 'over') return;
    // Early media (183 with SDP): latch onto it now, so the answer's first audio is not lost.
    if (sdp !== undefined) this.tryAnswer(sdp, false);
    if (this.phase !== 'calling') return;
    this.phase = 'ringing';
    this.timings.ringingAt = performance.now();
    void this.enqueue(() => this.deps.events().ringing(this.sid));
  }

  answered(sdp: string): void {
    if (this.phase === 'over' || this.phase === 'answered') return;
    if (this.decided) return; // answered while our CANCEL was on its way: the signalling sends BYE
    if (!this.tryAnswer(sdp, true)) return;
    this.phase = 'answered';
    this.timings.answeredAt = performance.now();
    this.after(this.deps.maxCallMs, () => this.endByVerity('completed', 'the maximum call length was reached'));
    void this.enqueue(() => this.converse());
  }

  signalled(how: CallEnd, detail: string, status?: number): void {
    if (this.endReported) return;
    this.finish();
    const end = this.decided ?? { how, detail: status ? `${detail} (SIP ${status})` : detail };
    void this.enqueue(() => this.reportEnd(end.how, end.detail));
  }

  // -- what Verity decides -----------------------------------------------------------------------

  /** Verity no longer needs the call: `canceled` while it rings, else `completed`. */
  hangUpByVerity(): void {
    this.endByVerity(this.phase === 'answered' ? 'completed' : 'canceled', 'hung up by Verity');
  }

  /**
   * Does not wait for the CANCEL or BYE transaction: an engine handler may hang up from inside its
   * transaction, and a peer that never answers would hold it for 32 s.
   */
  private endByVerity(how: CallEnd, detail: string): void {
    if (this.phase === 'over' || this.decided) return;
    this.decided = { how, detail };
    this.ended.abort();
    void this.hangUpQuietly();
  }

  private async hangUpQuietly(): Promise<void> {
    try {
      await this.outgoing?.hangUp();
    } catch (error) {
      this.deps.logger.warn({ callSid: this.sid, err: (error as Error).message }, 'SIP hang-up failed');
    }
    // The signalling reports the end after its CANCEL/BYE; should it not have, the call still ends.
    if (this.phase !== 'over' && this.decided) this.signalled(this.decided.how, this.decided.detail);
  }

  // -- the conversation --------------------------------------------------------------------------

  /** Answered: asks the engine for the first instruction, then plays instruction after instruction. */
  private async converse(): Promise<void> {
    const events = this.deps.events();
    let instruction: CallInstruction | undefined = await this.ask(() => events.answered(this.sid));
    while (instruction && !this.ended.signal.aborted) {
      const outcome = await playInstruction(this.media, instruction, { render: this.deps.render, signal: this.ended.signal });
      if (this.ended.signal.aborted) return;
      switch (outcome.kind) {
        case 'hangup':
          // The last packets are still in the phone's jitter buffer: hanging up at once cut the end of
          // "Goodbye" by 40-80 ms on baresip (about 1 s under load). Silence plays meanwhile.
          await delay(GOODBYE_TAIL_MS, undefined, { signal: this.ended.signal }).catch(() => undefined);
          this.endByVerity('completed', 'the call script hung up');
          return;
        case 'digits':
          instruction = await this.ask(() => events.digits(this.sid, outcome.digits));
          break;
        case 'recording':
          instruction = await this.ask(() => events.recording(this.sid, outcome.wav));
          break;
      }
    }
  }

  /** One engine turn; an engine that fails (an unknown call, a database error) ends the call as failed. */
  private async ask(turn: () => Promise<CallInstruction>): Promise<CallInstruction | undefined> {
    try {
      return await turn();
    } catch (error) {
      this.deps.logger.warn({ callSid: this.sid, err: (error as Error).message }, 'the call engine did not answer: hanging up');
      this.endByVerity('failed', 'the call engine did not answer');
      return undefined;
    }
  }

  private tryAnswer(sdp: string, final: boolean): boolean {
    try {
      this.media.applyAnswer(sdp);
      return true;
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      this.deps.logger.warn({ callSid: this.sid, err: error.message }, 'unusable SDP answer');
      if (final) this.endByVerity('failed', `unusable SDP answer: ${error.message}`);
      return false;
    }
  }

  // -- plumbing ----------------------------------------------------------------------------------

  private finish(): void {
    this.phase = 'over';
    this.ended.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.media.close();
  }

  private async reportEnd(how: CallEnd, detail: string): Promise<void> {
    if (this.endReported) return;
    this.endReported = true;
    try {
      await this.deps.events().ended(this.sid, how, detail);
    } catch (error) {
      this.deps.logger.warn({ callSid: this.sid, err: (error as Error).message }, 'reporting the end of a call failed');
    } finally {
      this.deps.onFinished(this);
    }
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private enqueue(job: () => Promise<unknown>): Promise<void> {
    const run = this.tail.then(job).then(
      () => undefined,
      (error: unknown) => this.deps.logger.warn({ callSid: this.sid, err: (error as Error).message }, 'reporting a call event failed'),
    );
    this.tail = run;
    return run;
  }
}
