import { readFileSync } from 'node:fs';
import { HANDOFF_PAGE_MESSAGES } from './handoff-messages.ts';
import { translate, translator, type PageLocale } from './i18n.ts';
import type { FactorOption, PhoneChannel } from '../handoff/hosted-handoff.ts';
import { passkeyCard } from './passkey-pages.ts';

/** The stylesheet of the hosted pages, read once; served at HANDOFF_CSS_PATH (no inline style or script). */
export const HANDOFF_CSS = readFileSync(new URL('./assets/handoff.css', import.meta.url));
export const HANDOFF_CSS_PATH = '/handoff/assets/handoff.css';
/** The one script of the pages: the push waiting page follows the challenge's progress (the page works without it). */
export { HANDOFF_PUSH_JS } from './handoff-push-script.ts';
export const HANDOFF_PUSH_JS_PATH = '/handoff/assets/handoff-push.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);
}

/**
 * A strict Content Security Policy: nothing but this server's stylesheet, no script (the push
 * waiting page alone: this server's script file and its event stream), no framing; forms may post
 * here and (after the 303) land on the verified `return_to` origin only.
 */
export function handoffCsp(formTargets: string[] = [], options: { script?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    ...(options.script ? ["script-src 'self'", "connect-src 'self'"] : []),
    "base-uri 'none'",
    `form-action ${formTargets.length === 0 ? "'none'" : ["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

export function layout(title: string, body: string, script?: string, lang: PageLocale = 'en'): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Verity</title>
<link rel="stylesheet" href="${HANDOFF_CSS_PATH}">
${script ? `<script src="${escapeHtml(script)}" defer></script>\n` : ''}</head>
<body>
<main>
${body}
<footer>${escapeHtml(translate(HANDOFF_PAGE_MESSAGES, lang, 'footer'))}</footer>
</main>
</body>
</html>
`;
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
 * A translated text with HTML in place of one placeholder: the text is escaped, then `{name}` is
 * replaced by `html` (which the caller built from escaped parts).
 */
function withHtml(text: string, name: string, html: string): string {
  return escapeHtml(text).replace(`{${name}}`, html);
}

/**
 * The error of one field, where the eye is when the page comes back: just above the input (which
 * gets focus), tied to it by aria-describedby and aria-invalid, and role=alert so it is announced.
 */
export function fieldError(id: string, message: string | undefined): string {
  return message === undefined ? '' : `<p class="field-error" id="${id}-error" role="alert">${escapeHtml(message)}</p>\n`;
}

/** The input's aria attributes: its hint, and when it is wrong, its error (the id fieldError gave it). */
export const describedBy = (id: string, hint: string | undefined, invalid: boolean): string => {
  const ids = [hint, invalid ? `${id}-error` : undefined].filter((x) => x !== undefined);
  return `${ids.length > 0 ? ` aria-describedby="${ids.join(' ')}"` : ''}${invalid ? ' aria-invalid="true"' : ''}`;
};

function totpForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'totp' }>, index: number, autofocus: boolean): string {
  const id = `totp-${index}`;
  const invalid = page.failed === option.factorSid && page.message !== undefined;
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  return `<section class="card" aria-labelledby="${id}-title">
<h2 id="${id}-title">${escapeHtml(t('totpTitle'))}</h2>
<p class="hint" id="${id}-hint">${escapeHtml(t('totpHint', { name: option.name }))}</p>
<form method="post" action="/handoff/totp">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<input type="hidden" name="factor" value="${escapeHtml(option.factorSid)}">
<label for="${id}">${escapeHtml(t('codeLabel'))}</label>
${fieldError(id, invalid ? page.message : undefined)}<input type="text" id="${id}" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="10" required${describedBy(id, `${id}-hint`, invalid)}${autofocus ? ' autofocus' : ''}>
<button type="submit">${escapeHtml(t('verify'))}</button>
</form>
</section>`;
}

function recoveryForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'recovery_code' }>, autofocus: boolean): string {
  const invalid = page.failed === 'recovery_code' && page.message !== undefined;
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  return `<section class="card" aria-labelledby="recovery-title">
<h2 id="recovery-title">${escapeHtml(t('recoveryTitle'))}</h2>
<p class="hint" id="recovery-hint">${escapeHtml(t('recoveryHint', { remaining: option.remaining }))}</p>
<form method="post" action="/handoff/recovery-code">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<label for="recovery-code">${escapeHtml(t('recoveryTitle'))}</label>
${fieldError('recovery-code', invalid ? page.message : undefined)}<input type="text" id="recovery-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" placeholder="ABCD-EFGH-JKMN" required${describedBy('recovery-code', 'recovery-hint', invalid)}${autofocus ? ' autofocus' : ''}>
<button type="submit">${escapeHtml(t('recoveryButton'))}</button>
</form>
</section>`;
}

