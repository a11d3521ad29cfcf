import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TABLE_END, TABLE_START, failed, outcomeOf, renderTable, withTable, type ActionResult } from './compat-table.ts';

const action = { key: 'service/rateLimit#fetch', resource: 'service/rateLimit', action: 'fetch', method: 'GET', uri: '/Services/{serviceSid}/RateLimits/{sid}', json: false } as const;
const result = (status: number | undefined, routed: boolean, code?: number): ActionResult => ({ action, status, routed, code });

it('tells a missing route from a missing resource, and fails both, a server error and any refusal', () => {
  assert.equal(outcomeOf(result(200, true)), 'ok');
  assert.equal(outcomeOf(result(404, false, 20404)), '**no route** (404)');
  assert.equal(outcomeOf(result(404, true, 20404)), '**refused** 20404');
  assert.equal(outcomeOf(result(500, true, 20500)), '**server error** 20500');
  assert.equal(outcomeOf(result(undefined, false)), 'no request');
  assert.deepEqual([200, 201, 204].map((s) => failed(result(s, true))), [false, false, false]);
  assert.deepEqual([400, 404, 500, undefined].map((s) => failed(result(s, true))), [true, true, true, true]);
});

it('replaces exactly the marked block, and refuses a document without one', () => {
  const doc = `# Title\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
  const table = renderTable([result(404, false, 20404)], '6.2.0');
  const updated = withTable(doc, table);
  assert.ok(updated.startsWith(`# Title\n\n${TABLE_START}\n`), 'the text before the block stays');
  assert.ok(updated.endsWith(`\n${TABLE_END}\n\nafter\n`), 'the text after the block stays');
  assert.match(updated, /\| 1 \| `service\/rateLimit` \| fetch \| GET \| `\/Services\/\{serviceSid\}\/RateLimits\/\{sid\}` \| — \| 404 \| \*\*no route\*\* \(404\) \|/);
  assert.match(updated, /0 of 1 succeed/);
  assert.equal(withTable(updated, table), updated, 'idempotent');
  assert.throws(() => withTable('# no markers\n', table), /verify-v2-actions:start/);
});
