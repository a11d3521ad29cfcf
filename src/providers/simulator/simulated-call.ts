import type { Logger } from 'pino';
import type { Clock } from '../../crypto/clock.ts';
import { spokenPrompts, type CallEnd, type CallInstruction, type Gather, type Record } from '../../voice/call-script.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import type { PromptAudio } from '../../audio/prompt-audio.ts';
import { WavError } from '../../audio/wav.ts';
import { TELEPHONE_RATE, readWav, toTelephoneBand, writeWav } from '../../audio/line-audio.ts';
import { isoSeconds } from '../../time/format.ts';

export type SimCallStatus = 'ringing' | 'in-progress' | CallEnd;

/** One prompt the simulated phone "heard". */
export interface SimPrompt {
  text: string;
  locale: string;
  /** Where the rendered speech is served (`/sim/v1/audio/<id>.wav`), or null without espeak-ng. */
  audio_url: string | null;
  /** ISO 8601 in UTC without milliseconds. */
  date: string;
}

/** A simulated call as the simulator API and its live stream show it. */
export interface SimCallView {
  sid: string;
  from: string;
  to: string;
  status: SimCallStatus;
  /** Every prompt spoken so far, oldest first. */
  prompts: SimPrompt[];
  /** What the call waits for from the phone now. */
  waiting_for: 'digits' | 'recording' | null;
  date_created: string;
  date_updated: string;
}

/** Schedules `callback` after `ms`; returns the function that cancels it. */
export type ScheduleTimer = (callback: () => void, ms: number) => () => void;

/** Real timers that never keep the process alive. */
export const realTimers: ScheduleTimer = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export type SimLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** Why a phone action was refused. */
export class SimulatorPhoneError extends Error {
  constructor(
    /** `unknown-call`: no such call on that phone; `invalid-state`: not possible now; `invalid-input`: bad digits or audio. */
    readonly kind: 'unknown-call' | 'invalid-state' | 'invalid-input',
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorPhoneError';
  }
}

export interface SimulatedCallDeps {
  clock: Clock;
  events: () => CallEvents;
  audio: PromptAudio | undefined;
  audioUrl: (id: string) => string;
  logger: SimLogger | undefined;
  timers: ScheduleTimer;
  /** An engine answer slower than this ends the call as failed. */
  eventTimeoutMs: number;
  /** Speaking rate that estimates how long a prompt without audio plays. */
  speechCharsPerSecond: number;
  /** Called after every visible change. */
  onChange: (call: SimulatedCall) => void;
}

type Waiting =
  | { kind: 'gather'; step: Gather; collected: string; cancelTimer: () => void }
  | { kind: 'record'; step: Record; cancelTimer: () => void };

