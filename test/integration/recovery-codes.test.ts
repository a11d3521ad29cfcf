import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

for (const database of DATABASES) {
  describe(`recovery codes on ${database.name}`, () => {
    let v: TestVerity;
    let service: string;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Recovery' })).body.sid as string;
    });
    after(async () => v.close());

    const path = (identity: string) => `/v2/Services/${service}/Entities/${identity}/RecoveryCodes`;
    const check = (identity: string, code: string) => v.api('POST', `${path(identity)}/Check`, { Code: code });

    it('issues 10 single-use codes once, stored only as argon2id hashes', async () => {
      const issued = await v.api('POST', path('user-recovery-1'));
      assert.equal(issued.status, 201);
      const codes = issued.body.codes as string[];
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      assert.equal(issued.body.remaining, 10);

      const rows = await v.ctx.db.kysely.selectFrom('recovery_codes').selectAll().where('entity_sid', '=', issued.body.entity_sid).execute();
      assert.equal(rows.length, 10);
      const stored = JSON.stringify(rows);
      for (const code of codes) assert.ok(!stored.includes(code) && !stored.includes(code.replace(/-/g, '')), 'no plaintext code at rest');
      for (const row of rows) assert.match(row.hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

      const summary = await v.api('GET', path('user-recovery-1'));
      assert.equal(summary.status, 200);
      assert.equal(summary.body.codes, undefined, 'codes are never shown again');
      assert.equal(summary.body.remaining, 10);

      // Lower case and without dashes still works (Crockford decoding); then it is used up.
      const first = codes[0] as string;
      assert.deepEqual((await check('user-recovery-1', first.toLowerCase().replace(/-/g, ''))).body, { entity_sid: issued.body.entity_sid, identity: 'user-recovery-1', valid: true, remaining: 9, amr: ['otp'] });
      const reused = (await check('user-recovery-1', first)).body;
      assert.equal(reused.valid, false, 'a used code is refused');
      assert.equal(reused.amr, null);
      assert.equal((await v.api('GET', path('user-recovery-1'))).body.remaining, 9);
    });

    it('regenerating invalidates the previous set', async () => {
      const old = (await v.api('POST', path('user-recovery-2'))).body.codes as string[];
      const fresh = (await v.api('POST', path('user-recovery-2'))).body.codes as string[];
      assert.equal((await check('user-recovery-2', old[1] as string)).body.valid, false);
      assert.equal((await check('user-recovery-2', fresh[1] as string)).body.valid, true);
      assert.equal((await v.api('GET', path('user-recovery-2'))).body.remaining, 9);
    });

    it('accepts one code exactly once under 10 concurrent uses', async () => {
      const codes = (await v.api('POST', path('user-recovery-3'))).body.codes as string[];
      const replies = await Promise.all(Array.from({ length: 10 }, () => check('user-recovery-3', codes[2] as string)));
      assert.deepEqual(replies.map((r) => r.status), Array(10).fill(200));
      assert.equal(replies.filter((r) => r.body.valid === true).length, 1);
      assert.equal((await v.api('GET', path('user-recovery-3'))).body.remaining, 9);
    });

    it('locks the entity out with growing delays after repeated wrong codes, and a success clears it', async () => {
      const codes = (await v.api('POST', path('user-recovery-4'))).body.codes as string[];
      for (let i = 0; i < 10; i++) assert.equal((await check('user-recovery-4', 'ZZZZ-ZZZZ-ZZZZ')).body.valid, false);
      const locked = await check('user-recovery-4', codes[0] as string);
      assert.equal(locked.status, 429);
      assert.equal(locked.body.code, 60308);
      assert.equal(locked.headers.get('retry-after'), '30');
      v.clock?.advance(31_000);
      assert.equal((await check('user-recovery-4', codes[0] as string)).body.valid, true);
      assert.equal((await check('user-recovery-4', 'ZZZZ-ZZZZ-ZZZZ')).body.valid, false, 'wrong again, but the counter was cleared: no lock');
      assert.equal((await check('user-recovery-4', codes[1] as string)).body.valid, true);
    });

    it('refuses bad input with stable codes', async () => {
      await v.api('POST', path('user-recovery-5'));
      assert.equal((await check('user-recovery-5', '')).body.code, 60200);
      assert.equal((await check('user-recovery-5', 'x'.repeat(40))).body.code, 60200);
      assert.equal((await check('user-recovery-5', 'not a code')).body.valid, false);
      assert.equal((await v.api('GET', path('unknown-identity'))).body.code, 20404);
      assert.equal((await v.api('POST', path('bad'))).body.code, 60200, 'identity too short');
    });
  });
}
