import type { FactorOption, PhoneChannel } from '../handoff/factor-options.ts';
import type { PageLocale } from '../i18n/locales.ts';
import { translate, translator } from '../i18n/translator.ts';
import { html, type SafeHtml } from '../pages/html.ts';

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

/** A hosted page: the document around `body`, in the page's language; `script` is this server's script file, if any. */
export function layout(title: string, body: SafeHtml, script?: string, lang: PageLocale = 'en'): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Verity</title>
<link rel="stylesheet" href="${HANDOFF_CSS_PATH}">
<link rel="stylesheet" href="${HUB_CSS_PATH}">
${script ? html`<script src="${script}" defer></script>\n` : ''}</head>
<body>
<main>
${body}
<footer>${translate(lang, 'handoff.footer')}</footer>
</main>
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

export interface PushWaitPage {
  appName: string;
  session: string;
  /** The two digits to pick on the phone, if the service uses number matching. */
  numberMatch: string | null;
  /** The challenge's progress stream, a path on this server. */
  eventsPath: string;
  /** The way back to the application: the session's return path (session-links.ts). */
  leave: string;
  message?: string | undefined;
  locale?: PageLocale | undefined;
}

/** The push waiting page: the number big, a script that continues on an outcome, and the same button without script. */
export function renderPushWait(page: PushWaitPage): string {
  const t = translator(page.locale, 'handoff');
  const alert = page.message ? html`<div class="alert" id="form-error" role="alert">${page.message}</div>` : '';
  const number = page.numberMatch
    ? html`<p class="hint" id="number-hint">${t('numberHint')}</p>
<p class="number-match" id="number-match">${page.numberMatch}</p>`
    : '';
  return layout(
    t('pushTitle'),
    html`<h1>${t('pushTitle')}</h1>
<p class="lead">${t('pushWaitLead', { app: page.appName })}</p>
${alert}
<section class="card">
${number}
<p class="hint" id="push-status" role="status" aria-live="polite">${t('pushWaiting')}</p>
<form method="post" action="/handoff/push/continue" id="push-continue" data-events="${page.eventsPath}" data-msg-approved="${t('pushApproved')}" data-msg-denied="${t('pushDenied')}" data-msg-expired="${t('pushExpired')}">
<input type="hidden" name="session" value="${page.session}">
<button type="submit">${t('pushContinue')}</button>
</form>
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>`,
    HANDOFF_PUSH_JS_PATH,
    page.locale,
  );
}

export interface PhoneCodePage {
  appName: string;
  session: string;
  channel: PhoneChannel;
  /** The number with all but its last 2 digits hidden. */
  masked: string;
  /** The way back to the application: the session's return path (session-links.ts). */
  leave: string;
  message?: string | undefined;
  locale?: PageLocale | undefined;
}

/** The form of a code sent to the phone (texted or read out on a call), checked at /handoff/phone/check; `error` shows at the field. */
export function phoneCodeForm(session: string, error: string | undefined, locale?: PageLocale): SafeHtml {
  const t = translator(locale, 'handoff');
  return html`<form method="post" action="/handoff/phone/check">
<input type="hidden" name="session" value="${session}">
<label for="phone-code">${t('codeLabel')}</label>
${fieldError('phone-code', error)}<input type="text" id="phone-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="12" required${describedBy('phone-code', undefined, error !== undefined)} autofocus>
<button type="submit">${t('verify')}</button>
</form>`;
}

/** The code form after "Text me a code" (a call's code form, which follows the call, is renderCallCode in call-pages.ts). */
export function renderPhoneCode(page: PhoneCodePage): string {
  const sms = page.channel === 'sms';
  const t = translator(page.locale, 'handoff');
  return layout(
    t('phoneCodeTitle'),
    html`<h1>${t('phoneCodeTitle')}</h1>
<p class="lead">${t.parts(sms ? 'phoneLeadSms' : 'phoneLeadCall', { phone: html`<span class="phone">${page.masked}</span>` })}</p>
<section class="card">
${phoneCodeForm(page.session, page.message, page.locale)}
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${page.leave}">${t('cancel', { app: page.appName })}</a></p>`,
    undefined,
    page.locale,
  );
}

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
  const links = html`${options.resume !== undefined ? html`<p><a class="button" href="${options.resume}">${t('errorResume')}</a></p>` : ''}
${back ? html`<p><a class="button${options.resume !== undefined ? ' secondary' : ''}" href="${back.href}">${back.label}</a></p>` : html`<p class="hint">${t('errorNoBack')}</p>`}`;
  const box = options.tone === 'status' ? html`<div class="notice" role="status">${message}</div>` : html`<div class="alert" role="alert">${message}</div>`;
  return layout(title, html`<h1>${title}</h1>\n${box}\n${links}`, undefined, options.locale);
}
