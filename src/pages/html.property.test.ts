import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { html, safeUrl, UNSAFE_URL } from './html.ts';

/**
 * Properties of the auto-escaping template on generated text and URLs (fast-check, fixed seed). The
 * hand-picked cases stay in html.test.ts; these check that no value, whatever it holds, can leave its
 * slot, and that a URL the template keeps is one a browser reads with a safe scheme.
 */
const RUNS = { seed: 1866, numRuns: 500 };

/** Any text: every Unicode scalar, plus the characters HTML gives a meaning, made frequent. */
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '`', '=', '/', ' ', 'a', ';', '#'), maxLength: 40 }));

/** Reverses the template's five entities (and only those). */
const unescape = (s: string) => s.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e] ?? '');

test('a text value cannot leave its slot: no markup character survives, and unescaping gives the value back', () => {
  fc.assert(
    fc.property(text, (value) => {
      const out = html`<p title="${value}">${value}</p>`.toString();
      const match = /^<p title="([^"]*)">([^<]*)<\/p>$/.exec(out);
      assert.ok(match, `the value changed the markup's structure: ${out}`);
      for (const slot of [match[1]!, match[2]!]) {
        assert.doesNotMatch(slot, /[<>"'`]/);
        assert.doesNotMatch(slot, /&(?!(lt|gt|quot|#39|#96|amp);)/, 'every & starts one of the entities');
        assert.equal(unescape(slot), value);
      }
    }),
    RUNS,
  );
});

test('fragments are kept as they are, lists are their items in order, and null/undefined/false render nothing', () => {
  fc.assert(
    fc.property(fc.array(text, { maxLength: 5 }), fc.constantFrom(null, undefined, false), (values, nothing) => {
      const items = values.map((v) => html`<li>${v}</li>`);
      assert.equal(html`<ul>${items}</ul>`.toString(), `<ul>${items.join('')}</ul>`);
      assert.equal(html`<b>${html`${values}`}</b>`.toString(), `<b>${html`${values}`.toString()}</b>`);
      assert.equal(html`<i>${nothing}</i>`.toString(), '<i></i>');
    }),
    RUNS,
  );
});

/** URLs with the tricks browsers forgive: leading controls and spaces, tabs and newlines inside, any case. */
const url = fc
  .tuple(
    fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u001f', ' ', '\t', '\n'), maxLength: 3 }),
    fc.oneof(fc.constantFrom('javascript', 'JaVaScRiPt', 'data', 'vbscript', 'http', 'https', 'HTTPS', 'mailto', 'tel', 'file', 'blob'), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9+.-]{0,8}$/)),
    fc.constantFrom(':', '', '\t:', ':/'),
    fc.oneof(fc.constantFrom('alert(1)', '//example.com/x', '/relative', 'a?b=c#d', ''), text),
  )
  .map(([lead, scheme, colon, rest]) => {
    // A tab or newline anywhere in the scheme is dropped by the URL parser, so it may hide a scheme.
    const cut = scheme.length > 2 ? 2 : 0;
    return lead + scheme.slice(0, cut) + (cut ? '\t' : '') + scheme.slice(cut) + colon + rest;
  });

test('a URL that starts an href is kept only when the WHATWG URL parser reads a safe scheme (or a relative URL)', () => {
  fc.assert(
    fc.property(fc.oneof(url, text), (value) => {
      const out = html`<a href="${value}">x</a>`.toString();
      const href = unescape(/^<a href="([^"]*)">x<\/a>$/.exec(out)?.[1] ?? assert.fail(`markup changed: ${out}`));
      assert.equal(href, safeUrl(value));
      if (href === UNSAFE_URL && value !== UNSAFE_URL) return;
      let protocol: string;
      try {
        protocol = new URL(href, 'https://verity.example/hosted/page').protocol;
      } catch {
        return; // not a URL a browser would follow
      }
      assert.ok(['http:', 'https:', 'mailto:', 'tel:'].includes(protocol), `kept ${JSON.stringify(value)}, which a browser reads as ${protocol}`);
    }),
    RUNS,
  );
});
