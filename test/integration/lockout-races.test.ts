import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { createContext } from '../../src/create-context.ts';
import { BIOMETRIC_FREE_FAILURES } from '../../src/factors/voiceprint-factor/biometric-lockout.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { startServer } from '../../src/server.ts';
import { randomBytes } from 'node:crypto';
import { asWireError } from '../../src/http/domain-error-mapping.ts';
import type { ServiceRow } from '../../src/store/schema.ts';
import { ServicesStore } from '../../src/store/services-store.ts';
import { checkVerification } from '../../src/verify/check-verification.ts';
import { LOCKOUT, MAX_CHECK_ATTEMPTS, lockoutDelayMs, requesterId, type CheckRequester } from '../../src/verify/limits.ts';
import { startVerification } from '../../src/verify/start-verification.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { DATABASES, startVerity, UNLIMITED_API_RATES, type TestVerity } from '../support/start-verity.ts';
import { basic } from '../support/test-helpers.ts';

/**
 * Security finding 8: a lock-out must refuse an attempt the moment the failures before it have
 * earned the lock, however many attempts arrive at once and on however many nodes. Each test fires
 * a burst of wrong answers at one entity and counts, from the replies and the stored counter, how
 * many were evaluated (a 200 "wrong") before the rest were refused (429). Before the fix the lock
 * was read, the answer checked, and the lock set afterwards, so a burst was evaluated almost whole.
 */

const BURST = 150;
const TOTP = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

type Reply = { status: number; body: any; headers: Headers };
type Call = (method: string, path: string, form?: Record<string, string>) => Promise<Reply>;

