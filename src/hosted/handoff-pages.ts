import type { FactorOption } from '../handoff/factor-options.ts';
import type { HandoffFactor } from '../handoff/handoff-claims.ts';
import type { Locale, PageLocale } from '../i18n/locales.ts';
import { translate, translator } from '../i18n/translator.ts';
import { html, trustedHtml, type SafeHtml } from '../pages/html.ts';
import { icon } from '../pages/icons.ts';
import { BRAND_HEAD_SLOT, BRAND_HEADER_SLOT } from './page-brand.ts';

/** The stylesheet of the hosted pages (assets/handoff.css, served by http/static-assets.ts; no inline style or script). */
const HANDOFF_CSS_PATH = '/handoff/assets/handoff.css';
/** The enrollment hub's styles (assets/handoff-hub.css), linked on every page so one cached file serves all. */
const HUB_CSS_PATH = '/handoff/assets/handoff-hub.css';
/** The one script of the pages: the push waiting page follows the challenge's progress (the page works without it). */
export { HANDOFF_PUSH_JS } from './handoff-push-script.ts';
export const HANDOFF_PUSH_JS_PATH = '/handoff/assets/handoff-push.js';

/**
 * A strict Content Security Policy (directive → sources; http/routes/handoff-flow.ts sends it):
 * nothing but this server's stylesheet, no script (the pages that have one: this server's script
 * files and its event streams), no framing; forms may post here and (after the 303) land on the
 * verified `return_to` origin only.
 */
export function handoffCsp(formTargets: string[] = [], options: { script?: boolean } = {}): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    ...(options.script ? { 'script-src': ["'self'"], 'connect-src': ["'self'"] } : {}),
    'base-uri': ["'none'"],
    'form-action': formTargets.length === 0 ? ["'none'"] : ["'self'", ...formTargets],
    'frame-ancestors': ["'none'"],
  };
}

/** Languages written right to left (by their primary language subtag); the page locales are all LTR today. */
const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

/** The writing direction of a language tag (`he`, `ar-EG`, `fa_IR` → rtl). */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  const language = locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/**
 * A hosted page: the document around `body`, in the page's language (`dir="rtl"` for a right-to-left
 * one: the stylesheet uses logical properties only); `script` is this server's script file, if any.
 * The brand slots (page-brand.ts) are filled as the page is sent: the client's stylesheet after the
 * pages' own, its name and logo in the bar at the top.
 */
export function layout(title: string, body: SafeHtml, script?: string, lang: Locale = 'en'): string {
  const dir = textDirection(lang) === 'rtl' ? html` dir="rtl"` : '';
  return html`<!doctype html>
<html lang="${lang}"${dir}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Verity</title>
<link rel="stylesheet" href="${HANDOFF_CSS_PATH}">
<link rel="stylesheet" href="${HUB_CSS_PATH}">
${trustedHtml(BRAND_HEAD_SLOT)}
${script ? html`<script src="${script}" defer></script>\n` : ''}</head>
<body>
${trustedHtml(BRAND_HEADER_SLOT)}
<main>
${body}
</main>
<footer>${translate(lang, 'handoff.footer')}</footer>
</body>
</html>
`.value;
}

export interface ChooserPage {
  appName: string;
  /** The hand-off session, posted back by every form. */
  session: string;
  options: FactorOption[];
  /** The way back to the application: the session's return path (session-links.ts), a signed error result. */
  leave: string;
  /** A message about the last attempt (wrong code, lock-out). */
  message?: string | undefined;
  /** The form the message is about, so its input gets `aria-invalid` and focus. */
  failed?: string | undefined;
  /** `status`: the message guides (a neutral notice) instead of reporting a failure. */
  tone?: 'alert' | 'status' | undefined;
  /** The session's language (English when absent). */
  locale?: PageLocale | undefined;
  /** The method this user last signed in with in this browser (last-method.ts): shown first, tagged "Last used". */
  lastUsed?: HandoffFactor | undefined;
  /** The application's help page (its brand's support link), if it has one. */
  supportUrl?: string | undefined;
}

/**
 * The error of one field, where the eye is when the page comes back: just above the input (which
 * gets focus), tied to it by aria-describedby and aria-invalid, and role=alert so it is announced.
 */
export function fieldError(id: string, message: string | undefined): SafeHtml | undefined {
  return message === undefined ? undefined : html`<p class="field-error" id="${id}-error" role="alert">${message}</p>\n`;
}

/** The input's aria attributes: its hint, and when it is wrong, its error (the id fieldError gave it). */
export const describedBy = (id: string, hint: string | undefined, invalid: boolean): SafeHtml => {
  const ids = [hint, invalid ? `${id}-error` : undefined].filter((x) => x !== undefined);
  return html`${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
};

/** A chooser card whose one button posts the session (and `fields`) to `action`. */
export function buttonCard(page: ChooserPage, card: { id: string; title: string; hint: string; action: string; fields?: SafeHtml; button: string }): SafeHtml {
  return html`<section class="card" aria-labelledby="${card.id}-title">
<h2 id="${card.id}-title">${card.title}</h2>
<p class="hint">${card.hint}</p>
<form method="post" action="${card.action}">
<input type="hidden" name="session" value="${page.session}">${card.fields}
<button type="submit">${card.button}</button>
</form>
</section>`;
}

export const factorField = (factorSid: string): SafeHtml => html`\n<input type="hidden" name="factor" value="${factorSid}">`;

/** "Try another way": a form back to the chooser, for every waiting page (fallback between factors). */
export function anotherWayForm(session: string, locale?: PageLocale): SafeHtml {
  return html`<form method="post" action="/handoff/choose" class="another-way">
<input type="hidden" name="session" value="${session}">
<button type="submit" class="link">${translate(locale, 'handoff.anotherWay')}</button>
</form>`;
}

/** A way out of an error page: a link (the way back to the application, or to the page before). */
export interface PageLink {
  href: string;
  label: string;
}

/**
 * An end-of-flow or error page: the reason in the user's words (developer details go to the
 * application in its error result, and to the log, never here), and always a way on: `back` to the
 * application (a verified return URL with the error result) and, while the sign-in can go on,
 * `resume` to its page. Without a known application, plain guidance to go back to it.
 */
export function renderError(title: string, message: string, back?: PageLink, options: { locale?: PageLocale | undefined; resume?: string | undefined; tone?: 'alert' | 'status' } = {}): string {
  const t = translator(options.locale, 'handoff');
  const status = options.tone === 'status';
  const links = html`<div class="actions">
${options.resume !== undefined ? html`<p><a class="button" href="${options.resume}">${t('errorResume')}</a></p>\n` : ''}${back ? html`<p><a class="button${options.resume !== undefined ? ' secondary' : ''}" href="${back.href}">${back.label}</a></p>` : html`<p class="hint">${t('errorNoBack')}</p>`}
</div>`;
  const box = status ? html`<div class="notice" role="status">${message}</div>` : html`<div class="alert" role="alert">${message}</div>`;
  const badge = html`<div class="result-badge ${status ? 'result-ok' : 'result-problem'}">${icon(status ? 'check' : 'warning')}</div>`;
  return layout(title, html`<div class="result">\n${badge}\n<h1>${title}</h1>\n${box}\n${links}\n</div>`, undefined, options.locale);
}
