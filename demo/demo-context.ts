import { VerityClient, type FetchLike } from '@verity/sdk';
import type { DemoConfig } from './config.ts';
import { CallProgress } from './routes/call-progress.ts';
import { Sessions } from './sessions.ts';
import { openDemoDatabase, type DemoDatabase } from './store/demo-database.ts';
import { RememberedDevices } from './users/remembered-devices.ts';
import { SigninThrottle } from './users/signin-throttle.ts';
import { UsedResults } from './users/used-results.ts';
import { UsersStore } from './users/users-store.ts';

/** Everything the demo's routes use, built once. */
export interface DemoContext {
  config: DemoConfig;
  verity: VerityClient;
  db: DemoDatabase;
  users: UsersStore;
  sessions: Sessions;
  devices: RememberedDevices;
  usedResults: UsedResults;
  calls: CallProgress;
  throttle: SigninThrottle;
  /** Milliseconds since the epoch: the hand-off's request and result times (tests share Verity's clock). */
  now: () => number;
}

export function createDemoContext(config: DemoConfig, options: { fetch?: FetchLike; now?: () => number } = {}): DemoContext {
  const db = openDemoDatabase(config.databasePath);
  return {
    config,
    verity: new VerityClient({ baseUrl: config.verityUrl, accountSid: config.accountSid, authToken: config.authToken, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    db,
    users: new UsersStore(db),
    sessions: new Sessions(db, config.publicUrl.startsWith('https:')),
    devices: new RememberedDevices(db),
    usedResults: new UsedResults(db),
    calls: new CallProgress(),
    throttle: new SigninThrottle(),
    now: options.now ?? Date.now,
  };
}
