import type { Kysely } from 'kysely';
import { decodeHandoffSigningKey, encodeHandoffSigningKey } from './codecs/handoff-codecs.ts';
import type { Database, HandoffSigningKeyRow } from './schema.ts';

/** Verity's hand-off signing keys: one current key (`retired_at` null) and older ones until they retire. */
export class HandoffKeysStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The newest key that is not being retired (two processes may race to create the first key: either wins). */
  async current(): Promise<HandoffSigningKeyRow | undefined> {
    const row = await this.db
      .selectFrom('handoff_signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('date_created', 'desc')
      .orderBy('kid', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && decodeHandoffSigningKey(row);
  }

  /** Keys still published at `now`: the current one and those whose retirement lies ahead. */
  async published(now: number): Promise<HandoffSigningKeyRow[]> {
    const rows = await this.db
      .selectFrom('handoff_signing_keys')
      .selectAll()
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now)]))
      .orderBy('date_created', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    return rows.map(decodeHandoffSigningKey);
  }

  /** Marks every current key to retire at `retireAt` and inserts `next` as the new current key, atomically. */
  async rotate(next: HandoffSigningKeyRow, retireAt: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('handoff_signing_keys').set({ retired_at: retireAt }).where('retired_at', 'is', null).execute();
      await trx.insertInto('handoff_signing_keys').values(encodeHandoffSigningKey(next)).execute();
    });
  }

  async insert(row: HandoffSigningKeyRow): Promise<void> {
    await this.db.insertInto('handoff_signing_keys').values(encodeHandoffSigningKey(row)).execute();
  }
}
