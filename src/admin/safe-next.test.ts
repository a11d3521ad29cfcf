import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeNext } from './safe-next.ts';

describe('safeNext (no open redirect after sign-in)', () => {
  it('keeps a path of the console, normalized', () => {
    assert.equal(safeNext('/admin'), '/admin');
    assert.equal(safeNext('/admin/services/VA0123?to=%2B1415&page=2'), '/admin/services/VA0123?to=%2B1415&page=2');
    assert.equal(safeNext('/admin/services/x#frag'), '/admin/services/x');
  });

  it('sends everything else to /admin', () => {
    for (const next of [
      undefined, 42, '', 'https://evil.example/admin', '//evil.example/admin', '/\\evil.example', '\\\\evil.example', '/%2F%2Fevil.example',
      '/admin/../v2/Services', '/admin/%2e%2e/v2', '/admin/%2E%2E/%2E%2E/evil', '/administrator', '/adminx/', 'javascript:alert(1)',
      '/admin\t/x', ' /admin', '/admin\n', 'http:/evil.example', '/admin/sign-in?next=//evil', '/admin/sign-out', 'x'.repeat(2000),
    ]) {
      const result = safeNext(next);
      assert.ok(result === '/admin' || (result.startsWith('/admin/') && !result.startsWith('/admin/sign')), `${String(next)} → ${result}`);
      assert.equal(new URL(result, 'https://verity.example').origin, 'https://verity.example', String(next));
    }
    assert.equal(safeNext('/admin/../v2/Services'), '/admin');
    assert.equal(safeNext('//evil.example/admin'), '/admin');
  });
});
