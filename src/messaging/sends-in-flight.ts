/**
 * The sends of this process whose provider has not answered yet, per provider instance, and who
 * waits for one of their message ids. A carrier can report a message before its `send()` resolves
 * (an SMPP `deliver_sm` read right after the `submit_sm_resp`, a fast webhook): the receipt then
 * names an id no attempt has yet. While a send of that instance is in flight here, the sink waits
 * for the id to be registered (bounded), instead of answering `unknown` and losing a receipt the
 * carrier will not send again.
 */
export class SendsInFlight {
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, Set<(found: boolean) => void>>();

  /** Marks a send through `instance` as started; call the returned function once it answered (either way). */
  begin(instance: string): () => void {
    this.counts.set(instance, (this.counts.get(instance) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.counts.get(instance) ?? 1) - 1;
      if (left > 0) this.counts.set(instance, left);
      else this.counts.delete(instance);
      // Whoever still waits on this instance without a match will not get one from this send.
      if (left === 0) for (const [key, set] of this.waiters) if (key.startsWith(`${instance}\n`)) for (const wake of set) wake(false);
    };
  }

  /** Registered ids wake whoever waits for them. */
  registered(instance: string, messageIds: readonly string[]): void {
    for (const id of messageIds) for (const wake of this.waiters.get(key(instance, id)) ?? []) wake(true);
  }

  /**
   * Resolves true once `messageId` of `instance` is registered, false at once when no send of that
   * instance is in flight, or when they all answered without it, or after `timeoutMs`.
   */
  waitFor(instance: string, messageId: string, timeoutMs: number): Promise<boolean> {
    if (!this.counts.has(instance)) return Promise.resolve(false);
    const k = key(instance, messageId);
    return new Promise((resolve) => {
      const set = this.waiters.get(k) ?? new Set();
      this.waiters.set(k, set);
      const finish = (found: boolean): void => {
        clearTimeout(timer);
        set.delete(finish);
        if (set.size === 0) this.waiters.delete(k);
        resolve(found);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      timer.unref();
      set.add(finish);
    });
  }
}

const key = (instance: string, messageId: string): string => `${instance}\n${messageId}`;
