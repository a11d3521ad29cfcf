/** Injectable time source, so tests can move time instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock the tests drive by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/** One reading of another clock: its time, and the local wall-clock times just before and after asking. */
export interface ClockSample {
  sentAt: number;
  remoteMs: number;
  receivedAt: number;
}

/** The offset of a remote clock from ours, from the sample with the shortest round trip (the least uncertain). */
export function offsetFromSamples(samples: readonly ClockSample[]): { offsetMs: number; roundTripMs: number } | undefined {
  let best: ClockSample | undefined;
  for (const s of samples) if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s;
  if (!best) return undefined;
  const roundTripMs = best.receivedAt - best.sentAt;
  // The remote read its clock somewhere in the round trip: assume the middle (error at most half the round trip).
  return { offsetMs: best.remoteMs - (best.sentAt + roundTripMs / 2), roundTripMs };
}

/**
 * The database's clock, read without a statement: the system clock plus an offset measured against the
 * database server (several samples, the one with the shortest round trip, re-measured every 30 s by
 * `sync`). Every node on one database then agrees on "now" for expiry, leases and buckets to within
 * a millisecond or two, whatever each machine's own clock says (docs/scaling.md, "One clock").
 */
export class DatabaseClock implements Clock {
  private offset = 0;

  constructor(private readonly readRemote: () => Promise<number>, private readonly samples = 5) {}

  now(): number {
    return Date.now() + this.offset;
  }

  /** The current offset from the system clock, in milliseconds (positive: the database is ahead). */
  get offsetMs(): number {
    return this.offset;
  }

  /** Measures the offset again; returns the change (how far this node's idea of "now" moved). */
  async sync(): Promise<{ offsetMs: number; roundTripMs: number; changeMs: number }> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < this.samples; i++) {
      const sentAt = Date.now();
      const started = performance.now();
      const remoteMs = await this.readRemote();
      // The round trip from the monotonic clock: the wall clock may step while we wait.
      samples.push({ sentAt, remoteMs, receivedAt: sentAt + (performance.now() - started) });
    }
    const measured = offsetFromSamples(samples);
    if (!measured) return { offsetMs: this.offset, roundTripMs: 0, changeMs: 0 };
    // Whole milliseconds: every time column is an integer (bigint on PostgreSQL).
    const offsetMs = Math.round(measured.offsetMs);
    const changeMs = offsetMs - this.offset;
    this.offset = offsetMs;
    return { offsetMs, roundTripMs: measured.roundTripMs, changeMs };
  }
}