const DIGITS = /^[0-9*#]{1,32}$/;

/** A prompt as the phone hears it: spoken text (with its audio id, if rendered) or a pause. */
type HeardPrompt = { text: string; id: string | null } | { seconds: number };

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * One call on the simulated network, from ringing to its end.
 *
 * Serialization: every phone action, every timer and every report to the engine runs in one
 * queue per call, so at most one CallEvents call is in flight per call and events arrive in the
 * order they happened. An action that arrives while the engine is busy (DTMF typed during the
 * prompts) waits its turn and is then checked against the state it finds; its promise settles
 * when it and the engine's answer to it are done. The first event is reported on a later turn of
 * the event loop than placeCall, so the engine has its providerCallId first. Verity's own hangup
 * does not queue (an engine handler may call it and await it): the call ends at once, and the
 * `ended` report follows the event in flight.
 */
export class SimulatedCall {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  status: SimCallStatus = 'ringing';
  private readonly prompts: SimPrompt[] = [];
  private waiting: Waiting | null = null;
  private cancelRing: () => void = () => undefined;
  private endReported = false;
  private readonly created: number;
  private updated: number;
  private tail: Promise<void>;
  /** Settles once the current step's timeout has started (it waits for the prompts' audio). */
  private timerStarting: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: SimulatedCallDeps,
    call: { sid: string; from: string; to: string },
  ) {
    this.sid = call.sid;
    this.from = call.from;
    this.to = call.to;
    this.created = this.updated = deps.clock.now();
    this.tail = new Promise((resolve) => setImmediate(resolve));
  }

  /** Starts ringing (reported as `ringing`, then `no-answer` after `ringTimeoutSeconds`), or is busy at once. */
  start(ringTimeoutSeconds: number, busy: boolean): void {
    if (busy) {
      this.end('busy');
      void this.enqueue(() => this.reportEnd('the phone is busy'));
      return;
    }
    this.cancelRing = this.deps.timers(() => void this.enqueue(() => this.ringTimedOut()), ringTimeoutSeconds * 1000);
    void this.enqueue(async () => {
      if (this.isOver()) return;
      await this.report('ringing', (events) => events.ringing(this.sid));
    });
  }

  get isActive(): boolean {
    return !this.isOver();
  }

  answer(): Promise<void> {
    return this.enqueue(async () => {
      this.require(this.status === 'ringing', 'the call is not ringing');
      this.cancelRing();
      this.status = 'in-progress';
      this.touch();
      const instruction = await this.report('answered', (events) => events.answered(this.sid));
      if (instruction) await this.execute(instruction);
    });
  }

  reject(): Promise<void> {
    return this.enqueue(async () => {
      this.require(this.status === 'ringing', 'only a ringing call can be rejected');
      this.end('rejected');
      await this.reportEnd('callee rejected the call');
    });
  }

  /** The callee hangs up: `completed`, or `rejected` while it is still ringing. */
  calleeHangup(): Promise<void> {
    return this.enqueue(async () => {
      this.require(!this.isOver(), 'the call has already ended');
      const ringing = this.status === 'ringing';
      this.end(ringing ? 'rejected' : 'completed');
      await this.reportEnd(ringing ? 'callee rejected the call' : 'callee hung up');
    });
  }

  /**
   * Keypad presses, while a gather waits. Digits after the gather is satisfied (maxDigits reached
   * or finishOnKey pressed) are dropped, as the next prompt has not been played yet.
   */
  dtmf(digits: string): Promise<void> {
    if (!DIGITS.test(digits)) return Promise.reject(new SimulatorPhoneError('invalid-input', 'Digits must be 1 to 32 of 0-9, * and #'));
    return this.enqueue(async () => {
      const waiting = this.waiting;
      if (waiting?.kind !== 'gather') throw new SimulatorPhoneError('invalid-state', `The call is not waiting for digits (${this.describeState()})`);
      let done = false;
      for (const key of digits) {
        if (key === waiting.step.finishOnKey) {
          done = true;
          break;
        }
        waiting.collected += key;
        if (waiting.collected.length >= waiting.step.maxDigits) {
          done = true;
          break;
        }
      }
      waiting.cancelTimer();
      if (!done) {
        // timeoutSeconds also applies between digits.
        waiting.cancelTimer = this.deps.timers(() => void this.enqueue(() => this.stepTimedOut(waiting)), waiting.step.timeoutSeconds * 1000);
        return;
      }
      this.waiting = null;
      this.touch();
      await this.continueWith(await this.report('digits', (events) => events.digits(this.sid, waiting.collected)));
    });
  }

  /**
   * The callee speaks, while a record step waits: the WAV (16-bit PCM) goes to the engine as the
   * line would carry it, at most `maxSeconds` long, 8 kHz mono (an 8 kHz mono WAV short enough
   * passes unchanged).
   */
  speak(wav: Buffer): Promise<void> {
    let audio: ReturnType<typeof readWav>;
    try {
      audio = readWav(wav);
    } catch (error) {
      const why = error instanceof WavError ? error.message : 'unreadable';
      return Promise.reject(new SimulatorPhoneError('invalid-input', `Expected a 16-bit PCM WAV (${why})`));
    }
    return this.enqueue(async () => {
      const waiting = this.waiting;
      if (waiting?.kind !== 'record') throw new SimulatorPhoneError('invalid-state', `The call is not recording (${this.describeState()})`);
      waiting.cancelTimer();
      this.waiting = null;
      this.touch();
      const recording = toLineAudio(wav, audio, waiting.step.maxSeconds);
      await this.continueWith(await this.report('recording', (events) => events.recording(this.sid, recording)));
    });
  }

  /** Verity no longer needs the call: `canceled` while ringing, else `completed`. Never waits for the queue. */
  hangupByVerity(): void {
    if (!this.end(this.status === 'ringing' ? 'canceled' : 'completed')) return;
    void this.enqueue(() => this.reportEnd('hung up by Verity'));
  }

  /** Resolves when nothing is queued for this call any more. */
  async idle(): Promise<void> {
    let tail: Promise<void>;
    let starting: Promise<void>;
    do {
      tail = this.tail;
      starting = this.timerStarting;
      await tail;
      await starting;
    } while (tail !== this.tail || starting !== this.timerStarting);
  }

  view(): SimCallView {
    return {
      sid: this.sid,
      from: this.from,
      to: this.to,
      status: this.status,
      prompts: this.prompts.map((prompt) => ({ ...prompt })),
      waiting_for: this.waiting === null ? null : this.waiting.kind === 'gather' ? 'digits' : 'recording',
      date_created: isoSeconds(this.created),
      date_updated: isoSeconds(this.updated),
    };
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async ringTimedOut(): Promise<void> {
    if (this.status !== 'ringing') return;
    this.end('no-answer');
    await this.reportEnd('no answer before the ring timeout');
  }

  /** A gather or record step ran out of time: what was typed so far (Twilio submits it too), or no audio. */
  private async stepTimedOut(waiting: Waiting): Promise<void> {
    if (this.waiting !== waiting) return;
    this.waiting = null;
    this.touch();
    const next =
      waiting.kind === 'gather'
        ? await this.report('digits', (events) => events.digits(this.sid, waiting.collected))
        : await this.report('recording', (events) => events.recording(this.sid, Buffer.alloc(0)));
    await this.continueWith(next);
  }

  private async continueWith(instruction: CallInstruction | undefined): Promise<void> {
    if (instruction) await this.execute(instruction);
  }

  /** Speaks the prompts, then waits for the phone or hangs up. */
  private async execute(instruction: CallInstruction): Promise<void> {
    // Verity may have hung up while the engine was answering.
    if (this.isOver()) return;
    const step = instruction.then;
    const heard: HeardPrompt[] = [];
    for (const prompt of spokenPrompts(instruction)) {
      if (prompt.kind === 'pause') {
        heard.push({ seconds: prompt.seconds });
        continue;
      }
      const id = await this.prepareAudio(prompt.text, prompt.locale);
      heard.push({ text: prompt.text, id });
      this.prompts.push({ text: prompt.text, locale: prompt.locale, audio_url: id === null ? null : this.deps.audioUrl(id), date: isoSeconds(this.deps.clock.now()) });
    }
    if (this.isOver()) return;
    if (step.kind === 'hangup') {
      this.end('completed');
      await this.reportEnd('the call script hung up');
      return;
    }
    const waiting: Waiting =
      step.kind === 'gather'
        ? { kind: 'gather', step, collected: '', cancelTimer: () => undefined }
        : { kind: 'record', step, cancelTimer: () => undefined };
    this.waiting = waiting;
    this.touch();
    // Keys are taken at once, but the step's timeout starts only once its last prompt has been
    // heard, as on a carrier (TwiML's <Gather> around <Say>, BXML's firstDigitTimeout): the caller
    // always gets the step's whole window after the prompts, however long they are.
    const startTimer = (speakingSeconds: number): void => {
      // Gone, or a key already came (its inter-digit timer runs instead).
      if (this.waiting !== waiting || (waiting.kind === 'gather' && waiting.collected !== '')) return;
      const waitSeconds = speakingSeconds + (step.kind === 'gather' ? step.timeoutSeconds : step.maxSeconds);
      waiting.cancelTimer = this.deps.timers(() => void this.enqueue(() => this.stepTimedOut(waiting)), waitSeconds * 1000);
    };
    if (heard.every((prompt) => !('id' in prompt) || prompt.id === null)) {
      startTimer(sum(heard.map((prompt) => this.estimatedSeconds(prompt))));
      return;
    }
    // With audio, its real length counts: known once rendered (the phone fetches the same audio).
    this.timerStarting = Promise.all(heard.map((prompt) => this.spokenSeconds(prompt))).then((seconds) => startTimer(sum(seconds)));
  }

  /** How long a prompt plays: its rendered audio's length, else an estimate from its text. */
  private async spokenSeconds(prompt: HeardPrompt): Promise<number> {
    if ('id' in prompt && prompt.id !== null && this.deps.audio) {
      try {
        const wav = await this.deps.audio.get(prompt.id);
        if (wav) {
          const audio = readWav(wav);
          return audio.samples.length / audio.sampleRate;
        }
      } catch {
        // An unreadable rendering is estimated like a missing one.
      }
    }
    return this.estimatedSeconds(prompt);
  }

  private estimatedSeconds(prompt: HeardPrompt): number {
    return 'seconds' in prompt ? prompt.seconds : prompt.text.length / this.deps.speechCharsPerSecond;
  }

  private async prepareAudio(text: string, locale: string): Promise<string | null> {
    if (!this.deps.audio) return null;
    try {
      return await this.deps.audio.prepare(text, locale);
    } catch {
      return null;
    }
  }

  /**
   * Reports one event to the engine. If the engine throws (or takes longer than eventTimeoutMs),
   * the call ends as `failed` and undefined is returned: a call is never left waiting.
   */
  private async report<T>(event: string, send: (events: CallEvents) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.withTimeout(event, send(this.deps.events()));
    } catch (error) {
      this.deps.logger?.error({ callSid: this.sid, event, err: errorMessage(error) }, 'the engine failed on a simulated call event; ending the call as failed');
      this.end('failed');
      await this.reportEnd(`engine error on ${event}`);
      return undefined;
    }
  }

  /** Sends `ended` once, with the call's final status. An engine error here is only logged. */
  private async reportEnd(detail: string): Promise<void> {
    if (this.endReported) return;
    this.endReported = true;
    const how = this.status as CallEnd;
    try {
      await this.withTimeout('ended', this.deps.events().ended(this.sid, how, detail));
    } catch (error) {
      this.deps.logger?.error({ callSid: this.sid, event: 'ended', how, err: errorMessage(error) }, 'the engine failed on a simulated call end');
    }
  }

  private async withTimeout<T>(event: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      // Not unref'd: it lives only while the engine works on an event, which is real work.
      timer = setTimeout(() => reject(new Error(`no answer to ${event} within ${this.deps.eventTimeoutMs} ms`)), this.deps.eventTimeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Moves to a final status; false if the call had already ended. */
  private end(how: CallEnd): boolean {
    if (this.isOver()) return false;
    this.status = how;
    this.cancelRing();
    this.waiting?.cancelTimer();
    this.waiting = null;
    this.touch();
    return true;
  }

  private isOver(): boolean {
    return this.status !== 'ringing' && this.status !== 'in-progress';
  }

  private require(condition: boolean, why: string): void {
    if (!condition) throw new SimulatorPhoneError('invalid-state', `${why[0]?.toUpperCase() ?? ''}${why.slice(1)} (${this.describeState()})`);
  }

  private describeState(): string {
    if (this.isOver()) return `the call has ended: ${this.status}`;
    if (this.status === 'ringing') return 'the call is ringing';
    if (this.waiting?.kind === 'gather') return 'the call is waiting for digits';
    if (this.waiting?.kind === 'record') return 'the call is waiting for a recording';
    return 'the call is playing prompts';
  }

  private touch(): void {
    this.updated = this.deps.clock.now();
    this.deps.onChange(this);
  }
}

/** What a phone line delivers: at most `maxSeconds`, 8 kHz mono 16-bit. */
function toLineAudio(original: Buffer, audio: ReturnType<typeof readWav>, maxSeconds: number): Buffer {
  const maxSamples = Math.max(0, Math.floor(maxSeconds * audio.sampleRate));
  if (audio.sampleRate === TELEPHONE_RATE && audio.channels === 1 && audio.samples.length <= maxSamples) return original;
  const clipped = { sampleRate: audio.sampleRate, samples: audio.samples.subarray(0, maxSamples) };
  return writeWav(audio.sampleRate === TELEPHONE_RATE ? clipped : toTelephoneBand(clipped));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
