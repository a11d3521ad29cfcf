import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * Many simultaneous HTTP requests against one verification: the guarantees must hold with
 * SQLite (one connection, transactions in turn) and with PostgreSQL (a pool, transactions
 * really overlapping).
 */

const PARALLEL = 50;
const AREA_CODES = [212, 213, 214, 215, 216, 217, 218, 301, 302, 303, 304, 305];

type Reply = Awaited<ReturnType<TestVerity['api']>>;

/** How many replies of each kind, e.g. `{ '200 approved': 1, '404 20404': 49 }`, for readable failures. */
function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status < 300 ? `${r.status} ${r.body?.status}` : `${r.status} ${r.body?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const wrongCode = (code: string): string => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

for (const database of DATABASES) {
  describe(`${PARALLEL} simultaneous requests on one verification (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let phone = 0;
    /**
     * A destination no other test of this suite uses, in its own area code: failure counts and
     * send limits are per destination, the SMS-pumping guard per 7-digit prefix.
     */
    const freshPhone = () => `+1${AREA_CODES[phone++ % AREA_CODES.length]}5550100`;

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Race' });
      assert.equal(service.status, 201);
      serviceSid = service.body.sid;
    });
    after(async () => {
      await v?.close();
    });

    const startSms = async (to: string): Promise<{ sid: string; code: string }> => {
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return { sid: created.body.sid, code: await v.lastCode(to) };
    };
    const check = (form: Record<string, string>) => v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, form);
    const events = (resourceSid: string, type: string) =>
      v.ctx.db.kysely.selectFrom('events').select('sid').where('resource_sid', '=', resourceSid).where('type', '=', type).execute();
    const stored = (sid: string) => v.ctx.db.kysely.selectFrom('verifications').selectAll().where('sid', '=', sid).executeTakeFirstOrThrow();

    for (const by of ['To', 'VerificationSid'] as const) {
      it(`approves exactly once when the right code arrives ${PARALLEL} times at once (by ${by})`, async () => {
        const to = freshPhone();
        const { sid, code } = await startSms(to);
        const replies = await Promise.all(Array.from({ length: PARALLEL }, () => check(by === 'To' ? { To: to, Code: code } : { VerificationSid: sid, Code: code })));

        assert.deepEqual(tally(replies), { '200 approved': 1, [`404 20404`]: PARALLEL - 1 });
        const approved = replies.find((r) => r.status === 200);
        assert.equal(approved?.body.sid, sid);
        assert.equal(approved?.body.valid, true);
        assert.equal((await stored(sid)).status, 'approved');
        assert.equal((await events(sid, 'verification.approved')).length, 1);
      });
    }

    it(`counts exactly 5 of ${PARALLEL} simultaneous wrong codes, then refuses with 60202`, async () => {
      const to = freshPhone();
      const { sid, code } = await startSms(to);
      const replies = await Promise.all(Array.from({ length: PARALLEL }, () => check({ VerificationSid: sid, Code: wrongCode(code) })));

      assert.deepEqual(tally(replies), { '200 pending': 4, '200 max_attempts_reached': 1, '429 60202': PARALLEL - 5 });
      for (const r of replies.filter((x) => x.status === 200)) assert.equal(r.body.valid, false);
      const row = await stored(sid);
      assert.equal(row.check_attempts, 5);
      assert.equal(row.status, 'max_attempts_reached');
      assert.equal((await events(sid, 'verification.max_attempts_reached')).length, 1);
      // The right code comes too late.
      const late = await check({ VerificationSid: sid, Code: code });
      assert.equal(late.status, 429);
      assert.equal(late.body.code, 60202);
    });

    it(`creates one verification and sends at most 5 codes for ${PARALLEL} simultaneous creates`, async () => {
      const to = freshPhone();
      const replies = await Promise.all(Array.from({ length: PARALLEL }, () => v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })));

      const created = replies.filter((r) => r.status === 201);
      const refused = replies.filter((r) => r.status !== 201);
      assert.ok(created.length >= 1 && created.length <= 5, JSON.stringify(tally(replies)));
      // SQLite runs the transactions one after the other: the first creates, four resend.
      if (database.name === 'sqlite') assert.equal(created.length, 5, JSON.stringify(tally(replies)));
      for (const r of refused) {
        assert.equal(r.status, 429, JSON.stringify(r.body));
        assert.equal(r.body.code, 60203);
      }
      const sids = new Set(created.map((r) => r.body.sid));
      assert.equal(sids.size, 1, `verification sids: ${[...sids].join(', ')}`);
      const [sid] = sids;

      const rows = await v.ctx.db.kysely.selectFrom('verifications').select(['sid', 'status']).where('service_sid', '=', serviceSid).where('destination', '=', to).execute();
      assert.deepEqual(rows, [{ sid, status: 'pending' }]);
      assert.equal((await events(sid as string, 'verification.pending')).length, 1);
      // Every accepted create sent one message, all with the same code; no refused one did.
      const inbox = await v.inbox(to);
      assert.equal(inbox.length, created.length);
      assert.equal(new Set(inbox.map((m) => m.body)).size, 1);
    });

    it(
      `lists every accepted send in send_code_attempts after ${PARALLEL} simultaneous creates`,
      async () => {
        const to = freshPhone();
        const replies = await Promise.all(Array.from({ length: PARALLEL }, () => v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })));
        const created = replies.filter((r) => r.status === 201);
        const row = await v.ctx.db.kysely.selectFrom('verifications').selectAll().where('service_sid', '=', serviceSid).where('destination', '=', to).executeTakeFirstOrThrow();
        assert.equal((JSON.parse(row.send_attempts) as unknown[]).length, created.length, JSON.stringify(tally(replies)));
      },
    );

    it(
      'approves exactly once, with no server error, when the right code races resends',
      async () => {
        const to = freshPhone();
        const { sid, code } = await startSms(to);
        const replies = await Promise.all(
          Array.from({ length: PARALLEL }, (_, i) =>
            i % 2 === 0 ? check({ VerificationSid: sid, Code: code }) : v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' }),
          ),
        );
        const checks = replies.filter((_, i) => i % 2 === 0);
        const creates = replies.filter((_, i) => i % 2 === 1);
        assert.deepEqual(tally(checks), { '200 approved': 1, '404 20404': PARALLEL / 2 - 1 }, `creates: ${JSON.stringify(tally(creates))}`);
        for (const r of creates) assert.ok(r.status === 201 || (r.status === 429 && r.body.code === 60203), JSON.stringify(tally(creates)));
        assert.equal((await stored(sid)).status, 'approved');
        const pending = await v.ctx.db.kysely.selectFrom('verifications').select('sid').where('service_sid', '=', serviceSid).where('destination', '=', to).where('status', '=', 'pending').execute();
        assert.ok(pending.length <= 1, 'expected pending.length <= 1');
      },
    );
  });
}
