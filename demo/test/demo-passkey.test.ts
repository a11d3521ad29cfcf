import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SoftAuthenticator } from '../../test/support/soft-authenticator.ts';
import { startVerity, type TestVerity } from '../../test/support/start-verity.ts';
import { bootstrapDemo } from '../bootstrap.ts';
import type { DemoConfig } from '../config.ts';
import { startDemo, type RunningDemo } from '../server.ts';
import { newUserId } from '../users/users-store.ts';
import { hashPassword } from '../users/passwords.ts';
import { freePort, hidden, Visitor } from './demo-harness.ts';

const unescape = (text: string): string => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const optionsOf = (html: string): any => JSON.parse(unescape(/data-options="([^"]*)"/.exec(html)?.[1] ?? 'null'));

/**
 * "Sign in with a passkey" in Demo Bank: no username, no password. Verity runs on `localhost` here
 * (WebAuthn refuses an IP address as RP ID), so bootstrap makes Verity's host the relying party,
 * as `npm start` does.
 */
describe('Demo Bank: usernameless passkey sign-in', () => {
  let v: TestVerity;
  let demo: RunningDemo;
  let config: DemoConfig;
  let dataDir: string;
  let verityUrl: string;

  before(async () => {
    v = await startVerity();
    verityUrl = v.url.replace('127.0.0.1', 'localhost');
    v.ctx.config.publicUrl = verityUrl;
    dataDir = mkdtempSync(join(tmpdir(), 'demo-passkey-test-'));
    const port = await freePort();
    config = await bootstrapDemo({ verityUrl, accountSid: v.accountSid, authToken: v.authToken, dataDir, publicUrl: `http://localhost:${port}`, host: '127.0.0.1', port, virtualPhoneUrl: `${verityUrl}/phone` });
    demo = await startDemo(config);
  });
  after(async () => {
    await demo?.close();
    await v?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A customer with a verified discoverable passkey at Verity (registered through the API, as the enrollment hub would). */
  async function customerWithPasskey(username: string): Promise<{ id: string; authenticator: SoftAuthenticator }> {
    const id = newUserId();
    assert.ok(demo.ctx.users.insert({ id, username, password_hash: await hashPassword('velvet tractor umbrella 42'), phone: '+14155550199', created_at: Date.now() }), 'the user is stored');
    const authenticator = new SoftAuthenticator(verityUrl);
    const created = await v.api('POST', `/v2/Services/${config.serviceSid}/Entities/${id}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Laptop' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const verified = await v.api('POST', `/v2/Services/${config.serviceSid}/Entities/${id}/Factors/${created.body.sid}`, { AuthPayload: JSON.stringify(authenticator.register(created.body.binding.registration_options)) });
    assert.equal(verified.body.status, 'verified', JSON.stringify(verified.body));
    return { id, authenticator };
  }

  /** The sign-in page's passkey button, then Verity's "Sign in with a passkey" page. */
  async function passkeyPage(visitor: Visitor) {
    const signin = await visitor.get('/signin');
    assert.match(signin.html, /<form method="post" action="\/signin\/passkey"[\s\S]*?name="_csrf"[\s\S]*?Sign in with a passkey<\/button>/);
    const step = await visitor.post('/signin/passkey', {});
    assert.equal(step.status, 303, step.html);
    assert.ok(step.location?.startsWith(`${verityUrl}/handoff?request=`), step.location ?? '');
    const page = await visitor.get(step.location as string);
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /<h1>Sign in with a passkey<\/h1>/);
    return page;
  }

  it('signs in with the passkey button alone: no username, no password; "You signed in with: passkey"', async () => {
    const { id, authenticator } = await customerWithPasskey('paula');
    const visitor = new Visitor(demo.url);
    // Without the CSRF token the button does nothing.
    await visitor.get('/signin');
    assert.equal((await visitor.post('/signin/passkey', {}, null)).status, 403);

    const page = await passkeyPage(visitor);
    const done = await visitor.post(`${verityUrl}/handoff/passkey/identify`, { session: hidden(page.html, 'session'), response: JSON.stringify(authenticator.authenticate(optionsOf(page.html))) }, null);
    assert.equal(done.status, 303, done.html);
    const back = await visitor.get(done.location as string);
    assert.equal(back.status, 303, back.html);
    assert.equal(back.location, '/account');
    const account = await visitor.follow(back);
    assert.equal(account.status, 200);
    assert.match(account.html, /paula/);
    assert.match(account.html, /You signed in with: <strong>passkey<\/strong>/);
    assert.equal(demo.ctx.users.byUsername('paula')?.id, id);

    // The same answer again: refused (single-use result), nothing more signed in.
    const replay = await visitor.get(done.location as string);
    assert.equal(replay.status, 400);
  });

  it('a passkey Verity knows but the bank does not (account closed): a clear error, nobody signed in', async () => {
    const { id, authenticator } = await customerWithPasskey('quentin');
    // The store has no delete: remove the row directly, as closing the account would.
    demo.ctx.db.prepare('DELETE FROM users WHERE id = ?').run(id);
    const visitor = new Visitor(demo.url);
    const page = await passkeyPage(visitor);
    const done = await visitor.post(`${verityUrl}/handoff/passkey/identify`, { session: hidden(page.html, 'session'), response: JSON.stringify(authenticator.authenticate(optionsOf(page.html))) }, null);
    assert.equal(done.status, 303, done.html);
    const back = await visitor.get(done.location as string);
    assert.equal(back.status, 400);
    assert.match(back.html, /No account for this passkey/);
    const account = await visitor.get('/account');
    assert.notEqual(account.status, 200, 'not signed in');
  });
});