/** `{ '200': 10, '429 60308': 140 }`: replies by status (and error code), for readable failures. */
function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** A caller of one node's API with the test account's credentials. */
function caller(url: string, v: TestVerity): Call {
  return async (method, path, form) => {
    const headers: Record<string, string> = { authorization: basic(v.accountSid, v.authToken) };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url + path, { method, headers, ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
  };
}

/**
 * Another Verity node on the first one's database (the same PostgreSQL schema), data folder (so the
 * same master key) and clock: what a deployment of several servers behind a load balancer is.
 */
async function startPeer(first: TestVerity): Promise<{ url: string; close: () => Promise<void> }> {
  const config = loadVerityConfig({
    NODE_ENV: 'test',
    VERITY_DATA_DIR: first.ctx.config.dataDir,
    VERITY_DATABASE_URL: first.ctx.config.databaseUrl,
    VERITY_PORT: '0',
    VERITY_LOG_LEVEL: 'warn',
    ...UNLIMITED_API_RATES,
  });
  const logDestination = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const ctx = await createContext(config, { logDestination, clock: first.ctx.clock });
  const server = await startServer(ctx, { port: 0, host: '127.0.0.1' });
  ctx.config.publicUrl = server.url;
  return { url: server.url, close: () => server.close() };
}

/** The stored consecutive-failure count of a lock-out key (0 when there is none). */
async function storedFailures(v: TestVerity, key: string): Promise<number> {
  const row = await v.ctx.db.kysely.selectFrom('check_failures').select('consecutive').where('key', '=', key).executeTakeFirst();
  return Number(row?.consecutive ?? 0);
}

/** A wrong recovery code, well formed, different for each index. */
const wrongRecoveryCode = (i: number): string => `ZZZZ-ZZZZ-${String(i).padStart(4, '0')}`;

/** The burst tests, through one node (`nodes` = 1) or spread over several sharing one database. */
function burstSuite(name: string, database: { postgresUrl?: string }, nodeCount: number): void {
  describe(name, () => {
    let v: TestVerity;
    let serviceSid: string;
    let nodes: Call[] = [];
    const peers: Array<{ close: () => Promise<void> }> = [];
    let counter = 0;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      nodes = [caller(v.url, v)];
      for (let i = 1; i < nodeCount; i++) {
        const peer = await startPeer(v);
        peers.push(peer);
        nodes.push(caller(peer.url, v));
      }
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Races' })).body.sid as string;
    });
    after(async () => {
      for (const peer of peers) await peer.close();
      await v?.close();
    });
    /** Request `i` of a burst goes to node i mod n (round robin, as a load balancer would). */
    const node = (i: number): Call => nodes[i % nodes.length] as Call;
    const newIdentity = () => `race-${Date.now().toString(36)}-${++counter}`;
    const entityPath = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;
    const entitySid = async (identity: string) => (await v.api('GET', entityPath(identity))).body.sid as string;

    it(`recovery codes: of ${BURST} simultaneous wrong codes at most ${LOCKOUT.freeFailures} are evaluated, the rest refused by the lock`, async () => {
      const identity = newIdentity();
      const codes = (await v.api('POST', `${entityPath(identity)}/RecoveryCodes`)).body.codes as string[];
      const replies = await Promise.all(Array.from({ length: BURST }, (_, i) => node(i)('POST', `${entityPath(identity)}/RecoveryCodes/Check`, { Code: wrongRecoveryCode(i) })));

      const counts = tally(replies);
      const evaluated = counts['200'] ?? 0;
      assert.deepEqual(counts, { '200': LOCKOUT.freeFailures, '429 60308': BURST - LOCKOUT.freeFailures }, `evaluated before the lock: ${evaluated}`);
      for (const r of replies.filter((x) => x.status === 200)) assert.equal(r.body.valid, false);
      assert.equal(await storedFailures(v, `entity:${await entitySid(identity)}`), evaluated, 'the stored counter counts exactly the evaluated codes');
      // The lock holds for the right code too, on every node.
      for (const call of nodes) assert.equal((await call('POST', `${entityPath(identity)}/RecoveryCodes/Check`, { Code: codes[0] as string })).status, 429);
      assert.equal((await v.api('GET', `${entityPath(identity)}/RecoveryCodes`)).body.remaining, 10);
    });

    it(`TOTP: of ${BURST} simultaneous wrong codes over ${BURST / 5} challenges at most ${LOCKOUT.freeFailures} are evaluated`, async () => {
      const identity = newIdentity();
      const factor = await v.api('POST', `${entityPath(identity)}/Factors`, { FriendlyName: 'Phone', FactorType: 'totp' });
      const secret = base32Decode(factor.body.binding.secret as string);
      const now = () => v.ctx.clock.now();
      assert.equal((await v.api('POST', `${entityPath(identity)}/Factors/${factor.body.sid as string}`, { AuthPayload: totp(secret, now(), TOTP) })).body.status, 'verified');
      v.clock?.advance(30_000);
      const challenges: string[] = [];
      for (let i = 0; i < BURST / 5; i++) challenges.push((await v.api('POST', `${entityPath(identity)}/Challenges`, { FactorSid: factor.body.sid as string })).body.sid as string);
      const wrong = totp(secret, now() + 600_000, TOTP);
      // Five answers per challenge: the per-challenge limit alone would let all of them through.
      const replies = await Promise.all(
        Array.from({ length: BURST }, (_, i) => node(i)('POST', `${entityPath(identity)}/Challenges/${challenges[Math.floor(i / 5)] as string}`, { AuthPayload: wrong })),
      );

      const counts = tally(replies);
      assert.deepEqual(counts, { '200': LOCKOUT.freeFailures, '429 60308': BURST - LOCKOUT.freeFailures }, `evaluated before the lock: ${counts['200'] ?? 0}`);
      for (const r of replies.filter((x) => x.status === 200)) assert.equal(r.body.status, 'pending');
      for (const r of replies.filter((x) => x.status === 429)) assert.ok(Number(r.headers.get('retry-after')) > 0, 'a lock-out refusal says when to retry');
      assert.equal(await storedFailures(v, `entity:${await entitySid(identity)}`), LOCKOUT.freeFailures);
      const answered = await v.ctx.db.kysely.selectFrom('challenges').select((eb) => eb.fn.sum<number | string>('attempts').as('n')).where('factor_sid', '=', factor.body.sid as string).executeTakeFirstOrThrow();
      assert.equal(Number(answered.n), LOCKOUT.freeFailures, 'a refused answer uses none of its challenge’s attempts');
      // The right code is refused too while the lock lasts.
      const right = await node(1)('POST', `${entityPath(identity)}/Challenges/${challenges.at(-1) as string}`, { AuthPayload: totp(secret, now(), TOTP) });
      assert.equal(right.status, 429);
    });

    it(`TOTP: of ${BURST} challenges created at once with a wrong AuthPayload at most ${LOCKOUT.freeFailures} are evaluated (the others are not created)`, async () => {
      const identity = newIdentity();
      const factor = await v.api('POST', `${entityPath(identity)}/Factors`, { FriendlyName: 'Phone', FactorType: 'totp' });
      const secret = base32Decode(factor.body.binding.secret as string);
      assert.equal((await v.api('POST', `${entityPath(identity)}/Factors/${factor.body.sid as string}`, { AuthPayload: totp(secret, v.ctx.clock.now(), TOTP) })).body.status, 'verified');
      v.clock?.advance(30_000);
      const wrong = totp(secret, v.ctx.clock.now() + 600_000, TOTP);
      const replies = await Promise.all(Array.from({ length: BURST }, (_, i) => node(i)('POST', `${entityPath(identity)}/Challenges`, { FactorSid: factor.body.sid as string, AuthPayload: wrong })));
      assert.deepEqual(tally(replies), { '201': LOCKOUT.freeFailures, '429 60308': BURST - LOCKOUT.freeFailures });
      const created = await v.ctx.db.kysely.selectFrom('challenges').select('sid').where('factor_sid', '=', factor.body.sid as string).execute();
      assert.equal(created.length, LOCKOUT.freeFailures);
    });

    it(`Verify: of ${BURST} simultaneous wrong codes for a destination one short of its lock-out, exactly one is compared, in every round`, async () => {
      const to = '+14155550181';
      const checkPath = `/v2/Services/${serviceSid}/VerificationCheck`;
      const send = async () => (await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })).body.sid as string;
      const wrongCode = async () => ((await v.lastCode(to)) === '000000' ? '111111' : '000000');
      const failureKey = `${serviceSid}:${to}`;
      // Earlier verifications of the number leave it one wrong code short of its lock-out (the count
      // spans verifications, NIST SP 800-63B-4 §3.1.3.2); each new verification needs a send.
      let wrongSoFar = 0;
      let sid = '';
      while (wrongSoFar < LOCKOUT.freeFailures - 1) {
        sid = await send();
        const wrong = await wrongCode();
        for (let n = 0; n < MAX_CHECK_ATTEMPTS && wrongSoFar < LOCKOUT.freeFailures - 1; n++, wrongSoFar++) {
          assert.equal((await v.api('POST', checkPath, { VerificationSid: sid, Code: wrong })).status, 200);
        }
        await v.api('POST', `/v2/Services/${serviceSid}/Verifications/${sid}`, { Status: 'canceled' });
      }
      assert.equal(await storedFailures(v, failureKey), LOCKOUT.freeFailures - 1);
      sid = await send();
      const right = await v.lastCode(to);
      const wrong = await wrongCode();

      // Each round: the lock of the last one has just ended, so one more failure is allowed, and it
      // earns the next lock. The pending verification's five checks would let up to five through.
      for (let round = 0; round < MAX_CHECK_ATTEMPTS - 1; round++) {
        const failures = LOCKOUT.freeFailures + round;
        const replies = await Promise.all(
          Array.from({ length: BURST }, (_, i) => node(i)('POST', checkPath, i % 2 === 0 ? { VerificationSid: sid, Code: wrong } : { To: to, Code: wrong })),
        );
        const counts = tally(replies);
        assert.deepEqual(counts, { '200': 1, '429 60202': BURST - 1 }, `round ${round + 1}: compared before the lock: ${counts['200'] ?? 0}`);
        for (const r of replies.filter((x) => x.status === 200)) assert.equal(r.body.status, 'pending');
        for (const r of replies.filter((x) => x.status === 429)) assert.ok(Number(r.headers.get('retry-after')) > 0, 'a lock-out refusal says when to retry');
        assert.equal(await storedFailures(v, failureKey), failures, 'the stored counter counts exactly the compared codes');
        const row = await v.ctx.db.kysely.selectFrom('verifications').select('check_attempts').where('sid', '=', sid).executeTakeFirstOrThrow();
        assert.equal(Number(row.check_attempts), round + 1, 'a refused check uses none of the verification’s five');
        // The right code is refused too until the lock this round earned ends.
        v.clock?.advance(lockoutDelayMs(failures) - 1);
        assert.equal((await node(1)('POST', checkPath, { VerificationSid: sid, Code: right })).status, 429);
        v.clock?.advance(1);
      }
      const approved = await node(1)('POST', checkPath, { VerificationSid: sid, Code: right });
      assert.equal(approved.body.status, 'approved', JSON.stringify(approved.body));
      assert.equal(await storedFailures(v, failureKey), 0, 'a right code clears the count');
    });

    it(`Verify on the hosted pages: of ${BURST} simultaneous wrong codes over ${BURST / 10} sessions of one user, one short of the user's lock-out, exactly one is compared`, async () => {
      const to = '+14155550182';
      const service = (await new ServicesStore(v.ctx.db.kysely).find(v.accountSid, serviceSid)) as ServiceRow;
      const wrongCode = async () => ((await v.lastCode(to)) === '000000' ? '111111' : '000000');
      const maxWrongCodes = v.ctx.config.hostedLimits.sessionMaxWrongCodes;
      // Sessions of one subject share the key `<service>:<destination>:hosted:<subject>`; each has its own 10 wrong codes.
      const requester = (session: string): CheckRequester => ({ kind: 'hosted', sessionId: session, subject: 'mallory', maxWrongCodes });
      // The user's own verification (as the hosted pages start it): a check by To sees only its requester's.
      const send = async () => (await startVerification(v.ctx, { service, to, channel: 'sms', requester: requesterId(requester('prepare')) })).sid;
      const hostedKey = `${serviceSid}:${to}:hosted:mallory`;
      let wrongSoFar = 0;
      while (wrongSoFar < LOCKOUT.freeFailures - 1) {
        const sid = await send();
        const wrong = await wrongCode();
        for (let n = 0; n < MAX_CHECK_ATTEMPTS && wrongSoFar < LOCKOUT.freeFailures - 1; n++, wrongSoFar++) {
          assert.notEqual((await checkVerification(v.ctx, { service, verificationSid: sid, code: wrong, requester: requester('prepare') })).status, 'approved');
        }
        await v.api('POST', `/v2/Services/${serviceSid}/Verifications/${sid}`, { Status: 'canceled' });
      }
      const sid = await send();
      const wrong = await wrongCode();
      const outcomes = await Promise.allSettled(
        Array.from({ length: BURST }, (_, i) => checkVerification(v.ctx, { service, code: wrong, requester: requester(`burst-${i % (BURST / 10)}`), ...(i % 2 === 0 ? { verificationSid: sid } : { to }) })),
      );
      const compared = outcomes.filter((o) => o.status === 'fulfilled');
      const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [asWireError(o.reason)] : []));
      assert.equal(compared.length, 1, `compared before the lock: ${compared.length}`);
      assert.equal(refusals.length, BURST - 1);
      for (const error of refusals) assert.ok(error?.code === 60202 && error.details?.limit === undefined && (error.retryAfterSeconds ?? 0) > 0, `a lock-out refusal: ${error?.message}`);
      assert.equal(await storedFailures(v, hostedKey), LOCKOUT.freeFailures);
      assert.equal(await storedFailures(v, `${serviceSid}:${to}`), 0, 'the application\'s own API checks of the number are not locked');
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { VerificationSid: sid, Code: await v.lastCode(to) })).body.status, 'approved');
    });
  });
}

