import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConsoleProvider } from './console-provider.ts';

test('prints one line per message', async () => {
  const lines: string[] = [];
  const provider = createConsoleProvider({ write: (line) => lines.push(line) });
  const receipt = await provider.send({ channel: 'email', to: 'a@b.c', subject: 'Code', body: 'Line one\nCode 123456', locale: 'en', verificationSid: 'VE1', attemptId: 'VL1' });
  assert.equal(provider.name, 'console');
  assert.ok(receipt.providerMessageId.length > 0, 'expected receipt.providerMessageId.length > 0');
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.includes('\n'), false);
  assert.match(lines[0] ?? '', /email to a@b\.c \(VE1\) subject="Code": "Line one\\nCode 123456"/);
});
