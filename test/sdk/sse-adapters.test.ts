import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ServerSentEventParser } from '@verity/sdk';
import { readServerSentEvents } from '../../src/authenticator/sse-reader.ts';

/**
 * The SDK's push parser and the authenticator's async reader are two thin adapters over
 * eventsource-parser (the server does not import the SDK): on any stream, cut anywhere, they
 * read the same events.
 */
const line = fc.oneof(
  fc.constantFrom(': keep-alive', ':', 'data', 'data: ', 'event:', 'id:', 'retry: x'),
  fc.tuple(fc.constantFrom('data: ', 'data:', 'event: ', 'id: ', 'retry: '), fc.string({ unit: 'grapheme', maxLength: 6 })).map(([field, value]) => field + value.replace(/[\r\n]/g, '')),
  fc.nat({ max: 5000 }).map((ms) => `retry: ${ms}`),
);
const stream = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 24 }))
  .map(([bom, lines]) => (bom ? '\uFEFF' : '') + lines.map(([text, end]) => text + end).join(''));

describe('server-sent event adapters', () => {
  it('the SDK parser and the authenticator reader agree, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }), async (text, sizes) => {
        const bytes = new TextEncoder().encode(text);
        const chunks: Uint8Array[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const size = sizes[i % sizes.length] as number;
          chunks.push(bytes.slice(at, at + size));
          at += size;
        }
        const parser = new ServerSentEventParser();
        const pushed = [...chunks.flatMap((chunk) => parser.feed(chunk)), ...parser.end()];
        const read = [];
        for await (const event of readServerSentEvents((async function* () { yield* chunks; })())) read.push(event);
        assert.deepEqual(read, pushed);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
