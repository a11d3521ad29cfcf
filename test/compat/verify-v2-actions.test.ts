import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type twilio from 'twilio';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { failed, outcomeOf, renderTable, withTable, type ActionResult } from './compat-table.ts';
import { clientVerifyV2Actions, type ClientAction } from './twilio-actions.ts';
import { COMPAT_ACTIONS, COMPAT_MESSAGING_SERVICE_SID, createWorld } from './verify-v2-actions.ts';

const require = createRequire(import.meta.url);
const DOC = new URL('../../docs/compatibility.md', import.meta.url);

/** One request the client made: what it asked and what Verity answered. */
interface Exchange {
  method: string;
  path: string;
  status: number;
  code: number | undefined;
}

/** The official client, its requests sent to `url` and each one's answer recorded. */
function recordingClient(url: string, accountSid: string, authToken: string): { client: ReturnType<typeof twilio>; exchanges: Exchange[] } {
  const load = require('twilio') as typeof twilio;
  const exchanges: Exchange[] = [];
  class Recording extends load.RequestClient {
    override async request(opts: any): Promise<any> {
      const uri = String(opts.uri).replace(/^https:\/\/[^/]+/, url);
      const response = await super.request({ ...opts, uri });
      const body = response.body as { code?: unknown } | string | undefined;
      const code = typeof body === 'object' && body !== null && typeof body.code === 'number' ? body.code : undefined;
      exchanges.push({ method: String(opts.method).toUpperCase(), path: new URL(uri).pathname, status: response.statusCode, code });
      return response;
    }
  }
  return { client: load(accountSid, authToken, { httpClient: new Recording() }), exchanges };
}

/** `{anything}` → `{}`, so the client's templates and Verity's route paths compare. */
const shape = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

/** Method + path shapes of every route the running Verity has (its OpenAPI document is built from them). */
async function verityRoutes(url: string): Promise<Set<string>> {
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${shape(path)}`)));
}

/**
 * Every Verify v2 action of the installed twilio client (found in its code, so a new version's new
 * actions fail here until they are handled), called through the client against a real Verity with
 * real parents. The table of what each answered is docs/compatibility.md's.
 */
describe('every Verify v2 action of the installed twilio client', () => {
  let v: TestVerity;
  let dir: string;
  const clientActions: ClientAction[] = clientVerifyV2Actions();
  const results: ActionResult[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verity-compat-'));
    const routes = join(dir, 'messaging.json');
    writeFileSync(routes, JSON.stringify({ routes: [{ id: 'main', channel: 'sms', targets: [{ instance: 'simulator' }], messagingServiceSid: COMPAT_MESSAGING_SERVICE_SID }] }));
    v = await startVerity({ env: { VERITY_MESSAGING_CONFIG: routes } });
    const { client, exchanges } = recordingClient(v.url, v.accountSid, v.authToken);
    const world = await createWorld(v, client.verify.v2);
    const routed = await verityRoutes(v.url);
    const byKey = new Map(clientActions.map((a) => [a.key, a]));
    for (const compat of COMPAT_ACTIONS) {
      const action = byKey.get(compat.key);
      if (!action) continue; // reported by the first test
      const first = exchanges.length;
      let code: number | undefined;
      try {
        await compat.call(world);
      } catch (error) {
        code = (error as { code?: number }).code;
      }
      const made = exchanges.slice(first);
      assert.ok(made.length <= 1, `${compat.key} made ${made.length} requests: ${JSON.stringify(made)}`);
      const exchange = made[0];
      results.push({ action, status: exchange?.status, code: exchange?.code ?? code, routed: routed.has(`${action.method} ${shape(`/v2${action.uri}`)}`) });
    }
  });
  after(async () => {
    await v?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('handles exactly the actions the installed client has', () => {
    assert.ok(clientActions.length >= 57, `found ${clientActions.length} actions in the client's code: has its generated format changed?`);
    const handled = new Set(COMPAT_ACTIONS.map((a) => a.key));
    const unhandled = clientActions.filter((a) => !handled.has(a.key)).map((a) => `${a.key} (${a.method} ${a.uri})`);
    assert.deepEqual(unhandled, [], 'actions of the installed twilio client without a call in test/compat/verify-v2-actions.ts');
    const known = new Set(clientActions.map((a) => a.key));
    assert.deepEqual(COMPAT_ACTIONS.map((a) => a.key).filter((k) => !known.has(k)), [], 'calls in test/compat/verify-v2-actions.ts for actions the client no longer has');
    assert.equal(handled.size, COMPAT_ACTIONS.length, 'each action is called once');
  });

  it('every action reaches a route of Verity and none answers a server error', () => {
    assert.equal(results.length, clientActions.length, 'every action was called');
    // A success proves its route exists: the route check (Verity's OpenAPI document) must agree.
    assert.deepEqual(results.filter((r) => !failed(r) && !r.routed).map((r) => r.action.key), [], 'answered but not found among Verity\'s routes: the route check is broken');
    const bad = results.filter((r) => r.status === undefined || (r.status === 404 && !r.routed) || r.status >= 500);
    assert.deepEqual(bad.map((r) => `${r.action.key}: ${r.action.method} /v2${r.action.uri} → ${outcomeOf(r)}`), []);
  });

  it('every action succeeds, as the client calls it with real parents', () => {
    assert.deepEqual(results.filter(failed).map((r) => `${r.action.key}: ${r.action.method} /v2${r.action.uri} → ${r.status ?? '—'} ${outcomeOf(r)}`), []);
  });

  it('docs/compatibility.md has the table of these answers (UPDATE_COMPAT_TABLE=1 rewrites it)', () => {
    const version = (require('twilio/package.json') as { version: string }).version;
    const current = readFileSync(DOC, 'utf8');
    const expected = withTable(current, renderTable(results, version));
    if (process.env.UPDATE_COMPAT_TABLE === '1') writeFileSync(DOC, expected);
    else assert.equal(current, expected, 'docs/compatibility.md is out of date: run this test with UPDATE_COMPAT_TABLE=1');
  });
});
