import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { DATABASES, startVerity, type SimCall, type TestVerity } from '../support/start-verity.ts';

const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;

/**
 * Speech for the tests: espeak-ng speaking `text`, resampled by sox. Repeats of one phrase differ a
 * little in speed and pitch, as a person's do (identical takes would rightly look like a replay).
 */
function speak(text: string, voice: string, take: number, rate = 16000): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', text], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', String(rate), '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 });
}

const PHRASE = 'my voice is my password, verify me';

for (const database of DATABASES) {
  describe(`voiceprint factors (${database.name})`, { skip: hasSpeech ? false : 'espeak-ng and sox are not installed' }, () => {
    let v: TestVerity;
    let serviceSid: string;
    let counter = 0;
    before(async () => {
      v = await startVerity({ env: { VERITY_SIMULATOR_TIME_SCALE: '0.1' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme' })).sid;
    });
    after(async () => v.close());

    const newIdentity = () => `voice-${Date.now().toString(36)}-${++counter}`;
    const base = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;
    const upload = async (path: string, wav: Buffer) => {
      const res = await fetch(v.url + path, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64')}`, 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
      return { status: res.status, body: (await res.json()) as any };
    };
    /** An entity with a verified TOTP factor: a voiceprint is never its only factor. */
    async function entityWithTotp(): Promise<string> {
      const identity = newIdentity();
      const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
      const code = totp(base32Decode(factor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
      assert.equal((await v.api('POST', `${base(identity)}/Factors/${factor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
      return identity;
    }
    async function enrolled(identity: string, voice = 'en-us+m3'): Promise<string> {
      const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'My voice', FactorType: 'voiceprint' });
      assert.equal(factor.status, 201, JSON.stringify(factor.body));
      let last: { status: number; body: any } | undefined;
      for (let take = 0; take < 3; take++) last = await upload(`${base(identity)}/Factors/${factor.body.sid as string}/Recordings`, speak(PHRASE, voice, take));
      assert.equal(last?.body.status, 'verified', JSON.stringify(last?.body));
      return factor.body.sid as string;
    }
    const challenge = async (identity: string, factorSid: string) => (await v.api('POST', `${base(identity)}/Challenges`, { FactorSid: factorSid, 'Details.Message': 'Sign in?' })).body.sid as string;

    it('refuses a voiceprint as the only factor, then enrols three recordings and approves the same voice (amr vbm)', async () => {
      const lonely = await v.api('POST', `${base(newIdentity())}/Factors`, { FriendlyName: 'v', FactorType: 'voiceprint' });
      assert.equal(lonely.body.code, 60300);
      assert.match(lonely.body.message, /never the only factor/);

      const identity = await entityWithTotp();
      const factorSid = await enrolled(identity);
      const sealed = await v.ctx.db.kysely.selectFrom('factors').select('secret_sealed').where('sid', '=', factorSid).executeTakeFirstOrThrow();
      assert.match(sealed.secret_sealed, /^v1\./, 'the voiceprint is sealed');
      const kept = await v.ctx.db.kysely.selectFrom('voiceprint_recordings').select('sid').where('factor_sid', '=', factorSid).execute();
      assert.equal(kept.length, 0, 'no audio kept once the voiceprint exists');

      const sid = await challenge(identity, factorSid);
      const answer = await upload(`${base(identity)}/Challenges/${sid}/Recording`, speak(PHRASE, 'en-us+m3', 4));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.voiceprint.decision, 'match', JSON.stringify(answer.body.voiceprint));
      assert.equal(answer.body.status, 'approved');
      assert.deepEqual(answer.body.amr, ['vbm']);
    });

    it('keeps another voice pending, denies a replayed recording, and locks the voiceprint after five mismatches', async () => {
      const identity = await entityWithTotp();
      const factorSid = await enrolled(identity);
      const sid = await challenge(identity, factorSid);
      const impostor = await upload(`${base(identity)}/Challenges/${sid}/Recording`, speak(PHRASE, 'en-us+f4', 1));
      assert.equal(impostor.body.voiceprint.decision, 'no_match', JSON.stringify(impostor.body.voiceprint));
      assert.equal(impostor.body.status, 'pending');

      const take = speak(PHRASE, 'en-us+m3', 5);
      const first = await upload(`${base(identity)}/Challenges/${await challenge(identity, factorSid)}/Recording`, take);
      assert.equal(first.body.voiceprint.decision, 'match');
      const replay = await upload(`${base(identity)}/Challenges/${await challenge(identity, factorSid)}/Recording`, take);
      assert.equal(replay.body.voiceprint.decision, 'rejected');
      assert.ok(replay.body.voiceprint.reasons.includes('replay_suspected'), "expected replay.body.voiceprint.reasons.includes('replay_suspected')");
      assert.equal(replay.body.status, 'denied');
      assert.equal(replay.body.denied_reason, 'replay_suspected');

      let locked: { status: number; body: any } | undefined;
      for (let i = 0; i < 6; i++) locked = await upload(`${base(identity)}/Challenges/${await challenge(identity, factorSid)}/Recording`, speak(PHRASE, 'en-us+f4', 10 + i));
      assert.equal(locked?.status, 429, JSON.stringify(locked?.body));
      assert.equal(locked?.body.code, 64012);
    });

    it('caps voiceprint challenges since the last approval (64013); answering one with the voice lifts the cap', async () => {
      const identity = await entityWithTotp();
      const factorSid = await enrolled(identity);
      const open: string[] = [];
      for (let i = 0; i < 10; i++) open.push(await challenge(identity, factorSid));
      const refused = await v.api('POST', `${base(identity)}/Challenges`, { FactorSid: factorSid });
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 64013);
      // A challenge created before the cap can still be answered; its approval lifts the cap.
      const answer = await upload(`${base(identity)}/Challenges/${open[9]!}/Recording`, speak(PHRASE, 'en-us+m3', 6));
      assert.equal(answer.body.status, 'approved', JSON.stringify(answer.body.voiceprint));
      const again = await v.api('POST', `${base(identity)}/Challenges`, { FactorSid: factorSid });
      assert.equal(again.status, 201, JSON.stringify(again.body));
    });

    it('refuses the same voice saying another sentence (phrase_mismatch), even though the voice matches', async () => {
      const identity = await entityWithTotp();
      const factorSid = await enrolled(identity);
      const other = await upload(`${base(identity)}/Challenges/${await challenge(identity, factorSid)}/Recording`, speak('the weather is cloudy with a chance of rain', 'en-us+m3', 2));
      assert.equal(other.body.voiceprint.decision, 'no_match', JSON.stringify(other.body.voiceprint));
      assert.ok(other.body.voiceprint.reasons.includes('phrase_mismatch'), JSON.stringify(other.body.voiceprint));
      assert.equal(other.body.status, 'pending');
    });

    describe('digits mode (Voiceprint.Mode=digits)', () => {
      let digitsService: string;
      before(async () => {
        const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Prompted', 'Voiceprint.Mode': 'digits' });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.voiceprint.mode, 'digits');
        digitsService = created.body.sid as string;
      });
      const entities = (identity: string) => `/v2/Services/${digitsService}/Entities/${identity}`;
      /** espeak says the digits one by one ("4, 7, 1, 9"): a short pause after each. */
      const sayDigits = (prompt: string, voice: string, take: number) => speak(prompt.replace(/\D/g, '').split('').join(', '), voice, take);

      it('enrols prompted digits, approves the prompt, refuses other digits, a replay and a new take of an old prompt', async () => {
        const identity = newIdentity();
        const totpFactor = await v.api('POST', `${entities(identity)}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
        const code = totp(base32Decode(totpFactor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
        assert.equal((await v.api('POST', `${entities(identity)}/Factors/${totpFactor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');

        const factor = await v.api('POST', `${entities(identity)}/Factors`, { FriendlyName: 'My digits', FactorType: 'voiceprint' });
        assert.equal(factor.status, 201, JSON.stringify(factor.body));
        const prompts = factor.body.config.prompts as string[];
        assert.equal(factor.body.config.mode, 'digits');
        assert.equal(prompts.length, 3);
        for (const p of prompts) assert.match(p, /^\d( \d){6}$/);
        for (const d of '0123456789') assert.ok(prompts.join('').split(d).length - 1 >= 2, `digit ${d} twice over the enrolment prompts`);
        let config = factor.body.config as { prompt: string | null };
        let last: { status: number; body: any } | undefined;
        for (let take = 0; take < 3; take++) {
          last = await upload(`${entities(identity)}/Factors/${factor.body.sid as string}/Recordings`, sayDigits(config.prompt!, 'en-us+m3', take));
          assert.ok(last.status === 201, JSON.stringify(last.body));
          config = last.body.config;
        }
        assert.equal(last?.body.status, 'verified', JSON.stringify(last?.body));
        assert.equal(config.prompt, null);
        const factorSid = factor.body.sid as string;

        const newChallenge = async () => (await v.api('POST', `${entities(identity)}/Challenges`, { FactorSid: factorSid })).body;
        const first = await newChallenge();
        assert.match(first.details.prompt, /^\d( \d){5}$/, JSON.stringify(first.details));
        const answer = async (sid: string, wav: Buffer) => upload(`${entities(identity)}/Challenges/${sid}/Recording`, wav);

        const accepted = sayDigits(first.details.prompt as string, 'en-us+m3', 4);
        const ok = await answer(first.sid as string, accepted);
        assert.equal(ok.body.voiceprint.decision, 'match', JSON.stringify(ok.body.voiceprint));
        assert.equal(ok.body.status, 'approved');

        const second = await newChallenge();
        assert.notEqual(second.details.prompt, first.details.prompt, 'a fresh prompt for every challenge');
        // Differs from the prompt at every place (one misheard digit of six is tolerated).
        const wrongDigits = (second.details.prompt as string).split(' ').map((d: string) => String((Number(d) + 5) % 10)).join(' ');
        const wrong = await answer(second.sid as string, sayDigits(wrongDigits, 'en-us+m3', 5));
        assert.equal(wrong.body.voiceprint.decision, 'no_match', JSON.stringify(wrong.body.voiceprint));
        assert.ok(wrong.body.voiceprint.reasons.includes('digits_mismatch'), JSON.stringify(wrong.body.voiceprint));
        assert.equal(wrong.body.status, 'pending');

        // A new take of the earlier (accepted) prompt: the voice is right, the digits are not this challenge's.
        const oldPrompt = await answer(second.sid as string, sayDigits(first.details.prompt as string, 'en-us+m3', 6));
        assert.equal(oldPrompt.body.voiceprint.decision, 'no_match', JSON.stringify(oldPrompt.body.voiceprint));
        assert.ok(oldPrompt.body.voiceprint.reasons.includes('digits_mismatch'), JSON.stringify(oldPrompt.body.voiceprint));

        // The accepted recording itself, played back: refused (and the challenge is not approved).
        const replayed = await answer(second.sid as string, accepted);
        assert.notEqual(replayed.body.voiceprint.decision, 'match', JSON.stringify(replayed.body.voiceprint));
        assert.notEqual(replayed.body.status, 'approved');

        const third = await newChallenge();
        const right = await answer(third.sid as string, sayDigits(third.details.prompt as string, 'en-us+m3', 7));
        assert.equal(right.body.voiceprint.decision, 'match', JSON.stringify(right.body.voiceprint));
      });

      it('refuses an enrolment recording that does not say the digits one by one (64011 digits_unclear)', async () => {
        const other = newIdentity();
        const totpFactor = await v.api('POST', `${entities(other)}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
        const code = totp(base32Decode(totpFactor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
        await v.api('POST', `${entities(other)}/Factors/${totpFactor.body.sid as string}`, { AuthPayload: code });
        const factor = await v.api('POST', `${entities(other)}/Factors`, { FriendlyName: 'digits', FactorType: 'voiceprint' });
        // A sentence said in one breath: long and loud enough, but no seven separate words.
        const refused = await upload(`${entities(other)}/Factors/${factor.body.sid as string}/Recordings`, speak('a long sentence without any pause at all in it', 'en-us+m3', 0));
        assert.equal(refused.body.code, 64011, JSON.stringify(refused.body));
        assert.deepEqual(refused.body.details.problems.map((p: { code: string }) => p.code), ['digits_unclear']);
      });
    });

    it('explains poor recordings and refuses other audio formats', async () => {
      const identity = await entityWithTotp();
      const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'v', FactorType: 'voiceprint' });
      const path = `${base(identity)}/Factors/${factor.body.sid as string}/Recordings`;
      const quiet = execFileSync('sox', ['-t', 'wav', '-', '-t', 'wav', '-', 'vol', '0.002'], { input: speak(PHRASE, 'en-us+m3', 0) });
      const rejected = await upload(path, quiet);
      assert.equal(rejected.body.code, 64011, JSON.stringify(rejected.body));
      assert.ok(rejected.body.details.problems.some((p: { code: string }) => p.code === 'too_quiet'), 'the take is refused as too quiet');
      const short = execFileSync('sox', ['-t', 'wav', '-', '-t', 'wav', '-', 'trim', '0', '0.4'], { input: speak(PHRASE, 'en-us+m3', 0) });
      assert.equal((await upload(path, short)).body.code, 64011);
      const rate = execFileSync('sox', ['-t', 'wav', '-', '-r', '44100', '-t', 'wav', '-'], { input: speak(PHRASE, 'en-us+m3', 0) });
      const refused = await upload(path, rate);
      assert.equal(refused.body.code, 60200);
      assert.match(refused.body.message, /Recording/);
      assert.equal((await upload(path, Buffer.from('not a wav at all'))).body.code, 60200);
    });

    it('enrols and verifies over a phone call through the simulated phone, and deleting the factor deletes everything', async () => {
      const identity = await entityWithTotp();
      const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'phone voice', FactorType: 'voiceprint' });
      const factorSid = factor.body.sid as string;
      const to = `+1415557${String(1000 + counter).slice(-4)}`;
      const placed = await v.api('POST', `${base(identity)}/Factors/${factorSid}/Calls`, { To: to });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const phone = v.phone(to);
      const speakInto = async (call: SimCall, wav: Buffer): Promise<SimCall> => {
        const res = await fetch(`${v.url}/sim/v1/phones/${encodeURIComponent(to)}/calls/${call.sid}/speak`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
        return (await res.json()) as SimCall;
      };
      let call = await phone.answer((await phone.latestCall()).sid);
      assert.match(phone.heard(call), /After the beep, say your pass phrase\./);
      for (let take = 0; take < 3; take++) call = await speakInto(call, speak(PHRASE, 'en-us+m3', take, 8000));
      assert.equal(call.prompts.at(-1)?.text, 'Your voiceprint is ready. Goodbye.', phone.heard(call));
      assert.equal((await v.api('GET', `${base(identity)}/Factors/${factorSid}`)).body.status, 'verified');

      const sid = await challenge(identity, factorSid);
      assert.equal((await v.api('POST', `${base(identity)}/Challenges/${sid}/Calls`, { To: to })).status, 201);
      call = await phone.answer((await phone.latestCall()).sid);
      call = await speakInto(call, speak(PHRASE, 'en-us+m3', 3, 8000));
      assert.equal(call.prompts.at(-1)?.text, 'Thank you. Your voice is verified. Goodbye.', v.logs().split('\n').filter((l) => l.includes('voiceprint attempt')).join('\n'));
      assert.equal((await v.api('GET', `${base(identity)}/Challenges/${sid}`)).body.status, 'approved');

      await v.api('DELETE', `${base(identity)}/Factors/${factorSid}`);
      for (const table of ['voiceprint_recordings', 'voiceprint_fingerprints'] as const) {
        assert.equal((await v.ctx.db.kysely.selectFrom(table).select('sid').where('factor_sid', '=', factorSid).execute()).length, 0, table);
      }
    });
  });
}
