import { writeWav } from '../../../audio/line-audio.ts';
import { spokenPrompts, type CallInstruction, type Gather, type Prompt, type Record } from '../../../voice/call-script.ts';
import type { MediaSession } from './media-session.ts';

/** Renders a prompt to 8 kHz 16-bit audio (src/audio/prompt-audio.ts with espeak-ng), or null without audio. */
export type RenderPrompt = (text: string, locale: string) => Promise<Int16Array | null>;

/** What a CallInstruction's last step produced. */
export type InstructionOutcome =
  | { kind: 'digits'; digits: string }
  | { kind: 'recording'; wav: Buffer }
  | { kind: 'hangup' };

export interface PlayInstructionOptions {
  render: RenderPrompt;
  /** Aborted when the call ends (the callee's BYE): the promise then resolves `hangup`. */
  signal: AbortSignal;
  /** Called when each prompt starts playing (progress events: `prompt played`). */
  onPrompt?: (text: string) => void;
}

const SAMPLE_RATE = 8000;
const FRAMES_PER_SECOND = 50;
/** A frame is voice when louder than this (RMS, 16-bit; ≈ −44 dBFS) and 10 dB over the noise floor. */
const MIN_VOICE_RMS = 200;
const VOICE_OVER_FLOOR = 10 ** (10 / 20);
/** Kept after the last voiced frame when a recording ends on silence. */
const TRAILING_SILENCE_FRAMES = 10;

/** The beep before a recording (TwiML `<Record playBeep>`; the prompts say "after the beep"): 1 kHz, 250 ms. */
const BEEP = (() => {
  const samples = new Int16Array(SAMPLE_RATE / 4);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / SAMPLE_RATE));
  return samples;
})();

const HANGUP: InstructionOutcome = { kind: 'hangup' };

/**
 * Runs one CallInstruction on a call's media with the semantics of src/voice/call-script.ts:
 * - `gather`: every prompt plays (the instruction's, then the gather's) until a key is pressed; keys
 *   pressed during the prompts count. Input ends at `maxDigits` digits, on `finishOnKey` (not part of
 *   the digits), or `timeoutSeconds` after the last prompt finished (or was interrupted) without a
 *   digit, and then between digits; what was typed is the outcome ('' when nothing came).
 * - `record`: the prompts play (keys do not interrupt), a beep, then the caller's audio is recorded
 *   until `maxSeconds` or `silenceSeconds` without voice (an energy detector over a tracked noise
 *   floor), as an 8 kHz 16-bit WAV.
 * - `hangup`: the prompts play, then `{kind:'hangup'}`.
 * When `options.signal` aborts (the call ended) it resolves `{kind:'hangup'}` at once and stops
 * playing. It never rejects: a prompt that cannot be rendered is skipped.
 *
 * @example
 * const outcome = await playInstruction(media, instruction, { render, signal: call.ended, onPrompt: (text) => log('prompt') });
 */
export async function playInstruction(session: MediaSession, instruction: CallInstruction, options: PlayInstructionOptions): Promise<InstructionOutcome> {
  const { signal } = options;
  if (signal.aborted) return HANGUP;
  const then = instruction.then;
  const prompts = spokenPrompts(instruction);
  // Render every prompt at once (they are cached per text and locale): the next is ready when one ends.
  const rendered = prompts.map((prompt) => (prompt.kind === 'say' ? options.render(prompt.text, prompt.locale).catch(() => null) : Promise.resolve(null)));
  let onCallEnd = () => undefined as void;
  const hangup = new Promise<InstructionOutcome>((resolve) => {
    onCallEnd = () => resolve(HANGUP);
    signal.addEventListener('abort', onCallEnd, { once: true });
  });
  const step =
    then.kind === 'gather'
      ? gather(session, then, prompts, rendered, options)
      : then.kind === 'record'
        ? record(session, then, prompts, rendered, options)
        : playPrompts(session, prompts, rendered, options, signal).then(() => HANGUP);
  try {
    return await Promise.race([hangup, step]);
  } finally {
    // One signal serves every instruction of a call: leave no listener behind.
    signal.removeEventListener('abort', onCallEnd);
  }
}

/** Plays prompts in order until `stop` aborts. */
async function playPrompts(session: MediaSession, prompts: Prompt[], rendered: Promise<Int16Array | null>[], options: PlayInstructionOptions, stop: AbortSignal): Promise<void> {
  for (const [index, prompt] of prompts.entries()) {
    if (stop.aborted) return;
    if (prompt.kind === 'pause') {
      await delay(prompt.seconds * 1000, stop);
      continue;
    }
    const samples = await rendered[index]!;
    if (stop.aborted) return;
    try {
      options.onPrompt?.(prompt.text);
    } catch {
      // A progress report that fails must not stop the call's audio.
    }
    if (samples && samples.length > 0) await session.play(samples, stop);
  }
}

