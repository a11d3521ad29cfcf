import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html, safeUrl, trustedHtml, UNSAFE_URL, type SafeHtml } from './html.ts';

const HOSTILE = `<script>alert("x&'\`")</script>`;

describe('html: escaping by default', () => {
  it('escapes every interpolated text, in content and in quoted attributes', () => {
    assert.equal(html`<p>${HOSTILE}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&amp;&#39;&#96;&quot;)&lt;/script&gt;</p>');
    assert.equal(html`<input value="${'" autofocus onfocus="alert(1)'}">`.value, '<input value="&quot; autofocus onfocus=&quot;alert(1)">');
    assert.equal(html`<input value='${"' onfocus='alert(1)"}'>`.value, "<input value='&#39; onfocus=&#39;alert(1)'>");
  });

  it('keeps fragments, joins arrays, and renders null, undefined and false as nothing', () => {
    const item = (text: string): SafeHtml => html`<li>${text}</li>`;
    assert.equal(html`<ul>${['a', '<b>'].map(item)}</ul>`.value, '<ul><li>a</li><li>&lt;b&gt;</li></ul>');
    assert.equal(html`${null}${undefined}${false}${0}${[]}`.value, '0');
    assert.equal(html`${[['<', html`<br>`]]}`.value, '&lt;<br>');
  });

  it('a plain string never becomes markup, even one that looks like a fragment', () => {
    const lookalike = { value: '<b>x</b>', toString: () => '<b>x</b>' } as unknown as string;
    assert.equal(html`${lookalike}`.value, '&lt;b&gt;x&lt;/b&gt;');
  });

  it('trustedHtml is the one way to emit markup unescaped', () => {
    assert.equal(html`<figure>${trustedHtml('<svg></svg>')}</figure>`.value, '<figure><svg></svg></figure>');
  });
});

describe('html: URL attributes', () => {
  it('a value starting href, src, action or formaction must be relative or http(s), mailto, tel', () => {
    for (const url of ['/handoff/page/x', 'https://bank.example/back?a=1&b=2', 'http://localhost:3000/', 'mailto:a@example.com', 'tel:+15005550006', '#top', '?q=1', 'relative/path']) {
      assert.equal(safeUrl(url), url, url);
    }
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', ' \u0001javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'custom-scheme:x']) {
      assert.equal(safeUrl(url), UNSAFE_URL, JSON.stringify(url));
    }
  });

  it('replaces a dangerous URL in the attribute, escapes a safe one', () => {
    assert.equal(html`<a href="${'javascript:alert(1)'}">x</a>`.value, `<a href="${UNSAFE_URL}">x</a>`);
    assert.equal(html`<a class="button" href="${'https://a.example/?x=1&y="2"'}">x</a>`.value, '<a class="button" href="https://a.example/?x=1&amp;y=&quot;2&quot;">x</a>');
    assert.equal(html`<form action="${'data:text/html,x'}"></form>`.value, `<form action="${UNSAFE_URL}"></form>`);
    assert.equal(html`<script src="${'javascript:x'}"></script>`.value, `<script src="${UNSAFE_URL}"></script>`);
    assert.equal(html`<button formaction='${'vbscript:x'}'></button>`.value, `<button formaction='${UNSAFE_URL}'></button>`);
  });

  it('a value after a fixed start of the URL cannot change its scheme and is only escaped', () => {
    assert.equal(html`<a href="https://www.twilio.com/docs/errors/${'javascript:x'}">x</a>`.value, '<a href="https://www.twilio.com/docs/errors/javascript:x">x</a>');
    assert.equal(html`<div data-href="${'javascript:x'}"></div>`.value, '<div data-href="javascript:x"></div>');
  });
});

describe('html: refuses templates that escaping cannot make safe', () => {
  it('an unquoted attribute value', () => {
    assert.throws(() => html`<a href=${'/x'}>x</a>`, /unquoted attribute value/);
    assert.throws(() => html`<input value = ${'x'}>`, /unquoted attribute value/);
  });

  it('a value inside an event-handler attribute', () => {
    assert.throws(() => html`<button onclick="go('${'x'}')">x</button>`, /event-handler attribute/);
  });
});
