/**
 * The 20 ms clock every RTP stream of the process sends on: ONE timer for all calls rather than a
 * setInterval per call (50 intervals drift apart and wake the event loop 50 times per period).
 * Ticks are scheduled against a fixed epoch on the monotonic clock (`performance.now()`), so the
 * lateness of one wake-up never accumulates; when the event loop was blocked, the ticks owed are
 * run back to back (catch-up) up to `maxCatchUp`, and older ones are reported as skipped so each
 * stream keeps its RTP timestamps in step with real time. The timer is unref'd: an idle pacer
 * never keeps the process alive, and it stops when the last stream leaves.
 */

/** Called once per frame slot; `skipped` counts slots dropped before this one (the loop was stalled too long). */
export type PacerListener = (skipped: number) => void;

/** Runs `wake` after `ms`; returns the function that cancels it. */
export type PacerTimer = (wake: () => void, ms: number) => () => void;

/** Real timers, unref'd: an idle pacer never keeps the process alive. */
const realTimer: PacerTimer = (wake, ms) => {
  const timer = setTimeout(wake, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export interface RtpPacerOptions {
  periodMs?: number;
  /** Ticks run back to back after a stall before older ones are skipped. Default 5 (100 ms). */
  maxCatchUp?: number;
  /** The monotonic clock (tests: a virtual one, with `timer`). Default performance.now(). */
  now?: () => number;
  timer?: PacerTimer;
}

export class RtpPacer {
  readonly periodMs: number;
  private readonly maxCatchUp: number;
  private readonly now: () => number;
  private readonly setTimer: PacerTimer;
  private readonly listeners = new Set<PacerListener>();
  /** Cancels the pending wake-up; undefined when none is pending. */
  private timer: (() => void) | undefined;
  private epoch = 0;
  /** The next tick to run: tick n is due at epoch + n·period. */
  private next = 0;
  /** Open lateness recordings (measureLateness); several may overlap. */
  private readonly recordings = new Set<number[]>();
  /** Inside wake(): a join from a listener must not start a second timer. */
  private waking = false;

  constructor(options: RtpPacerOptions = {}) {
    this.periodMs = options.periodMs ?? 20;
    this.maxCatchUp = options.maxCatchUp ?? 5;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.timer ?? realTimer;
  }

  /** Starts calling `listener` every period (first call at the next tick of the shared grid); returns the leave function. */
  join(listener: PacerListener): () => void {
    this.listeners.add(listener);
    if (this.timer === undefined && !this.waking) {
      this.epoch = this.now();
      this.next = 1;
      this.schedule();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        this.timer();
        this.timer = undefined;
      }
    };
  }

  get size(): number {
    return this.listeners.size;
  }

  /**
   * Records, until the returned function is called (it returns the samples), how late each tick's last
   * listener finished, in ms after the tick's ideal time: an upper bound of every packet's send lateness.
   */
  measureLateness(): () => number[] {
    const samples: number[] = [];
    this.recordings.add(samples);
    return () => {
      this.recordings.delete(samples);
      return samples;
    };
  }

  private schedule(): void {
    const wait = this.epoch + this.next * this.periodMs - this.now();
    // libuv timers have 1 ms granularity: ask for the floor and accept a wake-up up to 1 ms early
    // (see `due`), which keeps the error symmetric instead of always late.
    this.timer = this.setTimer(() => this.wake(), Math.max(0, Math.floor(wait)));
  }

  private wake(): void {
    this.timer = undefined;
    this.waking = true;
    const now = this.now();
    const due = Math.floor((now - this.epoch + 1) / this.periodMs);
    let skipped = 0;
    if (due - this.next + 1 > this.maxCatchUp) {
      skipped = due - this.next + 1 - this.maxCatchUp;
      this.next += skipped;
    }
    while (this.next <= due) {
      const ideal = this.epoch + this.next * this.periodMs;
      this.next++;
      for (const listener of [...this.listeners]) {
        try {
          listener(skipped);
        } catch {
          // One stream's failure must not stop the clock of every other call.
        }
      }
      // Measured after every stream has sent: the lateness of the tick's last packet.
      if (this.recordings.size > 0) {
        const lateness = this.now() - ideal;
        for (const samples of this.recordings) samples.push(lateness);
      }
      skipped = 0;
    }
    this.waking = false;
    if (this.listeners.size > 0) this.schedule();
  }
}

/** The process-wide pacer shared by every media session. */
export const sharedPacer = new RtpPacer();