function gather(session: MediaSession, step: Gather, prompts: Prompt[], rendered: Promise<Int16Array | null>[], options: PlayInstructionOptions): Promise<InstructionOutcome> {
  return new Promise((resolve) => {
    // Aborted by the first key (stops the prompts), by the end of the gather, or by the call's end.
    const prompting = new AbortController();
    const onCallEnd = () => finish();
    options.signal.addEventListener('abort', onCallEnd, { once: true });
    let digits = '';
    let promptsOver = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      prompting.abort();
      options.signal.removeEventListener('abort', onCallEnd);
      resolve({ kind: 'digits', digits });
    };
    const armTimeout = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, Math.max(0, step.timeoutSeconds * 1000));
    };
    const unsubscribe = session.onDigit((digit) => {
      if (done) return;
      prompting.abort();
      if (step.finishOnKey !== null && digit === step.finishOnKey) return finish();
      digits += digit;
      if (digits.length >= step.maxDigits) return finish();
      if (promptsOver) armTimeout();
    });
    void playPrompts(session, prompts, rendered, options, prompting.signal).then(() => {
      promptsOver = true;
      if (!done) armTimeout();
    });
  });
}

async function record(session: MediaSession, step: Record, prompts: Prompt[], rendered: Promise<Int16Array | null>[], options: PlayInstructionOptions): Promise<InstructionOutcome> {
  const { signal } = options;
  await playPrompts(session, prompts, rendered, options, signal);
  if (signal.aborted) return HANGUP;
  await session.play(BEEP, signal);
  if (signal.aborted) return HANGUP;
  return new Promise((resolve) => {
    const frames: Int16Array[] = [];
    const started = performance.now();
    let lastVoiceAt = started;
    let lastVoiceFrame = -1;
    let noiseFloor = MIN_VOICE_RMS;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const maxFrames = Math.max(1, Math.round(step.maxSeconds * FRAMES_PER_SECOND));
    const finish = (onSilence: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', onCallEnd);
      // Ended by silence: the seconds of silence that ended it are not part of what the caller said.
      const kept = onSilence ? frames.slice(0, Math.min(frames.length, lastVoiceFrame + 1 + TRAILING_SILENCE_FRAMES)) : frames;
      const samples = new Int16Array(kept.reduce((n, frame) => n + frame.length, 0));
      let offset = 0;
      for (const frame of kept) {
        samples.set(frame, offset);
        offset += frame.length;
      }
      resolve({ kind: 'recording', wav: writeWav({ sampleRate: SAMPLE_RATE, samples }) });
    };
    const onCallEnd = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(HANGUP);
    };
    signal.addEventListener('abort', onCallEnd, { once: true });
    /** Checks the two limits on the wall clock too: a caller whose phone sends no RTP still ends the recording. */
    const check = () => {
      const now = performance.now();
      const untilMax = started + step.maxSeconds * 1000 - now;
      const untilSilence = lastVoiceAt + step.silenceSeconds * 1000 - now;
      if (untilMax <= 0) return finish(false);
      if (untilSilence <= 0) return finish(true);
      clearTimeout(timer);
      timer = setTimeout(check, Math.min(untilMax, untilSilence) + 1);
    };
    const unsubscribe = session.onAudio((frame) => {
      if (done) return;
      frames.push(frame);
      let sum = 0;
      for (const sample of frame) sum += sample * sample;
      const rms = Math.sqrt(sum / Math.max(1, frame.length));
      // The floor follows quiet frames at once and loud ones slowly (a second or two), so steady line
      // noise is not taken for voice for long, and speech does not raise it much.
      noiseFloor = rms < noiseFloor ? Math.max(rms, 1) : noiseFloor + (rms - noiseFloor) * 0.01;
      if (rms >= MIN_VOICE_RMS && rms >= Math.min(noiseFloor, MIN_VOICE_RMS * 4) * VOICE_OVER_FLOOR) {
        lastVoiceAt = performance.now();
        lastVoiceFrame = frames.length - 1;
      }
      if (frames.length >= maxFrames) finish(false);
    });
    check();
  });
}

/** Waits `ms`, or less when `stop` aborts. */
function delay(ms: number, stop: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    stop.addEventListener('abort', done, { once: true });
  });
}
