/**
 * Puts events back in sequence order. Verity numbers the events of a stream 1, 2, 3, … (the SSE
 * `id:`), but after a reconnect, or behind a proxy that retries, an event can arrive twice or after
 * a later one. This buffer releases events strictly in order: a duplicate, or anything at or below
 * the last released sequence, is dropped; an event after a gap waits until the gap fills, or until
 * the caller gives up on the gap with `flush()`.
 */
export class SequenceBuffer<T> {
  private readonly pending = new Map<number, T>();
  private released: number;

  /** `after`: the last sequence already seen (a resumed stream's Last-Event-ID), 0 for none. */
  constructor(after = 0) {
    this.released = after;
  }

  /** The highest sequence released so far: what to send as Last-Event-ID on reconnect. */
  get lastReleased(): number {
    return this.released;
  }

  /** Whether events are waiting for a missing sequence. */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** Takes one event; returns the events now releasable, in order (possibly none). */
  accept(sequence: number, item: T): T[] {
    if (sequence <= this.released || this.pending.has(sequence)) return [];
    this.pending.set(sequence, item);
    const out: T[] = [];
    for (let next = this.pending.get(this.released + 1); next !== undefined; next = this.pending.get(this.released + 1)) {
      this.pending.delete(this.released + 1);
      this.released += 1;
      out.push(next);
    }
    return out;
  }

  /** Gives up on the missing sequences: releases every waiting event in order; late arrivals below are then dropped. */
  flush(): T[] {
    const sequences = [...this.pending.keys()].sort((a, b) => a - b);
    const out = sequences.map((s) => this.pending.get(s) as T);
    this.pending.clear();
    if (sequences.length > 0) this.released = sequences[sequences.length - 1] as number;
    return out;
  }
}