/** A chooser card whose one button posts the session (and `fields`) to `action`. */
function buttonCard(page: ChooserPage, card: { id: string; title: string; hint: string; action: string; fields?: string; button: string }): string {
  return `<section class="card" aria-labelledby="${card.id}-title">
<h2 id="${card.id}-title">${escapeHtml(card.title)}</h2>
<p class="hint">${escapeHtml(card.hint)}</p>
<form method="post" action="${card.action}">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">${card.fields ?? ''}
<button type="submit">${escapeHtml(card.button)}</button>
</form>
</section>`;
}

const factorField = (factorSid: string): string => `\n<input type="hidden" name="factor" value="${escapeHtml(factorSid)}">`;

function pushForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'push' }>, index: number): string {
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  return buttonCard(page, { id: `push-${index}`, title: t('pushTitle'), hint: t('pushHint', { name: option.name }), action: '/handoff/push', fields: factorField(option.factorSid), button: t('pushButton') });
}

/** A code texted or read out to the application's trusted number, an approval by a call, or a flash call to it. */
function phoneForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'phone' | 'phone_call' }>): string {
  const ending = option.masked.slice(-2);
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  const card = (id: string, title: string, hint: string, action: string, fields: string, button: string): string => buttonCard(page, { id, title, hint, action, fields, button });
  if (option.kind === 'phone_call' && option.mode === 'press_one') {
    return card('phone-approve', t('callApproveTitle'), t('callApproveHint', { ending }), '/handoff/call', '', t('callApproveButton'));
  }
  if (option.kind === 'phone_call') {
    return card('phone-flash', t('flashTitle'), t('flashHint', { ending }), '/handoff/flashcall', '', t('flashButton'));
  }
  const sms = option.channel === 'sms';
  return card(
    `phone-${option.channel}`,
    t(sms ? 'smsTitle' : 'voiceTitle'),
    t(sms ? 'smsHint' : 'voiceHint', { ending }),
    '/handoff/phone',
    `\n<input type="hidden" name="channel" value="${option.channel}">`,
    t(sms ? 'smsButton' : 'voiceButton'),
  );
}

function voiceprintForm(page: ChooserPage, option: Extract<FactorOption, { kind: 'voiceprint' }>, index: number): string {
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  return buttonCard(page, { id: `voiceprint-${index}`, title: t('voiceprintTitle'), hint: t('voiceprintHint', { name: option.name }), action: '/handoff/voiceprint', fields: factorField(option.factorSid), button: t('voiceprintButton') });
}

const FACTOR_LABELS: Record<string, keyof (typeof HANDOFF_PAGE_MESSAGES)['en']> = { push: 'labelPush', voiceprint: 'labelVoiceprint', passkeys: 'labelPasskeys', sms: 'labelSms', call: 'labelCall', email: 'labelEmail' };

