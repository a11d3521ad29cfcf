/*
 * The one way Verity writes HTML: `html` is a tagged template that escapes every interpolated value
 * unless it is itself `html` (a SafeHtml). Hand-written on purpose: about a hundred lines, no
 * dependency, and escaping is the default rather than something each page must remember. Pages,
 * the admin console, the error-code page and the email body all use it.
 *
 *   html`<p class="lead">${text}</p>`          text escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`   arrays joined, fragments kept
 *   html`${cond ? html`<b>x</b>` : null}`       null, undefined and false render nothing
 *
 * Rules the template enforces when it is first used (a programming error throws, in every test):
 *   - attribute values are quoted (`name="${v}"`), never bare (`name=${v}`): an unquoted value could
 *     add attributes, and escaping does not help there;
 *   - no value inside an event-handler attribute (`onclick="${v}"`): the pages run no inline script.
 * And one rule at render time, for URL attributes (href, src, action, formaction, poster, cite): a
 * plain value that *starts* the attribute must be a relative URL or an http(s), mailto or tel URL.
 * Anything else (`javascript:`, `data:`, `vbscript:`, an unknown scheme) renders as
 * `about:invalid#unsafe-url`, so a hostile or mistaken URL cannot run script when clicked. (The
 * idea and the replacement URL follow Google's Closure/safevalues sanitizers.) A value in the middle
 * of a URL (`href="/admin/services/${sid}"`) cannot change its scheme and is only escaped.
 */

/** Markup that is safe to emit as it is: built by `html` (or, for a trusted producer, `trustedHtml`). */
export class SafeHtml {
  /** The markup. */
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text and numbers (escaped), fragments, lists of them, and nothing. */
type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attribute values (both quotes, and the backtick old browsers took as one). */
function escapeText(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** What replaces a URL with a scheme that could run script (or one we do not know). */
export const UNSAFE_URL = 'about:invalid#unsafe-url';

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * The URL as a browser would read its scheme (WHATWG URL: leading C0 controls and spaces stripped,
 * tabs and newlines removed anywhere), kept when relative or of a safe scheme.
 */
export function safeUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  const normalised = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(normalised)?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme.toLowerCase()) ? url : UNSAFE_URL;
}

/** How a template's slot is filled: as text, or as a URL starting a URL attribute. */
type Slot = 'text' | 'url';

const URL_ATTRIBUTE = /(?:^|\s)(?:href|src|action|formaction|poster|cite|xlink:href)\s*=\s*["']$/i;
const UNQUOTED_ATTRIBUTE = /(?:^|\s)[^\s"'<>/=]+\s*=\s*$/;
const EVENT_ATTRIBUTE = /(?:^|\s)on[a-z]+\s*=\s*(?:"[^"]*|'[^']*)$/i;

/** Each template's slots, worked out once per call site (the strings array is the same object every time). */
const slotsOf = new WeakMap<TemplateStringsArray, readonly Slot[]>();

function analyse(strings: TemplateStringsArray): readonly Slot[] {
  return strings.slice(0, -1).map((before, i) => {
    if (UNQUOTED_ATTRIBUTE.test(before)) throw new Error(`html: unquoted attribute value before slot ${i} in \`${before.slice(-40)}\``);
    if (EVENT_ATTRIBUTE.test(before)) throw new Error(`html: a value inside an event-handler attribute before slot ${i} in \`${before.slice(-40)}\``);
    return URL_ATTRIBUTE.test(before) ? 'url' : 'text';
  });
}

function render(value: HtmlValue, slot: Slot): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map((v) => render(v, 'text')).join('');
  const text = String(value);
  return escapeText(slot === 'url' ? safeUrl(text) : text);
}

/** The tagged template: every interpolation escaped unless it is SafeHtml; see the rules above. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let slots = slotsOf.get(strings);
  if (!slots) {
    slots = analyse(strings);
    slotsOf.set(strings, slots);
  }
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i], slots[i] ?? 'text') + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * THE escape hatch: markup taken as it is, unescaped. Only for markup from a trusted producer that
 * no user value reaches unescaped (a constant, or the `qrcode` library's SVG of a value we made).
 * Grep `trustedHtml(` to review every use.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

