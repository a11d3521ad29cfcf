import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { newSid } from '../../src/crypto/random.ts';
import { handoffBranding } from '../../src/store/migrations/0028-handoff-branding.ts';
import { HandoffClientsStore } from '../../src/store/handoff-clients-store.ts';
import type { HandoffClientRow } from '../../src/store/schema.ts';
import { DATABASE_KINDS, insertAccountAndService, openTestDatabase, type TestDatabase } from '../store/test-database.ts';

/** The branding columns and the logo table (migration 0028) on each database, through HandoffClientsStore. */
for (const kind of DATABASE_KINDS) {
  describe(`hand-off client branding store (${kind.name})`, () => {
    let t: TestDatabase;
    let store: HandoffClientsStore;
    let serviceSid: string;
    let accountSid: string;
    before(async () => {
      t = await openTestDatabase(kind);
      store = new HandoffClientsStore(t.db.kysely);
      const service = await insertAccountAndService(t.db, 1000);
      serviceSid = service.sid;
      accountSid = service.account_sid;
    });
    after(async () => t.close());

    const clientRow = (patch: Partial<HandoffClientRow> = {}): HandoffClientRow => ({
      sid: newSid('HC'), account_sid: accountSid, service_sid: serviceSid, friendly_name: 'Bank', return_urls: ['https://bank.example/cb'], algorithm: 'HS256', secret_sealed: 'sealed', jwks: null,
      date_created: 1000, date_updated: 1000, primary_color: null, background_color: null, support_url: null, logo_version: null, logo_width: null, logo_height: null, ...patch,
    });
    const logo = { content_type: 'image/png', data: Buffer.from('png bytes').toString('base64'), version: '0123456789abcdef', date_created: 1000 };

    it('keeps the branding with the client and the logo apart; updates, replaces, drops and deletes it', async () => {
      const row = clientRow({ primary_color: '#0f3d2e', support_url: 'https://bank.example/help', logo_version: logo.version, logo_width: 64, logo_height: 32 });
      await store.insert(row, logo);
      assert.deepEqual(await store.get(row.sid), row);
      assert.deepEqual(await store.getLogo(row.sid), { ...logo, client_sid: row.sid });

      const changed = await store.update(serviceSid, row.sid, { background_color: '#f6f1e6', logo_version: 'fedcba9876543210', date_updated: 2000 }, { ...logo, version: 'fedcba9876543210', content_type: 'image/webp' });
      assert.deepEqual([changed?.background_color, changed?.primary_color, changed?.logo_version, changed?.date_updated], ['#f6f1e6', '#0f3d2e', 'fedcba9876543210', 2000]);
      assert.equal((await store.getLogo(row.sid))?.content_type, 'image/webp');

      assert.equal(await store.update('VA' + '0'.repeat(32), row.sid, { primary_color: '#000000', date_updated: 3000 }, null), undefined, 'another service changes nothing');
      assert.ok(await store.getLogo(row.sid), 'the logo stays when the update matched no client');

      const dropped = await store.update(serviceSid, row.sid, { logo_version: null, logo_width: null, logo_height: null, date_updated: 3000 }, null);
      assert.equal(dropped?.logo_version, null);
      assert.equal(await store.getLogo(row.sid), undefined);

      await store.update(serviceSid, row.sid, { date_updated: 4000 }, logo);
      assert.equal(await store.delete('VA' + '0'.repeat(32), row.sid), false);
      assert.ok(await store.getLogo(row.sid), 'a delete in another service leaves the logo');
      assert.equal(await store.delete(serviceSid, row.sid), true);
      assert.equal(await store.getLogo(row.sid), undefined);
    });

    it('migration 0028 goes down and up again', async () => {
      const migration = handoffBranding(kind.name);
      await migration.down(t.db.kysely as never);
      // This test's own schema only: other test files create and drop their schemas in the same PostgreSQL database meanwhile.
      const columns = async (table: string): Promise<string[]> =>
        kind.name === 'postgres'
          ? (await sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(t.db.kysely)).rows.map((r) => r.name)
          : (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(t.db.kysely)).rows.map((r) => r.name);
      assert.equal((await columns('handoff_clients')).includes('primary_color'), false);
      assert.deepEqual(await columns('handoff_client_logos'), [], 'the logo table is gone');
      await migration.up(t.db.kysely as never);
      assert.ok((await columns('handoff_clients')).includes('logo_version'), 'the columns are back');
      assert.ok((await columns('handoff_client_logos')).includes('data'), 'the logo table is back');
    });
  });
}
