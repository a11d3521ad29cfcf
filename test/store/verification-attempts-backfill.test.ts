import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { newSid } from '../../src/crypto/random.ts';
import { verificationAttempts } from '../../src/store/migrations/0017-verification-attempts.ts';
import { VerificationsStore } from '../../src/store/verifications-store.ts';
import { VerificationAttemptsStore } from '../../src/store/verification-attempts-store.ts';
import { DATABASE_KINDS, insertAccountAndService, openTestDatabase, verificationRow } from './test-database.ts';

/** Keeps every query node a store sends, to compile and EXPLAIN it. */
class QueryCapture implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];
  transformQuery({ node }: { node: RootOperationNode }): RootOperationNode {
    this.nodes.push(node);
    return node;
  }
  async transformResult<T>({ result }: { result: T }): Promise<T> {
    return result;
  }
}

/** Migration 0017 gives every send recorded before it (verifications.send_attempts) its attempt row, and the store counts them. */
for (const kind of DATABASE_KINDS) {
  describe(`0017 verification attempts (${kind.name})`, () => {
    it('backfills one attempt per recorded send, converted when the verification was approved', async () => {
      const t = await openTestDatabase(kind);
      try {
        const now = Date.UTC(2026, 5, 1);
        const service = await insertAccountAndService(t.db, now);
        const sends = [newSid('VL'), newSid('VL'), newSid('VL')];
        const verifications = new VerificationsStore(t.db.kysely);
        const approved = verificationRow(service, '+447400123456', now, {
          send_attempts: [
            { time: '2026-06-01T00:00:00Z', channel: 'SMS', attempt_sid: sends[0]! },
            { time: '2026-06-01T00:01:00Z', channel: 'CALL', attempt_sid: sends[1]! },
          ],
        });
        assert.equal(await verifications.insertPending(approved), true);
        await verifications.completePending(approved.sid, 'approved', now + 120_000);
        const email = verificationRow(service, 'a@example.com', now, { channel: 'email', send_attempts: [{ time: '2026-06-01T00:02:00Z', channel: 'EMAIL', attempt_sid: sends[2]! }] });
        assert.equal(await verifications.insertPending(email), true);

        // Re-run the migration over these verifications (its up() is what a database older than 0017 runs).
        const migration = verificationAttempts(t.db.dialect);
        await migration.down(t.db.kysely as never);
        await migration.up(t.db.kysely as never);

        const store = new VerificationAttemptsStore(t.db.kysely);
        const window = { createdFrom: now - 1, createdTo: now + 3_600_000 };
        const rows = await store.list(service.account_sid, window, { limit: 10, offset: 0 });
        assert.deepEqual(
          rows.map((r) => [r.sid, r.verification_sid, r.channel, r.destination_country, r.conversion_status, r.date_created]),
          [
            [sends[2], email.sid, 'email', null, 'unconverted', now + 120_000],
            [sends[1], approved.sid, 'call', 'GB', 'converted', now + 60_000],
            [sends[0], approved.sid, 'sms', 'GB', 'converted', now],
          ],
        );
        assert.deepEqual(await store.totals(service.account_sid, window), { total: 3, converted: 2 });
        assert.deepEqual(await store.totals(service.account_sid, { ...window, destinationPrefix: '+4474' }), { total: 2, converted: 2 });
        assert.deepEqual(await store.totals(service.account_sid, { ...window, destinationPrefix: '+4475' }), { total: 0, converted: 0 });
        assert.deepEqual(await store.totals('AC' + '0'.repeat(32), window), { total: 0, converted: 0 }, 'another account counts none');
      } finally {
        await t.close();
      }
    });
  });
}

describe('VerificationAttemptsSummary on SQLite', () => {
  it('is one aggregate statement that reads an index led by the account and the date (or the destination, service, country), never a table scan', async () => {
    const t = await openTestDatabase({ name: 'sqlite' });
    try {
      const capture = new QueryCapture();
      const store = new VerificationAttemptsStore(t.db.kysely.withPlugin(capture));
      const window = { createdFrom: 0, createdTo: 10 };
      const plans: Record<string, string> = {};
      for (const [name, filter] of Object.entries({
        window,
        service: { ...window, serviceSid: 'VA1' },
        prefix: { ...window, destinationPrefix: '+4420' },
        country: { ...window, country: 'GB' },
        to: { ...window, destination: '+442071234567' },
      })) {
        capture.nodes.length = 0;
        await store.totals('AC1', filter);
        assert.equal(capture.nodes.length, 1, `${name}: one statement`);
        const compiled = t.db.kysely.getExecutor().compileQuery(capture.nodes[0]!, { queryId: name } as never);
        assert.match(compiled.sql, /count\(\*\)/);
        const rows = (await sql.raw(`EXPLAIN QUERY PLAN ${inline(compiled.sql, compiled.parameters)}`).execute(t.db.kysely)).rows as Array<{ detail: string }>;
        plans[name] = rows.map((r) => r.detail).join('; ');
        assert.match(plans[name], /USING (COVERING )?INDEX verification_attempts_by_/, `${name}: ${plans[name]}`);
        assert.doesNotMatch(plans[name], /SCAN verification_attempts(?! USING)/, `${name}: ${plans[name]}`);
      }
    } finally {
      await t.close();
    }
  });
});

/** The statement with its parameters written in (EXPLAIN takes no bindings through sql.raw). */
function inline(text: string, parameters: readonly unknown[]): string {
  let i = 0;
  return text.replace(/\?/g, () => {
    const value = parameters[i++];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}
