/**
 * Demo Bank's pages are written with an auto-escaping tagged template, the approach of Verity's
 * src/pages/html.ts. Demo Bank is a separate application that reaches Verity only through
 * @verity/sdk (an ESLint rule forbids importing Verity's source), so it keeps this small copy of
 * the idea: every interpolated value is escaped unless it is itself `html` (SafeHtml); arrays are
 * joined; null, undefined and false render nothing. Verity's version also checks attribute quoting
 * and URL schemes; the demo's URLs are its own paths and its configured Verity URL.
 *
 *   html`<p>${text}</p>`                                  text escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`  fragments kept
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}
