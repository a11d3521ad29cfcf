/**
 * The call engine of bench/sip-calls.ts: a CallEvents that answers every call with the instruction
 * the benchmark chooses and records when each event reached it (performance.now()), so the bench
 * can wait for a call to ring, be answered or end. Calls it was not told about reject, as the real
 * engine's do.
 */
import type { CallEnd, CallInstruction } from '../../src/voice/call-script.ts';
import type { CallEvents } from '../../src/voice/voice-provider.ts';

const HANG_UP: CallInstruction = { prompts: [], then: { kind: 'hangup' } };

interface CallEnded {
  at: number;
  how: CallEnd;
  detail: string | undefined;
}

/** One call as the engine saw it. */
export interface BenchCall {
  readonly sid: string;
  /** Resolves with the time CallEvents.ringing ran. */
  readonly ringing: Promise<number>;
  /** Resolves with the time CallEvents.answered ran. */
  readonly answered: Promise<number>;
  readonly ended: Promise<CallEnded>;
  /** The results of gathers, in order. */
  readonly gathered: string[];
}

interface Slot {
  call: BenchCall;
  ring: (at: number) => void;
  answer: (at: number) => void;
  end: (ended: CallEnded) => void;
}

export class BenchCallEvents implements CallEvents {
  private readonly calls = new Map<string, Slot>();

  /** `answer` chooses the first instruction of each call (later turns hang up). */
  constructor(private readonly answer: (callSid: string) => CallInstruction) {}

  /** Registers a call before it is placed. */
  expect(sid: string): BenchCall {
    let ring!: (at: number) => void;
    let answer!: (at: number) => void;
    let end!: (ended: CallEnded) => void;
    const call: BenchCall = {
      sid,
      ringing: new Promise((resolve) => (ring = resolve)),
      answered: new Promise((resolve) => (answer = resolve)),
      ended: new Promise((resolve) => (end = resolve)),
      gathered: [],
    };
    this.calls.set(sid, { call, ring, answer, end });
    return call;
  }

  private slot(sid: string): Slot {
    const slot = this.calls.get(sid);
    if (!slot) throw new Error(`unknown call ${sid}`);
    return slot;
  }

  async ringing(callSid: string): Promise<void> {
    this.slot(callSid).ring(performance.now());
  }

  async answered(callSid: string): Promise<CallInstruction> {
    const slot = this.slot(callSid);
    slot.answer(performance.now());
    return this.answer(callSid);
  }

  async digits(callSid: string, digits: string): Promise<CallInstruction> {
    this.slot(callSid).call.gathered.push(digits);
    return HANG_UP;
  }

  async recording(callSid: string): Promise<CallInstruction> {
    this.slot(callSid);
    return HANG_UP;
  }

  async ended(callSid: string, how: CallEnd, detail?: string): Promise<void> {
    const slot = this.slot(callSid);
    this.calls.delete(callSid);
    slot.end({ at: performance.now(), how, detail });
  }
}

/** `promise`, or a rejection naming `what` after `ms` (a benchmark must not hang on a lost call). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with `milestone`'s time; rejects when the call ends first (busy, failed …) or after `ms`. */
export function reach(call: BenchCall, milestone: 'ringing' | 'answered', ms: number): Promise<number> {
  const endedFirst = call.ended.then((ended) => {
    throw new Error(`call ${call.sid} ended (${ended.how}: ${ended.detail ?? ''}) before it was ${milestone}`);
  });
  endedFirst.catch(() => undefined);
  return within(Promise.race([call[milestone], endedFirst]), ms, `call ${call.sid} to be ${milestone}`);
}
