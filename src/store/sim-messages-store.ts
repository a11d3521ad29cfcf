import type { Kysely } from 'kysely';
import { oneOf } from './codecs/column.ts';
import { prepared } from './prepared.ts';
import { DELIVERY_CHANNELS, SIM_MESSAGE_STATUSES, type Database, type SimMessageRow, type SimMessageStatus } from './schema.ts';
import { insertRow } from './shaped-statements.ts';

const channel = oneOf('sim_messages.channel', DELIVERY_CHANNELS);
const status = oneOf('sim_messages.status', SIM_MESSAGE_STATUSES);

const COLUMNS = ['channel', 'to_address', 'from_address', 'subject', 'body', 'date_created', 'message_id', 'instance', 'attempt_id', 'status', 'error_code', 'date_updated'] as const;

type StoredSimMessage = Omit<SimMessageRow, 'seq'>;

// The simulator writes and reads these for every message (compiled once; see prepared.ts).
const byMessageIdQuery = prepared((db, messageId: string) => db.selectFrom('sim_messages').select(COLUMNS).where('message_id', '=', messageId));
/** One conditional UPDATE per set of statuses it may move from (a handful). */
const advanceQueries = new Map<string, ReturnType<typeof advanceQuery>>();
const advanceQuery = (allowedFrom: readonly SimMessageStatus[]) =>
  prepared((db, messageId: string, to: SimMessageStatus, errorCode: string | null, at: number) =>
    db
      .updateTable('sim_messages')
      .set({ status: to, error_code: errorCode, date_updated: at })
      .where('message_id', '=', messageId)
      .where('status', 'in', [...allowedFrom])
      .returning(COLUMNS),
  );

function decode(row: Omit<StoredSimMessage, 'channel' | 'status'> & { channel: string; status: string }): StoredSimMessage {
  return { ...row, channel: channel(row.channel), status: status(row.status) };
}

/** The statuses a message may still move to from `from` (forward only, as src/messaging/delivery-status.ts says). */
function laterStatuses(from: SimMessageStatus): SimMessageStatus[] {
  if (from === 'queued') return ['sent', 'delivered', 'undelivered', 'failed'];
  if (from === 'sent') return ['delivered', 'undelivered', 'failed'];
  return [];
}

/** The simulated carrier's mailbox (`sim_messages`, development only). */
export class SimMessagesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: StoredSimMessage): Promise<void> {
    await insertRow(this.db, 'sim_messages', row);
  }

  /** The newest `limit` messages to `address`, newest first. */
  async listTo(address: string, limit: number): Promise<StoredSimMessage[]> {
    const rows = await this.db.selectFrom('sim_messages').select(COLUMNS).where('to_address', '=', address).orderBy('seq', 'desc').limit(limit).execute();
    return rows.map(decode);
  }

  async byMessageId(messageId: string): Promise<StoredSimMessage | undefined> {
    const row = (await byMessageIdQuery(this.db, messageId))[0];
    return row && decode(row);
  }

  /**
   * Moves a message to `to` in one conditional UPDATE … RETURNING, only forward (a final status never changes)
   * and, with `from`, only from that status (a scheduled step that a hand-set status overtook does
   * nothing). Answers the message after the change, or undefined when nothing changed.
   */
  async advance(messageId: string, change: { to: SimMessageStatus; from?: SimMessageStatus; errorCode: string | null; at: number }): Promise<StoredSimMessage | undefined> {
    const allowedFrom = SIM_MESSAGE_STATUSES.filter((s) => laterStatuses(s).includes(change.to) && (change.from === undefined || change.from === s));
    if (allowedFrom.length === 0) return undefined;
    const key = allowedFrom.join(',');
    let update = advanceQueries.get(key);
    if (!update) advanceQueries.set(key, (update = advanceQuery(allowedFrom)));
    // message_id is unique: the row RETURNING gives is the one byMessageId would read after the change.
    const row = (await update(this.db, messageId, change.to, change.errorCode, change.at))[0];
    return row && decode(row);
  }
}