/** The factor chooser: one form per factor the user can use here, and those not available yet. */
export function renderChooser(page: ChooserPage): string {
  const usable = page.options.filter((o) => o.kind !== 'unavailable');
  const unavailable = page.options.filter((o): o is Extract<FactorOption, { kind: 'unavailable' }> => o.kind === 'unavailable');
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  const label = (type: string): string => {
    const key = FACTOR_LABELS[type];
    return key ? t(key) : type;
  };
  const focusTarget = page.failed ?? (usable[0]?.kind === 'totp' ? usable[0].factorSid : usable[0]?.kind);
  const sections = usable.map((option, i) => {
    if (option.kind === 'totp') return totpForm(page, option, i, focusTarget === option.factorSid);
    if (option.kind === 'push') return pushForm(page, option, i);
    if (option.kind === 'phone' || option.kind === 'phone_call') return phoneForm(page, option);
    if (option.kind === 'voiceprint') return voiceprintForm(page, option, i);
    if (option.kind === 'passkey') return passkeyCard(page, option);
    return recoveryForm(page, option as Extract<FactorOption, { kind: 'recovery_code' }>, focusTarget === 'recovery_code');
  });
  const others = unavailable.length
    ? `<section class="card unavailable" aria-labelledby="unavailable-title">
<h2 id="unavailable-title">${escapeHtml(t('unavailableTitle'))}</h2>
<ul>${unavailable.map((o) => `<li>${escapeHtml(label(o.type))} (${escapeHtml(o.name)})</li>`).join('')}</ul>
</section>`
    : '';
  // A message about a code typed into one of the forms is shown at that field (fieldError), not up here.
  const atField = page.failed !== undefined && page.tone !== 'status' && usable.some((o) => (o.kind === 'totp' && o.factorSid === page.failed) || (o.kind === 'recovery_code' && page.failed === 'recovery_code'));
  const alert = !page.message || atField
    ? ''
    : page.tone === 'status'
      ? `<div class="notice" id="form-status" role="status">${escapeHtml(page.message)}</div>`
      : `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message)}</div>`;
  if (usable.length === 0) {
    return layout(
      t('verifyTitle'),
      `<h1>${escapeHtml(t('verifyTitle'))}</h1>
<p class="lead">${escapeHtml(t('leadNone', { app: page.appName }))}</p>
${others}
<p><a class="button" href="${escapeHtml(page.leave)}">${escapeHtml(t('backTo', { app: page.appName }))}</a></p>`,
      undefined,
      page.locale,
    );
  }
  return layout(
    t('verifyTitle'),
    `<h1>${escapeHtml(t('verifyTitle'))}</h1>
<p class="lead">${escapeHtml(t(usable.length > 1 ? 'leadMany' : 'leadOne', { app: page.appName }))}</p>
${alert}
${sections.join('\n')}
${others}
<p class="hint"><a href="${escapeHtml(page.leave)}">${escapeHtml(t('cancel', { app: page.appName }))}</a></p>`,
    undefined,
    page.locale,
  );
}

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
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  const alert = page.message ? `<div class="alert" id="form-error" role="alert">${escapeHtml(page.message)}</div>` : '';
  const number = page.numberMatch
    ? `<p class="hint" id="number-hint">${escapeHtml(t('numberHint'))}</p>
<p class="number-match" id="number-match">${escapeHtml(page.numberMatch)}</p>`
    : '';
  return layout(
    t('pushTitle'),
    `<h1>${escapeHtml(t('pushTitle'))}</h1>
<p class="lead">${escapeHtml(t('pushWaitLead', { app: page.appName }))}</p>
${alert}
<section class="card">
${number}
<p class="hint" id="push-status" role="status" aria-live="polite">${escapeHtml(t('pushWaiting'))}</p>
<form method="post" action="/handoff/push/continue" id="push-continue" data-events="${escapeHtml(page.eventsPath)}" data-msg-approved="${escapeHtml(t('pushApproved'))}" data-msg-denied="${escapeHtml(t('pushDenied'))}" data-msg-expired="${escapeHtml(t('pushExpired'))}">
<input type="hidden" name="session" value="${escapeHtml(page.session)}">
<button type="submit">${escapeHtml(t('pushContinue'))}</button>
</form>
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${escapeHtml(page.leave)}">${escapeHtml(t('cancel', { app: page.appName }))}</a></p>`,
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
export function phoneCodeForm(session: string, error: string | undefined, locale?: PageLocale): string {
  const t = translator(HANDOFF_PAGE_MESSAGES, locale);
  return `<form method="post" action="/handoff/phone/check">
<input type="hidden" name="session" value="${escapeHtml(session)}">
<label for="phone-code">${escapeHtml(t('codeLabel'))}</label>
${fieldError('phone-code', error)}<input type="text" id="phone-code" name="code" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" maxlength="12" required${describedBy('phone-code', undefined, error !== undefined)} autofocus>
<button type="submit">${escapeHtml(t('verify'))}</button>
</form>`;
}

/** The code form after "Text me a code" (a call's code form, which follows the call, is renderCallCode in call-pages.ts). */
export function renderPhoneCode(page: PhoneCodePage): string {
  const sms = page.channel === 'sms';
  const t = translator(HANDOFF_PAGE_MESSAGES, page.locale);
  return layout(
    t('phoneCodeTitle'),
    `<h1>${escapeHtml(t('phoneCodeTitle'))}</h1>
<p class="lead">${withHtml(t(sms ? 'phoneLeadSms' : 'phoneLeadCall'), 'phone', `<span class="phone">${escapeHtml(page.masked)}</span>`)}</p>
<section class="card">
${phoneCodeForm(page.session, page.message, page.locale)}
</section>
${anotherWayForm(page.session, page.locale)}
<p class="hint"><a href="${escapeHtml(page.leave)}">${escapeHtml(t('cancel', { app: page.appName }))}</a></p>`,
    undefined,
    page.locale,
  );
}

/** "Try another way": a form back to the chooser, for every waiting page (fallback between factors). */
export function anotherWayForm(session: string, locale?: PageLocale): string {
  return `<form method="post" action="/handoff/choose" class="another-way">
<input type="hidden" name="session" value="${escapeHtml(session)}">
<button type="submit" class="link">${escapeHtml(translate(HANDOFF_PAGE_MESSAGES, locale, 'anotherWay'))}</button>
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
  const t = translator(HANDOFF_PAGE_MESSAGES, options.locale);
  const links = [
    options.resume !== undefined ? `<p><a class="button" href="${escapeHtml(options.resume)}">${escapeHtml(t('errorResume'))}</a></p>` : '',
    back ? `<p><a class="button${options.resume !== undefined ? ' secondary' : ''}" href="${escapeHtml(back.href)}">${escapeHtml(back.label)}</a></p>` : `<p class="hint">${escapeHtml(t('errorNoBack'))}</p>`,
  ].join('\n');
  const box = options.tone === 'status' ? `<div class="notice" role="status">${escapeHtml(message)}</div>` : `<div class="alert" role="alert">${escapeHtml(message)}</div>`;
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n${box}\n${links}`, undefined, options.locale);
}
