import type { EventBus } from '../../src/events/event-bus.ts';

/**
 * Resolves once `check` returns true, checking every `intervalMs` until `timeoutMs` has passed (then
 * rejects, naming `what`). For effects of background work the test cannot await directly; never a
 * fixed sleep.
 */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, { timeoutMs = 10_000, intervalMs = 10 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves when something (a live stream the test opened, through the server) subscribes to `topic`
 * on the app's event bus: from then on a change published to that topic reaches the stream live.
 * Call it before opening the stream.
 */
export function nextSubscription<T>(bus: EventBus<T>, topic: string, timeoutMs = 20_000): Promise<void> {
  const original = bus.subscribe;
  return new Promise((resolve, reject) => {
    const restore = () => {
      clearTimeout(timer);
      bus.subscribe = original;
    };
    const timer = setTimeout(() => {
      restore();
      reject(new Error(`nothing subscribed to ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    bus.subscribe = function (this: EventBus<T>, subscribed: string, listener: (value: T) => void) {
      const unsubscribe = original.call(this, subscribed, listener);
      if (subscribed === topic) {
        restore();
        resolve();
      }
      return unsubscribe;
    };
  });
}