for (const database of DATABASES) {
  burstSuite(`lock-outs under a burst of wrong answers (${database.name}, one node)`, database, 1);
  // Several nodes share a lock only through the database: PostgreSQL (SQLite is one server's file).
  if (database.postgresUrl) burstSuite(`lock-outs under a burst of wrong answers (${database.name}, three nodes)`, database, 3);

  describe(`recovery codes are consumed, counted and recorded atomically (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Atomic' })).body.sid as string;
    });
    after(async () => v?.close());
    const path = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes`;

    /** Makes every insert of a `recovery_code.used` event fail, as a crash between the two writes would. */
    async function failUsedEvents(): Promise<() => Promise<void>> {
      const db = v.ctx.db.kysely;
      if (database.postgresUrl) {
        await sql`CREATE FUNCTION refuse_used_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'event insert refused by the test'; END $$`.execute(db);
        await sql`CREATE TRIGGER refuse_used_event BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.type = 'recovery_code.used') EXECUTE FUNCTION refuse_used_event()`.execute(db);
        return async () => {
          await sql`DROP TRIGGER refuse_used_event ON events`.execute(db);
          await sql`DROP FUNCTION refuse_used_event()`.execute(db);
        };
      }
      await sql`CREATE TRIGGER refuse_used_event BEFORE INSERT ON events WHEN NEW.type = 'recovery_code.used' BEGIN SELECT RAISE(ABORT, 'event insert refused by the test'); END`.execute(db);
      return async () => {
        await sql`DROP TRIGGER refuse_used_event`.execute(db);
      };
    }

    it('a recovery code is not consumed when its recovery_code.used event cannot be written (one transaction)', async () => {
      const identity = 'atomic-recovery-1';
      const codes = (await v.api('POST', path(identity))).body.codes as string[];
      const restore = await failUsedEvents();
      let failed: Awaited<ReturnType<TestVerity['api']>>;
      try {
        failed = await v.api('POST', `${path(identity)}/Check`, { Code: codes[0] as string });
      } finally {
        await restore();
      }
      assert.equal(failed.status, 500, 'the use fails as a whole');
      assert.equal((await v.api('GET', path(identity))).body.remaining, 10, 'the code was not consumed without its event');
      const used = await v.api('POST', `${path(identity)}/Check`, { Code: codes[0] as string });
      assert.equal(used.body.valid, true, 'the same code still works once the event can be written');
      assert.equal(used.body.remaining, 9);
      const entity = used.body.entity_sid as string;
      const events = await v.ctx.db.kysely.selectFrom('events').select('payload').where('type', '=', 'recovery_code.used').where('resource_sid', '=', entity).execute();
      assert.equal(events.length, 1, 'exactly one event for the one use');
      assert.equal(JSON.parse(events[0]?.payload as string).remaining, 9);
    });

    it('regenerating codes 10 times at once leaves exactly one batch of 10', async () => {
      const identity = 'atomic-recovery-2';
      await v.api('POST', path(identity));
      const replies = await Promise.all(Array.from({ length: 10 }, () => v.api('POST', path(identity))));
      assert.deepEqual(replies.map((r) => r.status), Array(10).fill(201));
      const entity = (await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}`)).body.sid as string;
      const rows = await v.ctx.db.kysely.selectFrom('recovery_codes').select('batch_sid').where('entity_sid', '=', entity).execute();
      assert.equal(rows.length, 10, 'one batch: codes shown to an earlier response must not stay valid');
      assert.equal(new Set(rows.map((r) => r.batch_sid)).size, 1);
    });
  });
}

for (const database of DATABASES) {
  describe(`passkey registration under a race (${database.name})`, () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v?.close());

    it('one credential id registered by 10 factors at once: one is verified, the others refused (403 60311), never a 5xx', async () => {
      const origin = 'https://login.example.com';
      const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Keys', 'Passkeys.RelyingParty.Id': 'example.com', 'Passkeys.RelyingParty.Name': 'Keys', 'Passkeys.RelyingParty.Origins': origin });
      const serviceSid = created.body.sid as string;
      const credentialId = randomBytes(32);
      const factors = [];
      for (let i = 0; i < 10; i++) {
        const identity = `passkey-race-${i}`;
        const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FactorType: 'passkeys', FriendlyName: 'key' });
        assert.equal(factor.status, 201, JSON.stringify(factor.body));
        const response = new SoftAuthenticator(origin).register(factor.body.binding.registration_options, { credentialId });
        factors.push({ path: `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid as string}`, response });
      }
      const replies = await Promise.all(factors.map((f) => v.api('POST', f.path, { AuthPayload: JSON.stringify(f.response) })));
      assert.deepEqual(tally(replies), { '200': 1, '403 60311': 9 });
      const stored = await v.ctx.db.kysely.selectFrom('passkey_credentials').select('factor_sid').where('service_sid', '=', serviceSid).execute();
      assert.equal(stored.length, 1);
    });
  });
}

const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;

/** espeak-ng speech at 16 kHz; takes differ a little, as a person's repeats do. */
function speak(text: string, voice: string, take: number): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', text], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 });
}

const PHRASE = 'my voice is my password, verify me';
const VOICE_BURST = 20;

for (const database of DATABASES) {
  describe(`voiceprint lock-out under a burst of other voices (${database.name})`, { skip: hasSpeech ? false : 'espeak-ng and sox are not installed' }, () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v?.close());

    it(`of ${VOICE_BURST} simultaneous recordings of another voice at most ${BIOMETRIC_FREE_FAILURES} are compared`, async (t) => {
      if (!v.ctx.voiceprints) return t.skip('voiceprint models are not available');
      const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Voice' })).body.sid as string;
      const base = `/v2/Services/${serviceSid}/Entities/voice-race-1`;
      const upload = async (path: string, wav: Buffer): Promise<Reply> => {
        const res = await fetch(v.url + path, { method: 'POST', headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
        return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
      };
      // A voiceprint is never the only factor: recovery codes first.
      await v.api('POST', `${base}/RecoveryCodes`);
      const factor = await v.api('POST', `${base}/Factors`, { FriendlyName: 'My voice', FactorType: 'voiceprint' });
      assert.equal(factor.status, 201, JSON.stringify(factor.body));
      let enrolled: Reply | undefined;
      for (let take = 0; take < 3; take++) enrolled = await upload(`${base}/Factors/${factor.body.sid as string}/Recordings`, speak(PHRASE, 'en-us+m3', take));
      assert.equal(enrolled?.body.status, 'verified', JSON.stringify(enrolled?.body));

      const challenges: string[] = [];
      for (let i = 0; i < VOICE_BURST / 5; i++) challenges.push((await v.api('POST', `${base}/Challenges`, { FactorSid: factor.body.sid as string })).body.sid as string);
      // Each impostor take is a little different, so none is refused as a replay of another.
      const takes = Array.from({ length: VOICE_BURST }, (_, i) => speak(PHRASE, 'en-gb+f2', i % 7 + 10 * Math.floor(i / 7)));
      const replies = await Promise.all(takes.map((wav, i) => upload(`${base}/Challenges/${challenges[Math.floor(i / 5)] as string}/Recording`, wav)));

      const counts = tally(replies);
      const compared = counts['200'] ?? 0;
      assert.ok(compared <= BIOMETRIC_FREE_FAILURES, `compared before the lock: ${compared} ${JSON.stringify(counts)}`);
      assert.equal(compared + (counts['429 64012'] ?? 0), VOICE_BURST, JSON.stringify(counts));
      for (const r of replies.filter((x) => x.status === 200)) assert.notEqual(r.body.status, 'approved');
      assert.equal(await storedFailures(v, `voiceprint:${factor.body.sid as string}`), compared);
    });
  });
}
