import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('the simulated carrier', () => {
  let v: TestVerity;
  let service: string;
  before(async () => {
    v = await startVerity({ manualClock: true });
    service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Sim' })).body.sid;
  });
  after(async () => v.close());

  const create = (to: string, channel: string) => v.api('POST', `/v2/Services/${service}/Verifications`, { To: to, Channel: channel });

  it('lists an inbox newest first with channel, to, from, body and date_created', async () => {
    const to = '+14155550190';
    assert.equal((await create(to, 'sms')).status, 201);
    v.clock!.advance(2_000);
    assert.equal((await create(to, 'sms')).status, 201);

    const res = await fetch(`${v.url}/sim/v1/inbox/${encodeURIComponent(to)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const { messages } = (await res.json()) as { messages: Array<Record<string, unknown>> };
    assert.equal(messages.length, 2);
    const [newest, oldest] = messages as [Record<string, any>, Record<string, any>];
    assert.equal(newest.channel, 'sms');
    assert.equal(oldest.channel, 'sms');
    for (const m of messages) {
      assert.equal(m.to, to);
      assert.equal(m.from, '+15005550006');
      assert.equal(typeof m.body, 'string');
      assert.match(String(m.date_created), ISO_SECONDS);
      assert.equal('subject' in m, false, 'no subject on sms');
    }
    assert.ok(Date.parse(newest.date_created) - Date.parse(oldest.date_created) === 2_000, 'dates follow the clock');
    assert.match(oldest.body, /^Your Sim verification code is: \d{6}$/);

    // Other spellings of the same number reach the same inbox; another number's inbox is separate.
    const spaced = await fetch(`${v.url}/sim/v1/inbox/${encodeURIComponent('+1 (415) 555-0190')}`);
    assert.equal(((await spaced.json()) as { messages: unknown[] }).messages.length, 2);
    assert.deepEqual(await v.inbox('+14155550191'), []);
  });

  it('keeps email with its subject and from address, case-insensitively', async () => {
    assert.equal((await create('Sim.User@Example.com', 'email')).status, 201);
    const [mail] = await v.inbox('sim.user@example.com');
    assert.ok(mail, 'expected mail');
    assert.equal(mail.channel, 'email');
    assert.equal(mail.to, 'sim.user@example.com');
    assert.equal(mail.from, 'Verity <no-reply@verity.localhost>');
    assert.equal(typeof (mail as unknown as { subject: unknown }).subject, 'string');
    assert.equal((await v.inbox('SIM.USER@EXAMPLE.COM')).length, 1);
  });

  it('refuses an address that is neither a number nor an email with 60200', async () => {
    const res = await fetch(`${v.url}/sim/v1/inbox/not-an-address`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: number; message: string };
    assert.equal(body.code, 60200);
    assert.match(body.message, /address/);
  });

  it('streams a new message as a server-sent event', { timeout: 10_000 }, async () => {
    const to = '+14155550192';
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(new Error('no event within 5 s')), 5_000);
    try {
      const res = await fetch(`${v.url}/sim/v1/inbox/${encodeURIComponent(to)}/stream`, { signal: abort.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      const readUntil = async (pattern: RegExp): Promise<RegExpExecArray> => {
        for (;;) {
          const match = pattern.exec(buffer);
          if (match) return match;
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended; got ${JSON.stringify(buffer)}`);
          buffer += value;
        }
      };
      // The comment line is written once the subscription exists: only then send.
      await readUntil(/^: connected\n\n/m);
      assert.doesNotMatch(buffer, /^data:/m, 'no event before a message');
      // A message to another address does not show up on this stream.
      assert.equal((await create('+14155550193', 'sms')).status, 201);
      assert.equal((await create(to, 'sms')).status, 201);
      const event = await readUntil(/^event: message\ndata: (.+)\n\n/m);
      const message = JSON.parse(event[1] as string) as Record<string, string>;
      assert.equal(message.to, to);
      assert.equal(message.channel, 'sms');
      assert.equal(message.from, '+15005550006');
      assert.match(String(message.body), /\d{6}/);
      assert.match(String(message.date_created), ISO_SECONDS);
      assert.equal(buffer.match(/^data:/gm)?.length, 1, 'exactly one event');
      // It is the same message the inbox lists.
      const [listed] = await v.inbox(to);
      assert.deepEqual(message, listed);
      abort.abort();
      await reader.cancel().catch(() => undefined);
    } finally {
      clearTimeout(timeout);
    }
  });
});

describe('without the simulator provider', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ env: { VERITY_SMS_PROVIDER: 'console', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'console', VERITY_WHATSAPP_PROVIDER: 'console' } });
  });
  after(async () => v.close());

  it('has no /sim routes (404 / 20404)', async () => {
    assert.equal(v.ctx.simulator, undefined);
    for (const path of ['/sim/v1/inbox/%2B14155550194', '/sim/v1/inbox/%2B14155550194/stream', '/sim/v1/inbox/a%40example.com']) {
      const res = await fetch(v.url + path);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { code: number }).code, 20404);
    }
    // The API itself is still there.
    assert.equal((await v.api('GET', '/v2/Services')).status, 200);
  });
});

describe('production configuration', () => {
  const key = 'a'.repeat(64);

  it('refuses the simulator and console providers and a missing master key, all at once', () => {
    let error: unknown;
    try {
      loadVerityConfig({ NODE_ENV: 'production', VERITY_SMS_PROVIDER: 'simulator', VERITY_EMAIL_PROVIDER: 'console' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(error.problems.length >= 3, error.problems.join('\n'));
    assert.ok(error.problems.some((p) => p.startsWith('VERITY_MASTER_KEY')), "expected error.problems.some((p) => p.startsWith('VERITY_MASTER_KEY'))");
    assert.ok(error.problems.some((p) => p.startsWith('VERITY_SMS_PROVIDER') && /simulator/.test(p)), 'VERITY_SMS_PROVIDER=simulator is refused');
    assert.ok(error.problems.some((p) => p.startsWith('VERITY_EMAIL_PROVIDER') && /console/.test(p)), 'VERITY_EMAIL_PROVIDER=console is refused');
    // The message lists every problem too.
    for (const p of error.problems) assert.ok(error.message.includes(p), 'expected error.message.includes(p)');
  });

  it('refuses a console voice provider and a missing master key (≥ 2 problems)', () => {
    assert.throws(
      () => loadVerityConfig({ NODE_ENV: 'production', VERITY_VOICE_PROVIDER: 'console' }),
      (e: unknown) => e instanceof ConfigError && e.problems.length >= 2 && e.problems.some((p) => p.startsWith('VERITY_VOICE_PROVIDER')),
    );
  });

  it('defaults every provider to none in production, and accepts a master key', () => {
    const config = loadVerityConfig({ NODE_ENV: 'production', VERITY_MASTER_KEY: key });
    assert.deepEqual(config.providers, { sms: 'none', voice: 'none', email: 'none', whatsapp: 'none' });
    assert.equal(config.env, 'production');
  });

  it('still allows the simulator outside production', () => {
    assert.deepEqual(loadVerityConfig({ NODE_ENV: 'development' }).providers, { sms: 'simulator', voice: 'simulator', email: 'simulator', whatsapp: 'simulator' });
  });
});
