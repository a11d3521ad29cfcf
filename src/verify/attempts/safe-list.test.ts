import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../crypto/clock.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { createStores } from '../../store/unit-of-work.ts';
import { DATABASE_KINDS, openTestDatabase } from '../../../test/store/test-database.ts';
import { MAX_SAFE_LIST_NUMBERS, addToSafeList } from './safe-list.ts';

for (const kind of DATABASE_KINDS) {
  describe(`SafeList (${kind.name})`, async () => {
    const database = await openTestDatabase(kind);
    after(() => database.close());
    const stores = createStores(database.db);
    const deps = { stores, clock: new ManualClock() };

    it('the store adds below a cap in one statement; a listed number is answered even when the list is full', async () => {
      const row = (n: number) => ({ sid: `GN${String(n).padStart(32, '0')}`, account_sid: 'ACcap', phone_number: `+1415555${String(n).padStart(4, '0')}`, date_created: 1 });
      assert.equal((await stores.safeList.add(row(1), 2))?.phone_number, '+14155550001');
      assert.equal((await stores.safeList.add(row(2), 2))?.phone_number, '+14155550002');
      assert.equal(await stores.safeList.add(row(3), 2), undefined, 'full');
      assert.equal((await stores.safeList.add({ ...row(1), sid: `GN${'f'.repeat(32)}` }, 2))?.sid, row(1).sid, 'already listed: its entry');
      assert.equal((await stores.safeList.add({ ...row(4), account_sid: 'ACother' }, 2))?.account_sid, 'ACother', 'the cap is per account');
    });

    it(`an account's SafeList holds at most ${MAX_SAFE_LIST_NUMBERS} numbers (60200 naming PhoneNumber)`, async () => {
      const account = 'ACfull';
      const rows = Array.from({ length: MAX_SAFE_LIST_NUMBERS }, (_, i) => ({ sid: `GNa${i.toString(16).padStart(31, '0')}`, account_sid: account, phone_number: `+1${String(2_000_000_000 + i)}`, date_created: 1 }));
      for (let i = 0; i < rows.length; i += 500) await database.db.kysely.insertInto('safe_list_numbers').values(rows.slice(i, i + 500)).execute();
      await assert.rejects(addToSafeList(deps, account, '+14155552671'), (e: unknown) => e instanceof VerityError && e.code === 60200 && /PhoneNumber.*at most/.test(e.message));
      assert.equal(await stores.safeList.find(account, '+14155552671'), undefined, 'not added');
      assert.equal((await addToSafeList(deps, 'ACroomy', '+14155552671')).phone_number, '+14155552671');
    });
  });
}
