import type { Logger } from 'pino';
import type { DatabaseClock } from '../crypto/clock.ts';
import type { BackgroundJob } from './background-jobs.ts';

/** How often a node re-measures its offset to the database's clock. */
const SYNC_INTERVAL_MS = 30_000;
/** A larger change between two measurements means a clock stepped (NTP, a VM resumed): worth an operator's look. */
const STEP_WARNING_MS = 1_000;

/**
 * Keeps a node's DatabaseClock on the database server's clock: re-measured every 30 s in every process
 * (workers too: each has its own offset). A failed measurement keeps the last offset.
 */
export function keepClockInSync(clock: DatabaseClock, logger: Pick<Logger, 'warn'>): BackgroundJob {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = clock
      .sync()
      .then((result) => {
        if (Math.abs(result.changeMs) > STEP_WARNING_MS) logger.warn({ changeMs: Math.round(result.changeMs), offsetMs: Math.round(result.offsetMs) }, 'the offset to the database clock jumped: a clock was stepped');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not read the database clock; keeping the last offset'));
  }, SYNC_INTERVAL_MS);
  timer.unref();
  return {
    name: 'database-clock',
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
