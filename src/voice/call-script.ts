/**
 * The provider-neutral language of a call. A flow (src/voice/flows) answers each call event with a
 * CallInstruction: some prompts, then one step that waits for the caller (gather digits, record)
 * or ends the call. Providers only render an instruction (TwiML, BXML, the simulated phone) and
 * report what happened next; they never decide anything.
 */

/** Speak `text` with a voice for `locale` (BCP 47, e.g. `en`, `fr-CA`). */
interface Say {
  kind: 'say';
  text: string;
  locale: string;
}

interface Pause {
  kind: 'pause';
  seconds: number;
}

export type Prompt = Say | Pause;

/**
 * Play `prompt` and collect keypad digits; reported back as `digits` ('' when nothing came). Keys
 * pressed while the prompts play count (a key interrupts them).
 */
export interface Gather {
  kind: 'gather';
  prompt: Prompt[];
  /** Input ends at this many digits: the last digit submits, no key is needed after it. */
  maxDigits: number;
  /**
   * Seconds to wait for the first digit, counted from the moment the last prompt has finished
   * playing (TwiML `<Gather timeout>` around `<Say>`, BXML `firstDigitTimeout`, the simulated phone
   * alike), and then between digits.
   */
  timeoutSeconds: number;
  /**
   * A key that ends input early (not part of the digits), or null for none. A flow that sets one
   * must say so in its prompt; the built-in flows use none (input ends on the last digit).
   */
  finishOnKey: string | null;
}

/** Play `prompt` then record the caller; reported back as a recording (16-bit PCM WAV). */
export interface Record {
  kind: 'record';
  prompt: Prompt[];
  maxSeconds: number;
  /** Stop after this many seconds of silence. */
  silenceSeconds: number;
}

interface Hangup {
  kind: 'hangup';
}

/** What the call does now: speak `prompts` in order, then `then`. */
export interface CallInstruction {
  prompts: Prompt[];
  then: Gather | Record | Hangup;
}

/** Every prompt an instruction plays, in order: its own, then its gather's or record's. */
export function spokenPrompts(instruction: CallInstruction): Prompt[] {
  return instruction.then.kind === 'hangup' ? instruction.prompts : [...instruction.prompts, ...instruction.then.prompt];
}

/** How a call ended, as every provider can report it. */
export type CallEnd = 'completed' | 'busy' | 'no-answer' | 'rejected' | 'failed' | 'canceled';
